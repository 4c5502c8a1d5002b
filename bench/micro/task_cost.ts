/**
 * What a task costs in each coroutine syntax: time to create, run (one sleep(0)) and finish
 * N tasks, and heap bytes per pending task. Run: node --expose-gc --conditions=asyncio-ts-source --import tsx bench/micro/task_cost.ts
 */
import * as asyncio from "asyncio-ts";

const N = 100_000;

function* genChild(): asyncio.Coroutine<number> {
  yield* asyncio.sleep(0);
  return 1;
}
async function asyncChild(): Promise<number> {
  await asyncio.sleep(0);
  return 1;
}

function* spawnGen(): asyncio.Coroutine<number> {
  const loop = asyncio.getRunningLoop();
  const tasks = [];
  for (let i = 0; i < N; i++) tasks.push(loop.createTask(genChild()));
  let s = 0;
  for (const t of tasks) s += yield* t;
  return s;
}
function* spawnAsync(): asyncio.Coroutine<number> {
  const loop = asyncio.getRunningLoop();
  const tasks = [];
  for (let i = 0; i < N; i++) tasks.push(loop.createTask(asyncChild));
  let s = 0;
  for (const t of tasks) s += yield* t;
  return s;
}

function* waitGen(fut: asyncio.Future<void>): asyncio.Coroutine<void> {
  yield* fut;
}
async function waitAsync(fut: asyncio.Future<void>): Promise<void> {
  await fut;
}

function* pendingMemory(kind: "gen" | "async"): asyncio.Coroutine<number> {
  const loop = asyncio.getRunningLoop();
  const fut = loop.createFuture<void>();
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const tasks = [];
  for (let i = 0; i < N; i++) {
    tasks.push(
      kind === "gen" ? loop.createTask(waitGen(fut)) : loop.createTask(() => waitAsync(fut)),
    );
  }
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  globalThis.gc?.();
  const after = process.memoryUsage().heapUsed;
  fut.setResult();
  for (const t of tasks) yield* t;
  return (after - before) / N;
}

for (const [label, body] of [
  ["generator", spawnGen],
  ["async fn", spawnAsync],
] as const) {
  const times: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    await asyncio.run(body);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const med = times[3]!;
  console.log(
    `${label}: ${((N / med) * 1000).toFixed(0)} tasks/s (median of 7, ${((med * 1000) / N).toFixed(2)} µs/task)`,
  );
}
for (const kind of ["gen", "async"] as const) {
  const b = await asyncio.run(() => pendingMemory(kind));
  console.log(`${kind}: ${b.toFixed(0)} heap bytes per pending task`);
}
