/**
 * timeout(), timeoutAt() and Timeout: every combination of task syntax and body syntax, on a
 * virtual clock. The CPython traces are in conformance/15_timeout_cm,
 * 73_timeout_after_cancellation and 75_concurrency_iterations.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pyRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

type Main<T> = asyncio.Coroutine<T> | (() => asyncio.Coroutine<T>) | (() => Promise<T>);

function vrun<T>(main: Main<T>): Promise<T> {
  return asyncio.run(main as () => Promise<T>, { loopFactory: () => new VirtualTimeLoop() });
}

function loopOf(): asyncio.EventLoop {
  return asyncio.getRunningLoop() as asyncio.EventLoop;
}

function liveTimers(): number {
  return loopOf()._scheduled.filter((h) => !h.cancelled()).length;
}

/** A body that sleeps `d` seconds, logging, in the given syntax. */
function body(syntax: "gen" | "async", d: number, log: string[]): asyncio.TimeoutBody<string> {
  if (syntax === "gen") {
    return function* (cm) {
      log.push(`enter ${pyRepr(cm).replace(/when=[\d.]+/, "when=W")}`);
      try {
        yield* asyncio.sleep(d);
      } catch (e) {
        log.push(`body: ${(e as Error).name}`);
        throw e;
      }
      return "finished";
    };
  }
  return async (cm) => {
    log.push(`enter ${pyRepr(cm).replace(/when=[\d.]+/, "when=W")}`);
    try {
      await asyncio.sleep(d);
    } catch (e) {
      log.push(`body: ${(e as Error).name}`);
      throw e;
    }
    return "finished";
  };
}

for (const task of ["gen", "async"] as const) {
  for (const inner of ["gen", "async"] as const) {
    test(`${task} task, ${inner} body: expiry cancels the body's await, TimeoutError`, async () => {
      const log: string[] = [];
      const me: { task: asyncio.Task<unknown> | null } = { task: null };
      const check = (e: unknown) => {
        assert.ok(e instanceof asyncio.TimeoutError);
        assert.ok(e.cause instanceof asyncio.CancelledError);
        log.push(`caught at ${loopOf().time()} cancelling=${me.task!.cancelling()}`);
      };
      const ok = (r: unknown) => log.push(`returned ${String(r)} at ${loopOf().time()}`);
      if (task === "gen") {
        await vrun(function* () {
          me.task = asyncio.currentTask();
          try {
            yield* asyncio.timeout(1, body(inner, 5, log));
          } catch (e) {
            check(e);
          }
          ok(yield* asyncio.timeout(1, body(inner, 0.5, log)));
          assert.equal(liveTimers(), 0);
        });
      } else {
        await vrun(async () => {
          me.task = asyncio.currentTask();
          try {
            await asyncio.timeout(1, body(inner, 5, log));
          } catch (e) {
            check(e);
          }
          ok(await asyncio.timeout(1, body(inner, 0.5, log)));
          assert.equal(liveTimers(), 0);
        });
      }
      assert.deepEqual(log, [
        "enter <Timeout [active] when=W>",
        "body: CancelledError",
        "caught at 1 cancelling=0",
        "enter <Timeout [active] when=W>",
        "returned finished at 1.5",
      ]);
    });
  }
}

test("the body runs in the current task; currentTask() and context variables are the task's", async () => {
  const cv = new asyncio.ContextVar<string>("cv", { default: "unset" });
  await vrun(async () => {
    const me = asyncio.currentTask();
    cv.set("main");
    const seen = await asyncio.timeout(1, async () => {
      await asyncio.sleep(0);
      cv.set("changed in body");
      return [asyncio.currentTask() === me, cv.get()];
    });
    assert.deepEqual(seen, [true, "changed in body"]);
    assert.equal(cv.get(), "changed in body", "the body shares the task's context");
  });
});

