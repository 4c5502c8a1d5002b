/**
 * asyncio-ts/db with fake drivers on VirtualTimeLoop: awaitCancellable (cancellation reaches the
 * driver's cancel hook, in both coroutine syntaxes, under timeout(), shielded cleanup, bounded
 * cleanup) and ConnectionPool (FIFO fairness, release on every path, broken connections
 * discarded, close(), cancelled create(), and 1,000 tasks with seeded random cancellations and
 * timeouts that leave nothing leaked). The live-server checks are in db.live.test.ts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { awaitCancellable, ConnectionPool, killQuery } from "../src/db.ts";
import { pyRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { prng } from "./fixtures/prng.ts";

type Main<T> = asyncio.Coroutine<T> | (() => asyncio.Coroutine<T>) | (() => Promise<T>);

function vrun<T>(main: Main<T>): Promise<T> {
  return asyncio.run(main as () => Promise<T>, { loopFactory: () => new VirtualTimeLoop() });
}

/**
 * A fake connection: `query(seconds, value)` answers `value` after `seconds` of loop time;
 * `kill()` (the side-connection `KILL QUERY`) takes `killDelay` seconds and makes the running
 * query fail with MariaDB's "Query execution was interrupted", as the real server does.
 */
class FakeConn {
  static nextId = 1;
  readonly id = FakeConn.nextId++;
  running: { handle: asyncio.TimerHandle; reject: (e: unknown) => void } | null = null;
  kills = 0;
  queries = 0;
  closed = false;
  constructor(readonly killDelay = 0.01) {}

  query<T>(seconds: number, value: T): Promise<T> {
    if (this.closed) return Promise.reject(new Error("connection closed"));
    if (this.running !== null) return Promise.reject(new Error(`conn ${this.id} is busy`));
    this.queries++;
    const loop = asyncio.getRunningLoop();
    return new Promise<T>((resolve, reject) => {
      const handle = loop.callLater(seconds, () => {
        this.running = null;
        resolve(value);
      });
      this.running = { handle, reject };
    });
  }

  kill(): Promise<void> {
    this.kills++;
    const loop = asyncio.getRunningLoop();
    return new Promise((resolve) => {
      loop.callLater(this.killDelay, () => {
        const r = this.running;
        if (r !== null) {
          r.handle.cancel();
          this.running = null;
          r.reject(new Error("Query execution was interrupted"));
        }
        resolve();
      });
    });
  }
}

/** A fake driver: counts connections made, destroyed and alive at most. */
class FakeDriver {
  made = 0;
  destroyed = 0;
  maxAlive = 0;
  readonly all: FakeConn[] = [];
  constructor(readonly connectDelay = 0) {}
  get alive(): number {
    return this.made - this.destroyed;
  }
  create = (): Promise<FakeConn> => {
    const loop = asyncio.getRunningLoop();
    return new Promise((resolve) => {
      loop.callLater(this.connectDelay, () => {
        const c = new FakeConn();
        this.made++;
        this.maxAlive = Math.max(this.maxAlive, this.alive);
        this.all.push(c);
        resolve(c);
      });
    });
  };
  destroy = (c: FakeConn): Promise<void> => {
    assert.equal(c.closed, false, "destroyed twice");
    c.closed = true;
    this.destroyed++;
    return Promise.resolve();
  };
}

function query<T>(conn: FakeConn, seconds: number, value: T): asyncio.AwaitableCoroutine<T> {
  return awaitCancellable(
    () => conn.query(seconds, value),
    () => conn.kill(),
  );
}

// ---- awaitCancellable ------------------------------------------------------------------------

test("awaitCancellable: results and errors come through, in both syntaxes", async () => {
  await vrun(function* () {
    const c = new FakeConn();
    assert.equal(yield* query(c, 1, "gen"), "gen");
    const t = asyncio.createTask(async () => await query(c, 1, "async"));
    assert.equal(yield* t, "async");
    const boom = new Error("syntax error");
    let caught: unknown;
    try {
      yield* awaitCancellable(() => Promise.reject(boom));
    } catch (e) {
      caught = e;
    }
    assert.equal(caught, boom);
    const t2 = asyncio.createTask(async () => {
      try {
        await awaitCancellable(() => Promise.reject(boom));
      } catch (e) {
        return e;
      }
    });
    assert.equal(yield* t2, boom);
    assert.equal(c.kills, 0);
  });
});

