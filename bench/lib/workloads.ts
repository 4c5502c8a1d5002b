/**
 * The workloads of the benchmark suite: names, units, parameters at a given scale,
 * the sanity check each contender must report, and how the metric is derived from
 * a measurement. bench/python/bench.py mirrors paramsFor() and valueFrom() (both read
 * bench/workloads.json, the single source of the sizes).
 */
import { readFileSync } from "node:fs";
import { PyRandom } from "./mt.ts";

export const WORKLOAD_NAMES = [
  "spawn",
  "pingpong",
  "callsoon",
  "timers",
  "tree_none",
  "tree_io",
  "tree_memoization",
  "tree_cpu_io_mixed",
  "cancel",
  "echo_streams_1k",
  "echo_streams_100",
  "echo_proto_1k",
  "echo_proto_100",
  "memory",
] as const;

export type WorkloadName = (typeof WORKLOAD_NAMES)[number];
export type Family =
  | "spawn"
  | "pingpong"
  | "callsoon"
  | "timers"
  | "tree"
  | "cancel"
  | "echo"
  | "memory";

export interface WorkloadSpec {
  name: WorkloadName;
  /** Workloads of one family share one implementation file (e.g. bench/asyncio-ts/tree.ts). */
  family: Family;
  unit: string;
  /** false for seconds and bytes/task: there, lower is better. */
  higherIsBetter: boolean;
  description: string;
}

const spec = (
  name: WorkloadName,
  family: Family,
  unit: string,
  higherIsBetter: boolean,
  description: string,
): WorkloadSpec => ({ name, family, unit, higherIsBetter, description });

export const WORKLOADS: readonly WorkloadSpec[] = [
  spec("spawn", "spawn", "tasks/s", true, "create n tasks that each sleep(0) once, gather them"),
  spec("pingpong", "pingpong", "round trips/s", true, "two tasks, two Queue(maxsize=1)"),
  spec("callsoon", "callsoon", "callbacks/s", true, "n call_soon callbacks, 1000 chains"),
  spec("timers", "timers", "timers/s", true, "n loop.call_later, random delays 0..10 ms"),
  spec("tree_none", "tree", "s", false, "async tree 6x6 gather, leaves do nothing"),
  spec("tree_io", "tree", "s", false, "async tree 6x6 gather, leaves sleep 1 ms"),
  spec("tree_memoization", "tree", "s", false, "async tree, 90% of leaf IO memoized"),
  spec("tree_cpu_io_mixed", "tree", "s", false, "async tree, half CPU (factorial 500)"),
  spec("cancel", "cancel", "tasks/s", true, "n tasks blocked on Futures: cancel all, await all"),
  spec("echo_streams_1k", "echo", "requests/s", true, "TCP echo, streams API, 1 KiB messages"),
  spec("echo_streams_100", "echo", "requests/s", true, "TCP echo, streams API, 100 B messages"),
  spec("echo_proto_1k", "echo", "requests/s", true, "TCP echo, Protocol API, 1 KiB messages"),
  spec("echo_proto_100", "echo", "requests/s", true, "TCP echo, Protocol API, 100 B messages"),
  spec("memory", "memory", "bytes/task", false, "RSS growth per task pending on a Future"),
];

export function workloadSpec(name: string): WorkloadSpec {
  const found = WORKLOADS.find((w) => w.name === name);
  if (!found) {
    throw new Error(
      `unknown workload ${JSON.stringify(name)}; known: ${WORKLOAD_NAMES.join(", ")}`,
    );
  }
  return found;
}

export function isWorkloadName(name: string): name is WorkloadName {
  return (WORKLOAD_NAMES as readonly string[]).includes(name);
}

/** Concrete parameters of one workload run. Fields a workload does not use keep defaults. */
export interface Params {
  workload: WorkloadName;
  family: Family;
  scale: number;
  /**
   * The main count: tasks (spawn, cancel, memory), round trips (pingpong), callbacks
   * (callsoon), timers (timers), leaves (tree: branches ** levels), messages per client (echo).
   */
  n: number;
  /** callsoon: callbacks in flight; each callback schedules the next until n have run. */
  chains: number;
  /** timers: delays are PyRandom(seed).uniform(0, maxDelay) seconds, drawn before timing. */
  maxDelay: number;
  /** tree: variant, depth, fan-out and pyperformance's constants. */
  variant: "none" | "io" | "memoization" | "cpu_io_mixed";
  levels: number;
  branches: number;
  /** seconds slept by mock_io_call() */
  ioSleep: number;
  memoizablePercentage: number;
  cpuProbability: number;
  factorialN: number;
  seed: number;
  /** echo: number of concurrent clients, API flavour and message size in bytes. */
  clients: number;
  api: "streams" | "proto";
  size: number;
}

interface SizesFile {
  warmup_fraction: number;
  warmup_passes: number;
  spawn: { n: number; min_n: number };
  pingpong: { n: number; min_n: number };
  callsoon: { n: number; min_n: number; chains: number };
  timers: { n: number; min_n: number; max_delay: number; seed: number };
  tree: {
    levels: number;
    min_levels: number;
    branches: number;
    io_sleep: number;
    memoizable_percentage: number;
    cpu_probability: number;
    factorial_n: number;
    seed: number;
  };
  cancel: { n: number; min_n: number };
  echo: { clients: number; n: number; min_n: number };
  memory: { n: number; min_n: number };
}

