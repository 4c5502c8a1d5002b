/**
 * The benchmark harness: finds the contenders, runs every (workload, contender) pair
 * in its own child process, interleaving contenders run by run, and aggregates medians
 * and same-run ratios to the baseline (CPython asyncio). Used by bench/run.ts (CLI)
 * and bench/sanity.ts (tiny sizes, for the test suite).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  expectedCheck,
  paramsFor,
  WORKLOAD_NAMES,
  WORKLOADS,
  type WorkloadName,
  warmupPasses,
  workloadSpec,
} from "./workloads.ts";

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DIR = path.resolve(BENCH_DIR, "..");

export const CONTENDER_IDS = ["cpython", "uvloop", "node", "ts-gen", "ts-async"] as const;
export type ContenderId = (typeof CONTENDER_IDS)[number];

export const CONTENDER_LABELS: Record<ContenderId, string> = {
  cpython: "CPython asyncio",
  uvloop: "CPython + uvloop",
  node: "plain Node.js",
  "ts-gen": "asyncio-ts (generators)",
  "ts-async": "asyncio-ts (async fns)",
};

export interface ContenderInfo {
  id: ContenderId;
  label: string;
  available: boolean;
  /** why the whole column is skipped */
  reason?: string;
  version?: string;
}

export interface Sample {
  run: number;
  value: number;
  check: number | null;
}

export type CellStatus = "ok" | "partial" | "skipped" | "error";

export interface Cell {
  workload: WorkloadName;
  contender: ContenderId;
  unit: string;
  higherIsBetter: boolean;
  status: CellStatus;
  /** set when the contender was skipped for this workload */
  reason?: string;
  samples: Sample[];
  errors: string[];
  expectedCheck: number;
  median: number | null;
  /** per run: ratio to the baseline measured in the same run (>1 = better than baseline) */
  ratios: number[];
  medianRatio: number | null;
}

export interface BenchOptions {
  /** size factor: 1 = full sizes (bench/workloads.json) */
  scale: number;
  /** measured runs per (workload, contender) */
  runs: number;
  /** one discarded warm-up round per workload before the measured runs */
  warmup: boolean;
  /** workloads (or families: tree, echo) to run; default all */
  only?: string[];
  /** contenders to run; default all */
  contenders?: string[];
  /** seconds before a child is killed; default max(60, 900 * scale) */
  timeoutSec?: number;
  /**
   * untimed passes at a tenth of the size that each child runs before its timed pass (default:
   * `warmup_passes` of bench/workloads.json, 2; with 1, V8 still compiles during the timed pass)
   */
  warmupPasses?: number;
  /** extra arguments for every child (e.g. --no-warmup) */
  childArgs?: string[];
  /** progress lines (default: stderr) */
  log?: (line: string) => void;
}

export interface BenchResults {
  meta: {
    date: string;
    scale: number;
    runs: number;
    warmup: boolean;
    /** in-process warm-up passes per child (absent in results written before the option) */
    warmupPasses?: number;
    baseline: ContenderId | null;
    host: { cpu: string; cores: number; memoryGiB: number; platform: string };
    node: string;
    python: string | null;
    uvloop: string | null;
    commit: string | null;
    durationSec: number;
  };
  contenders: ContenderInfo[];
  workloads: { name: WorkloadName; unit: string; higherIsBetter: boolean; description: string }[];
  cells: Cell[];
}

const PYTHON = process.env["BENCH_PYTHON"] ?? "/usr/bin/python3.11";
const NODE_ARGS = ["--expose-gc", "--conditions=asyncio-ts-source", "--import", "tsx"];

function probePython(): { version?: string; error?: string } {
  if (!existsSync(PYTHON)) return { error: `${PYTHON} not found (run: sh bench/setup.sh)` };
  const r = spawnSync(
    PYTHON,
    [
      "-c",
      "import sys, asyncio; assert sys.version_info >= (3, 11), sys.version; print(sys.version.split()[0])",
    ],
    { encoding: "utf8", timeout: 30_000 },
  );
  if (r.status !== 0) {
    return {
      error: `${PYTHON} unusable: ${(r.stderr || String(r.error ?? "")).trim().split("\n").pop()}`,
    };
  }
  return { version: r.stdout.trim() };
}

function probeUvloop(): { version?: string; error?: string } {
  const r = spawnSync(PYTHON, ["-c", "import uvloop; print(uvloop.__version__)"], {
    encoding: "utf8",
    timeout: 30_000,
  });
  if (r.status !== 0) {
    return { error: `${PYTHON} cannot import uvloop (run: sh bench/setup.sh)` };
  }
  return { version: r.stdout.trim() };
}

