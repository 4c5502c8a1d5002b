/**
 * Future: states, callbacks, awaiting with `yield*` and with `await`, reprs, unretrieved
 * exceptions. The CPython traces are in conformance/01, 03, 07, 42 and 49.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { setImmediate as macrotask } from "node:timers/promises";
import { isBaseExceptionOnly } from "../src/exceptions.ts";
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

/** Runs the loop for exactly one iteration. */
async function runOnce(loop: asyncio.EventLoop): Promise<void> {
  loop.callSoon(() => loop.stop());
  await loop.runForever();
}

async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert.ok(gc, "run the tests with --expose-gc");
  for (let i = 0; i < 3; i++) {
    gc();
    await macrotask();
  }
}

function withLoop(fn: (loop: asyncio.EventLoop) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const loop = new VirtualTimeLoop();
    try {
      await fn(loop);
    } finally {
      loop.close();
    }
  };
}

// ---- states ----

test(
  "a new future is pending; result() and exception() say so",
  withLoop((loop) => {
    const f = loop.createFuture<number>();
    assert.equal(f.done(), false);
    assert.equal(f.cancelled(), false);
    assert.equal(pyRepr(f), "<Future pending>");
    assert.throws(() => f.result(), { name: "InvalidStateError", message: "Result is not set." });
    assert.throws(() => f.exception(), {
      name: "InvalidStateError",
      message: "Exception is not set.",
    });
    assert.equal(f.getLoop(), loop);
  }),
);

test(
  "setResult: done, result, no exception; a second outcome is InvalidStateError",
  withLoop((loop) => {
    const f = loop.createFuture<number>();
    f.setResult(42);
    assert.equal(f.done(), true);
    assert.equal(f.result(), 42);
    assert.equal(f.exception(), null);
    assert.equal(pyRepr(f), "<Future finished result=42>");
    assert.throws(() => f.setResult(1), { name: "InvalidStateError", message: "invalid state" });
    assert.throws(() => f.setException(new Error()), asyncio.InvalidStateError);
    assert.equal(f.cancel(), false);
    assert.equal(f.result(), 42);
  }),
);

test(
  "setException: result() rethrows the same object; classes are instantiated; non-errors refused",
  withLoop((loop) => {
    const f = loop.createFuture();
    const err = new asyncio.RuntimeError("boom");
    f.setException(err);
    assert.throws(
      () => f.result(),
      (e) => e === err,
    );
    assert.equal(f.exception(), err);
    assert.equal(pyRepr(f), "<Future finished exception=RuntimeError('boom')>");

    const g = loop.createFuture();
    g.setException(asyncio.ValueError);
    assert.ok(g.exception() instanceof asyncio.ValueError);

    const h = loop.createFuture();
    assert.throws(() => h.setException(42), {
      name: "TypeError",
      message: "invalid exception object",
    });
    assert.equal(h.done(), false);
    h.cancel();
  }),
);

test(
  "cancel(): true once, then false; result() and exception() throw CancelledError with the message",
  withLoop((loop) => {
    const f = loop.createFuture();
    assert.equal(f.cancel("why"), true);
    assert.equal(f.cancel(), false);
    assert.equal(f.cancelled(), true);
    assert.equal(f.done(), true);
    assert.equal(pyRepr(f), "<Future cancelled>");
    for (const read of [() => f.result(), () => f.exception()]) {
      assert.throws(read, (e) => e instanceof asyncio.CancelledError && e.args[0] === "why");
    }
    const g = loop.createFuture();
    g.cancel();
    assert.throws(
      () => g.result(),
      (e) => e instanceof asyncio.CancelledError && e.args.length === 0,
    );
    const h = loop.createFuture();
    h.cancel(5);
    assert.throws(
      () => h.result(),
      (e) => e instanceof asyncio.CancelledError && e.args[0] === 5,
    );
  }),
);

