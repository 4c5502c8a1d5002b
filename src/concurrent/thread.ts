/**
 * `ThreadPoolExecutor`: runs calls in a pool of `worker_threads` Workers (Python's
 * `concurrent.futures.ThreadPoolExecutor`).
 *
 * Unlike CPython's threads, Node's Workers share no heap with the caller: each has its own
 * module instances, and the function and its arguments travel by message (see `workerFunction`
 * and `_serialize.ts`). In exchange a CPU-bound call really runs in parallel and never stalls the
 * event loop. Each worker imports the worker function's module once.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as workerThreads from "node:worker_threads";
import { Worker } from "node:worker_threads";
import { BrokenExecutor } from "./_base.ts";
import {
  _poolOptions,
  _workerRuntime,
  PoolExecutor,
  type PoolOptions,
  type Slot,
  type WorkerEvents,
  type WorkerHandle,
} from "./_pool.ts";
import { _registerErrorClass } from "./_serialize.ts";

/**
 * A worker thread of a `ThreadPoolExecutor` failed: its initializer threw, or it died (Python's
 * `BrokenThreadPool`, a `BrokenExecutor`).
 */
export class BrokenThreadPool extends BrokenExecutor {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = "BrokenThreadPool";
  }
}
_registerErrorClass(BrokenThreadPool, "BrokenThreadPool");

export interface ThreadPoolOptions extends PoolOptions {
  /** Prefix of the worker threads' names (default `ThreadPoolExecutor-N`): `prefix_0`, `prefix_1`, ... */
  threadNamePrefix?: string;
  /** Passed to each `Worker` (heap limits). */
  resourceLimits?: import("node:worker_threads").ResourceLimits;
}

let poolCounter = 0;

/**
 * A TypeScript program run through tsx (`node --import tsx`) needs its worker threads to load
 * TypeScript too (the runtime, when run from source, and the worker functions' modules). Node
 * runs `--import` in a Worker, but before Node 22 tsx does not register itself there, so such a
 * worker starts with this bootstrap, which registers tsx through its API and then loads the
 * runtime. Plain JavaScript programs start the runtime directly, but for one given on stdin or
 * with `--eval` and `--input-type` (see _startWorker).
 */
const TSX_BOOT = `
import("node:worker_threads").then(async ({ workerData }) => {
  let registered = false;
  for (const spec of workerData.tsx) {
    try {
      const m = await import(spec);
      if (typeof m.register === "function") {
        m.register();
        registered = true;
        break;
      }
    } catch {}
  }
  // From the built package the runtime is JavaScript: plain functions still run without tsx
  if (!registered && !workerData.runtime.endsWith(".js")) throw new Error("asyncio-ts: cannot load tsx in a worker thread (tried " + workerData.tsx.join(", ") + ")");
  await import(workerData.runtime);
}).catch((e) => setImmediate(() => { throw e; }));
`;

let tsxCache: string[] | null | undefined;

function inputType(): boolean {
  return process.execArgv.some((a) => a === "--input-type" || a.startsWith("--input-type="));
}

/** Where to find tsx's API in a worker when it must be registered there, else null. */
function tsxApis(): string[] | null {
  if (tsxCache !== undefined) return tsxCache;
  const usesTsx = process.execArgv.some((a) => /(^|[\\/])tsx([\\/@]|$)/.test(a));
  if (!usesTsx || "isInternalThread" in workerThreads) {
    tsxCache = null;
    return null;
  }
  const specs = ["tsx/esm/api"];
  try {
    specs.push(import.meta.resolve("tsx/esm/api"));
  } catch {
    // only the resolution from the working directory, as for `--import tsx`
  }
  // tsx given by path (a global install, npx, tsx's CLI): `--import /path/to/tsx/.../loader.mjs`,
  // whose package has the API (importing the loader in a worker registers nothing)
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i]!;
    const value = a === "--import" ? process.execArgv[i + 1] : /^--import=(.*)$/.exec(a)?.[1];
    if (value === undefined || !/(^|[\\/])tsx[\\/]/.test(value)) continue;
    // Node resolves a relative `--import` path from the working directory.
    const file = value.startsWith("file:")
      ? fileURLToPath(value)
      : isAbsolute(value) || /^\.\.?[\\/]/.test(value)
        ? resolve(value)
        : null;
    const api = file === null ? null : tsxApiBeside(file);
    if (api !== null) specs.push(api);
  }
  tsxCache = specs;
  return specs;
}

