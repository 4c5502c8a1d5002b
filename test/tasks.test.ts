/**
 * Task, createTask, currentTask/allTasks, ensureFuture, eager tasks, cancellation and the
 * AbortSignal, in both coroutine syntaxes. The CPython traces are in conformance/05, 07, 31, 35
 * and 40-48.
 */
import assert from "node:assert/strict";
import { EventEmitter, once } from "node:events";
import { test } from "node:test";
import { setImmediate as macrotask, setTimeout as sleepFor } from "node:timers/promises";
import { pyRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

type Main<T> = asyncio.Coroutine<T> | (() => asyncio.Coroutine<T>) | (() => PromiseLike<T>);

function vrun<T>(main: Main<T>): Promise<T> {
  return asyncio.run(main as () => Promise<T>, { loopFactory: () => new VirtualTimeLoop() });
}

function loopOf(): asyncio.EventLoop {
  return asyncio.getRunningLoop() as asyncio.EventLoop;
}

const isCancel = (e: unknown): e is asyncio.CancelledError => e instanceof asyncio.CancelledError;

async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert.ok(gc, "run the tests with --expose-gc");
  for (let i = 0; i < 3; i++) {
    gc();
    await macrotask();
  }
}

/** Strips the `coro=<...>` part of a task repr. */
function reprNoCoro(t: unknown): string {
  return pyRepr(t).replace(/ coro=<\S+ (running|done)>/, "");
}

// ---- one scheduling model, two syntaxes ----

/** A program exercising the scheduling rules, written once per syntax. */
function* schedulingGen(log: string[]): asyncio.Coroutine<void> {
  const loop = loopOf();
  function* w(name: string, n: number): asyncio.Coroutine<void> {
    for (let i = 0; i < n; i++) {
      log.push(`${name}${i}`);
      yield* asyncio.sleep(0);
    }
  }
  const a = asyncio.createTask(w("a", 3));
  const b = asyncio.createTask(w("b", 2));
  loop.callSoon(() => log.push("cs"));
  log.push("main");
  const f = loop.createFuture<string>();
  loop.callLater(0.5, () => f.setResult("timer"));
  log.push(`f=${yield* f}@${loop.time()}`);
  yield* a;
  yield* b;
  const c = asyncio.createTask(function* () {
    log.push("c-start");
    yield* asyncio.sleep(1);
    log.push("c-end");
    return "c";
  });
  yield* asyncio.sleep(0);
  log.push("main-2");
  log.push(`c=${yield* c}@${loop.time()}`);
}

async function schedulingAsync(log: string[]): Promise<void> {
  const loop = loopOf();
  async function w(name: string, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      log.push(`${name}${i}`);
      await asyncio.sleep(0);
    }
  }
  const a = asyncio.createTask(() => w("a", 3));
  const b = asyncio.createTask(() => w("b", 2));
  loop.callSoon(() => log.push("cs"));
  log.push("main");
  const f = loop.createFuture<string>();
  loop.callLater(0.5, () => f.setResult("timer"));
  log.push(`f=${await f}@${loop.time()}`);
  await a;
  await b;
  const c = asyncio.createTask(async () => {
    log.push("c-start");
    await asyncio.sleep(1);
    log.push("c-end");
    return "c";
  });
  await asyncio.sleep(0);
  log.push("main-2");
  log.push(`c=${await c}@${loop.time()}`);
}

test("a generator program and its async-function twin give the same event order", async () => {
  const g: string[] = [];
  const a: string[] = [];
  await vrun(() => schedulingGen(g));
  await vrun(() => schedulingAsync(a));
  assert.deepEqual(g, [
    "main",
    "a0",
    "b0",
    "cs",
    "a1",
    "b1",
    "a2",
    "f=timer@0.5",
    "c-start",
    "main-2",
    "c-end",
    "c=c@1.5",
  ]);
  assert.deepEqual(a, g);
});

test("a task's body does not start until its creator suspends (both syntaxes)", async () => {
  for (const kind of ["gen", "async"]) {
    const log = await vrun(async () => {
      const log: string[] = [];
      const t =
        kind === "gen"
          ? // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
            asyncio.createTask(function* () {
              log.push("body");
              return 1;
            })
          : asyncio.createTask(async () => {
              log.push("body");
              return 1;
            });
      log.push(`created done=${t.done()}`);
      await asyncio.sleep(0);
      log.push(`after sleep(0) done=${t.done()}`);
      return log;
    });
    assert.deepEqual(log, ["created done=false", "body", "after sleep(0) done=true"], kind);
  }
});

// ---- cancellation ----

test("cancellation reaches an async function at awaits of library awaitables", async () => {
  const seen = await vrun(async () => {
    const loop = loopOf();
    const seen: string[] = [];
    const awaitables: [string, () => PromiseLike<unknown>][] = [
      ["sleep", () => asyncio.sleep(100)],
      ["future", () => loop.createFuture()],
      ["task", () => asyncio.createTask(() => asyncio.sleep(100))],
      [
        "library coroutine",
        () =>
          asyncio.awaitable(function* () {
            yield* asyncio.sleep(100);
          })(),
      ],
    ];
    for (const [label, make] of awaitables) {
      const t = asyncio.createTask(async () => {
        try {
          await make();
        } catch (e) {
          if (isCancel(e)) seen.push(`${label}: ${e.args[0]}`);
          throw e;
        } finally {
          seen.push(`${label}: finally`);
        }
      });
      await asyncio.sleep(0);
      t.cancel("stop");
      await assert.rejects(async () => await t, asyncio.CancelledError);
      assert.equal(t.cancelled(), true);
    }
    return seen;
  });
  assert.deepEqual(seen, [
    "sleep: stop",
    "sleep: finally",
    "future: stop",
    "future: finally",
    "task: stop",
    "task: finally",
    "library coroutine: stop",
    "library coroutine: finally",
  ]);
});

test("an async function that swallows the cancellation finishes normally, cancelling() stays 1", async () => {
  await vrun(async () => {
    const t = asyncio.createTask(async () => {
      try {
        await asyncio.sleep(10);
      } catch (e) {
        if (!isCancel(e)) throw e;
      }
      await asyncio.sleep(1); // later awaits are not cancelled
      return "recovered";
    });
    await asyncio.sleep(0);
    assert.equal(t.cancel(), true);
    assert.equal(t.cancel(), true);
    assert.equal(t.cancelling(), 2);
    assert.equal(await t, "recovered");
    assert.equal(t.cancelled(), false);
    assert.equal(t.cancelling(), 2);
  });
});

test("cancel before the first step: the body never runs (both syntaxes)", async () => {
  await vrun(async () => {
    const ran: string[] = [];
    const tasks = [
      // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
      asyncio.createTask(function* () {
        ran.push("gen");
      }),
      asyncio.createTask(async () => {
        ran.push("async");
      }),
    ];
    for (const t of tasks) {
      assert.equal(t.cancel("early"), true);
      assert.match(pyRepr(t), /^<Task cancelling /);
    }
    for (const t of tasks) {
      await assert.rejects(
        async () => await t,
        (e) => isCancel(e) && e.args[0] === "early",
      );
    }
    assert.deepEqual(ran, []);
  });
});

