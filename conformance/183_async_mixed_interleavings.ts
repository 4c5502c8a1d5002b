/**
 * Twin of 183_async_mixed_interleavings.py, every coroutine an async function: step order of tasks
 * awaiting helpers, nested coroutines, an Event, a Future, a Lock, a Condition and a Semaphore;
 * the twin runs one task as a generator among async functions.
 */

import { print } from "../conformance/_py.ts";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

const log = print;

async function helper(name: string, n: number): Promise<number> {
  for (let i = 0; i < n; i++) {
    await asyncio.sleep(0);
    log(name, "helper step", i);
  }
  return n;
}
function* helperG(name: string, n: number): asyncio.Coroutine<number> {
  for (let i = 0; i < n; i++) {
    yield* asyncio.sleep(0);
    log(name, "helper step", i);
  }
  return n;
}

async function deep(name: string, depth: number): Promise<number> {
  if (depth === 0) {
    await asyncio.sleep(0);
    log(name, "deep bottom");
    return 0;
  }
  const r = await deep(name, depth - 1);
  log(name, "deep up", depth);
  return r + 1;
}
function* deepG(name: string, depth: number): asyncio.Coroutine<number> {
  if (depth === 0) {
    yield* asyncio.sleep(0);
    log(name, "deep bottom");
    return 0;
  }
  const r = yield* deepG(name, depth - 1);
  log(name, "deep up", depth);
  return r + 1;
}

async function workerA(ev: asyncio.Event, fut: asyncio.Future<number>): Promise<string> {
  log("A start");
  await helper("A", 2);
  log("A after helper");
  await ev.wait();
  log("A event seen");
  const v = await fut;
  log("A fut", v);
  await deep("A", 3);
  log("A end");
  return "A";
}

function* workerB(ev: asyncio.Event, fut: asyncio.Future<number>): asyncio.Coroutine<string> {
  log("B start");
  yield* asyncio.sleep(0);
  log("B set event");
  ev.set();
  yield* asyncio.sleep(0);
  log("B set fut");
  fut.setResult(42);
  const r = yield* deepG("B", 2);
  log("B deep", r);
  yield* helperG("B", 1);
  log("B end");
  return "B";
}

async function workerC(lock: asyncio.Lock, name: string): Promise<void> {
  await lock.run(async () => {
    log(name, "locked");
    await asyncio.sleep(0);
    await helper(name, 1);
    log(name, "unlocking");
  });
  log(name, "after lock");
}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const ev = new asyncio.Event();
  const fut = loop.createFuture<number>();
  const lock = new asyncio.Lock();
  const ta = asyncio.createTask(() => workerA(ev, fut));
  const tb = asyncio.createTask(workerB(ev, fut));
  const tcs = [0, 1, 2].map((i) => asyncio.createTask(() => workerC(lock, `C${i}`)));
  loop.callSoon(log, "callback 1");
  for (let i = 0; i < 12; i++) {
    await asyncio.sleep(0);
    log("main tick", i);
  }
  print(await asyncio.gather([ta, tb, ...tcs]));
  const cond = new asyncio.Condition();
  const sem = new asyncio.Semaphore(2);
  const items: number[] = [];
  async function cons(n: number): Promise<void> {
    await cond.run(async () => {
      await cond.waitFor(() => items.length > 0);
      log("cons", n, "takes", items.shift());
    });
  }
  async function prod(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await cond.run(async () => {
        items.push(i);
        cond.notify();
      });
      await asyncio.sleep(0);
    }
  }
  async function limited(n: number): Promise<void> {
    await sem.run(async () => {
      log("sem in", n);
      await asyncio.sleep(0);
      log("sem out", n);
    });
  }
  await asyncio.gather([
    ...[0, 1, 2].map((i) => () => cons(i)),
    () => prod(),
    ...[0, 1, 2, 3].map((i) => () => limited(i)),
  ]);
  log("done");
}

await asyncio.run(() => main(), { loopFactory: () => new VirtualTimeLoop() });
