/**
 * Twin of 60_loop_run_stop_close.py: stop() semantics, run_until_complete results and errors,
 * the errors inside a running loop, KeyboardInterrupt/SystemExit escaping run_forever, close().
 *
 * runForever()/runUntilComplete() return promises (JavaScript cannot block), so their errors are
 * rejections: `attempt` awaits them, and inside a coroutine they are awaited through a Future.
 */

import { isThenable } from "../src/coroutines.ts";
import * as asyncio from "../src/index.ts";
import { print, repr, str } from "./_py.ts";

function describe(label: string, e: unknown): void {
  print(`${label}: ${e instanceof Error ? e.name : typeof e}: ${str(e)}`);
}

async function attempt(label: string, fn: () => unknown): Promise<void> {
  try {
    print(`${label}: returned ${repr(await fn())}`);
  } catch (e) {
    describe(label, e);
  }
}

/** `attempt` inside a coroutine: a returned promise is awaited through a Future. */
function* attemptCo(label: string, fn: () => unknown): asyncio.Coroutine<void> {
  try {
    const r = fn();
    print(`${label}: returned ${repr(isThenable(r) ? yield* asyncio.ensureFuture(r) : r)}`);
  } catch (e) {
    describe(label, e);
  }
}

const loop = asyncio.newEventLoop() as asyncio.EventLoop;
const trace: string[] = [];
const stop = () => loop.stop();

function cb(tag: string): void {
  trace.push(tag);
}

function show(label: string): void {
  print(label, trace);
  trace.length = 0;
}

// 1. stop() before run_forever(): one iteration, including callbacks queued after stop()
loop.callSoon(cb, "queued-before-stop");
loop.stop();
loop.callSoon(cb, "queued-after-stop");
loop.callSoon(() => loop.callSoon(cb, "next-iteration"));
await loop.runForever();
show("1. stop() before run_forever():");
print("   is_running() after:", loop.isRunning());
loop.stop();
loop.stop();
await loop.runForever();
show("   stop() twice, then run_forever():");
loop.stop();
await loop.runForever();
show("   an empty iteration:");

// 2. stop() inside a callback: the rest of the iteration runs, later callbacks wait
function stopper(): void {
  trace.push("stopper");
  loop.stop();
  loop.callSoon(cb, "scheduled-by-stopper");
}
loop.callSoon(cb, "before");
loop.callSoon(stopper);
loop.callSoon(cb, "after-in-same-iteration");
await loop.runForever();
show("2. stop() in a callback:");
loop.callSoon(stop);
await loop.runForever();
show("   next run_forever():");

// 2b. stop() from a timer: the other due timers still run, a later one waits for the next run
const now = loop.time();
loop.callAt(now - 1, stop);
loop.callAt(now - 1, cb, "due-timer");
loop.callAt(now + 0.3, cb, "later-timer");
await loop.runForever();
show("2b. stop() from a timer:");
loop.callAt(now + 0.3, stop);
await loop.runForever();
show("    the later timer on the next run:");

// 3. run_until_complete: results and errors
function* coroOk(): asyncio.Coroutine<string> {
  yield* asyncio.sleep(0);
  return "ok";
}
function* coroFail(): asyncio.Coroutine<never> {
  yield* asyncio.sleep(0);
  throw new asyncio.ValueError("bad");
}
/** Python's object with `__await__`: a future-like. */
const awaitableObj = { [Symbol.iterator]: () => coroOk() };

await attempt("3. run_until_complete(coroutine)", () => loop.runUntilComplete(coroOk()));
await attempt("   run_until_complete(failing coroutine)", () => loop.runUntilComplete(coroFail()));
let fut = loop.createFuture<string>();
loop.callSoon((v: string) => fut.setResult(v), "fut-result");
await attempt("   run_until_complete(future)", () => loop.runUntilComplete(fut));
await attempt("   run_until_complete(done future)", () => loop.runUntilComplete(fut));
fut = loop.createFuture<string>();
loop.callSoon(() => fut.cancel());
await attempt("   run_until_complete(cancelled future)", () => loop.runUntilComplete(fut));
await attempt("   run_until_complete(awaitable)", () => loop.runUntilComplete(awaitableObj));
let task: asyncio.Task<unknown> = loop.createTask(coroOk());
await attempt("   run_until_complete(task)", () => loop.runUntilComplete(task));