for (const syntax of ["generator", "async"] as const) {
  test(`awaitCancellable (${syntax}): cancel runs the driver's cancel, waits for it, then CancelledError`, async () => {
    await vrun(function* () {
      const loop = asyncio.getRunningLoop();
      const c = new FakeConn(0.5);
      let signal: AbortSignal | null = null;
      let cancelledAt = -1;
      const start = (s: AbortSignal): Promise<string> => {
        signal = s;
        return c.query(100, "never");
      };
      const onCancel = (reason: asyncio.CancelledError): Promise<void> => {
        assert.ok(reason instanceof asyncio.CancelledError);
        assert.equal(signal?.aborted, true);
        return c.kill();
      };
      const t =
        syntax === "generator"
          ? asyncio.createTask(function* () {
              try {
                return yield* awaitCancellable(start, onCancel);
              } finally {
                cancelledAt = loop.time();
              }
            })
          : asyncio.createTask(async () => {
              try {
                return await awaitCancellable(start, onCancel);
              } finally {
                cancelledAt = loop.time();
              }
            });
      yield* asyncio.sleep(1);
      assert.equal(signal!.aborted, false);
      t.cancel("stop");
      let caught: unknown;
      try {
        yield* t;
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof asyncio.CancelledError);
      assert.ok(t.cancelled());
      assert.equal(c.kills, 1);
      assert.equal(c.running, null, "the query is no longer running");
      assert.equal(cancelledAt, 1.5, "CancelledError only after the kill finished");
    });
  });
}

test("awaitCancellable under timeout(): TimeoutError, the query was killed", async () => {
  await vrun(async () => {
    const c = new FakeConn();
    let caught: unknown;
    try {
      await asyncio.timeout(2, () => query(c, 100, 1));
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof asyncio.TimeoutError);
    assert.equal(c.kills, 1);
    assert.equal(c.running, null);
    // the connection is usable again
    assert.equal(await query(c, 1, 7), 7);
  });
});

test("awaitCancellable: a cancellation after the operation answered kills nothing", async () => {
  await vrun(function* () {
    const c = new FakeConn();
    const t = asyncio.createTask(function* () {
      const v = yield* query(c, 1, "done");
      yield* asyncio.sleep(10);
      return v;
    });
    yield* asyncio.sleep(2);
    t.cancel();
    yield* asyncio.gather([t], { returnExceptions: true });
    assert.ok(t.cancelled());
    assert.equal(c.kills, 0);
  });
});

test("awaitCancellable: a second cancel during cleanup does not cut it short", async () => {
  await vrun(function* () {
    const loop = asyncio.getRunningLoop();
    const c = new FakeConn(5);
    let doneAt = -1;
    const t = asyncio.createTask(function* () {
      try {
        yield* query(c, 100, 0);
      } finally {
        doneAt = loop.time();
      }
    });
    yield* asyncio.sleep(1);
    t.cancel();
    yield* asyncio.sleep(1);
    t.cancel();
    try {
      yield* t;
    } catch {}
    assert.equal(doneAt, 6);
    assert.equal(c.kills, 1);
    assert.equal(t.cancelling(), 2);
  });
});

test("awaitCancellable: cleanupTimeout bounds a hanging cancel; onAbandon is told", async () => {
  await vrun(function* () {
    const loop = asyncio.getRunningLoop();
    let abandoned = 0;
    const reported: unknown[] = [];
    loop.setExceptionHandler((_l, ctx) => reported.push(ctx.exception));
    const t = asyncio.createTask(
      awaitCancellable(
        () => new Promise<never>(() => {}),
        () => new Promise<never>(() => {}),
        { cleanupTimeout: 3, onAbandon: () => abandoned++ },
      ),
    );
    yield* asyncio.sleep(1);
    t.cancel();
    try {
      yield* t;
    } catch {}
    assert.equal(loop.time(), 4);
    assert.equal(abandoned, 1);
    // a failing cancel action is reported, the task is still cancelled
    const t2 = asyncio.createTask(
      awaitCancellable(
        () => new Promise<never>(() => {}),
        () => Promise.reject(new Error("KILL failed")),
        { waitSettled: false },
      ),
    );
    yield* asyncio.sleep(1);
    t2.cancel();
    try {
      yield* t2;
    } catch {}
    assert.ok(t2.cancelled());
    assert.equal((reported[0] as Error).message, "KILL failed");
  });
});