test("CancelledError is 'BaseException only'; InvalidStateError is an ordinary error", () => {
  assert.equal(isBaseExceptionOnly(new asyncio.CancelledError()), true);
  assert.equal(isBaseExceptionOnly(new asyncio.InvalidStateError()), false);
  assert.equal(new asyncio.CancelledError().name, "CancelledError");
});

test("new Future(loop) positional is refused; without a loop it binds to the current one", () => {
  const loop = asyncio.newEventLoop();
  assert.throws(() => new asyncio.Future(loop as never), {
    name: "TypeError",
    message: "Future() takes no positional arguments",
  });
  asyncio.setEventLoop(loop);
  try {
    assert.equal(new asyncio.Future().getLoop(), loop);
    asyncio.setEventLoop(null);
    assert.throws(() => new asyncio.Future(), {
      name: "RuntimeError",
      message: "There is no current event loop in thread 'MainThread'.",
    });
  } finally {
    asyncio.setEventLoop(null);
    loop.close();
  }
});

test("isFuture is duck-typed on _asyncioFutureBlocking", () => {
  const loop = asyncio.newEventLoop();
  assert.equal(asyncio.isFuture(loop.createFuture()), true);
  assert.equal(asyncio.isFuture({ _asyncioFutureBlocking: false }), true);
  assert.equal(asyncio.isFuture({ _asyncioFutureBlocking: null }), false);
  assert.equal(asyncio.isFuture(asyncio.Future), false);
  assert.equal(asyncio.isFuture(1), false);
  assert.equal(asyncio.isFuture(Promise.resolve()), false);
  loop.close();
});

// ---- callbacks ----

test(
  "done callbacks are never synchronous, run FIFO with other callSoon work, also when added late",
  withLoop(async (loop) => {
    const log: string[] = [];
    const f = loop.createFuture<number>();
    f.addDoneCallback((fut) => log.push(`a:${fut.result()}`));
    loop.callSoon(() => log.push("s1"));
    f.setResult(7);
    loop.callSoon(() => log.push("s2"));
    assert.equal(log.length, 0);
    await runOnce(loop);
    assert.deepEqual(log, ["s1", "a:7", "s2"]);
    f.addDoneCallback(() => log.push("late"));
    assert.deepEqual(log, ["s1", "a:7", "s2"]);
    await runOnce(loop);
    assert.equal(log.at(-1), "late");
  }),
);

test(
  "cancel() and setException() schedule callbacks the same way",
  withLoop(async (loop) => {
    const log: string[] = [];
    const f = loop.createFuture();
    f.addDoneCallback((x) => log.push(`cancelled=${x.cancelled()}`));
    f.cancel();
    const g = loop.createFuture();
    g.addDoneCallback((x) => log.push(`exc=${(x.exception() as Error).message}`));
    g.setException(new asyncio.ValueError("v"));
    assert.deepEqual(log, []);
    await runOnce(loop);
    assert.deepEqual(log, ["cancelled=true", "exc=v"]);
  }),
);

test(
  "removeDoneCallback removes every registration and returns the count",
  withLoop(async (loop) => {
    const log: string[] = [];
    const f = loop.createFuture();
    const c1 = () => log.push("c1");
    const c2 = () => log.push("c2");
    f.addDoneCallback(c1);
    f.addDoneCallback(c2);
    f.addDoneCallback(c1);
    assert.equal(f.removeDoneCallback(c1), 2);
    assert.equal(f.removeDoneCallback(c1), 0);
    f.setResult(null);
    await runOnce(loop);
    assert.deepEqual(log, ["c2"]);
    assert.equal(f.removeDoneCallback(c2), 0);
  }),
);

test(
  "a raising callback goes to the exception handler and the next ones still run",
  withLoop(async (loop) => {
    const contexts: Record<string, unknown>[] = [];
    loop.setExceptionHandler((_l, ctx) => {
      contexts.push(ctx);
    });
    const log: string[] = [];
    const f = loop.createFuture();
    f.addDoneCallback(function bad() {
      throw new asyncio.RuntimeError("bad callback");
    });
    f.addDoneCallback(() => log.push("after"));
    f.setResult(1);
    await runOnce(loop);
    assert.equal(contexts.length, 1);
    assert.deepEqual(Object.keys(contexts[0]!).sort(), ["exception", "handle", "message"]);
    assert.equal(contexts[0]!.message, "Exception in callback bad()");
    assert.deepEqual(log, ["after"]);
  }),
);

