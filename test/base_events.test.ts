/**
 * EventLoop (src/base_events.ts): scheduling, iterations, timers, run/stop/close, errors,
 * the exception handler, debug mode, runInExecutor, and how the loop lives inside Node.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { connect, createServer } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import * as asyncio from "../src/index.ts";
import type { LogRecord } from "../src/log.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

const SRC = join(import.meta.dirname, "..", "src", "index.ts");

function newLoop(): asyncio.EventLoop {
  return new asyncio.EventLoop();
}

/** Python's test_utils.run_briefly: one iteration. */
async function runOnce(loop: asyncio.EventLoop): Promise<void> {
  loop.stop();
  await loop.runForever();
}

/** Collects the asyncio logger's records while `fn` runs. */
async function captureLogs(fn: () => unknown): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  const h = (r: LogRecord) => records.push(r);
  asyncio.logger.addHandler(h);
  try {
    await fn();
  } finally {
    asyncio.logger.removeHandler(h);
  }
  return records;
}

/** Runs a TypeScript program in a child Node process; returns its exit status and output. */
function runChild(code: string, timeout = 20_000) {
  const script = `import * as asyncio from ${JSON.stringify(SRC)};\n${code}`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    encoding: "utf8",
    timeout,
  });
  return r;
}

// ---- scheduling ----

test("callSoon runs callbacks FIFO with their arguments", async () => {
  const loop = newLoop();
  const seen: unknown[] = [];
  loop.callSoon((a: number, b: string) => seen.push([a, b]), 1, "x");
  loop.callSoon(() => seen.push("second"));
  loop.callSoonThreadsafe(() => seen.push("threadsafe keeps its place"));
  loop.callSoon(() => seen.push("last"));
  await runOnce(loop);
  assert.deepEqual(seen, [[1, "x"], "second", "threadsafe keeps its place", "last"]);
  loop.close();
});

test("an iteration runs only the callbacks ready when it began", async () => {
  const loop = newLoop();
  const seen: string[] = [];
  loop.callSoon(() => {
    seen.push("a");
    loop.callSoon(() => seen.push("child"));
  });
  loop.callSoon(() => seen.push("b"));
  await runOnce(loop);
  assert.deepEqual(seen, ["a", "b"]);
  await runOnce(loop);
  assert.deepEqual(seen, ["a", "b", "child"]);
  loop.close();
});

test("a cancelled handle is skipped; cancel() is idempotent", async () => {
  const loop = newLoop();
  const seen: string[] = [];
  const h = loop.callSoon(() => seen.push("cancelled"));
  loop.callSoon(() => seen.push("kept"));
  h.cancel();
  h.cancel();
  assert.equal(h.cancelled(), true);
  await runOnce(loop);
  assert.deepEqual(seen, ["kept"]);
  loop.close();
});

test("callLater(0) registered before callSoon still runs after it", async () => {
  const loop = newLoop();
  const seen: string[] = [];
  loop.callLater(0, () => seen.push("timer0"));
  loop.callSoon(() => seen.push("soon"));
  await runOnce(loop);
  await runOnce(loop);
  assert.deepEqual(seen, ["soon", "timer0"]);
  loop.close();
});

test("timers run in deadline order, negative delays first", async () => {
  const loop = new VirtualTimeLoop();
  const seen: string[] = [];
  loop.callLater(0.03, () => seen.push("c"));
  loop.callLater(0.01, () => seen.push("a"));
  loop.callLater(0.02, () => seen.push("b"));
  loop.callLater(0, () => seen.push("z"));
  loop.callLater(-1, () => seen.push("n"));
  loop.callSoon(() => seen.push("s"));
  loop.callLater(0.05, () => loop.stop());
  await loop.runForever();
  assert.deepEqual(seen, ["s", "n", "z", "a", "b", "c"]);
  loop.close();
});

test("equal deadlines come out in heap order, not FIFO (CPython's exact order)", async () => {
  const loop = newLoop();
  const seen: string[] = [];
  const when = loop.time() - 1;
  for (let i = 0; i < 8; i++) loop.callAt(when, () => seen.push(`at${i}`));
  await runOnce(loop);
  // CPython 3.13 prints this for the same eight call_at() calls.
  assert.deepEqual(seen, ["at0", "at2", "at6", "at5", "at7", "at4", "at1", "at3"]);
  loop.close();
});

test("cancelled timers: the head is pruned; over half of over 100 cancelled → heapify", async () => {
  const loop = newLoop();
  const far = loop.time() + 3600;
  const hs = Array.from({ length: 150 }, () => loop.callAt(far, () => {}));
  for (const h of hs.slice(0, 100)) h.cancel();
  assert.equal(loop._timerCancelledCount, 100);
  assert.equal(loop._scheduled.length, 150);
  await runOnce(loop);
  assert.equal(loop._scheduled.length, 50, "all cancelled timers were dropped at once");
  assert.equal(loop._timerCancelledCount, 0);
  loop._scheduled[0]!.cancel();
  assert.equal(loop._timerCancelledCount, 1);
  await runOnce(loop);
  assert.equal(loop._scheduled.length, 49, "a cancelled head is popped");
  assert.equal(loop._timerCancelledCount, 0);
  loop.close();
});

test("TimerHandle.when() is the absolute loop time", () => {
  const loop = new VirtualTimeLoop();
  const th = loop.callLater(10, () => {});
  assert.equal(th.when(), 10);
  assert.ok(th instanceof asyncio.TimerHandle);
  assert.equal(loop.callAt(3, () => {}).when(), 3);
  loop.close();
});

test("callLater(null) / callAt(null) are TypeErrors with CPython's messages", () => {
  const loop = newLoop();
  const none = null as unknown as number;
  assert.throws(() => loop.callLater(none, () => {}), {
    name: "TypeError",
    message: "delay must not be None",
  });
  assert.throws(() => loop.callAt(none, () => {}), {
    name: "TypeError",
    message: "when cannot be None",
  });
  loop.close();
});

