/**
 * Twin of 64_iteration_accounting.py: the loop iterations each kind of await costs, counted by a
 * self-rescheduling callback; the lazy task start; one iteration running exactly what was ready.
 *
 * The costs are measured twice, with generator coroutines (printed) and with async functions
 * (which must cost the same: any difference is printed and fails the comparison).
 */
import * as asyncio from "../src/index.ts";
import { print, str } from "./_py.ts";

let ticks = 0;
let ticking = true;

function ticker(loop: asyncio.AbstractEventLoop): void {
  ticks++;
  if (ticking) loop.callSoon(ticker, loop);
}

type Costs = [string, number][];

// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* plain(): asyncio.Coroutine<number> {
  return 1;
}

// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* finishesAtOnce(): asyncio.Coroutine<number> {
  return 2;
}

function* costs(): asyncio.Coroutine<Costs> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  ticking = true;
  loop.callSoon(ticker, loop);
  yield* asyncio.sleep(0); // the ticker is running
  const out: Costs = [];

  function* measure(label: string, make: () => Iterable<unknown>): asyncio.Coroutine<void> {
    const start = ticks;
    yield* make();
    out.push([label, ticks - start]);
  }

  yield* measure("plain coroutine", plain);

  const done = loop.createFuture<void>();
  done.setResult();
  yield* measure("done future", () => done);

  const finished = asyncio.createTask(plain());
  yield* finished;
  yield* measure("finished task", () => finished);

  const lock = new asyncio.Lock();
  yield* measure("uncontended lock", () => lock.run(function* () {}));

  yield* measure("sleep(0)", () => asyncio.sleep(0));

  function* threeSleeps(): asyncio.Coroutine<void> {
    for (let i = 0; i < 3; i++) yield* asyncio.sleep(0);
  }
  yield* measure("3 x sleep(0)", threeSleeps);

  function resolvedByCallback(): asyncio.Future<void> {
    const fut = loop.createFuture<void>();
    loop.callSoon(() => fut.setResult());
    return fut;
  }
  yield* measure("future set by call_soon", resolvedByCallback);

  yield* measure("new task", () => asyncio.createTask(finishesAtOnce()));

  const event = new asyncio.Event();
  function eventWait(): Iterable<unknown> {
    event.clear();
    loop.callSoon(() => event.set());
    return event.wait();
  }
  yield* measure("Event.wait() set by call_soon", eventWait);

  const queue = new asyncio.Queue<string>();
  function queueGet(): Iterable<unknown> {
    loop.callSoon((item: string) => queue.putNowait(item), "item");
    return queue.get();
  }
  yield* measure("Queue.get() fed by call_soon", queueGet);

  loop.setTaskFactory(asyncio.eagerTaskFactory as asyncio.TaskFactory);
  yield* measure("eager task finishing at once", () => asyncio.createTask(finishesAtOnce()));
  loop.setTaskFactory(null);

  ticking = false;
  yield* asyncio.sleep(0);
  return out;
}

/** The same measurements written with async functions. */
async function costsAsync(): Promise<Costs> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  ticking = true;
  loop.callSoon(ticker, loop);
  await asyncio.sleep(0);
  const out: Costs = [];

  async function measure(label: string, make: () => unknown): Promise<void> {
    const start = ticks;
    await make();
    out.push([label, ticks - start]);
  }

  async function plainAsync(): Promise<number> {
    return 1;
  }
  await measure("plain coroutine", plainAsync);

  const done = loop.createFuture<void>();
  done.setResult();
  await measure("done future", () => done);

  const finished = asyncio.createTask(plainAsync);
  await finished;
  await measure("finished task", () => finished);

  const lock = new asyncio.Lock();
  await measure("uncontended lock", () => lock.run(async () => {}));

  await measure("sleep(0)", () => asyncio.sleep(0));

  await measure("3 x sleep(0)", async () => {
    for (let i = 0; i < 3; i++) await asyncio.sleep(0);
  });

  await measure("future set by call_soon", () => {
    const fut = loop.createFuture<void>();
    loop.callSoon(() => fut.setResult());
    return fut;
  });

  await measure("new task", () => asyncio.createTask(async () => 2));

  const event = new asyncio.Event();
  await measure("Event.wait() set by call_soon", () => {
    event.clear();
    loop.callSoon(() => event.set());
    return event.wait();
  });

  const queue = new asyncio.Queue<string>();
  await measure("Queue.get() fed by call_soon", () => {
    loop.callSoon((item: string) => queue.putNowait(item), "item");
    return queue.get();
  });

  loop.setTaskFactory(asyncio.eagerTaskFactory as asyncio.TaskFactory);
  await measure("eager task finishing at once", () => asyncio.createTask(async () => 2));
  loop.setTaskFactory(null);

  ticking = false;
  await asyncio.sleep(0);
  return out;
}

const generatorCosts = await asyncio.run(costs());
for (const [label, n] of generatorCosts) print(`${label}: ${n}`);
const asyncCosts = await asyncio.run(costsAsync);
for (let i = 0; i < generatorCosts.length; i++) {
  const [label, n] = generatorCosts[i]!;
  const a = asyncCosts[i];
  if (a === undefined || a[0] !== label || a[1] !== n) {
    print(`async functions differ at ${label}: ${str(a)}`);
  }
}

// lazy start and interleaving with the creator
const log: string[] = [];
function* worker(tag: string, n: number): asyncio.Coroutine<void> {
  for (let i = 0; i < n; i++) {
    log.push(`${tag}${i}`);
    yield* asyncio.sleep(0);
  }
}

function* interleave(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  const a = asyncio.createTask(worker("a", 3));
  const b = asyncio.createTask(worker("b", 3));
  loop.callSoon((s: string) => log.push(s), "cs");
  log.push("main-after-create");
  yield* asyncio.sleep(0);
  log.push("main-1");
  yield* asyncio.sleep(0);
  log.push("main-2");
  yield* asyncio.gather([a, b]);
  log.push("main-end");
}

await asyncio.run(interleave());
print("interleaving:", log.join(" "));

// one iteration runs exactly the callbacks that were ready when it began
log.length = 0;
function* chains(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  function chain(tag: string, n: number): void {
    log.push(`${tag}${n}`);
    if (n < 2) loop.callSoon(chain, tag, n + 1);
  }
  loop.callSoon(chain, "x", 0);
  loop.callSoon(chain, "y", 0);
  for (let i = 0; i < 3; i++) {
    log.push(`main${i}`);
    yield* asyncio.sleep(0);
  }
}
await asyncio.run(chains());
print("iterations:", log.join(" "));
