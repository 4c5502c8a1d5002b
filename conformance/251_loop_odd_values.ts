/** Twin of 251_loop_odd_values.py: NaN deadlines, self-cancelling handles, TimerHandle order, signal handlers and close. */
import * as asyncio from "../src/index.ts";
import { excStr, print } from "./_py.ts";

const other = asyncio.newEventLoop();
const a = other.callAt(10, print);
const b = other.callAt(9, print);
print("a < b", a < b, "a > b", a > b, "b <= a", b <= a, "b >= a", b >= a);
other.close();

const loop = asyncio.newEventLoop();
loop.setExceptionHandler((_l, c) => print("handler:", c.message, excStr(c.exception)));

const h: asyncio.Handle = loop.callSoon(() => {
  h.cancel();
  throw new asyncio.ValueError("x");
});
// With a callback ready, a NaN timer is due at once (it is not >= the end time).
loop.callLater(Number.NaN, () => print("nan timer"));
loop.callLater(0.01, () => print("timer 0.01"));
loop.callLater(0.02, () => loop.stop());
await loop.runForever();

// With nothing ready, a NaN timer at the top of the heap fails the run.
loop.callLater(Number.NaN, () => print("nan timer 2"));
loop.callLater(0.01, () => print("timer 0.01 (2)"));
try {
  await loop.runForever();
} catch (e) {
  print("run_forever:", excStr(e), loop.isRunning());
}

const f = loop.createFuture<number>();
loop.callSoon(() => print("future:", String(f)));
loop.callSoon(() => f.setResult(1));
print("result:", await loop.runUntilComplete(f));

await asyncio.run(async () => {
  asyncio.getRunningLoop().addSignalHandler("SIGUSR2", print, "handler");
});
print("SIGUSR2 back to default after close:", process.listenerCount("SIGUSR2") === 0);
loop.close();
