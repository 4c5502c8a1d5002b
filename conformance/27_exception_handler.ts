/**
 * Twin of 27_exception_handler.py (3.13): the default handler's log records, a custom handler's
 * (loop, context), "Task exception was never retrieved" at garbage collection, a broken handler,
 * and the context the handler runs in.
 *
 * JavaScript differences bridged here: `1 / 0` does not throw, so the callbacks throw a
 * ZeroDivisionError class of their own; a Task collected with an unretrieved exception is gone
 * when the report is made, so the context's `future` is a CollectedFuture whose `kind` is "Task".
 */

import { pyTypeName } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

class ZeroDivisionError extends Error {
  override name = "ZeroDivisionError";
}
class KeyError extends Error {
  override name = "KeyError";
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc");

/**
 * Python's gc.collect() for a Task dropped with an unretrieved exception: collect until the
 * finalization callback has reported it (`reported()`), which in V8 takes a task turn or more.
 */
async function collect(reported: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !reported(); i++) {
    await new Promise((r) => setTimeout(r, i));
    gc?.();
    await new Promise((r) => setImmediate(r));
  }
}

const records: string[] = [];
asyncio.logger.addHandler((record) => {
  const first = record.message.split("\n")[0]!;
  const exc = record.excInfo;
  records.push(
    `[asyncio logger ${record.levelname}] ${first.split(" at /")[0]}` +
      (exc !== undefined ? ` exc_info=${pyTypeName(exc)}` : ""),
  );
});

function flush(label: string): void {
  print(label);
  for (const r of records) print("   ", r);
  records.length = 0;
}

const loop = asyncio.newEventLoop() as asyncio.EventLoop;
print("default get_exception_handler():", loop.getExceptionHandler());

function bad(..._args: unknown[]): void {
  throw new ZeroDivisionError("zde");
}

async function runBriefly(): Promise<void> {
  loop.callSoon(() => loop.stop());
  await loop.runForever();
}

// 1. default handler logs "Exception in callback <callback repr>"
loop.callSoon(bad, 1, "x");
await runBriefly();
flush("1. default handler:");

// 2. custom handler receives (loop, context)
const seen: string[] = [];
function typeName(v: unknown): string {
  return v instanceof asyncio.CollectedFuture ? v.kind : pyTypeName(v);
}
function handler(lp: asyncio.AbstractEventLoop, ctx: Record<string, unknown>): void {
  const items = Object.keys(ctx)
    .sort()
    .map((k) => {
      const v = ctx[k];
      return `${repr(k)}: ${repr(k !== "message" ? typeName(v) : String(v).split(" at /")[0])}`;
    });
  seen.push(`(${lp === loop ? "True" : "False"}, {${items.join(", ")}})`);
}
function showSeen(label: string): void {
  print(label, `[${seen.join(", ")}]`);
  seen.length = 0;
}
loop.setExceptionHandler(handler);
print("get_exception_handler() is handler:", loop.getExceptionHandler() === handler);
loop.callSoon(bad);
await runBriefly();
showSeen("2. callback error context:");

// 3. task exception never retrieved
// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* fails(): asyncio.Coroutine<never> {
  throw new KeyError("k");
}
const keep: unknown[] = [loop.createTask(fails())];
await runBriefly();
keep.length = 0; // del t
await collect(() => seen.length > 0);
showSeen("3. task exception context:");

// 4. call_exception_handler directly, arbitrary keys pass through
loop.callExceptionHandler({ message: "custom", foo: 1 });
showSeen("4. direct call:");

// 5. handler that raises -> default handler logs 'Unhandled error in exception handler'
function broken(): void {
  throw new asyncio.RuntimeError("handler broke");
}
loop.setExceptionHandler(broken);
loop.callExceptionHandler({ message: "original" });
flush("5. broken custom handler:");

// 6. reset to default
loop.setExceptionHandler(null);
loop.callExceptionHandler({ message: "no exception key", extra: [1, 2] });
flush("6. default handler without 'exception' key (extra keys are logged as 'key: repr'):");
loop.defaultExceptionHandler({ message: "", exception: new asyncio.ValueError("v") });
flush("6b. empty message -> default text:");

// 7. bad handler type
try {
  loop.setExceptionHandler(123 as unknown as asyncio.ExceptionHandler);
} catch (e) {
  if (!(e instanceof TypeError)) throw e;
  print("7. set_exception_handler(123):", e.message);
}

// 8. handler runs in the context of the failing callback/task
const v = new asyncio.ContextVar<string>("name", { default: "foo" });
const got: string[] = [];
loop.setExceptionHandler(() => {
  got.push(v.get());
});
function cbSets(): void {
  v.set("bar");
  throw new ZeroDivisionError("division by zero");
}
loop.callSoon(cbSets);
await runBriefly();
// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* taskSets(): asyncio.Coroutine<never> {
  v.set("bar-task");
  throw new ZeroDivisionError("division by zero");
}
keep.push(loop.createTask(taskSets()));
await runBriefly();
keep.length = 0;
await collect(() => got.length > 1);
print("8. contextvar seen by handler:", got);
loop.setExceptionHandler(null);

// 9. exceptions escaping a Task step are stored, not sent to the handler
// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* raising(): asyncio.Coroutine<never> {
  throw new asyncio.ValueError("stored");
}
const t9 = loop.createTask(raising());
await runBriefly();
print("9. stored on task:", repr(t9.exception()), "| logged:", records);
loop.close();
