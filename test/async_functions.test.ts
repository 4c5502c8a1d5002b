/**
 * `async`-function tasks in the corners that generator coroutines do not have: calls that are
 * not awaited ("stray" calls), foreign awaits, errors before the first await. The CPython
 * traces of the scenarios that have one are in conformance/180-199.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

function vrun<T>(main: () => PromiseLike<T>): Promise<T> {
  return asyncio.run(main, { loopFactory: () => new VirtualTimeLoop() });
}

/** Collects what reaches the running loop's exception handler. */
function handlerReports(): string[] {
  const reports: string[] = [];
  asyncio.getRunningLoop().setExceptionHandler((_l, ctx) => {
    reports.push(`${ctx.message} ${String(ctx.exception)}`);
  });
  return reports;
}

test("a stray call's queue.get() closed when the task ends reports nothing", async () => {
  await vrun(async () => {
    const reports = handlerReports();
    const q = new asyncio.Queue<number>();
    const trace: string[] = [];
    async function consume(): Promise<void> {
      trace.push(`got ${await q.get()}`);
    }
    async function body(): Promise<void> {
      void consume(); // not awaited
      await asyncio.sleep(0);
      trace.push("body done");
    }
    const t = asyncio.createTask(() => body());
    await t;
    q.putNowait(1);
    await asyncio.sleep(0.01);
    assert.deepEqual(trace, ["body done"]);
    assert.equal(q.qsize(), 1);
    assert.deepEqual(reports, []);
  });
});

test("a stray call woken first does not hide the function's own wait from cancel()", async () => {
  await vrun(async () => {
    const q = new asyncio.Queue<number>();
    const trace: string[] = [];
    async function consume(): Promise<void> {
      trace.push(`got ${await q.get()}`);
    }
    async function body(): Promise<void> {
      void consume(); // not awaited
      try {
        await asyncio.sleep(10);
      } catch (e) {
        trace.push(`body ${(e as Error).name} at ${asyncio.getRunningLoop().time()}`);
        throw e;
      }
    }
    const t = asyncio.createTask(() => body());
    await asyncio.sleep(0.1);
    q.putNowait(1);
    await asyncio.sleep(0.1);
    t.cancel();
    await assert.rejects(async () => await t, asyncio.CancelledError);
    assert.deepEqual(trace, ["got 1", "body CancelledError at 0.2"]);
  });
});

test("a long chain of awaits of plain async functions stays within the task's step", async () => {
  const trace = await vrun(async () => {
    const trace: string[] = [];
    async function pure(n: number): Promise<number> {
      return n === 0 ? 0 : 1 + (await pure(n - 1));
    }
    async function worker(name: string, depth: number): Promise<void> {
      for (let step = 0; step < 2; step++) {
        trace.push(`${name} ${step} ${await pure(depth)}`);
        await asyncio.sleep(0);
      }
    }
    const ts = [1, 500].map((d) => asyncio.createTask(() => worker(`w${d}`, d)));
    trace.push("main");
    await asyncio.sleep(0);
    trace.push("main after one iteration");
    await asyncio.gather(ts);
    return trace;
  });
  // CPython's order: each step runs to its next sleep(0) however many plain awaits it makes.
  assert.deepEqual(trace, [
    "main",
    "w1 0 1",
    "w500 0 500",
    "main after one iteration",
    "w1 1 1",
    "w500 1 500",
  ]);
});

/**
 * A task whose timeout() body starts `q.get()` in an async call it does not await, then sleeps
 * 0.01 s; after the block the task runs `rest`. The trace tells what the stray call did.
 */
function strayGetter(q: asyncio.Queue<number>, trace: string[], rest: () => Promise<void>) {
  async function consume(): Promise<void> {
    try {
      trace.push(`got ${await q.get()}`);
    } finally {
      trace.push("consume finally");
    }
  }
  return asyncio.createTask(async () => {
    await asyncio.timeout(1, async () => {
      void consume(); // not awaited: runs beside the body
      await asyncio.sleep(0.01);
    });
    trace.push("after the block");
    await rest();
  });
}

