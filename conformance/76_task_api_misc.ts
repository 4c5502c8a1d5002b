/** Twin of 76_task_api_misc.py: Task API odds and ends: names, coroutines, contexts, scheduling on a closed loop. */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function ea(e: unknown): string {
  const err = e as Error & { args?: unknown[] };
  const a = err.args ?? [err.message];
  return `${err.name}(${a.map((x) => repr(x)).join(", ")}${a.length === 1 ? "," : ""})`;
}
function attempt(label: string, fn: () => unknown) {
  try {
    print(`${label}: returned ${repr(fn())}`);
  } catch (e) {
    print(`${label}: raised ${ea(e)}`);
  }
}
class Named {
  toString() {
    return "str-of-Named";
  }
}
const names = () => [42, null, 2.5, true, [1, "a"], { k: 1 }, "", "it's", new Named()];
const names2 = () => [7, [1], "", new Named()];

function* scenGen(tag: string): asyncio.Coroutine<void> {
  const P = (...a: unknown[]) => print(`[${tag}]`, ...a);
  function* body(): asyncio.Coroutine<number> {
    yield* asyncio.sleep(0);
    return 1;
  }
  const t = asyncio.createTask(body(), { name: "first" });
  for (const v of names()) {
    t.setName(v);
    P("set_name", "->", repr(t.getName()), "| repr name part:", repr(t).split(" coro=")[0]);
  }
  for (const v of names2()) {
    const t2 = asyncio.createTask(body(), { name: v });
    P("create_task name=", repr(t2.getName()));
    yield* t2;
  }
  yield* t;
  const ctx = asyncio.copyContext();
  const t3 = asyncio.createTask(body(), { context: ctx });
  P("get_context is ctx:", t3.getContext() === ctx);
  yield* t3;
  P("get_context after done is ctx:", t3.getContext() === ctx);
  const loop = asyncio.getRunningLoop();
  P("current_task(loop) is current_task():", asyncio.currentTask(loop) === asyncio.currentTask());
  const a1 = asyncio.allTasks(loop),
    a2 = asyncio.allTasks();
  P("all_tasks(loop) == all_tasks():", a1.size === a2.size && [...a1].every((x) => a2.has(x)));
}
async function scenAsync(tag: string) {
  const P = (...a: unknown[]) => print(`[${tag}]`, ...a);
  async function body() {
    await asyncio.sleep(0);
    return 1;
  }
  const t = asyncio.createTask(body, { name: "first" });
  for (const v of names()) {
    t.setName(v);
    P("set_name", "->", repr(t.getName()), "| repr name part:", repr(t).split(" coro=")[0]);
  }
  for (const v of names2()) {
    const t2 = asyncio.createTask(body, { name: v });
    P("create_task name=", repr(t2.getName()));
    await t2;
  }
  await t;
  const ctx = asyncio.copyContext();
  const t3 = asyncio.createTask(body, { context: ctx });
  P("get_context is ctx:", t3.getContext() === ctx);
  await t3;
  P("get_context after done is ctx:", t3.getContext() === ctx);
  const loop = asyncio.getRunningLoop();
  P("current_task(loop) is current_task():", asyncio.currentTask(loop) === asyncio.currentTask());
  const a1 = asyncio.allTasks(loop),
    a2 = asyncio.allTasks();
  P("all_tasks(loop) == all_tasks():", a1.size === a2.size && [...a1].every((x) => a2.has(x)));
}
await asyncio.run(scenGen("gen"));
await asyncio.run(() => scenAsync("async"));

const loop = asyncio.newEventLoop();
const f = loop.createFuture();
f.addDoneCallback(() => null);
const g = loop.createFuture();
const h = loop.createFuture();
h.addDoneCallback(() => null);
const k = loop.createFuture();
k.addDoneCallback(() => null);
loop.setExceptionHandler(() => {});
loop.close();
attempt("set_result on closed loop's future with a callback", () => f.setResult(1));
print("  done after:", f.done(), f.cancelled());
attempt("set_result on closed loop's future, no callback", () => g.setResult(1));
attempt("add_done_callback on done future of closed loop", () => g.addDoneCallback(() => null));
attempt("cancel() on closed loop's future with a callback", () => h.cancel());
print("  done after:", h.done(), h.cancelled());
attempt("set_exception on closed loop's future with a callback", () =>
  k.setException(new asyncio.ValueError("z")),
);
attempt("create_future on closed loop", () => loop.createFuture().constructor.name);
// biome-ignore lint/correctness/useYield: a coroutine that returns at once
function* c(): asyncio.Coroutine<number> {
  return 1;
}
attempt("Task(coro, loop=closed)", () => new asyncio.Task(c(), { loop }));
print("all_tasks(closed loop):", asyncio.allTasks(loop));
attempt("loop.create_task on closed loop", () => loop.createTask(c()));
attempt("ensure_future(coro, loop=closed)", () => asyncio.ensureFuture(c(), { loop }));
