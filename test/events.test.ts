/**
 * src/events.ts: the policy and get/set/newEventLoop (3.11 behaviour: the main thread gets a
 * loop on demand), getRunningLoop, threads (real worker_threads Workers), Handle/TimerHandle.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import * as cf from "../src/concurrent.ts";
import { captureStack, currentThreadName } from "../src/events.ts";
import { customRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import * as w from "./fixtures/concurrent_workers.ts";

const NO_LOOP = {
  name: "RuntimeError",
  message: "There is no current event loop in thread 'MainThread'.",
};

/** Each test starts from a fresh default policy. */
function freshPolicy(): void {
  asyncio.setEventLoopPolicy(null);
}

test("getRunningLoop() outside a loop", () => {
  assert.throws(() => asyncio.getRunningLoop(), {
    name: "RuntimeError",
    message: "no running event loop",
  });
});

test("main thread: getEventLoop() makes, sets and keeps one loop (even once closed)", () => {
  freshPolicy();
  const loop = asyncio.getEventLoop();
  assert.ok(loop instanceof asyncio.EventLoop);
  assert.equal(asyncio.getEventLoop(), loop);
  assert.equal(asyncio.getEventLoopPolicy().getEventLoop(), loop);
  loop.close();
  assert.equal(asyncio.getEventLoop(), loop);
  freshPolicy();
});

test("after setEventLoop(null) there is no loop on demand", () => {
  freshPolicy();
  asyncio.setEventLoop(null);
  assert.throws(() => asyncio.getEventLoop(), NO_LOOP);
  assert.throws(() => new asyncio.Future(), NO_LOOP);
  function* c(): asyncio.Coroutine<void> {}
  assert.throws(() => asyncio.ensureFuture(c()), NO_LOOP);
  freshPolicy();
});

test("newEventLoop() does not become current; setEventLoop() makes it so", () => {
  freshPolicy();
  asyncio.setEventLoop(null);
  const loop = asyncio.newEventLoop();
  assert.throws(() => asyncio.getEventLoop(), NO_LOOP);
  asyncio.setEventLoop(loop);
  assert.equal(asyncio.getEventLoop(), loop);
  loop.close();
  freshPolicy();
});

test("the running loop wins over the policy's loop", async () => {
  freshPolicy();
  const current = asyncio.newEventLoop();
  asyncio.setEventLoop(current);
  const other = asyncio.newEventLoop() as asyncio.EventLoop;
  const seen = await other.runUntilComplete(async () => [
    asyncio.getEventLoop() === other,
    asyncio.getRunningLoop() === other,
    asyncio.getEventLoopPolicy().getEventLoop() === current,
  ]);
  assert.deepEqual(seen, [true, true, true]);
  assert.equal(asyncio.getEventLoop(), current);
  other.close();
  current.close();
  freshPolicy();
});

test("type checks with CPython's messages", () => {
  freshPolicy();
  class NotALoop {}
  assert.throws(() => asyncio.setEventLoop(new NotALoop() as asyncio.AbstractEventLoop), {
    name: "TypeError",
    message: "loop must be an instance of AbstractEventLoop or None, not 'NotALoop'",
  });
  assert.throws(
    () => asyncio.setEventLoopPolicy(new NotALoop() as asyncio.AbstractEventLoopPolicy),
    {
      name: "TypeError",
      message: "policy must be an instance of AbstractEventLoopPolicy or None, not 'NotALoop'",
    },
  );
  freshPolicy();
});

test("setEventLoopPolicy(null) installs a fresh default policy; custom policies are used", () => {
  const p1 = asyncio.getEventLoopPolicy();
  asyncio.setEventLoopPolicy(null);
  const p2 = asyncio.getEventLoopPolicy();
  assert.notEqual(p1, p2);
  assert.ok(p2 instanceof asyncio.DefaultEventLoopPolicy);
  const made: asyncio.AbstractEventLoop[] = [];
  class Counting extends asyncio.DefaultEventLoopPolicy {
    override newEventLoop(): asyncio.AbstractEventLoop {
      const loop = super.newEventLoop();
      made.push(loop);
      return loop;
    }
  }
  asyncio.setEventLoopPolicy(new Counting());
  const a = asyncio.newEventLoop();
  const b = asyncio.getEventLoop(); // on demand, through the policy's newEventLoop
  assert.deepEqual(made, [a, b]);
  a.close();
  b.close();
  freshPolicy();
});