test("debug mode rejects coroutine functions and non-callables", () => {
  const loop = newLoop();
  loop.setDebug(true);
  function* gen(): asyncio.Coroutine<void> {}
  async function fn(): Promise<void> {}
  for (const cb of [gen, fn]) {
    assert.throws(() => loop.callSoon(cb), {
      message: "coroutines cannot be used with call_soon()",
    });
  }
  assert.throws(() => loop.callLater(1, gen), {
    message: "coroutines cannot be used with call_at()",
  });
  assert.throws(() => loop.callSoon(123 as unknown as asyncio.Callback), {
    message: "a callable object was expected by call_soon(), got 123",
  });
  loop.close();
});

test("time() is monotonic seconds", () => {
  const loop = newLoop();
  const a = loop.time();
  const b = loop.time();
  assert.ok(b >= a);
  assert.ok(Math.abs(a - performance.now() / 1000) < 1);
  loop.close();
});

// ---- run / stop / close ----

test("stop() before runForever() runs exactly one iteration", async () => {
  const loop = newLoop();
  const seen: string[] = [];
  loop.stop();
  loop.callSoon(() => {
    seen.push("queued after stop");
    loop.callSoon(() => seen.push("next iteration"));
  });
  await loop.runForever();
  assert.deepEqual(seen, ["queued after stop"]);
  assert.equal(loop.isRunning(), false);
  loop.close();
});

test("stop() inside a callback finishes the iteration", async () => {
  const loop = newLoop();
  const seen: string[] = [];
  loop.callSoon(() => {
    loop.stop();
    loop.callSoon(() => seen.push("later"));
  });
  loop.callSoon(() => seen.push("same iteration"));
  await loop.runForever();
  assert.deepEqual(seen, ["same iteration"]);
  await runOnce(loop);
  assert.deepEqual(seen, ["same iteration", "later"]);
  loop.close();
});

test("runUntilComplete: coroutine, function, Future, promise, future-like", async () => {
  const loop = newLoop();
  function* gen(): asyncio.Coroutine<number> {
    yield* asyncio.sleep(0);
    return 1;
  }
  assert.equal(await loop.runUntilComplete(gen()), 1);
  assert.equal(await loop.runUntilComplete(gen), 1);
  assert.equal(await loop.runUntilComplete(async () => 2), 2);
  const fut = loop.createFuture<number>();
  loop.callSoon(() => fut.setResult(3));
  assert.equal(await loop.runUntilComplete(fut), 3);
  assert.equal(await loop.runUntilComplete(Promise.resolve(4)), 4);
  assert.equal(await loop.runUntilComplete({ [Symbol.iterator]: () => gen() }), 1);
  loop.close();
});

test("runUntilComplete rejects with the exception; the task's exception is retrieved", async () => {
  const loop = newLoop();
  const err = new asyncio.ValueError("bad");
  const task = loop.createTask(function* (): asyncio.Coroutine<never> {
    yield* asyncio.sleep(0);
    throw err;
  });
  await assert.rejects(loop.runUntilComplete(task), (e) => e === err);
  assert.equal(task._logToken, null, "no 'exception was never retrieved' report");
  loop.close();
});

test("runUntilComplete when the loop stops first", async () => {
  const loop = newLoop();
  const task = loop.createTask(asyncio.sleep(10));
  loop.callSoon(() => loop.stop());
  await assert.rejects(loop.runUntilComplete(task), {
    name: "RuntimeError",
    message: "Event loop stopped before Future completed.",
  });
  assert.equal(task.done(), false);
  task.cancel();
  await assert.rejects(loop.runUntilComplete(task), asyncio.CancelledError);
  loop.close();
});

test("runUntilComplete argument errors", async () => {
  const loop = newLoop();
  const other = newLoop();
  // @ts-expect-error not an awaitable: refused at run time too
  await assert.rejects(loop.runUntilComplete(123), {
    name: "TypeError",
    message: "An asyncio.Future, a coroutine or an awaitable is required",
  });
  await assert.rejects(loop.runUntilComplete(other.createFuture()), {
    name: "ValueError",
    message: "The future belongs to a different loop than the one specified as the loop argument",
  });
  other.close();
  loop.close();
});

test("a running loop refuses to run again, to close, and to let another loop run", async () => {
  const loop = newLoop();
  const other = newLoop();
  const errors: string[] = [];
  const grab = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      errors.push((e as Error).message);
    }
  };
  await loop.runUntilComplete(async () => {
    await grab(loop.runForever());
    await grab(loop.runUntilComplete(loop.createFuture()));
    await grab(other.runUntilComplete(other.createFuture()));
    await grab(other.runForever());
    assert.throws(() => loop.close(), { message: "Cannot close a running event loop" });
    assert.equal(loop.isRunning(), true);
  });
  assert.deepEqual(errors, [
    "This event loop is already running",
    "This event loop is already running",
    "Cannot run the event loop while another loop is running",
    "Cannot run the event loop while another loop is running",
  ]);
  other.close();
  loop.close();
});

test("KeyboardInterrupt/SystemExit from a callback reject runForever; the loop is reusable", async () => {
  const loop = newLoop();
  const seen: string[] = [];
  for (const Exit of [asyncio.KeyboardInterrupt, asyncio.SystemExit]) {
    loop.callSoon(() => {
      throw new Exit();
    });
    loop.callSoon(() => seen.push(`after ${Exit.name}`));
    await assert.rejects(loop.runForever(), Exit);
    assert.equal(loop.isRunning(), false);
    assert.throws(() => asyncio.getRunningLoop(), { message: "no running event loop" });
    await runOnce(loop);
  }
  assert.deepEqual(seen, ["after KeyboardInterrupt", "after SystemExit"]);
  assert.equal(await loop.runUntilComplete(async () => "reused"), "reused");
  loop.close();
});