// ---- ConnectionPool --------------------------------------------------------------------------

test("ConnectionPool: size validation and repr", async () => {
  assert.throws(() => new ConnectionPool({ create: () => 1, size: 0 }), asyncio.ValueError);
  assert.throws(() => new ConnectionPool({ create: () => 1, size: 1.5 }), asyncio.ValueError);
  await vrun(function* () {
    const pool = new ConnectionPool({ create: () => ({}), size: 2 });
    const c = yield* pool.acquire();
    assert.equal(pyRepr(pool), "<ConnectionPool [open, size:2, in use:1, idle:0]>");
    pool.release(c);
    assert.equal(pyRepr(pool), "<ConnectionPool [open, size:2, in use:0, idle:1]>");
    assert.throws(() => pool.release(c), asyncio.RuntimeError);
    yield* pool.close();
    assert.equal(pyRepr(pool), "<ConnectionPool [closed, size:2, in use:0, idle:0]>");
  });
});

test("ConnectionPool: acquirers are served in arrival order, no barging", async () => {
  await vrun(function* () {
    const d = new FakeDriver();
    const pool = new ConnectionPool({ create: d.create, destroy: d.destroy, size: 2 });
    const order: string[] = [];
    const worker = (name: string, hold: number) =>
      asyncio.createTask(
        pool.run(function* (conn) {
          order.push(name);
          yield* query(conn, hold, name);
        }),
      );
    const ts = [worker("a", 5), worker("b", 5)];
    yield* asyncio.sleep(1);
    for (const n of ["c", "d", "e", "f"]) {
      ts.push(worker(n, 1));
      yield* asyncio.sleep(0.1);
    }
    // A cancelled waiter gives its turn on; a newcomer queues behind the rest.
    ts[3]!.cancel();
    yield* asyncio.sleep(3.6); // a and b done at 5: c and e take the two slots
    ts.push(worker("g", 1));
    yield* asyncio.gather(ts, { returnExceptions: true });
    assert.deepEqual(order, ["a", "b", "c", "e", "f", "g"]);
    assert.equal(d.made, 2);
    assert.equal(pool.heldCount, 0);
    assert.equal(pool.idleCount, 2);
  });
});

test("ConnectionPool.run releases on success, error and cancellation (a cancelled one is discarded)", async () => {
  for (const syntax of ["generator", "async"] as const) {
    await vrun(function* () {
      const d = new FakeDriver();
      const pool = new ConnectionPool({ create: d.create, destroy: d.destroy, size: 1 });
      const body =
        syntax === "generator"
          ? (v: number) =>
              pool.run(function* (conn) {
                if (v < 0) throw new Error("bad query");
                return yield* query(conn, 1, v);
              })
          : (v: number) =>
              pool.run(async (conn) => {
                if (v < 0) throw new Error("bad query");
                return await query(conn, 1, v);
              });
      assert.equal(yield* body(1), 1);
      yield* asyncio.gather([body(-1)], { returnExceptions: true });
      assert.equal(pool.heldCount, 0);
      assert.equal(d.destroyed, 0, "an ordinary error keeps the connection");
      const t = asyncio.createTask(body(2));
      yield* asyncio.sleep(0.5);
      t.cancel();
      yield* asyncio.gather([t], { returnExceptions: true });
      assert.equal(pool.heldCount, 0);
      assert.equal(d.destroyed, 1, "the interrupted connection was destroyed");
      assert.equal(d.all[0]!.kills, 1);
      assert.equal(yield* body(3), 3);
      assert.equal(d.made, 2);
      yield* pool.close();
      assert.equal(d.alive, 0);
    });
  }
});

