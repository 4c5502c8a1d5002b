/**
 * Coroutines: isCoroutine / isCoroutineFunction, library coroutines made with `awaitable()`
 * (usable with `yield*` and `await`), and how awaits of each kind behave inside tasks.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pyRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

type Main<T> = asyncio.Coroutine<T> | (() => asyncio.Coroutine<T>) | (() => PromiseLike<T>);

function vrun<T>(main: Main<T>): Promise<T> {
  return asyncio.run(main as () => Promise<T>, { loopFactory: () => new VirtualTimeLoop() });
}

function loopOf(): asyncio.EventLoop {
  return asyncio.getRunningLoop() as asyncio.EventLoop;
}

/** A library coroutine: a generator function wrapped with awaitable(). */
const twice = asyncio.awaitable(function* twice(x: number): asyncio.Coroutine<number> {
  yield* asyncio.sleep(1);
  return 2 * x;
});

/** A library coroutine that takes one loop iteration (a virtual clock never moves while busy). */
const oneStep = asyncio.awaitable(function* oneStep(x: number): asyncio.Coroutine<number> {
  yield* asyncio.sleep(0);
  return x;
});

/** The method pattern: a module-level generator function, `this` passed as an argument. */
class Counter {
  n = 0;
  bump(by: number): asyncio.AwaitableCoroutine<number> {
    return bumpGen(this, by);
  }
}
const bumpGen = asyncio.awaitable(function* bump(self: Counter, by: number) {
  yield* asyncio.sleep(0);
  self.n += by;
  return self.n;
});

test("isCoroutine: generator objects, library coroutines, coroutine-like objects", () => {
  function* g(): asyncio.Coroutine<void> {}
  const gen = g();
  assert.equal(asyncio.isCoroutine(gen), true);
  const s = asyncio.sleep(0);
  assert.equal(asyncio.isCoroutine(s), true);
  s.return(undefined);
  const like = {
    next: () => ({ done: true, value: 1 }),
    throw: () => ({ done: true, value: 1 }),
    return: () => ({ done: true, value: 1 }),
    [Symbol.iterator]() {
      return this;
    },
  };
  assert.equal(asyncio.isCoroutine(like), true);
  const loop = asyncio.newEventLoop();
  assert.equal(asyncio.isCoroutine(loop.createFuture()), false);
  loop.close();
  for (const x of [null, undefined, 1, "s", Promise.resolve(), [1], g, { next() {} }]) {
    assert.equal(asyncio.isCoroutine(x), false, String(x));
  }
});

test("isCoroutineFunction: generator functions and async functions (also bound)", () => {
  function* g(): asyncio.Coroutine<void> {}
  async function a(): Promise<void> {}
  class K {}
  assert.equal(asyncio.isCoroutineFunction(g), true);
  assert.equal(asyncio.isCoroutineFunction(a), true);
  assert.equal(
    asyncio.isCoroutineFunction(async () => {}),
    true,
  );
  assert.equal(asyncio.isCoroutineFunction(a.bind(null)), true);
  assert.equal(asyncio.isCoroutineFunction(twice), true);
  assert.equal(
    asyncio.isCoroutineFunction(() => {}),
    false,
  );
  assert.equal(
    asyncio.isCoroutineFunction(function plain() {}),
    false,
  );
  assert.equal(asyncio.isCoroutineFunction(K), false);
  assert.equal(asyncio.isCoroutineFunction(g()), false);
  assert.equal(asyncio.isCoroutineFunction(null), false);
});

test("a library coroutine works with yield* and with await, and is a coroutine", async () => {
  const r = await vrun(async () => {
    const viaAwait = await twice(2);
    const viaYield = await asyncio.createTask(function* () {
      return yield* twice(3);
    });
    return [viaAwait, viaYield, loopOf().time()];
  });
  assert.deepEqual(r, [4, 6, 2]);
  assert.equal(asyncio.isCoroutine(twice(1)), true);
});

test("a library coroutine can be given to createTask, like asyncio.sleep", async () => {
  const r = await vrun(async () => {
    const t = asyncio.createTask(asyncio.sleep(5, "slept"));
    const u = asyncio.createTask(twice(4));
    return [await t, await u, loopOf().time()];
  });
  assert.deepEqual(r, ["slept", 8, 5]);
});