test("asyncio.run() leaves no current loop behind", async () => {
  freshPolicy();
  let inside: asyncio.AbstractEventLoop | null = null;
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  await asyncio.run(function* (): asyncio.Coroutine<void> {
    inside = asyncio.getEventLoop();
  });
  assert.ok(inside !== null && (inside as asyncio.AbstractEventLoop).isClosed());
  assert.throws(() => asyncio.getEventLoop(), NO_LOOP);
  freshPolicy();
});

test("the main thread's name is MainThread", () => {
  assert.equal(currentThreadName(), "MainThread");
});

/** Runs test/fixtures/policy_worker.ts in a real Worker (tsx registered there first). */
function runWorker(): Promise<Record<string, unknown>> {
  const tsx = import.meta.resolve("tsx/esm/api");
  const file = new URL("./fixtures/policy_worker.ts", import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(file)}); })`,
    { eval: true },
  );
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

test("a Worker: no loop on demand, asyncio.run works, one running loop per thread", async () => {
  freshPolicy();
  // The main thread's loop is running the whole time the Worker runs its own.
  const report = await asyncio.run(async () => {
    const r = await runWorker();
    assert.ok(asyncio.getRunningLoop() instanceof asyncio.EventLoop);
    return r;
  });
  assert.match(
    report.getEventLoop as string,
    /^RuntimeError: There is no current event loop in thread 'Thread-\d+'\.$/,
  );
  assert.equal(report.getRunningLoop, "RuntimeError: no running event loop");
  assert.equal(
    report.runResult,
    "ran on EventLoop; a second loop: Cannot run the event loop while another loop is running",
  );
  assert.match(report.afterRun as string, /^RuntimeError: There is no current event loop/);
  assert.equal(report.afterSet, true);
  freshPolicy();
});

// ---- handles ----

test("Handle: cancel(), cancelled(), getContext(), repr", () => {
  const loop = asyncio.newEventLoop() as asyncio.EventLoop;
  function cb(..._args: unknown[]): void {}
  const h = loop.callSoon(cb);
  assert.equal(String(h), "<Handle cb()>");
  assert.ok(h.getContext() instanceof asyncio.Context);
  h.cancel();
  assert.equal(h.cancelled(), true);
  assert.equal(String(h), "<Handle cancelled>");
  const th = loop.callAt(12.5, cb, 1);
  assert.equal(String(th), "<TimerHandle when=12.5 cb()>");
  th.cancel();
  assert.equal(String(th), "<TimerHandle cancelled when=12.5>");
  loop.setDebug(true);
  const dh = loop.callSoon(cb, 1, "a");
  assert.match(String(dh), /^<Handle cb\(1, 'a'\) created at \S+events\.test\.ts:\d+>$/);
  // Arguments are shortened as reprlib does; loop times are floats.
  const long = loop.callSoon(
    cb,
    "a".repeat(50),
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.match(
    String(long),
    /^<Handle cb\('a{12}\.\.\.a{13}', \[0, 1, 2, 3, 4, 5, \.\.\.\]\) created/,
  );
  loop.close();
});

test("an exception in a callback becomes an exception-handler context", async () => {
  const loop = asyncio.newEventLoop() as asyncio.EventLoop;
  const seen: Record<string, unknown>[] = [];
  loop.setExceptionHandler((_l, ctx) => seen.push(ctx));
  const err = new asyncio.ValueError("v");
  const h = loop.callSoon(function failing(_x: number) {
    throw err;
  }, 7);
  loop.stop();
  await loop.runForever();
  assert.deepEqual(seen, [
    { message: "Exception in callback failing()", exception: err, handle: h },
  ]);
  loop.close();
});

test("captureStack() points at the caller outside the library", () => {
  assert.match(captureStack(1), /events\.test\.ts:\d+$/);
});

test("AbstractEventLoop declares runInExecutor and setDefaultExecutor (NotImplementedError there, as in CPython)", async () => {
  // The loop getRunningLoop() returns is typed AbstractEventLoop: both methods type-check on it.
  const r = await asyncio.run(async () => {
    const loop: asyncio.AbstractEventLoop = asyncio.getRunningLoop();
    await using ex = new cf.ThreadPoolExecutor({ maxWorkers: 1, threadNamePrefix: "abs" });
    loop.setDefaultExecutor(ex);
    const sq: number = await loop.runInExecutor(null, w.square, 7);
    return [sq, (await loop.runInExecutor(null, w.whoami)).name];
  });
  assert.deepEqual(r, [49, "abs_0"]);
  const proto = asyncio.AbstractEventLoop.prototype;
  assert.throws(
    () => (proto.runInExecutor as (...a: unknown[]) => unknown).call({}, null, w.square, 1),
    {
      name: "NotImplementedError",
    },
  );
  assert.throws(() => proto.setDefaultExecutor.call({}, {} as cf.ThreadPoolExecutor), {
    name: "NotImplementedError",
  });
});

test("an async callback's rejection is reported as the callback's error, not an unhandled rejection", async () => {
  const loop = asyncio.newEventLoop();
  const seen: unknown[] = [];
  loop.setExceptionHandler((_l, ctx) => {
    seen.push([ctx.message, (ctx.exception as Error).message]);
  });
  try {
    await loop.runUntilComplete(function* () {
      async function failing(): Promise<void> {
        throw new asyncio.ValueError("in async callback");
      }
      loop.callSoon(failing);
      const fut = loop.createFuture<number>();
      fut.addDoneCallback(failing);
      fut.setResult(1);
      // a callback returning a resolved promise or a non-thenable value is not reported
      loop.callSoon(async () => {});
      loop.callSoon(() => 42);
      yield* asyncio.sleep(0);
      yield* asyncio.sleep(0);
    });
    assert.deepEqual(seen, [
      ["Exception in callback failing()", "in async callback"],
      ["Exception in callback failing()", "in async callback"],
    ]);
  } finally {
    loop.close();
  }
});

test("a repr that throws: reprlib's '<Class instance>', and a debug-mode loop stays usable", async () => {
  class Bad {
    toString(): string {
      throw new asyncio.ValueError("bad repr");
    }
  }
  const plain = asyncio.newEventLoop();
  const f = plain.createFuture<Bad>();
  f.setResult(new Bad());
  assert.equal(String(f), "<Future finished result=<Bad instance>>");
  plain.close();
  const loop = asyncio.newEventLoop();
  loop.setDebug(true);
  const seen: string[] = [];
  loop.setExceptionHandler((_l, ctx) => {
    seen.push(ctx.message as string);
  });
  try {
    loop.callSoon(function cb(_x: unknown) {
      throw new asyncio.ValueError("boom");
    }, new Bad());
    // a task left pending on a future whose repr throws is tenured when the loop stops (debug
    // mode: with its waiter's repr)
    const g = loop.createFuture<void>();
    Object.defineProperty(g, customRepr, {
      value: () => {
        throw new asyncio.ValueError("bad future repr");
      },
    });
    const t = loop.createTask(function* () {
      yield* g;
    });
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    assert.deepEqual(seen, ["Exception in callback cb(<Bad instance>)"]);
    assert.equal(loop.isRunning(), false);
    g.setResult();
    await loop.runUntilComplete(t);
  } finally {
    loop.close();
  }
});

test("_getRunningLoop() is null outside a running loop, the loop inside (no error either way)", async () => {
  assert.equal(asyncio._getRunningLoop(), null);
  await asyncio.run(async () => {
    assert.equal(asyncio._getRunningLoop(), asyncio.getRunningLoop());
  });
  assert.equal(asyncio._getRunningLoop(), null);
});
