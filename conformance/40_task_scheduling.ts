/**
 * Twin of 40_task_scheduling.py: lazy task start, round robin, interleaving with the creator
 * and callbacks, first-step order, wake-up order. Each scenario is written twice: with
 * generator coroutines ([gen]) and with async functions ([async]); both must print CPython's
 * order.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

// ---- generator coroutines ----

function* lazyStartGen(tag: string): asyncio.Coroutine<void> {
  const log: string[] = [];
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* body(): asyncio.Coroutine<number> {
    log.push("body");
    return 1;
  }
  const t = asyncio.createTask(body());
  log.push(`created done=${repr(t.done())}`);
  log.push("creator still running");
  yield* asyncio.sleep(0);
  log.push(`after sleep(0) done=${repr(t.done())}`);
  const r = yield* t;
  log.push(`result=${r}`);
  print(`[${tag}] 0.5 lazy start:`, log.join(" "));
}

function* roundRobinGen(tag: string): asyncio.Coroutine<void> {
  const log: string[] = [];
  function* w(name: string, n: number): asyncio.Coroutine<string> {
    for (let i = 0; i < n; i++) {
      log.push(`${name}${i}`);
      yield* asyncio.sleep(0);
    }
    return name;
  }
  const ts = [..."ABC"].map((n) => asyncio.createTask(w(n, 3)));
  const rs: string[] = [];
  for (const t of ts) rs.push(yield* t);
  print(`[${tag}] 0.7 round robin:`, log.join(" "), "| results", rs);
}

function* interleaveGen(tag: string): asyncio.Coroutine<void> {
  const log: string[] = [];
  const loop = asyncio.getRunningLoop();
  function* w(name: string, n: number): asyncio.Coroutine<void> {
    for (let i = 0; i < n; i++) {
      log.push(`${name}${i}`);
      yield* asyncio.sleep(0);
    }
  }
  const a = asyncio.createTask(w("a", 3));
  const b = asyncio.createTask(w("b", 3));
  loop.callSoon((x: string) => log.push(x), "cs");
  log.push("main-after-create");
  yield* asyncio.sleep(0);
  log.push("main-1");
  yield* asyncio.sleep(0);
  log.push("main-2");
  yield* a;
  yield* b;
  print(`[${tag}] 0.8 interleave:`, log.join(" "));
}

function* firstStepOrderGen(tag: string): asyncio.Coroutine<void> {
  const log: string[] = [];
  const loop = asyncio.getRunningLoop();
  const append = (x: string) => log.push(x);
  function* child(name: string): asyncio.Coroutine<void> {
    log.push(`${name}-step1`);
    yield* asyncio.sleep(0);
    log.push(`${name}-step2`);
  }
  function* parent(): asyncio.Coroutine<void> {
    log.push("parent-step1");
    asyncio.createTask(child("grandchild"));
    loop.callSoon(append, "cb-from-parent");
    yield* asyncio.sleep(0);
    log.push("parent-step2");
  }
  loop.callSoon(append, "cb-before");
  const t1 = asyncio.createTask(child("c1"));
  const t2 = asyncio.createTask(parent());
  loop.callSoon(append, "cb-after");
  yield* asyncio.sleep(0);
  log.push("main-1");
  yield* asyncio.sleep(0);
  log.push("main-2");
  yield* asyncio.sleep(0);
  log.push("main-3");
  yield* t1;
  yield* t2;
  print(`[${tag}] first steps:`, log.join(" "));
}

function* futureWakeupOrderGen(tag: string): asyncio.Coroutine<void> {
  const log: string[] = [];
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  const append = (x: string) => log.push(x);
  const fut = loop.createFuture<string>();
  function* w(name: string): asyncio.Coroutine<void> {
    const v = yield* fut;
    log.push(`${name}:${v}`);
  }
  const ts = ["w1", "w2", "w3"].map((n) => asyncio.createTask(w(n)));
  yield* asyncio.sleep(0);
  loop.callSoon(append, "cb");
  fut.setResult("x");
  loop.callSoon(append, "cb2");
  log.push("set");
  for (const t of ts) yield* t;
  print(`[${tag}] future wake-up order:`, log.join(" "));
}

// ---- the same with async functions ----

async function lazyStartAsync(tag: string): Promise<void> {
  const log: string[] = [];
  async function body(): Promise<number> {
    log.push("body");
    return 1;
  }
  const t = asyncio.createTask(body);
  log.push(`created done=${repr(t.done())}`);
  log.push("creator still running");
  await asyncio.sleep(0);
  log.push(`after sleep(0) done=${repr(t.done())}`);
  const r = await t;
  log.push(`result=${r}`);
  print(`[${tag}] 0.5 lazy start:`, log.join(" "));
}

async function roundRobinAsync(tag: string): Promise<void> {
  const log: string[] = [];
  async function w(name: string, n: number): Promise<string> {
    for (let i = 0; i < n; i++) {
      log.push(`${name}${i}`);
      await asyncio.sleep(0);
    }
    return name;
  }
  const ts = [..."ABC"].map((n) => asyncio.createTask(() => w(n, 3)));
  const rs: string[] = [];
  for (const t of ts) rs.push(await t);
  print(`[${tag}] 0.7 round robin:`, log.join(" "), "| results", rs);
}

async function interleaveAsync(tag: string): Promise<void> {
  const log: string[] = [];
  const loop = asyncio.getRunningLoop();
  async function w(name: string, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      log.push(`${name}${i}`);
      await asyncio.sleep(0);
    }
  }
  const a = asyncio.createTask(() => w("a", 3));
  const b = asyncio.createTask(() => w("b", 3));
  loop.callSoon((x: string) => log.push(x), "cs");
  log.push("main-after-create");
  await asyncio.sleep(0);
  log.push("main-1");
  await asyncio.sleep(0);
  log.push("main-2");
  await a;
  await b;
  print(`[${tag}] 0.8 interleave:`, log.join(" "));
}

async function firstStepOrderAsync(tag: string): Promise<void> {
  const log: string[] = [];
  const loop = asyncio.getRunningLoop();
  const append = (x: string) => log.push(x);
  async function child(name: string): Promise<void> {
    log.push(`${name}-step1`);
    await asyncio.sleep(0);
    log.push(`${name}-step2`);
  }
  async function parent(): Promise<void> {
    log.push("parent-step1");
    asyncio.createTask(() => child("grandchild"));
    loop.callSoon(append, "cb-from-parent");
    await asyncio.sleep(0);
    log.push("parent-step2");
  }
  loop.callSoon(append, "cb-before");
  const t1 = asyncio.createTask(() => child("c1"));
  const t2 = asyncio.createTask(parent);
  loop.callSoon(append, "cb-after");
  await asyncio.sleep(0);
  log.push("main-1");
  await asyncio.sleep(0);
  log.push("main-2");
  await asyncio.sleep(0);
  log.push("main-3");
  await t1;
  await t2;
  print(`[${tag}] first steps:`, log.join(" "));
}

async function futureWakeupOrderAsync(tag: string): Promise<void> {
  const log: string[] = [];
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  const append = (x: string) => log.push(x);
  const fut = loop.createFuture<string>();
  async function w(name: string): Promise<void> {
    const v = await fut;
    log.push(`${name}:${v}`);
  }
  const ts = ["w1", "w2", "w3"].map((n) => asyncio.createTask(() => w(n)));
  await asyncio.sleep(0);
  loop.callSoon(append, "cb");
  fut.setResult("x");
  loop.callSoon(append, "cb2");
  log.push("set");
  for (const t of ts) await t;
  print(`[${tag}] future wake-up order:`, log.join(" "));
}

await asyncio.run(function* main(): asyncio.Coroutine<void> {
  yield* lazyStartGen("gen");
  yield* roundRobinGen("gen");
  yield* interleaveGen("gen");
  yield* firstStepOrderGen("gen");
  yield* futureWakeupOrderGen("gen");
});
await asyncio.run(async () => {
  await lazyStartAsync("async");
  await roundRobinAsync("async");
  await interleaveAsync("async");
  await firstStepOrderAsync("async");
  await futureWakeupOrderAsync("async");
});
