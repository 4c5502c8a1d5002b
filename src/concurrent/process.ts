/**
 * `ProcessPoolExecutor`: runs calls in a pool of child processes (Python's
 * `concurrent.futures.ProcessPoolExecutor`).
 *
 * The workers are Node processes started with `child_process.fork` (like Python's "spawn" start
 * method: a fresh interpreter that imports the worker function's module), talking over the IPC
 * channel with V8 serialization. They run with the parent's `execArgv`, so a TypeScript program
 * run through a loader (`--import tsx`) has its workers run through it too.
 */
import { type ChildProcess, fork } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { ValueError } from "../exceptions.ts";
import { BrokenExecutor } from "./_base.ts";
import {
  _poolOptions,
  _workerExecArgv,
  _workerRuntime,
  PoolExecutor,
  type PoolOptions,
  type Slot,
  type WorkerEvents,
  type WorkerHandle,
} from "./_pool.ts";
import { _registerErrorClass } from "./_serialize.ts";
import type { FromWorker } from "./_worker.ts";

/**
 * A worker process of a `ProcessPoolExecutor` terminated abruptly (Python's `BrokenProcessPool`,
 * a `BrokenExecutor`).
 */
export class BrokenProcessPool extends BrokenExecutor {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = "BrokenProcessPool";
  }
}
_registerErrorClass(BrokenProcessPool, "BrokenProcessPool");

export interface ProcessPoolOptions extends PoolOptions {
  /** A worker process is replaced by a fresh one after this many calls (default: never). */
  maxTasksPerChild?: number | null;
  /** Node options for the workers (default: the parent's `process.execArgv`). */
  execArgv?: string[];
}

/**
 * Runs calls in up to `maxWorkers` child processes (default: the number of CPUs), started as
 * needed. `initializer(...initargs)` (a worker function) runs first in each process.
 *
 * A worker process that dies (killed, `process.exit()`, an uncaught error, its initializer
 * failing) breaks the pool as in CPython: every pending future, running or queued, fails with
 * `BrokenProcessPool('A process in the process pool was terminated abruptly while the future
 * was running or pending.')`, the other workers are terminated, and `submit` throws
 * `BrokenProcessPool('A child process terminated abruptly, the process pool is not usable
 * anymore')` from then on.
 */
export class ProcessPoolExecutor extends PoolExecutor {
  protected readonly _crossProcess = true;
  private readonly _maxTasksPerChild: number | null;
  private readonly _execArgv: string[];
  private static _counter = 0;
  private readonly _poolId = ProcessPoolExecutor._counter++;

  /**
   * `new ProcessPoolExecutor({ maxWorkers, ... })`, or `new ProcessPoolExecutor(4)`: a number (or null) is
   * `maxWorkers`, as Python's positional `max_workers`.
   */
  constructor(first: ProcessPoolOptions | number | null = {}) {
    const options = _poolOptions<ProcessPoolOptions>(first);
    const maxWorkers = options.maxWorkers ?? availableParallelism();
    super(maxWorkers, options, true);
    let max: unknown = options.maxTasksPerChild ?? null;
    // A bool is an int in Python: True is 1, False is 0 (too few).
    if (typeof max === "boolean" || typeof max === "bigint") max = Number(max);
    if (max !== null) {
      if (typeof max !== "number" || !Number.isInteger(max)) {
        throw new TypeError("max_tasks_per_child must be an integer");
      }
      if (max <= 0) throw new ValueError("max_tasks_per_child must be >= 1");
    }
    this._maxTasksPerChild = max as number | null;
    this._execArgv = options.execArgv ?? _workerExecArgv();
  }

  protected _workerName(index: number): string {
    return `ProcessPoolExecutor-${this._poolId}_${index}`;
  }

  protected _startWorker(_slot: Slot, events: WorkerEvents): WorkerHandle {
    let child: ChildProcess;
    try {
      child = fork(fileURLToPath(_workerRuntime()), [], {
        serialization: "advanced",
        stdio: ["inherit", "inherit", "inherit", "ipc"],
        execArgv: this._execArgv,
      });
    } catch (e) {
      queueMicrotask(() => {
        events.error(e);
        events.exit(null, null);
      });
      return { post() {}, ref() {}, unref() {}, terminate() {} };
    }
    child.on("message", (m) => events.message(m as FromWorker));
    child.on("error", events.error);
    child.on("exit", (code, signal) => events.exit(code, signal));
    return {
      post: (msg) => {
        if (child.connected) child.send(msg, (err) => void err);
      },
      ref: () => {
        child.ref();
        child.channel?.ref();
      },
      unref: () => {
        child.unref();
        child.channel?.unref();
      },
      terminate: () => void child.kill("SIGTERM"),
    };
  }

  protected override _shouldRetire(slot: Slot): boolean {
    return this._maxTasksPerChild !== null && slot.tasks >= this._maxTasksPerChild;
  }

  protected _brokenError(message: string): BrokenProcessPool {
    return new BrokenProcessPool(message);
  }

  protected _initializerFailed(slot: Slot, error: unknown): void {
    // CPython's worker process just exits; the pool sees it die.
    this._workerDied(slot, error);
  }

  protected _workerDied(slot: Slot, cause: unknown): void {
    if (this._broken !== null) return;
    const err = new BrokenProcessPool(
      "A process in the process pool was terminated abruptly while the future was running or pending.",
    );
    (err as { cause?: unknown }).cause = cause;
    this._breakPool(
      "A child process terminated abruptly, the process pool is not usable anymore",
      () => err,
      cause,
      slot,
      true,
    );
  }
}
