/** Twin of 260_none_and_truthy_args.py: None (undefined/null) and Python truth values as arguments. */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function attempt(label: string, fn: () => unknown): void {
  try {
    print(label, "->", fn() ?? null);
  } catch (e) {
    print(label, "->", (e as Error).name, (e as Error).message);
  }
}

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  // undefined is None too (API.md): the setters that take None take it.
  attempt("set_exception_handler(None)", () => loop.setExceptionHandler(undefined as never));
  print("  handler", loop.getExceptionHandler());
  attempt("set_task_factory(None)", () => loop.setTaskFactory(undefined as never));
  print("  factory", loop.getTaskFactory());
  const fut = loop.createFuture();
  fut.setException(new asyncio.ValueError("k"));
  print(
    "gather return_exceptions='yes'",
    await asyncio.gather([fut], { returnExceptions: "yes" as never }),
  );
  const fut2 = loop.createFuture();
  fut2.setException(new asyncio.ValueError("j"));
  try {
    await asyncio.gather([fut2], { returnExceptions: [] as never });
  } catch (e) {
    print("gather return_exceptions=[] raised", repr(e));
  }
  const t = loop.createTask(asyncio.sleep(0));
  try {
    await asyncio.wait([t], { returnWhen: null as never });
  } catch (e) {
    print("wait return_when=None:", (e as Error).message);
  }
  await t;
  const steps: string[] = [];
  const et = new asyncio.Task(
    // biome-ignore lint/correctness/useYield: an `async def` without an await
    function* eager(): asyncio.Coroutine<void> {
      steps.push("ran");
    },
    { loop, eagerStart: "yes" as never },
  );
  print("eager_start='yes': ran at once", steps.length === 1 && steps[0] === "ran", et.done());

  const sem = new asyncio.Semaphore(false as never);
  print("Semaphore(False) locked", sem.locked());
  const waiter = asyncio.ensureFuture(sem.acquire());
  await asyncio.sleep(0);
  print("  acquire waits", !waiter.done());
  sem.release();
  await waiter;
  print("  after release, acquired", waiter.result());
  const barrier = new asyncio.Barrier(true as never);
  print("Barrier(True) wait ->", await barrier.wait(), await barrier.wait());
  print("all_tasks(123)", asyncio.allTasks(123 as never));
});

const closed = asyncio.newEventLoop();
closed.close();
const log: string[] = [];
function* body(): asyncio.Coroutine<void> {
  try {
    yield* new asyncio.Future({ loop: closed });
  } finally {
    log.push("finally");
  }
}
const coro = body();
coro.next(); // suspended in its try, so closing it runs the finally
attempt("ensure_future(coro, loop=closed)", () => asyncio.ensureFuture(coro, { loop: closed }));
print("  closed the coroutine", log);

for (const [label, value] of [
  ["None", null],
  ["False", false],
] as const) {
  const runnerLoop = asyncio.newEventLoop();
  runnerLoop.setDebug(true);
  const r = new asyncio.Runner({ debug: value, loopFactory: () => runnerLoop });
  print(`Runner(debug=${label}): the loop debug`, r.getLoop().getDebug());
  r.close();
}
asyncio.setEventLoop(undefined as never);
asyncio.setEventLoopPolicy(undefined as never);
print("set_event_loop(None), set_event_loop_policy(None): ok");