test("KeyboardInterrupt from an async-function task escapes too", async () => {
  const loop = newLoop();
  const task = loop.createTask(async () => {
    await asyncio.sleep(0);
    throw new asyncio.KeyboardInterrupt();
  });
  await assert.rejects(loop.runUntilComplete(task), asyncio.KeyboardInterrupt);
  assert.equal(task.done(), true);
  assert.equal(loop.isRunning(), false);
  assert.equal(await loop.runUntilComplete(async () => 1), 1);
  loop.close();
});

test("close(): idempotent, drops pending callbacks, then everything but createFuture fails", async () => {
  const loop = newLoop();
  let ran = false;
  loop.callSoon(() => {
    ran = true;
  });
  loop.callLater(1, () => {});
  loop.close();
  loop.close();
  assert.equal(loop.isClosed(), true);
  assert.equal(loop._ready.length, 0);
  assert.equal(loop._scheduled.length, 0);
  const closed = { name: "RuntimeError", message: "Event loop is closed" };
  await assert.rejects(loop.runForever(), closed);
  await assert.rejects(loop.runUntilComplete(loop.createFuture()), closed);
  assert.throws(() => loop.callSoon(() => {}), closed);
  assert.throws(() => loop.callLater(1, () => {}), closed);
  assert.throws(() => loop.callAt(1, () => {}), closed);
  assert.throws(() => loop.callSoonThreadsafe(() => {}), closed);
  assert.throws(() => loop.createTask(asyncio.sleep(0)), closed);
  assert.throws(() => loop.runInExecutor(null, () => 1), closed);
  assert.equal(loop.createFuture().done(), false);
  assert.equal(ran, false);
});

test("state getters and defaults", () => {
  const loop = newLoop();
  assert.equal(loop.isRunning(), false);
  assert.equal(loop.isClosed(), false);
  assert.equal(loop.getDebug(), false);
  assert.equal(loop.slowCallbackDuration, 0.1);
  assert.equal(loop.turnBudget, 2);
  assert.equal(String(loop), "<_UnixSelectorEventLoop running=False closed=False debug=False>");
  loop.close();
});

test("PYTHONASYNCIODEBUG turns debug mode on for new loops", () => {
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      `import * as asyncio from ${JSON.stringify(SRC)}; console.log(new asyncio.EventLoop().getDebug());`,
    ],
    { encoding: "utf8", env: { ...process.env, PYTHONASYNCIODEBUG: "1" } },
  );
  assert.equal(r.stdout.trim(), "true", r.stderr);
});

// ---- exception handler ----

test("the default exception handler logs the message, extra keys and the exception", async () => {
  const loop = newLoop();
  const err = new asyncio.ValueError("boom");
  function bad(): void {
    throw err;
  }
  const records = await captureLogs(async () => {
    loop.callSoon(bad);
    await runOnce(loop);
    loop.callExceptionHandler({ message: "custom", extra: [1, 2] });
    loop.defaultExceptionHandler({ message: "" });
    // Python's `context.get('message') or default`: an empty list is falsy too
    loop.defaultExceptionHandler({ message: [] });
  });
  // and the message must then be a str ('\n'.join(lines))
  assert.throws(
    () => loop.defaultExceptionHandler({ message: 5 }),
    /^TypeError: sequence item 0: expected str instance, int found$/,
  );
  assert.deepEqual(
    records.map((r) => [r.levelname, r.message, r.excInfo]),
    [
      ["ERROR", "Exception in callback bad()\nhandle: <Handle bad()>", err],
      ["ERROR", "custom\nextra: [1, 2]", undefined],
      ["ERROR", "Unhandled exception in event loop", undefined],
      ["ERROR", "Unhandled exception in event loop", undefined],
    ],
  );
  loop.close();
});

test("setExceptionHandler: (loop, context), null restores the default, type check", async () => {
  const loop = newLoop();
  const calls: [unknown, Record<string, unknown>][] = [];
  const handler = (l: asyncio.AbstractEventLoop, ctx: Record<string, unknown>) => {
    calls.push([l, ctx]);
  };
  loop.setExceptionHandler(handler);
  assert.equal(loop.getExceptionHandler(), handler);
  const h = loop.callSoon(() => {
    throw new asyncio.ValueError("x");
  });
  await runOnce(loop);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]![0], loop);
  assert.deepEqual(Object.keys(calls[0]![1]).sort(), ["exception", "handle", "message"]);
  assert.equal(calls[0]![1].handle, h);
  loop.setExceptionHandler(null);
  assert.equal(loop.getExceptionHandler(), null);
  assert.throws(() => loop.setExceptionHandler(123 as unknown as asyncio.ExceptionHandler), {
    name: "TypeError",
    message: "A callable object or None is expected, got 123",
  });
  loop.close();
});

for (const kind of ["plain", "async"] as const) {
  test(`a ${kind} handler that raises: the default handler logs it with the original context (never an unhandled rejection)`, async () => {
    const loop = newLoop();
    const broke = new asyncio.RuntimeError("handler broke");
    loop.setExceptionHandler(
      kind === "plain"
        ? () => {
            throw broke;
          }
        : async () => {
            await null;
            throw broke;
          },
    );
    const records = await captureLogs(async () => {
      loop.callExceptionHandler({ message: "original" });
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    });
    assert.equal(records.length, 1);
    assert.equal(
      records[0]!.message,
      "Unhandled error in exception handler\ncontext: {'message': 'original'}",
    );
    assert.equal(records[0]!.excInfo, broke);
    loop.close();
  });
}

