/**
 * Twin of 48_awaitables_more.py: ensureFuture() on future-likes (Python's `__await__` is
 * `[Symbol.iterator]()`), on a loop that is not running, loop mismatches; isCoroutine,
 * isCoroutineFunction (Python's `functools.partial` is `bind`), isFuture.
 */
import * as asyncio from "../src/index.ts";
import { excStr, print } from "./_py.ts";

class NonIter {
  [Symbol.iterator](): number {
    return 123;
  }
}

class WaitsOn<T> {
  constructor(readonly fut: asyncio.Future<T>) {}
  *[Symbol.iterator](): asyncio.Coroutine<string> {
    const v = yield* this.fut;
    return `waited:${v}`;
  }
}

class BareYield {
  *[Symbol.iterator](): asyncio.Coroutine<string> {
    yield;
    return "after one bare yield";
  }
}

class Raises {
  // biome-ignore lint/correctness/useYield: a generator that fails on its first step
  *[Symbol.iterator](): asyncio.Coroutine<void> {
    throw new asyncio.ValueError("from __await__");
  }
}

// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* coro(): asyncio.Coroutine<string> {
  return "coro-result";
}

type Awaitable<T> = asyncio.FutureLike<T>;

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;

  let t: asyncio.Future<unknown> = asyncio.ensureFuture(
    new NonIter() as unknown as Awaitable<unknown>,
  );
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    print("ensure_future(awaitable with a bad __await__) -> task fails:", excStr(e));
  }

  const fut = loop.createFuture<number>();
  const w = asyncio.ensureFuture(new WaitsOn(fut));
  yield* asyncio.sleep(0);
  print("future-like waiting on a future: task done?", w.done());
  fut.setResult(7);
  print("then:", yield* w);

  const ticks: number[] = [];
  loop.callSoon((x: number) => ticks.push(x), 1);
  const r = yield* new BareYield();
  print("future-like with a bare yield:", r, "| callbacks that ran meanwhile:", ticks);

  try {
    yield* new Raises();
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print("future-like raising:", excStr(e));
  }
  t = asyncio.ensureFuture(new Raises());
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print("ensure_future(raising future-like) -> task fails:", excStr(e));
  }

  const other = asyncio.newEventLoop();
  const task = asyncio.createTask(coro());
  try {
    asyncio.ensureFuture(task, { loop: other });
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print("ensure_future(task, loop=other):", excStr(e));
  }
  yield* task;
  other.close();

  function plain(): void {}
  async function afn(): Promise<void> {}
  const c = coro();
  print(
    "iscoroutine:",
    asyncio.isCoroutine(c),
    asyncio.isCoroutine(loop.createFuture()),
    asyncio.isCoroutine(null),
    asyncio.isCoroutine(123),
    asyncio.isCoroutine(new WaitsOn(fut)),
  );
  print(
    "iscoroutinefunction:",
    asyncio.isCoroutineFunction(afn),
    asyncio.isCoroutineFunction(plain),
    asyncio.isCoroutineFunction(() => null),
    asyncio.isCoroutineFunction(afn.bind(null)),
    asyncio.isCoroutineFunction(c),
  );
  print(
    "isfuture:",
    asyncio.isFuture(task),
    asyncio.isFuture(fut),
    asyncio.isFuture(c),
    asyncio.isFuture(new WaitsOn(fut)),
  );
  yield* c;
}

await asyncio.run(main);

// ensureFuture on a loop that is not running: a Task of that loop, run later
const loop = asyncio.newEventLoop() as asyncio.EventLoop;
const t = asyncio.ensureFuture(coro(), { loop });
print(
  "ensure_future(coro, loop=loop):",
  t.constructor.name,
  "| its loop:",
  t.getLoop() === loop,
  "| done before running:",
  t.done(),
);
const w = asyncio.ensureFuture(new BareYield(), { loop });
print("run_until_complete ->", await loop.runUntilComplete(t), "|", await loop.runUntilComplete(w));
loop.close();