test("ConnectionPool.lease with `await using`: released at the end of the block, discarded when cancelled", async () => {
  await vrun(async () => {
    const d = new FakeDriver();
    const pool = new ConnectionPool({ create: d.create, destroy: d.destroy, size: 1 });
    {
      await using lease = await pool.lease();
      assert.equal(await query(lease.conn, 1, "x"), "x");
      assert.equal(pool.inUseCount, 1);
    }
    assert.equal(pool.inUseCount, 0);
    assert.equal(pool.idleCount, 1);
    const t = asyncio.createTask(async () => {
      await using lease = await pool.lease();
      await query(lease.conn, 10, "y");
    });
    await asyncio.sleep(1);
    t.cancel();
    await asyncio.gather([t], { returnExceptions: true });
    assert.equal(pool.heldCount, 0);
    assert.equal(d.destroyed, 1);
    const lease = await pool.lease();
    lease.markBroken();
    lease.release();
    lease.release(); // idempotent
    assert.equal(d.destroyed, 2);
    await pool.close();
  });
});

test("ConnectionPool: a cancelled waiter takes nothing; a cancelled create() leaks nothing", async () => {
  await vrun(function* () {
    const d = new FakeDriver(2);
    const pool = new ConnectionPool({ create: d.create, destroy: d.destroy, size: 1 });
    // cancelled while the connection is being made: the slot is given back at once,
    // the late connection is destroyed
    const t = asyncio.createTask(pool.acquire());
    yield* asyncio.sleep(1);
    t.cancel();
    yield* asyncio.gather([t], { returnExceptions: true });
    assert.equal(pool.heldCount, 0);
    yield* asyncio.sleep(2);
    assert.equal(d.made, 1);
    assert.equal(d.destroyed, 1);
    // cancelled while queued
    const c = yield* pool.acquire();
    const w = asyncio.createTask(pool.acquire());
    yield* asyncio.sleep(1);
    w.cancel();
    yield* asyncio.gather([w], { returnExceptions: true });
    pool.release(c);
    assert.equal(pool.heldCount, 0);
    assert.equal(pool.idleCount, 1);
    // create() failing gives the slot back
    const bad = new ConnectionPool<number>({
      create: () => Promise.reject(new Error("ECONNREFUSED")),
      size: 1,
    });
    for (let i = 0; i < 2; i++) {
      let caught: unknown;
      try {
        yield* bad.acquire();
      } catch (e) {
        caught = e;
      }
      assert.equal((caught as Error).message, "ECONNREFUSED");
      assert.equal(bad.heldCount, 0);
    }
    yield* pool.close();
  });
});

test("ConnectionPool.close(): waiters and newcomers get RuntimeError, connections are destroyed", async () => {
  await vrun(function* () {
    const d = new FakeDriver();
    const pool = new ConnectionPool({ create: d.create, destroy: d.destroy, size: 2 });
    const a = yield* pool.acquire();
    const b = yield* pool.acquire();
    pool.release(b);
    const a2 = yield* pool.acquire();
    const waiters = [asyncio.createTask(pool.acquire()), asyncio.createTask(pool.acquire())];
    yield* asyncio.sleep(0);
    yield* pool.close();
    assert.equal(pool.closed, true);
    const rs = yield* asyncio.gather([...waiters], { returnExceptions: true });
    for (const r of rs) {
      assert.ok(r instanceof asyncio.RuntimeError);
      assert.equal((r as Error).message, "ConnectionPool is closed");
    }
    pool.release(a);
    pool.release(a2);
    assert.equal(d.alive, 0);
    let caught: unknown;
    try {
      yield* pool.acquire();
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof asyncio.RuntimeError);
    yield* pool.close(); // idempotent
  });
});