test("KeyboardInterrupt from the exception handler propagates", () => {
  const loop = newLoop();
  loop.setExceptionHandler(() => {
    throw new asyncio.KeyboardInterrupt();
  });
  assert.throws(() => loop.callExceptionHandler({ message: "m" }), asyncio.KeyboardInterrupt);
  loop.close();
});

test("the handler runs in the failing callback's context (3.12+)", async () => {
  const loop = newLoop();
  const v = new asyncio.ContextVar<string>("v", { default: "loop" });
  const seen: string[] = [];
  loop.setExceptionHandler(() => seen.push(v.get()));
  loop.callSoon(() => {
    v.set("callback");
    throw new asyncio.ValueError("x");
  });
  await runOnce(loop);
  loop.callExceptionHandler({ message: "no handle" });
  assert.deepEqual(seen, ["callback", "loop"]);
  loop.close();
});

test("the handler called from inside the context it would enter is called in place", async () => {
  const loop = newLoop();
  const seen: string[] = [];
  loop.setExceptionHandler((_l, ctx) => seen.push(String(ctx.message)));
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  await loop.runUntilComplete(function* (): asyncio.Coroutine<void> {
    loop.callExceptionHandler({ message: "from the task", task: asyncio.currentTask() });
  });
  assert.deepEqual(seen, ["from the task"]);
  loop.close();
});

// ---- debug mode ----

test("debug mode: slow callbacks are logged (virtual time makes them deterministic)", async () => {
  const loop = new VirtualTimeLoop();
  loop.setDebug(true);
  function slow(): void {
    loop.advance(0.25);
  }
  function fast(): void {
    loop.advance(0.05);
  }
  const records = await captureLogs(async () => {
    loop.callSoon(slow);
    loop.callSoon(fast);
    await runOnce(loop);
  });
  assert.equal(records.length, 1);
  assert.equal(records[0]!.levelname, "WARNING");
  assert.match(
    records[0]!.message,
    /^Executing <Handle slow\(\) created at .*base_events\.test\.ts:\d+> took 0\.250 seconds$/,
  );
  loop.close();
});

test("debug mode: a slow task step is shown as the task", async () => {
  const loop = new VirtualTimeLoop();
  loop.setDebug(true);
  const records = await captureLogs(() =>
    loop.runUntilComplete(
      loop.createTask(
        // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
        function* (): asyncio.Coroutine<void> {
          loop.advance(1);
        },
        { name: "slowpoke" },
      ),
    ),
  );
  assert.equal(records.length, 1);
  assert.match(
    records[0]!.message,
    /^Executing <Task finished name='slowpoke' .*> took 1\.000 seconds$/,
  );
  loop.close();
});

test("debug mode: a slow async-function step is timed to its next await and shown finished", async () => {
  const loop = new VirtualTimeLoop();
  loop.setDebug(true);
  const records = await captureLogs(() =>
    loop.runUntilComplete(
      loop.createTask(
        async () => {
          loop.advance(1);
          await Promise.resolve(); // the step goes on in a promise reaction
          loop.advance(0.5);
        },
        { name: "slowasync" },
      ),
    ),
  );
  assert.equal(records.length, 1);
  // As CPython times the whole step (it was logged after the first part: pending, 1.000 s).
  assert.match(
    records[0]!.message,
    /^Executing <Task finished name='slowasync' .*> took 1\.500 seconds$/,
  );
  loop.close();
});

test("debug mode, async-function task woken by a future: the slow step is shown as the task, and a report from it has the handle's traceback", async () => {
  const loop = new VirtualTimeLoop();
  loop.setDebug(true);
  const context: Record<string, unknown> = { message: "from the step" };
  const records = await captureLogs(() =>
    loop.runUntilComplete(
      loop.createTask(
        async () => {
          const f = loop.createFuture();
          loop.callSoon(() => f.setResult(1));
          await f; // resumed by the future's wake-up callback, not a plain step
          await Promise.resolve(); // the step goes on in a promise reaction
          loop.callExceptionHandler(context); // the default handler adds handle_traceback
          loop.advance(0.5);
        },
        { name: "woken" },
      ),
    ),
  );
  assert.equal(records.length, 2);
  assert.match(records[0]!.message, /^from the step\nhandle_traceback: Handle created at/);
  assert.match(
    records[1]!.message,
    /^Executing <Task finished name='woken' .*> took 0\.500 seconds$/,
  );
  assert.deepEqual(Object.keys(context).sort(), ["handle_traceback", "message"]);
  loop.close();
});

test("debug mode: a slow plain callback given a task is shown as the Handle, not the task", async () => {
  const loop = new VirtualTimeLoop();
  loop.setDebug(true);
  const t = loop.createTask(function* idle(): asyncio.Coroutine<void> {
    yield* asyncio.sleep(10);
  });
  function busy(_task: asyncio.Task<void>): void {
    loop.advance(0.5);
  }
  const records = await captureLogs(async () => {
    loop.callSoon(busy, t);
    await runOnce(loop);
  });
  assert.equal(records.length, 1);
  assert.match(
    records[0]!.message,
    /^Executing <Handle busy\(<Task pending\.\.\..*>\) created at .*> took 0\.500 seconds$/,
  );
  t.cancel();
  await loop.runUntilComplete(asyncio.sleep(0));
  loop.close();
});

test("debug mode: reprs say where handles and futures were created", () => {
  const loop = newLoop();
  loop.setDebug(true);
  const where = /created at \S*base_events\.test\.ts:\d+>$/;
  const h = loop.callSoon((_x: number) => {}, 1);
  assert.match(String(h), where);
  assert.match(String(h), /^<Handle .*\(1\) created at/);
  const th = loop.callLater(5, function later() {});
  th.cancel();
  assert.match(String(th), /^<TimerHandle cancelled when=\S+ later\(\) created at/);
  assert.match(String(loop.createFuture()), where);
  loop.close();
});