test("a stray call left behind by a timeout() body in an async task goes on after the body", async () => {
  await vrun(async () => {
    const reports = handlerReports();
    const q = new asyncio.Queue<number>();
    const trace: string[] = [];
    const t = strayGetter(q, trace, async () => {
      const ev = new asyncio.Event();
      asyncio.getRunningLoop().callLater(0.05, () => ev.set());
      await ev.wait();
      trace.push("event seen");
    });
    await asyncio.sleep(0.02);
    q.putNowait(1);
    await asyncio.sleep(0);
    await t;
    assert.deepEqual(trace, ["after the block", "got 1", "consume finally", "event seen"]);
    assert.equal(q.qsize(), 0);
    assert.deepEqual(reports, []);
  });
});

test("a stray call still waiting when its async task ends is closed: its queue.get() gives up its place, the call stays suspended", async () => {
  await vrun(async () => {
    const reports = handlerReports();
    const q = new asyncio.Queue<number>();
    const trace: string[] = [];
    await strayGetter(q, trace, async () => {});
    q.putNowait(1);
    await asyncio.sleep(0);
    assert.deepEqual(trace, ["after the block"]);
    assert.equal(q.qsize(), 1);
    assert.deepEqual(reports, []);
  });
});

test("an async function a plain callback starts belongs to no task, even while an async task paused the loop", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const seen = loop.createFuture<unknown>();
    loop.callSoon(() => {
      void (async () => {
        await asyncio.sleep(0);
        seen.setResult(asyncio.currentTask());
      })();
    });
    await asyncio.sleep(0.01);
    // It used to run as part of this (async) main task: its awaits, context and cancellation.
    assert.equal(await seen, null);
  });
});

test("an un-awaited async call inside a timeout() body leaves no stale step behind", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const handled: string[] = [];
    loop.setExceptionHandler((_l, ctx) => handled.push(String(ctx.message)));
    async function work(): Promise<void> {
      await asyncio.sleep(0);
    }
    await asyncio.timeout(1, async () => {
      void work(); // the mistake: not awaited
    });
    assert.equal(await asyncio.createTask(() => asyncio.sleep(0, "other")), "other");
    await asyncio.sleep(0.01);
    assert.deepEqual(handled, []);
  });
});

test("started calls whose lock/semaphore/timeout bodies contend, passed to gather() or Promise.all, all finish", async () => {
  const results = await vrun(async () => {
    const lock = new asyncio.Lock();
    const sem = new asyncio.Semaphore(2);
    const log: string[] = [];
    const viaLock = (n: number, d: number) =>
      lock.run(async () => {
        log.push(`in ${n}`);
        if (d >= 0) await asyncio.sleep(d);
        log.push(`out ${n}`);
        return n;
      });
    async function work(n: number, d: number): Promise<number> {
      return await viaLock(n, d);
    }
    async function limited(n: number): Promise<number> {
      return await sem.run(async () => {
        await asyncio.sleep(0.01 * n);
        return n;
      });
    }
    async function timed(n: number): Promise<number> {
      return await asyncio.timeout(1, async () => {
        await asyncio.sleep(0.01 * n);
        return await work(n, 0);
      });
    }
    const out: unknown[] = [];
    out.push(await asyncio.gather([work(1, 0.01), work(2, 0), work(3, -1)]));
    out.push(await Promise.all([work(4, -1), work(5, 0.01), asyncio.sleep(0, 6)]));
    out.push(await asyncio.gather([limited(3), limited(1), limited(2)]));
    out.push(await Promise.all([timed(2), timed(1), work(7, 0.005)]));
    out.push(log.join(" "));
    return out;
  });
  assert.deepEqual(results.slice(0, 4), [
    [1, 2, 3],
    [4, 5, 6],
    [3, 1, 2],
    [2, 1, 7],
  ]);
  // The lock admits one body at a time, in the order the calls asked for it.
  assert.match(String(results[4]), /^in 1 out 1 in 2 out 2 in 3 out 3 in 4 out 4 in 5 out 5 /);
});

test("an async task that awaited itself stays marked: another task's await of it fails as in CPython", async () => {
  const out = await asyncio.run(async () => {
    const log: string[] = [];
    const t = asyncio.createTask(async () => {
      try {
        await asyncio.currentTask()!;
      } catch (e) {
        log.push(`caught ${(e as Error).message.split(":")[0]}`);
      }
      await asyncio.sleep(0);
      return "done";
    });
    await asyncio.sleep(0);
    try {
      log.push(`got ${await t}`);
    } catch (e) {
      log.push(`${(e as Error).name}: ${(e as Error).message}`);
    }
    await asyncio.sleep(0.01);
    log.push(`result ${t.result()}`);
    return log;
  });
  assert.deepEqual(out, [
    "RuntimeError: await wasn't used with future",
    "caught Task cannot await on itself",
    "result done",
  ]);
});

