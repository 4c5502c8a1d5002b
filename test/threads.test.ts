/**
 * asyncio and threads: runInExecutor and the default executor, toThread (context carried),
 * wrapFuture, runCoroutineThreadsafe, loops in worker threads reached through RemoteLoop, with
 * real threads and processes, in both coroutine syntaxes. The CPython traces are in
 * conformance/37_threads, 92_asyncio_executors and 93_loops_in_threads.
 *
 * These tests use the real loop: the work happens in other threads, in real time.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import * as cf from "../src/concurrent.ts";
import * as asyncio from "../src/index.ts";
import * as w from "./fixtures/concurrent_workers.ts";

function loopOf(): asyncio.EventLoop {
  return asyncio.getRunningLoop() as asyncio.EventLoop;
}

// ---- runInExecutor and the default executor ----

test("runInExecutor(null, ...): the default ThreadPoolExecutor, created on first use (generator)", async () => {
  let executor: cf.ThreadPoolExecutor | undefined;
  const r = await asyncio.run(function* main(): asyncio.Coroutine<unknown[]> {
    const loop = loopOf();
    assert.equal(loop._defaultExecutor, null);
    const info = yield* loop.runInExecutor(null, w.whoami);
    executor = loop._defaultExecutor as unknown as cf.ThreadPoolExecutor;
    assert.ok(executor instanceof cf.ThreadPoolExecutor);
    const sq = yield* loop.runInExecutor(null, w.square, 9);
    return [info.name, info.isMainThread, sq];
  });
  assert.deepEqual(r, ["asyncio_0", false, 81]);
  // asyncio.run shut the default executor down and waited for its threads.
  assert.equal(executor!._slots.size, 0);
  assert.throws(() => executor!.submit(w.square, 1), /cannot schedule new futures after shutdown/);
});

test("runInExecutor with an explicit executor, threads and processes (async)", async () => {
  await using threads = new cf.ThreadPoolExecutor({ maxWorkers: 2 });
  await using processes = new cf.ProcessPoolExecutor({ maxWorkers: 1 });
  const r = await asyncio.run(async () => {
    const loop = loopOf();
    const [a, b] = await asyncio.gather([
      loop.runInExecutor(threads, w.fib, 20),
      loop.runInExecutor(processes, w.whoami),
    ]);
    let error: unknown;
    try {
      await loop.runInExecutor(processes, w.fail, 3);
    } catch (e) {
      error = e;
    }
    return [a, (b as { pid: number }).pid !== process.pid, error];
  });
  assert.equal(r[0], 6765);
  assert.equal(r[1], true);
  assert.ok(r[2] instanceof asyncio.ValueError);
});

test("runInExecutor: closed loop, shut-down default executor, setDefaultExecutor's check, debug mode", async () => {
  const closed = asyncio.newEventLoop() as asyncio.EventLoop;
  closed.close();
  assert.throws(
    () => closed.runInExecutor(null, w.square, 1),
    /^RuntimeError: Event loop is closed$/,
  );
  assert.throws(() => closed.threadsafePort(), /^RuntimeError: Event loop is closed$/);
  await asyncio.run(async () => {
    const loop = loopOf();
    assert.throws(
      () => loop.setDefaultExecutor({} as cf.ThreadPoolExecutor),
      /^TypeError: executor must be ThreadPoolExecutor instance$/,
    );
    await using mine = new cf.ThreadPoolExecutor({ maxWorkers: 1, threadNamePrefix: "mine" });
    loop.setDefaultExecutor(mine);
    assert.equal((await asyncio.toThread(w.whoami)).name, "mine_0");
    await loop.shutdownDefaultExecutor();
    assert.throws(
      () => loop.runInExecutor(null, w.square, 1),
      /^RuntimeError: Executor shutdown has been called$/,
    );
    // toThread uses the default executor too.
    await assert.rejects(
      async () => await asyncio.toThread(w.square, 1),
      /Executor shutdown has been called/,
    );
    // An explicit executor still works.
    await using other = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
    assert.equal(await loop.runInExecutor(other, w.square, 4), 16);
    loop.setDebug(true);
    assert.throws(
      () => loop.runInExecutor(other, w.addLater as unknown as () => void),
      /^TypeError: coroutines cannot be used with run_in_executor\(\)$/,
    );
    // An async function is a coroutine function too (it was refused as unsendable instead).
    async function asyncFn(): Promise<void> {}
    assert.throws(
      () => loop.runInExecutor(other, asyncFn),
      /^TypeError: coroutines cannot be used with run_in_executor\(\)$/,
    );
    assert.throws(() => loop.runInExecutor(other, "".trim), /cannot send function trim\(\)/);
    assert.throws(
      () => loop.runInExecutor(other, 5 as unknown as () => void),
      /^TypeError: a callable object was expected by run_in_executor\(\), got 5$/,
    );
    // A worker-function reference (not itself a function) passes the debug check.
    const ref = cf.workerFunction<(x: number) => number>(
      import.meta.resolve("./fixtures/concurrent_workers.ts"),
      "square",
    );
    assert.equal(await loop.runInExecutor(other, ref, 5), 25);
    loop.setDebug(false);
  });
});

test("shutdownDefaultExecutor(timeout) stops waiting with a RuntimeWarning", async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on("warning", onWarning);
  try {
    await asyncio.run(async () => {
      const loop = loopOf();
      const sab = new SharedArrayBuffer(4);
      const blocked = loop.runInExecutor(null, w.waitForFlag, sab, 0);
      await asyncio.sleep(0.05);
      await loop.shutdownDefaultExecutor(0.05);
      await new Promise((r) => setImmediate(r));
      Atomics.store(new Int32Array(sab), 0, 1);
      assert.equal(await blocked, "released");
    });
  } finally {
    process.off("warning", onWarning);
  }
  assert.deepEqual(warnings, [
    "RuntimeWarning: The executor did not finishing joining its threads within 0.05 seconds.",
  ]);
});

test("cancelling the task cancels a call that has not started; a running call finishes", async () => {
  await using pool = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
  const sab = new SharedArrayBuffer(8);
  await asyncio.run(async () => {
    const loop = loopOf();
    const blocker = loop.runInExecutor(pool, w.waitForFlag, sab, 0);
    await asyncio.sleep(0.01);
    const skipped = asyncio.createTask(
      async () => await loop.runInExecutor(pool, w.mark, sab, 1, 7),
    );
    await asyncio.sleep(0.01);
    skipped.cancel();
    await asyncio.sleep(0);
    assert.equal(skipped.cancelled(), true);
    // The running one cannot be cancelled: the asyncio Future is, the call goes on.
    blocker.cancel();
    Atomics.store(new Int32Array(sab), 0, 1);
  });
  await pool.shutdown();
  assert.equal(new Int32Array(sab)[1], 0);
});

test("a CPU-bound call does not stall the loop", async () => {
  await using pool = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
  await pool.submit(w.square, 1).result(); // started
  const ticks = await asyncio.run(function* main(): asyncio.Coroutine<number> {
    const loop = loopOf();
    const job = loop.runInExecutor(pool, w.busy, 0.3);
    let n = 0;
    while (!job.done()) {
      yield* asyncio.sleep(0.01);
      n++;
    }
    return n;
  });
  // The loop kept ticking while the worker computed (about 30 ticks; a loose bound).
  assert.ok(ticks >= 5, `only ${ticks} ticks`);
});

// ---- toThread and context variables ----

for (const syntax of ["generator", "async"] as const) {
  test(`toThread carries the context over (${syntax})`, async () => {
    const r = await asyncio.run(
      syntax === "generator"
        ? function* main(): asyncio.Coroutine<unknown[]> {
            w.requestId.set("req-42");
            w.loggerVar.set({ level: 3 });
            w.twinA.set("a");
            const seen = yield* asyncio.toThread(w.readContext);
            const changed = yield* asyncio.toThread(w.setAndRead, "changed");
            const plain = yield* loopOf().runInExecutor(null, w.readContext);
            return [seen, changed, w.requestId.get(), plain];
          }
        : async () => {
            w.requestId.set("req-42");
            w.loggerVar.set({ level: 3 });
            w.twinA.set("a");
            const seen = await asyncio.toThread(w.readContext);
            const changed = await asyncio.toThread(w.setAndRead, "changed");
            const plain = await loopOf().runInExecutor(null, w.readContext);
            return [seen, changed, w.requestId.get(), plain];
          },
    );
    assert.deepEqual(r, [
      ["req-42", { level: 3 }, "unset"], // twinA's name is shared with twinB: not carried
      ["req-42", "changed"],
      "req-42", // what the thread set stays there
      ["unset", "unset", "unset"], // runInExecutor does not carry the context
    ]);
  });
}

test("toThread: a value that cannot be cloned is left out; errors propagate", async () => {
  await asyncio.run(async () => {
    w.loggerVar.set(() => "a function");
    w.requestId.set("kept");
    assert.deepEqual(await asyncio.toThread(w.readContext), ["kept", "unset", "unset"]);
    await assert.rejects(async () => await asyncio.toThread(w.fail, 3), /bad 3/);
    assert.equal(asyncio.isCoroutine(asyncio.toThread(w.square, 1)), true);
  });
});

// ---- wrapFuture ----

for (const syntax of ["generator", "async"] as const) {
  test(`wrapFuture: result after two iterations, cancellation both ways (${syntax})`, async () => {
    const order = await asyncio.run(async () => {
      const loop = loopOf();
      const log: string[] = [];
      let seen: string[] = [];
      const ticker = (n: number) => {
        log.push(`tick${n}`);
        if (n < 4) loop.callSoon(ticker, n + 1);
      };
      const c = new cf.Future<string>();
      const a = asyncio.wrapFuture(c);
      assert.equal(asyncio.wrapFuture(a), a);
      loop.callSoon((v: string) => c.setResult(v), "x");
      loop.callSoon(ticker, 0);
      if (syntax === "generator") {
        await asyncio.createTask(function* (): asyncio.Coroutine<void> {
          log.push(`await ${yield* a}`);
          seen = [...log];
        });
      } else {
        log.push(`await ${await a}`);
        seen = [...log];
      }
      // Cancelling the asyncio side cancels the concurrent one (if it is not running).
      const c2 = new cf.Future<number>();
      const a2 = asyncio.wrapFuture(c2);
      a2.cancel();
      await asyncio.sleep(0); // the asyncio side's done callbacks run in the next iteration
      assert.equal(c2.cancelled(), true);
      const c3 = new cf.Future<number>();
      c3.setRunningOrNotifyCancel();
      const a3 = asyncio.wrapFuture(c3);
      a3.cancel();
      await asyncio.sleep(0);
      assert.equal(c3.cancelled(), false);
      // Cancelling the concurrent side cancels the asyncio one.
      const c4 = new cf.Future<number>();
      const a4 = asyncio.wrapFuture(c4);
      c4.cancel();
      await asyncio.sleep(0);
      assert.equal(a4.cancelled(), true);
      // The concurrent CancelledError becomes asyncio's.
      const c5 = new cf.Future<number>();
      const a5 = asyncio.wrapFuture(c5);
      c5.setException(new cf.CancelledError("why"));
      await asyncio.sleep(0);
      assert.ok(a5.exception() instanceof asyncio.CancelledError);
      assert.throws(
        () => asyncio.wrapFuture(42 as never),
        /^TypeError: concurrent.futures.Future is expected, got 42$/,
      );
      return seen;
    });
    // As in CPython: the future completes one iteration after the concurrent one, the task
    // wakes up the iteration after that.
    assert.deepEqual(order, ["tick0", "tick1", "await x"]);
  });
}

// ---- runCoroutineThreadsafe in the loop's own thread ----

test("runCoroutineThreadsafe: coroutine, generator function, async function; checks; cancel", async () => {
  await asyncio.run(async () => {
    const loop = loopOf();
    const f1 = asyncio.runCoroutineThreadsafe(w.addLater(1, 2), loop);
    const f2 = asyncio.runCoroutineThreadsafe(() => w.addLater(3, 4), loop);
    const f3 = asyncio.runCoroutineThreadsafe(() => w.addLaterAsync(5, 6), loop);
    assert.ok(f1 instanceof cf.Future);
    assert.equal(f1.done(), false);
    assert.deepEqual(
      await asyncio.gather([
        asyncio.wrapFuture(f1),
        asyncio.wrapFuture(f2),
        asyncio.wrapFuture(f3),
      ]),
      [
        [3, true],
        [7, true],
        [11, true],
      ],
    );
    assert.throws(
      () => asyncio.runCoroutineThreadsafe(123 as never, loop),
      /^TypeError: A coroutine object is required$/,
    );
    assert.throws(
      () => asyncio.runCoroutineThreadsafe(Promise.resolve(1) as never, loop),
      /A coroutine object is required: a promise has already started/,
    );
    // a Future is thenable but not a started promise: CPython's plain message
    assert.throws(
      () => asyncio.runCoroutineThreadsafe(loop.createFuture() as never, loop),
      /^TypeError: A coroutine object is required$/,
    );
    const { port1, port2 } = new MessageChannel();
    const remote = new asyncio.RemoteLoop(port1);
    assert.throws(
      () => asyncio.runCoroutineThreadsafe(w.addLater(1, 1), remote as never),
      /cannot be sent to another thread: use remoteLoop.runCoroutineThreadsafe/,
    );
    remote.close();
    port2.close();
    const f4 = asyncio.runCoroutineThreadsafe(w.sleepForever(), loop);
    await asyncio.sleep(0);
    const task = [...asyncio.allTasks()].find((t) => t !== asyncio.currentTask())!;
    assert.equal(f4.cancel(), true);
    await asyncio.sleep(0);
    await asyncio.sleep(0);
    assert.equal(task.cancelled(), true);
    const failed = asyncio.runCoroutineThreadsafe(w.failLater, loop);
    await assert.rejects(async () => await asyncio.wrapFuture(failed), /failed over there/);
  });
});

// ---- loops in other threads ----

test("a pool worker reaches back into the main loop through its threadsafePort (both syntaxes)", async () => {
  await asyncio.run(async () => {
    const loop = loopOf();
    const viaGenerator = await asyncio.toThread(w.callBack, loop.threadsafePort(), false);
    const viaAsync = await loop.runInExecutor(null, w.callBack, loop.threadsafePort(), true);
    // addLater ran in the main thread.
    assert.deepEqual(
      [viaGenerator, viaAsync],
      [
        [5, true],
        [5, true],
      ],
    );
  });
});

test("debug mode names what a worker's RemoteLoop runs as CPython's handles do", async () => {
  const messages: string[] = [];
  const h = (r: { message: string }) => messages.push(r.message);
  asyncio.logger.addHandler(h);
  try {
    await asyncio.run(
      async () => {
        const loop = loopOf();
        loop.slowCallbackDuration = 0;
        assert.deepEqual(await asyncio.toThread(w.callBack, loop.threadsafePort(), false), [
          5,
          true,
        ]);
        loop.slowCallbackDuration = 10;
      },
      { debug: true },
    );
  } finally {
    asyncio.logger.removeHandler(h);
  }
  const executing = messages.filter((m) => m.startsWith("Executing <"));
  for (const want of [
    "Executing <Handle run_coroutine_threadsafe.<locals>.callback()",
    "coro=<addLater() ",
    "Executing <Handle _chain_future.<locals>._call_set_state(<Task",
  ]) {
    assert.ok(
      executing.some((m) => m.includes(want)),
      `${want} in:\n${executing.join("\n")}`,
    );
  }
  assert.ok(!executing.some((m) => m.includes("<callback>")), executing.join("\n"));
});

/** Starts test/fixtures/loop_worker.ts in a raw Worker (tsx registered there first). */
function startLoopWorker(): Worker {
  const tsx = import.meta.resolve("tsx/esm/api");
  const file = new URL("./fixtures/loop_worker.ts", import.meta.url).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(file)}); })`,
    { eval: true },
  );
}

function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

test("a Worker running asyncio.run: RemoteLoop calls, errors, cancellation, its loop closing", async () => {
  const worker = startLoopWorker();
  const ready = await nextMessage<{ port: MessagePort; before: string }>(worker);
  assert.match(
    ready.before,
    /^RuntimeError: There is no current event loop in thread 'Thread-\d+'\.$/,
  );
  const remote = new asyncio.RemoteLoop(ready.port);
  const stuck = setTimeout(() => void worker.terminate(), 20_000).unref(); // never hang the run
  // Listen for the worker's last message before asking it to stop: an event with no listener
  // yet would be lost.
  let finishedP: Promise<{ after: string }> | null = null;
  await asyncio.run(async () => {
    // Both syntaxes, run as tasks of the worker's loop.
    assert.deepEqual(await asyncio.wrapFuture(remote.runCoroutineThreadsafe(w.addLater, 1, 2)), [
      3,
      false,
    ]);
    assert.deepEqual(await remote.runCoroutineThreadsafe(w.addLaterAsync, 2, 2).result(5), [
      4,
      false,
    ]);
    assert.deepEqual(await remote.callSoonThreadsafe(w.plainCall, 1).result(5), [2, false]);
    await assert.rejects(
      async () => await remote.callSoonThreadsafe(w.throwingCall).result(5),
      /callback failed/,
    );
    await assert.rejects(
      async () => await remote.runCoroutineThreadsafe(w.failLater).result(5),
      (e: Error) => {
        assert.ok(e instanceof asyncio.ValueError);
        return true;
      },
    );
    // Cancelling the concurrent future cancels the task over there.
    const forever = remote.runCoroutineThreadsafe(w.sleepForever);
    await asyncio.sleep(0.05);
    assert.equal(forever.cancel(), true);
    assert.throws(
      () => remote.runCoroutineThreadsafe(w.addLater.bind(null, 1, 2)),
      /cannot send function bound addLater\(\)/,
    );
    // A function that is not registered is rebuilt from its text over there.
    assert.equal(await remote.runCoroutineThreadsafe(async (x: number) => x * 2, 21).result(5), 42);
    assert.match(
      String(
        await Promise.resolve(remote.callSoonThreadsafe(() => w.plainCall(1)).result(5)).catch(
          (e: Error) => e.message,
        ),
      ),
      /^w is not defined \(<anonymous>\(\) ran from its source text in another thread or process/,
    );
    let flag = "no";
    for (let i = 0; i < 100 && flag !== "cancelled"; i++) {
      flag = (await remote.callSoonThreadsafe(w.readCancelledFlag).result(5)) as string;
    }
    assert.equal(flag, "cancelled");
    assert.throws(
      () => remote.callSoonThreadsafe(w.echo, () => 1),
      /cannot send the arguments of echo\(\)/,
    );
    // What cannot come back is an error.
    await assert.rejects(
      async () => await remote.callSoonThreadsafe(w.returnsFunction).result(5),
      /cannot send the result of returnsFunction\(\) back/,
    );
    // A call left pending when that loop closes fails; nothing hangs.
    const pending = remote.runCoroutineThreadsafe(w.sleepForever);
    await asyncio.sleep(0.02);
    finishedP = nextMessage<{ after: string }>(worker);
    worker.postMessage("stop");
    await assert.rejects(
      async () => await asyncio.wrapFuture(pending),
      (e: Error) => e instanceof asyncio.CancelledError || /Event loop is closed/.test(e.message),
    );
  });
  const finished = await finishedP!;
  assert.match(finished.after, /^RuntimeError: There is no current event loop/);
  while (!remote.isClosed()) await new Promise((r) => setTimeout(r, 2));
  assert.throws(
    () => remote.runCoroutineThreadsafe(w.addLater, 1, 1),
    /^RuntimeError: Event loop is closed$/,
  );
  await new Promise((r) => worker.once("exit", r));
  clearTimeout(stuck);
});

test("a Worker that is terminated fails the calls pending on its loop", async () => {
  const worker = startLoopWorker();
  const ready = await nextMessage<{ port: MessagePort }>(worker);
  const remote = new asyncio.RemoteLoop(ready.port);
  const pending = remote.runCoroutineThreadsafe(w.later, 30, "never");
  await new Promise((r) => setTimeout(r, 20));
  await worker.terminate();
  await assert.rejects(async () => await pending.result(5), /^RuntimeError: Event loop is closed$/);
  assert.equal(remote.isClosed(), true);
});

test("a RemoteLoop call right after its loop closed throws, before the port has told (CPython's 'Event loop is closed')", async () => {
  const loop = asyncio.newEventLoop();
  const remote = new asyncio.RemoteLoop(loop.threadsafePort());
  assert.equal(remote.isClosed(), false);
  loop.close();
  // the port's 'close' event has not been delivered yet (a busy or blocked thread would not
  // have seen it either): the loop's shared closed flag answers
  assert.equal(remote.isClosed(), true);
  assert.throws(
    () => remote.callSoonThreadsafe(w.add, 1, 2),
    /^RuntimeError: Event loop is closed$/,
  );
  assert.throws(
    () => remote.runCoroutineThreadsafe(w.addLater, 1, 1),
    /^RuntimeError: Event loop is closed$/,
  );
});

test("what a worker thread prints comes out at once, before the main thread's later output (as Python threads' print)", () => {
  const r = spawnSync(
    process.execPath,
    [
      "--conditions=asyncio-ts-source",
      "--import",
      "tsx",
      new URL("./fixtures/thread_print.ts", import.meta.url).pathname,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  const expected = [0, 1, 2].flatMap((i) => [
    `in thread ${i} a`,
    `in thread ${i} b`,
    `main got ${i}`,
  ]);
  assert.deepEqual(r.stdout.trimEnd().split("\n"), expected);
});

test("a descriptor opened in a worker thread stays open after the worker exits, as a Python thread's", async () => {
  const dir = fs.mkdtempSync(join(tmpdir(), "asyncio-ts-fd-"));
  const file = join(dir, "out");
  try {
    // asyncio.run() shuts the default executor down at the end: its workers exit.
    const fd = await asyncio.run(async () => {
      const opened = await asyncio.toThread(fs.openSync, file, "w");
      await asyncio.toThread(fs.writeSync, opened, "one\n");
      return opened;
    });
    fs.writeSync(fd, "two\n");
    // Closed by another thread than the one that opened it, without Node's warning.
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    try {
      await asyncio.run(() => asyncio.toThread(fs.closeSync, fd));
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off("warning", onWarning);
    }
    assert.equal(fs.readFileSync(file, "utf8"), "one\ntwo\n");
    assert.deepEqual(warnings, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
