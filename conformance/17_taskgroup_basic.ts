/**
 * Twin of 17_taskgroup_basic.py (3.13): TaskGroup waits for its children, a failing child
 * cancels the others and the body, ExceptionGroup contents and order, nesting,
 * KeyboardInterrupt re-raised bare, BaseExceptionGroup, lifecycle errors. Python's
 * `async with asyncio.TaskGroup() as tg: body` is `await new asyncio.TaskGroup().run((tg) => body)`.
 * The main coroutine is an async function; bodies and children use both syntaxes.
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { print, repr } from "./_py.ts";

class ZeroDivisionError extends Error {
  override name = "ZeroDivisionError";
}
class KeyError extends Error {
  override name = "KeyError";
}

function args(e: unknown): unknown[] {
  const a = (e as { args?: unknown[] }).args;
  return Array.isArray(a) ? a : (e as Error).message === "" ? [] : [(e as Error).message];
}

function tuple(a: unknown[]): string {
  return a.length === 1 ? `(${repr(a[0])},)` : `(${a.map((x) => repr(x)).join(", ")})`;
}

function egDesc(eg: asyncio.BaseExceptionGroup): string {
  const parts = eg.exceptions.map((e) =>
    e instanceof asyncio.BaseExceptionGroup ? egDesc(e) : `${(e as Error).name}${tuple(args(e))}`,
  );
  return `${eg.name}(${repr(String(eg))}, [${parts.join(", ")}])`;
}

function isCancelled(e: unknown): boolean {
  return e instanceof asyncio.CancelledError;
}

async function main(): Promise<void> {
  const log: string[] = [];
  function* work(tag: string, d: number, exc?: Error): asyncio.Coroutine<string> {
    try {
      yield* asyncio.sleep(d);
    } catch (e) {
      if (isCancelled(e)) log.push(`${tag} cancelled`);
      throw e;
    }
    if (exc !== undefined) {
      log.push(`${tag} raising`);
      throw exc;
    }
    log.push(`${tag} done`);
    return tag;
  }

  // 1. waits for all children
  let tg = new asyncio.TaskGroup();
  let t1!: asyncio.Task<string>;
  let t2!: asyncio.Task<string>;
  await tg.run(async (tg) => {
    t1 = tg.createTask(work("a", 0.02));
    t2 = tg.createTask(work("b", 0.01), { name: "named-b" });
    print("1. task name:", t2.getName(), "| repr tg:", repr(tg));
  });
  print("1. results:", t1.result(), t2.result(), "| log:", log, "| repr after:", repr(tg));
  log.length = 0;

  // 2. explicit cancel of one child does not affect the group
  await new asyncio.TaskGroup().run(function* (tg) {
    t1 = tg.createTask(work("a", 1));
    t2 = tg.createTask(work("b", 0.01));
    yield* asyncio.sleep(0);
    t1.cancel();
  });
  print("2. t1 cancelled:", t1.cancelled(), "t2:", t2.result(), "| log:", log);
  log.length = 0;

  // 3. first failing child cancels siblings AND the body; errors raised as ExceptionGroup
  const body: string[] = [];
  let sib!: asyncio.Task<string>;
  try {
    await new asyncio.TaskGroup().run(async (tg) => {
      tg.createTask(work("bad", 0.01, new ZeroDivisionError("zde")));
      sib = tg.createTask(work("sibling", 1));
      try {
        await asyncio.sleep(10);
      } catch (e) {
        if (isCancelled(e)) body.push("body cancelled by group");
        throw e;
      }
    });
    body.push("after block (unreachable)");
  } catch (eg) {
    if (!(eg instanceof asyncio.ExceptionGroup)) throw eg;
    print(
      "3.",
      egDesc(eg),
      "| sibling cancelled:",
      sib.cancelled(),
      "| body:",
      body,
      "| log:",
      log,
    );
  }
  print("3. parent task cancelling() after the group:", asyncio.currentTask()!.cancelling());
  log.length = 0;

  // 4. several children failing "at once": every error collected
  try {
    // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
    await new asyncio.TaskGroup().run(function* (tg) {
      for (let i = 0; i < 3; i++) tg.createTask(work(`f${i}`, 0.01, new asyncio.ValueError(i)));
    });
  } catch (eg) {
    if (!(eg instanceof asyncio.ExceptionGroup)) throw eg;
    print("4.", egDesc(eg));
    log.length = 0;
  }

  // 5. exception in the body: children cancelled, body exception included in the group
  let c1!: asyncio.Task<string>;
  try {
    await new asyncio.TaskGroup().run(async (tg) => {
      c1 = tg.createTask(work("c1", 1));
      throw new ZeroDivisionError("division by zero");
    });
  } catch (eg) {
    if (!(eg instanceof asyncio.ExceptionGroup)) throw eg;
    print("5.", egDesc(eg), "| c1 cancelled:", c1.cancelled());
    log.length = 0;
  }

  // 6. body exception + child exception raised during cancellation
  async function failsOnCancel(): Promise<void> {
    try {
      await asyncio.sleep(10);
    } finally {
      // biome-ignore lint/correctness/noUnsafeFinally: the point of the test
      throw new KeyError("from finally");
    }
  }
  try {
    await new asyncio.TaskGroup().run(async (tg) => {
      tg.createTask(failsOnCancel);
      await asyncio.sleep(0);
      throw new asyncio.ValueError("body");
    });
  } catch (eg) {
    if (!(eg instanceof asyncio.ExceptionGroup)) throw eg;
    print("6.", egDesc(eg));
  }

  // 7. nested groups: inner group error surfaces as nested ExceptionGroup in the outer group
  try {
    await new asyncio.TaskGroup().run(async (g1) => {
      g1.createTask(work("outer-child", 10));
      // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
      await new asyncio.TaskGroup().run(function* (g2) {
        g2.createTask(work("inner-child", 0.01, new asyncio.ValueError("inner")));
      });
    });
  } catch (eg) {
    if (!(eg instanceof asyncio.ExceptionGroup)) throw eg;
    print("7.", egDesc(eg));
    log.length = 0;
  }

  // 8. KeyboardInterrupt/SystemExit in the body are re-raised bare (not grouped)
  function* crashSoon(): asyncio.Coroutine<void> {
    yield* asyncio.sleep(0.01);
    throw new ZeroDivisionError("division by zero");
  }
  async function nestedKi(): Promise<void> {
    try {
      await asyncio.sleep(10);
    } finally {
      // biome-ignore lint/correctness/noUnsafeFinally: the point of the test
      throw new asyncio.KeyboardInterrupt();
    }
  }
  try {
    await new asyncio.TaskGroup().run(async (g) => {
      g.createTask(crashSoon());
      await nestedKi();
    });
  } catch (e) {
    if (!(e instanceof asyncio.KeyboardInterrupt)) throw e;
    print("8. KeyboardInterrupt propagated bare");
  }
  // the group's own cancel() of the parent was not withdrawn (KeyboardInterrupt is re-raised first)
  const me = asyncio.currentTask()!;
  print("8. parent cancelling() after:", me.cancelling(), "-> uncancel():", me.uncancel());

  // 9. other BaseExceptions (here a BaseExceptionGroup) -> BaseExceptionGroup
  function* nestedBase(): asyncio.Coroutine<void> {
    try {
      yield* asyncio.sleep(10);
    } finally {
      // biome-ignore lint/correctness/noUnsafeFinally: the point of the test
      throw new asyncio.BaseExceptionGroup("base", [new asyncio.KeyboardInterrupt()]);
    }
  }
  try {
    await new asyncio.TaskGroup().run(function* (g) {
      g.createTask(crashSoon());
      yield* nestedBase();
    });
  } catch (eg) {
    if (!(eg instanceof asyncio.BaseExceptionGroup)) throw eg;
    print("9.", egDesc(eg));
  }

  // 10. lifecycle errors
  tg = new asyncio.TaskGroup();
  let c = asyncio.sleep(0);
  try {
    tg.createTask(c);
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("10. not entered:", e.message.replace(repr(tg), "<TG>"));
  }
  await tg.run(async () => {
    try {
      await tg.run(async () => {});
    } catch (e) {
      if (!(e instanceof asyncio.RuntimeError)) throw e;
      print("10. entered twice:", e.message.replace(repr(tg), "<TG>"));
    }
  });
  c = asyncio.sleep(0);
  try {
    tg.createTask(c);
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("10. after exit:", e.message.replace(repr(tg), "<TG>"));
  }
  try {
    await tg.run(function* () {});
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("10. re-enter after exit:", e.message.replace(repr(tg), "<TG>"));
  }

  // 11. createTask while the group is aborting
  async function triesToSpawn(g: asyncio.TaskGroup): Promise<void> {
    try {
      await asyncio.sleep(1);
    } catch (e) {
      if (isCancelled(e)) {
        const c = asyncio.sleep(0);
        try {
          g.createTask(c);
        } catch (err) {
          if (!(err instanceof asyncio.RuntimeError)) throw err;
          print("11. while shutting down:", err.message.replace(repr(g), "<TG>"));
        }
      }
      throw e;
    }
  }
  try {
    await new asyncio.TaskGroup().run(async (g) => {
      g.createTask(work("x", 0.01, new ZeroDivisionError()));
      g.createTask(() => triesToSpawn(g));
    });
  } catch (eg) {
    if (!(eg instanceof asyncio.ExceptionGroup)) throw eg;
  }
  log.length = 0;

  // 12. children may add more children while the group is exiting (still allowed)
  function* root(g: asyncio.TaskGroup): asyncio.Coroutine<void> {
    yield* asyncio.sleep(0.01);
    g.createTask(work("grandchild", 0.01));
  }
  await new asyncio.TaskGroup().run(async (g) => {
    g.createTask(root(g));
  });
  print("12. grandchild added during __aexit__ ran:", log);

  // 13. TaskGroup needs a current task
  const cb = (): void => {
    const co = new asyncio.TaskGroup().run(function* () {});
    try {
      co.next();
    } catch (e) {
      if (!(e instanceof asyncio.RuntimeError)) throw e;
      const m = e.message;
      print(
        "13. no parent task:",
        `${m.split("<TaskGroup")[0]}<TaskGroup...>${m.split(">").at(-1)}`,
      );
    }
  };
  asyncio.getRunningLoop().callSoon(cb);
  await asyncio.sleep(0);
}

await asyncio.run(main, { loopFactory: () => new VirtualTimeLoop() });