test("started calls sharing one task under Promise.all, each awaiting library coroutines over a long exchange, all resume", async () => {
  // Five echo clients as plain calls of the main task: a coroutine's wake-up queued while the
  // function awaited something else used to be dropped, and that call never resumed.
  await asyncio.run(async () => {
    const server = await asyncio.startServer(
      async (r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
        for (;;) {
          const d = await r.read(65536);
          if (d.length === 0) break;
          w.write(d);
          await w.drain();
        }
        w.write(Buffer.from("tail"));
        w.close();
        await w.waitClosed();
      },
      "127.0.0.1",
      0,
    );
    const port = (server.sockets[0]!.getsockname() as [string, number])[1];
    const client = async (i: number): Promise<number> => {
      const [r, w] = await asyncio.openConnection("127.0.0.1", port);
      const n = 1000 + i * 3777;
      const t = asyncio.createTask(async () => {
        for (let k = 0; k < n; k += 4096) {
          w.write(Buffer.alloc(Math.min(4096, n - k)));
          await w.drain();
        }
        w.writeEof();
      });
      await r.readexactly(n);
      await t;
      const tail = await r.read();
      w.close();
      await w.waitClosed();
      return n + tail.length;
    };
    const sizes = await asyncio.timeout(20, () =>
      Promise.all(Array.from({ length: 5 }, (_, i) => client(i))),
    );
    assert.deepEqual(sizes, [1004, 4781, 8558, 12335, 16112]);
    server.close();
    await server.waitClosed();
  });
});

test("inside an async task, .then(f) and Promise.resolve(x).then(f, g) on library awaitables give promises of f's result (a two-callback x.then(f, g) is taken for an await: docs/differences.md)", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const double = (v: number) => v * 2;
    const fail = (e: unknown) => {
      throw e;
    };
    assert.equal(await asyncio.sleep(0, 5).then(double), 10);
    await asyncio.sleep(0);
    // once the task has awaited something too (the hook took any call for the task's await)
    assert.equal(await asyncio.sleep(0, 6).then(double), 12);
    assert.deepEqual(await Promise.all([asyncio.sleep(0.01, 1).then(double)]), [2]);
    assert.equal(await Promise.resolve(asyncio.sleep(0, 5)).then(double, fail), 10);
    const fut = loop.createFuture<number>();
    loop.callSoon(() => fut.setResult(21));
    assert.equal(await fut.then(double), 42);
    const tasks = [1, 2, 3].map((i) => asyncio.createTask(asyncio.sleep(0.01, i)));
    const all = await Promise.all(tasks.map((t) => Promise.resolve(t).then(double, fail)));
    assert.deepEqual(all, [2, 4, 6]);
    assert.ok(tasks.every((t) => t.done()));
  });
});

test("a Node callback made in a task's code is not the task's code: its awaits leave the task's own", async () => {
  const log = await vrun(async () => {
    const log: string[] = [];
    const v = new asyncio.ContextVar("v", { default: "unset" });
    v.set("main");
    const loop = asyncio.getRunningLoop();
    const main = asyncio.currentTask();
    // Made here, it runs in a later Node turn, while the task waits in its timeout.
    setImmediate(async () => {
      log.push(`immediate: currentTask ${asyncio.currentTask() === main ? "main" : "none"}`);
      v.set("immediate");
      await asyncio.sleep(1); // a task of its own, not the main task's await
      log.push(`immediate slept until ${loop.time()}`);
    });
    try {
      await asyncio.timeout(5, () => asyncio.sleep(10));
    } catch (e) {
      log.push(`main: ${(e as Error).name} at ${loop.time()}, v=${v.get()}`);
    }
    return log;
  });
  assert.deepEqual(log, [
    "immediate: currentTask none",
    "immediate slept until 1",
    "main: TimeoutError at 5, v=main",
  ]);
});

