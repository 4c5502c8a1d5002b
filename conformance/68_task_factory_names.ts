/**
 * Twin of 68_task_factory_names.py: with a task factory, createTask() calls it with the context
 * only and then names the task, 'None' when no name was given (CPython 3.13's behaviour).
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function* body(tag: string): asyncio.Coroutine<void> {
  print(tag, "first step:", asyncio.currentTask()!.getName());
  yield* asyncio.sleep(0);
}

function loggingFactory(
  loop: asyncio.AbstractEventLoop,
  coro: asyncio.TaskBody<unknown>,
  kwargs: { context?: asyncio.Context } = {},
): asyncio.Task<unknown> {
  print("factory called with", repr(Object.keys(kwargs).sort()));
  return new asyncio.Task(coro, { loop, ...kwargs });
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  loop.setTaskFactory(asyncio.eagerTaskFactory);
  const a = asyncio.createTask(body("a"), { name: "A" });
  const b = asyncio.createTask(body("b"));
  print(repr(a.getName()), repr(b.getName()));
  yield* asyncio.gather([a, b]);
  loop.setTaskFactory(loggingFactory);
  const c = loop.createTask(body("c"), { name: "C" });
  const d = loop.createTask(body("d"), { context: asyncio.currentTask()!.getContext() });
  print(repr(c.getName()), repr(d.getName()));
  yield* asyncio.gather([c, d]);
}

await asyncio.run(main);
