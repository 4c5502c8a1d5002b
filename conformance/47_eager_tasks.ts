/**
 * Twin of 47_eager_tasks.py: eager tasks (3.12+): the body runs inside createTask until it
 * first suspends. The ordering part runs with generator coroutines, then async functions;
 * completing inside createTask is checked with generator coroutines only (an async function's
 * promise settles in a later microtask, so its task cannot be done when createTask returns).
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const variable = new asyncio.ContextVar<string>("var", { default: "unset" });
const eager = asyncio.eagerTaskFactory as asyncio.TaskFactory;

function* commonGen(tag: string): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  loop.setTaskFactory(eager);
  const out: string[] = [];
  const me = asyncio.currentTask();

  function* twoSteps(): asyncio.Coroutine<string> {
    out.push(`step1 (eager), current is the new task: ${repr(asyncio.currentTask() !== me)}`);
    yield* asyncio.sleep(0);
    out.push("step2");
    return "two";
  }
  out.push("before create");
  let t: asyncio.Task<unknown> = asyncio.createTask(twoSteps());
  out.push(
    `after create: done=${repr(t.done())} in all_tasks=${repr(asyncio.allTasks().has(t))} ` +
      `has coro=${repr(t.getCoro() !== null)} current is main again=${repr(asyncio.currentTask() === me)}`,
  );
  out.push(`result ${yield* t}`);

  function* waitsForever(): asyncio.Coroutine<void> {
    out.push("waits_forever step1");
    yield* loop.createFuture();
  }
  t = asyncio.createTask(waitsForever());
  out.push(`pending eager task cancel() -> ${repr(t.cancel())}`);
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    out.push(`cancelled=${repr(t.cancelled())}`);
  }

  variable.set("creator");
  function* setsVar(): asyncio.Coroutine<void> {
    out.push(`eager step sees ${variable.get()}`);
    variable.set("eager-task");
    yield* asyncio.sleep(0);
  }
  t = asyncio.createTask(setsVar());
  out.push(`creator still sees ${variable.get()}`);
  yield* t;

  // an eager child created by a (lazy) task runs before its creator continues
  function* child(n: string): asyncio.Coroutine<void> {
    out.push(`${n} step1`);
    yield* asyncio.sleep(0);
    out.push(`${n} step2`);
  }
  function* parent(): asyncio.Coroutine<void> {
    out.push("parent before");
    const c = asyncio.createTask(child("child"));
    out.push("parent after");
    yield* c;
  }
  loop.setTaskFactory(null);
  const p = asyncio.createTask(parent());
  loop.setTaskFactory(eager);
  out.push("main after creating the lazy parent");
  yield* p;
  loop.setTaskFactory(null);
  print(`[${tag}]`, out.join("\n  "));
}

async function commonAsync(tag: string): Promise<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  loop.setTaskFactory(eager);
  const out: string[] = [];
  const me = asyncio.currentTask();

  async function twoSteps(): Promise<string> {
    out.push(`step1 (eager), current is the new task: ${repr(asyncio.currentTask() !== me)}`);
    await asyncio.sleep(0);
    out.push("step2");
    return "two";
  }
  out.push("before create");
  let t: asyncio.Task<unknown> = asyncio.createTask(twoSteps);
  out.push(
    `after create: done=${repr(t.done())} in all_tasks=${repr(asyncio.allTasks().has(t))} ` +
      `has coro=${repr(t.getCoro() !== null)} current is main again=${repr(asyncio.currentTask() === me)}`,
  );
  out.push(`result ${await t}`);

  async function waitsForever(): Promise<void> {
    out.push("waits_forever step1");
    await loop.createFuture();
  }
  t = asyncio.createTask(waitsForever);
  out.push(`pending eager task cancel() -> ${repr(t.cancel())}`);
  try {
    await t;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    out.push(`cancelled=${repr(t.cancelled())}`);
  }

  variable.set("creator");
  async function setsVar(): Promise<void> {
    out.push(`eager step sees ${variable.get()}`);
    variable.set("eager-task");
    await asyncio.sleep(0);
  }
  t = asyncio.createTask(setsVar);
  out.push(`creator still sees ${variable.get()}`);
  await t;

  // an eager child created by a (lazy) task runs before its creator continues
  async function child(n: string): Promise<void> {
    out.push(`${n} step1`);
    await asyncio.sleep(0);
    out.push(`${n} step2`);
  }
  async function parent(): Promise<void> {
    out.push("parent before");
    const c = asyncio.createTask(() => child("child"));
    out.push("parent after");
    await c;
  }
  loop.setTaskFactory(null);
  const p = asyncio.createTask(parent);
  loop.setTaskFactory(eager);
  out.push("main after creating the lazy parent");
  await p;
  loop.setTaskFactory(null);
  print(`[${tag}]`, out.join("\n  "));
}

function* finishesEagerly(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  loop.setTaskFactory(eager);
  const out: string[] = [];
  const me = asyncio.currentTask();

  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* quick<T>(v: T): asyncio.Coroutine<T> {
    out.push(`quick runs, current is itself: ${repr(asyncio.currentTask() !== me)}`);
    return v;
  }

  out.push("before create");
  let t: asyncio.Task<unknown> = asyncio.createTask(quick(1), { name: "quick" });
  out.push(
    `after create: done=${repr(t.done())} result=${repr(t.result())} coro=${repr(t.getCoro())} ` +
      `in all_tasks=${repr(asyncio.allTasks().has(t))} current is main again=${repr(asyncio.currentTask() === me)}`,
  );
  out.push(`awaiting it: ${yield* t}`);

  const doneFut = loop.createFuture<string>();
  doneFut.setResult("ready");
  function* awaitsDone(): asyncio.Coroutine<string> {
    const v = yield* doneFut;
    return `got ${v} without suspending`;
  }
  t = asyncio.createTask(awaitsDone());
  out.push(`awaiting a done future: done=${repr(t.done())} result=${t.result()}`);

  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* fails(): asyncio.Coroutine<void> {
    throw new asyncio.ValueError("eager failure");
  }
  t = asyncio.createTask(fails());
  out.push(`failing: done=${repr(t.done())} exception=${repr(t.exception())}`);

  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* cancelsItself(): asyncio.Coroutine<string> {
    asyncio.currentTask()!.cancel();
    return "discarded";
  }
  t = asyncio.createTask(cancelsItself());
  out.push(`self-cancel then return: done=${repr(t.done())} cancelled=${repr(t.cancelled())}`);
  loop.setTaskFactory(null);

  // new Task(..., { eagerStart: true }) without the factory
  t = new asyncio.Task(quick(2), { loop, eagerStart: true });
  out.push(`Task(eager_start=True): done=${repr(t.done())} result=${repr(t.result())}`);

  // createEagerTaskFactory with a Task subclass
  class MyTask<T> extends asyncio.Task<T> {}
  loop.setTaskFactory(asyncio.createEagerTaskFactory(MyTask) as asyncio.TaskFactory);
  t = asyncio.createTask(quick(3), { name: "custom" });
  out.push(
    `custom factory: ${t.constructor.name} name=${t.getName()} done=${repr(t.done())} result=${repr(t.result())}`,
  );
  loop.setTaskFactory(null);
  print("[gen only]", out.join("\n  "));
}

await asyncio.run(async () => {
  await asyncio.createTask(commonGen("gen"));
  await asyncio.createTask(() => commonAsync("async"));
  await asyncio.createTask(finishesEagerly());
});

// eagerStart on a loop that is not running: scheduled as usual
const loop = asyncio.newEventLoop() as asyncio.EventLoop;
// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* body(): asyncio.Coroutine<string> {
  return "ran later";
}
const t = new asyncio.Task(body(), { loop, eagerStart: true });
print("eager_start, loop not running: done =", t.done());
print("after run_until_complete:", await loop.runUntilComplete(t));
loop.close();
