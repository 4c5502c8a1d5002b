/**
 * Twin of 93_loops_in_threads.py: a worker thread runs its own loop with asyncio.run (the policy
 * refuses getEventLoop() there when no loop is set); the main thread reaches that loop through a
 * RemoteLoop (from the loop's threadsafePort(), sent back to the main thread) to run coroutines
 * and callbacks there: results, errors and cancellation cross; a closed loop refuses work.
 *
 * The thread is a one-worker ThreadPoolExecutor running threadMain (Python's Thread(target=...)).
 */
import { isMainThread, type MessagePort } from "node:worker_threads";
import * as cf from "../src/concurrent.ts";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const notes: string[] = [];

function norm(s: string): string {
  return s.replace(/thread '[^']*'/g, "thread '<name>'");
}
function tuple(items: unknown[]): string {
  return `(${items.map((a) => repr(a)).join(", ")})`;
}

export function* job(x: number): asyncio.Coroutine<[number, boolean]> {
  yield* asyncio.sleep(0.01);
  return [x * 2, isMainThread];
}
export async function failing(): Promise<never> {
  await asyncio.sleep(0);
  throw new asyncio.ValueError("in the other loop");
}
export function* forever(): asyncio.Coroutine<void> {
  try {
    yield* asyncio.sleep(3600);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) notes.push("forever cancelled");
    throw e;
  }
}
export function note(msg: string): void {
  notes.push(`${msg} (main thread: ${isMainThread ? "True" : "False"})`);
}
export async function getNotes(): Promise<string[]> {
  return [...notes];
}

// ---- the other thread ----

let stop: asyncio.Event | null = null;

export function stopServing(): void {
  stop!.set();
}

/** The thread's body (Python's thread_main): tells the main loop it is ready, serves until stopped. */
export async function threadMain(mainLoopPort: MessagePort): Promise<[string, string]> {
  let before: string;
  try {
    asyncio.getEventLoop();
    before = "no error";
  } catch (e) {
    before = norm((e as Error).message);
  }
  const mainLoop = new asyncio.RemoteLoop(mainLoopPort);
  const result = await asyncio.run(async () => {
    stop = new asyncio.Event();
    const port = (asyncio.getRunningLoop() as asyncio.EventLoop).threadsafePort();
    mainLoop.callSoonThreadsafe(deliverReady, port, before);
    await stop.wait();
    return "served";
  });
  let after: string;
  try {
    asyncio.getEventLoop();
    after = "no error";
  } catch (e) {
    after = norm((e as Error).message);
  }
  return [result, after];
}

// ---- the main thread ----

let ready: asyncio.Future<[MessagePort, string]> | null = null;

/** Runs in the main thread, called by the other thread once its loop runs. */
export function deliverReady(port: MessagePort, before: string): void {
  ready!.setResult([port, before]);
}

cf.workerFunctions(import.meta.url, {
  job,
  failing,
  forever,
  note,
  getNotes,
  stopServing,
  threadMain,
  deliverReady,
});

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  ready = loop.createFuture();
  const thread = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
  const finished = thread.submit(threadMain, loop.threadsafePort());
  const [port, before] = await ready;
  print("in the thread, get_event_loop() before asyncio.run:", before);
  const other = new asyncio.RemoteLoop(port);
  let f: cf.Future<unknown> = other.runCoroutineThreadsafe(job, 21);
  print("future:", f instanceof cf.Future ? "concurrent.futures._base" : "?", f.constructor.name);
  print("result:", tuple((await asyncio.wrapFuture(f)) as unknown[]));
  f = other.runCoroutineThreadsafe(failing);
  try {
    await asyncio.wrapFuture(f);
  } catch (e) {
    if ((e as Error).name !== "ValueError") throw e;
    print("error crosses:", repr(e));
  }
  other.callSoonThreadsafe(note, "hello");
  f = other.runCoroutineThreadsafe(forever);
  await asyncio.sleep(0.05);
  print("cancel:", f.cancel(), f.cancelled());
  print("notes:", repr(await asyncio.wrapFuture(other.runCoroutineThreadsafe(getNotes))));
  other.callSoonThreadsafe(stopServing);
  print("thread finished:", tuple(await asyncio.wrapFuture(finished)));
  await thread.shutdown(); // Python's t.join()
  while (!other.isClosed()) await asyncio.sleep(0.001); // the port's close event
  try {
    other.runCoroutineThreadsafe(job, 1);
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("after that loop closed:", e.message);
  }
}

if (cf.isMainModule(import.meta.url)) await asyncio.run(main);
