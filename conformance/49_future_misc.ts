/**
 * Twin of 49_future_misc.py: the loop a Future made without one binds to, stepping
 * `yield* fut` by hand twice, no unretrieved-exception report after cancel() of a failed
 * future (collected with globalThis.gc(), run with --expose-gc), result reprs.
 */
import { setImmediate as macrotask } from "node:timers/promises";
import * as asyncio from "../src/index.ts";
import { excStr, print, repr } from "./_py.ts";

const gc = (globalThis as { gc?: () => void }).gc!;

/** Collects until `done()` (the expected report arrived), or a few rounds when none is expected. */
async function collect(done?: () => boolean): Promise<void> {
  for (let i = 0; i < (done === undefined ? 3 : 100); i++) {
    if (done?.() === true) return;
    gc();
    await macrotask();
  }
}

const loop = asyncio.newEventLoop() as asyncio.EventLoop;
asyncio.setEventLoop(loop);
print(
  "Future() outside a running loop binds to the current loop:",
  new asyncio.Future().getLoop() === loop,
);
asyncio.setEventLoop(null);
try {
  new asyncio.Future();
} catch (e) {
  if (!(e instanceof asyncio.RuntimeError)) throw e;
  print("Future() with no current loop:", excStr(e));
}
asyncio.setEventLoop(loop);

// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* inside(): asyncio.Coroutine<boolean> {
  return new asyncio.Future().getLoop() === asyncio.getRunningLoop();
}
print("Future() inside a running loop binds to it:", await loop.runUntilComplete(inside()));

// 1.21 `yield* fut` stepped by hand: the first yields the future, the second does not
const fut = loop.createFuture<string>();
function* gen(): Generator<unknown, string[], unknown> {
  const x = yield* fut;
  const y = yield* fut;
  return [x, y];
}
const g = gen();
print("first step yields the future:", g.next().value === fut);
fut.setResult("v");
const last = g.next();
if (last.done === true) {
  print("second step finishes without yielding:", `(${last.value.map((v) => repr(v)).join(", ")})`);
}

// 1.26 cancel() after setException() clears the report (and returns false)
const events: unknown[] = [];
loop.setExceptionHandler((_lp, ctx) => {
  events.push(ctx.message);
});
function failedThenCancelled(): boolean {
  const f = loop.createFuture();
  f.setException(new asyncio.RuntimeError("boom"));
  return f.cancel();
}
print("cancel() after set_exception:", failedThenCancelled());
await collect();
print("reported:", events);
function failedAndDropped(): void {
  const f = loop.createFuture();
  f.setException(new asyncio.RuntimeError("boom"));
}
failedAndDropped();
await collect(() => events.length > 0);
print("reported after dropping an unread failed future:", events);

// result reprs
for (const v of ["abc", [1, "two"], null, 1.5, true, "x".repeat(40)]) {
  const f = loop.createFuture();
  f.setResult(v);
  print("repr:", repr(f));
}
const f = loop.createFuture();
f.setException(new asyncio.ValueError("multi", 2));
print("repr:", repr(f));
f.exception();
asyncio.setEventLoop(null);
loop.close();