test("self-cancel then return without awaiting ends cancelled (both syntaxes)", async () => {
  await vrun(async () => {
    // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
    const g = asyncio.createTask(function* () {
      asyncio.currentTask()!.cancel();
      return 12;
    });
    const a = asyncio.createTask(async () => {
      asyncio.currentTask()!.cancel();
      return 12;
    });
    for (const t of [g, a]) {
      await assert.rejects(async () => await t, asyncio.CancelledError);
      assert.equal(t.cancelled(), true);
    }
  });
});

test("cancel() then uncancel() before the next await withdraws it (3.13), both syntaxes", async () => {
  const r = await vrun(async () => {
    const g = asyncio.createTask(function* () {
      const me = asyncio.currentTask()!;
      me.cancel();
      me.uncancel();
      yield* asyncio.sleep(0);
      return "gen ok";
    });
    const a = asyncio.createTask(async () => {
      const me = asyncio.currentTask()!;
      me.cancel();
      me.uncancel();
      await asyncio.sleep(0);
      return "async ok";
    });
    return [await g, await a, g.uncancel(), a.uncancel()];
  });
  assert.deepEqual(r, ["gen ok", "async ok", 0, 0]);
});

test("cancel forwarded to an awaited task that swallows it: the outer task gets the result", async () => {
  for (const kind of ["gen", "async"]) {
    await vrun(async () => {
      const inner = asyncio.createTask(async () => {
        try {
          await asyncio.sleep(10);
        } catch (e) {
          if (!isCancel(e)) throw e;
          return "inner ignored cancel";
        }
        return "slept";
      });
      const outer =
        kind === "gen"
          ? asyncio.createTask(function* () {
              return yield* inner;
            })
          : asyncio.createTask(async () => await inner);
      await asyncio.sleep(0);
      outer.cancel();
      assert.equal(await outer, "inner ignored cancel", kind);
      assert.equal(outer.cancelled(), false);
      assert.equal(outer.cancelling(), 1);
    });
  }
});

test("a second cancel() while the first is in flight keeps the first message (async too)", async () => {
  await vrun(async () => {
    for (const kind of ["gen", "async"]) {
      const f = loopOf().createFuture();
      const t =
        kind === "gen"
          ? asyncio.createTask(function* () {
              yield* f;
            })
          : asyncio.createTask(async () => {
              await f;
            });
      await asyncio.sleep(0);
      t.cancel("a");
      t.cancel("b");
      await assert.rejects(
        async () => await t,
        (e) => isCancel(e) && e.args[0] === "a",
        kind,
      );
    }
  });
});

// ---- AbortSignal ----

test("task.signal aborts when the task is asked to cancel, with a CancelledError reason", async () => {
  await vrun(async () => {
    let reasonInside: unknown = null;
    const t = asyncio.createTask(async () => {
      const signal = asyncio.currentSignal();
      assert.equal(signal, asyncio.currentTask()!.signal);
      // a foreign API that honours the signal
      await new Promise((_resolve, reject) => {
        signal.addEventListener("abort", () => {
          reasonInside = signal.reason;
          reject(signal.reason);
        });
      });
    });
    await asyncio.sleep(0);
    assert.equal(t.signal.aborted, false);
    t.cancel("stop it");
    assert.equal(t.signal.aborted, true);
    await assert.rejects(async () => await t, asyncio.CancelledError);
    assert.ok(isCancel(reasonInside));
    assert.deepEqual((reasonInside as asyncio.CancelledError).args, ["stop it"]);
    assert.equal(t.cancelled(), true);

    // a signal asked for after cancel() is already aborted, with the message the body gets
    const u = asyncio.createTask(() => asyncio.sleep(1));
    await asyncio.sleep(0);
    u.cancel("late");
    u.cancel("later");
    assert.equal(u.signal.aborted, true);
    assert.deepEqual((u.signal.reason as asyncio.CancelledError).args, ["late"]);
    await assert.rejects(async () => await u, { name: "CancelledError", message: "late" });
  });
  assert.throws(() => asyncio.currentSignal(), asyncio.RuntimeError);
});

test("an AbortError caused by the task's signal counts as its cancellation (task, timeout, TaskGroup)", async () => {
  const loop = new VirtualTimeLoop();
  try {
    await loop.runUntilComplete(async () => {
      const emitter = new EventEmitter();
      const waitOnce = () => once(emitter, "never", { signal: asyncio.currentSignal() });
      // a task: ends cancelled with the signal's reason
      const t = asyncio.createTask(waitOnce);
      await asyncio.sleep(0);
      t.cancel("stop");
      await assert.rejects(
        async () => await t,
        (e) => e instanceof asyncio.CancelledError && e.message === "stop",
      );
      assert.equal(t.cancelled(), true);
      // Node's timers/promises, inside a timeout() body: TimeoutError
      await assert.rejects(
        async () =>
          await asyncio.timeout(0.01, () =>
            sleepFor(10_000, null, { signal: asyncio.currentSignal() }),
          ),
        asyncio.TimeoutError,
      );
      // a TaskGroup child aborted by its sibling's failure is not among the errors
      await assert.rejects(
        async () =>
          await new asyncio.TaskGroup().run(async (tg) => {
            tg.createTask(waitOnce);
            tg.createTask(async () => {
              await asyncio.sleep(0.01);
              throw new asyncio.ValueError("boom");
            });
          }),
        (e) =>
          e instanceof asyncio.ExceptionGroup &&
          e.exceptions.length === 1 &&
          e.exceptions[0] instanceof asyncio.ValueError,
      );
      // an AbortError caused by anything but a cancellation stays an error
      const other = new AbortController();
      const u = asyncio.createTask(() => once(emitter, "never", { signal: other.signal }));
      await asyncio.sleep(0);
      other.abort(new Error("not a cancellation"));
      await assert.rejects(async () => await u, { name: "AbortError" });
      assert.equal(u.cancelled(), false);
      // a parent's signal handed to its children: cancelling the parent ends them cancelled
      const parent = asyncio.createTask(async () => {
        const signal = asyncio.currentSignal();
        await new asyncio.TaskGroup().run(async (tg) => {
          tg.createTask(() => once(emitter, "never", { signal }));
          tg.createTask(() => sleepFor(10_000, null, { signal }));
        });
      });
      await asyncio.sleep(0.01);
      parent.cancel("stop");
      await assert.rejects(
        async () => await parent,
        (e) => e instanceof asyncio.CancelledError && e.message === "stop",
      );
      assert.equal(parent.cancelled(), true);
    });
  } finally {
    loop.close();
  }
});

