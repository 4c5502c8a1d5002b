/**
 * Twin of 62_debug_mode.py: slow callbacks and task steps logged in debug mode, the threshold,
 * "created at" in reprs, the default handler's extra keys, "Close <loop>" at DEBUG, run(debug).
 * Log messages and reprs go through the same normalization as in the Python script.
 */

import { pyTypeName } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { DEBUG, NOTSET } from "../src/log.ts";
import { print, repr } from "./_py.ts";

class ZeroDivisionError extends Error {
  override name = "ZeroDivisionError";
}

const loop = asyncio.newEventLoop() as asyncio.EventLoop;

function normalize(text: string): string[] {
  text = text
    .replace(/created at (?:\S*\/)?([^/\s]+?)\.(?:py|ts):\d+/g, "created at $1")
    .replace(/\) at \S+:\d+/g, ")")
    .replace(/coro=<[^>]*>/g, "coro=<...>")
    .replace(/took \d+\.\d{3} seconds/g, "took <t> seconds")
    .replace(/when=[\d.e+-]+/g, "when=<t>");
  return text.split("\n").filter((line) => !line.startsWith(" "));
}

const records: string[] = [];
asyncio.logger.addHandler((record) => {
  const lines = normalize(record.message);
  const exc = record.excInfo !== undefined ? ` exc_info=${pyTypeName(record.excInfo)}` : "";
  records.push(`[${record.levelname}] ${lines[0]}${exc}`);
  for (const line of lines.slice(1)) records.push(`    ${line}`);
});

function flush(label: string): void {
  print(label);
  for (const r of records) print("   ", r);
  if (records.length === 0) print("    (nothing logged)");
  records.length = 0;
}

async function runBriefly(): Promise<void> {
  loop.callSoon(() => loop.stop());
  await loop.runForever();
}

/** Python's time.sleep(): blocks the thread. */
function busy(seconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

print(
  "1. get_debug() by default:",
  loop.getDebug(),
  "| slow_callback_duration:",
  loop.slowCallbackDuration,
);
loop.setDebug(true);
print("   after set_debug(True):", loop.getDebug());

// 2. a slow callback is logged with its handle; a fast one is not
loop.callSoon(busy, 0.15);
await runBriefly();
flush("2. slow callback:");
loop.callSoon(busy, 0);
await runBriefly();
flush("   fast callback:");

// 3. slow_callback_duration is the threshold
loop.slowCallbackDuration = 0.05;
loop.callSoon(busy, 0.08);
await runBriefly();
flush("3. slow_callback_duration = 0.05, a 0.08 s callback:");
loop.slowCallbackDuration = 0.1;

// 4. a slow task step is logged as the task
// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* slowTask(): asyncio.Coroutine<void> {
  busy(0.15);
}
loop.createTask(slowTask());
await runBriefly();
flush("4. slow task step:");

// 5. reprs record where things were created
function cb(..._args: unknown[]): void {}
const h = loop.callSoon(cb, 1, "two");
print("5. handle:", normalize(repr(h))[0]);
const th = loop.callLater(10, cb);
print("   timer:", normalize(repr(th))[0]);
th.cancel();
print("   cancelled timer:", normalize(repr(th))[0]);
let fut: asyncio.Future<number> | null = new asyncio.Future<number>({ loop });
print("   future:", normalize(repr(fut))[0]);
fut.setResult(3);
print("   done future:", normalize(repr(fut))[0]);
await runBriefly();

// 6. an exception in a callback: the message shows the arguments; the handle and where it was made
function bad(_x: number): void {
  throw new ZeroDivisionError("division by zero");
}
loop.callSoon(bad, 1);
await runBriefly();
flush("6. exception in a callback:");

// 7. an exception never retrieved: where the future was created
fut = new asyncio.Future<number>({ loop });
fut.setException(new asyncio.ValueError("lost"));
fut = null;
// Python's gc.collect(): collect until the finalization callback has reported it.
for (let i = 0; i < 100 && records.length === 0; i++) {
  await new Promise((r) => setTimeout(r, i));
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setImmediate(r));
}
flush("7. exception never retrieved:");

// 8. close() logs "Close <loop>" at DEBUG, once the logger lets DEBUG through
const other = asyncio.newEventLoop();
other.setDebug(true);
other.close();
flush("8. close() with the logger at its default level:");
asyncio.logger.setLevel(DEBUG);
loop.close();
flush("   close() with the logger at DEBUG:");
loop.close();
flush("   close() again:");
asyncio.logger.setLevel(NOTSET);

// 9. run(debug=...) and Runner(debug=...)
// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* getDebug(): asyncio.Coroutine<boolean> {
  return asyncio.getRunningLoop().getDebug();
}
print(
  "9. run(debug=True):",
  await asyncio.run(getDebug(), { debug: true }),
  "| run():",
  await asyncio.run(getDebug()),
);
{
  await using r = new asyncio.Runner({ debug: true });
  print(
    "   Runner(debug=True):",
    await r.run(getDebug()),
    "| get_loop().get_debug():",
    r.getLoop().getDebug(),
  );
}
