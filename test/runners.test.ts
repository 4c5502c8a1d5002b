/**
 * src/runners.ts: asyncio.run() and Runner — results and errors, argument checks, nesting,
 * shutdown (leftover tasks cancelled and reported, executor, loop closed), Runner reuse and
 * context, and Ctrl-C (SIGINT) in a real child process.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

const loopFactory = () => new VirtualTimeLoop();

test("run() returns main's result: generator, generator function, async function", async () => {
  function* gen(): asyncio.Coroutine<number> {
    yield* asyncio.sleep(1);
    return 1;
  }
  assert.equal(await asyncio.run(gen(), { loopFactory }), 1);
  assert.equal(await asyncio.run(gen, { loopFactory }), 1);
  const name = await asyncio.run(
    async () => {
      await asyncio.sleep(1);
      return asyncio.currentTask()?.getName();
    },
    { loopFactory },
  );
  assert.match(name ?? "", /^Task-\d+$/);
});

test("run() rejects with main's exception, and with CancelledError if main is cancelled", async () => {
  const err = new asyncio.ValueError("spam");
  await assert.rejects(
    asyncio.run(function* (): asyncio.Coroutine<never> {
      yield* asyncio.sleep(0);
      throw err;
    }),
    (e) => e === err,
  );
  await assert.rejects(
    asyncio.run(function* (): asyncio.Coroutine<void> {
      asyncio.currentTask()!.cancel();
      yield* asyncio.sleep(1);
    }),
    asyncio.CancelledError,
  );
});

test("run() argument checks", async () => {
  type Main = asyncio.TaskBody<unknown>;
  await assert.rejects(asyncio.run(1 as unknown as Main), {
    name: "ValueError",
    message: "a coroutine was expected, got 1",
  });
  const loop = asyncio.newEventLoop() as asyncio.EventLoop;
  await assert.rejects(asyncio.run(loop.createFuture() as unknown as Main), {
    name: "ValueError",
    message: "a coroutine was expected, got <Future pending>",
  });
  loop.close();
  const started = (async () => 1)();
  await assert.rejects(asyncio.run(started as unknown as Main), {
    name: "TypeError",
    message:
      /^a coroutine was expected, got <Promise>: a promise has already started; pass the function instead/,
  });
});

test("run() inside a running loop", async () => {
  const msg = await asyncio.run(async () => {
    function* c(): asyncio.Coroutine<void> {}
    try {
      await asyncio.run(c());
    } catch (e) {
      return (e as Error).message;
    }
    return "no error";
  });
  assert.equal(msg, "asyncio.run() cannot be called from a running event loop");
});

test("run(debug) sets the loop's debug mode", async () => {
  const dbg = () => asyncio.getRunningLoop().getDebug();
  assert.equal(await asyncio.run(async () => dbg()), false);
  assert.equal(await asyncio.run(async () => dbg(), { debug: true }), true);
});

test("shutdown: leftovers cancelled and awaited, errors reported, then the loop closed", async () => {
  const events: string[] = [];
  let loop: asyncio.EventLoop | null = null;
  let leftover: asyncio.Task<void> | null = null;
  const result = await asyncio.run(
    function* main(): asyncio.Coroutine<string> {
      loop = asyncio.getRunningLoop() as asyncio.EventLoop;
      loop.setExceptionHandler((_l, ctx) =>
        events.push(
          `${ctx.message} / ${(ctx.exception as Error).message} / ${ctx.task === leftover}`,
        ),
      );
      leftover = asyncio.createTask(function* (): asyncio.Coroutine<void> {
        try {
          yield* asyncio.sleep(3600);
        } catch {
          events.push("leftover cleanup starts");
          yield* asyncio.sleep(1); // cleanup may await
          events.push("leftover cleanup ends");
          throw new asyncio.ValueError("cleanup failed");
        }
      });
      asyncio.createTask(async () => {
        try {
          await asyncio.sleep(3600);
        } catch (e) {
          events.push(`async leftover got ${(e as Error).name}`);
          throw e;
        }
      });
      yield* asyncio.sleep(0);
      return "main done";
    },
    { loopFactory },
  );
  assert.equal(result, "main done");
  assert.deepEqual(events, [
    "leftover cleanup starts",
    "async leftover got CancelledError",
    "leftover cleanup ends",
    "unhandled exception during asyncio.run() shutdown / cleanup failed / true",
  ]);
  assert.equal(loop!.isClosed(), true);
  assert.equal(leftover!.done(), true);
});

test("Runner: one loop and one context across runs; closed-runner errors", async () => {
  const v = new asyncio.ContextVar<number>("v", { default: -1 });
  const runner = new asyncio.Runner({ loopFactory });
  const bump = (n: number) =>
    function* (): asyncio.Coroutine<number> {
      const old = v.get();
      yield* asyncio.sleep(1);
      v.set(n);
      return old;
    };
  assert.equal(await runner.run(bump(1)), -1);
  assert.equal(await runner.run(bump(2)), 1);
  assert.equal(await runner.run(async () => v.get()), 2);
  const loop = runner.getLoop();
  assert.equal(await runner.run(async () => asyncio.getRunningLoop()), loop);
  assert.equal(v.get(), -1, "the caller's context is untouched");
  await runner.close();
  await runner.close();
  assert.equal(loop.isClosed(), true);
  assert.throws(() => runner.getLoop(), { name: "RuntimeError", message: "Runner is closed" });
  await assert.rejects(runner.run(bump(3)), { message: "Runner is closed" });
});

test("Runner: close() before any use does nothing; the runner stays usable", async () => {
  const runner = new asyncio.Runner({ loopFactory });
  await runner.close();
  assert.equal(await runner.run(async () => "still usable"), "still usable");
  await runner.close();
  assert.throws(() => runner.getLoop(), { message: "Runner is closed" });
});

test("Runner: a task left by one run() keeps running in the next; close() cancels it", async () => {
  const ticks: string[] = [];
  {
    await using runner = new asyncio.Runner({ loopFactory });
    // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
    await runner.run(function* (): asyncio.Coroutine<void> {
      asyncio.createTask(function* (): asyncio.Coroutine<void> {
        try {
          for (;;) {
            yield* asyncio.sleep(1);
            ticks.push(`tick at ${asyncio.getRunningLoop().time()}`);
          }
        } finally {
          ticks.push("cancelled");
        }
      });
    });
    await runner.run(asyncio.sleep(2.5));
  }
  assert.deepEqual(ticks, ["tick at 1", "tick at 2", "cancelled"]);
});

test("Runner.run() from inside a running loop, and Runner.run(context)", async () => {
  await using runner = new asyncio.Runner();
  const msg = await runner.run(async () => {
    try {
      await runner.run(asyncio.sleep(0));
    } catch (e) {
      return (e as Error).message;
    }
    return "no error";
  });
  assert.equal(msg, "Runner.run() cannot be called from a running event loop");
  const v = new asyncio.ContextVar<string>("v", { default: "unset" });
  const ctx = asyncio.copyContext();
  await runner.run(async () => v.set("in ctx"), { context: ctx });
  assert.equal(ctx.get(v), "in ctx");
  assert.equal(await runner.run(async () => v.get()), "unset");
});

test("run() with a loopFactory does not touch the current loop", async () => {
  asyncio.setEventLoopPolicy(null);
  const current = asyncio.newEventLoop();
  asyncio.setEventLoop(current);
  await asyncio.run(asyncio.sleep(1), { loopFactory });
  assert.equal(asyncio.getEventLoop(), current);
  await asyncio.run(asyncio.sleep(0));
  assert.throws(() => asyncio.getEventLoop(), { message: /no current event loop/ });
  current.close();
  asyncio.setEventLoopPolicy(null);
});

// ---- Ctrl-C ----

const CHILD = join(import.meta.dirname, "fixtures", "sigint_child.ts");

/** Starts the child, sends SIGINT each time it prints a line in `interruptOn`, returns its output. */
function interrupt(
  mode: string,
  interruptOn: string[],
): Promise<{ out: string; code: number | null }> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, mode], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let pending = "";
  child.stderr.on("data", (d) => {
    err += d;
  });
  child.stdout.on("data", (d) => {
    out += d;
    pending += d;
    let i = pending.indexOf("\n");
    while (i >= 0) {
      const line = pending.slice(0, i);
      pending = pending.slice(i + 1);
      if (interruptOn.includes(line)) child.kill("SIGINT");
      i = pending.indexOf("\n");
    }
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ out: out + err, code });
    });
  });
}

