/**
 * wait(), waitFor() and asCompleted(), in both coroutine syntaxes, on a virtual clock. The
 * CPython traces are in conformance/11_wait, 13_as_completed, 71_wait_for and
 * 75_concurrency_iterations.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

type Main<T> = asyncio.Coroutine<T> | (() => asyncio.Coroutine<T>) | (() => Promise<T>);

function vrun<T>(main: Main<T>): Promise<T> {
  return asyncio.run(main as () => Promise<T>, { loopFactory: () => new VirtualTimeLoop() });
}

function loopOf(): asyncio.EventLoop {
  return asyncio.getRunningLoop() as asyncio.EventLoop;
}

function* job<T>(v: T, d: number): asyncio.Coroutine<T> {
  yield* asyncio.sleep(d);
  return v;
}

async function ajob<T>(v: T, d: number): Promise<T> {
  await asyncio.sleep(d);
  return v;
}

function liveTimers(): number {
  return loopOf()._scheduled.filter((h) => !h.cancelled()).length;
}

// ---- wait ------------------------------------------------------------------------------------

test("wait: ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION in both syntaxes", async () => {
  await vrun(function* () {
    const mk = () => [
      asyncio.createTask(job("a", 0.1)),
      asyncio.createTask(() => ajob("b", 0.3)),
      asyncio.createTask(function* () {
        yield* asyncio.sleep(0.2);
        throw new asyncio.ValueError("c");
      }),
    ];
    let [a, b, c] = mk();
    let [done, pending] = yield* asyncio.wait([a!, b!, c!]);
    assert.equal(done.size, 3);
    assert.equal(pending.size, 0);
    assert.equal(loopOf().time(), 0.3);
    [a, b, c] = mk();
    [done, pending] = yield* asyncio.wait([a!, b!, c!], { returnWhen: asyncio.FIRST_COMPLETED });
    assert.deepEqual([...done], [a]);
    assert.equal(pending.size, 2);
    yield* asyncio.wait(pending);
    [a, b, c] = mk();
    const [d2, p2] = yield* asyncio.timeout(null, async () =>
      asyncio.wait([a!, b!, c!], { returnWhen: asyncio.FIRST_EXCEPTION }),
    );
    assert.deepEqual(new Set(d2), new Set([a, c]));
    assert.deepEqual([...p2], [b]);
    assert.ok(c!.exception() instanceof asyncio.ValueError);
    yield* b!;
  });
});

test("wait in an async function; a thenable is wrapped in a Future", async () => {
  await vrun(async () => {
    const t = asyncio.createTask(() => ajob(1, 0.5));
    const p = Promise.resolve("p");
    const [done, pending] = await asyncio.wait([t, p], { returnWhen: asyncio.FIRST_COMPLETED });
    assert.equal(done.size, 1);
    const [f] = [...done];
    assert.ok(f instanceof asyncio.Future);
    assert.equal(f.result(), "p");
    assert.deepEqual([...pending], [t]);
    await t;
  });
});

test("wait: timeout returns without raising or cancelling, and leaves no timer", async () => {
  await vrun(function* () {
    const t = asyncio.createTask(job(1, 10));
    const [done, pending] = yield* asyncio.wait([t], { timeout: 1 });
    assert.equal(done.size, 0);
    assert.deepEqual([...pending], [t]);
    assert.equal(t.cancelled(), false);
    assert.equal(loopOf().time(), 1);
    const u = asyncio.createTask(job(2, 0.1));
    yield* asyncio.wait([u], { timeout: 5 });
    assert.equal(liveTimers(), 1, "only t's sleep is left");
    t.cancel();
  });
});

test("wait: errors are raised when awaited, with CPython's messages", async () => {
  await vrun(async () => {
    const cases: [() => PromiseLike<unknown>, string, string][] = [
      [() => asyncio.wait([]), "ValueError", "Set of Tasks/Futures is empty."],
      [
        () => asyncio.wait(new Set<asyncio.Future<unknown>>()),
        "ValueError",
        "Set of Tasks/Futures is empty.",
      ],
      [
        () => asyncio.wait(loopOf().createFuture() as never),
        "TypeError",
        "expect a list of futures, not Future",
      ],
      [
        () => asyncio.wait(asyncio.sleep(0) as never),
        "TypeError",
        "expect a list of futures, not coroutine",
      ],
      [
        // an async function's promise, refused as a bare coroutine is
        () => asyncio.wait(Promise.resolve(1) as never),
        "TypeError",
        "expect a list of futures, not Promise",
      ],
      [
        () => asyncio.wait([asyncio.sleep(0)] as never),
        "TypeError",
        "Passing coroutines is forbidden, use tasks explicitly.",
      ],
      [
        () => asyncio.wait([loopOf().createFuture()], { returnWhen: "SOMETIMES" as never }),
        "ValueError",
        "Invalid return_when value: SOMETIMES",
      ],
    ];
    for (const [make, name, message] of cases) {
      const aw = make(); // nothing raised yet: wait() is a coroutine
      await assert.rejects(async () => await aw, { name, message });
    }
    assert.deepEqual(
      [asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION, asyncio.ALL_COMPLETED],
      ["FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"],
    );
  });
});

test("wait is a coroutine: isCoroutine, createTask(wait(...))", async () => {
  await vrun(function* () {
    const t = asyncio.createTask(job(1, 0.1));
    const w = asyncio.wait([t]);
    assert.ok(asyncio.isCoroutine(w));
    const wt = asyncio.createTask(w);
    const [done] = yield* wt;
    assert.ok(done.has(t));
  });
});

// ---- waitFor ---------------------------------------------------------------------------------

test("waitFor: result in time, TimeoutError with the CancelledError as cause", async () => {
  await vrun(function* () {
    assert.equal(yield* asyncio.waitFor(job("ok", 0.5), 1), "ok");
    try {
      yield* asyncio.waitFor(job("late", 5), 1);
      assert.fail("no timeout");
    } catch (e) {
      assert.ok(e instanceof asyncio.TimeoutError);
      assert.ok(e.cause instanceof asyncio.CancelledError);
    }
    assert.equal(loopOf().time(), 1.5);
    assert.equal(asyncio.currentTask()!.cancelling(), 0);
  });
});

test("waitFor with an async function: runs in the calling task, cancellable awaits", async () => {
  await vrun(async () => {
    const me = asyncio.currentTask();
    let sameTask = false;
    let cleanedUp = false;
    await assert.rejects(
      async () =>
        await asyncio.waitFor(async () => {
          sameTask = asyncio.currentTask() === me;
          try {
            await asyncio.sleep(10);
          } finally {
            cleanedUp = true;
          }
        }, 0.5),
      (e) => e instanceof asyncio.TimeoutError,
    );
    assert.ok(sameTask);
    assert.ok(cleanedUp);
    assert.equal(loopOf().time(), 0.5);
  });
});

test("waitFor with a started promise: wrapped; the timeout abandons it", async () => {
  await vrun(async () => {
    const never = new Promise<number>(() => {});
    await assert.rejects(
      async () => await asyncio.waitFor(never, 0.1),
      (e) => e instanceof asyncio.TimeoutError,
    );
  });
  // A promise settles in a microtask, which the virtual clock does not wait for before jumping
  // to the deadline (see testing.ts): the real loop.
  const r = await asyncio.run(async () => await asyncio.waitFor(Promise.resolve(4), 1));
  assert.equal(r, 4);
});

test("waitFor: timeout <= 0 does not start a coroutine; null waits forever", async () => {
  await vrun(function* () {
    let started = false;
    // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
    function* body(): asyncio.Coroutine<number> {
      started = true;
      return 1;
    }
    try {
      yield* asyncio.waitFor(body(), 0);
      assert.fail();
    } catch (e) {
      assert.ok(e instanceof asyncio.TimeoutError);
    }
    assert.equal(started, false);
    assert.equal(yield* asyncio.waitFor(job("slow", 100), null), "slow");
  });
});

test("waitFor: the caller's cancellation cancels the inner task", async () => {
  await vrun(async () => {
    const inner = asyncio.createTask(() => ajob(1, 10));
    const caller = asyncio.createTask(async () => await asyncio.waitFor(inner, 5));
    await asyncio.sleep(1);
    caller.cancel();
    await assert.rejects(
      async () => await caller,
      (e) => e instanceof asyncio.CancelledError,
    );
    assert.ok(inner.cancelled());
    assert.ok(caller.cancelled());
  });
});

// ---- asCompleted -----------------------------------------------------------------------------

test("asCompleted: plain iteration in both syntaxes gives results in completion order", async () => {
  await vrun(function* () {
    const out: string[] = [];
    for (const next of asyncio.asCompleted([job("c", 0.3), job("a", 0.1), () => ajob("b", 0.2)])) {
      out.push(yield* next);
    }
    assert.deepEqual(out, ["a", "b", "c"]);
    const out2 = yield* asyncio.timeout(null, async () => {
      const r: string[] = [];
      for (const next of asyncio.asCompleted([job("z", 0.2), job("y", 0.1)])) r.push(await next);
      return r;
    });
    assert.deepEqual(out2, ["y", "z"]);
  });
});

test("asCompleted: async iteration yields the original futures; anext() in a generator", async () => {
  await vrun(function* () {
    const a = asyncio.createTask(job("a", 0.2));
    const b = asyncio.createTask(job("b", 0.1));
    const it = asyncio.asCompleted([a, b]);
    const seen: unknown[] = [];
    for (let r = yield* it.anext(); !r.done; r = yield* it.anext()) seen.push(r.value);
    assert.deepEqual(seen, [b, a]);
    const again = yield* it.anext();
    assert.equal(again.done, true);

    const c = asyncio.createTask(job("c", 0.2));
    const d = asyncio.createTask(job("d", 0.1));
    const seen2 = yield* asyncio.timeout(null, async () => {
      const s: unknown[] = [];
      for await (const f of asyncio.asCompleted([c, d])) s.push(f);
      return s;
    });
    assert.deepEqual(seen2, [d, c]);
  });
});

test("asCompleted: timeout raises TimeoutError per remaining item, cancels nothing", async () => {
  await vrun(async () => {
    const slow = asyncio.createTask(() => ajob("slow", 10));
    const out: string[] = [];
    for (const next of asyncio.asCompleted([slow, job("fast", 0.1)], { timeout: 1 })) {
      try {
        out.push(await next);
      } catch (e) {
        out.push((e as Error).name);
      }
    }
    assert.deepEqual(out, ["fast", "TimeoutError"]);
    assert.equal(slow.cancelled(), false);
    slow.cancel();
  });
});

test("asCompleted: argument errors are raised at once", async () => {
  await vrun(function* () {
    const fut = loopOf().createFuture();
    assert.throws(() => asyncio.asCompleted(fut as never), {
      name: "TypeError",
      message: "expects an iterable of awaitables, not Future",
    });
    assert.throws(() => asyncio.asCompleted(asyncio.sleep(0) as never), {
      message: "expects an iterable of awaitables, not coroutine",
    });
    assert.deepEqual([...asyncio.asCompleted([])], []);
    yield* asyncio.sleep(0);
  });
});

test("waitFor()/wait() of a promise that rejects before their coroutine starts: the rejection is theirs, not unhandled", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on("unhandledRejection", onUnhandled);
  try {
    const fails = async () => {
      await asyncio.sleep(0);
      throw new asyncio.ValueError("boom");
    };
    const seen = await asyncio.run(async () => {
      const out: string[] = [];
      try {
        await asyncio.waitFor(fails(), 1);
      } catch (e) {
        out.push(`waitFor ${(e as Error).message}`);
      }
      const [done] = await asyncio.wait([fails()]);
      for (const f of done) out.push(`wait ${(f.exception() as Error).message}`);
      return out;
    });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, ["waitFor boom", "wait boom"]);
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});
