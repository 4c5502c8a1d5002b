/**
 * Twin of 150_loop_call_args.py: call_later()/call_at() argument errors, Handle and TimerHandle
 * reprs, debug-mode callback checks, a closed loop.
 */

import { pyStr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function attempt(label: string, fn: () => unknown): void {
  try {
    print(`${label}: returned ${repr(fn())}`);
  } catch (e) {
    print(`${label}: ${(e as Error).name}: ${pyStr(e)}`);
  }
}
function short(h: unknown): string {
  return `${(repr(h).split(" at ")[0] ?? "").replace(/>$/, "")}>`;
}
function cb(..._a: unknown[]): void {}
const loop = asyncio.newEventLoop() as asyncio.EventLoop;
attempt("call_later str", () => loop.callLater("x" as unknown as number, cb));
attempt("call_later 1e400", () => short(loop.callLater(Number.POSITIVE_INFINITY, cb)));
let h: asyncio.Handle = loop.callSoon(cb, 1, "x");
print("handle", short(h));
h.cancel();
print("cancelled handle", repr(h));
const th = loop.callAt(5, cb, 2);
print("timer", short(th), th.when());
th.cancel();
print("cancelled timer", repr(th));
h = loop.callSoon(123 as unknown as () => void);
print("noncallable", short(h));
h.cancel();
h = loop.callSoon(cb);
print("get_context type", h.getContext().constructor.name);
loop.callSoon(() => loop.stop());
await loop.runForever();
print("after run h.cancelled", h.cancelled());
h.cancel();
print("cancel after run", h.cancelled());
loop.setDebug(true);
attempt("debug call_soon 123", () => loop.callSoon(123 as unknown as () => void));
attempt("debug call_later 123", () => loop.callLater(0, 123 as unknown as () => void));
attempt("debug call_at 123", () => loop.callAt(0, 123 as unknown as () => void));
attempt("debug call_soon_threadsafe 123", () =>
  loop.callSoonThreadsafe(123 as unknown as () => void),
);
function* co(): asyncio.Coroutine<void> {}
attempt("debug call_soon coroutinefn", () => loop.callSoon(co));
attempt("debug call_later coroutinefn", () => loop.callLater(1, co));
attempt("debug call_soon None", () => loop.callSoon(null as unknown as () => void));
loop.setDebug(false);
print("slow_callback_duration", loop.slowCallbackDuration);
loop.slowCallbackDuration = 0.5;
print("slow_callback_duration", loop.slowCallbackDuration);
print("repr", repr(loop).split(" ").slice(1).join(" "));
loop.close();
attempt("closed call_later None", () => loop.callLater(null as unknown as number, cb));
attempt("closed call_at None", () => loop.callAt(null as unknown as number, cb));
attempt("closed call_soon 123", () => loop.callSoon(123 as unknown as () => void));
attempt("closed time", () => (typeof loop.time() === "number" ? "float" : "?"));
attempt("closed stop", () => loop.stop());
attempt("closed close", () => loop.close());
attempt("closed set_debug", () => loop.setDebug(true));
attempt("closed get_debug", () => loop.getDebug());
attempt("closed create_future", () => loop.createFuture().constructor.name);
attempt("closed is_running", () => loop.isRunning());
print("repr", repr(loop).split(" ").slice(1).join(" "));
attempt("closed set_exception_handler", () => loop.setExceptionHandler(null));