test("Ctrl-C cancels the main task; run() then rejects with KeyboardInterrupt", async () => {
  const { out, code } = await interrupt("reraise", ["ready"]);
  assert.equal(
    out,
    "ready\nmain got CancelledError\nrun rejected: KeyboardInterrupt\nSIGINT listeners left: 0\n",
  );
  assert.equal(code, 0);
});

test("Ctrl-C: a main task that swallows the cancellation and returns ends run() normally", async () => {
  const { out } = await interrupt("return", ["ready"]);
  assert.equal(
    out,
    "ready\nmain got CancelledError\nrun resolved: returned normally\nSIGINT listeners left: 0\n",
  );
});

test("a second Ctrl-C raises KeyboardInterrupt at once", async () => {
  const { out } = await interrupt("ignore", ["ready", "ready again"]);
  assert.equal(
    out,
    "ready\nmain got CancelledError\nready again\nrun rejected: KeyboardInterrupt\nSIGINT listeners left: 0\n",
  );
});

test("Ctrl-C with a task factory whose tasks have no uncancel(): run re-raises the CancelledError (gh-95097)", async () => {
  // A wrapper as in CPython's test_asyncio_run_without_uncancel: a Task's API but no uncancel().
  class Wrapper {
    readonly inner: asyncio.Task<unknown>;
    constructor(loop: asyncio.AbstractEventLoop, coro: asyncio.TaskBody<unknown>) {
      this.inner = new asyncio.Task(coro, { loop });
    }
    cancel(msg?: unknown) {
      return this.inner.cancel(msg);
    }
    addDoneCallback(fn: (f: unknown) => void) {
      this.inner.addDoneCallback(() => fn(this));
    }
    removeDoneCallback(fn: (f: unknown) => void) {
      return this.inner.removeDoneCallback(fn);
    }
    get _asyncioFutureBlocking() {
      return (this.inner as unknown as { _asyncioFutureBlocking: boolean })._asyncioFutureBlocking;
    }
    done() {
      return this.inner.done();
    }
    cancelled() {
      return this.inner.cancelled();
    }
    result() {
      return this.inner.result();
    }
    exception() {
      return this.inner.exception();
    }
    getLoop() {
      return this.inner.getLoop();
    }
    setName(n: unknown) {
      this.inner.setName(n);
    }
  }
  const loopFactory = () => {
    const loop = asyncio.newEventLoop();
    loop.setTaskFactory((l, c) => new Wrapper(l, c) as unknown as asyncio.Future<unknown>);
    return loop;
  };
  await assert.rejects(
    asyncio.run(
      function* () {
        process.kill(process.pid, "SIGINT");
        yield* new asyncio.Event().wait();
      },
      { loopFactory },
    ),
    asyncio.CancelledError,
  );
});

test("a loopFactory that is not callable: TypeError as calling it in Python", async () => {
  // biome-ignore lint/correctness/useYield: never run
  function* main(): asyncio.Coroutine<number> {
    return 1;
  }
  const expected = { name: "TypeError", message: "'int' object is not callable" };
  await assert.rejects(asyncio.run(main(), { loopFactory: 123 as never }), expected);
  const runner = new asyncio.Runner({ loopFactory: 123 as never });
  await assert.rejects(async () => await runner.run(main()), expected);
  await runner.close();
});

test("close() counts from its call: a run() before it has finished is refused, a second close() waits for the first", async () => {
  const runner = new asyncio.Runner({ loopFactory });
  assert.equal(await runner.run(asyncio.sleep(1, "ran")), "ran");
  const first = runner.close(); // not awaited, as Python's runner.close() would be written
  await assert.rejects(async () => await runner.run(asyncio.sleep(0)), {
    name: "RuntimeError",
    message: "Runner is closed",
  });
  assert.throws(() => runner.getLoop(), { name: "RuntimeError", message: "Runner is closed" });
  await runner.close();
  await first;
});