test("debug mode: close() logs 'Close <loop>' at DEBUG when the logger allows DEBUG", async () => {
  const loop = newLoop();
  loop.setDebug(true);
  const loop2 = newLoop();
  loop2.setDebug(true);
  const quiet = await captureLogs(() => loop2.close());
  assert.deepEqual(quiet, [], "the logger's default level is WARNING, as Python's root");
  asyncio.logger.setLevel(10);
  try {
    const records = await captureLogs(() => loop.close());
    assert.deepEqual(
      records.map((r) => [r.levelname, r.message]),
      [["DEBUG", "Close <_UnixSelectorEventLoop running=False closed=False debug=True>"]],
    );
  } finally {
    asyncio.logger.setLevel(0);
  }
});

test("a new loop logs CPython's 'Using selector: EpollSelector' at DEBUG (a VirtualTimeLoop, as CPython's test loop, does not)", async () => {
  asyncio.logger.setLevel("DEBUG");
  try {
    const records = await captureLogs(() => {
      asyncio.newEventLoop().close();
      new (class Custom extends asyncio.EventLoop {})().close();
      new VirtualTimeLoop().close();
    });
    const expected =
      process.platform === "linux" ? "Using selector: EpollSelector" : records[0]?.message;
    assert.deepEqual(
      records.map((r) => [r.levelname, r.message]),
      [
        ["DEBUG", expected],
        ["DEBUG", expected],
      ],
    );
  } finally {
    asyncio.logger.setLevel(0);
  }
});

test("logger.setLevel takes a level number or name, as Python's logging", () => {
  const lg = asyncio.logger;
  try {
    lg.setLevel("DEBUG");
    assert.equal(lg.level, 10);
    lg.setLevel("WARN");
    assert.equal(lg.getEffectiveLevel(), 30);
    lg.setLevel(40);
    assert.equal(lg.level, 40);
    assert.throws(() => lg.setLevel("LOUD" as never), {
      name: "ValueError",
      message: "Unknown level: 'LOUD'",
    });
    assert.throws(() => lg.setLevel(10.5), {
      name: "TypeError",
      message: "Level not an integer or a valid string: 10.5",
    });
    assert.equal(lg.level, 40, "a refused level changes nothing");
  } finally {
    lg.setLevel(0);
  }
});

test("logger handlers: functions, or objects with handle()/emit() and a level; others refused", () => {
  const lg = asyncio.logger;
  const seen: string[] = [];
  const fn = (r: asyncio.LogRecord) => seen.push(`fn ${r.levelname} ${r.message}`);
  const handler = { handle: (r: asyncio.LogRecord) => seen.push(`handle ${r.message}`) };
  const emitter = {
    level: 40,
    emit: (r: asyncio.LogRecord) => seen.push(`emit ${r.message}`),
  };
  lg.addHandler(fn);
  lg.addHandler(handler);
  lg.addHandler(emitter);
  try {
    lg.warning("w");
    lg.error("e");
    assert.deepEqual(seen, ["fn WARNING w", "handle w", "fn ERROR e", "handle e", "emit e"]);
    for (const bad of [null, 3, {}, { write: () => {} }]) {
      assert.throws(() => lg.addHandler(bad as never), {
        name: "TypeError",
        message:
          /^a log handler is a function of the record, or an object with handle\(record\) or emit\(record\), not /,
      });
    }
  } finally {
    lg.removeHandler(fn);
    lg.removeHandler(handler);
    lg.removeHandler(emitter);
  }
});

// ---- the loop inside Node ----

test("an idle running loop waiting on a far timer does not busy-wait", async () => {
  const loop = newLoop();
  const iterations = { n: 0 };
  const tick = () => {
    iterations.n++;
  };
  loop.callLater(3600, tick);
  // Counted at the loop's entry from Node, not with process.cpuUsage(): that counts every
  // thread, and under Node 24's test runner the module loader's threads were busy meanwhile.
  const internals = loop as unknown as { _drive(): void };
  const drive = internals._drive;
  let entries = 0;
  internals._drive = function (this: typeof internals) {
    entries++;
    drive.call(this);
  };
  const run = loop.runForever();
  await new Promise((r) => setTimeout(r, 20));
  const entered = entries;
  await new Promise((r) => setTimeout(r, 300));
  // A spinning loop would enter once a Node turn, thousands of times in 300 ms.
  assert.equal(entries - entered, 0, "the idle loop was entered again");
  assert.equal(iterations.n, 0);
  loop.stop();
  await run;
  loop.close();
});

test("callbacks from Node (setTimeout, setImmediate) wake a sleeping loop", async () => {
  const loop = newLoop();
  const seen: string[] = [];
  const result = loop.runUntilComplete(async () => {
    const fut = asyncio.getRunningLoop().createFuture<string>();
    setTimeout(() => loop.callSoon(() => seen.push("from setTimeout")), 5);
    setTimeout(() => {
      setImmediate(() => fut.setResult("from setImmediate"));
    }, 10);
    return await fut;
  });
  assert.equal(await result, "from setImmediate");
  assert.deepEqual(seen, ["from setTimeout"]);
  loop.close();
});

test("Node I/O runs while the loop is busy (the turn budget)", async () => {
  const loop = newLoop();
  let ioRan = false;
  let spins = 0;
  function spin(): void {
    spins++;
    if (!ioRan && spins < 5_000_000) loop.callSoon(spin);
    else loop.stop();
  }
  loop.callSoon(spin);
  setImmediate(() => {
    ioRan = true;
  });
  await loop.runForever();
  assert.equal(ioRan, true, `Node's setImmediate never ran in ${spins} iterations`);
  assert.ok(spins > 10, "the loop ran iterations back to back before yielding");
  loop.close();
});

