/**
 * Helper for TypeScript contender programs (bench/node/bench.ts and the asyncio-ts
 * files bench/asyncio-ts/<family>.ts). It implements the child side of the harness
 * contract:
 *
 *   node --expose-gc --import tsx <file> <workload> <scale> [--async] [--no-warmup] [--warmup-passes=N]
 *
 * prints exactly one JSON line on stdout:
 *
 *   {"workload":"spawn","value":123456.7,"unit":"tasks/s","check":4999950000,...}
 *
 * or, when the program does not implement that workload / style,
 *
 *   {"workload":"spawn","skip":"reason"}
 *
 * and exits. Timing happens inside the implementation (only the timed section counts,
 * not process start-up, module loading or the warm-up passes).
 */
import {
  type Measurement,
  type Params,
  paramsFor,
  valueFrom,
  warmupFraction,
  warmupPasses,
  workloadSpec,
} from "./workloads.ts";

export { PyRandom } from "./mt.ts";
export type { Measurement, Params, WorkloadName } from "./workloads.ts";

/** "gen": generator coroutines (default), "async": async functions (--async). */
export type Style = "gen" | "async";

export interface RunContext {
  style: Style;
  /** true during the untimed warm-up passes (run at warmup_fraction of the scale) */
  warmup: boolean;
}

export type WorkloadImpl = (p: Params, ctx: RunContext) => Promise<Measurement>;

/** Implementations keyed by workload name, or by family name ("tree", "echo") for all of it. */
export type Impls = Partial<Record<string, WorkloadImpl>>;

/** Throw this from an implementation to make the harness skip the contender for a workload. */
export class SkipWorkload extends Error {
  override name = "SkipWorkload";
}

/** Monotonic clock in seconds. */
export const now = (): number => performance.now() / 1000;

/** Resident set size in bytes. */
export const rss = (): number => process.memoryUsage.rss();

/** Full GC when node runs with --expose-gc (the harness always passes it). */
export function forceGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

/**
 * math.factorial(n): the CPU-bound leaf of tree_cpu_io_mixed, computed with CPython's own
 * algorithm (Modules/mathmodule.c): n! = oddPart(n) << (n - popcount(n)), where the odd part is
 * built by an outer/inner loop over the bit lengths of n (the odd numbers in (n >> (i+1),
 * n >> i] multiply into `inner`, and `outer` takes `inner` once per level). The odd numbers of
 * a range are multiplied as doubles while the product stays exact (< 2**53), and those
 * partial products are combined pairwise. (~4.2 us for 500! here; the simpler product of all
 * odd parts in one tree took 5.9 us, CPython's C 4.8 us.)
 */
export function factorial(n: number): bigint {
  let inner = 1n;
  let outer = 1n;
  let bits = 0;
  let ones = 0;
  for (let m = n; m > 0; m >>= 1) {
    bits++;
    ones += m & 1;
  }
  for (let i = bits - 1; i >= 0; i--) {
    const hi = n >> i;
    const lo = n >> (i + 1);
    if (hi > lo) inner *= oddProduct(lo, hi);
    outer *= inner;
  }
  return outer << BigInt(n - ones);
}

/** The product of the odd numbers in (lo, hi]. */
function oddProduct(lo: number, hi: number): bigint {
  const parts: bigint[] = [];
  let acc = 1;
  for (let m = (lo + 1) | 1; m <= hi; m += 2) {
    if (acc * m > Number.MAX_SAFE_INTEGER) {
      parts.push(BigInt(acc));
      acc = m;
    } else {
      acc *= m;
    }
  }
  parts.push(BigInt(acc));
  let len = parts.length;
  while (len > 1) {
    let j = 0;
    for (let i = 0; i + 1 < len; i += 2) parts[j++] = parts[i]! * parts[i + 1]!;
    if (len & 1) parts[j++] = parts[len - 1]!;
    len = j;
  }
  return parts[0]!;
}

function emit(obj: Record<string, unknown>, code: number): void {
  process.stdout.write(`${JSON.stringify(obj)}\n`, () => process.exit(code));
}

/**
 * Entry point of a contender program: parses argv, runs the untimed warm-up passes
 * (`warmup_passes` of workloads.json unless `--warmup-passes=N`; none for the memory workload), the timed pass, prints the JSON
 * line and exits
 * (process.exit, so a stray handle cannot keep the child alive).
 */
export async function benchMain(
  impls: Impls,
  argv: string[] = process.argv.slice(2),
): Promise<void> {
  const positional = argv.filter((a) => !a.startsWith("--"));
  const flags = new Set(argv.filter((a) => a.startsWith("--")));
  const [workload, scaleText] = positional;
  const PASSES = "--warmup-passes=";
  const passesArg = argv.find((a) => a.startsWith(PASSES));
  const passes = flags.has("--no-warmup")
    ? 0
    : passesArg
      ? Number(passesArg.slice(PASSES.length))
      : warmupPasses();
  if (!workload || !scaleText || !Number.isInteger(passes) || passes < 0) {
    process.stderr.write(
      "usage: <program> <workload> <scale> [--async] [--no-warmup] [--warmup-passes=N]\n",
    );
    process.exit(2);
  }
  const spec = workloadSpec(workload);
  const scale = Number(scaleText);
  const style: Style = flags.has("--async") ? "async" : "gen";
  const impl = impls[spec.name] ?? impls[spec.family];
  if (!impl) {
    emit({ workload: spec.name, skip: `no implementation of ${spec.name} in this program` }, 0);
    return;
  }
  try {
    for (let i = 0; spec.family !== "memory" && i < passes; i++) {
      await impl(paramsFor(spec.name, scale * warmupFraction()), { style, warmup: true });
    }
    const p = paramsFor(spec.name, scale);
    const m = await impl(p, { style, warmup: false });
    emit(
      {
        workload: spec.name,
        value: valueFrom(p, m),
        unit: spec.unit,
        check: m.check,
        elapsed: m.elapsed,
        bytes: m.bytes,
        n: p.n,
        ...(style === "async" ? { style } : {}),
      },
      0,
    );
  } catch (err) {
    if (err instanceof SkipWorkload) {
      emit({ workload: spec.name, skip: err.message }, 0);
      return;
    }
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  }
}

export { paramsFor, valueFrom, workloadSpec };