test("a cancellation that reached the task's code is spent: task.signal is a fresh one", async () => {
  await vrun(async () => {
    const seen: string[] = [];
    const cleaned = new asyncio.Event();
    const t = asyncio.createTask(async () => {
      const first = asyncio.currentSignal();
      try {
        await asyncio.sleep(10);
      } catch (e) {
        seen.push(`caught ${(e as Error).name}, first aborted ${first.aborted}`);
        // A clean-up can use the signal: not aborted before it starts.
        const v = await sleepFor(1, "cleaned", { signal: asyncio.currentSignal() });
        seen.push(`${v}, now aborted ${asyncio.currentSignal().aborted}`);
      }
      cleaned.set();
      const second = asyncio.currentSignal();
      try {
        await sleepFor(10_000, null, { signal: second });
      } catch (e) {
        seen.push(`second cancel: ${(e as Error).name}, aborted ${second.aborted}`);
      }
      return "done";
    });
    await asyncio.sleep(0);
    t.cancel();
    await cleaned.wait(); // (the clean-up's sleep is Node's: real time)
    t.cancel("again");
    // The second request is still pending when the body returns: the task ends cancelled, as
    // CPython's does when its coroutine returns with `_must_cancel` set.
    await assert.rejects(
      async () => await t,
      (e) => e instanceof asyncio.CancelledError && e.message === "again",
    );
    assert.equal(t.cancelling(), 2);
    assert.deepEqual(seen, [
      "caught CancelledError, first aborted true",
      "cleaned, now aborted false",
      "second cancel: AbortError, aborted true",
    ]);
  });
});

test("a task that ends cancelled aborts the fresh signal it read after the cancellation", async () => {
  await vrun(async () => {
    let held: AbortSignal | null = null;
    const t = asyncio.createTask(async () => {
      try {
        await asyncio.sleep(10);
      } finally {
        held = asyncio.currentSignal(); // fresh: the cancellation reached the task
      }
    });
    await asyncio.sleep(0);
    t.cancel();
    await assert.rejects(async () => await t, asyncio.CancelledError);
    assert.equal(held!.aborted, true);
    assert.equal(t.signal.aborted, true);
  });
});

test("a timeout/TaskGroup/lock body whose signal-aware call was aborted gets the cancellation once", async () => {
  await vrun(async () => {
    const seen: string[] = [];
    for (const wrap of ["timeout", "taskgroup", "lock"]) {
      const t = asyncio.createTask(async () => {
        const body = () => sleepFor(10_000, null, { signal: asyncio.currentSignal() });
        try {
          if (wrap === "timeout") await asyncio.timeout(10, body);
          else if (wrap === "taskgroup") await new asyncio.TaskGroup().run(body);
          else await new asyncio.Lock().run(body);
        } catch (e) {
          seen.push(`${wrap}: ${(e as Error).name}`);
        }
        await asyncio.sleep(0); // CPython: no second CancelledError
        return "end";
      });
      await asyncio.sleep(0.01);
      t.cancel();
      seen.push(`${wrap}: ${await t}`);
    }
    assert.deepEqual(seen, [
      "timeout: CancelledError",
      "timeout: end",
      "taskgroup: CancelledError",
      "taskgroup: end",
      "lock: CancelledError",
      "lock: end",
    ]);
  });
});

test("task.signal also aborts for generator tasks", async () => {
  await vrun(function* () {
    const t = asyncio.createTask(function* () {
      yield* asyncio.sleep(10);
    });
    const signal = t.signal;
    yield* asyncio.sleep(0);
    t.cancel();
    assert.equal(signal.aborted, true);
    try {
      yield* t;
    } catch (e) {
      assert.ok(isCancel(e));
    }
  });
});

// ---- foreign awaits ----

test("currentTask() stays right after awaiting a foreign promise inside an async task", async () => {
  // A real loop: the foreign promise settles on Node's clock.
  const names = await asyncio.run(async () => {
    const names: string[] = [];
    async function worker(n: string): Promise<void> {
      names.push(`${n}:${asyncio.currentTask()?.getName()}`);
      await new Promise((r) => setTimeout(r, 1));
      names.push(`${n}:${asyncio.currentTask()?.getName()}`);
      await asyncio.sleep(0);
      names.push(`${n}:${asyncio.currentTask()?.getName()}`);
    }
    const a = asyncio.createTask(() => worker("a"), { name: "A" });
    const b = asyncio.createTask(() => worker("b"), { name: "B" });
    await a;
    await b;
    names.push(`main:${asyncio.currentTask()?.getName()}`);
    return names;
  });
  assert.deepEqual(
    names.filter((x) => x.startsWith("a")),
    ["a:A", "a:A", "a:A"],
  );
  assert.deepEqual(
    names.filter((x) => x.startsWith("b")),
    ["b:B", "b:B", "b:B"],
  );
  assert.match(names.at(-1)!, /^main:Task-\d+$/);
});

test("awaits that settle in microtasks hold the loop, as synchronous code would in Python", async () => {
  // `await null` a hundred times is no suspension for asyncio: the other task must not run in
  // between (the loop waits until the microtasks run out, however many there are).
  const log = await vrun(async () => {
    const log: string[] = [];
    async function spinner(): Promise<void> {
      await asyncio.sleep(0);
      log.push("spinner resumed");
      for (let i = 0; i < 200; i++) await null;
      log.push("spinner spun");
      await asyncio.sleep(0);
      log.push("spinner done");
    }
    async function other(): Promise<void> {
      await asyncio.sleep(0);
      log.push("other resumed");
    }
    const a = asyncio.createTask(spinner);
    const b = asyncio.createTask(other);
    await a;
    await b;
    return log;
  });
  assert.deepEqual(log, ["spinner resumed", "spinner spun", "other resumed", "spinner done"]);
});

test("a task awaiting a foreign promise that needs a Node turn does not hold the loop", async () => {
  const log = await asyncio.run(async () => {
    const log: string[] = [];
    async function waiter(): Promise<void> {
      await asyncio.sleep(0);
      await macrotask(); // settles in a later Node turn
      log.push("waiter after foreign await");
    }
    async function counter(): Promise<void> {
      for (let i = 0; i < 3; i++) {
        await asyncio.sleep(0);
        log.push(`counter ${i}`);
      }
    }
    const a = asyncio.createTask(waiter);
    const b = asyncio.createTask(counter);
    await a;
    await b;
    return log;
  });
  assert.equal(log.indexOf("counter 0") < log.indexOf("waiter after foreign await"), true);
  assert.deepEqual(
    log.filter((x) => x.startsWith("counter")),
    ["counter 0", "counter 1", "counter 2"],
  );
});

test("context variables are isolated between async tasks, even across foreign awaits", async () => {
  const v = new asyncio.ContextVar<string>("v", { default: "unset" });
  const seen = await asyncio.run(async () => {
    v.set("main");
    const seen: string[] = [];
    async function worker(n: string): Promise<void> {
      seen.push(`${n} starts with ${v.get()}`);
      v.set(n);
      await new Promise((r) => setTimeout(r, 1));
      seen.push(`${n} after foreign await: ${v.get()}`);
      await Promise.resolve();
      await asyncio.sleep(0);
      seen.push(`${n} after sleep: ${v.get()}`);
    }
    const a = asyncio.createTask(() => worker("a"));
    const b = asyncio.createTask(() => worker("b"));
    v.set("main-changed");
    await a;
    await b;
    seen.push(`main: ${v.get()}`);
    return seen;
  });
  assert.deepEqual(
    seen.filter((s) => s.startsWith("a")),
    ["a starts with main", "a after foreign await: a", "a after sleep: a"],
  );
  assert.deepEqual(
    seen.filter((s) => s.startsWith("b")),
    ["b starts with main", "b after foreign await: b", "b after sleep: b"],
  );
  assert.equal(seen.at(-1), "main: main-changed");
});

