/**
 * Executor benchmark (a script, not a test): `node --conditions=asyncio-ts-source --import tsx bench/executor/run.ts [--quick]`.
 *
 * 1. Responsiveness: a ticker task wakes every 5 ms on the event loop; its lateness (how long
 *    after its deadline it ran) is recorded while CPU-heavy jobs run (a) on the loop itself,
 *    (b) in a ThreadPoolExecutor, (c) in a ProcessPoolExecutor, through `loop.runInExecutor`.
 * 2. Overhead per small call (`square(x)`, no work): asyncio-ts's ThreadPoolExecutor (submit,
 *    map with chunks, and asyncio's runInExecutor) against piscina used directly, with the same
 *    number of threads; sequential calls (latency) and many in flight (throughput). Process pool
 *    figures for comparison.
 */
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import * as cf from "../../src/concurrent.ts";
import * as asyncio from "../../src/index.ts";

const quick = process.argv.includes("--quick");
const JOBS = new URL("./jobs.mjs", import.meta.url).href;
const square = cf.workerFunction<(x: number) => number>(JOBS, "square");
const burn = cf.workerFunction<(ms: number) => number>(JOBS, "burn");
const BURN_MS = 200;
const BURN_JOBS = quick ? 4 : 8;
const SMALL = quick ? 2_000 : 20_000;
const SEQ = quick ? 500 : 3_000;

function burnHere(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

function stats(xs: number[]): { n: number; p50: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: s[s.length - 1] ?? 0 };
}

/** Runs `work` on a loop with a 5 ms ticker; returns the ticker's lateness in ms. */
async function lateness(work: (loop: asyncio.EventLoop) => Promise<unknown> | unknown) {
  const late: number[] = [];
  let elapsed = 0;
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
    let running = true;
    const period = 0.005;
    const ticker = asyncio.createTask(async () => {
      let next = loop.time() + period;
      while (running) {
        await asyncio.sleep(Math.max(0, next - loop.time()));
        const now = loop.time();
        late.push((now - next) * 1000);
        next = Math.max(next + period, now); // no catch-up burst after a stall
      }
    });
    await asyncio.sleep(0.05);
    const t0 = performance.now();
    await work(loop);
    elapsed = performance.now() - t0;
    running = false;
    await ticker;
  });
  return { ...stats(late), elapsed };
}

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

async function responsiveness(): Promise<void> {
  const cpus = availableParallelism();
  console.log(
    `\n## Responsiveness: ${BURN_JOBS} jobs of ${BURN_MS} ms of CPU each, ticker every 5 ms (${cpus} CPUs)\n`,
  );
  console.log(
    "| where the jobs run | wall time (ms) | ticks | lateness p50 (ms) | p99 (ms) | max (ms) |",
  );
  console.log("|---|---|---|---|---|---|");
  const row = (name: string, r: Awaited<ReturnType<typeof lateness>>) =>
    console.log(
      `| ${name} | ${fmt(r.elapsed, 0)} | ${r.n} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.max, 2)} |`,
    );
  row("nothing (idle loop, 1 s)", await lateness(() => asyncio.sleep(1)));
  row(
    "on the loop itself",
    await lateness(async () => {
      for (let i = 0; i < BURN_JOBS; i++) {
        burnHere(BURN_MS);
        await asyncio.sleep(0);
      }
    }),
  );
  for (const workers of [1, Math.max(1, cpus)]) {
    for (const Pool of [cf.ThreadPoolExecutor, cf.ProcessPoolExecutor]) {
      const pool = new Pool({ maxWorkers: workers });
      await Promise.all(Array.from({ length: workers }, () => pool.submit(square, 1).result()));
      const r = await lateness((loop) =>
        asyncio.gather(
          Array.from({ length: BURN_JOBS }, () => loop.runInExecutor(pool, burn, BURN_MS)),
        ),
      );
      row(`${Pool.name}, ${workers} worker${workers > 1 ? "s" : ""} (runInExecutor)`, r);
      await pool.shutdown();
    }
  }
}

