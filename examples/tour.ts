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

// 7. Many things at once: gather, wait, asCompleted, TaskGroup, timeout ---------------------------
heading("7. gather, wait, asCompleted, TaskGroup, timeout");
function* job(name: string, delay: number, fail = false): asyncio.Coroutine<string> {
  yield* asyncio.sleep(delay);
  if (fail) throw new asyncio.ValueError(`${name} failed`);
  return name;
}
await loop.runUntilComplete(function* main() {
  // gather: results in argument order, whatever the completion order
  const all = yield* asyncio.gather([job("slow", 0.03), job("fast", 0.01)]);
  console.log("gather ->", all);
  const mixed = yield* asyncio.gather([job("ok", 0.01), job("bad", 0.02, true)], {
    returnExceptions: true,
  });
  console.log(
    "gather(returnExceptions) ->",
    mixed.map((r) => String(r)),
  );

  // wait: never raises, never cancels; returns [done, pending]
  const tasks = [asyncio.createTask(job("a", 0.01)), asyncio.createTask(job("b", 0.05))];
  const [done, pending] = yield* asyncio.wait(tasks, { returnWhen: asyncio.FIRST_COMPLETED });
  console.log(
    "wait(FIRST_COMPLETED) -> done:",
    [...done].map((t) => t.result()),
    "pending:",
    pending.size,
  );
  for (const t of pending) t.cancel();

  // asCompleted: in completion order
  const order: string[] = [];
  for (const next of asyncio.asCompleted([
    job("third", 0.03),
    job("first", 0.01),
    job("second", 0.02),
  ])) {
    order.push(yield* next);
  }
  console.log("asCompleted ->", order.join(", "));

  // TaskGroup: the first failure cancels the rest; errors arrive as an ExceptionGroup
  try {
    yield* new asyncio.TaskGroup().run(function* (tg) {
      tg.createTask(job("long", 10));
      tg.createTask(job("broken", 0.01, true));
      yield* asyncio.sleep(1); // the body is cancelled too when a child fails
    });
  } catch (e) {
    console.log("TaskGroup ->", String(e), (e as asyncio.ExceptionGroup).exceptions.map(String));
  }

  // timeout: cancels the body's await, raises TimeoutError
  try {
    yield* asyncio.timeout(0.02, function* () {
      yield* asyncio.sleep(10);
    });
  } catch (e) {
    console.log("timeout ->", (e as Error).name);
  }
});
loop.close();

// 8. asyncio.run and virtual time ---------------------------------------------------------------
heading("8. run() and virtual time");
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