test(
  "a callback runs in the context current at addDoneCallback, or the one given",
  withLoop(async (loop) => {
    const v = new asyncio.ContextVar<string>("v", { default: "default" });
    const log: string[] = [];
    const f = loop.createFuture();
    const ctx = new asyncio.Context();
    ctx.run(() => v.set("explicit"));
    asyncio.copyContext().run(() => {
      v.set("at-add");
      f.addDoneCallback(() => log.push(`implicit=${v.get()}`));
    });
    f.addDoneCallback(() => log.push(`explicit=${v.get()}`), { context: ctx });
    f.addDoneCallback(() => v.set("changed"));
    f.setResult(null);
    await runOnce(loop);
    assert.deepEqual(log, ["implicit=at-add", "explicit=explicit"]);
    assert.equal(v.get(), "default");
  }),
);

test(
  "reprs list callbacks as CPython does, and cut long string results",
  withLoop((loop) => {
    const f = loop.createFuture();
    function one() {}
    function two() {}
    function three() {}
    f.addDoneCallback(one);
    assert.equal(pyRepr(f), "<Future pending cb=[one()]>");
    f.addDoneCallback(two);
    f.addDoneCallback(three);
    assert.equal(pyRepr(f), "<Future pending cb=[one(), <1 more>, three()]>");
    f.cancel();
    const g = loop.createFuture();
    g.setResult("x".repeat(40));
    assert.equal(pyRepr(g), "<Future finished result='xxxxxxxxxxxx...xxxxxxxxxxxxx'>");
  }),
);

// ---- awaiting ----

test("a future is awaited with yield* in a generator and with await in an async function", async () => {
  const r = await vrun(function* () {
    const loop = loopOf();
    const f = loop.createFuture<string>();
    loop.callLater(1, () => f.setResult("gen"));
    const a = yield* f;
    const g = loop.createFuture<string>();
    loop.callLater(1, () => g.setResult("async"));
    const b = yield* asyncio.createTask(async () => await g);
    return [a, b, loop.time()];
  });
  assert.deepEqual(r, ["gen", "async", 2]);
});

test("a done future can be awaited many times: same value, same exception object", async () => {
  await vrun(async () => {
    const loop = loopOf();
    const f = loop.createFuture<number>();
    f.setResult(42);
    assert.equal(await f, 42);
    assert.equal(await f, 42);
    const err = new asyncio.ValueError("v");
    const g = loop.createFuture();
    g.setException(err);
    for (let i = 0; i < 2; i++)
      await assert.rejects(
        async () => await g,
        (e) => e === err,
      );
  });
  await vrun(function* () {
    const loop = loopOf();
    const err = new asyncio.ValueError("v");
    const g = loop.createFuture();
    g.setException(err);
    for (let i = 0; i < 2; i++) {
      try {
        yield* g;
        assert.fail("no error");
      } catch (e) {
        assert.equal(e, err);
      }
    }
  });
});

test("two tasks awaiting one future both get its result, in both syntaxes", async () => {
  const log = await vrun(function* () {
    const loop = loopOf();
    const log: string[] = [];
    const f = loop.createFuture<string>();
    const t1 = asyncio.createTask(function* () {
      log.push(`gen:${yield* f}`);
    });
    const t2 = asyncio.createTask(async () => {
      log.push(`async:${await f}`);
    });
    yield* asyncio.sleep(0);
    f.setResult("shared");
    yield* t1;
    yield* t2;
    return log;
  });
  assert.deepEqual(log, ["gen:shared", "async:shared"]);
});