test("an async task can await several futures at once with Promise.all", async () => {
  const r = await vrun(async () => {
    const loop = loopOf();
    const f = loop.createFuture<number>();
    const g = loop.createFuture<number>();
    loop.callLater(1, () => f.setResult(1));
    loop.callLater(2, () => g.setResult(2));
    const both = await Promise.all([f, g, asyncio.sleep(0.5, 3)]);
    return [...both, loop.time()];
  });
  assert.deepEqual(r, [1, 2, 3, 2]);
});

// ---- creation and arguments ----

test("a promise passed where a coroutine is required is a TypeError with a hint", async () => {
  await vrun(async () => {
    const p = Promise.resolve(1);
    const hint =
      /a coroutine was expected, got <Promise>: a promise has already started; pass a function that returns it instead/;
    assert.throws(() => asyncio.createTask(p as never), { name: "TypeError", message: hint });
    assert.throws(() => new asyncio.Task(p as never), { name: "TypeError", message: hint });
    assert.throws(() => loopOf().createTask(p as never), { name: "TypeError", message: hint });
    assert.throws(() => asyncio.createTask(123 as never), {
      name: "TypeError",
      message: "a coroutine was expected, got 123",
    });
  });
});

test("a function given to createTask that returns neither a coroutine nor a promise fails the task", async () => {
  await vrun(async () => {
    const t = asyncio.createTask((() => 5) as never);
    await assert.rejects(async () => await t, {
      name: "TypeError",
      message: "a coroutine was expected, got 5",
    });
  });
});

test("names, getCoro, getContext, setResult refused, repr states", async () => {
  await vrun(async () => {
    const loop = loopOf();
    // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
    function* body(): asyncio.Coroutine<string> {
      return "abc";
    }
    const c = body();
    const t1 = asyncio.createTask(c);
    assert.match(t1.getName(), /^Task-\d+$/);
    assert.equal(t1.getCoro(), c);
    const fn = async () => "x";
    const t2 = asyncio.createTask(fn, { name: "named" });
    assert.equal(t2.getName(), "named");
    assert.equal(t2.getCoro(), fn);
    t2.setName(42);
    assert.equal(t2.getName(), "42");
    const ctx = asyncio.copyContext();
    const t3 = asyncio.createTask(body(), { context: ctx });
    assert.equal(t3.getContext(), ctx);
    assert.throws(() => t1.setResult("x"), {
      name: "RuntimeError",
      message: "Task does not support set_result operation",
    });
    assert.throws(() => t1.setException(new Error()), {
      name: "RuntimeError",
      message: "Task does not support set_exception operation",
    });
    assert.throws(() => t1.result(), { name: "InvalidStateError" });
    await t1;
    await t2;
    await t3;
    assert.equal(t2.getCoro(), fn);
    assert.equal(reprNoCoro(t1), `<Task finished name='${t1.getName()}' result='abc'>`);

    const f = loop.createFuture();
    const tg = asyncio.createTask(
      function* () {
        yield* f;
      },
      { name: "G" },
    );
    const ta = asyncio.createTask(
      async () => {
        await f;
      },
      { name: "A" },
    );
    await asyncio.sleep(0);
    assert.equal(
      reprNoCoro(tg),
      "<Task pending name='G' wait_for=<Future pending cb=[Task.task_wakeup(), Task.task_wakeup()]>>",
    );
    assert.equal(reprNoCoro(ta), reprNoCoro(tg).replace("name='G'", "name='A'"));
    tg.cancel();
    assert.match(reprNoCoro(tg), /^<Task cancelling name='G' wait_for=<Future cancelled/);
    await assert.rejects(async () => await tg);
    await assert.rejects(async () => await ta);
    assert.equal(reprNoCoro(tg), "<Task cancelled name='G'>");
  });
});

test("a task awaiting itself, or a future of another loop, fails (both syntaxes)", async () => {
  await vrun(async () => {
    const g = asyncio.createTask(function* () {
      yield* asyncio.currentTask()!;
    });
    await assert.rejects(async () => await g, {
      name: "RuntimeError",
      message: /^Task cannot await on itself: <Task pending /,
    });
    const other = asyncio.newEventLoop();
    const otherF = other.createFuture();
    const a = asyncio.createTask(async () => {
      await otherF;
    });
    await assert.rejects(async () => await a, {
      name: "RuntimeError",
      message: /got Future <Future pending> attached to a different loop$/,
    });
    const b = asyncio.createTask(function* () {
      yield* otherF;
    });
    await assert.rejects(async () => await b, {
      message: /got Future <Future pending> attached to a different loop$/,
    });
    other.close();
  });
});

test("bad yields from a generator fail the task with CPython's messages", async () => {
  await vrun(async () => {
    const loop = loopOf();
    const f = loop.createFuture();
    const cases: [() => asyncio.Coroutine<void>, RegExp][] = [
      [
        function* () {
          yield "junk";
        },
        /^Task got bad yield: 'junk'$/,
      ],
      [
        function* () {
          yield f; // `yield` instead of `yield*`
        },
        /^yield was used instead of yield from in task <Task .*> with <Future pending>$/,
      ],
      [
        function* () {
          yield Promise.resolve(1);
        },
        /^Task got bad yield: <Promise> \(a promise: use `yield\* asyncio.ensureFuture\(promise\)`\)$/,
      ],
    ];
    for (const [body, message] of cases) {
      const t = asyncio.createTask(body);
      await assert.rejects(async () => await t, { name: "RuntimeError", message });
    }
    f.cancel();
  });
});

test("an async function returning a Future adopts it (JavaScript awaits returned thenables)", async () => {
  // Python returns the Future object itself; a generator coroutine does too.
  await vrun(async () => {
    const loop = loopOf();
    const fut = loop.createFuture<string>();
    loop.callLater(1, () => fut.setResult("adopted"));
    const a = asyncio.createTask(async () => fut);
    assert.equal(await a, "adopted");
    // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
    const g = asyncio.createTask(function* () {
      return fut;
    });
    while (!g.done()) await asyncio.sleep(0);
    assert.equal(g.result(), fut);
  });
});

// ---- currentTask / allTasks ----