async function timed(n: number, fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return ((performance.now() - t0) * 1000) / n; // µs per call
}

async function overhead(): Promise<void> {
  const workers = Math.max(1, Math.min(2, availableParallelism()));
  console.log(`\n## Overhead per small call (square(x)), ${workers} worker threads\n`);
  console.log("| how | sequential: µs per call | in flight: µs per call | calls/s (in flight) |");
  console.log("|---|---|---|---|");
  const row = (name: string, seq: number | null, par: number) =>
    console.log(
      `| ${name} | ${seq === null ? "—" : fmt(seq)} | ${fmt(par, 2)} | ${Math.round(1e6 / par).toLocaleString("en")} |`,
    );
  const xs = Array.from({ length: SMALL }, (_, i) => i);

  const piscina = new Piscina({
    filename: JOBS,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60_000,
  });
  const pRun = (x: number) => piscina.run(x, { name: "square" }) as Promise<number>;
  await Promise.all(xs.slice(0, 1000).map(pRun));
  const pSeq = await timed(SEQ, async () => {
    for (let i = 0; i < SEQ; i++) await pRun(i);
  });
  const pPar = await timed(SMALL, () => Promise.all(xs.map(pRun)));
  row("piscina `run()` directly", pSeq, pPar);

  const pool = new cf.ThreadPoolExecutor({ maxWorkers: workers });
  await Promise.all(xs.slice(0, 1000).map((x) => pool.submit(square, x).result()));
  const tSeq = await timed(SEQ, async () => {
    for (let i = 0; i < SEQ; i++) await pool.submit(square, i).result();
  });
  const tPar = await timed(SMALL, () =>
    Promise.all(xs.map((x) => pool.submit(square, x).result())),
  );
  row("ThreadPoolExecutor `submit()`", tSeq, tPar);
  const tMap = await timed(SMALL, async () => {
    let sum = 0;
    for await (const r of pool.map(square, xs, { chunksize: 100 })) sum += r;
    return sum;
  });
  row("ThreadPoolExecutor `map(chunksize=100)`", null, tMap);
  let aSeq = 0;
  let aPar = 0;
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
    aSeq = await timed(SEQ, async () => {
      for (let i = 0; i < SEQ; i++) await loop.runInExecutor(pool, square, i);
    });
    aPar = await timed(
      SMALL,
      async () => await asyncio.gather(xs.map((x) => loop.runInExecutor(pool, square, x))),
    );
  });
  row("asyncio `loop.runInExecutor()` on that pool", aSeq, aPar);
  await pool.shutdown();
  await piscina.destroy();

  const ppool = new cf.ProcessPoolExecutor({ maxWorkers: workers });
  await Promise.all(xs.slice(0, 1000).map((x) => ppool.submit(square, x).result()));
  const ppSeq = await timed(SEQ, async () => {
    for (let i = 0; i < SEQ; i++) await ppool.submit(square, i).result();
  });
  const ppPar = await timed(SMALL, () =>
    Promise.all(xs.map((x) => ppool.submit(square, x).result())),
  );
  row("ProcessPoolExecutor `submit()`", ppSeq, ppPar);
  const ppMap = await timed(SMALL, async () => {
    for await (const _ of ppool.map(square, xs, { chunksize: 100 }));
  });
  row("ProcessPoolExecutor `map(chunksize=100)`", null, ppMap);
  await ppool.shutdown();

  // Start-up: how long the first call takes on a fresh pool (a worker starting).
  for (const Pool of [cf.ThreadPoolExecutor, cf.ProcessPoolExecutor]) {
    const fresh = new Pool({ maxWorkers: 1 });
    const ms = (await timed(1, () => Promise.resolve(fresh.submit(square, 1).result()))) / 1000;
    console.log(`\nfirst call on a fresh ${Pool.name} (a worker starting): ${fmt(ms, 0)} ms`);
    await fresh.shutdown();
  }
}

console.log(
  `# asyncio-ts executors — Node ${process.version}, ${availableParallelism()} CPUs${quick ? " (quick)" : ""}`,
);
await responsiveness();
await overhead();
