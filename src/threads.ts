/**
 * Threads from asyncio: `toThread` (Python's `asyncio.to_thread`) and `runCoroutineThreadsafe`
 * (Python's `asyncio.run_coroutine_threadsafe`).
 */
import type { Executor } from "./concurrent/_base.ts";
import { Future as ConcurrentFuture } from "./concurrent/_base.ts";
import {
  _toCallRef,
  type AnyFunction,
  type FunctionRef,
  type WorkerFunction,
} from "./concurrent/_function.ts";
import { canSend } from "./concurrent/_serialize.ts";
import { type Context, copyContext } from "./contextvars.ts";
import {
  type AwaitableCoroutine,
  awaitable,
  type Coroutine,
  isCoroutine,
  isThenable,
} from "./coroutines.ts";
import { type AbstractEventLoop, getRunningLoop } from "./events.ts";
import { isExitException } from "./exceptions.ts";
import { pyNamed } from "./format.ts";
import { type Future, isFuture } from "./futures.ts";
import { RemoteLoop, type RemoteResult } from "./remote_loop.ts";
import { _awaitOverride, ensureFuture, type Task, type TaskBody } from "./tasks.ts";
import { _chainFuture } from "./wrap_future.ts";

interface ExecutorLoop extends Omit<AbstractEventLoop, "runInExecutor"> {
  runInExecutor(executor: Executor | null, fn: unknown, ...args: unknown[]): Future<unknown>;
  createTask<T>(coro: TaskBody<T>): Task<T>;
}

/**
 * @internal The values of `ctx` that can travel to a worker thread, as `[name, value]` pairs
 * (a variable's value that cannot be sent, or a name that two variables share, is left out).
 */
export function _contextEntries(ctx: Context): [string, unknown][] {
  const seen = new Map<string, number>();
  const out: [string, unknown][] = [];
  for (const [variable, value] of ctx.entries()) {
    const name = variable.name;
    seen.set(name, (seen.get(name) ?? 0) + 1);
    if (canSend(value, false)) out.push([name, value]);
  }
  return out.filter(([name]) => seen.get(name) === 1);
}

/** @internal `fn` bound to the values of `ctx` (Python's `functools.partial(ctx.run, fn)`). */
export function _inContext(fn: unknown, ctx: Context): FunctionRef {
  // Not callable: the call fails in the worker, as Python's ctx.run(5) does there.
  const ref = _toCallRef(fn);
  ref.context = _contextEntries(ctx);
  return ref;
}

function* toThreadGen(fn: unknown, ...args: unknown[]): Coroutine<unknown> {
  const loop = getRunningLoop() as ExecutorLoop;
  const ctx = copyContext();
  // a loop subclass's runInExecutor() may be `async`
  return yield* _awaitOverride(loop.runInExecutor(null, _inContext(fn, ctx), ...args));
}

/**
 * Runs `fn(...args)` in the loop's default thread pool and returns its result (Python's
 * `asyncio.to_thread`; a library coroutine: `await` it or `yield*` it). `fn` is a function with
 * self-contained source text (rebuilt from it in the worker) or a registered one (see
 * `workerFunctions`).
 *
 * The current context variables are carried over, as far as threads allow: the worker thread
 * has its own module instances, so each value is set on the variable of the same name there
 * (created when the function's module is imported), for the duration of the call. Values that
 * cannot be structured-cloned, and names that two variables share, are left out; what the
 * function sets is not carried back. (For an `async` function, only the part before its first
 * `await` sees them.) Cancelling the task cancels the call if it has not started.
 */
export const toThread = awaitable(toThreadGen, "to_thread") as <F extends AnyFunction>(
  fn: F | WorkerFunction<F>,
  ...args: Parameters<F>
) => AwaitableCoroutine<Awaited<ReturnType<F>>>;

/**
 * Submits a coroutine to the event loop `loop` from any code of its thread (Python's
 * `asyncio.run_coroutine_threadsafe`): it runs as a task there, scheduled with
 * `callSoonThreadsafe`, and the returned concurrent Future follows it (cancelling the future
 * cancels the task). `coro` is a coroutine or a function returning a coroutine or a promise;
 * anything else is `TypeError('A coroutine object is required')`.
 *
 * A loop of another thread is reached through a `RemoteLoop` (from `loop.threadsafePort()`):
 * a coroutine object cannot be sent there, so call `remote.runCoroutineThreadsafe(fn, ...args)`.
 */
export function runCoroutineThreadsafe<T>(
  coro: Coroutine<T> | (() => Coroutine<T> | PromiseLike<T>),
  loop: AbstractEventLoop,
): ConcurrentFuture<T> {
  if ((loop as unknown) instanceof RemoteLoop) {
    throw new TypeError(
      "a coroutine object cannot be sent to another thread: use remoteLoop.runCoroutineThreadsafe(workerFunction, ...args)",
    );
  }
  if (!isCoroutine(coro) && typeof coro !== "function") {
    if (isThenable(coro) && !isFuture(coro)) {
      throw new TypeError(
        "A coroutine object is required: a promise has already started; pass a function that returns it instead",
      );
    }
    throw new TypeError("A coroutine object is required");
  }
  const future = new ConcurrentFuture<T>();
  const callback = pyNamed("run_coroutine_threadsafe.<locals>.callback", () => {
    try {
      const task = isCoroutine(coro)
        ? ensureFuture(coro, { loop })
        : (loop as ExecutorLoop).createTask(coro as TaskBody<T>);
      _chainFuture(task as Future<unknown>, future as ConcurrentFuture<unknown>);
    } catch (exc) {
      if (isExitException(exc)) throw exc;
      if (future.setRunningOrNotifyCancel()) future.setException(exc);
      throw exc;
    }
  });
  loop.callSoonThreadsafe(callback);
  return future;
}

export type { RemoteResult };