test("currentTask: the running task, null in callbacks, RuntimeError without a loop", async () => {
  await vrun(async () => {
    const loop = loopOf();
    const me = asyncio.currentTask();
    assert.ok(me instanceof asyncio.Task);
    let inCallback: unknown = "unset";
    loop.callSoon(() => {
      inCallback = asyncio.currentTask();
    });
    const child = asyncio.createTask(async () => {
      await asyncio.sleep(0);
      return { task: asyncio.currentTask() }; // a returned Task would be adopted: box it
    });
    assert.equal((await child).task, child);
    assert.equal(inCallback, null);
    assert.equal(asyncio.currentTask(), me);
    assert.equal(asyncio.currentTask(asyncio.newEventLoop()), null);
  });
  assert.throws(() => asyncio.currentTask(), { message: "no running event loop" });
  assert.throws(() => asyncio.allTasks(), { message: "no running event loop" });
});

test("allTasks: the not-done tasks of the loop, including ones pending past a stop", async () => {
  const loop = new VirtualTimeLoop();
  try {
    const t = loop.createTask(() => asyncio.sleep(10), { name: "sleeper" });
    const f = loop.createTask(async () => 1, { name: "quick" });
    assert.deepEqual([...asyncio.allTasks(loop)].map((x) => x.getName()).sort(), [
      "quick",
      "sleeper",
    ]);
    await loop.runUntilComplete(f);
    // the loop has stopped: `sleeper` is now held weakly, still listed while referenced
    assert.deepEqual(
      [...asyncio.allTasks(loop)].map((x) => x.getName()),
      ["sleeper"],
    );
    t.cancel();
    await assert.rejects(loop.runUntilComplete(t), asyncio.CancelledError);
    assert.equal(asyncio.allTasks(loop).size, 0);
  } finally {
    loop.close();
  }
});

test("allTasks lists tasks in creation order, whether made before a run, in it, or before an idle wait", async () => {
  const loop = new VirtualTimeLoop();
  const names = () => [...asyncio.allTasks(loop)].map((x) => x.getName());
  try {
    const made: asyncio.Task<unknown>[] = [];
    const sleeper = (name: string) => made.push(loop.createTask(asyncio.sleep(100), { name }));
    sleeper("before-run");
    await loop.runUntilComplete(
      loop.createTask(
        async () => {
          sleeper("run-1");
          await asyncio.sleep(1); // the loop goes idle: run-1 is tenured
          sleeper("after-idle");
          assert.deepEqual(names(), ["before-run", "main", "run-1", "after-idle"]);
        },
        { name: "main" },
      ),
    );
    sleeper("between-runs");
    await loop.runUntilComplete(
      loop.createTask(
        async () => {
          sleeper("run-2");
          assert.deepEqual(names(), [
            "before-run",
            "run-1",
            "after-idle",
            "between-runs",
            "second",
            "run-2",
          ]);
        },
        { name: "second" },
      ),
    );
    for (const t of made) t.cancel();
    await loop.runUntilComplete(asyncio.gather(made, { returnExceptions: true }));
  } finally {
    loop.close();
  }
});

test("_registerTask: a task of another class is listed while referenced; a tenured Task unregistered and back", async () => {
  const loop = new VirtualTimeLoop();
  try {
    let foreign: { done(): boolean; getLoop(): unknown } | null = {
      done: () => false,
      getLoop: () => loop,
    };
    asyncio._registerTask(foreign);
    assert.equal(asyncio.allTasks(loop).size, 1);
    // held weakly, as CPython's WeakSet holds it
    foreign = null;
    await macrotask();
    (globalThis as { gc?: () => void }).gc?.();
    if ((globalThis as { gc?: () => void }).gc) assert.equal(asyncio.allTasks(loop).size, 0);
    // a task pending past a stop is tenured (held weakly); unregistering reaches it there too
    const t = loop.createTask(() => asyncio.sleep(10), { name: "sleeper" });
    await loop.runUntilComplete(asyncio.sleep(0));
    asyncio._unregisterTask(t);
    assert.equal(asyncio.allTasks(loop).size, 0);
    asyncio._registerTask(t);
    assert.deepEqual([...asyncio.allTasks(loop)], [t]);
    t.cancel();
    await assert.rejects(loop.runUntilComplete(t), asyncio.CancelledError);
    assert.equal(asyncio.allTasks(loop).size, 0);
  } finally {
    loop.close();
  }
});

// ---- garbage collection ----

/** The contexts `loop`'s exception handler receives, collected in an array. */
function handledContexts(loop: asyncio.AbstractEventLoop): Record<string, unknown>[] {
  const contexts: Record<string, unknown>[] = [];
  loop.setExceptionHandler((_l, ctx) => {
    contexts.push(ctx);
  });
  return contexts;
}

test("a pending task nobody can wake is reported when collected; unretrieved errors too", async () => {
  const loop = new VirtualTimeLoop();
  const contexts = handledContexts(loop);
  try {
    await (async () => {
      loop.createTask(
        async function forgotten() {
          await loop.createFuture();
        },
        { name: "lost" },
      );
      // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
      loop.createTask(function* () {
        throw new asyncio.ValueError("never read");
      });
      await loop.runUntilComplete(asyncio.sleep(0));
    })();
    await collectGarbage();
    const messages = contexts.map((c) => c.message).sort();
    assert.deepEqual(messages, [
      "Task exception was never retrieved",
      "Task was destroyed but it is pending!",
    ]);
    const pending = contexts.find((c) => c.task !== undefined)!;
    assert.equal(pyRepr(pending.task), "<Task pending name='lost' coro=<forgotten() running>>");
    assert.equal(asyncio.allTasks(loop).size, 0);
  } finally {
    loop.close();
  }
});

test("a task of a loop that never runs (or is closed first) is reported when collected", async () => {
  const loop = new VirtualTimeLoop();
  const contexts = handledContexts(loop);
  (() => {
    loop.createTask(
      async function neverStarted() {
        await asyncio.sleep(1);
      },
      { name: "never" },
    );
    loop
      .createTask(
        async function cancelledFirst() {
          await asyncio.sleep(1);
        },
        { name: "cancelled" },
      )
      .cancel();
  })();
  assert.equal(asyncio.allTasks(loop).size, 2);
  loop.close();
  await collectGarbage();
  assert.deepEqual(contexts.map((c) => [c.message, pyRepr(c.task)]).sort(), [
    [
      "Task was destroyed but it is pending!",
      "<Task cancelling name='cancelled' coro=<cancelledFirst() running>>",
    ],
    [
      "Task was destroyed but it is pending!",
      "<Task pending name='never' coro=<neverStarted() running>>",
    ],
  ]);
});

test("tasks made by gather() and runUntilComplete() for what they were given are not reported when destroyed pending", async () => {
  const loop = new VirtualTimeLoop();
  const contexts = handledContexts(loop);
  const hang = function* (): asyncio.Coroutine<void> {
    yield* asyncio.sleep(3600);
  };
  await (async () => {
    // gather's child task (CPython's `_log_destroy_pending = False`), and a task of the user's.
    await loop.runUntilComplete(function* () {
      asyncio.gather([hang()]);
      asyncio.createTask(hang(), { name: "mine" });
      yield* asyncio.sleep(0);
    });
    // runUntilComplete's own task, left pending by a stop().
    await assert.rejects(
      loop.runUntilComplete(function* () {
        asyncio.getRunningLoop().stop();
        yield* hang();
      }),
      { message: "Event loop stopped before Future completed." },
    );
  })();
  loop.close();
  await collectGarbage();
  assert.deepEqual(
    contexts.map((c) => pyRepr(c.task)),
    ["<Task pending name='mine' coro=<coroutine() running>>"],
  );
  const t = asyncio.newEventLoop().createTask(hang());
  assert.equal(t._logDestroyPending, true);
  t._logDestroyPending = false;
  assert.equal(t._logDestroyPending, false);
});