test("cancelling an awaited future cancels the awaiting task with the future's message", async () => {
  await vrun(async () => {
    const loop = loopOf();
    for (const body of [
      (f: asyncio.Future<unknown>) =>
        function* () {
          yield* f;
        },
      (f: asyncio.Future<unknown>) => async () => {
        await f;
      },
    ]) {
      const f = loop.createFuture();
      const t = asyncio.createTask(body(f) as () => PromiseLike<void>);
      await asyncio.sleep(0);
      f.cancel("inner msg");
      await assert.rejects(
        async () => await t,
        (e) => e instanceof asyncio.CancelledError && e.args[0] === "inner msg",
      );
      assert.equal(t.cancelled(), true);
    }
  });
});

test("stepping `yield* fut` by hand: it yields itself once; exhausting it without a task fails", () => {
  const loop = asyncio.newEventLoop();
  const f = loop.createFuture<string>();
  function* gen(): Generator<unknown, string[], unknown> {
    const x = yield* f;
    const y = yield* f;
    return [x, y];
  }
  const g = gen();
  assert.equal(g.next().value, f);
  f.setResult("r");
  assert.deepEqual(g.next(), { value: ["r", "r"], done: true });
  const f2 = loop.createFuture();
  assert.throws(() => Array.from(f2), {
    name: "RuntimeError",
    message: "await wasn't used with future",
  });
  f2.cancel();
  loop.close();
});

test("outside any task, `await fut` behaves like a promise of its outcome", async () => {
  const loop = new VirtualTimeLoop();
  try {
    const f = loop.createFuture<number>();
    const g = loop.createFuture<number>();
    const h = loop.createFuture<number>();
    const got = Promise.all([
      f.then((v) => v * 2),
      g.then(
        () => "no",
        (e: unknown) => (e as Error).name,
      ),
      h.then(
        () => "no",
        (e: unknown) => (e as asyncio.CancelledError).args[0],
      ),
    ]);
    loop.callSoon(() => f.setResult(21));
    loop.callSoon(() => g.setException(new asyncio.ValueError()));
    loop.callSoon(() => h.cancel("m"));
    await loop.runUntilComplete(asyncio.sleep(1));
    assert.deepEqual(await got, [42, "ValueError", "m"]);
  } finally {
    loop.close();
  }
});

// ---- unretrieved exceptions ----

test("a handler raising SystemExit in a report made at garbage collection: printed, not thrown (CPython's unraisable hook)", async () => {
  const loop = new VirtualTimeLoop();
  loop.setExceptionHandler(() => {
    throw new asyncio.SystemExit(5);
  });
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    (() => {
      loop.createFuture().setException(new asyncio.RuntimeError("x"));
    })();
    await collectGarbage();
  } finally {
    process.stderr.write = write;
    loop.close();
  }
  const text = written.join("");
  assert.ok(
    text.startsWith(
      "Exception ignored in: <bound method BaseEventLoop.call_exception_handler of <",
    ),
    text,
  );
  assert.match(text, /^SystemExit: 5$/m);
});

test("an exception never retrieved is reported when the future is collected", async () => {
  const loop = new VirtualTimeLoop();
  const contexts: Record<string, unknown>[] = [];
  loop.setExceptionHandler((_l, ctx) => {
    contexts.push(ctx);
  });
  try {
    (() => {
      loop.createFuture().setException(new asyncio.RuntimeError("boom"));
    })();
    await collectGarbage();
    assert.equal(contexts.length, 1);
    const ctx = contexts[0]!;
    assert.equal(ctx.message, "Future exception was never retrieved");
    assert.ok(ctx.exception instanceof asyncio.RuntimeError);
    assert.ok(ctx.future instanceof asyncio.CollectedFuture);
    assert.equal(pyRepr(ctx.future), "<Future finished exception=RuntimeError('boom')>");
    // a handler may ask the stand-in what it would ask the Future (as CPython's handler can)
    const gone = ctx.future as asyncio.CollectedFuture;
    assert.deepEqual([gone.done(), gone.cancelled(), gone.getLoop() === loop], [true, false, true]);
    assert.equal(gone.exception(), ctx.exception);
    assert.throws(() => gone.result(), /boom/);
    contexts.length = 0;

    // retrieved in any way, or cancel() after setException(): not reported
    (() => {
      const a = loop.createFuture();
      a.setException(new asyncio.RuntimeError("a"));
      a.exception();
      const b = loop.createFuture();
      b.setException(new asyncio.RuntimeError("b"));
      assert.throws(() => b.result());
      const c = loop.createFuture();
      c.setException(new asyncio.RuntimeError("c"));
      assert.equal(c.cancel(), false);
      loop.createFuture().setResult(1);
      loop.createFuture();
    })();
    await collectGarbage();
    assert.deepEqual(contexts, []);
  } finally {
    loop.close();
  }
});

