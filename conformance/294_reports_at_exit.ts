/**
 * Twin of 294_reports_at_exit.py: a Future and a Task whose exceptions nobody retrieved, and a
 * task left pending by runUntilComplete, are reported when the process exits (newest first).
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function handler(_loop: asyncio.AbstractEventLoop, ctx: Record<string, unknown>): void {
  const obj = (ctx.future ?? ctx.task) as asyncio.Future<unknown> | asyncio.CollectedFuture;
  const name = /name='([^']*)'/.exec(repr(obj));
  const what = name !== null ? name[1] : repr(obj);
  print(
    `handler: ${ctx.message} | ${what} done=${repr(obj.done())} | ${repr(ctx.exception ?? null)}`,
  );
}

// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* fail(): asyncio.Coroutine<never> {
  throw new asyncio.ValueError("task failed");
}

function* hang(): asyncio.Coroutine<void> {
  yield* asyncio.sleep(3600);
}

const keep = await asyncio.run(function* () {
  const loop = asyncio.getRunningLoop();
  loop.setExceptionHandler(handler);
  const fut = loop.createFuture();
  fut.setException(new asyncio.KeyError("never seen"));
  const t = asyncio.createTask(fail(), { name: "failing" });
  yield* asyncio.sleep(0);
  print("task done:", t.done());
  return [fut, t];
});
print("after run");

const loop2 = asyncio.newEventLoop();
loop2.setExceptionHandler(handler);
// Boxed: a promise settled with a Task would wait for it (docs/differences.md).
// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
const [pending] = await loop2.runUntilComplete(function* () {
  return [asyncio.createTask(hang(), { name: "left pending" })];
});
print("pending task:", pending.done());
print("end of program");
// Python's globals live until the interpreter shuts down: so do these (a variable last used
// here could be collected, and its futures reported, before the process's 'exit').
process.on("exit", () => keep);
