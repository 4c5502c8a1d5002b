/**
 * Sanity run of the benchmark suite for the test suite: every workload at tiny sizes,
 * once, for every available contender, checking that each run finishes and reports a
 * sane metric and the expected sanity "check" value. No timing assertions.
 *
 *   import { runSanity } from "../bench/sanity.ts";
 *   const entries = await runSanity();
 *   for (const e of entries) assert.ok(e.status !== "error", `${e.workload}/${e.contender}: ${e.problems}`);
 *
 * Run directly (`tsx bench/sanity.ts`) it prints the entries and exits 1 on a problem.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type CellStatus, type ContenderId, runBench } from "./lib/harness.ts";
import type { WorkloadName } from "./lib/workloads.ts";

export interface SanityOptions {
  /** contenders to try (default: all; unavailable ones come back as "skipped") */
  contenders?: string[];
  /** workloads or families (default: all) */
  only?: string[];
  /** size factor (default 0.01) */
  scale?: number;
  /** progress lines (default: none) */
  log?: (line: string) => void;
}

export interface SanityEntry {
  workload: WorkloadName;
  contender: ContenderId;
  /** "skipped": contender not installed / file not written yet; "error": see problems */
  status: "ok" | "skipped" | "error";
  /** why it was skipped */
  reason?: string;
  value: number | null;
  unit: string;
  check: number | null;
  expectedCheck: number;
  problems: string[];
}

/** Runs every available workload at tiny sizes for each contender and returns the results. */
export async function runSanity(options: SanityOptions = {}): Promise<SanityEntry[]> {
  const results = await runBench({
    scale: options.scale ?? 0.01,
    runs: 1,
    warmup: false,
    ...(options.only ? { only: options.only } : {}),
    ...(options.contenders ? { contenders: options.contenders } : {}),
    log: options.log ?? (() => {}),
  });
  return results.cells.map((cell): SanityEntry => {
    const sample = cell.samples[0];
    const problems = [...cell.errors];
    const status: CellStatus = cell.status;
    if (status !== "skipped" && sample) {
      if (!Number.isFinite(sample.value) || sample.value <= 0) {
        problems.push(`value ${sample.value} ${cell.unit} is not a positive finite number`);
      }
      if (cell.unit === "bytes/task" && sample.value > 1_000_000) {
        problems.push(`implausible ${sample.value} bytes per pending task`);
      }
      if (cell.unit === "s" && sample.value > 60) {
        problems.push(`implausible ${sample.value} s for a tiny tree`);
      }
    }
    if (status !== "skipped" && !sample && problems.length === 0) problems.push("no result");
    return {
      workload: cell.workload,
      contender: cell.contender,
      status: status === "skipped" ? "skipped" : problems.length > 0 ? "error" : "ok",
      ...(cell.reason !== undefined ? { reason: cell.reason } : {}),
      value: sample?.value ?? null,
      unit: cell.unit,
      check: sample?.check ?? null,
      expectedCheck: cell.expectedCheck,
      problems,
    };
  });
}

const isMain =
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
async function main(): Promise<void> {
  const entries = await runSanity({ log: (l) => process.stderr.write(`${l}\n`) });
  for (const e of entries) {
    const what =
      e.status === "skipped"
        ? `skipped (${e.reason})`
        : `${e.status} value=${e.value} ${e.unit} check=${e.check}/${e.expectedCheck}${e.problems.length ? ` problems: ${e.problems.join("; ")}` : ""}`;
    process.stdout.write(`${e.workload.padEnd(18)} ${e.contender.padEnd(9)} ${what}\n`);
  }
  process.exitCode = entries.some((e) => e.status === "error") ? 1 : 0;
}

if (isMain) void main();
