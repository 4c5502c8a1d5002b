/**
 * Benchmark suite CLI: `npm run bench -- [options]` (see bench/README.md).
 *
 *   --quick             tiny sizes (scale 0.01), 1 run, no warm-up round; writes
 *                       bench/results.quick.{json,svg} instead of bench/results.*
 *   --runs N            measured runs per workload and contender (default 5)
 *   --scale X           size factor, 1 = full sizes (default 1)
 *   --only a,b          workloads to run (names, or families: tree, echo)
 *   --contenders a,b    cpython, uvloop, node, ts-gen, ts-async (default all)
 *   --no-warmup         skip the discarded warm-up round
 *   --warmup-passes N   untimed passes (a tenth of the size) each child runs before its timed
 *                       pass (default 2, from bench/workloads.json; 0 = none)
 *   --timeout S         seconds before a child process is killed
 *   --out PREFIX        write PREFIX.json and PREFIX.svg (default bench/results)
 *   --no-write          print the table only
 *   --replot FILE       re-print the table and re-draw FILE's SVG from a results JSON
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  BENCH_DIR,
  type BenchOptions,
  type BenchResults,
  CONTENDER_IDS,
  runBench,
} from "./lib/harness.ts";
import { renderSvg } from "./lib/svg.ts";
import { formatTable } from "./lib/table.ts";
import { WORKLOAD_NAMES } from "./lib/workloads.ts";

const USAGE = `usage: npm run bench -- [--quick] [--runs N] [--scale X] [--only w1,w2] [--contenders c1,c2]
                        [--no-warmup] [--warmup-passes N] [--timeout S] [--out PREFIX] [--no-write]
       npm run bench -- --replot bench/results.json
workloads:   ${WORKLOAD_NAMES.join(", ")} (families: tree, echo)
contenders:  ${CONTENDER_IDS.join(", ")}`;

interface CliOptions extends BenchOptions {
  out: string;
  write: boolean;
  replot?: string;
}

function parseArgs(argv: string[]): CliOptions {
  const opts: CliOptions = {
    scale: 1,
    runs: 5,
    warmup: true,
    out: path.join(BENCH_DIR, "results"),
    write: true,
  };
  let quick = false;
  let runsGiven = false;
  let scaleGiven = false;
  let warmupGiven = false;
  let outGiven = false;
  const list = (v: string) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--quick":
        quick = true;
        break;
      case "--runs":
        opts.runs = Number(value());
        runsGiven = true;
        if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error("--runs must be >= 1");
        break;
      case "--scale":
        opts.scale = Number(value());
        scaleGiven = true;
        if (!(opts.scale > 0)) throw new Error("--scale must be > 0");
        break;
      case "--only":
        opts.only = list(value());
        break;
      case "--contenders":
        opts.contenders = list(value());
        break;
      case "--no-warmup":
        opts.warmup = false;
        warmupGiven = true;
        break;
      case "--warmup-passes":
        opts.warmupPasses = Number(value());
        if (!Number.isInteger(opts.warmupPasses) || opts.warmupPasses < 0) {
          throw new Error("--warmup-passes must be an integer >= 0");
        }
        break;
      case "--timeout":
        opts.timeoutSec = Number(value());
        break;
      case "--out":
        opts.out = path.resolve(value());
        outGiven = true;
        break;
      case "--replot":
        opts.replot = path.resolve(value());
        break;
      case "--no-write":
        opts.write = false;
        break;
      case "-h":
      case "--help":
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  if (quick) {
    if (!scaleGiven) opts.scale = 0.01;
    if (!runsGiven) opts.runs = 1;
    if (!warmupGiven) opts.warmup = false;
    if (!outGiven) opts.out = path.join(BENCH_DIR, "results.quick");
  }
  return opts;
}

async function main(): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  if (opts.replot) {
    const results = JSON.parse(readFileSync(opts.replot, "utf8")) as BenchResults;
    process.stdout.write(`${formatTable(results)}\n`);
    const svg = `${opts.replot.replace(/\.json$/, "")}.svg`;
    writeFileSync(svg, renderSvg(results));
    process.stdout.write(`\nwrote ${path.relative(process.cwd(), svg)}\n`);
    return 0;
  }
  const results = await runBench(opts);
  process.stdout.write(`\n${formatTable(results)}\n`);
  if (opts.write) {
    mkdirSync(path.dirname(opts.out), { recursive: true });
    writeFileSync(`${opts.out}.json`, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(`${opts.out}.svg`, renderSvg(results));
    process.stdout.write(
      `\nwrote ${path.relative(process.cwd(), `${opts.out}.json`)} and ${path.relative(process.cwd(), `${opts.out}.svg`)}\n`,
    );
  }
  const failed = results.cells.filter((c) => c.status === "error" || c.status === "partial");
  if (failed.length > 0) {
    process.stdout.write(`\n${failed.length} workload/contender pair(s) had errors:\n`);
    for (const c of failed)
      process.stdout.write(`  ${c.workload} / ${c.contender}: ${c.errors[0]}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