test("ConnectionPool: 1,000 tasks on a pool of 10 with seeded random cancellations and timeouts leak nothing", async () => {
  for (const seed of [1, 2, 3]) {
    await vrun(function* () {
      const rnd = prng(seed);
      const d = new FakeDriver(0.01);
      const pool = new ConnectionPool({ create: d.create, destroy: d.destroy, size: 10 });
      const expected: number[] = [];
      const tasks: asyncio.Task<number>[] = [];
      let maxHeld = 0;
      const job = (i: number, seconds: number): asyncio.AwaitableCoroutine<number> =>
        i % 2 === 0
          ? pool.run(function* (conn) {
              maxHeld = Math.max(maxHeld, pool.heldCount);
              return yield* query(conn, seconds, i * 3);
            })
          : pool.run(async (conn) => {
              maxHeld = Math.max(maxHeld, pool.heldCount);
              return await query(conn, seconds, i * 3);
            });
      for (let i = 0; i < 1000; i++) {
        expected.push(i * 3);
        const seconds = 0.01 + rnd() * 0.5;
        const kind = rnd();
        if (kind < 0.15) {
          // bounded by a timeout that may or may not fire
          const limit = rnd() * 2;
          tasks.push(asyncio.createTask(asyncio.timeout(limit, () => job(i, seconds))));
        } else {
          tasks.push(asyncio.createTask(job(i, seconds)));
        }
        if (rnd() < 0.3) yield* asyncio.sleep(rnd() * 0.05);
        if (rnd() < 0.15) {
          // cancel a random earlier task (queued, running, or already done)
          tasks[Math.floor(rnd() * tasks.length)]!.cancel();
        }
      }
      const results = yield* asyncio.gather([...tasks], { returnExceptions: true });
      let ok = 0;
      let cancelled = 0;
      let timedOut = 0;
      results.forEach((r, i) => {
        if (r instanceof asyncio.CancelledError) cancelled++;
        else if (r instanceof asyncio.TimeoutError) timedOut++;
        else {
          assert.equal(r, expected[i], `task ${i} answered correctly`);
          ok++;
        }
      });
      assert.equal(ok + cancelled + timedOut, 1000);
      assert.ok(cancelled > 50 && timedOut > 10 && ok > 500, `${ok}/${cancelled}/${timedOut}`);
      assert.equal(pool.heldCount, 0, "every slot came back");
      assert.equal(pool.inUseCount, 0);
      assert.ok(maxHeld <= 10);
      assert.ok(d.maxAlive <= 10 + 1, `at most size (+ one late connection): ${d.maxAlive}`);
      yield* asyncio.sleep(1); // late connections made for given-up acquirers are destroyed
      assert.equal(d.alive, pool.idleCount);
      for (const c of d.all) assert.equal(c.running, null, `conn ${c.id} has no query running`);
      // the pool's size is restored: 10 acquisitions at once succeed without waiting
      const loop = asyncio.getRunningLoop();
      const t0 = loop.time();
      const held: unknown[] = [];
      for (let i = 0; i < 10; i++) held.push(yield* pool.acquire());
      assert.ok(loop.time() - t0 <= 0.011);
      for (const c of held) pool.release(c as never);
      yield* pool.close();
      assert.equal(d.alive, 0);
    });
  }
});

test("killQuery sends KILL QUERY for the connection's thread, on a side connection or a new one", async () => {
  const sent: string[] = [];
  let ended = 0;
  const side = {
    query: async (sql: string) => {
      sent.push(sql);
    },
  };
  const conn = { threadId: 42 };
  await killQuery(conn, side)(new asyncio.CancelledError());
  await killQuery(conn, async () => ({
    query: async (sql: string) => {
      sent.push(`new: ${sql}`);
    },
    end: async () => {
      ended++;
    },
  }))(new asyncio.CancelledError());
  // a connection that never connected has no thread on the server: nothing to kill
  await killQuery({ threadId: null }, side)(new asyncio.CancelledError());
  assert.deepEqual(sent, ["KILL QUERY 42", "new: KILL QUERY 42"]);
  assert.equal(ended, 1);
  // the side connection is closed even when the kill fails
  await assert.rejects(
    async () =>
      killQuery(conn, async () => ({
        query: async () => {
          throw new Error("Unknown thread id: 42");
        },
        end: async () => {
          ended++;
        },
      }))(new asyncio.CancelledError()),
    /Unknown thread id/,
  );
  assert.equal(ended, 2);
});
