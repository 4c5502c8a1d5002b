/**
 * Twin of 226_run_in_executor_debug_checks.py: in debug mode runInExecutor checks its function
 * first (a coroutine or coroutine function, here a generator function or generator object, and
 * what cannot be called), before any executor is made.
 */
import * as asyncio from "../src/index.ts";
import { excStr, print } from "./_py.ts";

function* coroFn(): asyncio.Coroutine<void> {}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  loop.setDebug(true);
  for (const [label, fn] of [
    ["int", 5],
    ["None", null],
    ["coroutine function", coroFn],
  ] as const) {
    try {
      loop.runInExecutor(null, fn as () => void);
    } catch (e) {
      print(`debug run_in_executor(${label}):`, excStr(e));
    }
  }
  const c = coroFn();
  try {
    loop.runInExecutor(null, c as unknown as () => void);
  } catch (e) {
    print("debug run_in_executor(coroutine):", excStr(e));
  }
  c.return();
}

await asyncio.run(main);
