/**
 * Twin of 41_iteration_accounting.py: how many loop iterations each kind of await costs,
 * counted by a self-rescheduling callSoon ticker, with generator coroutines ([gen]) and with
 * async functions ([async]).
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

let ticks = 0;
let handle: asyncio.Handle | null = null;

function tick(loop: asyncio.AbstractEventLoop): void {
  ticks++;
  handle = loop.callSoon(tick, loop);
}

// ---- generator coroutines ----

// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* plain(): asyncio.Coroutine<string> {
  return "plain";
}

function* nestedSleeps(n: number): asyncio.Coroutine<number> {
  for (let i = 0; i < n; i++) yield* asyncio.sleep(0);
  return n;
}

// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* quick(): asyncio.Coroutine<string> {
  return "quick";
}

function* measureGen(tag: string): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  const out: string[] = [];

  function* cost(label: string, make: () => Iterable<unknown>): asyncio.Coroutine<unknown> {
    yield* asyncio.sleep(0); // start each measurement at the start of a step
    const t0 = ticks;
    const r = yield* make() as asyncio.Coroutine<unknown>;
    out.push(`${label}=${ticks - t0}`);
    return r;
  }

  yield* cost("plain coroutine", plain);

  const done = loop.createFuture<number>();
  done.setResult(1);
  yield* cost("done future", () => done);

  const finished = asyncio.createTask(quick());
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  yield* cost("finished task", () => finished);

  yield* cost("sleep(0)", () => asyncio.sleep(0));
  yield* cost("3 sleeps in a coroutine", () => nestedSleeps(3));

  yield* cost("future set by call_soon", () => {
    const f = loop.createFuture();
    loop.callSoon((v: unknown) => f.setResult(v), null);
    return f;
  });
  yield* cost("future already set", () => {
    const f = loop.createFuture();
    f.setResult(null);
    return f;
  });

  yield* cost("new task finishing in first step", () => asyncio.createTask(quick()));
  yield* cost("new task with one sleep(0)", () => asyncio.createTask(nestedSleeps(1)));
  yield* cost("sleep(0.0) with result", () => asyncio.sleep(0, "r"));
  print(`[${tag}]`, out.join(", "));
}

// ---- async functions ----

async function plainAsync(): Promise<string> {
  return "plain";
}

async function nestedSleepsAsync(n: number): Promise<number> {
  for (let i = 0; i < n; i++) await asyncio.sleep(0);
  return n;
}

async function quickAsync(): Promise<string> {
  return "quick";
}

async function measureAsync(tag: string): Promise<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  const out: string[] = [];

  async function cost(label: string, make: () => PromiseLike<unknown>): Promise<unknown> {
    await asyncio.sleep(0); // start each measurement at the start of a step
    const t0 = ticks;
    const r = await make();
    out.push(`${label}=${ticks - t0}`);
    return r;
  }

  await cost("plain coroutine", plainAsync);

  const done = loop.createFuture<number>();
  done.setResult(1);
  await cost("done future", () => done);

  const finished = asyncio.createTask(quickAsync);
  await asyncio.sleep(0);
  await asyncio.sleep(0);
  await cost("finished task", () => finished);

  await cost("sleep(0)", () => asyncio.sleep(0));
  await cost("3 sleeps in a coroutine", () => nestedSleepsAsync(3));

  await cost("future set by call_soon", () => {
    const f = loop.createFuture();
    loop.callSoon((v: unknown) => f.setResult(v), null);
    return f;
  });
  await cost("future already set", () => {
    const f = loop.createFuture();
    f.setResult(null);
    return f;
  });

  await cost("new task finishing in first step", () => asyncio.createTask(quickAsync));
  await cost("new task with one sleep(0)", () => asyncio.createTask(() => nestedSleepsAsync(1)));
  await cost("sleep(0.0) with result", () => asyncio.sleep(0, "r"));
  print(`[${tag}]`, out.join(", "));
}

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  tick(loop);
  await asyncio.createTask(measureGen("gen"));
  await measureAsync("async");
  handle!.cancel();
});
