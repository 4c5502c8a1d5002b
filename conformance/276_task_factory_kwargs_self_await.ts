/** Twin of 276_task_factory_kwargs_self_await.py. */
import { pyRepr as repr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

function* noop(): asyncio.Coroutine<void> {}

// A factory sees `context` only when it is not None.
const log: string[][] = [];
function factory(
  loop: asyncio.AbstractEventLoop,
  coro: asyncio.TaskBody<unknown>,
  kw: { name?: unknown; context?: asyncio.Context } = {},
) {
  log.push(Object.keys(kw).sort());
  return new asyncio.Task(coro, { loop, ...kw });
}
await asyncio.run(function* () {
  const loop = asyncio.getRunningLoop();
  loop.setTaskFactory(factory);
  yield* asyncio.createTask(noop(), { context: null });
  yield* loop.createTask(noop(), { context: null });
  yield* asyncio.createTask(noop(), { name: null, context: null });
  // biome-ignore lint/correctness/useYield: the group body only starts a task
  yield* new asyncio.TaskGroup().run(function* (tg) {
    tg.createTask(noop(), { context: null });
  });
  const t = asyncio.createTask(noop(), { name: null });
  print("name=None via factory ->", repr(t.getName()));
  yield* t;
  loop.setTaskFactory(null);
  print(log);
});

// createEagerTaskFactory takes any callable.
const made: string[][] = [];
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
// biome-ignore lint/correctness/useYield: finishes in its eager step
function* body(): asyncio.Coroutine<string> {
  return asyncio.currentTask()!.getName();
}
await asyncio.run(function* () {
  const loop = asyncio.getRunningLoop();
  const ctor = (coro: asyncio.TaskBody<unknown>, kw: asyncio.TaskOptions) => {
    made.push(Object.keys(kw).map(snake).sort());
    return new asyncio.Task(coro, kw);
  };
  loop.setTaskFactory(asyncio.createEagerTaskFactory(ctor));
  let t = asyncio.createTask(body());
  print("lambda ctor:", t.done(), t.result().startsWith("Task-"), t.constructor.name);
  function boundMethodCtor(coro: asyncio.TaskBody<unknown>, kw: asyncio.TaskOptions) {
    return new asyncio.Task(coro, kw);
  }
  loop.setTaskFactory(asyncio.createEagerTaskFactory(boundMethodCtor));
  t = asyncio.createTask(body());
  print("def ctor:", t.done());
  print("ctor kwargs:", made);
  loop.setTaskFactory(null);
});

// A task that awaited itself keeps _asyncio_future_blocking set.
function* selfish(): asyncio.Coroutine<string> {
  try {
    yield* asyncio.currentTask()!;
  } catch (e) {
    print("selfish caught:", (e as Error).message.split(":")[0]);
  }
  yield* asyncio.sleep(0);
  return "selfish done";
}
await asyncio.run(function* () {
  const blocking = (t: asyncio.Task<unknown>) =>
    (t as unknown as { _asyncioFutureBlocking: boolean })._asyncioFutureBlocking;
  let t = asyncio.createTask(selfish());
  yield* asyncio.sleep(0);
  print("flag after self-await:", blocking(t), "done:", t.done());
  try {
    print("await t ->", yield* t);
  } catch (e) {
    print("await t raised RuntimeError:", (e as Error).message);
  }
  yield* asyncio.sleep(0.01);
  print("t:", t.done(), t.done() ? t.result() : null);
  const loop = asyncio.getRunningLoop();
  loop.setTaskFactory(asyncio.eagerTaskFactory);
  t = asyncio.createTask(selfish());
  print("eager flag after create:", blocking(t), "done:", t.done());
  try {
    print("await t ->", yield* t);
  } catch (e) {
    print("await t raised RuntimeError:", (e as Error).message);
  }
  yield* asyncio.sleep(0.01);
  print("t:", t.done(), t.done() ? t.result() : null);
  loop.setTaskFactory(null);
});
