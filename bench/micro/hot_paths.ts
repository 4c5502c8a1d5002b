/**
 * Steady-state A/B numbers for the loop's hot paths: runs each workload of bench/asyncio-ts
 * (generator style) in one process, first a warm-up pass at the suite's warm-up fraction and then
 * `REPS` passes at scale 1. The first of those is what `npm run bench` times (it still pays for
 * JIT re-optimisation: see bench/README.md); the median and best of the others are the steady
 * state, where a small change is not lost in start-up and JIT noise.
 * Run: node --expose-gc --conditions=asyncio-ts-source --import tsx bench/micro/hot_paths.ts [workload,...] [reps]
 */
import { impls } from "../asyncio-ts/impl.ts";
import { paramsFor, type WorkloadName, warmupFraction } from "../lib/workloads.ts";

const names = (process.argv[2] ?? "callsoon,pingpong,cancel,timers").split(",");
const reps = Number(process.argv[3] ?? 9);
if (!(reps >= 2)) throw new RangeError("reps must be at least 2");
for (const name of names) {
  const impl = impls[name as keyof typeof impls];
  await impl(paramsFor(name as WorkloadName, warmupFraction()), { style: "gen", warmup: true });
  const p = paramsFor(name as WorkloadName, 1);
  const rates: number[] = [];
  for (let i = 0; i < reps; i++) {
    const m = await impl(p, { style: "gen", warmup: false });
    if (m.elapsed !== undefined) rates.push(p.n / m.elapsed);
  }
  const first = rates[0]!;
  const rest = rates.slice(1).sort((a, b) => a - b);
  const fmt = (x: number) => `${(x / 1e6).toFixed(3)}M/s`;
  console.log(
    `${name.padEnd(9)} first ${fmt(first)}  then median ${fmt(rest[rest.length >> 1]!)}  best ${fmt(rest[rest.length - 1]!)}`,
  );
}
