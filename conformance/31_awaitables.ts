/**
 * Twin of 31_awaitables.py: the awaitable protocol (Python's `__await__` is
 * `[Symbol.iterator]()` here: a "future-like"), ensureFuture(), createTask() argument checks,
 * isCoroutine/isCoroutineFunction/isFuture.
 */
import * as asyncio from "../src/index.ts";
import { print, repr, str } from "./_py.ts";

function show(label: string, fn: () => unknown): void {
  try {
    const r = fn();
    print(
      r instanceof asyncio.Future
        ? `${label}: ok -> ${r.constructor.name}`
        : `${label}: ok -> ${repr(r)}`,
    );
  } catch (e) {
    print(`${label}: ${(e as Error).name}: ${str(e)}`);
  }
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;

  class NonIter {
    [Symbol.iterator](): number {
      return 123;
    }
  }
  class Good {
    *[Symbol.iterator](): asyncio.Coroutine<string> {
      yield* asyncio.sleep(0);
      return "good";
    }
  }
  class GenAwait {
    [Symbol.iterator](): Iterator<unknown, unknown, unknown> {
      return [][Symbol.iterator](); // an iterator that yields nothing -> result None
    }
  }
  class YieldsJunk {
    *[Symbol.iterator](): asyncio.Coroutine<void> {
      yield "junk";
    }
  }

  function* aw(o: unknown): asyncio.Coroutine<unknown> {
    return yield* o as asyncio.Coroutine<unknown>;
  }
  for (const [label, obj] of [
    ["await 1", 1],
    ["await None", null],
    ["await NonIter()", new NonIter()],
    ["await Good()", new Good()],
    ["await GenAwait()", new GenAwait()],
  ] as const) {
    try {
      const r = yield* aw(obj);
      print(`${label}: -> ${repr(r)}`);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      print(`${label}: TypeError`);
    }
  }
  try {
    yield* asyncio.createTask(aw(new YieldsJunk()));
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print(
      "task awaiting object that yields a non-future:",
      "RuntimeError:",
      str(e).split(" in task ")[0],
    );
  }

  // a bare `yield` in a generator coroutine == sleep(0)
  function* bareYield(): asyncio.Coroutine<void> {
    yield;
  }
  yield* bareYield();
  print("@types.coroutine bare yield: ok (one iteration)");

  // ensureFuture
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* coro(): asyncio.Coroutine<string> {
    return "ok";
  }
  const t = asyncio.ensureFuture(coro());
  print("ensure_future(coro) ->", t.constructor.name, yield* t);
  const f = loop.createFuture();
  print("ensure_future(future) is same object:", asyncio.ensureFuture(f) === f);
  const task = asyncio.createTask(coro());
  print("ensure_future(task) is same object:", asyncio.ensureFuture(task) === task);
  yield* task;
  const wrapped = asyncio.ensureFuture(new Good());
  print("ensure_future(awaitable) ->", wrapped.constructor.name, yield* wrapped);
  show("ensure_future('ok')", () => asyncio.ensureFuture("ok" as never));
  show("ensure_future(123)", () => asyncio.ensureFuture(123 as never));
  const other = asyncio.newEventLoop() as asyncio.EventLoop;
  show("ensure_future(future, loop=other)", () => asyncio.ensureFuture(f, { loop: other }));
  const otherF = other.createFuture();
  function* awaitOther(): asyncio.Coroutine<void> {
    yield* otherF;
  }
  try {
    yield* asyncio.createTask(awaitOther());
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print(
      "awaiting a future of another loop: RuntimeError:",
      str(e).includes("attached to a different loop")
        ? "Task <...> got Future <...> attached to a different loop"
        : str(e),
    );
  }
  other.close();
  f.cancel();

  // createTask only accepts coroutines (not arbitrary awaitables); coroutine-like objects are
  // accepted (Python's send/throw/close is next/throw/return here)
  show("create_task(Good())", () => asyncio.createTask(new Good() as never));
  class CoroLike {
    next(): IteratorResult<unknown, number> {
      return { done: true, value: 42 }; // Python: send() raises StopIteration(42)
    }
    throw(): IteratorResult<unknown, number> {
      return { done: true, value: 0 };
    }
    return(): IteratorResult<unknown, number> {
      return { done: true, value: 0 };
    }
    [Symbol.iterator](): this {
      return this;
    }
  }
  const ct = loop.createTask(new CoroLike() as unknown as asyncio.Coroutine<number>);
  print("create_task(coroutine-like object with send/throw/close) ->", yield* ct);

  // a coroutine returning a Future: the Future is the *result*, it is not awaited
  const fut = loop.createFuture();
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* returnsFuture(): asyncio.Coroutine<asyncio.Future<unknown>> {
    return fut;
  }
  const r = yield* asyncio.createTask(returnsFuture());
  print(
    "coroutine returning a future -> result is the future itself:",
    r === fut,
    "| still pending:",
    !fut.done(),
  );
  fut.cancel();

  // isCoroutine / isCoroutineFunction
  const c = coro();
  print(
    "iscoroutine(coro()):",
    asyncio.isCoroutine(c),
    "| iscoroutinefunction(coro):",
    asyncio.isCoroutineFunction(coro),
    "| iscoroutine(Good()):",
    asyncio.isCoroutine(new Good()),
    "| isfuture(task):",
    asyncio.isFuture(asyncio.ensureFuture(c)),
  );
  yield* asyncio.sleep(0);
}

await asyncio.run(main);