test("an exception retrieved by awaiting (either syntax) is not reported", async () => {
  const contexts: unknown[] = [];
  await vrun(async () => {
    const loop = loopOf();
    loop.setExceptionHandler((_l, ctx) => {
      contexts.push(ctx);
    });
    const f = loop.createFuture();
    f.setException(new asyncio.ValueError());
    await assert.rejects(async () => await f);
    await asyncio.createTask(function* () {
      const g = loop.createFuture();
      g.setException(new asyncio.ValueError());
      try {
        yield* g;
      } catch {}
    });
  });
  await collectGarbage();
  assert.deepEqual(contexts, []);
});

test(
  "a result is shown as reprlib.repr shows it: lists, dicts, sets, big integers, long reprs cut",
  withLoop((loop) => {
    const reprOf = (v: unknown) => {
      const f = loop.createFuture();
      f.setResult(v);
      return pyRepr(f).slice("<Future finished result=".length, -1);
    };
    assert.equal(reprOf([0, 1, 2, 3, 4, 5, 6, 7]), "[0, 1, 2, 3, 4, 5, ...]");
    assert.equal(reprOf({ b: 1, a: 2, c: 3, d: 4, e: 5 }), "{'a': 2, 'b': 1, 'c': 3, 'd': 4, ...}");
    assert.equal(reprOf(new Set([5, 3, 1, 2, 4, 6, 7])), "{1, 2, 3, 4, 5, 6, ...}");
    assert.equal(reprOf(10n ** 50n), "100000000000000000...0000000000000000000");
    assert.equal(reprOf([[[[[[[1]]]]]]]), "[[[[[[[...]]]]]]]");
    assert.equal(reprOf(new asyncio.ValueError("x".repeat(50))), "ValueError('x...xxxxxxxxxxxx')");
    const inner = loop.createFuture();
    assert.equal(reprOf(inner), "<Future pending>");
    inner.cancel();
  }),
);

test("setException() instantiates exception classes only; addDoneCallback(null) fails when it runs, as Python's None()", async () => {
  await vrun(function* () {
    const loop = asyncio.getRunningLoop();
    let called = false;
    const notAnError = function notAnError() {
      called = true;
    };
    const f = loop.createFuture();
    assert.throws(() => f.setException(notAnError), {
      name: "TypeError",
      message: "invalid exception object",
    });
    assert.equal(called, false, "a function that is not an exception class is not called");
    f.setException(asyncio.ValueError);
    assert.ok(f.exception() instanceof asyncio.ValueError);

    const errors: unknown[] = [];
    loop.setExceptionHandler((_l, ctx) => errors.push(ctx.exception));
    const g = loop.createFuture();
    g.addDoneCallback(null as never);
    g.addDoneCallback(null as never);
    assert.equal(pyRepr(g), "<Future pending cb=[None(), None()]>");
    assert.equal(g.removeDoneCallback(null as never), 2);
    g.addDoneCallback(null as never);
    g.setResult(1);
    yield* asyncio.sleep(0);
    assert.equal(errors.length, 1);
    assert.equal((errors[0] as Error).message, "'NoneType' object is not callable");
    loop.setExceptionHandler(null);
  });
});

