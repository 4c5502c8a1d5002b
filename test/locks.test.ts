/**
 * Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier: both coroutine syntaxes,
 * `run(body)` with every kind of body, `await using`, reprs and errors. The step-for-step
 * CPython traces are in conformance/81_lock, 82_semaphore, 84_barrier, 85_condition_cancel and
 * 23_event_condition.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pyRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

type Main<T> = asyncio.Coroutine<T> | (() => asyncio.Coroutine<T>) | (() => Promise<T>);

function vrun<T>(main: Main<T>): Promise<T> {
  return asyncio.run(main as () => Promise<T>, { loopFactory: () => new VirtualTimeLoop() });
}

// ---- reprs and errors ----------------------------------------------------------------------

test("reprs are CPython's without module path and address", async () => {
  await vrun(function* () {
    const lock = new asyncio.Lock();
    assert.equal(pyRepr(lock), "<Lock [unlocked]>");
    yield* lock.acquire();
    asyncio.createTask(lock.acquire());
    asyncio.createTask(lock.acquire());
    yield* asyncio.sleep(0);
    assert.equal(String(lock), "<Lock [locked, waiters:2]>");
    const ev = new asyncio.Event();
    assert.equal(String(ev), "<Event [unset]>");
    ev.set();
    assert.equal(String(ev), "<Event [set]>");
    const sem = new asyncio.Semaphore(2);
    assert.equal(String(sem), "<Semaphore [unlocked, value:2]>");
    assert.equal(String(new asyncio.BoundedSemaphore(0)), "<BoundedSemaphore [locked]>");
    assert.equal(String(new asyncio.Condition()), "<Condition [unlocked]>");
    const b = new asyncio.Barrier(3);
    assert.equal(String(b), "<Barrier [filling, waiters:0/3]>");
    yield* b.abort();
    assert.equal(String(b), "<Barrier [broken]>");
  });
});

test("errors carry CPython's classes and messages", async () => {
  assert.throws(() => new asyncio.Semaphore(-1), {
    name: "ValueError",
    message: "Semaphore initial value must be >= 0",
  });
  assert.throws(() => new asyncio.Barrier(0), {
    name: "ValueError",
    message: "parties must be > 0",
  });
  assert.throws(() => new asyncio.Lock().release(), {
    name: "RuntimeError",
    message: "Lock is not acquired.",
  });
  assert.throws(() => new asyncio.BoundedSemaphore(1).release(), {
    name: "ValueError",
    message: "BoundedSemaphore released too many times",
  });
  assert.throws(() => new asyncio.Condition().notify(), {
    name: "RuntimeError",
    message: "cannot notify on un-acquired lock",
  });
  assert.ok(new asyncio.BrokenBarrierError() instanceof asyncio.RuntimeError);
  await vrun(async () => {
    await assert.rejects(async () => await new asyncio.Condition().wait(), {
      name: "RuntimeError",
      message: "cannot wait on un-acquired lock",
    });
  });
});

test("library coroutines are coroutines (createTask takes them)", async () => {
  await vrun(function* () {
    const lock = new asyncio.Lock();
    const acq = lock.acquire();
    assert.ok(asyncio.isCoroutine(acq));
    assert.equal(yield* asyncio.createTask(acq), true);
    assert.ok(asyncio.isCoroutine(lock.run(() => 1)));
    lock.release();
  });
});

test("primitives are not thenables: an async function can return one (CPython: `await lock` is a TypeError)", async () => {
  const lock = await vrun(async () => new asyncio.Lock());
  assert.ok(lock instanceof asyncio.Lock);
  for (const p of [lock, new asyncio.Event(), new asyncio.Semaphore(), new asyncio.Queue()]) {
    assert.equal((p as { then?: unknown }).then, undefined);
  }
});

test("Barrier properties are read-only", () => {
  const b = new asyncio.Barrier(2);
  assert.throws(() => {
    (b as unknown as { parties: number }).parties = 5;
  }, TypeError);
  assert.throws(() => {
    (b as unknown as { broken: boolean }).broken = true;
  }, TypeError);
  assert.equal(b.parties, 2);
  assert.equal(b.nWaiting, 0);
  assert.equal(b.broken, false);
});

test("a primitive that waited in one loop refuses another", async () => {
  const lock = new asyncio.Lock();
  await vrun(function* () {
    yield* lock.acquire();
    const t = asyncio.createTask(lock.acquire());
    yield* asyncio.sleep(0);
    lock.release();
    yield* t;
    lock.release();
  });
  await vrun(async () => {
    await lock.acquire(); // the fast path does not look at the loop
    await assert.rejects(
      async () => await lock.acquire(),
      (e: unknown) =>
        e instanceof asyncio.RuntimeError &&
        e.message === "<Lock [locked]> is bound to a different event loop",
    );
  });
});

// ---- Lock ------------------------------------------------------------------------------------

for (const syntax of ["generator", "async"] as const) {
  test(`Lock: FIFO hand-off without barging (${syntax})`, async () => {
    const order = await vrun(function* () {
      const lock = new asyncio.Lock();
      const order: string[] = [];
      yield* lock.acquire();
      const user =
        syntax === "generator"
          ? (name: string) =>
              asyncio.createTask(function* () {
                yield* lock.acquire();
                order.push(name);
                yield* asyncio.sleep(0.1);
                lock.release();
              })
          : (name: string) =>
              asyncio.createTask(async () => {
                await lock.acquire();
                order.push(name);
                await asyncio.sleep(0.1);
                lock.release();
              });
      const tasks = [user("a"), user("b")];
      yield* asyncio.sleep(0);
      lock.release();
      assert.equal(lock.locked(), false); // until the woken waiter runs
      tasks.push(user("barger"));
      for (const t of tasks) yield* t;
      return order;
    });
    assert.deepEqual(order, ["a", "b", "barger"]);
  });

  test(`Lock: a woken waiter cancelled before it runs passes the lock on (${syntax})`, async () => {
    await vrun(async () => {
      const lock = new asyncio.Lock();
      await lock.acquire();
      const acquire =
        syntax === "generator"
          ? () => asyncio.createTask(lock.acquire())
          : () => asyncio.createTask(async () => await lock.acquire());
      const b = acquire();
      const c = acquire();
      await asyncio.sleep(0);
      lock.release();
      b.cancel();
      await asyncio.sleep(0);
      assert.ok(b.cancelled());
      assert.equal(lock.locked(), false);
      await asyncio.sleep(0);
      assert.ok(c.done());
      assert.equal(lock.locked(), true);
      assert.equal(lock._waiters.length, 0);
    });
  });
}

test("Lock.run: generator body, value returned, released after", async () => {
  await vrun(function* () {
    const lock = new asyncio.Lock();
    const r = yield* lock.run(function* () {
      assert.ok(lock.locked());
      yield* asyncio.sleep(1);
      return 42;
    });
    assert.equal(r, 42);
    assert.equal(lock.locked(), false);
  });
});

test("Lock.run: async body runs as the awaiting task's own code", async () => {
  await vrun(async () => {
    const lock = new asyncio.Lock();
    const me = asyncio.currentTask();
    const r = await lock.run(async () => {
      assert.equal(asyncio.currentTask(), me);
      await asyncio.sleep(1);
      assert.equal(asyncio.currentTask(), me);
      return "done";
    });
    assert.equal(r, "done");
    assert.equal(lock.locked(), false);
  });
});

test("Lock.run: async body inside a generator coroutine is still the task's code", async () => {
  await vrun(function* () {
    const lock = new asyncio.Lock();
    const me = asyncio.currentTask();
    const r = yield* lock.run(async () => {
      await asyncio.sleep(1);
      return asyncio.currentTask() === me;
    });
    assert.equal(r, true);
    assert.equal(lock.locked(), false);
  });
});

test("Lock.run: plain function body", async () => {
  await vrun(async () => {
    const lock = new asyncio.Lock();
    assert.equal(await lock.run(() => lock.locked()), true);
    assert.equal(lock.locked(), false);
  });
});

test("Lock.run releases when the body throws (both syntaxes)", async () => {
  await vrun(async () => {
    const lock = new asyncio.Lock();
    await assert.rejects(
      async () =>
        await lock.run(async () => {
          await asyncio.sleep(0);
          throw new asyncio.ValueError("boom");
        }),
      { name: "ValueError" },
    );
    assert.equal(lock.locked(), false);
    const gen = asyncio.createTask(
      lock.run(function* () {
        yield* asyncio.sleep(0);
        throw new asyncio.ValueError("boom");
      }),
    );
    await assert.rejects(async () => await gen, { name: "ValueError" });
    assert.equal(lock.locked(), false);
  });
});

for (const syntax of ["generator", "async"] as const) {
  test(`Lock.run: cancelled in the body releases; cancelled while acquiring releases nothing (${syntax})`, async () => {
    await vrun(async () => {
      const lock = new asyncio.Lock();
      const inBody =
        syntax === "generator"
          ? asyncio.createTask(
              lock.run(function* () {
                yield* asyncio.sleep(10);
              }),
            )
          : asyncio.createTask(() =>
              lock.run(async () => {
                await asyncio.sleep(10);
              }),
            );
      await asyncio.sleep(1);
      assert.ok(lock.locked());
      inBody.cancel();
      await assert.rejects(async () => await inBody, asyncio.CancelledError);
      assert.equal(lock.locked(), false);

      await lock.acquire();
      let ran = false;
      const waiting = asyncio.createTask(
        lock.run(() => {
          ran = true;
        }),
      );
      await asyncio.sleep(0);
      waiting.cancel();
      await assert.rejects(async () => await waiting, asyncio.CancelledError);
      assert.equal(ran, false);
      assert.equal(lock.locked(), true); // still ours: the cancelled waiter released nothing
      lock.release();
    });
  });
}

test("await using releases a Lock, Semaphore and Condition at the end of the block", async () => {
  await vrun(async () => {
    const lock = new asyncio.Lock();
    const sem = new asyncio.Semaphore(1);
    const cond = new asyncio.Condition();
    {
      await lock.acquire();
      await using _l = lock;
      await sem.acquire();
      await using _s = sem;
      await cond.acquire();
      await using _c = cond;
      assert.ok(lock.locked() && sem.locked() && cond.locked());
    }
    assert.ok(!lock.locked() && !sem.locked() && !cond.locked());
    try {
      await lock.acquire();
      await using _l = lock;
      throw new asyncio.ValueError("boom");
    } catch (e) {
      assert.ok(e instanceof asyncio.ValueError);
    }
    assert.equal(lock.locked(), false);
  });
});

// ---- Event -----------------------------------------------------------------------------------

for (const syntax of ["generator", "async"] as const) {
  test(`Event: waiters wake in FIFO order with true; set+clear still wakes them (${syntax})`, async () => {
    await vrun(async () => {
      const ev = new asyncio.Event();
      const woke: number[] = [];
      const waiter =
        syntax === "generator"
          ? (n: number) =>
              asyncio.createTask(function* () {
                assert.equal(yield* ev.wait(), true);
                woke.push(n);
              })
          : (n: number) =>
              asyncio.createTask(async () => {
                assert.equal(await ev.wait(), true);
                woke.push(n);
              });
      const ts = [waiter(1), waiter(2), waiter(3)];
      await asyncio.sleep(0);
      assert.equal(ev._waiters.length, 3);
      ev.set();
      ev.clear();
      for (const t of ts) await t;
      assert.deepEqual(woke, [1, 2, 3]);
      assert.equal(ev.isSet(), false);
      assert.equal(ev._waiters.length, 0);
    });
  });
}

test("Event.wait on a set event does not suspend", async () => {
  await vrun(function* () {
    const ev = new asyncio.Event();
    ev.set();
    const log: string[] = [];
    asyncio.getRunningLoop().callSoon(() => log.push("callback"));
    yield* ev.wait();
    log.push("after wait");
    yield* asyncio.sleep(0);
    assert.deepEqual(log, ["after wait", "callback"]);
  });
});

test("Event.wait cancelled leaves no waiter (async)", async () => {
  await vrun(async () => {
    const ev = new asyncio.Event();
    const t = asyncio.createTask(async () => await ev.wait());
    await asyncio.sleep(0);
    t.cancel();
    await assert.rejects(async () => await t, asyncio.CancelledError);
    assert.equal(ev._waiters.length, 0);
  });
});

// ---- Condition ---------------------------------------------------------------------------------

for (const syntax of ["generator", "async"] as const) {
  test(`Condition: notify(n) wakes n waiters FIFO, after the lock is released (${syntax})`, async () => {
    await vrun(async () => {
      const cond = new asyncio.Condition();
      const got: number[] = [];
      const waiter =
        syntax === "generator"
          ? (n: number) =>
              asyncio.createTask(
                cond.run(function* () {
                  yield* cond.wait();
                  got.push(n);
                }),
              )
          : (n: number) =>
              asyncio.createTask(() =>
                cond.run(async () => {
                  await cond.wait();
                  got.push(n);
                }),
              );
      const ts = [1, 2, 3].map(waiter);
      await asyncio.sleep(0);
      await cond.acquire();
      cond.notify(2);
      await asyncio.sleep(0);
      assert.deepEqual(got, []); // the lock is still held
      cond.release();
      await asyncio.sleep(0);
      await asyncio.sleep(0);
      assert.deepEqual(got, [1, 2]);
      await cond.run(() => cond.notifyAll());
      for (const t of ts) await t;
      assert.deepEqual(got, [1, 2, 3]);
    });
  });

  test(`Condition.waitFor returns the predicate's value (${syntax})`, async () => {
    await vrun(async () => {
      const cond = new asyncio.Condition();
      let items: number[] = [];
      const consumer =
        syntax === "generator"
          ? asyncio.createTask(
              cond.run(function* () {
                return yield* cond.waitFor(() => items.length > 0 && items);
              }),
            )
          : asyncio.createTask(() =>
              cond.run(async () => await cond.waitFor(() => items.length > 0 && items)),
            );
      await asyncio.sleep(0);
      await cond.run(() => cond.notify());
      await asyncio.sleep(0);
      assert.equal(consumer.done(), false);
      await cond.run(() => {
        items = [7];
        cond.notify();
      });
      assert.deepEqual(await consumer, [7]);
    });
  });
}

test("Condition: a cancelled wait re-acquires the lock before raising", async () => {
  await vrun(async () => {
    const cond = new asyncio.Condition();
    const seen: boolean[] = [];
    const t = asyncio.createTask(() =>
      cond.run(async () => {
        try {
          await cond.wait();
        } finally {
          seen.push(cond.locked());
        }
      }),
    );
    await asyncio.sleep(0);
    await cond.acquire(); // contest the lock
    t.cancel();
    await asyncio.sleep(1);
    assert.equal(t.done(), false); // cannot re-acquire while we hold the lock
    cond.release();
    await assert.rejects(async () => await t, asyncio.CancelledError);
    assert.deepEqual(seen, [true]);
    assert.equal(cond.locked(), false);
  });
});

test("Condition with a shared lock", async () => {
  await vrun(function* () {
    const lock = new asyncio.Lock();
    const cond = new asyncio.Condition(lock);
    yield* lock.acquire();
    assert.ok(cond.locked());
    cond.release();
    assert.equal(lock.locked(), false);
  });
});

// ---- Semaphore ---------------------------------------------------------------------------------

for (const syntax of ["generator", "async"] as const) {
  test(`Semaphore admits at most its value, FIFO (${syntax})`, async () => {
    const { order, peak } = await vrun(async () => {
      const sem = new asyncio.Semaphore(2);
      let active = 0;
      let peak = 0;
      const order: number[] = [];
      const worker =
        syntax === "generator"
          ? (n: number) =>
              asyncio.createTask(
                sem.run(function* () {
                  order.push(n);
                  peak = Math.max(peak, ++active);
                  yield* asyncio.sleep(1);
                  active--;
                }),
              )
          : (n: number) =>
              asyncio.createTask(() =>
                sem.run(async () => {
                  order.push(n);
                  peak = Math.max(peak, ++active);
                  await asyncio.sleep(1);
                  active--;
                }),
              );
      const ts = [0, 1, 2, 3, 4, 5].map(worker);
      for (const t of ts) await t;
      assert.equal(asyncio.getRunningLoop().time(), 3);
      return { order, peak };
    });
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
  });
}

test("Semaphore.locked() is true while anyone (not cancelled) waits", async () => {
  await vrun(function* () {
    const sem = new asyncio.Semaphore(1);
    yield* sem.acquire();
    const w = asyncio.createTask(sem.acquire());
    yield* asyncio.sleep(0);
    sem.release(); // value 1 goes to the waiter, which has not run yet
    assert.equal(sem._value, 0);
    assert.ok(sem.locked());
    yield* w;
    sem.release();
    assert.equal(sem.locked(), false);
  });
});

// ---- Barrier -----------------------------------------------------------------------------------

test("Barrier (generator syntax): indices, reuse, abort, reset", async () => {
  await vrun(function* () {
    const b = new asyncio.Barrier(3);
    const round = () =>
      [0, 1, 2].map((k) =>
        asyncio.createTask(function* () {
          yield* asyncio.sleep(k);
          return yield* b.wait();
        }),
      );
    for (let r = 0; r < 2; r++) {
      const ts = round();
      const got: unknown[] = [];
      for (const t of ts) got.push(yield* t);
      assert.deepEqual(got, [0, 1, 2]);
      assert.equal(b.nWaiting, 0);
    }
    const w = asyncio.createTask(b.wait());
    yield* asyncio.sleep(0);
    assert.equal(b.nWaiting, 1);
    yield* b.abort();
    try {
      yield* w;
      assert.fail("expected BrokenBarrierError");
    } catch (e) {
      assert.ok(e instanceof asyncio.BrokenBarrierError);
      assert.equal(e.message, "Abort or reset of barrier");
    }
    assert.ok(b.broken);
    yield* b.reset();
    assert.equal(b.broken, false);
  });
});

test("non-numbers as counts fail with Python's comparison TypeErrors", async () => {
  const cmp = (op: string, a: string, b: string) => ({
    name: "TypeError",
    message: `'${op}' not supported between instances of '${a}' and '${b}'`,
  });
  assert.throws(() => new asyncio.Semaphore("2" as never), cmp("<", "str", "int"));
  assert.throws(() => new asyncio.BoundedSemaphore(null as never), cmp("<", "NoneType", "int"));
  assert.throws(() => new asyncio.Barrier("3" as never), cmp("<", "str", "int"));
  await vrun(function* () {
    const cond = new asyncio.Condition();
    yield* cond.acquire();
    cond.notify("1" as never); // no waiter: nothing is compared
    const waiter = asyncio.createTask(cond.run(() => cond.wait()));
    cond.release();
    yield* asyncio.sleep(0);
    yield* cond.acquire();
    assert.throws(() => cond.notify("1" as never), cmp(">=", "int", "str"));
    cond.notify();
    cond.release();
    yield* waiter;
  });
});

test("Condition.waitFor: Python truthiness (an empty array is false) and a subclass's wait() is what it calls", async () => {
  await asyncio.run(async () => {
    const calls: string[] = [];
    class C extends asyncio.Condition {
      override wait(): asyncio.AwaitableCoroutine<true> {
        calls.push("C.wait");
        return super.wait();
      }
    }
    const c = new C();
    let items: number[] = [];
    const t = asyncio.createTask(() => c.run(() => c.waitFor(() => items)));
    await asyncio.sleep(0);
    assert.equal(t.done(), false);
    await c.run(async () => {
      items = [1];
      c.notifyAll();
    });
    assert.deepEqual(await t, [1]);
    assert.deepEqual(calls, ["C.wait"]);
  });
});