test("an unretrieved exception's report shows the task as it is when collected: renamed, eager coroutine let go (as CPython's, taken then)", async () => {
  const loop = new VirtualTimeLoop();
  const contexts = handledContexts(loop);
  try {
    await (async () => {
      await loop.runUntilComplete(async () => {
        loop.setTaskFactory(asyncio.eagerTaskFactory);
        loop.createTask(
          // biome-ignore lint/correctness/useYield: fails in its first (eager) step
          function* () {
            throw new asyncio.ValueError("eager");
          },
          { name: "worker" },
        );
        loop.setTaskFactory(null);
        const t = loop.createTask(
          // biome-ignore lint/correctness/useYield: fails in its first step
          function* () {
            throw new asyncio.ValueError("lazy");
          },
          { name: "before" },
        );
        await asyncio.sleep(0);
        t.setName("after");
      });
    })();
    await collectGarbage();
    const reprs = contexts.map((c) => pyRepr(c.future)).sort();
    assert.deepEqual(reprs, [
      "<Task finished name='after' coro=<coroutine() done> exception=ValueError('lazy')>",
      "<Task finished name='worker' exception=ValueError('eager')>",
    ]);
  } finally {
    loop.close();
  }
});

test("debug mode: a destroyed pending task shows what it waited on and where it was made", async () => {
  const loop = new VirtualTimeLoop();
  loop.setDebug(true);
  const contexts = handledContexts(loop);
  try {
    await (async () => {
      loop.createTask(
        function* stuck() {
          yield* asyncio.sleep(3600);
        },
        { name: "stuck" },
      );
      await loop.runUntilComplete(asyncio.sleep(0));
    })();
    loop.close();
    await collectGarbage();
    const ctx = contexts.find((c) => c.message === "Task was destroyed but it is pending!")!;
    assert.match(
      pyRepr(ctx.task),
      /^<Task pending name='stuck' coro=<stuck\(\) running> wait_for=<Future pending cb=\[Task\.task_wakeup\(\)\] created at .*tasks\.test\.ts:\d+> created at .*tasks\.test\.ts:\d+>$/,
    );
    assert.match(String(ctx.source_traceback), /tasks\.test\.ts:\d+$/);
  } finally {
    if (!loop.isClosed()) loop.close();
  }
});

// ---- ensureFuture ----

test("ensureFuture: futures as they are, coroutines as tasks, thenables as futures", async () => {
  await vrun(async () => {
    const loop = loopOf();
    const f = loop.createFuture();
    assert.equal(asyncio.ensureFuture(f), f);
    const t = asyncio.ensureFuture(
      // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
      (function* () {
        return 1;
      })(),
    );
    assert.ok(t instanceof asyncio.Task);
    assert.equal(await t, 1);
    assert.ok(asyncio.ensureFuture(asyncio.sleep(0)) instanceof asyncio.Task);

    const ok = asyncio.ensureFuture(Promise.resolve("p"));
    assert.ok(ok instanceof asyncio.Future && !(ok instanceof asyncio.Task));
    assert.equal(ok.getLoop(), loop);
    assert.equal(await ok, "p");
    const bad = asyncio.ensureFuture(Promise.reject(new asyncio.ValueError("r")));
    await assert.rejects(async () => await bad, { name: "ValueError", message: "r" });
    // a custom thenable
    const thenable = {
      then(res: (v: string) => void) {
        res("custom");
      },
    };
    assert.equal(await asyncio.ensureFuture(thenable as PromiseLike<string>), "custom");
    assert.throws(() => asyncio.ensureFuture(5 as never), {
      name: "TypeError",
      message: "An asyncio.Future, a coroutine or an awaitable is required",
    });
    // A function (how an async function's coroutine is passed to createTask) gets a hint.
    assert.throws(() => asyncio.ensureFuture((async () => 1) as never), {
      name: "TypeError",
      message:
        "An asyncio.Future, a coroutine or an awaitable is required (got a function: createTask(fn) runs it as a task)",
    });
    f.cancel();
  });
});

test("ensureFuture of a thenable on a closed loop raises, as create_task() does in CPython", () => {
  const loop = asyncio.newEventLoop();
  loop.close();
  // It returned a future that could never settle.
  assert.throws(() => asyncio.ensureFuture(Promise.resolve(1), { loop }), {
    name: "RuntimeError",
    message: "Event loop is closed",
  });
});

test("thenables: adopted when resolved with a thenable, cancelled by a CancelledError, a throwing then fails a task", async () => {
  const loop = new VirtualTimeLoop();
  try {
    await loop.runUntilComplete(async () => {
      const nested = { then: (res: (v: unknown) => void) => res(Promise.resolve("inner")) };
      assert.equal(await asyncio.ensureFuture(nested as PromiseLike<string>), "inner");
      const f = asyncio.ensureFuture(Promise.reject(new asyncio.CancelledError("pc")));
      await assert.rejects(async () => await f, asyncio.CancelledError);
      assert.equal(f.cancelled(), true);
      const t = asyncio.createTask((() => ({
        then() {
          throw new asyncio.ValueError("in then");
        },
      })) as never);
      await assert.rejects(async () => await t, asyncio.ValueError);
      assert.equal(t.done(), true);
    });
  } finally {
    loop.close();
  }
});

test("cancelling the future of a thenable abandons the promise's outcome", async () => {
  await asyncio.run(async () => {
    let resolve!: (v: string) => void;
    const p = new Promise<string>((r) => {
      resolve = r;
    });
    const f = asyncio.ensureFuture(p);
    assert.equal(f.cancel(), true);
    resolve("late");
    await p;
    await asyncio.sleep(0);
    assert.equal(f.cancelled(), true);
  });
});

test("ensureFuture on future-likes wraps them in a task; a bad one fails with CPython's message", async () => {
  await vrun(function* () {
    const loop = loopOf();
    const fut = loop.createFuture<number>();
    const like = {
      *[Symbol.iterator](): asyncio.Coroutine<string> {
        return `waited:${yield* fut}`;
      },
    };
    const t = asyncio.ensureFuture(like);
    assert.ok(t instanceof asyncio.Task);
    loop.callLater(1, () => fut.setResult(7));
    assert.equal(yield* t, "waited:7");
    const bad = asyncio.ensureFuture({
      [Symbol.iterator]: () => 123,
    } as unknown as PromiseLike<unknown>);
    try {
      yield* bad;
      assert.fail("no error");
    } catch (e) {
      assert.equal((e as Error).message, "__await__() returned non-iterator of type 'int'");
    }
  });
});

// ---- eager tasks ----

