/**
 * gather() and shield(), in both coroutine syntaxes, on a virtual clock. The CPython traces are
 * in conformance/09_gather, 70_gather_cancel, 72_shield and 75_concurrency_iterations.
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

function* job<T>(v: T, d: number): asyncio.Coroutine<T> {
  yield* asyncio.sleep(d);
  return v;
}

async function ajob<T>(v: T, d: number): Promise<T> {
  await asyncio.sleep(d);
  return v;
}

function* failAfter(d: number, e: Error): asyncio.Coroutine<never> {
  yield* asyncio.sleep(d);
  throw e;
}

function loopOf(): asyncio.EventLoop {
  return asyncio.getRunningLoop() as asyncio.EventLoop;
}

test("results in argument order, typed as a tuple, with both syntaxes", async () => {
  const [g, a] = await vrun(async () => {
    const fromGen = await vrun2();
    const r: [number, string, boolean] = await asyncio.gather([
      () => ajob(1, 0.3),
      job("a", 0.1),
      asyncio.sleep(0.2, true),
    ]);
    return [fromGen, r] as const;
  });
  assert.deepEqual(g, [1, "a", true]);
  assert.deepEqual(a, [1, "a", true]);

  function vrun2(): asyncio.Future<[number, string, boolean]> {
    return asyncio.gather([job(1, 0.3), () => ajob("a", 0.1), asyncio.sleep(0.2, true)]);
  }
});

test("a generator awaits gather with yield* and gets typed results", async () => {
  const out = await vrun(function* () {
    const t = asyncio.createTask(job(5, 0.1));
    const f = loopOf().createFuture<string>();
    loopOf().callLater(0.05, () => f.setResult("f"));
    const [x, y, z] = yield* asyncio.gather([t, f, Promise.resolve(7n)]);
    return { x, y, z, now: loopOf().time() };
  });
  assert.deepEqual(out, { x: 5, y: "f", z: 7n, now: 0.1 });
});

test("an array of unknown length gives an array", async () => {
  const out = await vrun(function* () {
    const aws: asyncio.Coroutine<number>[] = [1, 2, 3].map((i) => job(i * 10, 0.1 * (4 - i)));
    const r: number[] = yield* asyncio.gather(aws);
    return r;
  });
  assert.deepEqual(out, [10, 20, 30]);
});

test("the first error propagates at once, the other children keep running", async () => {
  const log: string[] = [];
  await vrun(async () => {
    const slow = asyncio.createTask(async () => {
      await asyncio.sleep(1);
      log.push(`slow done at ${loopOf().time()}`);
      return "slow";
    });
    await assert.rejects(
      async () => await asyncio.gather([slow, failAfter(0.1, new asyncio.ValueError("boom"))]),
      (e) => e instanceof asyncio.ValueError && e.message === "boom",
    );
    log.push(`gather failed at ${loopOf().time()}`);
    assert.equal(await slow, "slow");
  });
  assert.deepEqual(log, ["gather failed at 0.1", "slow done at 1"]);
});

test("returnExceptions puts errors and CancelledError(msg) in the results", async () => {
  const res = await vrun(function* () {
    const cancelled = loopOf().createFuture<number>();
    cancelled.cancel("why");
    const r = yield* asyncio.gather(
      [job(1, 0.1), failAfter(0.05, new asyncio.ValueError("v")), cancelled],
      { returnExceptions: true },
    );
    return r.map((x) => pyRepr(x));
  });
  assert.deepEqual(res, ["1", "ValueError('v')", "CancelledError('why')"]);
});

test("a cancelled child: gather fails with its CancelledError but is not cancelled()", async () => {
  await vrun(function* () {
    const a = asyncio.createTask(job(1, 1));
    const g = asyncio.gather([a, job(2, 0.5)]);
    yield* asyncio.sleep(0);
    a.cancel("child");
    try {
      yield* g;
      assert.fail("no error");
    } catch (e) {
      assert.ok(e instanceof asyncio.CancelledError);
      assert.deepEqual(e.args, ["child"]);
    }
    assert.equal(g.cancelled(), false);
    assert.equal(g.done(), true);
  });
});

test("cancelling the gather cancels the children; the gather ends with CancelledError", async () => {
  await vrun(async () => {
    const log: string[] = [];
    const child = async (tag: string) => {
      try {
        await asyncio.sleep(10);
      } catch (e) {
        log.push(`${tag}: ${pyRepr(e)}`);
        throw e;
      }
    };
    const g = asyncio.gather([() => child("a"), () => child("b")], { returnExceptions: true });
    await asyncio.sleep(0);
    assert.equal(g.cancel("stop"), true);
    assert.equal(g.cancel("again"), true); // children still pending: they accept again
    await assert.rejects(
      async () => await g,
      (e) => e instanceof asyncio.CancelledError,
    );
    assert.equal(g.cancelled(), false);
    assert.equal(g.cancel(), false);
    assert.deepEqual(log, ["a: CancelledError('stop')", "b: CancelledError('stop')"]);
  });
});

test("cancelling the task that awaits a gather cancels the children (both syntaxes)", async () => {
  await vrun(function* () {
    for (const syntax of ["gen", "async"] as const) {
      const a = asyncio.createTask(job(1, 10));
      const b = asyncio.createTask(() => ajob(2, 10));
      const waiter =
        syntax === "gen"
          ? asyncio.createTask(function* () {
              return yield* asyncio.gather([a, b]);
            })
          : asyncio.createTask(async () => await asyncio.gather([a, b]));
      yield* asyncio.sleep(0.1);
      waiter.cancel();
      try {
        yield* waiter;
      } catch (e) {
        assert.ok(e instanceof asyncio.CancelledError);
      }
      assert.ok(waiter.cancelled(), syntax);
      assert.ok(a.cancelled() && b.cancelled(), syntax);
    }
  });
});

test("the same awaitable twice runs once", async () => {
  let runs = 0;
  const r = await vrun(function* () {
    function* once(): asyncio.Coroutine<string> {
      runs++;
      yield* asyncio.sleep(0.1);
      return "x";
    }
    const c = once();
    const fn = async () => {
      runs++;
      return "y";
    };
    return yield* asyncio.gather([c, fn, c, fn]);
  });
  assert.deepEqual(r, ["x", "y", "x", "y"]);
  assert.equal(runs, 2);
});

test("repeated awaitables in a long list (over the scan limit) and in any iterable run once", async () => {
  let runs = 0;
  const r = await vrun(function* () {
    function* once(v: number): asyncio.Coroutine<number> {
      runs++;
      yield* asyncio.sleep(0.1);
      return v;
    }
    const coros = Array.from({ length: 20 }, (_, i) => once(i));
    const done = asyncio.getRunningLoop().createFuture<number>();
    done.setResult(-1);
    // 41 arguments: every coroutine twice, and one done future (completes the gather last)
    const args = [...coros, done, ...coros];
    const all = yield* asyncio.gather(args);
    const viaSet = yield* asyncio.gather(
      new Set([done, done]) as unknown as asyncio.Future<number>[],
    );
    return [all, viaSet];
  });
  const ids = Array.from({ length: 20 }, (_, i) => i);
  assert.deepEqual(r, [[...ids, -1, ...ids], [-1]]);
  assert.equal(runs, 20);
});

test("a long gather of repeated futures, with a gather of the same futures inside it (an eager task's first step)", async () => {
  const r = await vrun(function* () {
    const loop = asyncio.getRunningLoop();
    loop.setTaskFactory(asyncio.eagerTaskFactory);
    const futs = Array.from({ length: 20 }, () => loop.createFuture<number>());
    let inner: asyncio.Future<number[]> | null = null;
    // biome-ignore lint/correctness/useYield: an eager task's first step that ends at once
    function* starter(): asyncio.Coroutine<string> {
      // Runs during the outer gather's set-up, while the outer one holds the futures.
      inner = asyncio.gather([...futs, ...futs]);
      return "started";
    }
    const outer = asyncio.gather([...futs, starter(), ...futs]);
    loop.callLater(0.1, () => {
      for (const [i, f] of futs.entries()) f.setResult(i);
    });
    const all = yield* outer;
    yield* asyncio.sleep(0);
    assert.ok(inner!.done(), "the inner gather is done with the futures");
    return [all, inner!.result()];
  });
  const ids = Array.from({ length: 20 }, (_, i) => i);
  assert.deepEqual(r, [
    [...ids, "started", ...ids],
    [...ids, ...ids],
  ]);
});

test("empty gather is an already-done plain Future", async () => {
  await vrun(function* () {
    const g = asyncio.gather([]);
    assert.equal(g.constructor, asyncio.Future);
    assert.ok(g.done());
    assert.deepEqual(yield* g, []);
  });
});

test("gather of done futures completes at once (3.12+), without an iteration", async () => {
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  await vrun(function* () {
    const f = loopOf().createFuture<number>();
    f.setResult(1);
    const g = asyncio.gather([f, f]);
    assert.ok(g.done());
    assert.deepEqual(g.result(), [1, 1]);
    assert.equal(g.constructor.name, "_GatheringFuture");
  });
});

test("argument errors: unhashable values, non-awaitables, two loops", async () => {
  await vrun(function* () {
    let ran = false;
    // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
    function* c(): asyncio.Coroutine<void> {
      ran = true;
    }
    assert.throws(() => asyncio.gather([c(), []] as never), {
      name: "TypeError",
      message: "unhashable type: 'list'",
    });
    assert.throws(() => asyncio.gather([42] as never), {
      name: "TypeError",
      message: "An asyncio.Future, a coroutine or an awaitable is required",
    });
    yield* asyncio.sleep(0);
    assert.ok(ran, "the task made before the error still runs");
    const other = asyncio.newEventLoop() as asyncio.EventLoop;
    assert.throws(() => asyncio.gather([loopOf().createFuture(), other.createFuture()]), {
      name: "ValueError",
    });
    other.close();
  });
});

test("later errors of the children are marked retrieved (never reported)", async () => {
  const reported: unknown[] = [];
  await vrun(function* () {
    loopOf().setExceptionHandler((_l, ctx) => reported.push(ctx.message));
    const a = asyncio.createTask(failAfter(0.1, new asyncio.ValueError("first")));
    const b = asyncio.createTask(failAfter(0.2, new asyncio.ValueError("second")));
    try {
      yield* asyncio.gather([a, b]);
    } catch {}
    yield* asyncio.sleep(0.5);
    assert.equal(b._logToken, null, "b's exception was marked retrieved");
  });
  assert.deepEqual(reported, []);
});

test("a thenable child is wrapped in a Future; cancelling abandons the promise", async () => {
  await vrun(async () => {
    let resolve!: (v: number) => void;
    const p = new Promise<number>((r) => {
      resolve = r;
    });
    const g = asyncio.gather([p, asyncio.sleep(0.1, "s")]);
    setTimeout(() => resolve(3), 0);
    assert.deepEqual(await g, [3, "s"]);
  });
});

// ---- shield ----------------------------------------------------------------------------------

test("shield passes the result through and protects the inner task", async () => {
  await vrun(function* () {
    const inner = asyncio.createTask(job("done", 1));
    const caller = asyncio.createTask(function* () {
      return yield* asyncio.shield(inner);
    });
    yield* asyncio.sleep(0.5);
    caller.cancel();
    try {
      yield* caller;
    } catch (e) {
      assert.ok(e instanceof asyncio.CancelledError);
    }
    assert.equal(inner.cancelled(), false);
    assert.equal(yield* inner, "done");
  });
});

test("shield in an async function: the caller is cancelled, the inner task is not", async () => {
  await vrun(async () => {
    const inner = asyncio.createTask(() => ajob("x", 1));
    const caller = asyncio.createTask(async () => await asyncio.shield(inner));
    await asyncio.sleep(0.5);
    caller.cancel();
    await assert.rejects(
      async () => await caller,
      (e) => e instanceof asyncio.CancelledError,
    );
    assert.equal(await inner, "x");
  });
});

test("shield: done future shortcut, inner cancellation, exceptions, functions", async () => {
  await vrun(function* () {
    const f = loopOf().createFuture<number>();
    f.setResult(1);
    assert.equal(asyncio.shield(f), f);
    const g = loopOf().createFuture<number>();
    const s = asyncio.shield(g);
    g.cancel();
    yield* asyncio.sleep(0);
    assert.ok(s.cancelled());
    const h = loopOf().createFuture<number>();
    const s2 = asyncio.shield(h);
    h.setException(new asyncio.ValueError("v"));
    try {
      yield* s2;
      assert.fail();
    } catch (e) {
      assert.ok(e instanceof asyncio.ValueError);
    }
    const s3 = asyncio.shield(async () => {
      await asyncio.sleep(0.1);
      return asyncio.currentTask()!.getName().startsWith("Task-");
    });
    assert.equal(yield* s3, true);
  });
});

test("gather's done callback on each child: shown as CPython names it, in any position", async () => {
  await vrun(function* () {
    const loop = loopOf();
    const alone = loop.createFuture<number>();
    const shared = loop.createFuture<number>();
    const seen: string[] = [];
    shared.addDoneCallback(() => seen.push("first"));
    const g = asyncio.gather([alone, shared]);
    assert.match(pyRepr(alone), /cb=\[gather\.<locals>\._done_callback\(\)\]>$/);
    assert.match(pyRepr(shared), /, gather\.<locals>\._done_callback\(\)\]>$/);
    shared.addDoneCallback(() => seen.push("last"));
    // One callback inline (the future queues itself), three in a list (Handles).
    alone.setResult(1);
    shared.setResult(2);
    assert.deepEqual(yield* g, [1, 2]);
    assert.deepEqual(seen, ["first", "last"]);
  });
});

test("gather calls an overriding addDoneCallback of a Future subclass, as CPython does", async () => {
  class Counted<T> extends asyncio.Future<T> {
    added = 0;
    override addDoneCallback(
      fn: (f: this) => unknown,
      options?: { context?: asyncio.Context },
    ): void {
      this.added++;
      super.addDoneCallback(fn, options);
    }
  }
  await vrun(function* () {
    const loop = loopOf();
    const counted = new Counted<string>({ loop });
    const plain = loop.createFuture<string>();
    const g = asyncio.gather([counted, plain, counted]);
    assert.equal(counted.added, 1);
    loop.callSoon(() => counted.setResult("a"));
    loop.callSoon(() => plain.setResult("b"));
    assert.deepEqual(yield* g, ["a", "b", "a"]);
  });
});