test("a closed loop refuses to schedule: done callbacks and new Tasks raise RuntimeError", () => {
  const loop = asyncio.newEventLoop();
  const f = loop.createFuture();
  f.addDoneCallback(() => {});
  const done = loop.createFuture();
  done.setResult(0);
  loop.close();
  assert.throws(() => f.setResult(1), { name: "RuntimeError", message: "Event loop is closed" });
  assert.equal(f.done(), true, "the future is done all the same");
  assert.throws(() => done.addDoneCallback(() => {}), { name: "RuntimeError" });
  // biome-ignore lint/correctness/useYield: a coroutine that returns at once
  const coro = (function* () {
    return 1;
  })();
  assert.throws(() => new asyncio.Task(coro, { loop }), { message: "Event loop is closed" });
  assert.equal(asyncio.allTasks(loop).size, 0);
});

test("a future or task whose result holds itself shows '...' inside its own repr (reprlib.recursive_repr)", async () => {
  await asyncio.run(async () => {
    const fut = asyncio.getRunningLoop().createFuture<unknown>();
    fut.setResult([fut]);
    assert.equal(String(fut), "<Future finished result=[...]>");
    const t = asyncio.createTask(async () => [asyncio.currentTask()], { name: "self" });
    await t;
    assert.equal(String(t), "<Task finished name='self' coro=<coroutine() done> result=[...]>");
  });
});

test("asyncio fails the futures it makes through loop.createFuture() with setException(), so a subclass sees it (shield, wrapFuture), as CPython's set_exception() calls", async () => {
  const calls: string[] = [];
  class MyFuture<T> extends asyncio.Future<T> {
    override setException(exc: unknown): void {
      calls.push(`setException(${(exc as Error).name})`);
      super.setException(exc);
    }
  }
  class L extends VirtualTimeLoop {
    override createFuture<T>(): asyncio.Future<T> {
      return new MyFuture<T>({ loop: this });
    }
  }
  await asyncio.run(
    async () => {
      const inner = asyncio.getRunningLoop().createFuture();
      const outer = asyncio.shield(inner);
      inner.setException(new asyncio.ValueError("boom"));
      await assert.rejects(async () => {
        await outer;
      }, /boom/);
    },
    { loopFactory: () => new L() },
  );
  // the inner future's own call, then shield's on its outer future
  assert.deepEqual(calls, ["setException(ValueError)", "setException(ValueError)"]);
});

test("a Future subclass's own [Symbol.iterator] (Python's __await__) is what await and yield* run", async () => {
  class Transform extends asyncio.Future<string> {
    override *[Symbol.iterator](): Generator<unknown, string, unknown> {
      // The typed form (a FutureIterator is not declared iterable itself).
      const r = yield* { [Symbol.iterator]: () => super[Symbol.iterator]() };
      return `<${String(r)}>`;
    }
  }
  class Plain extends asyncio.Future<string> {
    override *[Symbol.iterator](): Generator<unknown, string, unknown> {
      // Python's `yield from super().__await__()` as JavaScript writes it: works at run time.
      // @ts-expect-error FutureIterator is not declared iterable
      const r = yield* super[Symbol.iterator]();
      return `[${String(r)}]`;
    }
  }
  const seen: unknown[] = [];
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const f = new Transform();
    loop.callSoon(() => f.setResult("x"));
    seen.push(await f);
    // Already done: the override still transforms.
    seen.push(await f);
    // gather and shield look at the future's result, not at its __await__ (as CPython).
    seen.push(await asyncio.gather([f]));
  });
  await asyncio.run(function* () {
    const loop = asyncio.getRunningLoop();
    const f = new Transform();
    loop.callSoon(() => f.setResult("y"));
    seen.push(yield* f);
    const p = new Plain();
    loop.callSoon(() => p.setResult("z"));
    seen.push(yield* p);
    const g = new Transform();
    loop.callSoon(() => g.setException(new asyncio.ValueError("bad")));
    try {
      yield* g;
    } catch (e) {
      seen.push(String(e));
    }
  });
  assert.deepEqual(seen, ["<x>", "<x>", ["x"], "<y>", "[z]", "ValueError: bad"]);
});
