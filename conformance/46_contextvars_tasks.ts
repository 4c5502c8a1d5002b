/**
 * Twin of 46_contextvars_tasks.py: each task runs in a copy of its creator's context (or the
 * `context` given); callbacks run in the context of their scheduling. Generator coroutines,
 * then async functions. Python's `call_soon(cb, context=ctx)` is `ctx.run(() => callSoon(cb))`.
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const variable = new asyncio.ContextVar<string>("var", { default: "unset" });

function* scenarioGen(tag: string): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  const out: string[] = [];
  variable.set("main");

  function* reader(label: string, thenSet?: string): asyncio.Coroutine<void> {
    out.push(`${label} sees ${variable.get()}`);
    yield* asyncio.sleep(0);
    out.push(`${label} after a step sees ${variable.get()}`);
    if (thenSet !== undefined) {
      variable.set(thenSet);
      out.push(`${label} set ${thenSet}`);
    }
  }

  const t = asyncio.createTask(reader("t1", "t1-value"));
  variable.set("main-changed-after-create");
  yield* t;
  out.push(`main after t1 sees ${variable.get()}`);

  const ctx = asyncio.copyContext();
  ctx.run(() => variable.set("in-ctx"));
  const a = asyncio.createTask(reader("a", "a-value"), { context: ctx });
  yield* a;
  out.push(`ctx after a: ${ctx.get(variable)}`);
  const b = asyncio.createTask(reader("b"), { context: ctx });
  yield* b;
  out.push(`main still sees ${variable.get()}`);

  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* setsDirectly(): asyncio.Coroutine<void> {
    variable.set("set-by-awaited-coroutine");
  }
  yield* setsDirectly();
  out.push(`after a directly awaited coroutine: ${variable.get()}`);

  variable.set("before-call-soon");
  const fut = loop.createFuture();
  loop.callSoon(() => out.push(`call_soon sees ${variable.get()}`));
  ctx.run(() => loop.callSoon(() => out.push(`call_soon(context=ctx) sees ${variable.get()}`)));
  fut.addDoneCallback(() => out.push(`done callback sees ${variable.get()}`));
  variable.set("after-call-soon");
  fut.setResult(null);
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);

  function* childSetsThenSchedules(): asyncio.Coroutine<void> {
    variable.set("child-value");
    loop.callSoon(() => out.push(`callback scheduled by a task sees ${variable.get()}`));
    yield* asyncio.sleep(0);
  }
  yield* asyncio.createTask(childSetsThenSchedules());
  yield* asyncio.sleep(0);
  out.push(`main at the end sees ${variable.get()}`);
  print(`[${tag}]`, out.join("\n  "));
}

async function scenarioAsync(tag: string): Promise<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  const out: string[] = [];
  variable.set("main");

  async function reader(label: string, thenSet?: string): Promise<void> {
    out.push(`${label} sees ${variable.get()}`);
    await asyncio.sleep(0);
    out.push(`${label} after a step sees ${variable.get()}`);
    if (thenSet !== undefined) {
      variable.set(thenSet);
      out.push(`${label} set ${thenSet}`);
    }
  }

  const t = asyncio.createTask(() => reader("t1", "t1-value"));
  variable.set("main-changed-after-create");
  await t;
  out.push(`main after t1 sees ${variable.get()}`);

  const ctx = asyncio.copyContext();
  ctx.run(() => variable.set("in-ctx"));
  const a = asyncio.createTask(() => reader("a", "a-value"), { context: ctx });
  await a;
  out.push(`ctx after a: ${ctx.get(variable)}`);
  const b = asyncio.createTask(() => reader("b"), { context: ctx });
  await b;
  out.push(`main still sees ${variable.get()}`);

  async function setsDirectly(): Promise<void> {
    variable.set("set-by-awaited-coroutine");
  }
  await setsDirectly();
  out.push(`after a directly awaited coroutine: ${variable.get()}`);

  variable.set("before-call-soon");
  const fut = loop.createFuture();
  loop.callSoon(() => out.push(`call_soon sees ${variable.get()}`));
  ctx.run(() => loop.callSoon(() => out.push(`call_soon(context=ctx) sees ${variable.get()}`)));
  fut.addDoneCallback(() => out.push(`done callback sees ${variable.get()}`));
  variable.set("after-call-soon");
  fut.setResult(null);
  await asyncio.sleep(0);
  await asyncio.sleep(0);

  async function childSetsThenSchedules(): Promise<void> {
    variable.set("child-value");
    loop.callSoon(() => out.push(`callback scheduled by a task sees ${variable.get()}`));
    await asyncio.sleep(0);
  }
  await asyncio.createTask(childSetsThenSchedules);
  await asyncio.sleep(0);
  out.push(`main at the end sees ${variable.get()}`);
  print(`[${tag}]`, out.join("\n  "));
}

await asyncio.run(async () => {
  await asyncio.createTask(scenarioGen("gen"));
  await asyncio.createTask(() => scenarioAsync("async"));
  print("top level after both:", variable.get());
});
