/**
 * Twin of 42_future_callbacks.py: done callbacks are deferred with callSoon, FIFO with other
 * callbacks; removeDoneCallback; a raising callback; callback contexts; isFuture duck typing;
 * reprs with callbacks.
 */
import * as asyncio from "../src/index.ts";
import { excStr, print, repr } from "./_py.ts";

const variable = new asyncio.ContextVar<string>("var", { default: "default" });

const loop = asyncio.newEventLoop() as asyncio.EventLoop;
const log: string[] = [];

async function runOnce(): Promise<void> {
  loop.callSoon(() => loop.stop());
  await loop.runForever();
}

function named<F extends (...a: never[]) => unknown>(name: string, f: F): F {
  Object.defineProperty(f, "name", { value: name });
  return f;
}

function cb(tag: string): (fut: asyncio.Future<unknown>) => void {
  return named(tag, (fut: asyncio.Future<unknown>) => {
    log.push(`${tag}:${fut.cancelled() ? "cancelled" : String(fut.result())}`);
  });
}

// 1.12 never synchronous
let f = loop.createFuture<unknown>();
f.addDoneCallback(cb("a"));
f.addDoneCallback(cb("b"));
f.setResult(1);
print("right after set_result:", log);
await runOnce();
print("after one iteration:", log);
log.length = 0;

// 1.13 FIFO with other callSoon work
f = loop.createFuture();
f.addDoneCallback(cb("cb"));
loop.callSoon((x: string) => log.push(x), "s1");
f.setResult(7);
loop.callSoon((x: string) => log.push(x), "s2");
await runOnce();
print("interleaving:", log);
log.length = 0;

// 1.14 addDoneCallback on a done future is deferred too
f.addDoneCallback(cb("late"));
print("late callback before iteration:", log);
await runOnce();
print("late callback after iteration:", log);
log.length = 0;

// cancel() and setException() schedule the callbacks the same way
f = loop.createFuture();
f.addDoneCallback(cb("on-cancel"));
f.cancel();
print("after cancel (sync):", log);
await runOnce();
print("after cancel (iteration):", log);
log.length = 0;

f = loop.createFuture();
f.addDoneCallback((fut) => log.push(`exc:${excStr(fut.exception())}`));
f.setException(new asyncio.ValueError("v"));
await runOnce();
print("after set_exception:", log);
log.length = 0;

// 1.15 removeDoneCallback removes all registrations, returns the count
f = loop.createFuture();
const c1 = cb("c1");
const c2 = cb("c2");
f.addDoneCallback(c1);
f.addDoneCallback(c2);
f.addDoneCallback(c1);
print("remove c1 ->", f.removeDoneCallback(c1), "; again ->", f.removeDoneCallback(c1));
print("remove unknown ->", f.removeDoneCallback(cb("zz")));
f.setResult(3);
await runOnce();
print("remaining callbacks ran:", log);
log.length = 0;

// 1.16 removing callbacks before completion
f = loop.createFuture();
const r: number[] = [];
const cfirst = () => r.push(1);
f.addDoneCallback(cfirst);
f.addDoneCallback(() => r.push(17));
f.addDoneCallback(() => r.push(100));
f.removeDoneCallback(cfirst);
f.removeDoneCallback(cfirst);
f.setResult("x");
await runOnce();
print("after removing the first:", r);

// removing from a done future: callbacks already scheduled still run
f = loop.createFuture();
f.addDoneCallback(cb("scheduled"));
f.setResult(0);
print("remove after set_result ->", f.removeDoneCallback(cb("scheduled")));
await runOnce();
print("scheduled before removal still ran:", log);
log.length = 0;

// 1.17 a raising callback: the exception handler gets {exception, handle, message}
const contexts: Record<string, unknown>[] = [];
loop.setExceptionHandler((_lp, ctx) => {
  contexts.push(ctx);
});
f = loop.createFuture();
function bad(_fut: asyncio.Future<unknown>): void {
  throw new asyncio.RuntimeError("bad callback");
}
f.addDoneCallback(bad);
f.addDoneCallback(cb("after-bad"));
f.setResult(1);
await runOnce();
const ctx0 = contexts[0]!;
print(
  "raising callback: keys",
  Object.keys(ctx0).sort(),
  "| message",
  ctx0.message,
  "| exception",
  excStr(ctx0.exception),
  "| later callback ran:",
  log,
);
log.length = 0;
loop.setExceptionHandler(null);

// 1.18 callback context: the context current at addDoneCallback, or the `context` option
function showVar(tag: string): () => void {
  return () => log.push(`${tag}=${variable.get()}`);
}
f = loop.createFuture();
const ctx = asyncio.copyContext();
ctx.run(() => variable.set("explicit"));
asyncio.copyContext().run(() => {
  variable.set("at-add");
  f.addDoneCallback(showVar("implicit"));
});
f.addDoneCallback(showVar("explicit"), { context: ctx });
f.addDoneCallback(showVar("none"));
f.setResult(null);
await runOnce();
print("callback contexts:", log);
log.length = 0;

// a callback changing a variable does not change the caller's context
f = loop.createFuture();
f.addDoneCallback(() => variable.set("changed-in-callback"));
f.setResult(null);
await runOnce();
print("after a callback set the var:", variable.get());

// repr with callbacks
f = loop.createFuture();
print("repr no callbacks:", repr(f));
f.addDoneCallback(cb("one"));
print("repr 1 callback:", repr(f));
f.addDoneCallback(cb("two"));
f.addDoneCallback(cb("three"));
f.addDoneCallback(cb("four"));
print("repr 4 callbacks:", repr(f));
f.cancel();
await runOnce();
log.length = 0;

// 1.27 isFuture duck typing
class Duck {
  _asyncioFutureBlocking = false;
}
class NotDuck {
  _asyncioFutureBlocking = null;
}
print(
  "isfuture(Future class):",
  asyncio.isFuture(asyncio.Future),
  "| isfuture(duck):",
  asyncio.isFuture(new Duck()),
  "| isfuture(blocking=None):",
  asyncio.isFuture(new NotDuck()),
  "| isfuture(None):",
  asyncio.isFuture(null),
);

// _asyncioFutureBlocking while a task waits
function* main(): asyncio.Coroutine<void> {
  const fut = loop.createFuture();
  print("blocking flag on a new future:", fut._asyncioFutureBlocking);
  function* w(): asyncio.Coroutine<void> {
    yield* fut;
  }
  const t = loop.createTask(w());
  yield* asyncio.sleep(0);
  print("after the task took it:", fut._asyncioFutureBlocking);
  fut.setResult(null);
  yield* t;
}
await loop.runUntilComplete(main());
loop.close();
