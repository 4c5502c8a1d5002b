/**
 * Queue, LifoQueue, PriorityQueue: both coroutine syntaxes, Python ordering in PriorityQueue,
 * join/taskDone, shutdown, async iteration and forEach. The step-for-step CPython traces are in
 * conformance/21_queue_join_fairness, 80_queue_basic and 83_queue_shutdown.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

type Main<T> = asyncio.Coroutine<T> | (() => asyncio.Coroutine<T>) | (() => Promise<T>);

function vrun<T>(main: Main<T>): Promise<T> {
  return asyncio.run(main as () => Promise<T>, { loopFactory: () => new VirtualTimeLoop() });
}

function drain<T>(q: asyncio.Queue<T>): T[] {
  const out: T[] = [];
  while (!q.empty()) out.push(q.getNowait());
  return out;
}

// ---- basics ----------------------------------------------------------------------------------

test("orders: FIFO, LIFO, priority", () => {
  for (const [cls, want] of [
    [asyncio.Queue, [5, 1, 4, 2]],
    [asyncio.LifoQueue, [2, 4, 1, 5]],
    [asyncio.PriorityQueue, [1, 2, 4, 5]],
  ] as const) {
    const q = new cls<number>();
    for (const i of [5, 1, 4, 2]) q.putNowait(i);
    assert.deepEqual(drain(q), want, cls.name);
  }
});

test("maxsize is read-only; full() is qsize() >= maxsize when maxsize > 0", () => {
  const q = new asyncio.Queue<number>(2);
  assert.equal(q.maxsize, 2);
  assert.throws(() => {
    (q as unknown as { maxsize: number }).maxsize = 3;
  }, TypeError);
  q.putNowait(1);
  assert.equal(q.full(), false);
  q.putNowait(2);
  assert.equal(q.full(), true);
  assert.throws(() => q.putNowait(3), asyncio.QueueFull);
  drain(q);
  assert.throws(() => q.getNowait(), asyncio.QueueEmpty);
  assert.equal(new asyncio.Queue().full(), false);
});

test("str(): CPython's __str__", () => {
  const q = new asyncio.Queue<number>(5);
  q.putNowait(1);
  assert.equal(String(q), "<Queue maxsize=5 _queue=[1] tasks=1>");
  q.shutdown(true);
  assert.equal(String(q), "<Queue maxsize=5 shutdown>");
  const p = new asyncio.PriorityQueue<[number, string]>();
  p.putNowait([2, "b"]);
  p.putNowait([1, "a"]);
  assert.equal(String(p), "<PriorityQueue maxsize=0 _queue=[[1, 'a'], [2, 'b']] tasks=2>");
});

test("taskDone() too often is a ValueError", () => {
  const q = new asyncio.Queue<number>();
  assert.throws(() => q.taskDone(), {
    name: "ValueError",
    message: "task_done() called too many times",
  });
});

// ---- PriorityQueue ordering --------------------------------------------------------------------

test("PriorityQueue orders numbers, bigints and booleans by value", () => {
  const q = new asyncio.PriorityQueue<number | bigint | boolean>();
  for (const v of [3, 2n, true, 1.5, -1n, 0, 10n ** 20n]) q.putNowait(v);
  assert.deepEqual(drain(q), [-1n, 0, true, 1.5, 2n, 3, 10n ** 20n]);
});

test("PriorityQueue orders strings by code point, like Python", () => {
  const q = new asyncio.PriorityQueue<string>();
  // UTF-16 puts U+10000 (a surrogate pair, 0xD800...) before U+FFFF; Python does not.
  for (const v of ["\u{10000}", "\uffff", "b", "a", "ab", ""]) q.putNowait(v);
  assert.deepEqual(drain(q), ["", "a", "ab", "b", "\uffff", "\u{10000}"]);
});

test("PriorityQueue orders arrays element by element, like tuples", () => {
  const q = new asyncio.PriorityQueue<unknown[]>();
  for (const v of [[2, "a"], [1, "z"], [1, "a", 0], [1, "a"], [1], [0, [5, 1]], [0, [5]]]) {
    q.putNowait(v);
  }
  assert.deepEqual(drain(q), [
    [0, [5]],
    [0, [5, 1]],
    [1],
    [1, "a"],
    [1, "a", 0],
    [1, "z"],
    [2, "a"],
  ]);
  // Equal leading items are not compared further than needed: the second items never meet.
  const p = new asyncio.PriorityQueue<[number, object]>();
  p.putNowait([2, {}]);
  p.putNowait([1, {}]);
  assert.equal(p.getNowait()[0], 1);
});

test("PriorityQueue orders Uint8Arrays byte by byte, like bytes", () => {
  const q = new asyncio.PriorityQueue<Uint8Array>();
  for (const v of [[2], [1, 2], [1], []]) q.putNowait(Uint8Array.from(v));
  assert.deepEqual(
    drain(q).map((b) => [...b]),
    [[], [1], [1, 2], [2]],
  );
});

test("PriorityQueue: uncomparable items are a TypeError with Python's message", () => {
  class Job {}
  for (const [a, b, msg] of [
    [1, "a", "'<' not supported between instances of 'str' and 'int'"],
    [{}, {}, "'<' not supported between instances of 'dict' and 'dict'"],
    [new Job(), new Job(), "'<' not supported between instances of 'Job' and 'Job'"],
    [null, null, "'<' not supported between instances of 'NoneType' and 'NoneType'"],
    [[1, 2], [1, "x"], "'<' not supported between instances of 'str' and 'int'"],
  ] as const) {
    const q = new asyncio.PriorityQueue<unknown>();
    q.putNowait(a);
    assert.throws(() => q.putNowait(b), { name: "TypeError", message: msg });
    // As in CPython, the item stays in the heap but is not counted as a task.
    assert.equal(q.qsize(), 2);
    assert.equal(q._unfinishedTasks, 1);
  }
});

test("PriorityQueue compare option replaces Python ordering", () => {
  const q = new asyncio.PriorityQueue<{ p: number; name: string }>(0, {
    compare: (a, b) => b.p - a.p,
  });
  for (const [p, name] of [
    [1, "low"],
    [9, "high"],
    [5, "mid"],
  ] as const) {
    q.putNowait({ p, name });
  }
  assert.deepEqual(
    drain(q).map((x) => x.name),
    ["high", "mid", "low"],
  );
});

// ---- blocking put/get in both syntaxes --------------------------------------------------------

for (const syntax of ["generator", "async"] as const) {
  test(`producer/consumer with a bounded queue (${syntax})`, async () => {
    const got = await vrun(async () => {
      const q = new asyncio.Queue<number>(2);
      const got: [number, number][] = [];
      const loop = asyncio.getRunningLoop();
      const producer =
        syntax === "generator"
          ? asyncio.createTask(function* () {
              for (let i = 0; i < 6; i++) yield* q.put(i);
            })
          : asyncio.createTask(async () => {
              for (let i = 0; i < 6; i++) await q.put(i);
            });
      const consumer =
        syntax === "generator"
          ? asyncio.createTask(function* () {
              for (let i = 0; i < 6; i++) {
                yield* asyncio.sleep(1);
                got.push([loop.time(), yield* q.get()]);
                q.taskDone();
              }
            })
          : asyncio.createTask(async () => {
              for (let i = 0; i < 6; i++) {
                await asyncio.sleep(1);
                got.push([loop.time(), await q.get()]);
                q.taskDone();
              }
            });
      await asyncio.sleep(0);
      assert.equal(q.full(), true);
      assert.equal(q._putters.length, 1);
      await q.join();
      await producer;
      await consumer;
      return got;
    });
    assert.deepEqual(got, [
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 4],
      [6, 5],
    ]);
  });

  test(`a cancelled getter loses no item (${syntax})`, async () => {
    await vrun(async () => {
      const q = new asyncio.Queue<string>();
      const getter =
        syntax === "generator"
          ? () => asyncio.createTask(q.get())
          : () => asyncio.createTask(async () => await q.get());
      const a = getter();
      const b = getter();
      await asyncio.sleep(0);
      q.putNowait("x");
      a.cancel(); // a was woken for "x" but has not run
      await assert.rejects(async () => await a, asyncio.CancelledError);
      assert.equal(await b, "x");
      assert.equal(q._getters.length, 0);
    });
  });
}

test("waitFor(get(), timeout) leaves no stale getter (virtual time)", async () => {
  await vrun(async () => {
    const q = new asyncio.Queue<number>();
    const loop = asyncio.getRunningLoop();
    await assert.rejects(async () => await asyncio.waitFor(q.get(), 5), asyncio.TimeoutError);
    assert.equal(loop.time(), 5);
    assert.equal(q._getters.length, 0);
    q.putNowait(1);
    assert.equal(await asyncio.waitFor(q.get(), 5), 1);
  });
});

test("join() waits for taskDone per item, not for get()", async () => {
  await vrun(function* () {
    const q = new asyncio.Queue<number>();
    yield* q.join(); // nothing unfinished: no suspension
    q.putNowait(1);
    q.putNowait(2);
    const j = asyncio.createTask(q.join());
    q.getNowait();
    q.getNowait();
    yield* asyncio.sleep(1);
    assert.equal(j.done(), false);
    q.taskDone();
    yield* asyncio.sleep(1);
    assert.equal(j.done(), false);
    q.taskDone();
    yield* asyncio.sleep(0);
    assert.equal(j.done(), true);
  });
});

// ---- shutdown, async iteration, forEach -------------------------------------------------------

test("shutdown() wakes blocked putters and getters with QueueShutDown (async)", async () => {
  await vrun(async () => {
    const full = new asyncio.Queue<number>(1);
    full.putNowait(0);
    const putter = asyncio.createTask(async () => await full.put(1));
    const empty = new asyncio.Queue<number>();
    const getter = asyncio.createTask(async () => await empty.get());
    await asyncio.sleep(0);
    full.shutdown();
    empty.shutdown();
    await assert.rejects(async () => await putter, asyncio.QueueShutDown);
    await assert.rejects(async () => await getter, asyncio.QueueShutDown);
    assert.equal(full.getNowait(), 0); // the items left can still be taken
    assert.throws(() => full.getNowait(), asyncio.QueueShutDown);
  });
});

test("for await iterates the items until the queue is shut down", async () => {
  const seen = await vrun(async () => {
    const q = new asyncio.Queue<number>();
    const seen: unknown[] = [];
    const consumer = asyncio.createTask(async () => {
      for await (const item of q) {
        seen.push(item);
        await asyncio.sleep(1);
        q.taskDone();
      }
      seen.push("end");
    });
    for (let i = 0; i < 3; i++) await q.put(i);
    q.shutdown();
    await consumer;
    await q.join();
    return seen;
  });
  assert.deepEqual(seen, [0, 1, 2, "end"]);
});

test("Queue.anext(): the items one step at a time in a generator, done at shutdown", async () => {
  const seen = await vrun(function* () {
    const q = new asyncio.Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    asyncio.getRunningLoop().callLater(1, () => q.shutdown());
    const seen: number[] = [];
    for (;;) {
      const step = yield* q.anext();
      if (step.done) break;
      seen.push(step.value);
    }
    return seen;
  });
  assert.deepEqual(seen, [1, 2]);
});

test("leaving a for await loop early loses no item; it is cancellable", async () => {
  await vrun(async () => {
    const q = new asyncio.Queue<number>();
    for (let i = 0; i < 5; i++) q.putNowait(i);
    for await (const item of q) {
      if (item === 1) break;
    }
    assert.deepEqual(drain(q), [2, 3, 4]);
    const consumer = asyncio.createTask(async () => {
      for await (const _ of q) {
        // nothing comes
      }
    });
    await asyncio.sleep(1);
    consumer.cancel();
    await assert.rejects(async () => await consumer, asyncio.CancelledError);
    assert.equal(q._getters.length, 0);
  });
});

for (const body of ["generator", "async", "plain"] as const) {
  for (const syntax of ["generator", "async"] as const) {
    test(`forEach with a ${body} body, from a ${syntax} task`, async () => {
      const seen = await vrun(async () => {
        const q = new asyncio.Queue<number>();
        const seen: unknown[] = [];
        const me: { task: unknown } = { task: null };
        const fn =
          body === "generator"
            ? function* (item: number) {
                yield* asyncio.sleep(1);
                seen.push([item, asyncio.currentTask() === me.task]);
              }
            : body === "async"
              ? async (item: number) => {
                  await asyncio.sleep(1);
                  seen.push([item, asyncio.currentTask() === me.task]);
                }
              : (item: number) => {
                  seen.push([item, asyncio.currentTask() === me.task]);
                };
        const consumer =
          syntax === "generator"
            ? asyncio.createTask(function* () {
                me.task = asyncio.currentTask();
                yield* q.forEach(fn);
                return "end";
              })
            : asyncio.createTask(async () => {
                me.task = asyncio.currentTask();
                await q.forEach(fn);
                return "end";
              });
        for (let i = 0; i < 3; i++) await q.put(i);
        q.shutdown();
        seen.push(await consumer);
        return seen;
      });
      assert.deepEqual(seen, [[0, true], [1, true], [2, true], "end"]);
    });
  }
}

test("forEach: an error in the body ends it with that error", async () => {
  await vrun(function* () {
    const q = new asyncio.Queue<number>();
    q.putNowait(1);
    try {
      yield* q.forEach(() => {
        throw new asyncio.ValueError("bad item");
      });
      assert.fail("expected ValueError");
    } catch (e) {
      assert.ok(e instanceof asyncio.ValueError);
    }
  });
});

test("get()/put() return library coroutines (called directly, not through awaitable's wrapper)", async () => {
  await vrun(async () => {
    const q = new asyncio.Queue<number>(1);
    const put = q.put(1);
    const get = q.get();
    assert.equal(asyncio.isCoroutine(put), true);
    assert.equal(asyncio.isCoroutine(get), true);
    // Nothing runs before the coroutine is awaited, as in Python.
    assert.equal(q.qsize(), 0);
    await put;
    assert.equal(q.qsize(), 1);
    assert.equal(await get, 1);
    // `yield*` inside a generator task works the same way.
    const t = asyncio.createTask(function* () {
      yield* q.put(2);
      return yield* q.get();
    });
    assert.equal(await t, 2);
  });
});

test("a queue whose maxsize is not a number fails at full(), as Python's comparison does", () => {
  const q = new asyncio.Queue("x" as never);
  assert.equal(q.qsize(), 0);
  assert.throws(() => q.full(), {
    name: "TypeError",
    message: "'<=' not supported between instances of 'str' and 'int'",
  });
  assert.throws(() => q.putNowait(1), { name: "TypeError" });
});

test("PriorityQueue: items equal by content (dicts, maps) compare as Python's == says", () => {
  const q = new asyncio.PriorityQueue<unknown[]>();
  q.putNowait([1, { k: 1 }, 2]);
  q.putNowait([1, { k: 1 }, 1]);
  assert.deepEqual(q.getNowait(), [1, { k: 1 }, 1]);
  q.putNowait([1, new Map([["k", 1]]), 0]);
  assert.throws(() => q.putNowait([1, new Map([["k", 2]]), 0]), {
    message: "'<' not supported between instances of 'dict' and 'dict'",
  });
});

test("for await hands out the items themselves: a queue of Tasks, Futures and promises gives those objects, not their results, without waiting for them", async () => {
  await asyncio.run(async () => {
    const q = new asyncio.Queue<unknown>();
    const failing = asyncio.createTask(async () => {
      await asyncio.sleep(0.01);
      throw new asyncio.ValueError("job failed");
    });
    const never = asyncio.getRunningLoop().createFuture();
    const promise = Promise.resolve("p");
    for (const item of [failing, never, promise, "plain"]) q.putNowait(item);
    q.shutdown();
    const got: unknown[] = [];
    for await (const item of q) got.push(item);
    assert.deepEqual(got, [failing, never, promise, "plain"]);
    assert.equal(failing.done(), false);
    await assert.rejects(async () => {
      await failing;
    }, /job failed/);
    never.cancel();
    // the iterator is itself async-iterable (as Python's aiter(queue) result is)
    const q2 = new asyncio.Queue<number>();
    for (const n of [1, 2, 3]) q2.putNowait(n);
    q2.shutdown();
    const it = q2[Symbol.asyncIterator]();
    assert.deepEqual(await it.next(), { value: 1, done: false });
    const rest: number[] = [];
    for await (const n of it) rest.push(n);
    assert.deepEqual(rest, [2, 3]);
  });
});

test("put() returns what a subclass's putNowait() returns, as CPython's put()", async () => {
  class Counting<T> extends asyncio.Queue<T> {
    n = 0;
    override putNowait(item: T): number {
      super.putNowait(item);
      return ++this.n;
    }
  }
  const got = await asyncio.run(function* () {
    const q = new Counting<string>();
    return [yield* q.put("a"), yield* q.put("b")];
  });
  assert.deepEqual(got, [1, 2]);
});

test("a subclass may keep its items in a Set (`_init`/`_put`/`_get`): qsize, empty, full and get() follow its size", async () => {
  class SetQueue extends asyncio.Queue<string> {
    override _init(): Set<string> {
      return new Set<string>();
    }
    override _put(item: string): void {
      (this._queue as Set<string>).add(item);
    }
    override _get(): string {
      const items = this._queue as Set<string>;
      const first = items.values().next().value as string;
      items.delete(first);
      return first;
    }
  }
  await vrun(function* () {
    const q = new SetQueue(2);
    q.putNowait("a");
    q.putNowait("a");
    assert.deepEqual([q.qsize(), q.empty(), q.full()], [1, false, false]);
    q.putNowait("b");
    assert.deepEqual([q.qsize(), q.full()], [2, true]);
    assert.equal(String(q), "<SetQueue maxsize=2 _queue=['a', 'b'] tasks=3>");
    assert.deepEqual([q.getNowait(), q.getNowait(), q.empty()], ["a", "b", true]);
    assert.throws(() => q.getNowait(), asyncio.QueueEmpty);
    const getter = asyncio.createTask(q.get());
    yield* asyncio.sleep(0);
    assert.equal(getter.done(), false);
    q.putNowait("c");
    assert.equal(yield* getter, "c");
  });
});