test("a real TCP round trip on 127.0.0.1 interleaves with loop callbacks", async () => {
  const server = createServer((sock) => {
    sock.on("data", (d) => sock.end(d));
    sock.on("error", () => {});
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  const ticks: number[] = [];
  const echoed = await asyncio.run(function* main(): asyncio.Coroutine<string> {
    const loop = asyncio.getRunningLoop();
    let n = 0;
    let ticker = loop.callSoon(function tick() {
      ticks.push(n++);
      ticker = loop.callLater(0.001, tick);
    });
    const fut = loop.createFuture<string>();
    const sock = connect(port, "127.0.0.1", () => sock.write("ping"));
    let data = "";
    sock.on("data", (d) => {
      data += d;
    });
    sock.on("end", () => loop.callSoonThreadsafe(() => fut.setResult(data)));
    sock.on("error", (e) => loop.callSoonThreadsafe(() => fut.setException(e)));
    const r = yield* fut;
    ticker.cancel();
    return r;
  });
  server.close();
  assert.equal(echoed, "ping");
  assert.ok(ticks.length >= 1, "loop callbacks kept running while the socket was busy");
});

test("a running loop keeps the process alive; a stopped or idle one does not", () => {
  const t0 = performance.now();
  const alive = runChild(`
    const loop = asyncio.newEventLoop();
    loop.callLater(0.3, () => loop.stop());
    await loop.runForever();
    console.log("stopped");
  `);
  assert.equal(alive.status, 0, alive.stderr);
  assert.equal(alive.stdout, "stopped\n");
  assert.ok(performance.now() - t0 >= 300);

  const t1 = performance.now();
  const idle = runChild(`
    const loop = asyncio.newEventLoop();
    loop.callLater(3600, () => console.log("never"));
    await loop.runUntilComplete(asyncio.sleep(0.01));
    loop.callSoon(() => console.log("never either"));
    console.log("done");
  `);
  assert.equal(idle.status, 0, idle.stderr);
  assert.equal(idle.stdout, "done\n");
  assert.ok(performance.now() - t1 < 15_000, "the pending timers did not keep it alive");

  const forever = runChild(
    `
    const loop = asyncio.newEventLoop();
    setTimeout(() => { console.log("still alive"); loop.stop(); }, 300);
    await loop.runForever();
    console.log("stopped");
  `,
  );
  assert.equal(forever.stdout, "still alive\nstopped\n", forever.stderr);
});

test("bools and bigints are numbers, as Python's bool and int: delays and deadlines", async () => {
  const loop = new VirtualTimeLoop();
  const fired: string[] = [];
  loop.callLater(true as never, () => fired.push("later true"));
  loop.callAt(2n as never, () => fired.push("at 2n"));
  await loop.runUntilComplete(
    loop.createTask(function* () {
      yield* asyncio.sleep(false as never);
      yield* asyncio.sleep(3n as never);
      const [done, pending] = yield* asyncio.wait([loop.createFuture()], {
        timeout: true as never,
      });
      fired.push(`wait ${done.size} ${pending.size}`);
    }),
  );
  assert.deepEqual(fired, ["later true", "at 2n", "wait 0 1"]);
  assert.throws(() => loop.callLater("1" as never, () => {}), {
    message: "unsupported operand type(s) for +: 'float' and 'str'",
  });
  loop.close();
});

test("runUntilComplete() is typed by what it runs (a Future, a coroutine, a function, a promise)", async () => {
  const loop = asyncio.newEventLoop();
  try {
    // These assignments are the test: they compile only if T is inferred (npm test typechecks).
    const n: number = await loop.runUntilComplete(
      // biome-ignore lint/correctness/useYield: a coroutine that returns at once
      (function* (): asyncio.Coroutine<number> {
        return 1;
      })(),
    );
    const f = loop.createFuture<string>();
    f.setResult("s");
    const s: string = await loop.runUntilComplete(f);
    const b: boolean = await loop.runUntilComplete(async () => true);
    assert.deepEqual([n, s, b], [1, "s", true]);
  } finally {
    loop.close();
  }
});

test("SystemExit has Python's code: its one argument, null without, the args for several", () => {
  assert.equal(new asyncio.SystemExit(3).code, 3);
  assert.equal(new asyncio.SystemExit().code, null);
  assert.deepEqual(new asyncio.SystemExit(1, "x").code, [1, "x"]);
  assert.equal(String(new asyncio.SystemExit("bye")), "SystemExit: bye");
});

test("a loop subclass's callAt() is called by callLater() (so by sleep, wait and the like), as CPython's call_later() calls call_at(); timer callbacks carry CPython's names", async () => {
  const calls: string[] = [];
  class L extends VirtualTimeLoop {
    override callAt<A extends unknown[]>(
      when: number,
      callback: (...args: A) => unknown,
      ...args: A
    ): asyncio.TimerHandle {
      calls.push(`callAt(${when}, ${callback.name})`);
      return super.callAt(when, callback, ...args);
    }
  }
  await asyncio.run(
    async () => {
      await asyncio.sleep(2);
      await asyncio.wait([asyncio.getRunningLoop().createFuture()], { timeout: 1 });
      await asyncio
        .timeout(0.5, async () => {
          await asyncio.sleep(1);
        })
        .then(undefined, () => {});
    },
    { loopFactory: () => new L() },
  );
  assert.deepEqual(calls, [
    "callAt(2, _set_result_unless_cancelled)",
    "callAt(3, _release_waiter)",
    "callAt(3.5, Timeout._on_timeout)",
    "callAt(4, _set_result_unless_cancelled)",
  ]);
});

test("debug reports name what runs: a callback object by its function, a done callback queued before debug as its Handle", async () => {
  const loop = newLoop();
  try {
    const records = await captureLogs(async () => {
      await loop.runUntilComplete(function* () {
        // a future queued itself for its done callback while debug mode was off
        const fut = loop.createFuture<number>();
        fut.addDoneCallback(function slow() {});
        fut.setResult(1);
        loop.setDebug(true);
        loop.slowCallbackDuration = 0;
        yield* asyncio.sleep(0);
        // gather's callback object, when the child has another done callback too
        const t = asyncio.createTask(asyncio.sleep(0, 1));
        const g = asyncio.gather([t]);
        t.addDoneCallback(function other() {});
        yield* g;
        loop.slowCallbackDuration = 10;
      });
    });
    const executing = records
      .map((r) => r.message)
      .filter((m) => m.startsWith("Executing <Handle"))
      .map((m) => m.replace(/\(.*$/, "("));
    assert.deepEqual(executing.slice(0, 1), ["Executing <Handle slow("]);
    assert.ok(
      executing.includes("Executing <Handle gather.<locals>._done_callback("),
      executing.join("\n"),
    );
    assert.ok(!executing.some((m) => m.includes("callObject")));
  } finally {
    loop.close();
  }
});

test("debug: a TCP transport's read and write callbacks are named as CPython's, cancelled once it stops reading / has nothing left to write", async () => {
  const loop = newLoop();
  try {
    const records = await captureLogs(async () => {
      await loop.runUntilComplete(async () => {
        const server = await loop.createServer(
          () =>
            new (class extends asyncio.Protocol {
              override dataReceived(): void {}
            })(),
          "127.0.0.1",
          0,
        );
        const [, port] = server.sockets[0]!.getsockname() as [string, number];
        const [, writer] = await asyncio.openConnection("127.0.0.1", port);
        loop.setDebug(true);
        loop.slowCallbackDuration = 0;
        writer.transport.pauseReading();
        writer.transport.resumeReading();
        writer.write(Buffer.alloc(8 * 1024 * 1024));
        await writer.drain();
        writer.close();
        await writer.waitClosed();
        // the server's transport reads the EOF, closes, and stops reading
        await asyncio.sleep(0.05);
        loop.slowCallbackDuration = 10;
        loop.setDebug(false);
        server.close();
        await server.waitClosed();
      });
    });
    const executing = records
      .map((r) => r.message)
      .filter((m) => m.startsWith("Executing <Handle"))
      .map((m) => m.replace(/\(.*$/, "("));
    assert.ok(
      executing.includes("Executing <Handle cancelled _SelectorSocketTransport._write_sendmsg("),
      executing.join("\n"),
    );
    assert.ok(executing.includes("Executing <Handle _SelectorSocketTransport._read_ready("));
    assert.ok(
      executing.includes("Executing <Handle cancelled _SelectorSocketTransport._read_ready("),
      executing.join("\n"),
    );
    assert.ok(
      !executing.some((m) => /readReady|writeReady|addReader/.test(m)),
      executing.join("\n"),
    );
  } finally {
    loop.close();
  }
});

test("debug logs of getaddrinfo (asked, then how long it took) and of a datagram endpoint with only a remote address", async () => {
  const loop = newLoop();
  loop.setDebug(true);
  asyncio.logger.setLevel(10);
  try {
    const records = await captureLogs(async () => {
      await loop.runUntilComplete(function* () {
        yield* loop.getaddrinfo("localhost", 80, { type: asyncio.socket.SOCK_STREAM });
        const [t] = yield* loop.createDatagramEndpoint(() => new asyncio.DatagramProtocol(), {
          remoteAddr: ["127.0.0.1", 9],
        });
        t.close();
      });
    });
    const messages = records.map((r) => `${r.levelname} ${r.message}`);
    assert.ok(
      messages.includes("DEBUG Get address info localhost:80, type=<SocketKind.SOCK_STREAM: 1>"),
      messages.join("\n"),
    );
    assert.ok(
      messages.some((m) =>
        /^(DEBUG|INFO) Getting address info localhost:80, type=<SocketKind\.SOCK_STREAM: 1> took \d+\.\d{3}ms: \[\(<AddressFamily\.AF_INET6?: \d+>, <SocketKind\.SOCK_STREAM: 1>, 6, '', \(/.test(
          m,
        ),
      ),
      messages.join("\n"),
    );
    assert.ok(
      messages.some((m) =>
        m.startsWith(
          "DEBUG Datagram endpoint remote_addr=('127.0.0.1', 9) created: (<_SelectorDatagramTransport",
        ),
      ),
      messages.join("\n"),
    );
  } finally {
    asyncio.logger.setLevel(0);
    loop.close();
  }
});

test("Ctrl-C while a loop runs outside Runner.run() raises KeyboardInterrupt from the run (finally blocks run); removeSignalHandler(SIGINT) inside run() restores that default", () => {
  const r = runChild(`
const loop = asyncio.newEventLoop();
try {
  await loop.runUntilComplete(async () => {
    asyncio.getRunningLoop().callLater(0.05, () => process.kill(process.pid, "SIGINT"));
    await asyncio.sleep(5);
  });
} catch (e) {
  console.log("caught", e.name);
} finally {
  loop.close();
  console.log("closed");
}
try {
  console.log(await asyncio.run(async () => {
    const l = asyncio.getRunningLoop();
    l.addSignalHandler("SIGINT", () => {});
    l.removeSignalHandler("SIGINT");
    l.callLater(0.05, () => process.kill(process.pid, "SIGINT"));
    try {
      await asyncio.sleep(5);
    } catch (e) {
      if (e instanceof asyncio.CancelledError) return "swallowed";
      throw e;
    }
  }));
} catch (e) {
  console.log("run:", e.name);
}
`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "caught KeyboardInterrupt\nclosed\nrun: KeyboardInterrupt\n");
});

test("a loop dropped without close() does not keep its signal handlers on process for ever (CPython's __del__ closes it)", async () => {
  const before = process.listenerCount("SIGUSR2");
  for (let i = 0; i < 5; i++) {
    const loop = asyncio.newEventLoop();
    // The callback refers to its loop, as handlers often do: that must not keep the loop alive.
    await loop.runUntilComplete(async () => loop.addSignalHandler("SIGUSR2", () => loop.stop()));
  }
  assert.equal(process.listenerCount("SIGUSR2"), before + 5);
  for (let i = 0; i < 20 && process.listenerCount("SIGUSR2") > before + 1; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc!();
  }
  // V8 may keep the last one a while longer.
  assert.ok(
    process.listenerCount("SIGUSR2") <= before + 1,
    String(process.listenerCount("SIGUSR2")),
  );
});

test("a program exits after asyncio.run() though a connection still had bytes to send (its peer stopped reading), as CPython's does", () => {
  const r = runChild(`
    const keep = [];
    await asyncio.run(async () => {
      const srv = await asyncio.startServer((_r, w) => { keep.push(w); }, "127.0.0.1", 0);
      const [, w] = await asyncio.openConnection("127.0.0.1", srv.sockets[0].getsockname()[1]);
      w.write(Buffer.alloc(32 * 1024 * 1024, 120));
      await asyncio.sleep(0.05);
      console.log("buffered", w.transport.getWriteBufferSize() > 0);
      w.close();
      srv.close();
    });
    console.log("after run");
  `);
  assert.equal(r.signal, null, "killed by the timeout: the process did not exit");
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "buffered true\nafter run\n");
  // The same with a child's stdin that the child never reads (it runs on after the program).
  const t0 = performance.now();
  const p = runChild(`
    await asyncio.run(async () => {
      const p = await asyncio.createSubprocessExec("sleep", "5", {
        stdin: asyncio.PIPE,
        stdout: asyncio.DEVNULL,
        stderr: asyncio.DEVNULL,
      });
      p.stdin.write(Buffer.alloc(8 * 1024 * 1024, 120));
      await asyncio.sleep(0.05);
      console.log("buffered", p.stdin.transport.getWriteBufferSize() > 0);
    });
    console.log("after run");
  `);
  assert.equal(p.status, 0, p.stderr);
  assert.equal(p.stdout, "buffered true\nafter run\n");
  assert.ok(performance.now() - t0 < 4000, "waited for the child");
  // And a connect in progress to a listener whose accept queue is full (it never answers).
  const t1 = performance.now();
  const c = runChild(`
    const net = await import("node:net");
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, ["-e", \`
      const net = require("node:net"), fs = require("node:fs");
      const s = net.createServer().listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
        fs.writeSync(1, s.address().port + "\\\\n");
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 8000);
        process.exit();
      });\`], { stdio: ["ignore", "pipe", "ignore"] });
    const port = await new Promise((r) => child.stdout.once("data", (d) => r(Number(String(d)))));
    child.stdout.destroy();
    child.unref();
    const fillers = [new net.Socket(), new net.Socket()];
    for (const f of fillers) await new Promise((r) => f.connect(port, "127.0.0.1", r));
    const loop = asyncio.newEventLoop();
    await loop.runUntilComplete(async () => {
      loop.createTask(asyncio.openConnection("127.0.0.1", port));
      await asyncio.sleep(0.1);
    });
    loop.close();
    for (const f of fillers) f.destroy();
    console.log("closed");
  `);
  // Without the close ending it, the connect would hold the process until the listener exits.
  assert.ok(performance.now() - t1 < 5000, "the connect kept the process alive");
  assert.equal(c.signal, null, "killed by the timeout: the process did not exit");
  assert.equal(c.stdout, "closed\n", c.stderr);
});

test("loop.stop is bound, as Python's bound method: callLater(d, loop.stop) stops the loop", async () => {
  const loop = new VirtualTimeLoop();
  try {
    const h = loop.callLater(5, loop.stop);
    assert.match(String(h), /^<TimerHandle when=5(\.0)? BaseEventLoop\.stop\(\)>$/);
    await loop.runForever();
    assert.equal(loop.time(), 5);
    assert.equal(loop.stop, loop.stop);
  } finally {
    loop.close();
  }
});

test("a library method scheduled without its object fails with a note saying so", async () => {
  const loop = new VirtualTimeLoop();
  const seen: unknown[] = [];
  loop.setExceptionHandler((_l, context) => seen.push(context.exception));
  try {
    const fut = loop.createFuture<number>();
    const event = new asyncio.Event();
    loop.callSoon(fut.setResult, 5);
    loop.callSoon(event.set);
    loop.callSoon(() => (undefined as unknown as { x: number }).x); // not a library method
    await loop.runUntilComplete(asyncio.sleep(0));
    assert.equal(seen.length, 3);
    const [a, b, c] = seen as TypeError[];
    assert.match(
      a!.message,
      /^Cannot read properties of undefined \(reading '\w+'\) \(setResult\(\) was called without its object: JavaScript does not bind a method taken off its object, as Python does; pass \(\) => obj\.setResult\(\.\.\.\) or obj\.setResult\.bind\(obj\)\)$/,
    );
    assert.match(a!.stack ?? "", /^TypeError: Cannot read .*\(setResult\(\) was called without/);
    assert.match(b!.message, /\(set\(\) was called without its object/);
    assert.doesNotMatch(c!.message, /without its object/);
  } finally {
    loop.close();
  }
});

test("the last-resort log names an error of the user's own class by its class, as a traceback does", () => {
  const r = runChild(`
    class MyErr extends Error {}
    const loop = asyncio.newEventLoop();
    loop.callSoon(() => { throw new MyErr("cb"); });
    await loop.runUntilComplete(asyncio.sleep(0));
    loop.close();
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stderr,
    /^Exception in callback <callback>\(\)\nhandle: <Handle <callback>\(\)>\nMyErr: cb\n/,
  );
});
