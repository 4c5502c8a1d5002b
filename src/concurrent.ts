/**
 * `asyncio-ts/concurrent`: Python's `concurrent.futures` on Node.js — the concurrent `Future`,
 * `ThreadPoolExecutor` (worker threads), `ProcessPoolExecutor` (child processes), `wait`,
 * `asCompleted`, and the worker functions that say what a worker may run.
 *
 * ```ts
 * import { ThreadPoolExecutor, workerFunctions } from "asyncio-ts/concurrent";
 * export function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
 * workerFunctions(import.meta.url, { fib });
 * await using pool = new ThreadPoolExecutor({ maxWorkers: 4 });
 * console.log(await pool.submit(fib, 30).result()); // result() waits when not done yet
 * ```
 */
export type {
  DoneAndNotDoneFutures,
  DoneFuture,
  FutureCallback,
  IterablesOf,
  MapOptions,
  ReturnWhen,
  ShutdownOptions,
} from "./concurrent/_base.ts";
export {
  ALL_COMPLETED,
  asCompleted,
  BrokenExecutor,
  CancelledError,
  Executor,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Future,
  InvalidStateError,
  isConcurrentFuture,
  LOGGER,
  TimeoutError,
  wait,
} from "./concurrent/_base.ts";
export type { AnyFunction, WorkerFunction } from "./concurrent/_function.ts";
export {
  isMainModule,
  isWorkerFunction,
  workerFunction,
  workerFunctions,
} from "./concurrent/_function.ts";
export type { PoolOptions } from "./concurrent/_pool.ts";
export { PoolExecutor } from "./concurrent/_pool.ts";
export { registerErrorClass } from "./concurrent/_serialize.ts";
export type { ProcessPoolOptions } from "./concurrent/process.ts";
export { BrokenProcessPool, ProcessPoolExecutor } from "./concurrent/process.ts";
export type { ThreadPoolOptions } from "./concurrent/thread.ts";
export { BrokenThreadPool, ThreadPoolExecutor } from "./concurrent/thread.ts";
/**
 * Python's `threading.current_thread().name`: `"MainThread"` in a process's main thread (a
 * process pool's workers too), a thread pool worker's name (`ThreadPoolExecutor-0_0`, or
 * `threadNamePrefix_0`), else `Thread-N` (N: Node's `threadId`).
 */
export { currentThreadName } from "./events.ts";
