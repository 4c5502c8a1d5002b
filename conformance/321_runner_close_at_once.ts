/**
 * Twin of 321_runner_close_at_once.py: Runner.close() with nothing left to do closes the loop
 * before it returns, so a close() not awaited (as Python's is written) lets the next loop run;
 * with work left (a pending task, a ready callback, a due timer) it runs the loop first and is
 * awaited here.
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

async function main(): Promise<string> {
  return "a";
}

let runner = new asyncio.Runner();
print(await runner.run(main));
const loop = runner.getLoop();
void runner.close();
print("closed", loop.isClosed());
print(await asyncio.run(main));
void runner.close();
print("second close ok");

// a task left pending is cancelled by close()
const log: string[] = [];
function* forever(): asyncio.Coroutine<void> {
  try {
    yield* asyncio.sleep(3600);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) log.push("cancelled");
    throw e;
  }
}
runner = new asyncio.Runner();
// (a Task is a thenable: the promise run() returns would wait for it, so it comes in an array)
const [t] = await runner.run(async () => [asyncio.createTask(forever())]);
await runner.run(asyncio.sleep(0));
await runner.close();
print(log, t.cancelled());

// a callback and a due timer left behind run in close()'s iterations
runner = new asyncio.Runner();
await runner.run(main);
const lp = runner.getLoop();
lp.callSoon(print, "ready callback ran");
lp.callLater(0, print, "due timer ran");
lp.callLater(3600, print, "late timer ran");
await runner.close();
print("closed", lp.isClosed());

// a task factory sees close()'s two shutdown tasks; task names go on from there
const calls: string[] = [];
runner = new asyncio.Runner();
await runner.run(main);
runner.getLoop().setTaskFactory((l, coro, opts) => {
  calls.push(asyncio.isCoroutine(coro) ? "coroutine" : typeof coro);
  return new asyncio.Task(coro, { ...opts, loop: l });
});
await runner.close();
print("factory calls", calls);

const name = async (): Promise<string> => asyncio.currentTask()!.getName();
const first = await asyncio.run(name);
const second = await asyncio.run(name);
print("names step by", Number(second.split("-")[1]) - Number(first.split("-")[1]));