test("eager tasks: a generator body that never suspends finishes inside createTask", async () => {
  await vrun(function* () {
    const loop = loopOf();
    loop.setTaskFactory(asyncio.eagerTaskFactory as asyncio.TaskFactory);
    const log: string[] = [];
    // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
    const t = asyncio.createTask(function* () {
      log.push("ran");
      return 1;
    });
    log.push("after create");
    assert.deepEqual(log, ["ran", "after create"]);
    assert.equal(t.done(), true);
    assert.equal(t.result(), 1);
    assert.equal(t.getCoro(), null);
    assert.equal(asyncio.allTasks().has(t), false);
    const two = asyncio.createTask(function* () {
      log.push("step1");
      yield* asyncio.sleep(0);
      log.push("step2");
      return 2;
    });
    log.push("after create 2");
    assert.equal(two.done(), false);
    assert.equal(asyncio.allTasks().has(two), true);
    assert.equal(yield* two, 2);
    assert.deepEqual(log.slice(2), ["step1", "after create 2", "step2"]);
    loop.setTaskFactory(null);
  });
});

test("eager tasks: an async body runs synchronously up to its first await", async () => {
  await vrun(async () => {
    const loop = loopOf();
    loop.setTaskFactory(asyncio.eagerTaskFactory as asyncio.TaskFactory);
    const me = asyncio.currentTask();
    const log: string[] = [];
    const t = asyncio.createTask(async () => {
      log.push(`step1 current is new task: ${asyncio.currentTask() !== me}`);
      await asyncio.sleep(0);
      log.push("step2");
      return 2;
    });
    log.push(`after create, current is main: ${asyncio.currentTask() === me}`);
    assert.equal(await t, 2);
    assert.deepEqual(log, [
      "step1 current is new task: true",
      "after create, current is main: true",
      "step2",
    ]);
    // An async body that never awaits has returned, but its promise settles in a microtask:
    // the task is done by the next iteration, not inside createTask (unlike a generator).
    const quick = asyncio.createTask(async () => "quick");
    assert.equal(quick.done(), false);
    await asyncio.sleep(0);
    assert.equal(quick.done(), true);
    assert.equal(quick.result(), "quick");
    loop.setTaskFactory(null);
  });
});

test("new Task(..., { eagerStart: true }) and createEagerTaskFactory with a subclass", async () => {
  await vrun(async () => {
    const loop = loopOf();
    // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
    function* quick(): asyncio.Coroutine<number> {
      return 3;
    }
    const t = new asyncio.Task(quick(), { loop, eagerStart: true });
    assert.equal(t.done(), true);
    class MyTask<T> extends asyncio.Task<T> {}
    loop.setTaskFactory(asyncio.createEagerTaskFactory(MyTask) as asyncio.TaskFactory);
    const m = asyncio.createTask(quick(), { name: "custom" });
    assert.ok(m instanceof MyTask);
    assert.equal(m.getName(), "custom");
    assert.equal(m.result(), 3);
    loop.setTaskFactory(null);
  });
  // on a loop that is not running, eagerStart schedules the task as usual
  const loop = new VirtualTimeLoop();
  const t = new asyncio.Task(
    // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
    (function* () {
      return "later";
    })(),
    { loop, eagerStart: true },
  );
  assert.equal(t.done(), false);
  assert.equal(await loop.runUntilComplete(t), "later");
  loop.close();
});

// ---- errors escaping the loop ----

test("KeyboardInterrupt raised in an async task escapes the run", async () => {
  await assert.rejects(
    vrun(async () => {
      asyncio.createTask(async () => {
        await asyncio.sleep(0);
        throw new asyncio.KeyboardInterrupt();
      });
      await asyncio.sleep(10);
    }),
    asyncio.KeyboardInterrupt,
  );
});

test("sleep uses loop time and returns its result; a negative delay is one iteration", async () => {
  const r = await vrun(async () => {
    const loop = loopOf();
    const a = await asyncio.sleep(2.5, "r");
    const t = loop.time();
    const b = await asyncio.sleep(-1, "neg");
    return [a, t, b, loop.time()];
  });
  assert.deepEqual(r, ["r", 2.5, "neg", 2.5]);
});

test("sleep(NaN) is a ValueError (3.13); a non-number a TypeError", async () => {
  await vrun(async () => {
    await assert.rejects(async () => await asyncio.sleep(Number.NaN), {
      name: "ValueError",
      message: "Invalid delay: NaN (not a number)",
    });
    await assert.rejects(async () => await asyncio.sleep("1" as never), {
      name: "TypeError",
      message: "'<=' not supported between instances of 'str' and 'int'",
    });
  });
});

test("a task that finished eagerly has no coroutine in its repr", async () => {
  await vrun(function* () {
    const t = new asyncio.Task(
      // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
      (function* () {
        return 1;
      })(),
      { loop: loopOf(), eagerStart: true, name: "E" },
    );
    assert.equal(pyRepr(t), "<Task finished name='E' result=1>");
    yield* asyncio.sleep(0);
  });
});

test("a cancel is not lost to a stale member of an earlier Promise.all of futures", async () => {
  const log = await vrun(async () => {
    const loop = loopOf();
    const log: string[] = [];
    const a = loop.createFuture<number>();
    const b = loop.createFuture<number>();
    loop.callLater(1, () => a.setResult(1));
    const t = asyncio.createTask(async () => {
      try {
        await Promise.all([a, b]);
      } catch (e) {
        log.push(`first: ${(e as Error).name}`);
      }
      try {
        await new Promise((r) => setTimeout(r, 5)); // foreign: `a` resolves meanwhile
        await asyncio.sleep(10);
        log.push("not cancelled");
      } catch (e) {
        log.push(`second: ${(e as Error).name}`);
        throw e;
      }
    });
    await asyncio.sleep(0.5);
    t.cancel(); // delivered through `b`, the last future registered
    await asyncio.sleep(0.1);
    t.cancel(); // pending until the task's next await of a library awaitable
    await assert.rejects(async () => await t, asyncio.CancelledError);
    return log;
  });
  assert.deepEqual(log, ["first: CancelledError", "second: CancelledError"]);
});

test("after a failed self-await or foreign-future await, the futures can be awaited again", async () => {
  await vrun(async () => {
    const other = asyncio.newEventLoop();
    const otherDone = other.createFuture<string>();
    otherDone.setResult("x");
    const otherPending = other.createFuture();
    const order: string[] = [];
    const t = asyncio.createTask(async () => {
      // A done future of another loop does not suspend: its result comes back.
      assert.equal(await otherDone, "x");
      asyncio.getRunningLoop().callSoon(() => order.push("callback"));
      try {
        await otherPending;
      } catch (e) {
        order.push((e as Error).name);
      }
      try {
        await asyncio.currentTask()!;
      } catch (e) {
        order.push((e as Error).message.split(":")[0]!);
      }
      return "done";
    });
    // The error comes a step later, after the callback scheduled before the await (as CPython).
    assert.equal(await t, "done");
    assert.deepEqual(order, ["callback", "RuntimeError", "Task cannot await on itself"]);
    assert.equal(await t, "done");
    assert.equal(asyncio.currentTask(null), asyncio.currentTask());
    assert.ok(asyncio.allTasks(null).has(asyncio.currentTask()!));
    other.close();
  });
});