let sizesCache: SizesFile | undefined;
export function sizes(): SizesFile {
  sizesCache ??= JSON.parse(
    readFileSync(new URL("../workloads.json", import.meta.url), "utf8"),
  ) as SizesFile;
  return sizesCache;
}

/** Fraction of the scale used by the in-process warm-up passes of each child. */
export function warmupFraction(): number {
  return sizes().warmup_fraction;
}

/**
 * Untimed in-process passes each child runs before its timed pass, unless told otherwise. Two:
 * after one, V8 is still compiling (and re-compiling) hot functions during the timed pass.
 */
export function warmupPasses(): number {
  return sizes().warmup_passes;
}

const roundHalfUp = (x: number): number => Math.floor(x + 0.5);
const scaled = (n: number, minN: number, scale: number): number =>
  Math.max(minN, roundHalfUp(n * scale));

export function paramsFor(name: WorkloadName, scale: number): Params {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`bad scale ${scale}`);
  const s = sizes();
  const w = workloadSpec(name);
  const p: Params = {
    workload: name,
    family: w.family,
    scale,
    n: 0,
    chains: s.callsoon.chains,
    maxDelay: s.timers.max_delay,
    variant: "none",
    levels: s.tree.levels,
    branches: s.tree.branches,
    ioSleep: s.tree.io_sleep,
    memoizablePercentage: s.tree.memoizable_percentage,
    cpuProbability: s.tree.cpu_probability,
    factorialN: s.tree.factorial_n,
    seed: 0,
    clients: s.echo.clients,
    api: "streams",
    size: 1024,
  };
  switch (w.family) {
    case "spawn":
    case "pingpong":
    case "callsoon":
    case "cancel":
    case "memory":
      p.n = scaled(s[w.family].n, s[w.family].min_n, scale);
      break;
    case "timers":
      p.n = scaled(s.timers.n, s.timers.min_n, scale);
      p.seed = s.timers.seed;
      break;
    case "tree": {
      const t = s.tree;
      p.variant = name.slice("tree_".length) as Params["variant"];
      p.levels = Math.max(
        t.min_levels,
        roundHalfUp(t.levels + Math.log(scale) / Math.log(t.branches)),
      );
      p.n = t.branches ** p.levels;
      p.seed = t.seed;
      break;
    }
    case "echo": {
      const [, api, size] = name.split("_");
      p.api = api as Params["api"];
      p.size = size === "1k" ? 1024 : Number(size);
      p.n = scaled(s.echo.n, s.echo.min_n, scale);
      break;
    }
  }
  return p;
}

/** What a contender measured in its timed pass. */
export interface Measurement {
  /** seconds of the timed section (every workload but memory) */
  elapsed?: number;
  /** RSS growth in bytes (memory workload) */
  bytes?: number;
  /** sanity value, must equal expectedCheck(params) */
  check: number;
}

/** Turns a measurement into the workload's metric (see WorkloadSpec.unit). */
export function valueFrom(p: Params, m: Measurement): number {
  if (p.family === "memory") {
    if (m.bytes === undefined) throw new Error("memory workload must report bytes");
    return m.bytes / p.n;
  }
  if (m.elapsed === undefined || !(m.elapsed > 0)) {
    throw new Error(`workload ${p.workload} must report elapsed > 0 seconds`);
  }
  if (p.family === "tree") return m.elapsed;
  if (p.family === "echo") return (p.clients * p.n) / m.elapsed;
  return p.n / m.elapsed;
}

/** Leaves of the async tree that call mock_io_call(), as pyperformance's draws decide. */
export function treeIoCalls(p: Params): number {
  if (p.variant === "none") return 0;
  if (p.variant === "io") return p.n;
  const rng = new PyRandom(p.seed);
  const cache = new Set<number>();
  let io = 0;
  for (let leaf = 0; leaf < p.n; leaf++) {
    // Each leaf's draws happen synchronously, before its first suspension, so the
    // sequence of draws (and the count below) does not depend on scheduling order.
    if (p.variant === "cpu_io_mixed" && rng.random() < p.cpuProbability) continue;
    const data = rng.randint(1, 100);
    if (data <= p.memoizablePercentage) {
      if (cache.has(data)) continue;
      cache.add(data);
    }
    io++;
  }
  return io;
}

/**
 * The sanity value each contender must print as "check":
 * - spawn: sum of the tasks' results, task i returning i (n*(n-1)/2)
 * - pingpong: final counter (n)
 * - callsoon, timers: callbacks run (n)
 * - tree_none: leaves visited (branches ** levels); other tree variants: leaves that
 *   called mock_io_call()
 * - cancel: tasks that ended cancelled (n)
 * - echo: bytes echoed back to all clients (clients * n * size)
 * - memory: tasks pending when RSS was measured (n)
 */
export function expectedCheck(p: Params): number {
  switch (p.family) {
    case "spawn":
      return (p.n * (p.n - 1)) / 2;
    case "tree":
      return p.variant === "none" ? p.n : treeIoCalls(p);
    case "echo":
      return p.clients * p.n * p.size;
    default:
      return p.n;
  }
}