/** An `exports` entry's path for an `import` in Node: its first key among these conditions. */
function exportTarget(entry: unknown): string | null {
  if (typeof entry === "string") return entry;
  if (typeof entry !== "object" || entry === null) return null;
  for (const [key, value] of Object.entries(entry)) {
    if (key !== "import" && key !== "node" && key !== "default") continue;
    const target = exportTarget(value);
    if (target !== null) return target;
  }
  return null;
}

/** The URL of the tsx API (`exports["./esm/api"]`) of the tsx package holding `file`, or null. */
function tsxApiBeside(file: string): string | null {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: unknown;
        exports?: Record<string, unknown>;
      };
      if (pkg.name === "tsx") {
        const target = exportTarget(pkg.exports?.["./esm/api"]);
        return target === null ? null : pathToFileURL(join(dir, target)).href;
      }
    } catch {
      // no (readable) package.json here: look further up
    }
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Runs calls in up to `maxWorkers` worker threads (default: `min(32, CPUs + 4)`), started as
 * needed. `initializer(...initargs)` (a worker function) runs first in each thread; if it throws,
 * the pool is broken (`BrokenThreadPool`).
 *
 * A worker thread that dies (an uncaught error or `process.exit()` in it, a crash) breaks the
 * pool: its call and the queued calls fail with `BrokenThreadPool`, the calls running in other
 * threads finish normally, and `submit` throws `BrokenThreadPool` from then on.
 */
export class ThreadPoolExecutor extends PoolExecutor {
  protected readonly _crossProcess = false;
  private readonly _prefix: string;
  private readonly _resourceLimits: ThreadPoolOptions["resourceLimits"];

  /**
   * `new ThreadPoolExecutor({ maxWorkers, ... })`, or `new ThreadPoolExecutor(4)`: a number (or null) is
   * `maxWorkers`, as Python's positional `max_workers`.
   */
  constructor(first: ThreadPoolOptions | number | null = {}) {
    const options = _poolOptions<ThreadPoolOptions>(first);
    const maxWorkers = options.maxWorkers ?? Math.min(32, availableParallelism() + 4);
    super(maxWorkers, options, false);
    const prefix = options.threadNamePrefix;
    this._prefix =
      prefix !== undefined && prefix !== "" ? prefix : `ThreadPoolExecutor-${poolCounter++}`;
    this._resourceLimits = options.resourceLimits;
  }

  protected _workerName(index: number): string {
    return `${this._prefix}_${index}`;
  }

  protected _startWorker(slot: Slot, events: WorkerEvents): WorkerHandle {
    const options = {
      name: slot.name,
      // Descriptors are the process's, as a Python thread's are: one a worker opens stays open
      // when the worker exits, and another thread may close it (Node's default closes them
      // with the worker, and warns when another thread closes one).
      trackUnmanagedFds: false,
      ...(this._resourceLimits !== undefined ? { resourceLimits: this._resourceLimits } : {}),
    };
    const tsx = tsxApis();
    let worker: Worker;
    try {
      const runtime = _workerRuntime();
      // A program given on stdin or with --eval and --input-type: Node refuses a worker's file
      // in that mode, not the bootstrap (given as code, it imports in either module type).
      worker =
        tsx === null && !inputType()
          ? new Worker(runtime, options)
          : new Worker(TSX_BOOT, {
              ...options,
              eval: true,
              workerData: { tsx: tsx ?? [], runtime: runtime.href },
            });
    } catch (e) {
      queueMicrotask(() => {
        events.error(e);
        events.exit(null, null);
      });
      return { post() {}, ref() {}, unref() {}, terminate() {} };
    }
    worker.on("message", events.message);
    worker.on("error", events.error);
    worker.on("exit", (code) => events.exit(code, null));
    return {
      post: (msg, transfer) => worker.postMessage(msg, transfer as readonly never[]),
      ref: () => worker.ref(),
      unref: () => worker.unref(),
      terminate: () => void worker.terminate(),
    };
  }

  protected _brokenError(message: string): BrokenThreadPool {
    return new BrokenThreadPool(message);
  }

  protected _initializerFailed(slot: Slot, _error: unknown): void {
    const message = "A thread initializer failed, the thread pool is not usable anymore";
    // A new error for each future, as CPython's _initializer_failed makes.
    this._breakPool(message, () => new BrokenThreadPool(message), undefined, slot, false);
  }

  protected _workerDied(slot: Slot, cause: unknown): void {
    const futureError = () => {
      const err = new BrokenThreadPool(
        "A thread in the thread pool was terminated abruptly while the future was running or pending.",
      );
      (err as { cause?: unknown }).cause = cause;
      return err;
    };
    this._breakPool(
      "A worker thread terminated abruptly, the thread pool is not usable anymore",
      futureError,
      cause,
      slot,
      false,
    );
  }
}
