/**
 * Twin of 151_runner_edges.py: run(123) and the current loop, Runner options and states, the
 * default executor after its shutdown, run() shutdown with a task made during cleanup, main's
 * own cancellation, KeyboardInterrupt and SystemExit. The pool's workers import this module, so
 * the script runs only in the main module.
 */

import * as cf from "../src/concurrent.ts";
import { pyStr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

export function pow(a: number, b: number): number {
  return a ** b;
}
cf.workerFunctions(import.meta.url, { pow });
if (cf.isMainModule(import.meta.url)) {
  async function attempt(label: string, fn: () => unknown): Promise<void> {
    try {
      print(`${label}: returned ${repr(await fn())}`);
    } catch (e) {
      print(`${label}: ${(e as Error).name}: ${pyStr(e)}`);
    }
  }
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* ret<T>(x: T): asyncio.Coroutine<T> {
    return x;
  }
  await attempt("run(123)", () => asyncio.run(123 as never));
  await attempt("get_event_loop after run(123)", () =>
    asyncio.getEventLoop().constructor.name === "EventLoop" ? "_UnixSelectorEventLoop" : "?",
  );
  asyncio.setEventLoop(asyncio.newEventLoop());
  const cur = asyncio.getEventLoop();
  const made: asyncio.AbstractEventLoop[] = [];
  const factory = () => {
    const lp = asyncio.newEventLoop();
    made.push(lp);
    return lp;
  };
  let r = new asyncio.Runner({ loopFactory: factory });
  print("run with factory:", await r.run(ret(1)));
  print(
    "current loop unchanged:",
    asyncio.getEventLoop() === cur,
    "| factory loop is runner's:",
    r.getLoop() === made[0],
  );
  print("debug default:", r.getLoop().getDebug());
  await r.close();
  print("factory loop closed:", made[0]!.isClosed(), "| current still open:", !cur.isClosed());
  await attempt("get_event_loop after factory runner close", () => asyncio.getEventLoop() === cur);
  r = new asyncio.Runner({ debug: false });
  r.getLoop().setDebug(true);
  print("debug after set:", r.getLoop().getDebug());
  await r.close();
  r = new asyncio.Runner({ debug: true });
  await attempt("Runner(debug=True).run", () => r.run(ret(2)));
  print("debug:", r.getLoop().getDebug());
  r.getLoop().close();
  await attempt("run on closed loop", () => r.run(ret(3)));
  await attempt("close runner with closed loop", () => r.close());
  await attempt("get_loop after", () => r.getLoop());
  r = new asyncio.Runner();
  await r.close();
  await attempt("run after close of unused runner", () => r.run(ret(4)));
  await r.close();
  await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
      print("executor result:", yield* loop.runInExecutor(null, pow, 2, 5));
      yield* asyncio.ensureFuture(loop.shutdownDefaultExecutor());
      yield* asyncio.ensureFuture(loop.shutdownDefaultExecutor());
      try {
        yield* loop.runInExecutor(null, pow, 2, 5);
      } catch (e) {
        print("run_in_executor after shutdown:", (e as Error).name, pyStr(e));
      }
      try {
        yield* asyncio.toThread(pow, 2, 2);
      } catch (e) {
        print("to_thread after shutdown:", (e as Error).name, pyStr(e));
      }
    })(),
  );
  const log: string[] = [];
  function* grandchild(): asyncio.Coroutine<void> {
    log.push("grandchild ran");
    yield* asyncio.sleep(0);
    log.push("grandchild finished");
  }
  function* child(): asyncio.Coroutine<void> {
    try {
      yield* asyncio.sleep(10);
    } finally {
      log.push("child cleanup");
      asyncio.getRunningLoop().createTask(grandchild());
    }
  }
  print(
    await asyncio.run(
      (function* () {
        asyncio.createTask(child());
        yield* asyncio.sleep(0);
        return "main2";
      })(),
    ),
    log,
  );
  await attempt("run(self-cancel)", () =>
    asyncio.run(
      (function* () {
        asyncio.currentTask()!.cancel("bye");
        yield* asyncio.sleep(0);
      })(),
    ),
  );
  await attempt("run(kbi)", () =>
    asyncio.run(
      // biome-ignore lint/correctness/useYield: a coroutine that raises at once
      (function* () {
        throw new asyncio.KeyboardInterrupt();
      })(),
    ),
  );
  await attempt("run(sysexit)", () =>
    asyncio.run(
      // biome-ignore lint/correctness/useYield: a coroutine that raises at once
      (function* () {
        throw new asyncio.SystemExit(3);
      })(),
    ),
  );
}