test("bodies may be plain functions returning a value, a coroutine or a Future", async () => {
  await vrun(function* () {
    assert.equal(yield* asyncio.timeout(1, (() => 7) as never), 7);
    assert.equal(yield* asyncio.timeout(1, () => asyncio.sleep(0.5, "coro")), "coro");
    const f = loopOf().createFuture<string>();
    loopOf().callLater(0.1, () => f.setResult("fut"));
    assert.equal(yield* asyncio.timeout(1, () => f), "fut");
  });
});

test("nested timeouts: the inner one fires first; the same deadline converts only outside", async () => {
  await vrun(async () => {
    const log: string[] = [];
    await asyncio.timeout(10, async (outer) => {
      try {
        await asyncio.timeout(1, function* () {
          yield* asyncio.sleep(5);
        });
      } catch (e) {
        log.push(`inner ${(e as Error).name}, outer expired=${outer.expired()}`);
      }
    });
    const when = loopOf().time() + 1;
    try {
      await asyncio.timeoutAt(when, async () => {
        try {
          await asyncio.timeoutAt(when, async () => {
            await asyncio.sleep(5);
          });
        } catch (e) {
          log.push(`inner block sees ${(e as Error).name}`);
          throw e;
        }
      });
    } catch (e) {
      log.push(`outer raises ${(e as Error).name}`);
    }
    assert.deepEqual(log, [
      "inner TimeoutError, outer expired=false",
      "inner block sees CancelledError",
      "outer raises TimeoutError",
    ]);
  });
});

test("timeout(0) fires only at a suspension; timeout(null) never fires", async () => {
  await vrun(function* () {
    let cm!: asyncio.Timeout;
    // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
    yield* asyncio.timeout(0, function* (c) {
      cm = c;
    });
    assert.equal(cm.expired(), false);
    assert.equal(String(cm), "<Timeout [finished]>");
    try {
      yield* asyncio.timeout(0, async () => {
        await asyncio.sleep(0);
      });
      assert.fail();
    } catch (e) {
      assert.ok(e instanceof asyncio.TimeoutError);
    }
    yield* asyncio.timeout(null, function* (c) {
      assert.equal(String(c), "<Timeout [active] when=None>");
      yield* asyncio.sleep(1000);
    });
  });
});

test("reschedule, when(), repr and lifecycle errors", async () => {
  await vrun(function* () {
    const loop = loopOf();
    const cm = new asyncio.Timeout(loop.time() + 1);
    assert.equal(String(cm), "<Timeout [created]>");
    assert.throws(() => cm.reschedule(3), {
      name: "RuntimeError",
      message: "Timeout has not been entered",
    });
    yield* cm.run(function* (c) {
      assert.equal(c, cm);
      assert.equal(String(cm), "<Timeout [active] when=1.0>");
      cm.reschedule(2.25);
      assert.equal(cm.when(), 2.25);
      assert.equal(String(cm), "<Timeout [active] when=2.25>");
      yield* asyncio.sleep(2);
      cm.reschedule(null);
      yield* asyncio.sleep(5);
    });
    assert.equal(String(cm), "<Timeout [finished]>");
    assert.throws(() => cm.reschedule(1), { message: "Cannot change state of finished Timeout" });
    try {
      yield* cm.run(function* () {});
      assert.fail();
    } catch (e) {
      assert.ok(e instanceof asyncio.RuntimeError);
      assert.equal(e.message, "Timeout has already been entered");
    }
  });
  assert.throws(() => asyncio.timeout(1, function* () {}), {
    name: "RuntimeError",
    message: "no running event loop",
  });
});

