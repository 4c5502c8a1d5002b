/**
 * Twin of 66_run_shutdown.py: what asyncio.run() and Runner do at shutdown — leftover tasks
 * cancelled and waited for, cleanup failures reported, then async generators, the default
 * executor and the loop closed; a Runner's leftover task living on into the next run();
 * Runner.run(..., { context }).
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const log: string[] = [];

class LoggingLoop extends asyncio.EventLoop {
  // Python's `async def` overrides log when the coroutine starts; Runner.close() runs each
  // coroutine as soon as it has it, so logging at the call is the same order.
  override shutdownAsyncgens(): asyncio.AwaitableCoroutine<void> {
    log.push("shutdown_asyncgens");
    return super.shutdownAsyncgens();
  }

  override shutdownDefaultExecutor(
    timeout: number | null = null,
  ): asyncio.AwaitableCoroutine<void> {
    log.push("shutdown_default_executor");
    return super.shutdownDefaultExecutor(timeout);
  }

  override close(): void {
    log.push(
      `close (running=${this.isRunning() ? "True" : "False"}, tasks left=${asyncio.allTasks(this).size})`,
    );
    super.close();
  }
}
const loopFactory = () => new LoggingLoop();

function handler(_loop: asyncio.AbstractEventLoop, context: Record<string, unknown>): void {
  const task = context.task as asyncio.Task<unknown>;
  log.push(
    `handler: ${context.message} / ${(context.exception as Error).name} / ${task.getName()}`,
  );
}

function* polite(): asyncio.Coroutine<void> {
  try {
    yield* asyncio.sleep(10);
  } finally {
    log.push("polite: cleanup");
    yield* asyncio.sleep(0);
    log.push("polite: cleanup done");
  }
}

function* stubborn(): asyncio.Coroutine<string> {
  try {
    yield* asyncio.sleep(10);
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    log.push("stubborn: swallows the cancellation");
  }
  yield* asyncio.sleep(0.01);
  log.push("stubborn: finishes anyway");
  return "stubborn result";
}

function* failing(): asyncio.Coroutine<void> {
  try {
    yield* asyncio.sleep(10);
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    log.push("failing: raises while cancelled");
    throw new asyncio.ValueError("cleanup failed");
  }
}

function* main(fail: boolean): asyncio.Coroutine<string> {
  (asyncio.getRunningLoop() as asyncio.EventLoop).setExceptionHandler(handler);
  asyncio.createTask(polite(), { name: "polite" });
  asyncio.createTask(stubborn(), { name: "stubborn" });
  asyncio.createTask(failing(), { name: "failing" });
  yield* asyncio.sleep(0);
  log.push("main: done");
  if (fail) throw new asyncio.ValueError("main failed");
  return "main result";
}

function show(label: string, result: unknown): void {
  // all_tasks() is a set: the leftovers are cancelled in an unspecified order, so the lines
  // logged while they are cancelled are shown sorted
  print(label, result);
  const start = log.includes("main: done") ? log.indexOf("main: done") + 1 : log.length;
  let end = start;
  while (end < log.length && !/^(handler|shutdown)/.test(log[end]!)) end++;
  const sorted = log.slice(start, end).sort();
  for (const line of [...log.slice(0, start), ...sorted, ...log.slice(end)]) print("   ", line);
  log.length = 0;
}

show("1. run(main()):", await asyncio.run(main(false), { loopFactory }));
try {
  await asyncio.run(main(true), { loopFactory });
} catch (e) {
  if (!(e instanceof asyncio.ValueError)) throw e;
  show("2. main raises: ValueError:", e);
}

// 3. a Runner: a task left by one run() keeps running in the next; close() cancels it
function* ticker(): asyncio.Coroutine<void> {
  try {
    for (;;) {
      log.push("tick");
      yield* asyncio.sleep(0);
    }
  } finally {
    log.push("ticker: cancelled at close()");
  }
}

function* startTicker(): asyncio.Coroutine<string> {
  asyncio.createTask(ticker());
  yield* asyncio.sleep(0);
  return "started";
}

function* later(): asyncio.Coroutine<string> {
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  return "later";
}

{
  await using runner = new asyncio.Runner({ loopFactory });
  show("3. first run:", await runner.run(startTicker()));
  show("   second run:", await runner.run(later()));
}
show("   after the with block:", "closed");

// 4. Runner.run(context=...) runs in that context instead of the runner's
const v = new asyncio.ContextVar<string>("var", { default: "unset" });
// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* setvar(value: string): asyncio.Coroutine<string> {
  const old = v.get();
  v.set(value);
  return old;
}
{
  await using runner = new asyncio.Runner();
  const ctx = asyncio.copyContext();
  print(
    "4. run(context=ctx):",
    await runner.run(setvar("a"), { context: ctx }),
    await runner.run(setvar("b"), { context: ctx }),
    "| ctx:",
    ctx.get(v),
    "| runner's own context:",
    await runner.run(setvar("c")),
  );
}
