/**
 * `ThreadPoolExecutor`: runs calls in a pool of `worker_threads` Workers (Python's
 * `concurrent.futures.ThreadPoolExecutor`).
 *
 * Unlike CPython's threads, Node's Workers share no heap with the caller: each has its own
 * module instances, and the function and its arguments travel by message (see `workerFunction`
 * and `_serialize.ts`). In exchange a CPU-bound call really runs in parallel and never stalls the
 * event loop. Each worker imports the worker function's module once.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { BrokenExecutor } from "./_base.ts";
import { _registerErrorClass } from "./_serialize.ts";
import { type PoolOptions, PoolExecutor, type Slot, WORKER_RUNTIME, type WorkerEvents, type WorkerHandle } from "./_pool.ts";

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

  constructor(options: ThreadPoolOptions = {}) {
    const maxWorkers = options.maxWorkers ?? Math.min(32, availableParallelism() + 4);
    super(maxWorkers, options, false);
    const prefix = options.threadNamePrefix;
    this._prefix = prefix !== undefined && prefix !== "" ? prefix : `ThreadPoolExecutor-${poolCounter++}`;
    this._resourceLimits = options.resourceLimits;
  }

  protected _workerName(index: number): string {
    return `${this._prefix}_${index}`;
  }

  protected _startWorker(slot: Slot, events: WorkerEvents): WorkerHandle {
    const worker = new Worker(WORKER_RUNTIME, {
      name: slot.name,
      ...(this._resourceLimits !== undefined ? { resourceLimits: this._resourceLimits } : {}),
    });
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
    this._breakPool(message, new BrokenThreadPool(message), slot, false);
  }

  protected _workerDied(slot: Slot, cause: unknown): void {
    const err = new BrokenThreadPool(
      "A thread in the thread pool was terminated abruptly while the future was running or pending.",
    );
    (err as { cause?: unknown }).cause = cause;
    this._breakPool("A worker thread terminated abruptly, the thread pool is not usable anymore", err, slot, false);
  }
}