test("methods made with awaitable() get `this` as an argument", async () => {
  const c = new Counter();
  const r = await vrun(async () => {
    await c.bump(2);
    return yield_(c);
  });
  function yield_(counter: Counter): PromiseLike<number> {
    return asyncio.createTask(function* () {
      return yield* counter.bump(3);
    });
  }
  assert.equal(r, 5);
});

test("an awaited library coroutine runs inside the awaiting async task", async () => {
  await vrun(async () => {
    const me = asyncio.currentTask();
    const inside = asyncio.awaitable(function* (): asyncio.Coroutine<unknown> {
      const before = asyncio.currentTask();
      yield* asyncio.sleep(0);
      return [before, asyncio.currentTask()];
    });
    const [before, after] = (await inside()) as unknown[];
    assert.equal(before, me);
    assert.equal(after, me);
    // not a new task: allTasks() holds only the main task
    assert.equal(asyncio.allTasks().size, 1);
  });
});

test("awaiting a library coroutine outside any task runs it as a task of the running loop", async () => {
  const loop = new VirtualTimeLoop();
  try {
    loop.callSoon(() => {
      // a plain callback: not inside a task
      void twice(5).then((v) => {
        got = v;
      });
    });
    let got: number | null = null;
    await loop.runUntilComplete(asyncio.sleep(2));
    assert.equal(got, 10);
  } finally {
    loop.close();
  }
  // with no running loop at all
  await assert.rejects(async () => await twice(1), {
    name: "RuntimeError",
    message: "no running event loop",
  });
});

test("plain generators are coroutines: yield* runs them in the same task, no extra iteration", async () => {
  const r = await vrun(function* () {
    const log: string[] = [];
    const loop = loopOf();
    // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
    function* inner(): asyncio.Coroutine<string> {
      log.push(`inner in ${asyncio.currentTask()?.getName()}`);
      return "inner";
    }
    let ticks = 0;
    const tick = () => {
      ticks++;
      h = loop.callSoon(tick);
    };
    let h = loop.callSoon(tick);
    yield* asyncio.sleep(0);
    const t0 = ticks;
    const v = yield* inner();
    const cost = ticks - t0;
    h.cancel();
    return [v, cost, log.length];
  });
  assert.deepEqual(r, ["inner", 0, 1]);
});

test("a bare yield in a generator coroutine is exactly one loop iteration", async () => {
  const log = await vrun(function* () {
    const log: string[] = [];
    const loop = loopOf();
    loop.callSoon(() => {
      log.push("cb1");
      loop.callSoon(() => log.push("cb2"));
    });
    yield;
    log.push("after one yield");
    yield;
    log.push("after two");
    return log;
  });
  assert.deepEqual(log, ["cb1", "after one yield", "cb2", "after two"]);
});

test("async functions and generators awaiting the same kinds of things cost the same iterations", async () => {
  async function costs(): Promise<number[]> {
    const loop = loopOf();
    let ticks = 0;
    let h: asyncio.Handle;
    const tick = () => {
      ticks++;
      h = loop.callSoon(tick);
    };
    h = loop.callSoon(tick);
    const out: number[] = [];
    const measure = async (make: () => PromiseLike<unknown>) => {
      await asyncio.sleep(0);
      const t0 = ticks;
      await make();
      out.push(ticks - t0);
    };
    const done = loop.createFuture();
    done.setResult(1);
    await measure(() => done);
    await measure(() => asyncio.sleep(0));
    await measure(() => {
      const f = loop.createFuture();
      loop.callSoon(() => f.setResult(1));
      return f;
    });
    await measure(() => asyncio.createTask(async () => 1));
    await measure(() => oneStep(1));
    h!.cancel();
    return out;
  }
  function* costsGen(): asyncio.Coroutine<number[]> {
    const loop = loopOf();
    let ticks = 0;
    let h: asyncio.Handle;
    const tick = () => {
      ticks++;
      h = loop.callSoon(tick);
    };
    h = loop.callSoon(tick);
    const out: number[] = [];
    function* measure(make: () => Iterable<unknown>): asyncio.Coroutine<void> {
      yield* asyncio.sleep(0);
      const t0 = ticks;
      yield* make() as asyncio.Coroutine<unknown>;
      out.push(ticks - t0);
    }
    const done = loop.createFuture();
    done.setResult(1);
    yield* measure(() => done);
    yield* measure(() => asyncio.sleep(0));
    yield* measure(() => {
      const f = loop.createFuture();
      loop.callSoon(() => f.setResult(1));
      return f;
    });
    yield* measure(() =>
      // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
      asyncio.createTask(function* () {
        return 1;
      }),
    );
    yield* measure(() => oneStep(1));
    h!.cancel();
    return out;
  }
  const a = await vrun(costs);
  const g = await vrun(costsGen);
  assert.deepEqual(g, [0, 1, 2, 2, 1]);
  assert.deepEqual(a, g);
});

