/**
 * Twin of 29_runners.py: asyncio.run() and Runner — results, errors, non-coroutines, nesting,
 * debug, leftover tasks cancelled at shutdown, the loop closed and unset afterwards, Runner's
 * loop and context kept across runs, closed-runner errors, a cancelled main task.
 *
 * JavaScript cannot block, so run() and Runner.run() return promises: Python's blocking call
 * is an `await` here, and inside a coroutine the promise is awaited through a Future.
 */
import * as asyncio from "../src/index.ts";
import { print, repr, str } from "./_py.ts";

class ZeroDivisionError extends Error {
  override name = "ZeroDivisionError";
}

async function attempt(label: string, fn: () => unknown): Promise<void> {
  try {
    print(`${label}: returned ${repr(await fn())}`);
  } catch (e) {
    const name = e instanceof Error ? e.name : typeof e;
    print(`${label}: ${name}: ${str(e).split(" at 0x")[0]}`);
  }
}

function* ret42(): asyncio.Coroutine<number> {
  yield* asyncio.sleep(0);
  return 42;
}
await attempt("run(ret42())", () => asyncio.run(ret42()));

function* raises(): asyncio.Coroutine<never> {
  yield* asyncio.sleep(0);
  throw new asyncio.ValueError("spam");
}
await attempt("run(raises())", () => asyncio.run(raises()));
type Main = asyncio.TaskBody<unknown>;
await attempt("run(1)", () => asyncio.run(1 as unknown as Main));
// adapted: asyncio-ts takes a function returning a coroutine, so run(None) stands for a non-coroutine
await attempt("run(None)", () => asyncio.run(null as unknown as Main));
const loopForFut = asyncio.newEventLoop() as asyncio.EventLoop;
await attempt("run(future)", () => asyncio.run(loopForFut.createFuture() as unknown as Main));
loopForFut.close();

function* nested(): asyncio.Coroutine<string | undefined> {
  const c = ret42();
  try {
    yield* asyncio.ensureFuture(asyncio.run(c));
  } catch (e) {
    if (e instanceof asyncio.RuntimeError) return str(e);
    throw e;
  } finally {
    c.return(0);
  }
  return undefined;
}
print("nested run:", await asyncio.run(nested()));

// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* dbg(_expected: boolean): asyncio.Coroutine<boolean> {
  return asyncio.getRunningLoop().getDebug();
}
print(
  "debug default / debug=True:",
  await asyncio.run(dbg(false)),
  await asyncio.run(dbg(true), { debug: true }),
);

// leftover tasks are cancelled, their cleanup runs, errors during cleanup reported
const events: string[] = [];
let loTask: asyncio.Task<void> | null = null;
function* leftover(): asyncio.Coroutine<void> {
  try {
    yield* asyncio.sleep(10);
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    events.push("leftover cancelled");
    throw new ZeroDivisionError("division by zero");
  }
}
function* mainLeavesTask(): asyncio.Coroutine<number> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  loop.setExceptionHandler((_l, ctx) => {
    const exc = ctx.exception as Error;
    events.push(
      `handler: ${ctx.message} / ${exc.name} / task is leftover: ${repr(ctx.task === loTask)}`,
    );
  });
  loTask = asyncio.createTask(leftover());
  yield* asyncio.sleep(0);
  return 123;
}
print(
  "run returns before leftovers:",
  await asyncio.run(mainLeavesTask()),
  "| leftover done:",
  loTask!.done(),
  "|",
  events,
);
events.length = 0;

// adapted: the async-generator part (shutdown_asyncgens closing an open async generator) is left
// out: JavaScript has no hook that tells the loop an async generator started

// loop is closed afterwards and the current loop is reset
const captured: { loop?: asyncio.AbstractEventLoop } = {};
// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* grab(): asyncio.Coroutine<void> {
  captured.loop = asyncio.getRunningLoop();
}
await asyncio.run(grab());
print("loop closed after run:", captured.loop!.isClosed());
// adapted: instead of the policy's private _local._loop, ask get_event_loop() (set_event_loop(None) was called)
await attempt("get_event_loop() after run()", asyncio.getEventLoop);

// Runner
const runner = new asyncio.Runner();
let loop: asyncio.AbstractEventLoop;
{
  await using _ = runner;
  print("Runner.run:", await runner.run(ret42()));
  loop = runner.getLoop();
  print(
    "same loop across runs:",
    (await runner.run(grab())) === undefined && captured.loop === loop,
  );
}
print("Runner loop closed after with:", loop.isClosed());
await attempt("get_loop() after close", () => runner.getLoop());
// adapted: __enter__ has no TypeScript counterpart; run() on the closed runner checks the same state
const c = ret42();
await attempt("run() on closed runner", () => runner.run(c));
c.return(0);
{
  await using r2 = new asyncio.Runner();
  await attempt("Runner.run(123)", () => r2.run(123 as unknown as Main));
  const fut = (r2.getLoop() as asyncio.EventLoop).createFuture();
  await attempt("Runner.run(future)", () => r2.run(fut as unknown as Main));
}

const r3 = new asyncio.Runner();
const lp = r3.getLoop();
await r3.close();
await r3.close();
print("explicit close twice ok; loop closed:", lp.isClosed());

// context is kept across Runner.run calls
const cvar = new asyncio.ContextVar<number>("cvar", { default: -1 });
function* f(val: number): asyncio.Coroutine<number> {
  const old = cvar.get();
  yield* asyncio.sleep(0);
  cvar.set(val);
  return old;
}
{
  await using r4 = new asyncio.Runner();
  print("context kept across runs:", await r4.run(f(1)), await r4.run(f(2)), await r4.run(f(3)));
}
print("outer context untouched:", cvar.get());

// recursive Runner.run
{
  await using r5 = new asyncio.Runner();
  function* g(): asyncio.Coroutine<void> {}
  function* outer(): asyncio.Coroutine<string | undefined> {
    const c = g();
    try {
      yield* asyncio.ensureFuture(r5.run(c));
    } catch (e) {
      if (!(e instanceof asyncio.RuntimeError)) throw e;
      c.return();
      return str(e);
    }
    return undefined;
  }
  print("recursive Runner.run:", await r5.run(outer()));
}

// main task cancelled -> run() raises CancelledError
function* cancelsSelf(): asyncio.Coroutine<void> {
  asyncio.currentTask()!.cancel();
  yield* asyncio.sleep(1);
}
await attempt("run(task that gets cancelled)", () => asyncio.run(cancelsSelf()));