test("a Node callback runs in a copy of the context it was made in; AsyncResource.bind keeps the task", async () => {
  const seen = await vrun(async () => {
    const seen: string[] = [];
    const v = new asyncio.ContextVar("v", { default: "unset" });
    v.set("task");
    const main = asyncio.currentTask();
    const { AsyncResource } = await import("node:async_hooks");
    const bound = AsyncResource.bind(() => asyncio.currentTask() === main);
    const done = new asyncio.Event();
    setImmediate(() => {
      seen.push(`immediate sees ${v.get()}`);
      v.set("immediate"); // its own copy: the task never sees it
      seen.push(`bound function is the task's code: ${bound()}`);
      done.set();
    });
    await done.wait();
    seen.push(`task sees ${v.get()}`);
    return seen;
  });
  assert.deepEqual(seen, [
    "immediate sees task",
    "bound function is the task's code: true",
    "task sees task",
  ]);
});

test("Node streams driven by the task's own work stay its code; each callback gets its own copy", async () => {
  const { Readable, Writable } = await import("node:stream");
  const { pipeline } = await import("node:stream/promises");
  const seen = await vrun(async () => {
    const seen: string[] = [];
    const main = asyncio.currentTask();
    // An async generator feeding a pipeline (resumed through process.nextTick): the task's
    // code, so the task's timeout reaches its sleep.
    async function* pages() {
      for (let i = 0; i < 5; i++) {
        seen.push(`page ${i}: task ${asyncio.currentTask() === main}`);
        await asyncio.sleep(1);
        yield `p${i}`;
      }
    }
    const sink = new Writable({ objectMode: true, write: (_c, _e, cb) => cb() });
    try {
      await asyncio.timeout(1.5, () => pipeline(Readable.from(pages()), sink));
    } catch (e) {
      seen.push(`pipeline: ${(e as Error).name} at ${asyncio.getRunningLoop().time()}`);
    }
    // Callbacks made by a callback: each a copy of the context current when it was made.
    const v = new asyncio.ContextVar("v", { default: "unset" });
    v.set("task");
    const done = new asyncio.Event();
    setImmediate(() => {
      setImmediate(() => seen.push(`made before the set: ${v.get()}`));
      v.set("callback");
      setImmediate(() => {
        seen.push(`made after the set: ${v.get()}`);
        done.set();
      });
    });
    await done.wait();
    seen.push(`task: ${v.get()}`);
    return seen;
  });
  assert.deepEqual(seen, [
    "page 0: task true",
    "page 1: task true",
    "pipeline: TimeoutError at 1.5",
    "made before the set: task",
    "made after the set: callback",
    "task: task",
  ]);
});

test("a Node callback made by a generator task's code runs in a copy of the task's context", async () => {
  await vrun(async () => {}); // an async task has run: Node tracks scopes from then on
  const seen = await asyncio.run(
    function* () {
      const seen: string[] = [];
      const v = new asyncio.ContextVar("v", { default: "unset" });
      v.set("gen task");
      const done = asyncio.getRunningLoop().createFuture<void>();
      setImmediate(() => {
        seen.push(
          `immediate: ${v.get()}, task ${asyncio.currentTask() === null ? "none" : "some"}`,
        );
        v.set("immediate");
        done.setResult();
      });
      yield* done;
      seen.push(`task: ${v.get()}`);
      return seen;
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
  assert.deepEqual(seen, ["immediate: gen task, task none", "task: gen task"]);
});

test("an async function a loop callback starts keeps that callback's context after its awaits", async () => {
  const v = new asyncio.ContextVar("v", { default: "unset" });
  const seen = await vrun(async () => {
    const seen: string[] = [];
    v.set("main");
    const loop = asyncio.getRunningLoop();
    const done = loop.createFuture<void>();
    loop.callSoon(async () => {
      await asyncio.sleep(0);
      seen.push(`A after await: ${v.get()}`);
      v.set("set by A");
      setImmediate(() => {
        seen.push(`timer made by A: ${v.get()}`);
        done.setResult();
      });
    });
    loop.callSoon(async () => {
      await asyncio.sleep(1);
      seen.push(`B after await: ${v.get()}`);
    });
    await done;
    await asyncio.sleep(2);
    return seen;
  });
  seen.sort(); // (B's virtual second and A's Node turn may come in either order)
  seen.push(`top level after run: ${v.get()}`);
  assert.deepEqual(seen, [
    "A after await: main",
    "B after await: main",
    "timer made by A: set by A",
    "top level after run: unset",
  ]);
});