/** bench/asyncio-ts/<workload>.ts, else bench/asyncio-ts/<family>.ts, else null. */
export function asyncioTsFile(workload: WorkloadName): string | null {
  const dir = path.join(BENCH_DIR, "asyncio-ts");
  for (const base of [workload, workloadSpec(workload).family]) {
    const file = path.join(dir, `${base}.ts`);
    if (existsSync(file)) return file;
  }
  return null;
}

export function detectContenders(wanted?: string[]): ContenderInfo[] {
  const ids = (wanted ?? [...CONTENDER_IDS]).map((id) => {
    if (!(CONTENDER_IDS as readonly string[]).includes(id)) {
      throw new Error(
        `unknown contender ${JSON.stringify(id)}; known: ${CONTENDER_IDS.join(", ")}`,
      );
    }
    return id as ContenderId;
  });
  const py = ids.includes("cpython") || ids.includes("uvloop") ? probePython() : {};
  const infos: ContenderInfo[] = [];
  for (const id of CONTENDER_IDS) {
    if (!ids.includes(id)) continue;
    const info: ContenderInfo = { id, label: CONTENDER_LABELS[id], available: true };
    if (id === "cpython" || id === "uvloop") {
      if (py.error) {
        info.available = false;
        info.reason = py.error;
      } else if (id === "uvloop") {
        const uv = probeUvloop();
        if (uv.error) {
          info.available = false;
          info.reason = uv.error;
        } else {
          info.version = `uvloop ${uv.version} on Python ${py.version}`;
        }
      } else {
        info.version = `Python ${py.version}`;
      }
    } else {
      info.version = `Node ${process.version}`;
    }
    infos.push(info);
  }
  return infos;
}

/** Expands family names ("tree", "echo") to their workloads and validates names. */
export function selectWorkloads(only?: string[]): WorkloadName[] {
  if (!only || only.length === 0) return [...WORKLOAD_NAMES];
  const picked = new Set<WorkloadName>();
  for (const item of only) {
    const matches = WORKLOADS.filter((w) => w.name === item || w.family === item);
    if (matches.length === 0) {
      throw new Error(
        `unknown workload ${JSON.stringify(item)}; known: ${WORKLOAD_NAMES.join(", ")} (or a family: tree, echo)`,
      );
    }
    for (const m of matches) picked.add(m.name);
  }
  return WORKLOAD_NAMES.filter((w) => picked.has(w));
}

type Command = { cmd: string; args: string[] } | { skip: string };

function commandFor(c: ContenderId, workload: WorkloadName, scale: number): Command {
  const common = [workload, String(scale)];
  switch (c) {
    case "cpython":
      return { cmd: PYTHON, args: [path.join(BENCH_DIR, "python", "bench.py"), ...common] };
    case "uvloop":
      return {
        cmd: PYTHON,
        args: [path.join(BENCH_DIR, "python", "bench.py"), ...common, "--uvloop"],
      };
    case "node":
      return {
        cmd: process.execPath,
        args: [...NODE_ARGS, path.join(BENCH_DIR, "node", "bench.ts"), ...common],
      };
    case "ts-gen":
    case "ts-async": {
      const file = asyncioTsFile(workload);
      if (!file) {
        const fam = workloadSpec(workload).family;
        const names = fam === workload ? `${fam}.ts` : `${workload}.ts or ${fam}.ts`;
        return { skip: `bench/asyncio-ts/${names} does not exist yet` };
      }
      const style = c === "ts-async" ? ["--async"] : [];
      return { cmd: process.execPath, args: [...NODE_ARGS, file, ...common, ...style] };
    }
  }
}

interface ChildOutcome {
  value?: number;
  check?: number | null;
  skip?: string;
  error?: string;
}

function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // A child of `node --test` must not think it is a test file itself.
  delete env["NODE_TEST_CONTEXT"];
  env["PYTHONDONTWRITEBYTECODE"] = "1";
  return env;
}