test("a Task of a library coroutine names it in its repr, by CPython's qualname", async () => {
  await asyncio.run(async () => {
    const q = new asyncio.Queue();
    const e = new asyncio.Event();
    const reprs: string[] = [];
    for (const c of [asyncio.sleep(1), q.get(), e.wait(), asyncio.waitFor(asyncio.sleep(1), 2)]) {
      const t = asyncio.ensureFuture(c);
      await asyncio.sleep(0);
      reprs.push(String(t).replace(/ wait_for=.*/, ""));
      t.cancel();
    }
    assert.deepEqual(
      reprs.map((r) => r.replace(/name='Task-\d+' /, "")),
      [
        "<Task pending coro=<sleep() running>",
        "<Task pending coro=<Queue.get() running>",
        "<Task pending coro=<Event.wait() running>",
        "<Task pending coro=<wait_for() running>",
      ],
    );
  });
});

test("printStack(): 'No stack for <task>' (no frames in JavaScript), then a failed task's exception line; the exception stays unretrieved", async () => {
  await asyncio.run(async () => {
    let text = "";
    const file = { write: (t: string) => (text += t) };
    const bad = asyncio.createTask(
      async function bad() {
        throw new asyncio.ValueError("x");
      },
      { name: "t-bad" },
    );
    await asyncio.sleep(0);
    bad.printStack({ limit: 0, file });
    assert.equal(text, `No stack for ${pyRepr(bad)}\nValueError: x\n`);
    assert.equal(
      (bad as unknown as { _x: { logToken: object | null } })._x.logToken !== null,
      true,
    );
    bad.exception();
    text = "";
    const invalid = asyncio.createTask(
      async function invalidState() {
        throw new asyncio.InvalidStateError("is");
      },
      { name: "t-is" },
    );
    await asyncio.sleep(0);
    invalid.printStack({ file });
    assert.equal(
      text,
      `No stack for ${pyRepr(invalid)}\nasyncio.exceptions.InvalidStateError: is\n`,
    );
    invalid.exception();
    text = "";
    const ok = asyncio.createTask(asyncio.sleep(0, 1), { name: "t-ok" });
    await ok;
    ok.printStack({ file });
    assert.equal(text, `No stack for ${pyRepr(ok)}\n`);
  });
});

test("ensureFuture() of a thenable whose then() throws: the future fails, the call does not", async () => {
  await asyncio.run(async () => {
    const bad = {
      then(): never {
        throw new asyncio.ValueError("then failed");
      },
    };
    const fut = asyncio.ensureFuture(bad as PromiseLike<unknown>);
    assert.equal(fut.done(), true);
    assert.throws(() => fut.result(), /then failed/);
  });
});

test("a Task subclass in reprs: the future it waits on names its wake-up `MyTask.task_wakeup()`, and an overridden cancelling() decides 'cancelling'", async () => {
  class MyTask<T> extends asyncio.Task<T> {}
  class Stubborn<T> extends asyncio.Task<T> {
    override cancelling(): number {
      return 1;
    }
  }
  await vrun(function* () {
    const loop = loopOf();
    const fut = loop.createFuture<void>();
    const waiting = new MyTask(
      (function* () {
        yield* fut;
      })(),
      { name: "w" },
    );
    const stubborn = new Stubborn(asyncio.sleep(1), { name: "s" });
    yield* asyncio.sleep(0);
    assert.equal(pyRepr(fut), "<Future pending cb=[MyTask.task_wakeup()]>");
    assert.match(pyRepr(stubborn), /^<Stubborn cancelling name='s'/);
    fut.setResult();
    yield* waiting;
    yield* stubborn;
  });
});

test("`await using` whose body raised and whose disposal is cancelled: the task ends cancelled, and a timeout() around it is a TimeoutError (not a SuppressedError)", async () => {
  const disposable = (delay: number) => ({
    async [Symbol.asyncDispose]() {
      await asyncio.sleep(delay);
    },
  });
  await vrun(async () => {
    async function body(): Promise<void> {
      await using _ = disposable(10);
      await asyncio.sleep(10);
    }
    const t = asyncio.createTask(body);
    await asyncio.sleep(1);
    t.cancel("first"); // the body raises, the disposal starts sleeping
    await asyncio.sleep(1);
    t.cancel("second"); // the disposal raises too
    const [r] = await asyncio.gather([t], { returnExceptions: true });
    assert.equal(t.cancelled(), true);
    assert.ok(r instanceof asyncio.CancelledError);

    const timed = asyncio.timeout(1, async () => {
      await using _ = disposable(10);
      throw new asyncio.ValueError("body");
    });
    await assert.rejects(async () => await timed, asyncio.TimeoutError);
  });
});

test("reprs: ensureFuture's wrapper of an awaitable, a coroutine-like object, a subclass's wake-up", async () => {
  await asyncio.run(function* () {
    const loop = asyncio.getRunningLoop();
    const fut = loop.createFuture<number>();
    const wrapped = asyncio.ensureFuture({
      *[Symbol.iterator]() {
        return yield* fut;
      },
    });
    assert.match(pyRepr(wrapped), /coro=<ensure_future\.<locals>\._wrap_awaitable\(\) running>/);
    class CoroLike {
      next(): IteratorResult<unknown, number> {
        return { value: 1, done: true };
      }
      throw(e: unknown): IteratorResult<unknown, number> {
        throw e;
      }
      return(): IteratorResult<unknown, number> {
        return { value: 0, done: true };
      }
      [Symbol.iterator]() {
        return this;
      }
    }
    const t = loop.createTask(new CoroLike() as never);
    assert.match(
      pyRepr(t),
      /^<Task pending name='Task-\d+' coro=<<CoroLike without __name__>\(\)>>$/,
    );
    const named = Object.assign(new CoroLike(), { __qualname__: "named_coro" });
    const t2 = loop.createTask(named as never);
    assert.match(pyRepr(t2), /coro=<named_coro\(\)>/);
    yield* t;
    assert.match(pyRepr(t), /coro=<<CoroLike without __name__>\(\)> result=1>$/);
    fut.setResult(5);
    yield* wrapped;
    yield* t2;

    // A task subclass waiting on a future whose addDoneCallback is its own.
    class MyTask<T> extends asyncio.Task<T> {}
    class MyFut<T> extends asyncio.Future<T> {
      override addDoneCallback(
        fn: (future: this) => unknown,
        options?: { context?: asyncio.Context },
      ): void {
        super.addDoneCallback(fn, options);
      }
    }
    const f = new MyFut<number>();
    const mt = new MyTask(
      (function* () {
        return yield* f;
      })(),
    );
    yield* asyncio.sleep(0);
    assert.equal(pyRepr(f), "<MyFut pending cb=[MyTask.task_wakeup()]>");
    f.setResult(1);
    assert.equal(yield* mt, 1);
  });
});
