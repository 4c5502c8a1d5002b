/**
 * The asyncio-ts contenders: the same workloads as bench/python/bench.py, written the way an
 * asyncio user writes them, with generator coroutines (ts-gen) or async functions (ts-async,
 * `--async`). Every family file in this folder runs this program.
 */
import * as asyncio from "asyncio-ts";
import {
  benchMain,
  factorial,
  forceGc,
  now,
  PyRandom,
  type RunContext,
  rss,
} from "../lib/child.ts";
import type { Measurement, Params } from "../lib/workloads.ts";

type Loop = asyncio.AbstractEventLoop;

/** Runs `body` as the main coroutine of a fresh asyncio.run(). */
function runMain<T>(
  gen: () => asyncio.Coroutine<T>,
  fn: () => Promise<T>,
  ctx: RunContext,
): Promise<T> {
  return ctx.style === "async" ? asyncio.run(fn) : asyncio.run(gen);
}

// ---------------------------------------------------------------- spawn
function spawn(p: Params, ctx: RunContext): Promise<Measurement> {
  function* childGen(i: number): asyncio.Coroutine<number> {
    yield* asyncio.sleep(0);
    return i;
  }
  async function childAsync(i: number): Promise<number> {
    await asyncio.sleep(0);
    return i;
  }
  const sum = (r: number[]) => r.reduce((a, b) => a + b, 0);
  return runMain(
    function* () {
      const t0 = now();
      const tasks = [];
      for (let i = 0; i < p.n; i++) tasks.push(asyncio.createTask(childGen(i)));
      const results = yield* asyncio.gather(tasks);
      return { elapsed: now() - t0, check: sum(results) };
    },
    async () => {
      const t0 = now();
      const tasks = [];
      for (let i = 0; i < p.n; i++) tasks.push(asyncio.createTask(() => childAsync(i)));
      const results = await asyncio.gather(tasks);
      return { elapsed: now() - t0, check: sum(results) };
    },
    ctx,
  );
}

// ---------------------------------------------------------------- pingpong
function pingpong(p: Params, ctx: RunContext): Promise<Measurement> {
  const n = p.n;
  return runMain(
    function* () {
      const q1 = new asyncio.Queue<number>(1);
      const q2 = new asyncio.Queue<number>(1);
      function* ping(): asyncio.Coroutine<number> {
        let v = 0;
        for (let i = 0; i < n; i++) {
          yield* q1.put(v);
          v = yield* q2.get();
        }
        return v;
      }
      function* pong(): asyncio.Coroutine<void> {
        for (let i = 0; i < n; i++) {
          const v = yield* q1.get();
          yield* q2.put(v + 1);
        }
      }
      const t0 = now();
      const [v] = yield* asyncio.gather([asyncio.createTask(ping()), asyncio.createTask(pong())]);
      return { elapsed: now() - t0, check: v };
    },
    async () => {
      const q1 = new asyncio.Queue<number>(1);
      const q2 = new asyncio.Queue<number>(1);
      const ping = async (): Promise<number> => {
        let v = 0;
        for (let i = 0; i < n; i++) {
          await q1.put(v);
          v = await q2.get();
        }
        return v;
      };
      const pong = async (): Promise<void> => {
        for (let i = 0; i < n; i++) {
          const v = await q1.get();
          await q2.put(v + 1);
        }
      };
      const t0 = now();
      const [v] = await asyncio.gather([asyncio.createTask(ping), asyncio.createTask(pong)]);
      return { elapsed: now() - t0, check: v };
    },
    ctx,
  );
}

// ---------------------------------------------------------------- callsoon and timers
/** Callbacks are plain functions in both styles; only the waiting main differs. */
function callbackWorkload(
  ctx: RunContext,
  start: (loop: Loop, done: asyncio.Future<void>) => () => number,
) {
  return runMain(
    function* () {
      const loop = asyncio.getRunningLoop();
      const done = loop.createFuture<void>();
      const t0 = now();
      const count = start(loop, done);
      yield* done;
      return { elapsed: now() - t0, check: count() };
    },
    async () => {
      const loop = asyncio.getRunningLoop();
      const done = loop.createFuture<void>();
      const t0 = now();
      const count = start(loop, done);
      await done;
      return { elapsed: now() - t0, check: count() };
    },
    ctx,
  );
}

function callsoon(p: Params, ctx: RunContext): Promise<Measurement> {
  return callbackWorkload(ctx, (loop, done) => {
    let count = 0;
    let scheduled = Math.min(p.n, p.chains);
    const cb = (): void => {
      count++;
      if (scheduled < p.n) {
        scheduled++;
        loop.callSoon(cb);
      } else if (count === p.n) {
        done.setResult();
      }
    };
    for (let i = 0; i < scheduled; i++) loop.callSoon(cb);
    return () => count;
  });
}

function timers(p: Params, ctx: RunContext): Promise<Measurement> {
  const rng = new PyRandom(p.seed);
  const delays: number[] = [];
  for (let i = 0; i < p.n; i++) delays.push(rng.uniform(0, p.maxDelay));
  return callbackWorkload(ctx, (loop, done) => {
    let count = 0;
    const cb = (): void => {
      if (++count === p.n) done.setResult();
    };
    for (const d of delays) loop.callLater(d, cb);
    return () => count;
  });
}

