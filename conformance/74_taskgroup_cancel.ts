/**
 * Twin of 74_taskgroup_cancel.py (3.13): TaskGroup and cancellation from outside, child errors
 * winning over CancelledError, hydra, createTask(context), errors from the body's own cleanup,
 * and 3.13's cancel bookkeeping. Main is a generator; runners are async functions and
 * generators.
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { print, repr } from "./_py.ts";

class ZeroDivisionError extends Error {
  override name = "ZeroDivisionError";
}
class MyExc extends Error {
  override name = "MyExc";
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

function isCancelled(e: unknown): e is asyncio.CancelledError {
  return e instanceof asyncio.CancelledError;
}

function isGroup(e: unknown): e is asyncio.ExceptionGroup {
  return e instanceof asyncio.ExceptionGroup;
}

function* main(): asyncio.Coroutine<void> {
  const log: string[] = [];
  async function foo(tag: string): Promise<void> {
    try {
      await asyncio.sleep(5);
    } catch (e) {
      if (isCancelled(e)) log.push(tag);
      throw e;
    }
  }

  // 1. the parent is cancelled from outside: children cancelled, CancelledError propagates
  async function runner(): Promise<void> {
    await new asyncio.TaskGroup().run(async (g) => {
      for (let i = 0; i < 3; i++) g.createTask(() => foo(`child${i}`));
    });
  }
  let r: asyncio.Task<void> = asyncio.createTask(runner);
  yield* asyncio.sleep(0.1);
  r.cancel("test");
  try {
    yield* r;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print(
      "1. CancelledError",
      tuple(e.args),
      "| r.cancelled():",
      r.cancelled(),
      "| cancelled children:",
      [...log].sort(),
    );
  }
  log.length = 0;

  // 2. ... and the body's await is cancelled too
  function* runner2(): asyncio.Coroutine<void> {
    yield* new asyncio.TaskGroup().run(function* (g) {
      for (let i = 0; i < 2; i++) g.createTask(() => foo(`child${i}`));
      try {
        yield* asyncio.sleep(10);
      } catch (e) {
        if (isCancelled(e)) log.push("body");
        throw e;
      }
    });
  }
  r = asyncio.createTask(runner2());
  yield* asyncio.sleep(0.1);
  r.cancel();
  try {
    yield* r;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print("2. CancelledError", tuple(e.args), "| cancelled:", [...log].sort());
  }
  log.length = 0;

  // 3. children crash while being cancelled: ExceptionGroup wins over CancelledError
  async function crashOnCancel(i: number): Promise<void> {
    try {
      await asyncio.sleep(10);
    } finally {
      // biome-ignore lint/correctness/noUnsafeFinally: the point of the test
      throw new ZeroDivisionError(String(i));
    }
  }
  async function runner3(): Promise<void> {
    await new asyncio.TaskGroup().run(async (g) => {
      for (let i = 0; i < 3; i++) g.createTask(() => crashOnCancel(i));
      await asyncio.sleep(10);
    });
  }
  r = asyncio.createTask(runner3);
  yield* asyncio.sleep(0.1);
  r.cancel();
  try {
    yield* r;
  } catch (eg) {
    if (!isGroup(eg)) throw eg;
    const sorted = eg.exceptions.map((e) => Number((e as Error).message)).sort();
    print("3.", repr(String(eg)), "| errors (sorted):", sorted, "| r.cancelled():", r.cancelled());
  }

  // 4. a child crashes while the body is handling the outside cancellation
  async function crashSoon(): Promise<void> {
    await asyncio.sleep(0.3);
    throw new ZeroDivisionError("soon");
  }
  async function runner4(): Promise<void> {
    await new asyncio.TaskGroup().run(async (g1) => {
      g1.createTask(crashSoon);
      try {
        await asyncio.sleep(10);
      } catch (e) {
        if (isCancelled(e)) await asyncio.sleep(0.5);
        throw e;
      }
    });
  }
  r = asyncio.createTask(runner4);
  yield* asyncio.sleep(0.1);
  r.cancel();
  try {
    yield* r;
  } catch (eg) {
    if (!isGroup(eg)) throw eg;
    print("4.", egDesc(eg), "| r.cancelled():", r.cancelled());
  }

  // 5. same, through an intermediate task
  async function runner5(): Promise<void> {
    const t = asyncio.createTask(runner4);
    await t;
  }
  r = asyncio.createTask(runner5);
  yield* asyncio.sleep(0.1);
  r.cancel();
  try {
    yield* r;
  } catch (eg) {
    if (!isGroup(eg)) throw eg;
    print("5.", egDesc(eg));
  }

  // 6. a group without children: the body's CancelledError propagates
  async function runner6(): Promise<void> {
    await new asyncio.TaskGroup().run(async () => {
      try {
        await asyncio.sleep(10);
      } catch (e) {
        if (isCancelled(e)) log.push("body");
        throw e;
      }
    });
  }
  r = asyncio.createTask(runner6);
  yield* asyncio.sleep(0.1);
  r.cancel();
  try {
    yield* r;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print("6. CancelledError | log:", log);
  }
  log.length = 0;

  // 7. the body turns the cancellation into another exception: ExceptionGroup
  function* runner7(): asyncio.Coroutine<void> {
    yield* new asyncio.TaskGroup().run(function* () {
      try {
        yield* asyncio.sleep(10);
      } catch (e) {
        if (isCancelled(e)) throw new MyExc("converted");
        throw e;
      }
    });
  }
  r = asyncio.createTask(runner7());
  yield* asyncio.sleep(0.1);
  r.cancel();
  try {
    yield* r;
  } catch (eg) {
    if (!isGroup(eg)) throw eg;
    print("7.", egDesc(eg), "| r.cancelled():", r.cancelled());
  }

  // 8. cancelled while the group waits for the children
  async function runner8(): Promise<void> {
    await new asyncio.TaskGroup().run(async (g) => {
      g.createTask(() => foo("a"));
      g.createTask(() => foo("b"));
    });
  }
  r = asyncio.createTask(runner8);
  yield* asyncio.sleep(0.05);
  r.cancel();
  try {
    yield* r;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print("8. cancelled in __aexit__ -> CancelledError | children:", [...log].sort());
  }
  log.length = 0;

  // 9. hydra: children keep spawning until another child fails
  let nhydras = 0;
  async function hydra(g: asyncio.TaskGroup): Promise<void> {
    nhydras++;
    await asyncio.sleep(0.01);
    g.createTask(() => hydra(g));
    g.createTask(() => hydra(g));
  }
  function* hercules(): asyncio.Coroutine<void> {
    while (nhydras < 10) yield* asyncio.sleep(0.015);
    throw new ZeroDivisionError("hercules");
  }
  try {
    yield* new asyncio.TaskGroup().run(async (g) => {
      g.createTask(() => hydra(g));
      g.createTask(hercules());
    });
  } catch (eg) {
    if (!isGroup(eg)) throw eg;
    print("9.", egDesc(eg), "| at least 10 hydras:", nhydras >= 10);
  }

  // 10. createTask(context)
  const cvar = new asyncio.ContextVar<string>("cvar");
  async function read(): Promise<string> {
    await asyncio.sleep(0);
    return cvar.get("unset");
  }
  const ctx = asyncio.copyContext();
  ctx.run(() => cvar.set("in ctx"));
  let t1!: asyncio.Task<string>;
  let t2!: asyncio.Task<string>;
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  yield* new asyncio.TaskGroup().run(function* (g) {
    t1 = g.createTask(read, { context: ctx });
    t2 = g.createTask(read);
  });
  print("10. context:", t1.result(), "/", t2.result());

  // 11. an error from the body's own cleanup joins the child's error
  async function raiseExc(): Promise<void> {
    throw new MyExc("child");
  }
  try {
    yield* new asyncio.TaskGroup().run(async (tg) => {
      try {
        tg.createTask(raiseExc);
        await asyncio.sleep(1);
      } finally {
        // biome-ignore lint/correctness/noUnsafeFinally: the point of the test
        throw new MyExc("exit");
      }
    });
  } catch (eg) {
    if (!isGroup(eg)) throw eg;
    print("11.", egDesc(eg), "| cancelling():", asyncio.currentTask()!.cancelling());
  }

  // 12. 3.13: cancelling() back to 0 after a child failed while the group waited
  function* raiseAfter(t: number, E: new () => Error): asyncio.Coroutine<void> {
    yield* asyncio.sleep(t);
    throw new E();
  }
  try {
    // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
    yield* new asyncio.TaskGroup().run(function* (tg) {
      tg.createTask(raiseAfter(0.0, asyncio.RuntimeError));
    });
  } catch (eg) {
    if (!isGroup(eg)) throw eg;
    print("12.", egDesc(eg), "| cancelling() after:", asyncio.currentTask()!.cancelling());
  }

  // 13. 3.13: nested groups both failing
  try {
    yield* new asyncio.TaskGroup().run(async (outerTg) => {
      try {
        await new asyncio.TaskGroup().run(async (innerTg) => {
          innerTg.createTask(raiseAfter(0, asyncio.RuntimeError));
          outerTg.createTask(raiseAfter(0, asyncio.ValueError));
        });
      } catch (eg) {
        if (!isGroup(eg)) throw eg;
        print("13. inner:", egDesc(eg), "| cancelling():", asyncio.currentTask()!.cancelling());
      }
    });
  } catch (eg) {
    if (!isGroup(eg)) throw eg;
    print("13. outer:", egDesc(eg), "| cancelling():", asyncio.currentTask()!.cancelling());
  }

  // 14. 3.13: a child error and an outside cancel() together: the cancellation is kept
  const started = (asyncio.getRunningLoop() as asyncio.EventLoop).createFuture<void>();
  async function raiseError(): Promise<void> {
    started.setResult(undefined);
    await asyncio.sleep(0);
    throw new asyncio.RuntimeError("child");
  }
  async function inner(): Promise<void> {
    try {
      await new asyncio.TaskGroup().run(async (tg) => {
        tg.createTask(raiseError);
        await asyncio.sleep(1);
        print("14. not reached");
      });
    } catch (eg) {
      if (!isGroup(eg)) throw eg;
      print("14. group:", egDesc(eg), "| cancelling():", asyncio.currentTask()!.cancelling());
    }
    await asyncio.sleep(1);
    print("14. not reached either");
  }
  const t = asyncio.createTask(inner);
  yield* started;
  print("14. cancelling() before:", t.cancelling());
  t.cancel();
  try {
    yield* t;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print("14. task cancelled:", t.cancelled());
  }
}

await asyncio.run(main(), { loopFactory: () => new VirtualTimeLoop() });
