/**
 * Twin of 07_unretrieved_exceptions.py: exceptions never retrieved, and pending tasks, are
 * reported to the loop's exception handler when the future/task is garbage-collected.
 *
 * Python's `del f; gc.collect()` becomes: each object lives only inside a function that has
 * returned, then `globalThis.gc()` (run with --expose-gc) and a few macrotasks for the
 * FinalizationRegistry callbacks. The collected object itself is gone by then, so the context
 * holds a stand-in (`CollectedFuture`) saying whether it was a Task.
 */
import { setImmediate as macrotask } from "node:timers/promises";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const events: string[] = [];

function handler(_loop: asyncio.AbstractEventLoop, ctx: Record<string, unknown>): void {
  const keys = Object.keys(ctx).sort();
  const exc = ctx.exception as Error | undefined;
  const obj = ctx.future ?? ctx.task;
  const isTask =
    obj instanceof asyncio.Task || (obj instanceof asyncio.CollectedFuture && obj.kind === "Task");
  events.push(
    `message=${repr(ctx.message)} keys=${repr(keys)} exc=${exc ? exc.name : "None"} obj_is_task=${repr(isTask)}`,
  );
}

const gc = (globalThis as { gc?: () => void }).gc!;

async function flush(label: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await macrotask();
  }
  print(`${label}: ${events.length > 0 ? repr(events) : "nothing reported"}`);
  events.length = 0;
}

const loop = asyncio.newEventLoop() as asyncio.EventLoop;
loop.setExceptionHandler(handler);

(() => {
  const f = loop.createFuture();
  f.setException(new asyncio.RuntimeError("boom"));
})();
await flush("Future exception never retrieved");

(() => {
  const f = loop.createFuture();
  f.setException(new asyncio.RuntimeError("boom"));
  f.exception();
})();
await flush("exception() called");

(() => {
  const f = loop.createFuture();
  f.setException(new asyncio.RuntimeError("boom"));
  try {
    f.result();
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
  }
})();
await flush("result() called");

(() => {
  const f = loop.createFuture();
  f.setResult(42);
})();
await flush("result never retrieved (no report)");

(() => {
  loop.createFuture();
})();
await flush("pending future dropped (no report)");

// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* fail(): asyncio.Coroutine<void> {
  throw new asyncio.ValueError("task failed");
}

await (async () => {
  const t = loop.createTask(fail());
  await loop.runUntilComplete(asyncio.sleep(0));
  print("task done:", t.done());
})();
await flush("Task exception never retrieved");

// awaited task: retrieved by the awaiter, no report
function* awaiter(): asyncio.Coroutine<void> {
  try {
    yield* loop.createTask(fail());
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
  }
}
await loop.runUntilComplete(awaiter());
await flush("awaited failing task");

// pending task destroyed
function* killMe(): asyncio.Coroutine<void> {
  yield* loop.createFuture();
}
await (async () => {
  loop.createTask(killMe());
  await loop.runUntilComplete(asyncio.sleep(0));
})();
await flush("pending task destroyed");

// cancelled tasks never report
function* runner(): asyncio.Coroutine<void> {
  const t = loop.createTask(fail());
  t.cancel();
  yield* asyncio.sleep(0);
}
await loop.runUntilComplete(runner());
await flush("task cancelled before running");

// Error classes other than KeyboardInterrupt/SystemExit are stored in the task
// (Python: a BaseException subclass).
class MyBase extends Error {
  override name = "MyBase";
}
// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* base(): asyncio.Coroutine<void> {
  throw new MyBase();
}
await (async () => {
  const t = loop.createTask(base());
  try {
    await loop.runUntilComplete(t);
  } catch (e) {
    if (!(e instanceof MyBase)) throw e;
    print("run_until_complete re-raised MyBase; task.exception():", (t.exception() as Error).name);
  }
})();
await flush("after MyBase");
loop.close();
