/**
 * Twin of 25_loop_callbacks.py: call_soon FIFO, one iteration per stop(), Handle.cancel,
 * call_later/call_at ordering (equal deadlines in heap order), debug-mode checks, contexts,
 * a closed loop rejecting scheduling.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const loop = asyncio.newEventLoop() as asyncio.EventLoop;
const trace: string[] = [];

/** Python's repr of a tuple. */
function tuple(args: unknown[]): string {
  return args.length === 1 ? `(${repr(args[0])},)` : `(${args.map((a) => repr(a)).join(", ")})`;
}

function cb(tag: string, ...args: unknown[]): void {
  trace.push(args.length === 0 ? tag : `${tag}${tuple(args)}`);
}

const stop = () => loop.stop();

async function runUntilIdle(): Promise<void> {
  loop.callSoon(stop); // stop after everything currently ready
  await loop.runForever();
}

// FIFO and args
for (let i = 0; i < 3; i++) loop.callSoon(cb, `soon${i}`);
loop.callSoon(cb, "args", 1, 2);
loop.callSoonThreadsafe(cb, "threadsafe");
loop.callSoon(cb, "after-threadsafe");
await runUntilIdle();
print("FIFO:", trace);
trace.length = 0;

// callbacks scheduled by a callback run in the NEXT iteration, after stop() returns
function spawner(): void {
  trace.push("spawner");
  loop.callSoon(cb, "child-of-spawner");
}
loop.callSoon(spawner);
loop.callSoon(stop);
await loop.runForever();
print("one iteration:", trace);
trace.length = 0;
await runUntilIdle();
print("next run picks up leftover:", trace);
trace.length = 0;

// cancelled handle is skipped
const h = loop.callSoon(cb, "cancelled");
loop.callSoon(cb, "kept");
print("handle.cancelled() before:", h.cancelled());
h.cancel();
h.cancel();
print("handle.cancelled() after (idempotent):", h.cancelled());
await runUntilIdle();
print("cancel skip:", trace);
trace.length = 0;

// call_later ordering by deadline (not by registration)
loop.callLater(0.03, cb, "later-0.03");
loop.callLater(0.01, cb, "later-0.01");
loop.callLater(0.02, cb, "later-0.02");
loop.callLater(0, cb, "later-0");
loop.callLater(-1, cb, "later-negative");
loop.callSoon(cb, "soon");
loop.callLater(0.05, stop);
await loop.runForever();
print("timers:", trace);
trace.length = 0;

// equal deadlines with call_at: heap order (documented as undefined); 3.11 result shown
const when = loop.time() + 0.01;
for (let i = 0; i < 8; i++) loop.callAt(when, cb, `at${i}`);
loop.callAt(when + 0.001, stop);
await loop.runForever();
print("equal call_at deadlines order:", trace);
trace.length = 0;

// TimerHandle API
const th = loop.callLater(10, cb, "never");
print(
  "TimerHandle.when() - time() ~ 10:",
  Math.round(th.when() - loop.time()),
  "| type:",
  th.constructor.name,
);
th.cancel();
print("timer cancelled:", th.cancelled());

// ready callbacks run before due timers in the same iteration? timers become ready after select
loop.callLater(0, cb, "timer0");
loop.callSoon(cb, "soon-registered-after-timer");
await runUntilIdle();
await runUntilIdle();
print("timer(0) vs call_soon:", trace);
trace.length = 0;

// errors
const noneDelay = null as unknown as number;
// Python does not check a callback's arguments when scheduling it: neither do these calls.
const loose = cb as (...args: unknown[]) => void;
for (const [label, fn] of [
  ["call_later(None)", () => loop.callLater(noneDelay, loose)],
  ["call_at(None)", () => loop.callAt(noneDelay, loose)],
] as const) {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    print(label, "->", e.message);
  }
}

// debug-mode checks for non-callables / coroutine functions
loop.setDebug(true);
function* coroFn(): asyncio.Coroutine<void> {}
const notCallable = 123 as unknown as asyncio.Callback;
for (const [label, fn] of [
  ["call_soon(coroutine function) [debug]", () => loop.callSoon(coroFn)],
  ["call_soon(123) [debug]", () => loop.callSoon(notCallable)],
] as const) {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    print(label, "->", e.message);
  }
}
loop.setDebug(false);

// context: Python's call_soon(..., context=ctx) is callSoon inside ctx.run(...)
const v = new asyncio.ContextVar<string>("v", { default: "default" });
const ctx = asyncio.copyContext();
ctx.run(() => v.set("in-ctx"));
ctx.run(() => loop.callSoon(() => trace.push(v.get())));
v.set("current");
loop.callSoon(() => trace.push(v.get()));
v.set("changed-after-scheduling");
await runUntilIdle();
print("contexts:", trace);
trace.length = 0;

// callbacks run in a copy of the context: mutations don't leak
function setter(): void {
  v.set("set-in-callback");
}
loop.callSoon(setter);
await runUntilIdle();
print("var after callback set it:", v.get());

// monotonic time
const t1 = loop.time();
const t2 = loop.time();
print("time() non-decreasing:", t2 >= t1);
loop.close();

// closed loop rejects scheduling
for (const [label, fn] of [
  ["call_soon", () => loop.callSoon(loose, 1)],
  ["call_later", () => loop.callLater(1, loose)],
  ["call_at", () => loop.callAt(1, loose)],
  ["call_soon_threadsafe", () => loop.callSoonThreadsafe(loose)],
  ["run_in_executor", () => loop.runInExecutor(null, print)],
] as const) {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print(`closed loop ${label} ->`, e.message);
  }
}