// ---------------------------------------------------------------- async tree
function tree(p: Params, ctx: RunContext): Promise<Measurement> {
  const rng = new PyRandom(p.seed);
  const cache = new Map<number, boolean>();
  let leaves = 0;
  let ioCalls = 0;
  const result = (elapsed: number): Measurement => ({
    elapsed,
    check: p.variant === "none" ? leaves : ioCalls,
  });

  // generator flavour
  function* mockIoGen(): asyncio.Coroutine<void> {
    ioCalls++;
    yield* asyncio.sleep(p.ioSleep);
  }
  function* memoGen(): asyncio.Coroutine<number> {
    const data = rng.randint(1, 100);
    if (data <= p.memoizablePercentage) {
      if (cache.get(data)) return data;
      cache.set(data, true);
    }
    yield* mockIoGen();
    return data;
  }
  function* leafGen(): asyncio.Coroutine<unknown> {
    switch (p.variant) {
      case "none":
        return;
      case "io":
        return yield* mockIoGen();
      case "memoization":
        return yield* memoGen();
      default:
        if (rng.random() < p.cpuProbability) return factorial(p.factorialN);
        return yield* memoGen();
    }
  }
  function* recurseGen(level: number): asyncio.Coroutine<void> {
    if (level === 0) {
      leaves++;
      yield* leafGen();
      return;
    }
    const children = [];
    for (let i = 0; i < p.branches; i++) children.push(recurseGen(level - 1));
    yield* asyncio.gather(children);
  }

  // async flavour
  async function mockIoAsync(): Promise<void> {
    ioCalls++;
    await asyncio.sleep(p.ioSleep);
  }
  async function memoAsync(): Promise<number> {
    const data = rng.randint(1, 100);
    if (data <= p.memoizablePercentage) {
      if (cache.get(data)) return data;
      cache.set(data, true);
    }
    await mockIoAsync();
    return data;
  }
  async function leafAsync(): Promise<unknown> {
    switch (p.variant) {
      case "none":
        return;
      case "io":
        return mockIoAsync();
      case "memoization":
        return memoAsync();
      default:
        if (rng.random() < p.cpuProbability) return factorial(p.factorialN);
        return memoAsync();
    }
  }
  async function recurseAsync(level: number): Promise<void> {
    if (level === 0) {
      leaves++;
      await leafAsync();
      return;
    }
    const children = [];
    for (let i = 0; i < p.branches; i++)
      children.push(asyncio.createTask(() => recurseAsync(level - 1)));
    await asyncio.gather(children);
  }

  return runMain(
    function* () {
      const t0 = now();
      yield* recurseGen(p.levels);
      return result(now() - t0);
    },
    async () => {
      const t0 = now();
      await recurseAsync(p.levels);
      return result(now() - t0);
    },
    ctx,
  );
}

// ---------------------------------------------------------------- cancel storm
function cancel(p: Params, ctx: RunContext): Promise<Measurement> {
  const countCancelled = (results: unknown[]) =>
    results.filter((r) => r instanceof asyncio.CancelledError).length;
  return runMain(
    function* () {
      const loop = asyncio.getRunningLoop();
      function* blocked(fut: asyncio.Future<void>): asyncio.Coroutine<void> {
        yield* fut;
      }
      const tasks = [];
      for (let i = 0; i < p.n; i++)
        tasks.push(asyncio.createTask(blocked(loop.createFuture<void>())));
      yield* asyncio.sleep(0);
      const t0 = now();
      for (const t of tasks) t.cancel();
      const results = yield* asyncio.gather(tasks, { returnExceptions: true });
      return { elapsed: now() - t0, check: countCancelled(results) };
    },
    async () => {
      const loop = asyncio.getRunningLoop();
      const blocked = async (fut: asyncio.Future<void>): Promise<void> => {
        await fut;
      };
      const tasks = [];
      for (let i = 0; i < p.n; i++) {
        const fut = loop.createFuture<void>();
        tasks.push(asyncio.createTask(() => blocked(fut)));
      }
      await asyncio.sleep(0);
      const t0 = now();
      for (const t of tasks) t.cancel();
      const results = await asyncio.gather(tasks, { returnExceptions: true });
      return { elapsed: now() - t0, check: countCancelled(results) };
    },
    ctx,
  );
}

// ---------------------------------------------------------------- memory
function memory(p: Params, ctx: RunContext): Promise<Measurement> {
  return runMain(
    function* () {
      const loop = asyncio.getRunningLoop();
      function* blocked(fut: asyncio.Future<void>): asyncio.Coroutine<void> {
        yield* fut;
      }
      yield* asyncio.sleep(0);
      forceGc();
      const before = rss();
      const futures = [];
      const tasks = [];
      for (let i = 0; i < p.n; i++) {
        const f = loop.createFuture<void>();
        futures.push(f);
        tasks.push(asyncio.createTask(blocked(f)));
      }
      yield* asyncio.sleep(0);
      forceGc();
      const after = rss();
      const pending = tasks.filter((t) => !t.done()).length;
      for (const f of futures) f.setResult();
      yield* asyncio.gather(tasks);
      return { bytes: after - before, check: pending };
    },
    async () => {
      const loop = asyncio.getRunningLoop();
      const blocked = async (fut: asyncio.Future<void>): Promise<void> => {
        await fut;
      };
      await asyncio.sleep(0);
      forceGc();
      const before = rss();
      const futures: asyncio.Future<void>[] = [];
      const tasks = [];
      for (let i = 0; i < p.n; i++) {
        const f = loop.createFuture<void>();
        futures.push(f);
        tasks.push(asyncio.createTask(() => blocked(f)));
      }
      await asyncio.sleep(0);
      forceGc();
      const after = rss();
      const pending = tasks.filter((t) => !t.done()).length;
      for (const f of futures) f.setResult();
      await asyncio.gather(tasks);
      return { bytes: after - before, check: pending };
    },
    ctx,
  );
}

export const impls = { spawn, pingpong, callsoon, timers, tree, cancel, memory };

export function main(
  extra: Record<string, (p: Params, ctx: RunContext) => Promise<Measurement>> = {},
): Promise<void> {
  return benchMain({ ...impls, ...extra });
}
