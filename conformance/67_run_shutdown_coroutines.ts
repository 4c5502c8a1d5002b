/**
 * Twin of 67_run_shutdown_coroutines.py: loop.shutdownAsyncgens() and
 * loop.shutdownDefaultExecutor() are library coroutines; asyncio.run() runs each as a Task at
 * shutdown, which uses up two task numbers per run, as in CPython.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  print("main task:", asyncio.currentTask()!.getName());
  const c = loop.shutdownAsyncgens();
  print(
    "coroutine:",
    asyncio.isCoroutine(c),
    asyncio.isCoroutineFunction(loop.shutdownDefaultExecutor),
  );
  const t = loop.createTask(c);
  print(t.constructor.name, t.getName(), repr(yield* t));
  const f = asyncio.ensureFuture(loop.shutdownDefaultExecutor()) as asyncio.Task<void>;
  print(f.constructor.name, f.getName(), repr(yield* f));
}

await asyncio.run(main);
await asyncio.run(main);
