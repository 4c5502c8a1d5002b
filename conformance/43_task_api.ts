/**
 * Twin of 43_task_api.py: task creation and names, getCoro/getContext, argument checks,
 * refused setResult/setException, awaiting itself, reprs in every state, KeyboardInterrupt in
 * a task escaping the loop.
 */
import * as asyncio from "../src/index.ts";
import { excStr, print, repr } from "./_py.ts";

function r(t: unknown): string {
  const s = (typeof t === "string" ? t : repr(t)).replace(/ coro=<\S+ (running|done)[^>]*>/g, "");
  return s.replace(/ at [^\]>,]+:\d+/g, "");
}

// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* body(v = "abc"): asyncio.Coroutine<string> {
  return v;
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;

  // 2.1-2.3 creation, names, getCoro, getContext
  const c = body();
  const t1 = asyncio.createTask(c);
  const t2 = asyncio.createTask(body());
  const n1 = t1.getName();
  const n2 = t2.getName();
  print(
    "auto names:",
    /^Task-\d+$/.test(n1),
    "| consecutive:",
    Number(n2.split("-")[1]) === Number(n1.split("-")[1]) + 1,
    "| done right after create:",
    t1.done(),
  );
  print("get_coro() is the coroutine:", t1.getCoro() === c);
  const t3 = asyncio.createTask(body(), { name: "named" });
  print("name=:", t3.getName());
  t3.setName(42);
  print("set_name(42):", repr(t3.getName()));
  const ctx = asyncio.copyContext();
  const t4 = asyncio.createTask(body(), { context: ctx });
  print(
    "get_context() is the context given:",
    t4.getContext() === ctx,
    "| default context is a Context:",
    t1.getContext() instanceof asyncio.Context,
  );
  for (const t of [t1, t2, t3, t4]) yield* t;

  // 2.4 argument checks
  try {
    asyncio.createTask(123 as never);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    print("create_task(123):", excStr(e));
  }

  // 2.5 setResult / setException are refused
  let t: asyncio.Task<unknown> = asyncio.createTask(body());
  for (const [label, fn] of [
    ["set_result", () => t.setResult(1)],
    ["set_exception", () => t.setException(new asyncio.ValueError())],
  ] as const) {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof asyncio.RuntimeError)) throw e;
      print(`task.${label}:`, excStr(e));
    }
  }
  yield* t;

  // 2.6 awaiting itself
  function* selfAwait(): asyncio.Coroutine<void> {
    yield* asyncio.currentTask()!;
  }
  t = asyncio.createTask(selfAwait(), { name: "me" });
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("awaiting itself:", repr(r(e.message)));
  }

  // 2.10 Task is a Future
  t = asyncio.createTask(body());
  print(
    "Task is a Future:",
    asyncio.Task.prototype instanceof asyncio.Future,
    t instanceof asyncio.Future,
  );
  try {
    t.result();
  } catch (e) {
    if (!(e instanceof asyncio.InvalidStateError)) throw e;
    print("pending task result():", excStr(e));
  }
  yield* t;

  // 2.11 reprs
  const fut = loop.createFuture();
  function* waits(): asyncio.Coroutine<unknown> {
    return yield* fut;
  }
  t = asyncio.createTask(waits(), { name: "T" });
  print("repr new:", r(t));
  yield* asyncio.sleep(0);
  print("repr waiting:", r(t));
  t.cancel();
  print("repr after cancel():", r(t));
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
  }
  print("repr cancelled:", r(t));
  t = asyncio.createTask(body(), { name: "T" });
  yield* t;
  print("repr finished:", r(t));
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* fails(): asyncio.Coroutine<void> {
    throw new asyncio.ValueError("x");
  }
  t = asyncio.createTask(fails(), { name: "T" });
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
  }
  print("repr failed:", r(t));
  t = asyncio.createTask(body("a".repeat(40)), { name: "T" });
  yield* t;
  print("repr long result:", r(t));
}

await asyncio.run(main);

// 2.28 KeyboardInterrupt in a task: stored in the task and raised out of the loop
const loop = asyncio.newEventLoop() as asyncio.EventLoop;
let t: asyncio.Task<void> | null = null;
function* interrupted(): asyncio.Coroutine<void> {
  yield* asyncio.sleep(0);
  throw new asyncio.KeyboardInterrupt("stop");
}
function* main2(): asyncio.Coroutine<string> {
  t = asyncio.createTask(interrupted());
  yield* asyncio.sleep(1);
  return "main2 finished";
}
const m = loop.createTask(main2());
try {
  await loop.runUntilComplete(m);
} catch (e) {
  if (!(e instanceof asyncio.KeyboardInterrupt)) throw e;
  print(
    "run_until_complete raised:",
    excStr(e),
    "| task done:",
    t!.done(),
    "| task.exception():",
    excStr(t!.exception()),
    "| main task done:",
    m.done(),
  );
}
m.cancel();
try {
  await loop.runUntilComplete(m);
} catch (e) {
  if (!(e instanceof asyncio.CancelledError)) throw e;
  print("the loop runs again afterwards; main task cancelled:", m.cancelled());
}
loop.close();
