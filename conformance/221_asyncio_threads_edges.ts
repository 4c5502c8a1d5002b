/**
 * Twin of 221_asyncio_threads_edges.py: a custom Executor with runInExecutor and the base map();
 * wrapFuture over a running or failing concurrent future; runCoroutineThreadsafe with a timeout
 * from a worker thread (through a RemoteLoop); toThread with a default executor set, after
 * shutdownDefaultExecutor; asyncio.run shutting its default executor down; a closed loop.
 */
import type { MessagePort } from "node:worker_threads";
import * as cf from "../src/concurrent.ts";
import { currentThreadName } from "../src/events.ts";
import * as asyncio from "../src/index.ts";
import { excStr, print, repr } from "./_py.ts";

export function threadName(): string {
  return currentThreadName();
}
export function double(x: number): number {
  return x * 2;
}
export function add(a: number, b: number): number {
  return a + b;
}

class InlineExecutor extends cf.Executor {
  calls = 0;
  submit<F extends cf.AnyFunction>(
    fn: F | cf.WorkerFunction<F>,
    ...args: Parameters<F>
  ): cf.Future<Awaited<ReturnType<F>>> {
    this.calls++;
    const f = new cf.Future<Awaited<ReturnType<F>>>();
    f.setRunningOrNotifyCancel();
    try {
      f.setResult((fn as F)(...args) as Awaited<ReturnType<F>>);
    } catch (e) {
      f.setException(e);
    }
    return f;
  }
}

const sleeperNotes: string[] = [];
export function* sleeper(): asyncio.Coroutine<void> {
  try {
    yield* asyncio.sleep(3600);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) sleeperNotes.push("sleeper cancelled");
    throw e;
  }
}

/** Runs in a worker thread: asks the main loop to run sleeper(), gives up waiting, cancels. */
export async function askWithTimeout(port: MessagePort): Promise<[string[], boolean]> {
  const loop = new asyncio.RemoteLoop(port);
  const notes: string[] = [];
  const fut = loop.runCoroutineThreadsafe(sleeper);
  try {
    await fut.result(0.05);
  } catch (e) {
    if (!(e instanceof cf.TimeoutError)) throw e;
    notes.push(`result(timeout): ${excStr(e)}`);
  }
  notes.push(`cancel: ${fut.cancel() ? "True" : "False"}`);
  try {
    await fut.result(5);
  } catch (e) {
    if (!(e instanceof cf.CancelledError)) throw e;
    notes.push(`then result(): ${excStr(e)}`);
  }
  return [notes, fut.cancelled()];
}
cf.workerFunctions(import.meta.url, { threadName, double, add, sleeper, askWithTimeout });

const kept: cf.ThreadPoolExecutor[] = [];

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  const inline = new InlineExecutor();
  print("custom executor:", await loop.runInExecutor(inline, double, 21), "calls:", inline.calls);
  const mapped: number[] = [];
  for await (const x of inline.map(add, [1, 2, 3], [9, 10])) mapped.push(x);
  print("base Executor.map:", repr(mapped), "calls:", inline.calls);
  {
    await using _ = inline;
  }
  print("custom executor after with:", await loop.runInExecutor(inline, double, 1));

  let c = new cf.Future<string>();
  c.setRunningOrNotifyCancel();
  let a = asyncio.wrapFuture(c);
  print("cancel asyncio side:", a.cancel());
  await asyncio.sleep(0);
  print("concurrent still running:", c.running(), c.cancelled());
  c.setResult("late");
  await asyncio.sleep(0);
  await asyncio.sleep(0);
  print("asyncio side stays cancelled:", a.cancelled(), "| concurrent:", c.result());

  c = new cf.Future<string>();
  a = asyncio.wrapFuture(c);
  const err = new asyncio.ValueError("boom", 1);
  c.setException(err);
  await asyncio.sleep(0);
  print("exception crosses:", excStr(a.exception()), a.exception() === err);

  const [notes, cancelled] = await loop.runInExecutor(null, askWithTimeout, loop.threadsafePort());
  print("run_coroutine_threadsafe with timeout:", repr(notes), "| future cancelled:", cancelled);
  for (let i = 0; i < 100 && sleeperNotes.length === 0; i++) await asyncio.sleep(0.01);
  print("in the loop:", repr(sleeperNotes));

  const mine = new cf.ThreadPoolExecutor({ maxWorkers: 1, threadNamePrefix: "mine" });
  kept.push(mine);
  loop.setDefaultExecutor(mine);
  print("to_thread uses the set default:", await asyncio.toThread(threadName));
  await loop.shutdownDefaultExecutor();
  await loop.shutdownDefaultExecutor();
  try {
    await asyncio.toThread(threadName);
  } catch (e) {
    print("to_thread after shutdown_default_executor:", excStr(e));
  }
  try {
    mine.submit(threadName);
  } catch (e) {
    print("the default executor itself:", excStr(e));
  }
  const fresh = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
  loop.setDefaultExecutor(fresh);
  try {
    loop.runInExecutor(null, threadName);
  } catch (e) {
    print("set_default_executor after shutdown:", excStr(e));
  }
  await fresh.shutdown();
}

async function main2(): Promise<number> {
  const ex = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
  kept.push(ex);
  (asyncio.getRunningLoop() as asyncio.EventLoop).setDefaultExecutor(ex);
  return await asyncio.toThread(double, 2);
}

if (cf.isMainModule(import.meta.url)) {
  await asyncio.run(main);
  print("asyncio.run:", await asyncio.run(main2));
  try {
    kept[kept.length - 1]!.submit(double, 1);
  } catch (e) {
    print("after asyncio.run, its default executor:", excStr(e));
  }
  const loop = asyncio.newEventLoop();
  loop.close();
  try {
    loop.callSoonThreadsafe(print, "x");
  } catch (e) {
    print("call_soon_threadsafe on a closed loop:", excStr(e));
  }
  function* nothing(): asyncio.Coroutine<void> {}
  try {
    asyncio.runCoroutineThreadsafe(nothing(), loop);
  } catch (e) {
    print("run_coroutine_threadsafe on a closed loop:", excStr(e));
  }
}