function runChild(cmd: string, args: string[], timeoutMs: number): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: REPO_DIR,
      env: childEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve({ error: `could not start ${cmd}: ${err.message}` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      // Node puts the message first, Python last: keep both ends of a long stderr.
      const lines = stderr.trim().split("\n");
      const tail = (
        lines.length > 6 ? [...lines.slice(0, 3), "  ...", ...lines.slice(-3)] : lines
      ).join("\n");
      if (timedOut) {
        resolve({
          error: `timed out after ${Math.round(timeoutMs / 1000)} s${tail ? `\n${tail}` : ""}`,
        });
        return;
      }
      const line = stdout
        .trim()
        .split("\n")
        .reverse()
        .find((l) => l.trim().startsWith("{"));
      if (code !== 0 || !line) {
        const how = signal ? `killed by ${signal}` : `exit code ${code}`;
        resolve({
          error: `${how}${line ? "" : ", no JSON line on stdout"}${tail ? `\n${tail}` : ""}`,
        });
        return;
      }
      let obj: { value?: unknown; check?: unknown; skip?: unknown };
      try {
        obj = JSON.parse(line) as typeof obj;
      } catch {
        resolve({ error: `unparsable output: ${line.slice(0, 200)}` });
        return;
      }
      if (typeof obj.skip === "string") {
        resolve({ skip: obj.skip });
        return;
      }
      if (typeof obj.value !== "number" || !Number.isFinite(obj.value)) {
        resolve({ error: `no finite "value" in ${line.slice(0, 200)}` });
        return;
      }
      resolve({ value: obj.value, check: typeof obj.check === "number" ? obj.check : null });
    });
  });
}

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function gitCommit(): string | null {
  const r = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_DIR, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Runs the benchmark. Never throws because a contender is missing: it is skipped. */
export async function runBench(opts: BenchOptions): Promise<BenchResults> {
  const started = Date.now();
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const workloads = selectWorkloads(opts.only);
  const contenders = detectContenders(opts.contenders);
  const timeoutMs = (opts.timeoutSec ?? Math.max(60, 900 * opts.scale)) * 1000;
  const childArgs = [...(opts.childArgs ?? [])];
  if (opts.warmupPasses !== undefined) childArgs.push(`--warmup-passes=${opts.warmupPasses}`);

  for (const c of contenders) {
    if (!c.available) log(`skipping column ${c.id}: ${c.reason}`);
  }
  const available = contenders.filter((c) => c.available);
  const baseline: ContenderId | null =
    available.find((c) => c.id === "cpython")?.id ?? available[0]?.id ?? null;
  if (baseline && baseline !== "cpython") {
    log(`note: CPython is not running, ratios are relative to ${baseline} instead`);
  }

  // Per-workload skips of the asyncio-ts contenders (their files may not exist yet).
  const cells: Cell[] = [];
  const cellOf = new Map<string, Cell>();
  const commands = new Map<string, Command>();
  const missingByContender = new Map<ContenderId, WorkloadName[]>();
  for (const w of workloads) {
    const spec = workloadSpec(w);
    const exp = expectedCheck(paramsFor(w, opts.scale));
    for (const c of contenders) {
      const cell: Cell = {
        workload: w,
        contender: c.id,
        unit: spec.unit,
        higherIsBetter: spec.higherIsBetter,
        status: "ok",
        samples: [],
        errors: [],
        expectedCheck: exp,
        median: null,
        ratios: [],
        medianRatio: null,
      };
      if (!c.available) {
        cell.status = "skipped";
        cell.reason = c.reason ?? "unavailable";
      } else {
        const cmd = commandFor(c.id, w, opts.scale);
        commands.set(`${w}/${c.id}`, cmd);
        if ("skip" in cmd) {
          cell.status = "skipped";
          cell.reason = cmd.skip;
          missingByContender.set(c.id, [...(missingByContender.get(c.id) ?? []), w]);
        }
      }
      cells.push(cell);
      cellOf.set(`${w}/${c.id}`, cell);
    }
  }
  for (const [id, missing] of missingByContender) {
    if (missing.length === workloads.length) {
      const info = contenders.find((c) => c.id === id)!;
      info.reason = "no bench/asyncio-ts/<workload>.ts file exists yet";
      log(`skipping column ${id}: ${info.reason}`);
    } else {
      for (const w of missing) log(`skipping ${id} for ${w}: ${cellOf.get(`${w}/${id}`)!.reason}`);
    }
  }

  const rounds: number[] = [];
  if (opts.warmup) rounds.push(-1);
  for (let r = 0; r < opts.runs; r++) rounds.push(r);

  for (const w of workloads) {
    const active = available
      .map((c) => c.id)
      .filter((id) => cellOf.get(`${w}/${id}`)!.status === "ok");
    if (active.length === 0) continue;
    for (const r of rounds) {
      // Rotate the order from round to round so no contender always runs first.
      const shift = (((r + 1) % active.length) + active.length) % active.length;
      const order = [...active.slice(shift), ...active.slice(0, shift)];
      for (const id of order) {
        const cell = cellOf.get(`${w}/${id}`)!;
        if (cell.status === "skipped") continue;
        const cmd = commands.get(`${w}/${id}`)!;
        if ("skip" in cmd) continue;
        const label = r < 0 ? "warm-up" : `run ${r + 1}/${opts.runs}`;
        const out = await runChild(cmd.cmd, [...cmd.args, ...childArgs], timeoutMs);
        if (out.skip !== undefined) {
          cell.status = "skipped";
          cell.reason = out.skip;
          log(`skipping ${id} for ${w}: ${out.skip}`);
          continue;
        }
        if (out.error !== undefined) {
          cell.errors.push(`${label}: ${out.error}`);
          log(`[${w}] ${label} ${id}: ERROR ${out.error}`);
          continue;
        }
        const check = out.check ?? null;
        if (check !== cell.expectedCheck) {
          cell.errors.push(`${label}: check ${check} != expected ${cell.expectedCheck}`);
          log(`[${w}] ${label} ${id}: BAD CHECK ${check}, expected ${cell.expectedCheck}`);
        }
        log(`[${w}] ${label} ${id}: ${formatValue(out.value!, cell.unit)}`);
        if (r >= 0) cell.samples.push({ run: r, value: out.value!, check });
      }
    }
  }

  // Medians and same-run ratios to the baseline.
  for (const cell of cells) {
    if (cell.status === "skipped") continue;
    cell.median = median(cell.samples.map((s) => s.value));
    const base = baseline ? cellOf.get(`${cell.workload}/${baseline}`) : undefined;
    if (base) {
      for (const s of cell.samples) {
        const b = base.samples.find((x) => x.run === s.run);
        if (!b || !(b.value > 0) || !(s.value > 0)) continue;
        cell.ratios.push(cell.higherIsBetter ? s.value / b.value : b.value / s.value);
      }
      cell.medianRatio = median(cell.ratios);
    }
    if (cell.samples.length === 0) cell.status = "error";
    else if (cell.errors.length > 0) cell.status = "partial";
  }

  const py = contenders.find((c) => c.id === "cpython" && c.available)?.version ?? null;
  const uv = contenders.find((c) => c.id === "uvloop" && c.available)?.version ?? null;
  return {
    meta: {
      date: new Date().toISOString(),
      scale: opts.scale,
      runs: opts.runs,
      warmup: opts.warmup,
      warmupPasses: opts.warmupPasses ?? warmupPasses(),
      baseline,
      host: {
        cpu: os.cpus()[0]?.model ?? "unknown",
        cores: os.cpus().length,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        platform: `${os.type()} ${os.release()} ${os.arch()}`,
      },
      node: process.version,
      python: py ? py.replace(/^Python /, "") : null,
      uvloop: uv ? uv.replace(/^uvloop (\S+).*$/, "$1") : null,
      commit: gitCommit(),
      durationSec: Math.round((Date.now() - started) / 100) / 10,
    },
    contenders,
    workloads: workloads.map((w) => {
      const s = workloadSpec(w);
      return {
        name: w,
        unit: s.unit,
        higherIsBetter: s.higherIsBetter,
        description: s.description,
      };
    }),
    cells,
  };
}

/** Human formatting of a metric value. */
export function formatValue(v: number, unit: string): string {
  if (unit === "s") {
    if (v < 1e-3) return `${(v * 1e6).toPrecision(3)} µs`;
    if (v < 1) return `${(v * 1e3).toPrecision(3)} ms`;
    return `${v.toPrecision(3)} s`;
  }
  if (unit === "bytes/task") return `${Math.round(v)} B/task`;
  const short = unit.replace(/^round trips/, "rt").replace(/^requests/, "req");
  const abs = Math.abs(v);
  if (abs >= 1e6) return `${(v / 1e6).toPrecision(3)}M ${short}`;
  if (abs >= 1e3) return `${(v / 1e3).toPrecision(3)}k ${short}`;
  return `${v.toPrecision(3)} ${short}`;
}

export function formatRatio(r: number | null): string {
  if (r === null) return "";
  if (r >= 100) return `${r.toFixed(0)}x`;
  if (r >= 10) return `${r.toFixed(1)}x`;
  if (r >= 0.1) return `${r.toFixed(2)}x`;
  return `${r.toPrecision(2)}x`;
}
