/**
 * Steady-state A/B numbers for the loop's hot paths: runs each workload of bench/asyncio-ts
 * (generator style) `REPS` times in one process at scale 1 and prints the best and median
 * throughput, so a small change is not lost in start-up and JIT noise.
 * Run: node --expose-gc --conditions=source --import tsx bench/micro/hot_paths.ts [workload,...] [reps]
 */
import { impls } from "../asyncio-ts/impl.ts";
import { paramsFor, type WorkloadName } from "../lib/workloads.ts";

const names = (process.argv[2] ?? "callsoon,pingpong,cancel,timers").split(",");
const reps = Number(process.argv[3] ?? 9);
for (const name of names) {
  const impl = impls[name as keyof typeof impls];
  const p = paramsFor(name as WorkloadName, 1);
  const rates: number[] = [];
  for (let i = 0; i < reps; i++) {
    const m = await impl(p, { style: "gen", warmup: i === 0 });
    if (i > 0 && m.elapsed !== undefined) rates.push(p.n / m.elapsed);
  }
  rates.sort((a, b) => a - b);
  const fmt = (x: number) => `${(x / 1e6).toFixed(3)}M/s`;
  console.log(
    `${name.padEnd(9)} median ${fmt(rates[rates.length >> 1]!)}  best ${fmt(rates[rates.length - 1]!)}`,
  );
}
