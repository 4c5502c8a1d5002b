/**
 * Twin of 61_policy_get_event_loop.py (3.11 policy): a loop on demand in the main thread,
 * set_event_loop(None), the running loop winning, type checks, a fresh default policy, what needs
 * a current loop, and a thread — here a real worker_threads Worker running this same file. The
 * Worker sends its lines to the main thread, which prints them (Python's thread prints itself).
 */
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import * as asyncio from "../src/index.ts";
import { print, str } from "./_py.ts";

function describe(label: string, r: unknown): string {
  return `${label}: returned ${r === undefined || r === null ? "None" : (r as object).constructor.name}`;
}

function attempt(label: string, fn: () => unknown, out: (line: string) => void = print): void {
  try {
    out(describe(label, fn()));
  } catch (e) {
    const msg = str(e).replace(/thread '(?!MainThread)[^']*'/, "thread '<worker>'");
    out(`${label}: ${(e as Error).name}: ${msg}`);
  }
}

/** The thread's part (Python's worker()). */
async function worker(): Promise<void> {
  const lines: string[] = [];
  const out = (line: string) => lines.push(line);
  attempt("9. get_event_loop() in a thread", asyncio.getEventLoop, out);
  attempt("   get_running_loop() in a thread", asyncio.getRunningLoop, out);
  const result = await asyncio.run(function* main() {
    yield* asyncio.sleep(0.01);
    return asyncio.getRunningLoop() instanceof asyncio.EventLoop;
  });
  const lw = asyncio.newEventLoop();
  asyncio.setEventLoop(lw);
  out(`   after set_event_loop() in the thread: ${str(asyncio.getEventLoop() === lw)}`);
  lw.close();
  parentPort!.postMessage({ lines, result });
}

/** Starts this file in a Worker (tsx is registered there first, as `--import tsx` does here). */
function startWorker(): Worker {
  const tsx = import.meta.resolve("tsx/esm/api");
  const self = import.meta.url;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(self)}); })`,
    { eval: true },
  );
}

async function main(): Promise<void> {
  // 1. no running loop
  attempt("1. get_running_loop()", asyncio.getRunningLoop);

  // 2. main thread, nothing set: get_event_loop() creates, sets and returns one loop
  const l1 = asyncio.getEventLoop();
  print(
    "2. a loop:",
    l1 instanceof asyncio.AbstractEventLoop,
    "| same on each call:",
    asyncio.getEventLoop() === l1,
  );
  print("   the policy's current loop:", asyncio.getEventLoopPolicy().getEventLoop() === l1);
  print("   not running, not closed:", l1.isRunning(), l1.isClosed());
  l1.close();
  print(
    "   still returned after close():",
    asyncio.getEventLoop() === l1,
    "| closed:",
    l1.isClosed(),
  );

  // 3. set_event_loop(None): no more loops on demand
  asyncio.setEventLoop(null);
  attempt("3. get_event_loop() after set_event_loop(None)", asyncio.getEventLoop);
  const policy = asyncio.getEventLoopPolicy();
  attempt("   policy.get_event_loop()", () => policy.getEventLoop());

  // 4. new_event_loop() does not become current; set_event_loop() makes it so
  const l2 = asyncio.newEventLoop();
  attempt("4. get_event_loop() after new_event_loop()", asyncio.getEventLoop);
  asyncio.setEventLoop(l2);
  print("   after set_event_loop(l2):", asyncio.getEventLoop() === l2);

  // 5. inside a running loop get_event_loop() is the running loop, whatever the policy says
  const l3 = asyncio.newEventLoop();
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* inside(): asyncio.Coroutine<boolean[]> {
    const running = asyncio.getRunningLoop();
    return [
      running === l3,
      asyncio.getEventLoop() === l3,
      asyncio.getEventLoopPolicy().getEventLoop() === l2,
    ];
  }
  const r5 = await l3.runUntilComplete<boolean[]>(inside());
  print(
    "5. inside l3 (running is l3, get_event_loop() is l3, policy's is l2):",
    `(${r5.map((b) => str(b)).join(", ")})`,
  );
  print("   current loop after the run is still l2:", asyncio.getEventLoop() === l2);
  l3.close();

  // 6. type checks
  class NotALoop {}
  try {
    asyncio.setEventLoop(new NotALoop() as asyncio.AbstractEventLoop);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    print("6. set_event_loop(NotALoop()):", e.message);
  }
  print("   current loop unchanged:", asyncio.getEventLoop() === l2);
  try {
    asyncio.setEventLoopPolicy(new NotALoop() as asyncio.AbstractEventLoopPolicy);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    print("   set_event_loop_policy(NotALoop()):", e.message);
  }

  // 7. set_event_loop_policy(None) restores a fresh default policy (a loop on demand again)
  const p1 = asyncio.getEventLoopPolicy();
  asyncio.setEventLoopPolicy(null);
  const p2 = asyncio.getEventLoopPolicy();
  print(
    "7. a new policy:",
    p2 !== p1,
    "| default:",
    p2 instanceof asyncio.DefaultEventLoopPolicy,
    "| is the current one:",
    asyncio.getEventLoopPolicy() === p2,
  );
  const l4 = asyncio.getEventLoop();
  print(
    "   get_event_loop() makes a new loop:",
    l4 !== l2,
    "| same again:",
    asyncio.getEventLoop() === l4,
  );
  l4.close();
  l2.close();
  const madeByMyPolicy = new WeakSet<asyncio.AbstractEventLoop>();
  class MyPolicy extends asyncio.DefaultEventLoopPolicy {
    override newEventLoop(): asyncio.AbstractEventLoop {
      const loop = super.newEventLoop();
      madeByMyPolicy.add(loop);
      return loop;
    }
  }
  asyncio.setEventLoopPolicy(new MyPolicy());
  const l5 = asyncio.newEventLoop();
  print("   a custom policy's new_event_loop():", madeByMyPolicy.has(l5));
  l5.close();
  asyncio.setEventLoopPolicy(null);

  // 8. what needs a current loop fails without one
  asyncio.setEventLoop(null);
  attempt("8. Future()", () => new asyncio.Future());
  function* coro(): asyncio.Coroutine<void> {}
  const c = coro();
  attempt("   ensure_future(coroutine)", () => asyncio.ensureFuture(c));
  c.return();
  attempt("   gather()", () => asyncio.gather([]));
  const lp = asyncio.newEventLoop();
  attempt("   Future(loop=lp)", () => new asyncio.Future({ loop: lp }));
  lp.close();

  // 9. threads: no loop unless one is set; asyncio.run() works there; each thread runs its own loop
  const results: boolean[] = [];
  const outerLoop = asyncio.newEventLoop();
  function* outer(): asyncio.Coroutine<boolean> {
    const loop = asyncio.getRunningLoop();
    const finished = loop.createFuture<void>();
    const t = startWorker();
    t.on("message", (m: { lines: string[]; result: boolean }) => {
      for (const line of m.lines) print(line);
      results.push(m.result);
    });
    t.on("error", (e) => loop.callSoonThreadsafe(() => finished.setException(e)));
    t.on("exit", () => loop.callSoonThreadsafe(() => finished.done() || finished.setResult()));
    yield* finished;
    return asyncio.getRunningLoop() === outerLoop;
  }
  const ok = await outerLoop.runUntilComplete<boolean>(outer());
  outerLoop.close();
  print(
    "   asyncio.run() in the thread while the main thread's loop ran:",
    results,
    "| main loop was running:",
    ok,
  );
  attempt("   main thread after the thread: get_event_loop()", asyncio.getEventLoop);
}

if (isMainThread) await main();
else await worker();
