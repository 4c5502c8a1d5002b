/**
 * Twin of 92_asyncio_executors.py (generator coroutines): runInExecutor with the default and an
 * explicit executor, setDefaultExecutor's check, cancelling a call that has not started, toThread's
 * context copy, wrapFuture's conversions and iteration cost, runCoroutineThreadsafe in the
 * loop's own thread, shutdownDefaultExecutor, a closed loop.
 */
import * as cf from "../src/concurrent.ts";
import { currentThreadName } from "../src/events.ts";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const request = new asyncio.ContextVar<string>("request", { default: "none" });

function sleepSync(seconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

export function threadName(): string {
  return currentThreadName();
}
export function snooze<T>(seconds: number, value: T): T {
  sleepSync(seconds);
  return value;
}
export function setAndRead(value: string): [string, string] {
  const before = request.get();
  request.set(value);
  return [before, request.get()];
}
export function getRequest(): string {
  return request.get();
}
cf.workerFunctions(import.meta.url, { threadName, snooze, setAndRead, getRequest });

function tuple(items: unknown[]): string {
  return `(${items.map((a) => repr(a)).join(", ")})`;
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  print("default executor before:", loop._defaultExecutor === null);
  print("run_in_executor(None):", yield* loop.runInExecutor(null, threadName));
  print("default executor after:", loop._defaultExecutor!.constructor.name);
  try {
    loop.setDefaultExecutor({} as cf.ThreadPoolExecutor);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    print("set_default_executor(object()):", e.message);
  }

  // an explicit executor; cancelling a call that has not started
  const ex = new cf.ThreadPoolExecutor({ maxWorkers: 1, threadNamePrefix: "mine" });
  yield* loop.runInExecutor(ex, snooze, 0, null); // started (a worker starts slower than a CPython thread)
  const first = loop.runInExecutor(ex, snooze, 0.2, "first");
  yield* asyncio.sleep(0.05);
  const cfut = ex.submit(snooze, 0, "second");
  const second = asyncio.wrapFuture(cfut);
  print(
    "second is asyncio Future:",
    second instanceof asyncio.Future,
    "| cf running:",
    cfut.running(),
  );
  second.cancel();
  yield* asyncio.sleep(0);
  print("cancelled asyncio side -> concurrent cancelled:", cfut.cancelled());
  print("first:", yield* first);
  try {
    yield* second;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("second raised CancelledError");
  }
  print("run_in_executor(ex):", yield* loop.runInExecutor(ex, threadName));
  void ex.shutdown();
  try {
    yield* loop.runInExecutor(ex, threadName);
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("after ex.shutdown():", e.message);
  }

  // toThread: the context is copied; what the thread sets stays there
  request.set("req-1");
  print(
    "to_thread:",
    tuple(yield* asyncio.toThread(setAndRead, "changed-in-thread")),
    "| main still:",
    request.get(),
  );
  print("run_in_executor sees:", yield* loop.runInExecutor(null, getRequest));

  // wrapFuture: the concurrent CancelledError becomes asyncio's; iteration accounting
  let c = new cf.Future<string>();
  let a = asyncio.wrapFuture(c);
  c.setException(new cf.CancelledError("via exception"));
  try {
    yield* a;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print(
      "converted:",
      e.constructor === asyncio.CancelledError,
      tuple(e.args).replace(/\)$/, ",)"),
      "| asyncio future cancelled():",
      a.cancelled(),
    );
  }
  c = new cf.Future<string>();
  a = asyncio.wrapFuture(c);
  c.cancel();
  yield* asyncio.sleep(0);
  print("cancelled concurrent -> asyncio cancelled:", a.cancelled());
  const order: string[] = [];
  const ticker = (n: number) => {
    order.push(`tick${n}`);
    if (n < 4) loop.callSoon(ticker, n + 1);
  };
  c = new cf.Future<string>();
  a = asyncio.wrapFuture(c);
  loop.callSoon((v: string) => c.setResult(v), "x");
  loop.callSoon(ticker, 0);
  order.push(`await ${yield* a}`);
  print("wrap_future wake-up:", repr(order));

  // runCoroutineThreadsafe in the loop's own thread
  function* coro(): asyncio.Coroutine<string> {
    yield* asyncio.sleep(0);
    return "from coro";
  }
  const fut = asyncio.runCoroutineThreadsafe(coro(), loop);
  print(
    "run_coroutine_threadsafe:",
    fut.constructor.name,
    "done:",
    fut.done(),
    "->",
    yield* asyncio.wrapFuture(fut),
  );
  function* sleeper(): asyncio.Coroutine<void> {
    yield* asyncio.sleep(10);
  }
  const fut2 = asyncio.runCoroutineThreadsafe(sleeper(), loop);
  yield* asyncio.sleep(0);
  const me = asyncio.currentTask();
  const tasks = [...asyncio.allTasks()].filter((t) => t !== me);
  print("cancel the concurrent future:", fut2.cancel());
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  print("task cancelled:", tasks[0]!.cancelled(), "| future:", fut2.cancelled());

  yield* asyncio.ensureFuture(loop.shutdownDefaultExecutor());
  try {
    loop.runInExecutor(null, threadName);
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("after shutdown_default_executor:", e.message);
  }
  const ex2 = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
  print("explicit executor still works:", yield* loop.runInExecutor(ex2, snooze, 0, "ok"));
  void ex2.shutdown();
}

if (cf.isMainModule(import.meta.url)) {
  await asyncio.run(main);
  const loop = asyncio.newEventLoop() as asyncio.EventLoop;
  loop.close();
  try {
    loop.runInExecutor(null, threadName);
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("closed loop:", e.message);
  }
}
