/**
 * A short tour of asyncio-ts: `npm start`. Each part prints what it shows.
 */
import * as asyncio from "asyncio-ts";

function heading(title: string): void {
  console.log(`\n== ${title} ==`);
}

// 1. The policy and loops -------------------------------------------------------------------
heading("1. Policy and loops");
const policy = asyncio.getEventLoopPolicy();
console.log("policy:", policy.constructor.name);
const loop = asyncio.getEventLoop(); // the main thread gets a loop on demand (the seed's 3.11 rule)
console.log("getEventLoop() twice gives the same loop:", loop === asyncio.getEventLoop());
console.log("running?", loop.isRunning(), "closed?", loop.isClosed());
try {
  asyncio.getRunningLoop();
} catch (e) {
  console.log(
    "getRunningLoop() outside a loop ->",
    `${(e as Error).name}: ${(e as Error).message}`,
  );
}

// 2. Callbacks: FIFO, timers after ready callbacks, one iteration at a time ---------------------
heading("2. Callbacks and timers");
const order: string[] = [];
loop.callLater(0.02, () => order.push("timer 20ms"));
loop.callLater(0, () => order.push("timer 0"));
loop.callSoon(() => order.push("soon 1"));
loop.callSoon(() => order.push("soon 2"));
loop.callLater(0.03, () => loop.stop());
await loop.runForever();
console.log(order.join(" -> "));

// 3. Future: set once, callbacks always through callSoon ----------------------------------------
heading("3. Future");
const fut = loop.createFuture<number>();
fut.addDoneCallback((f) => console.log("done callback sees", f.result()));
loop.callSoon(() => fut.setResult(42));
console.log("runUntilComplete(fut) ->", await loop.runUntilComplete(fut), String(fut));
const failed = loop.createFuture<number>();
failed.setException(new asyncio.ValueError("bad input"));
console.log("a failed future:", String(failed));
failed.exception(); // retrieved: no "never retrieved" report

// 4. Tasks: two coroutine syntaxes, one scheduler -------------------------------------------------
heading("4. Tasks in both syntaxes");
function* genWorker(name: string, steps: number, log: string[]): asyncio.Coroutine<string> {
  for (let i = 0; i < steps; i++) {
    log.push(`${name}${i}`);
    yield* asyncio.sleep(0);
  }
  return `${name}:${asyncio.currentTask()?.getName()}`;
}
async function asyncWorker(name: string, steps: number, log: string[]): Promise<string> {
  for (let i = 0; i < steps; i++) {
    log.push(`${name}${i}`);
    await asyncio.sleep(0);
  }
  return `${name}:${asyncio.currentTask()?.getName()}`;
}
const results = await loop.runUntilComplete(function* main() {
  const log: string[] = [];
  const g = asyncio.createTask(genWorker("g", 3, log), { name: "generator-task" });
  const a = asyncio.createTask(() => asyncWorker("a", 3, log), { name: "async-task" });
  const out = [yield* g, yield* a];
  console.log("round robin:", log.join(" "));
  return out;
});
console.log("results:", results);

// 5. Cancellation reaches the awaiting code, which may clean up -----------------------------------
heading("5. Cancellation");
await loop.runUntilComplete(async function main() {
  const task = asyncio.createTask(async () => {
    try {
      await asyncio.sleep(3600);
    } finally {
      console.log("  worker: cleaning up in finally");
    }
  });
  await asyncio.sleep(0.01);
  console.log("  cancel() ->", task.cancel("enough"), "| cancelling() =", task.cancelling());
  try {
    await task;
  } catch (e) {
    console.log("  awaiting it raises", `${(e as Error).name}('${(e as Error).message}')`);
  }
  console.log(
    "  task.cancelled() =",
    task.cancelled(),
    "| task.signal.aborted =",
    task.signal.aborted,
  );
});

// 6. Awaitables: coroutines, futures, promises --------------------------------------------------
heading("6. Awaitables");
console.log("isCoroutine(sleep(0)):", asyncio.isCoroutine(asyncio.sleep(0)));
console.log("isCoroutineFunction(genWorker):", asyncio.isCoroutineFunction(genWorker));
await loop.runUntilComplete(function* main() {
  const wrapped = asyncio.ensureFuture(Promise.resolve("from a promise"));
  console.log("ensureFuture(promise) ->", String(wrapped).split(" ")[0], "then", yield* wrapped);
  try {
    asyncio.ensureFuture(123 as never);
  } catch (e) {
    console.log("ensureFuture(123) ->", `${(e as Error).name}: ${(e as Error).message}`);
  }
  try {
    asyncio.createTask(Promise.resolve(1) as never);
  } catch (e) {
    console.log("createTask(promise) ->", (e as Error).message.split(":")[0], "(with a hint)");
  }
});
loop.close();

// 7. asyncio.run and virtual time ---------------------------------------------------------------
heading("7. run() and virtual time");
const { VirtualTimeLoop } = await import("asyncio-ts/testing");
const t0 = performance.now();
const slept = await asyncio.run(
  function* main() {
    const l = asyncio.getRunningLoop();
    const start = l.time();
    yield* asyncio.sleep(3600);
    return l.time() - start;
  },
  { loopFactory: () => new VirtualTimeLoop() },
);
console.log(
  `slept ${slept} virtual seconds in ${(performance.now() - t0).toFixed(1)} ms of real time`,
);