// 4. the loop stops before the future is done
function* long(): asyncio.Coroutine<void> {
  yield* asyncio.sleep(10);
}
task = loop.createTask(long());
loop.callSoon(stop);
await attempt("4. stopped first", () => loop.runUntilComplete(task));
print("   task still pending:", !task.done());
task.cancel();
await attempt("   after cancel()", () => loop.runUntilComplete(task));

// 5. inside a running loop
let other = asyncio.newEventLoop() as asyncio.EventLoop;
function* inside(): asyncio.Coroutine<void> {
  const f = loop.createFuture();
  yield* attemptCo("5. run_until_complete inside", () => loop.runUntilComplete(f));
  yield* attemptCo("   close() while running", () => loop.close());
  yield* attemptCo("   another loop's run_until_complete", () =>
    other.runUntilComplete(other.createFuture()),
  );
  yield* attemptCo("   another loop's run_forever", () => other.runForever());
  print("   is_running() inside:", loop.isRunning(), "| other:", other.isRunning());
  // last: CPython 3.13.0's run_forever() resets the running loop's state when it refuses to run
  yield* attemptCo("   run_forever inside", () => loop.runForever());
}
await loop.runUntilComplete(inside());
other.close();

// 6. wrong arguments
await attempt("6. run_until_complete(123)", () =>
  // @ts-expect-error not an awaitable: refused at run time too
  loop.runUntilComplete(123),
);
other = asyncio.newEventLoop() as asyncio.EventLoop;
const futOther = other.createFuture();
await attempt("   future of another loop", () => loop.runUntilComplete(futOther));
other.close();

// 7. KeyboardInterrupt / SystemExit escape run_forever; the loop is reusable
function kbi(): void {
  trace.push("kbi");
  throw new asyncio.KeyboardInterrupt();
}
loop.callSoon(kbi);
loop.callSoon(cb, "after-kbi");
await attempt("7. KeyboardInterrupt in a callback", () => loop.runForever());
print("   is_running():", loop.isRunning());
show("   ran:");
loop.callSoon(stop);
await loop.runForever();
show("   the rest of that iteration on the next run:");

function* sysexit(): asyncio.Coroutine<never> {
  yield* asyncio.sleep(0);
  throw new asyncio.SystemExit(3);
}
task = loop.createTask(sysexit());
await attempt("   SystemExit in a task", () => loop.runUntilComplete(task));
print("   task done:", task.done(), "| exception:", repr(task.exception()));
await attempt("   reused", () => loop.runUntilComplete(coroOk()));

function* kbiInWaiter(): asyncio.Coroutine<void> {
  const f = loop.createFuture();
  loop.callSoon((e: unknown) => f.setException(e), new asyncio.KeyboardInterrupt());
  yield* f;
}
await attempt("   KeyboardInterrupt delivered to a task", () =>
  loop.runUntilComplete(kbiInWaiter()),
);
await attempt("   reused again", () => loop.runUntilComplete(coroOk()));

// 8. state and close()
print("8. get_debug():", loop.getDebug(), "| slow_callback_duration:", loop.slowCallbackDuration);
print("   is_closed() before:", loop.isClosed());
loop.callSoon(cb, "dropped");
loop.close();
loop.close();
print("   close() twice; is_closed():", loop.isClosed(), "| is_running():", loop.isRunning());
await attempt("   run_forever", () => loop.runForever());
fut = loop.createFuture<string>();
print("   create_future() still works:", fut.constructor.name, fut.done());
await attempt("   run_until_complete", () => loop.runUntilComplete(fut));
const coro = coroOk();
await attempt("   create_task", () => loop.createTask(coro));
coro.return("");
loop.stop();
print("   stop() on a closed loop is allowed");
show("   never ran:");