/**
 * The RuntimeWarnings Node emits while `body` runs in a debug-mode asyncio.run, which then
 * collects garbage a few times (up to `rounds`, until a warning came); null without --expose-gc.
 */
async function debugWarnings(body: () => Promise<void>, rounds: number): Promise<string[] | null> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return null; // needs --expose-gc (scripts/run-tests.mjs passes it)
  const warnings: string[] = [];
  const onWarning = (w: Error) => {
    if (w.name === "RuntimeWarning") warnings.push(w.message);
  };
  process.on("warning", onWarning);
  try {
    await asyncio.run(
      async () => {
        await body();
        for (let i = 0; i < rounds && warnings.length === 0; i++) {
          gc();
          await new Promise((r) => setTimeout(r, 5));
        }
      },
      { debug: true },
    );
  } finally {
    process.off("warning", onWarning);
  }
  return warnings;
}

test("debug mode: a library coroutine never awaited is reported under its Python name", async () => {
  const warnings = await debugWarnings(async () => {
    asyncio.sleep(1); // created, dropped, never awaited
    await asyncio.sleep(0);
  }, 20);
  if (warnings === null) return;
  assert.equal(warnings.length, 1, warnings.join("\n---\n"));
  assert.match(warnings[0]!, /^coroutine 'sleep' was never awaited\nCoroutine created at/);
});

test("debug mode: a library coroutine a task's function returns is awaited by the task (no warning)", async () => {
  const warnings = await debugWarnings(async () => {
    assert.equal(await asyncio.createTask(() => asyncio.sleep(0.001, "ok")), "ok");
  }, 5);
  if (warnings === null) return;
  assert.deepEqual(warnings, []);
});

test("isCoroutineFunction: the library's async-def methods (queue.get, lock.acquire, reader.readline, ...), as in CPython", () => {
  const q = new asyncio.LifoQueue();
  const methods: unknown[] = [
    q.get,
    q.put,
    q.join,
    new asyncio.PriorityQueue().put,
    new asyncio.Lock().acquire,
    new asyncio.Event().wait,
    new asyncio.Condition().acquire,
    new asyncio.Condition().wait,
    new asyncio.Condition().waitFor,
    new asyncio.BoundedSemaphore().acquire,
    new asyncio.Barrier(1).wait,
    new asyncio.Barrier(1).reset,
    new asyncio.Barrier(1).abort,
    asyncio.StreamReader.prototype.readline,
    asyncio.StreamReader.prototype.readexactly,
    asyncio.StreamWriter.prototype.drain,
    asyncio.StreamWriter.prototype.waitClosed,
    asyncio.Process.prototype.communicate,
    asyncio.Server.prototype.serveForever,
    asyncio.EventLoop.prototype.createConnection,
    asyncio.EventLoop.prototype.getaddrinfo,
  ];
  assert.deepEqual(
    methods.map((m) => asyncio.isCoroutineFunction(m)),
    methods.map(() => true),
  );
  // Their non-coroutine neighbours stay false, as in CPython.
  assert.equal(asyncio.isCoroutineFunction(q.getNowait), false);
  assert.equal(asyncio.isCoroutineFunction(new asyncio.Lock().release), false);
});

test("awaitable() of an unnamed generator function: its coroutines show as coroutine() in task reprs", async () => {
  const anon = [
    asyncio.awaitable(function* (): asyncio.Coroutine<void> {
      yield* asyncio.sleep(1);
    }),
  ][0]!;
  await asyncio.run(function* () {
    const t = asyncio.createTask(anon());
    yield* asyncio.sleep(0);
    assert.match(pyRepr(t), /coro=<coroutine\(\) running>/);
    t.cancel();
  });
});
