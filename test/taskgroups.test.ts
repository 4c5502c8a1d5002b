/**
 * TaskGroup in both coroutine syntaxes (task and body), on a virtual clock. The CPython traces
 * are in conformance/17_taskgroup_basic, 74_taskgroup_cancel and 75_concurrency_iterations.
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

function* job<T>(v: T, d: number, log?: string[]): asyncio.Coroutine<T> {
  try {
    yield* asyncio.sleep(d);
  } catch (e) {
    log?.push(`${String(v)} cancelled`);
    throw e;
  }
  log?.push(`${String(v)} done`);
  return v;
}

async function ajob<T>(v: T, d: number, log?: string[]): Promise<T> {
  try {
    await asyncio.sleep(d);
  } catch (e) {
    log?.push(`${String(v)} cancelled`);
    throw e;
  }
  log?.push(`${String(v)} done`);
  return v;
}

function* failAfter(d: number, e: Error): asyncio.Coroutine<never> {
  yield* asyncio.sleep(d);
  throw e;
}

for (const syntax of ["gen", "async"] as const) {
  test(`${syntax} body: waits for the children and returns the body's value`, async () => {
    const log: string[] = [];
    const r = await vrun(async () => {
      const tg = new asyncio.TaskGroup();
      const out =
        syntax === "gen"
          ? await tg.run(function* (g) {
              const a = g.createTask(job("a", 0.2, log));
              const b = g.createTask(() => ajob("b", 0.1, log));
              yield* asyncio.sleep(0.05);
              return [a, b] as const;
            })
          : await tg.run(async (g) => {
              const a = g.createTask(job("a", 0.2, log));
              const b = g.createTask(() => ajob("b", 0.1, log));
              await asyncio.sleep(0.05);
              return [a, b] as const;
            });
      log.push(`after group at ${loopOf().time()}`);
      return out.map((t) => t.result());
    });
    assert.deepEqual(r, ["a", "b"]);
    assert.deepEqual(log, ["b done", "a done", "after group at 0.2"]);
  });

  test(`${syntax} body: a failing child cancels the siblings and the body`, async () => {
    const log: string[] = [];
    await vrun(function* () {
      const bodyFn: asyncio.TaskGroupBody<void> =
        syntax === "gen"
          ? function* (g) {
              g.createTask(failAfter(0.1, new asyncio.ValueError("bad")));
              g.createTask(job("sib", 1, log));
              try {
                yield* asyncio.sleep(10);
              } catch (e) {
                log.push(`body ${(e as Error).name}`);
                throw e;
              }
            }
          : async (g) => {
              g.createTask(failAfter(0.1, new asyncio.ValueError("bad")));
              g.createTask(() => ajob("sib", 1, log));
              try {
                await asyncio.sleep(10);
              } catch (e) {
                log.push(`body ${(e as Error).name}`);
                throw e;
              }
            };
      try {
        yield* new asyncio.TaskGroup().run(bodyFn);
        assert.fail("no error");
      } catch (eg) {
        assert.ok(eg instanceof asyncio.ExceptionGroup);
        assert.equal(String(eg), "unhandled errors in a TaskGroup (1 sub-exception)");
        assert.equal(eg.message, "unhandled errors in a TaskGroup");
        assert.ok(eg.exceptions[0] instanceof asyncio.ValueError);
        assert.ok(eg instanceof AggregateError);
      }
      assert.equal(asyncio.currentTask()!.cancelling(), 0);
      assert.equal(loopOf().time(), 0.1);
    });
    // CPython's order: _abort() cancels the siblings before the parent task.
    assert.deepEqual(log, ["sib cancelled", "body CancelledError"]);
  });
}

test("the body's error comes after the children's errors", async () => {
  await vrun(async () => {
    try {
      await new asyncio.TaskGroup().run(async (g) => {
        g.createTask(async () => {
          try {
            await asyncio.sleep(10);
          } finally {
            // biome-ignore lint/correctness/noUnsafeFinally: the point of the test
            throw new asyncio.ValueError("child cleanup");
          }
        });
        await asyncio.sleep(0);
        throw new TypeError("body");
      });
    } catch (eg) {
      assert.ok(eg instanceof asyncio.ExceptionGroup);
      assert.deepEqual(
        eg.exceptions.map((e) => (e as Error).message),
        ["child cleanup", "body"],
      );
      const [match, rest] = eg.split(TypeError);
      assert.equal(match!.exceptions.length, 1);
      assert.equal(rest!.exceptions.length, 1);
    }
  });
});

test("KeyboardInterrupt is re-raised bare; BaseExceptionGroup for BaseException-only errors", async () => {
  await vrun(function* () {
    try {
      // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
      yield* new asyncio.TaskGroup().run(function* (g) {
        g.createTask(failAfter(0.1, new asyncio.ValueError("v")));
        throw new asyncio.KeyboardInterrupt();
      });
    } catch (e) {
      assert.ok(e instanceof asyncio.KeyboardInterrupt);
    }
    try {
      yield* new asyncio.TaskGroup().run(async () => {
        throw new asyncio.BaseExceptionGroup("base", [new asyncio.SystemExit()]);
      });
    } catch (e) {
      assert.ok(e instanceof asyncio.BaseExceptionGroup);
      assert.ok(!(e instanceof asyncio.ExceptionGroup));
    }
  });
});

test("cancelled from outside: children cancelled, CancelledError with the message", async () => {
  await vrun(async () => {
    const log: string[] = [];
    const runner = asyncio.createTask(async () => {
      await new asyncio.TaskGroup().run(async (g) => {
        g.createTask(() => ajob("x", 10, log));
        g.createTask(job("y", 10, log));
      });
    });
    await asyncio.sleep(1);
    runner.cancel("stop");
    await assert.rejects(
      async () => await runner,
      (e) => e instanceof asyncio.CancelledError && e.args[0] === "stop",
    );
    assert.ok(runner.cancelled());
    assert.deepEqual(log.sort(), ["x cancelled", "y cancelled"]);
  });
});

test("reprs and lifecycle errors", async () => {
  await vrun(async () => {
    const tg = new asyncio.TaskGroup();
    assert.equal(String(tg), "<TaskGroup>");
    const c = asyncio.sleep(0);
    assert.throws(() => tg.createTask(c), {
      name: "RuntimeError",
      message: "TaskGroup <TaskGroup> has not been entered",
    });
    assert.equal(c.next().done, true, "the refused coroutine was closed");
    await tg.run(async (g) => {
      g.createTask(() => ajob(1, 0.1));
      g.createTask(job(2, 0.1));
      assert.equal(String(g), "<TaskGroup tasks=2 entered>");
      await assert.rejects(async () => await g.run(async () => {}), {
        message: "TaskGroup <TaskGroup tasks=2 entered> has already been entered",
      });
    });
    assert.throws(() => tg.createTask(() => ajob(1, 0)), {
      message: "TaskGroup <TaskGroup entered> is finished",
    });
  });
});

test("createTask options: name and context", async () => {
  await vrun(function* () {
    const cv = new asyncio.ContextVar<string>("cv", { default: "default" });
    const ctx = asyncio.copyContext();
    ctx.run(() => cv.set("custom"));
    let named!: asyncio.Task<string>;
    let withCtx!: asyncio.Task<string>;
    yield* new asyncio.TaskGroup().run(function* (g) {
      named = g.createTask(job("n", 0), { name: "my-task" });
      withCtx = g.createTask(async () => cv.get(), { context: ctx });
    });
    assert.equal(named.getName(), "my-task");
    assert.equal(withCtx.result(), "custom");
  });
});

test("eager tasks that finish at once are handled without a done callback", async () => {
  await vrun(function* () {
    loopOf().setTaskFactory(asyncio.eagerTaskFactory);
    let t!: asyncio.Task<number>;
    try {
      yield* new asyncio.TaskGroup().run(function* (g) {
        // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
        t = g.createTask(function* () {
          return 5;
        });
        assert.ok(t.done());
        assert.equal(String(g), "<TaskGroup entered>");
        // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
        g.createTask(function* (): asyncio.Coroutine<never> {
          throw new asyncio.ValueError("eager failure");
        });
        // The group already aborts: the parent was cancelled, the next await raises.
        yield* asyncio.sleep(1);
      });
      assert.fail();
    } catch (eg) {
      assert.ok(eg instanceof asyncio.ExceptionGroup);
      assert.equal((eg.exceptions[0] as Error).message, "eager failure");
    } finally {
      loopOf().setTaskFactory(null);
    }
    assert.equal(t.result(), 5);
    assert.equal(loopOf().time(), 0);
  });
});

test("TaskGroup.run is a coroutine: createTask(tg.run(body))", async () => {
  await vrun(function* () {
    const tg = new asyncio.TaskGroup();
    const t = asyncio.createTask(
      tg.run(async (g) => {
        const c = g.createTask(() => ajob("child", 0.1));
        // An async function cannot resolve to a Task (a thenable: it would be awaited): box it.
        return [c] as const;
      }),
    );
    const [child] = yield* t;
    assert.equal(child.result(), "child");
  });
});

test("needs a task: 'cannot determine the parent task'", async () => {
  await vrun(function* () {
    let err: unknown;
    loopOf().callSoon(() => {
      try {
        new asyncio.TaskGroup().run(function* () {}).next();
      } catch (e) {
        err = e;
      }
    });
    yield* asyncio.sleep(0);
    assert.ok(err instanceof asyncio.RuntimeError);
    assert.equal((err as Error).message, "TaskGroup <TaskGroup> cannot determine the parent task");
  });
});

test("ExceptionGroup checks its arguments as CPython's; a subclass shows its own name; a TaskGroup groups whatever its tasks threw", async () => {
  const E = asyncio.ExceptionGroup as unknown as new (...a: unknown[]) => Error;
  const fails = (args: unknown[]) => {
    try {
      new E(...args);
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
    return "ok";
  };
  assert.equal(
    fails([1, [new asyncio.ValueError()]]),
    "TypeError: BaseExceptionGroup.__new__() argument 1 must be str, not int",
  );
  assert.equal(
    fails(["x", [1]]),
    "ValueError: Item 0 of second argument (exceptions) is not an exception",
  );
  assert.equal(
    fails(["x", new asyncio.ValueError()]),
    "TypeError: second argument (exceptions) must be a sequence",
  );
  class MyGroup extends asyncio.ExceptionGroup {}
  assert.equal(new MyGroup("m", [new asyncio.ValueError(1)]).name, "MyGroup");
  assert.throws(
    () => new MyGroup("m", [new asyncio.CancelledError()]),
    /^TypeError: Cannot nest BaseExceptions in 'MyGroup'$/,
  );
  assert.equal(
    fails([null, [new asyncio.ValueError()]]),
    "TypeError: BaseExceptionGroup.__new__() argument 1 must be str, not None",
  );
  await asyncio.run(async () => {
    await assert.rejects(
      async () => {
        await new asyncio.TaskGroup().run(async (tg) => {
          tg.createTask(async () => {
            throw "not an Error";
          });
        });
      },
      (e: unknown) =>
        e instanceof asyncio.ExceptionGroup &&
        e.exceptions.length === 1 &&
        e.exceptions[0] === "not an Error",
    );
  });
});
