/**
 * src/contextvars.ts: ContextVar, Token, Context and copyContext, and how contexts follow tasks
 * and callbacks — with generator coroutines and with async functions (whose code resumes from
 * promises, outside any Context.run).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { _registeredNames } from "../src/contextvars.ts";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

const loopFactory = () => new VirtualTimeLoop();
const tick = () => new Promise((r) => setTimeout(r, 1));

test("get(): the context's value, else the argument, else the default, else LookupError", () => {
  const withDefault = new asyncio.ContextVar<string>("d", { default: "dflt" });
  const bare = new asyncio.ContextVar<string>("bare");
  assert.equal(withDefault.get(), "dflt");
  assert.equal(withDefault.get("arg"), "arg");
  assert.equal(bare.get("arg"), "arg");
  assert.throws(
    () => bare.get(),
    (e) => {
      assert.ok(e instanceof asyncio.LookupError);
      assert.equal((e as Error).message, "<ContextVar name='bare'>");
      return true;
    },
  );
  const undef = new asyncio.ContextVar<undefined>("u", { default: undefined });
  assert.equal(undef.get(), undefined, "an explicit undefined default is a default");
  assert.equal(String(withDefault), "<ContextVar name='d' default='dflt'>");
  assert.throws(() => new asyncio.ContextVar(1 as unknown as string), {
    name: "TypeError",
    message: "context variable name must be a str",
  });
});

test("set() and reset(): tokens restore the old value or the absence of one", () => {
  const v = new asyncio.ContextVar<number>("v");
  const ctx = asyncio.copyContext();
  ctx.run(() => {
    const t1 = v.set(1);
    assert.equal(t1.oldValue, asyncio.Token.MISSING);
    assert.equal(t1.var, v);
    const t2 = v.set(2);
    assert.equal(t2.oldValue, 1);
    v.reset(t2);
    assert.equal(v.get(), 1);
    assert.throws(() => v.reset(t2), {
      name: "RuntimeError",
      message: "<Token used var=<ContextVar name='v'>> has already been used once",
    });
    v.reset(t1);
    assert.equal(asyncio.copyContext().has(v), false);
  });
});

test("reset() errors: another variable, another context, not a token", () => {
  const a = new asyncio.ContextVar<number>("a");
  const b = new asyncio.ContextVar<number>("b");
  const ctx = asyncio.copyContext();
  ctx.run(() => {
    const tb = b.set(1);
    assert.throws(() => a.reset(tb), {
      name: "ValueError",
      message: "<Token var=<ContextVar name='b'>> was created by a different ContextVar",
    });
    assert.throws(() => a.reset("s" as unknown as asyncio.Token<number>), {
      name: "TypeError",
      message: "expected an instance of Token, got 's'",
    });
  });
  const other = asyncio.copyContext();
  const ta = ctx.run(() => a.set(1));
  assert.throws(() => other.run(() => a.reset(ta)), {
    name: "ValueError",
    message: "<Token var=<ContextVar name='a'>> was created in a different Context",
  });
});

test("copies are independent both ways (copy on write)", () => {
  const v = new asyncio.ContextVar<string>("v", { default: "-" });
  const base = asyncio.copyContext();
  base.run(() => v.set("base"));
  const c1 = base.copy();
  const c2 = c1.copy();
  c1.run(() => v.set("c1"));
  assert.deepEqual([base.get(v), c1.get(v), c2.get(v)], ["base", "c1", "base"]);
  base.run(() => v.set("base2"));
  assert.deepEqual([base.get(v), c1.get(v), c2.get(v)], ["base2", "c1", "base"]);
  assert.equal(c2.size, 1);
  assert.deepEqual([...c2.keys()], [v]);
  assert.deepEqual([...c2.values()], ["base"]);
  assert.deepEqual([...c2.entries()], [[v, "base"]]);
  assert.deepEqual([...c2], [v]);
});

test("Context.run: returns, restores on error, refuses re-entry, nests other contexts", () => {
  const v = new asyncio.ContextVar<string>("v", { default: "outside" });
  const ctx = asyncio.copyContext();
  const inner = asyncio.copyContext();
  assert.equal(
    ctx.run((x: number) => x * 2, 21),
    42,
  );
  assert.throws(() =>
    ctx.run(() => {
      v.set("set then throw");
      throw new Error("boom");
    }),
  );
  assert.equal(v.get(), "outside");
  assert.equal(ctx.get(v), "set then throw");
  assert.throws(() => ctx.run(() => ctx.run(() => 0)), {
    name: "RuntimeError",
    message: "cannot enter context: <Context object> is already entered",
  });
  assert.equal(
    ctx.run(() => inner.run(() => v.get())),
    "outside",
    "inner was copied before ctx was written",
  );
});

test("generator tasks: a copy at creation; explicit context is shared and mutated", async () => {
  const v = new asyncio.ContextVar<string>("v", { default: "-" });
  const log: string[] = [];
  await asyncio.run(
    function* (): asyncio.Coroutine<void> {
      v.set("creator");
      const t = asyncio.createTask(function* (): asyncio.Coroutine<void> {
        log.push(`task sees ${v.get()}`);
        v.set("task");
        yield* asyncio.sleep(1);
        log.push(`task still sees ${v.get()}`);
      });
      v.set("creator later");
      yield* t;
      log.push(`creator sees ${v.get()}`);
      const shared = asyncio.copyContext();
      yield* asyncio.createTask(
        // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
        function* (): asyncio.Coroutine<void> {
          v.set("written into shared");
        },
        { context: shared },
      );
      log.push(`shared has ${shared.get(v)}`);
    },
    { loopFactory },
  );
  assert.deepEqual(log, [
    "task sees creator",
    "task still sees task",
    "creator sees creator later",
    "shared has written into shared",
  ]);
});

test("async-function tasks keep their context across foreign awaits", async () => {
  const v = new asyncio.ContextVar<string>("v", { default: "-" });
  const seen: string[] = [];
  await asyncio.run(async () => {
    const worker = (name: string) => async () => {
      v.set(name);
      await tick(); // a foreign promise: the code resumes outside the loop's callbacks
      seen.push(`${name}: ${v.get()} / ${asyncio.currentTask()?.getName()}`);
      await asyncio.sleep(0);
      await tick();
      seen.push(`${name}: ${v.get()}`);
    };
    v.set("main");
    await asyncio.gather([
      asyncio.createTask(worker("a"), { name: "A" }),
      asyncio.createTask(worker("b"), { name: "B" }),
    ]);
    seen.push(`main: ${v.get()}`);
  });
  assert.deepEqual(seen.sort(), ["a: a", "a: a / A", "b: b", "b: b / B", "main: main"]);
});

test("after a foreign await, callSoon and createTask copy the async task's context", async () => {
  const v = new asyncio.ContextVar<string>("v", { default: "-" });
  const seen: string[] = [];
  await asyncio.run(async () => {
    v.set("task value");
    await tick();
    const loop = asyncio.getRunningLoop();
    const fut = loop.createFuture<void>();
    loop.callSoon(() => {
      seen.push(`callback: ${v.get()}`);
      v.set("callback changed it");
      fut.setResult();
    });
    await fut;
    await asyncio.createTask(async () => {
      seen.push(`child: ${v.get()}`);
    });
    seen.push(`task: ${v.get()}`);
  });
  assert.deepEqual(seen, ["callback: task value", "child: task value", "task: task value"]);
});

test("an awaited library coroutine shares the async function's context", async () => {
  const v = new asyncio.ContextVar<string>("v", { default: "-" });
  const setter = asyncio.awaitable(function* (value: string): asyncio.Coroutine<string> {
    v.set(value);
    yield* asyncio.sleep(0);
    return v.get();
  });
  const r = await asyncio.run(async () => {
    const inner = await setter("from the coroutine");
    return [inner, v.get()];
  });
  assert.deepEqual(r, ["from the coroutine", "from the coroutine"]);
});

test("values set inside run() do not leak to the caller; the caller's are visible", async () => {
  const v = new asyncio.ContextVar<string>("v", { default: "-" });
  const token = v.set("caller");
  const seen = await asyncio.run(async () => {
    const before = v.get();
    v.set("inside");
    await tick();
    return before;
  });
  assert.equal(seen, "caller");
  assert.equal(v.get(), "caller");
  v.reset(token);
});

test("copyContext(): a callback scheduled in the copy sees the copy's values, before and after a write", async () => {
  const v = new asyncio.ContextVar<number>("snap", { default: 0 });
  const seen: number[] = [];
  await asyncio.run(
    function* () {
      const loop = asyncio.getRunningLoop();
      const c = asyncio.copyContext();
      // copyContext() makes the copy's snapshot at once; a write must still replace it.
      c.run(() => loop.callSoon(() => seen.push(v.get()!)));
      c.run(() => v.set(7));
      c.run(() => loop.callSoon(() => seen.push(v.get()!)));
      yield* asyncio.sleep(0);
      assert.equal(v.get(), 0, "the copy's write stays in the copy");
    },
    { loopFactory },
  );
  assert.deepEqual(seen, [0, 7]);
});

test("ContextVar repr quotes its name as Python; LookupError carries the variable; an async task's context is entered while its code runs", async () => {
  const v = new asyncio.ContextVar<string>("it's");
  assert.equal(String(v), `<ContextVar name="it's">`);
  try {
    v.get();
    assert.fail("no LookupError");
  } catch (e) {
    assert.equal((e as { args: unknown[] }).args[0], v);
    assert.equal((e as Error).message, `<ContextVar name="it's">`);
  }
  const fallback: string | number = v.get(5); // any default, as in Python
  assert.equal(fallback, 5);
  await asyncio.run(async () => {
    const errors: string[] = [];
    await asyncio.createTask(async () => {
      const ctx = asyncio.currentTask()!.getContext()!;
      await asyncio.sleep(0);
      try {
        ctx.run(() => null);
      } catch (e) {
        errors.push((e as Error).message);
      }
    });
    assert.deepEqual(errors, ["cannot enter context: <Context object> is already entered"]);
  });
});

test("a policy subclass that lacks a method raises NotImplementedError, as Python's abstract policy", () => {
  class Partial extends asyncio.AbstractEventLoopPolicy {}
  assert.throws(() => new Partial().getEventLoop(), { name: "NotImplementedError" });
  assert.throws(() => new Partial().newEventLoop(), { name: "NotImplementedError" });
});

test("a ContextVar's repr shows a default that holds it as Python does ([...]); its name is read-only", () => {
  const list: unknown[] = [];
  const v = new asyncio.ContextVar("a", { default: list });
  list.push(v);
  assert.equal(String(v), "<ContextVar name='a' default=[<ContextVar name='a' default=[...]>]>");
  assert.throws(() => {
    (v as unknown as { name: string }).name = "b";
  }, TypeError);
  assert.equal(v.name, "a");
});

test("Token: var and oldValue are read-only, and only ContextVar.set() makes tokens", () => {
  const v = new asyncio.ContextVar<number>("tok");
  const t = v.set(1);
  assert.throws(() => {
    (t as { oldValue: unknown }).oldValue = 2;
  }, TypeError);
  assert.throws(() => {
    (t as { var: unknown }).var = new asyncio.ContextVar("other");
  }, TypeError);
  assert.equal(t.var, v);
  assert.equal(t.oldValue, asyncio.Token.MISSING);
  assert.throws(
    () => new (asyncio.Token as unknown as new (...a: unknown[]) => unknown)(v, 1, null),
    /^RuntimeError: Tokens can only be created by ContextVars$/,
  );
  v.reset(t);
  assert.equal(v.get(5), 5);
});

test("variables that were collected do not pile up in the by-name registry (toThread's)", async () => {
  const make = (round: number) => {
    for (let i = 0; i < 3000; i++) new asyncio.ContextVar(`dropped-${round}-${i}`);
  };
  const before = _registeredNames();
  for (let round = 0; round < 4; round++) {
    make(round);
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc!();
  }
  assert.ok(_registeredNames() - before < 6000, `${_registeredNames() - before} names kept`);
});

test("an eager task given an entered context: createTask raises RuntimeError and registers nothing", {
  timeout: 20_000,
}, async () => {
  const log: string[] = [];
  // biome-ignore lint/correctness/useYield: a task body that ends at its first step
  function* child(): asyncio.Coroutine<void> {
    log.push("child ran");
  }
  const tryEager = (ctx: asyncio.Context): void => {
    const loop = asyncio.getRunningLoop();
    loop.setTaskFactory(asyncio.eagerTaskFactory);
    try {
      asyncio.createTask(child(), { context: ctx });
      log.push("created");
    } catch (e) {
      log.push(`${(e as Error).name}: ${(e as Error).message}`);
    } finally {
      loop.setTaskFactory(null);
    }
    log.push(`tasks ${asyncio.allTasks().size}`);
  };
  await asyncio.run(function* () {
    // a generator task running in ctx: entered during its step
    const ctx = asyncio.copyContext();
    yield* asyncio.createTask(
      // biome-ignore lint/correctness/useYield: the eager attempt is all this task does
      (function* () {
        tryEager(ctx);
      })(),
      { context: ctx },
    );
    // an async task past its first await: its context counts as entered between awaits
    const ctx2 = asyncio.copyContext();
    yield* asyncio.createTask(
      async () => {
        await asyncio.sleep(0);
        tryEager(ctx2);
      },
      { context: ctx2 },
    );
  });
  const refused = "RuntimeError: cannot enter context: <Context object> is already entered";
  assert.deepEqual(log, [refused, "tasks 2", refused, "tasks 2"]);
});
