/**
 * Twin of 75_concurrency_iterations.py: the loop iterations that gather, wait, waitFor,
 * timeout, TaskGroup, asCompleted and shield cost. Every scenario runs twice: once written
 * with generator coroutines ("gen") and once with async functions ("async"); both must give
 * CPython's count.
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { print, repr } from "./_py.ts";

type Scenario = [string, () => asyncio.Coroutine<unknown>, () => Promise<unknown>];

/** Python's repr of a tuple. */
function tuple(a: unknown[]): string {
  return a.length === 1 ? `(${repr(a[0])},)` : `(${a.map((x) => repr(x)).join(", ")})`;
}

/** A value whose repr is a Python tuple's. */
function pyTuple(...a: unknown[]): object {
  return { [Symbol.for("asyncio-ts.repr")]: () => tuple(a) };
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;

  function* measure(
    label: string,
    make: () => asyncio.Coroutine<unknown> | Promise<unknown>,
  ): asyncio.Coroutine<void> {
    let ticks = 0;
    let stop = false;
    const tick = (): void => {
      if (!stop) {
        ticks++;
        loop.callSoon(tick);
      }
    };
    loop.callSoon(tick);
    // Python's `await make()`. An async function must run as this task's code: a body of
    // timeout(null) (which costs nothing) is the way to call one from a generator.
    const result = yield* asyncio.timeout(null, make);
    stop = true;
    yield* asyncio.sleep(0);
    print(`${label}: ${ticks} iteration(s) -> ${repr(result)}`);
  }

  const doneFuture = <T>(v: T): asyncio.Future<T> => {
    const f = loop.createFuture<T>();
    f.setResult(v);
    return f;
  };
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* immediate<T>(v: T): asyncio.Coroutine<T> {
    return v;
  }
  async function aimmediate<T>(v: T): Promise<T> {
    return v;
  }
  function* sleep0<T>(v: T): asyncio.Coroutine<T> {
    yield* asyncio.sleep(0);
    return v;
  }
  async function asleep0<T>(v: T): Promise<T> {
    await asyncio.sleep(0);
    return v;
  }

  const scenarios: Scenario[] = [
    [
      "gather of 2 done futures",
      function* () {
        return yield* asyncio.gather([doneFuture(1), doneFuture(2)]);
      },
      async () => await asyncio.gather([doneFuture(1), doneFuture(2)]),
    ],
    [
      "gather of an immediate coroutine",
      function* () {
        return yield* asyncio.gather([immediate(1)]);
      },
      async () => await asyncio.gather([() => aimmediate(1)]),
    ],
    [
      "gather of 2 sleep(0) coroutines",
      function* () {
        return yield* asyncio.gather([sleep0(1), sleep0(2)]);
      },
      async () => await asyncio.gather([() => asleep0(1), () => asleep0(2)]),
    ],
    [
      "wait on a finished task",
      function* () {
        const t = asyncio.createTask(immediate(1));
        yield* asyncio.sleep(0);
        const [done, pending] = yield* asyncio.wait([t]);
        return pyTuple(done.size, pending.size);
      },
      async () => {
        const t = asyncio.createTask(() => aimmediate(1));
        await asyncio.sleep(0);
        const [done, pending] = await asyncio.wait([t]);
        return pyTuple(done.size, pending.size);
      },
    ],
    [
      "wait FIRST_COMPLETED",
      function* () {
        const a = asyncio.createTask(sleep0("a"));
        const b = asyncio.createTask(asyncio.sleep(1, "b"));
        const [done, pending] = yield* asyncio.wait([a, b], {
          returnWhen: asyncio.FIRST_COMPLETED,
        });
        b.cancel();
        return pyTuple(done.size, pending.size);
      },
      async () => {
        const a = asyncio.createTask(() => asleep0("a"));
        const b = asyncio.createTask(asyncio.sleep(1, "b"));
        const [done, pending] = await asyncio.wait([a, b], {
          returnWhen: asyncio.FIRST_COMPLETED,
        });
        b.cancel();
        return pyTuple(done.size, pending.size);
      },
    ],
    [
      "wait_for(immediate coroutine, 1)",
      function* () {
        return yield* asyncio.waitFor(immediate("x"), 1);
      },
      async () => await asyncio.waitFor(() => aimmediate("x"), 1),
    ],
    [
      "wait_for(sleep(0) coroutine, 1)",
      function* () {
        return yield* asyncio.waitFor(sleep0("y"), 1);
      },
      async () => await asyncio.waitFor(() => asleep0("y"), 1),
    ],
    [
      "wait_for(done future, 0)",
      function* () {
        return yield* asyncio.waitFor(doneFuture("z"), 0);
      },
      async () => await asyncio.waitFor(doneFuture("z"), 0),
    ],
    [
      "wait_for(coroutine, 0)",
      function* () {
        try {
          return yield* asyncio.waitFor(immediate("never"), 0);
        } catch (e) {
          if (e instanceof asyncio.TimeoutError) return "TimeoutError";
          throw e;
        }
      },
      async () => {
        try {
          return await asyncio.waitFor(() => aimmediate("never"), 0);
        } catch (e) {
          if (e instanceof asyncio.TimeoutError) return "TimeoutError";
          throw e;
        }
      },
    ],
    [
      "timeout(1) without await",
      function* () {
        // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
        return yield* asyncio.timeout(1, function* () {
          return "no await";
        });
      },
      async () => await asyncio.timeout(1, async () => "no await"),
    ],
    [
      "timeout(1) with sleep(0)",
      function* () {
        return yield* asyncio.timeout(1, function* () {
          yield* asyncio.sleep(0);
          return "sleep0";
        });
      },
      async () =>
        await asyncio.timeout(1, async () => {
          await asyncio.sleep(0);
          return "sleep0";
        }),
    ],
    [
      "timeout(0) with sleep(0)",
      function* () {
        try {
          yield* asyncio.timeout(0, function* () {
            yield* asyncio.sleep(0);
          });
        } catch (e) {
          if (e instanceof asyncio.TimeoutError) return "TimeoutError";
          throw e;
        }
        return undefined;
      },
      async () => {
        try {
          await asyncio.timeout(0, async () => {
            await asyncio.sleep(0);
          });
        } catch (e) {
          if (e instanceof asyncio.TimeoutError) return "TimeoutError";
          throw e;
        }
        return undefined;
      },
    ],
    [
      "TaskGroup without children",
      function* () {
        // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
        return yield* new asyncio.TaskGroup().run(function* () {
          return "empty";
        });
      },
      async () => await new asyncio.TaskGroup().run(async () => "empty"),
    ],
    [
      "TaskGroup with an immediate child",
      function* () {
        let t!: asyncio.Task<number>;
        // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
        yield* new asyncio.TaskGroup().run(function* (tg) {
          t = tg.createTask(immediate(5));
        });
        return t.result();
      },
      async () => {
        let t!: asyncio.Task<number>;
        await new asyncio.TaskGroup().run(async (tg) => {
          t = tg.createTask(() => aimmediate(5));
        });
        return t.result();
      },
    ],
    [
      "TaskGroup, body and child sleep(0)",
      function* () {
        let t!: asyncio.Task<number>;
        yield* new asyncio.TaskGroup().run(function* (tg) {
          t = tg.createTask(sleep0(6));
          yield* asyncio.sleep(0);
        });
        return t.result();
      },
      async () => {
        let t!: asyncio.Task<number>;
        await new asyncio.TaskGroup().run(async (tg) => {
          t = tg.createTask(() => asleep0(6));
          await asyncio.sleep(0);
        });
        return t.result();
      },
    ],
    [
      "TaskGroup with a failing child",
      function* () {
        // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
        function* fail(): asyncio.Coroutine<never> {
          throw new asyncio.ValueError("v");
        }
        try {
          yield* new asyncio.TaskGroup().run(function* (tg) {
            tg.createTask(fail());
            yield* asyncio.sleep(1);
          });
        } catch (eg) {
          if (eg instanceof asyncio.ExceptionGroup) return tuple([...eg.exceptions]);
          throw eg;
        }
        return undefined;
      },
      async () => {
        async function fail(): Promise<never> {
          throw new asyncio.ValueError("v");
        }
        try {
          await new asyncio.TaskGroup().run(async (tg) => {
            tg.createTask(fail);
            await asyncio.sleep(1);
          });
        } catch (eg) {
          if (eg instanceof asyncio.ExceptionGroup) return tuple([...eg.exceptions]);
          throw eg;
        }
        return undefined;
      },
    ],
    [
      "as_completed, plain, 2 done futures",
      function* () {
        const out: number[] = [];
        for (const f of asyncio.asCompleted([doneFuture(1), doneFuture(2)])) out.push(yield* f);
        return out.sort();
      },
      async () => {
        const out: number[] = [];
        for (const f of asyncio.asCompleted([doneFuture(1), doneFuture(2)])) out.push(await f);
        return out.sort();
      },
    ],
    [
      "as_completed, async for, 2 done futures",
      function* () {
        const out: number[] = [];
        const it = asyncio.asCompleted([doneFuture(1), doneFuture(2)]);
        for (let r = yield* it.anext(); !r.done; r = yield* it.anext()) out.push(r.value.result());
        return out.sort();
      },
      async () => {
        const out: number[] = [];
        for await (const f of asyncio.asCompleted([doneFuture(1), doneFuture(2)])) {
          out.push((f as unknown as asyncio.Future<number>).result());
        }
        return out.sort();
      },
    ],
    [
      "shield of a call_soon future",
      function* () {
        const f = loop.createFuture<string>();
        loop.callSoon(() => f.setResult("shielded"));
        return yield* asyncio.shield(f);
      },
      async () => {
        const f = loop.createFuture<string>();
        loop.callSoon(() => f.setResult("shielded"));
        return await asyncio.shield(f);
      },
    ],
  ];

  for (const [name, gen, asy] of scenarios) {
    yield* measure(`${name} [gen]`, gen);
    yield* measure(`${name} [async]`, asy);
  }

  // interleaving: two tasks, each running a TaskGroup whose children sleep(0) twice
  const trace: string[] = [];
  function* child(tag: string): asyncio.Coroutine<void> {
    for (let i = 0; i < 2; i++) {
      trace.push(`${tag}${i}`);
      yield* asyncio.sleep(0);
    }
  }
  async function achild(tag: string): Promise<void> {
    for (let i = 0; i < 2; i++) {
      trace.push(`${tag}${i}`);
      await asyncio.sleep(0);
    }
  }
  function* group(tag: string): asyncio.Coroutine<void> {
    // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
    yield* new asyncio.TaskGroup().run(function* (tg) {
      tg.createTask(child(`${tag}1`));
      tg.createTask(child(`${tag}2`));
      trace.push(`${tag}-body`);
    });
    trace.push(`${tag}-after`);
  }
  async function agroup(tag: string): Promise<void> {
    await new asyncio.TaskGroup().run(async (tg) => {
      tg.createTask(() => achild(`${tag}1`));
      tg.createTask(() => achild(`${tag}2`));
      trace.push(`${tag}-body`);
    });
    trace.push(`${tag}-after`);
  }
  yield* asyncio.gather([group("A"), group("B")]);
  print("interleaving [gen]:", trace.join(" "));
  trace.length = 0;
  yield* asyncio.gather([() => agroup("A"), () => agroup("B")]);
  print("interleaving [async]:", trace.join(" "));

  // interleaving of timeout bodies with a ticker
  trace.length = 0;
  function* timed(tag: string): asyncio.Coroutine<void> {
    yield* asyncio.timeout(1, function* () {
      for (let i = 0; i < 3; i++) {
        trace.push(`${tag}${i}`);
        yield* asyncio.sleep(0);
      }
    });
    trace.push(`${tag}-exit`);
  }
  function* ticker(): asyncio.Coroutine<void> {
    for (let i = 0; i < 4; i++) {
      trace.push(`t${i}`);
      yield* asyncio.sleep(0);
    }
  }
  yield* asyncio.gather([timed("x"), ticker(), timed("y")]);
  print("timeout bodies [gen]:", trace.join(" "));
  trace.length = 0;
  async function atimed(tag: string): Promise<void> {
    await asyncio.timeout(1, async () => {
      for (let i = 0; i < 3; i++) {
        trace.push(`${tag}${i}`);
        await asyncio.sleep(0);
      }
    });
    trace.push(`${tag}-exit`);
  }
  async function aticker(): Promise<void> {
    for (let i = 0; i < 4; i++) {
      trace.push(`t${i}`);
      await asyncio.sleep(0);
    }
  }
  yield* asyncio.gather([() => atimed("x"), aticker, () => atimed("y")]);
  print("timeout bodies [async]:", trace.join(" "));
}

await asyncio.run(main(), { loopFactory: () => new VirtualTimeLoop() });
