/** Twin of 265_thread_contexts.py: the contexts of pool callbacks and of calls from a worker. */
import { setTimeout as sleepMs } from "node:timers/promises";
import type { MessagePort } from "node:worker_threads";
import * as cf from "../src/concurrent.ts";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const v = new asyncio.ContextVar<string>("v", { default: "default" });
const out: string[] = [];

/** time.sleep(s) in a worker thread or process, then x. */
export function snooze<T>(s: number, x: T): T {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, s * 1000);
  return x;
}

export function readV(tag: string): string {
  return `${tag} sees v=${v.get()}`;
}

export function* coroReadV(tag: string): asyncio.Coroutine<string> {
  yield* asyncio.sleep(0);
  return readV(tag);
}

/** Runs in a worker thread: calls into the main thread's loop. */
export async function poke(port: MessagePort): Promise<unknown[]> {
  const loop = new asyncio.RemoteLoop(port);
  const a = loop.callSoonThreadsafe(readV, "call_soon_threadsafe callback");
  const b = loop.runCoroutineThreadsafe(coroReadV, "run_coroutine_threadsafe task");
  return [await a.result(5), await b.result(5)];
}

cf.workerFunctions(import.meta.url, { snooze, readV, coroReadV, poke });

const cb =
  (tag: string) =>
  (f: cf.DoneFuture<unknown>): void => {
    out.push(`${tag}: callback sees v=${v.get()} result=${f.result()}`);
  };

async function topLevel(): Promise<void> {
  v.set("top-level");
  {
    await using ex = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
    const f = ex.submit(snooze, 0.02, 1);
    f.addDoneCallback(cb("thread pool, top level"));
    await cf.wait([f]);
    await sleepMs(20);
  }
  {
    await using px = new cf.ProcessPoolExecutor({ maxWorkers: 1 });
    const f = px.submit(snooze, 0.02, 2);
    f.addDoneCallback(cb("process pool, top level"));
    await cf.wait([f]);
    await sleepMs(20);
  }
}

async function main(): Promise<void> {
  const ex = new cf.ThreadPoolExecutor({ maxWorkers: 1 });

  async function writer(): Promise<void> {
    v.set("writer-task");
    const f = ex.submit(snooze, 0.01, 3);
    f.addDoneCallback(() => v.set("set-by-callback"));
    await asyncio.wrapFuture(f);
    out.push(`writer task after its future's callback set v: ${v.get()}`);
  }

  async function later(): Promise<void> {
    v.set("later-task");
    const f = ex.submit(snooze, 0.03, 4);
    f.addDoneCallback(cb("submitted by another task"));
    await asyncio.sleep(0.01);
    v.set("later-task-changed");
    await asyncio.wrapFuture(f);
    out.push(`later task after await sees v=${v.get()}`);
  }

  await asyncio.createTask(writer);
  await asyncio.createTask(later);
  const g = new cf.Future<number>();
  g.addDoneCallback(cb("set_result by main"));
  v.set("main-task");
  g.setResult(5);
  g.addDoneCallback(cb("already done"));
  await ex.shutdown();
  {
    // a fresh worker (the one above has the callback's value in its context)
    await using ex2 = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
    const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
    const r = await asyncio.wrapFuture(ex2.submit(poke, loop.threadsafePort()));
    out.push(`[${r.map((s) => `'${s}'`).join(", ")}]`);
  }
  out.push(`main after the worker's calls sees v=${v.get()}`);
}

if (cf.isMainModule(import.meta.url)) {
  await topLevel();
  await asyncio.run(main);
  for (const line of out) print(line);
}