test("a delay or deadline that is not a number: CPython's TypeError; bools and bigints count", async () => {
  await vrun(function* () {
    const loop = loopOf();
    const bad = "100" as unknown as number;
    assert.throws(() => asyncio.timeout(bad, function* () {}), {
      name: "TypeError",
      message: "unsupported operand type(s) for +: 'float' and 'str'",
    });
    const lessEq = {
      name: "TypeError",
      message: "'<=' not supported between instances of 'str' and 'float'",
    };
    let ran = false;
    try {
      yield* asyncio.timeoutAt(bad, function* () {
        ran = true;
        yield* asyncio.sleep(0);
      });
      assert.fail();
    } catch (e) {
      assert.ok(e instanceof TypeError);
      assert.equal(e.message, lessEq.message);
    }
    assert.equal(ran, false);
    yield* asyncio.timeout(null, function* (cm) {
      assert.throws(() => cm.reschedule(bad), lessEq);
    });
    try {
      yield* asyncio.waitFor(asyncio.sleep(0, 1), bad);
      assert.fail();
    } catch (e) {
      assert.ok(e instanceof TypeError);
      assert.equal(e.message, "'<=' not supported between instances of 'str' and 'int'");
    }
    // Python adds True and ints to a float: so do these.
    const t0 = loop.time();
    yield* asyncio.timeout(true as unknown as number, function* (cm) {
      assert.equal(cm.when(), t0 + 1);
      yield* asyncio.sleep(0);
    });
    assert.equal(yield* asyncio.waitFor(asyncio.sleep(0, "ok"), 2n as unknown as number), "ok");
  });
});

test("an outside cancel() is not turned into TimeoutError", async () => {
  await vrun(function* () {
    const t = asyncio.createTask(async () => {
      await asyncio.timeout(10, async () => {
        await asyncio.sleep(5);
      });
    });
    yield* asyncio.sleep(1);
    t.cancel("outside");
    try {
      yield* t;
    } catch (e) {
      assert.ok(e instanceof asyncio.CancelledError);
      assert.deepEqual(e.args, ["outside"]);
    }
    assert.ok(t.cancelled());
  });
});

test("a body that swallows the timeout's CancelledError returns normally; expired() stays true", async () => {
  await vrun(async () => {
    let cm!: asyncio.Timeout;
    const r = await asyncio.timeout(1, async (c) => {
      cm = c;
      try {
        await asyncio.sleep(5);
      } catch {
        return "swallowed";
      }
      return "slept";
    });
    assert.equal(r, "swallowed");
    assert.ok(cm.expired());
    assert.equal(asyncio.currentTask()!.cancelling(), 0);
  });
});

test("an async body awaiting a foreign promise gets the cancellation at its next await", async () => {
  const r = await asyncio.run(async () => {
    const log: string[] = [];
    try {
      await asyncio.timeout(0.01, async () => {
        await new Promise((res) => setTimeout(res, 50)); // not cancellable
        log.push("foreign await done");
        await asyncio.sleep(0); // the cancellation arrives here
        log.push("not reached");
      });
    } catch (e) {
      log.push((e as Error).name);
    }
    return log;
  });
  assert.deepEqual(r, ["foreign await done", "TimeoutError"]);
});

test("timeout is a coroutine: createTask(timeout(...)) runs the body in that task", async () => {
  await vrun(function* () {
    let inTask: asyncio.Task<unknown> | null = null;
    const t = asyncio.createTask(
      asyncio.timeout(1, async () => {
        inTask = asyncio.currentTask();
        await asyncio.sleep(0.1);
        return 3;
      }),
    );
    assert.equal(yield* t, 3);
    assert.equal(inTask, t);
  });
});

test("currentSignal() aborts when the timeout fires, and is fresh once the timeout is handled", async () => {
  const r = await asyncio.run(async () => {
    const out: unknown[] = [];
    try {
      await asyncio.timeout(0.01, async () => {
        const signal = asyncio.currentSignal();
        // A foreign API that takes an AbortSignal (fetch, a database driver...).
        await new Promise((_resolve, reject) => {
          signal.addEventListener("abort", () => reject(signal.reason));
        });
      });
    } catch (e) {
      out.push((e as Error).name);
    }
    out.push(asyncio.currentTask()!.cancelling(), asyncio.currentSignal().aborted);
    return out;
  });
  assert.deepEqual(r, ["TimeoutError", 0, false]);
});
