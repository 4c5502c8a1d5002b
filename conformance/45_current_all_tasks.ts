/**
 * Twin of 45_current_all_tasks.py: currentTask() and allTasks() inside tasks (generator
 * coroutines, then async functions), in callbacks, and with no running loop.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function names(tasks: Set<asyncio.Task<unknown>>): string {
  return repr([...tasks].map((t) => t.getName()).sort());
}

function* scenarioGen(tag: string): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  const out: string[] = [];
  const me = asyncio.currentTask()!;
  out.push(`main is current: ${repr(me.getName() === `main-${tag}`)}`);

  function* child(n: string): asyncio.Coroutine<void> {
    out.push(`${n} current is itself: ${repr(asyncio.currentTask()!.getName() === n)}`);
    yield* asyncio.sleep(0);
    out.push(`${n} still itself after await: ${repr(asyncio.currentTask()!.getName() === n)}`);
  }
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* nested(): asyncio.Coroutine<asyncio.Task<unknown> | null> {
    return asyncio.currentTask();
  }

  out.push(`directly awaited coroutine sees the caller: ${repr((yield* nested()) === me)}`);
  loop.callSoon(() => out.push(`in a call_soon callback: ${repr(asyncio.currentTask())}`));
  const t1 = asyncio.createTask(child("c1"), { name: "c1" });
  const t2 = asyncio.createTask(child("c2"), { name: "c2" });
  t1.addDoneCallback(() => out.push(`in a done callback: ${repr(asyncio.currentTask())}`));
  out.push(`all_tasks: ${names(asyncio.allTasks())}`);
  yield* asyncio.sleep(0);
  yield* t1;
  out.push(`after c1 done: ${names(asyncio.allTasks())}`);
  yield* t2;
  yield* asyncio.sleep(0);
  out.push(`after both: ${names(asyncio.allTasks())}`);
  out.push(`current_task(loop) is current_task(): ${repr(asyncio.currentTask(loop) === me)}`);
  const other = asyncio.newEventLoop();
  out.push(`current_task(other loop): ${repr(asyncio.currentTask(other))}`);
  out.push(`all_tasks(other loop): ${repr(asyncio.allTasks(other))}`);
  other.close();
  print(`[${tag}]`, out.join("\n  "));
}

async function scenarioAsync(tag: string): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const out: string[] = [];
  const me = asyncio.currentTask()!;
  out.push(`main is current: ${repr(me.getName() === `main-${tag}`)}`);

  async function child(n: string): Promise<void> {
    out.push(`${n} current is itself: ${repr(asyncio.currentTask()!.getName() === n)}`);
    await asyncio.sleep(0);
    out.push(`${n} still itself after await: ${repr(asyncio.currentTask()!.getName() === n)}`);
  }
  // An async function returning a Task (a thenable) would adopt it: JavaScript awaits a
  // returned thenable. Return it boxed.
  async function nested(): Promise<{ task: asyncio.Task<unknown> | null }> {
    return { task: asyncio.currentTask() };
  }

  out.push(`directly awaited coroutine sees the caller: ${repr((await nested()).task === me)}`);
  loop.callSoon(() => out.push(`in a call_soon callback: ${repr(asyncio.currentTask())}`));
  const t1 = asyncio.createTask(() => child("c1"), { name: "c1" });
  const t2 = asyncio.createTask(() => child("c2"), { name: "c2" });
  t1.addDoneCallback(() => out.push(`in a done callback: ${repr(asyncio.currentTask())}`));
  out.push(`all_tasks: ${names(asyncio.allTasks())}`);
  await asyncio.sleep(0);
  await t1;
  out.push(`after c1 done: ${names(asyncio.allTasks())}`);
  await t2;
  await asyncio.sleep(0);
  out.push(`after both: ${names(asyncio.allTasks())}`);
  out.push(`current_task(loop) is current_task(): ${repr(asyncio.currentTask(loop) === me)}`);
  const other = asyncio.newEventLoop();
  out.push(`current_task(other loop): ${repr(asyncio.currentTask(other))}`);
  out.push(`all_tasks(other loop): ${repr(asyncio.allTasks(other))}`);
  other.close();
  print(`[${tag}]`, out.join("\n  "));
}

await asyncio.run(async () => {
  await asyncio.createTask(scenarioGen("gen"), { name: "main-gen" });
  await asyncio.createTask(() => scenarioAsync("async"), { name: "main-async" });
});

for (const [label, fn] of [
  ["current_task()", () => asyncio.currentTask()],
  ["all_tasks()", () => asyncio.allTasks()],
] as const) {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print(`${label} with no running loop: RuntimeError: ${e.message}`);
  }
}

const loop = asyncio.newEventLoop() as asyncio.EventLoop;
function* later(): asyncio.Coroutine<void> {}
const t = loop.createTask(later(), { name: "made-before-running" });
print("current_task(loop) of a loop not running:", asyncio.currentTask(loop));
print("all_tasks(loop) before it runs:", names(asyncio.allTasks(loop)));
await loop.runUntilComplete(t);
print("all_tasks(loop) after:", names(asyncio.allTasks(loop)));
loop.close();
