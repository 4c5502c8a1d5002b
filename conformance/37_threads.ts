/**
 * Twin of 37_threads.py: runInExecutor (context not carried), toThread (context carried,
 * errors propagate), runCoroutineThreadsafe from a worker thread through a RemoteLoop
 * (result / exception / timeout 0 / cancelled), a TypeError for a non-coroutine,
 * callSoonThreadsafe from another thread, wrapFuture.
 *
 * The functions the workers run are exported by this module and registered with
 * workerFunctions(); a worker imports this module, so the program itself only runs in the main
 * thread (Python's `if __name__ == "__main__"`).
 */
import { isMainThread, type MessagePort } from "node:worker_threads";
import { Future as ConcurrentFuture, workerFunctions } from "../src/concurrent.ts";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const cv = new asyncio.ContextVar<string>("cv", { default: "unset" });

/** Python's repr of a tuple. */
function tuple(items: unknown[]): string {
  return `(${items.map((a) => repr(a)).join(", ")})`;
}

export function blocking(x: number): [number, boolean, string] {
  return [x * 2, !isMainThread, cv.get()];
}

class KeyError extends Error {
  args: unknown[];
  constructor(...args: unknown[]) {
    super(String(args[0]));
    this.args = args;
    this.name = "KeyError";
  }
}

export function boom(): never {
  throw new KeyError("in thread");
}

export function* add(
  a: number,
  b: number,
  kw: { fail?: boolean; cancel?: boolean } = {},
): asyncio.Coroutine<number> {
  yield* asyncio.sleep(0.01);
  if (kw.fail) throw new asyncio.RuntimeError("Fail!");
  if (kw.cancel) {
    asyncio.currentTask()!.cancel();
    yield* asyncio.sleep(0);
  }
  return a + b;
}

/** Runs in a worker thread: hands add(1, 2) to the main loop and waits for it. */
export async function target(
  loopPort: MessagePort,
  kw: { timeout?: number; fail?: boolean; cancel?: boolean } = {},
): Promise<[string, unknown]> {
  const { timeout, ...rest } = kw;
  const mainLoop = new asyncio.RemoteLoop(loopPort);
  const fut = mainLoop.runCoroutineThreadsafe(add, 1, 2, rest);
  try {
    const kind = fut instanceof ConcurrentFuture ? "concurrent.futures._base.Future" : "?";
    return [kind, await fut.result(timeout ?? null)];
  } catch (e) {
    return ["raised", (e as Error).name];
  } finally {
    fut.done() || fut.cancel();
  }
}

let pending: asyncio.Future<string> | null = null;

/** Runs in the main thread, called from a worker through callSoonThreadsafe. */
export function setPending(value: string): void {
  pending!.setResult(value);
}

/** Runs in a worker thread. */
export function poke(loopPort: MessagePort): void {
  new asyncio.RemoteLoop(loopPort).callSoonThreadsafe(setPending, "from thread");
}

export function identity<T>(x: T): T {
  return x;
}

workerFunctions(import.meta.url, { blocking, boom, add, target, setPending, poke, identity });

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  cv.set("from-task");
  print(
    "run_in_executor:",
    tuple(await loop.runInExecutor(null, blocking, 21)),
    "(contextvars NOT copied)",
  );
  print("to_thread:", tuple(await asyncio.toThread(blocking, 4)), "(contextvars copied)");
  try {
    await asyncio.toThread(boom);
  } catch (e) {
    if ((e as Error).name !== "KeyError") throw e;
    print("to_thread exception propagates:", repr(e));
  }

  // run_coroutine_threadsafe from a worker thread
  const run = (kw?: object) => loop.runInExecutor(null, target, loop.threadsafePort(), kw);
  print("run_coroutine_threadsafe ok:", tuple(await run()));
  print("run_coroutine_threadsafe fail:", tuple(await run({ fail: true })));
  print("run_coroutine_threadsafe timeout=0:", tuple(await run({ timeout: 0 })));
  print("run_coroutine_threadsafe cancelled:", tuple(await run({ cancel: true })));
  await asyncio.sleep(0.02);
  try {
    asyncio.runCoroutineThreadsafe(123 as never, loop);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    print("run_coroutine_threadsafe(123):", e.message);
  }

  // call_soon_threadsafe wakes the loop
  const f = loop.createFuture<string>();
  pending = f;
  loop.runInExecutor(null, poke, loop.threadsafePort());
  print("call_soon_threadsafe:", await f);

  // wrap_future
  const cf = new ConcurrentFuture<number>();
  const af = asyncio.wrapFuture(cf);
  print(
    "wrap_future type:",
    af.constructor.name,
    "| wrap_future(asyncio future) is same:",
    asyncio.wrapFuture(af) === af,
  );
  loop.runInExecutor(null, identity, 42).addDoneCallback((r) => cf.setResult(r.result() as number));
  print("wrap_future result:", await af);
  const cf2 = new ConcurrentFuture<number>();
  const af2 = asyncio.wrapFuture(cf2);
  af2.cancel();
  await asyncio.sleep(0);
  print("cancel asyncio side -> concurrent future cancelled:", cf2.cancelled());
  const cf3 = new ConcurrentFuture<number>();
  cf3.setResult(7);
  const af3 = asyncio.wrapFuture(cf3);
  af3.cancel();
  await asyncio.sleep(0);
  print(
    "cf already done, cancel asyncio side: cf3 cancelled",
    cf3.cancelled(),
    "| af3 cancelled",
    af3.cancelled(),
  );
}

if (isMainThread) await asyncio.run(main);
