/**
 * Twin of 71_wait_for.py (3.12+ semantics): waitFor() timeouts, timeout None / <= 0,
 * swallowed cancellation, slow cleanup, exceptions during cancellation, cancelling the
 * awaiting task, same-task execution, races. Main is an async function; a coroutine argument of
 * the Python script is a function here (run as the calling task's code, like a 3.12+ coroutine).
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { print, repr } from "./_py.ts";

class ZeroDivisionError extends Error {
  override name = "ZeroDivisionError";
}
class KeyError extends Error {
  override name = "KeyError";
}

function tuple(a: unknown[]): string {
  return a.length === 1 ? `(${repr(a[0])},)` : `(${a.map((x) => repr(x)).join(", ")})`;
}

function args(e: Error): unknown[] {
  const a = (e as { args?: unknown[] }).args;
  return Array.isArray(a) ? a : [e.message];
}

function typeName(v: unknown): string {
  return v === undefined || v === null ? "NoneType" : (v as Error).name;
}

function isTimeout(e: unknown): e is asyncio.TimeoutError {
  return e instanceof asyncio.TimeoutError;
}

const log: string[] = [];

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;

  // 1. timeout: the inner coroutine is cancelled and awaited (its finally runs) first
  async function slow(): Promise<void> {
    try {
      await asyncio.sleep(10);
    } finally {
      log.push("slow finally ran");
    }
  }
  let t0 = loop.time();
  try {
    await asyncio.waitFor(slow, 0.1);
  } catch (e) {
    if (!isTimeout(e)) throw e;
    print(
      "1. TimeoutError",
      tuple(e.args),
      "| __cause__:",
      typeName(e.cause),
      "| log:",
      log,
      "| took ~0.1s:",
      Math.round((loop.time() - t0) * 10) / 10,
    );
  }
  log.length = 0;

  // a task argument is cancelled too
  let t: asyncio.Task<unknown> = asyncio.createTask(slow);
  try {
    await asyncio.waitFor(t, 0.01);
  } catch (e) {
    if (!isTimeout(e)) throw e;
    print("1. task argument cancelled:", t.cancelled(), "| log:", log);
  }
  log.length = 0;

  // 2. timeout=None: a plain await
  print("2. timeout=None ->", await asyncio.waitFor(asyncio.sleep(0.01, "plain"), null));

  // 3. timeout <= 0 and the argument already done: result at once
  for (const timeout of [0, -1]) {
    const f = loop.createFuture<string>();
    f.setResult("done already");
    print(`3. timeout=${timeout}, done future ->`, await asyncio.waitFor(f, timeout));
  }

  // 4. timeout <= 0 with a coroutine: wrapped in a task, cancelled before it starts
  const started: boolean[] = [];
  async function body(): Promise<string> {
    started.push(true);
    return "never";
  }
  for (const timeout of [0, -1]) {
    try {
      await asyncio.waitFor(body, timeout);
    } catch (e) {
      if (!isTimeout(e)) throw e;
      print(
        `4. timeout=${timeout}: TimeoutError, body started: ${repr(started.length > 0)}`,
        "| __cause__:",
        typeName(e.cause),
      );
    }
  }
  // ... and a pending future is cancelled
  let f = loop.createFuture<string>();
  try {
    await asyncio.waitFor(f, 0);
  } catch (e) {
    if (!isTimeout(e)) throw e;
    print("4. pending future with timeout=0 cancelled:", f.cancelled());
  }

  // 5. the inner coroutine swallows the cancellation and returns a value: it is returned
  async function swallow(): Promise<string | undefined> {
    try {
      await asyncio.sleep(10);
    } catch (e) {
      if (e instanceof asyncio.CancelledError) return "swallowed value";
      throw e;
    }
    return undefined;
  }
  print("5. swallowed ->", await asyncio.waitFor(swallow, 0.01));
  t = asyncio.createTask(swallow);
  print(
    "5. swallowed (task) ->",
    await asyncio.waitFor(t, 0.01),
    "| task cancelled:",
    t.cancelled(),
  );

  // 6. the inner coroutine needs time to clean up: waitFor waits for it
  function* slowCleanup(): asyncio.Coroutine<void> {
    try {
      yield* asyncio.sleep(10);
    } catch (e) {
      if (e instanceof asyncio.CancelledError) {
        log.push("cleanup starts");
        yield* asyncio.sleep(0.05);
        log.push("cleanup ends");
      }
      throw e;
    }
  }
  t0 = loop.time();
  try {
    await asyncio.waitFor(slowCleanup(), 0.01);
  } catch (e) {
    if (!isTimeout(e)) throw e;
    print("6. TimeoutError after the cleanup:", loop.time() - t0 >= 0.059, "| log:", log);
  }
  log.length = 0;

  // 7. the inner coroutine raises another exception while being cancelled: it propagates
  async function failsOnCancel(): Promise<void> {
    try {
      await asyncio.sleep(10);
    } catch (e) {
      if (e instanceof asyncio.CancelledError) throw new ZeroDivisionError("while cancelling");
      throw e;
    }
  }
  try {
    await asyncio.waitFor(failsOnCancel, 0.01);
  } catch (e) {
    if (!(e instanceof ZeroDivisionError)) throw e;
    print("7. other exception wins:", e.name, tuple(args(e)));
  }

  // 8. cancelling the task awaiting waitFor cancels the inner task
  const inner = asyncio.createTask(slow);
  async function waiter(): Promise<void> {
    return await asyncio.waitFor(inner, 10);
  }
  const w = asyncio.createTask(waiter);
  await asyncio.sleep(0.01);
  w.cancel("outer msg");
  try {
    await w;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print(
      "8. waiter cancelled",
      tuple(e.args),
      "| inner cancelled:",
      inner.cancelled(),
      "| log:",
      log,
    );
  }
  log.length = 0;

  // 9. result before the deadline
  print("9. fast result ->", await asyncio.waitFor(asyncio.sleep(0.01, "fast"), 1));
  async function fails(): Promise<void> {
    await asyncio.sleep(0);
    throw new KeyError("k");
  }
  try {
    await asyncio.waitFor(fails, 1);
  } catch (e) {
    if (!(e instanceof KeyError)) throw e;
    print("9. error before the deadline passes through:", repr(e));
  }

  // 10. the coroutine runs in the caller's task (3.12+)
  // (an async function cannot resolve to a Task, a thenable: it would await it; return a box)
  async function whichTask(): Promise<[asyncio.Task<unknown> | null]> {
    return [asyncio.currentTask()];
  }
  print(
    "10. coroutine runs in the caller's task:",
    (await asyncio.waitFor(whichTask, 1))[0] === asyncio.currentTask(),
  );
  print("10. caller cancelling() after a timeout:", asyncio.currentTask()!.cancelling());

  // 11. a result arriving in the same iteration as the timeout
  f = loop.createFuture<string>();
  loop.callLater(0.01, () => f.setResult("raced"));
  try {
    print("11. race ->", await asyncio.waitFor(f, 0.01));
  } catch (e) {
    if (!isTimeout(e)) throw e;
    print("11. race -> TimeoutError, future cancelled:", f.cancelled());
  }

  // 12. the task cancels itself inside waitFor: CancelledError, not TimeoutError
  async function selfCancel(): Promise<void> {
    asyncio.currentTask()!.cancel("self");
    await asyncio.sleep(10);
  }
  async function runsIt(): Promise<void> {
    await asyncio.waitFor(selfCancel, 1);
  }
  t = asyncio.createTask(runsIt);
  try {
    await t;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("12. self-cancel -> CancelledError", tuple(e.args), "| task cancelled:", t.cancelled());
  }

  // 13. waitFor on a gather
  print(
    "13. wait_for(gather) ->",
    await asyncio.waitFor(asyncio.gather([asyncio.sleep(0.01, 1), asyncio.sleep(0.02, 2)]), 1),
  );
  const g = asyncio.gather([asyncio.sleep(1, 1)]);
  try {
    await asyncio.waitFor(g, 0.01);
  } catch (e) {
    if (!isTimeout(e)) throw e;
    print("13. timed-out gather: done", g.done(), "| cancelled()", g.cancelled());
  }
}

await asyncio.run(main, { loopFactory: () => new VirtualTimeLoop() });
