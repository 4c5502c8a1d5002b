/**
 * `gather()` and `shield()` (Python's `asyncio.gather` and `asyncio.shield`, from
 * `asyncio/tasks.py`).
 */
import { _currentContext } from "./contextvars.ts";
import type { Coroutine } from "./coroutines.ts";
import { type AbstractEventLoop, getEventLoop } from "./events.ts";
import { pyTypeName } from "./format.ts";
import { Future, makeCancelledError, NO_EXC } from "./futures.ts";
import { ensureFuture, type FutureLike, type Task, type TaskBody } from "./tasks.ts";

/**
 * What awaiting `A` gives: `T` for a `Future<T>`/`Task<T>`, a coroutine returning `T`, a
 * `PromiseLike<T>`, a future-like, or a function returning one of those.
 */
export type AwaitedResult<A> =
  A extends Future<infer T>
    ? T
    : A extends Generator<unknown, infer T, unknown>
      ? T
      : A extends PromiseLike<infer T>
        ? Awaited<T>
        : A extends FutureLike<infer T>
          ? T
          : A extends () => infer R
            ? AwaitedResult<R>
            : never;

/** Anything `gather`, `shield`, `waitFor` and `asCompleted` accept as one awaitable. */
export type AwaitableArg<T = unknown> =
  | Future<T>
  | Coroutine<T>
  | PromiseLike<T>
  | FutureLike<T>
  | (() => Coroutine<T>)
  | (() => PromiseLike<T>);

/** The results of `gather(aws)`: a tuple when `aws` is a tuple, in argument order. */
export type GatherResults<A extends readonly unknown[]> = {
  -readonly [K in keyof A]: AwaitedResult<A[K]>;
};

/** The results of `gather(aws, { returnExceptions: true })`: an error may stand for a result. */
export type GatherResultsOrErrors<A extends readonly unknown[]> = {
  -readonly [K in keyof A]: AwaitedResult<A[K]> | Error;
};

type LoopWithTasks = AbstractEventLoop & {
  createTask<T>(coro: TaskBody<T>): Task<T>;
};

/**
 * @internal `ensure_future`, which also takes a function (run as a new Task on the loop, the way
 * `createTask` takes one).
 */
export function toFuture<T>(aw: unknown, loop?: AbstractEventLoop): Future<T> {
  if (typeof aw === "function") {
    return ((loop ?? getEventLoop()) as LoopWithTasks).createTask(aw as TaskBody<T>);
  }
  return ensureFuture(aw as Future<T>, loop === undefined ? undefined : { loop });
}

/**
 * The Future `gather()` returns (Python's `_GatheringFuture`): cancelling it cancels the
 * children instead of marking itself cancelled at once.
 */
export class _GatheringFuture<T = unknown> extends Future<T> {
  /** @internal */ _children: Future<unknown>[];
  /** @internal */ _cancelRequested = false;

  constructor(children: Future<unknown>[], options: { loop: AbstractEventLoop }) {
    super({ loop: options.loop });
    this._children = children;
  }

  /**
   * Cancels every child that is not done; true if any child accepted. The gather then ends
   * with a `CancelledError` *exception* (`cancelled()` stays false), even with
   * `returnExceptions` (CPython issue 32684). False once the gather is done.
   */
  override cancel(msg?: unknown): boolean {
    if (this.done()) return false;
    let ret = false;
    for (const child of this._children) {
      if (child.cancel(msg)) ret = true;
    }
    if (ret) this._cancelRequested = true;
    return ret;
  }
}

/** JavaScript values Python would reject as unhashable (dict, list, set). */
function unhashableName(arg: unknown): string | null {
  if (typeof arg !== "object" || arg === null) return null;
  if (Array.isArray(arg)) return "list";
  if (arg instanceof Set) return "set";
  if (arg instanceof Map) return "dict";
  const proto = Object.getPrototypeOf(arg);
  if (
    (proto === Object.prototype || proto === null) &&
    typeof (arg as { then?: unknown }).then !== "function" &&
    typeof (arg as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
  ) {
    return pyTypeName(arg);
  }
  return null;
}

/**
 * Runs the awaitables `aws` concurrently and returns a Future of their results, in argument
 * order (Python's `asyncio.gather(*aws, return_exceptions=...)`). Typed like `Promise.all`:
 * `gather([a, b])` is a `Future<[A, B]>`.
 *
 * Coroutines (and functions, which are called inside a new task) are wrapped in Tasks; the same
 * object given twice is awaited once. All futures must belong to one loop (`ValueError`).
 *
 * - Without `returnExceptions`, the first child error (in completion order) is set on the
 *   returned Future at once; the other children keep running, and their later errors are
 *   marked retrieved. A cancelled child counts as an error: the gather ends with that
 *   `CancelledError` as its exception, without being `cancelled()`.
 * - With `returnExceptions: true`, errors (a cancelled child: `CancelledError(msg)`) are placed
 *   in the results.
 * - Cancelling the returned Future cancels all children that are not done (see
 *   {@link _GatheringFuture.cancel}); cancelling a task that awaits it does the same.
 *
 * No awaitables: an already-done Future of `[]` (on `getEventLoop()`'s loop).
 */
export function gather<const A extends readonly AwaitableArg[]>(
  aws: A,
  options: { returnExceptions: true },
): Future<GatherResultsOrErrors<A>>;
export function gather<const A extends readonly AwaitableArg[]>(
  aws: A,
  options?: { returnExceptions?: false | undefined },
): Future<GatherResults<A>>;
export function gather<const A extends readonly AwaitableArg[]>(
  aws: A,
  options?: { returnExceptions?: boolean | undefined },
): Future<GatherResults<A> | GatherResultsOrErrors<A>>;
export function gather(
  aws: readonly unknown[],
  options: { returnExceptions?: boolean | undefined } = {},
): Future<unknown[]> {
  const returnExceptions = options.returnExceptions === true;
  if (aws.length === 0) {
    const outer = new Future<unknown[]>({ loop: getEventLoop() });
    outer.setResult([]);
    return outer;
  }

  let outer: _GatheringFuture<unknown[]> | null = null; // bpo-46672
  const children: Future<unknown>[] = [];
  let nfuts = 0;
  let nfinished = 0;

  const doneCallback = (fut: Future<unknown>): void => {
    nfinished++;
    if (outer === null || outer.done()) {
      // Mark the exception retrieved.
      if (!fut.cancelled()) fut.exception();
      return;
    }
    if (!returnExceptions) {
      if (fut.cancelled()) {
        outer._setExceptionUnchecked(fut._makeCancelledError());
        return;
      }
      if (fut._exception !== NO_EXC) {
        fut._retrieved();
        outer._setExceptionUnchecked(fut._exception);
        return;
      }
    }
    if (nfinished === nfuts) {
      const results: unknown[] = [];
      for (const child of children) {
        if (child.cancelled()) {
          const m = child._cancelMessage;
          results.push(makeCancelledError(m === undefined || m === null ? "" : m));
        } else if (child._exception !== NO_EXC) {
          child._retrieved();
          results.push(child._exception);
        } else {
          results.push(child._result);
        }
      }
      if (outer._cancelRequested) {
        // Python uses the loop variable left over from the list comprehension: the last child.
        const last = children[children.length - 1]!;
        outer._setExceptionUnchecked(last._makeCancelledError());
      } else {
        outer.setResult(results);
      }
    }
  };

  const argToFut = new Map<unknown, Future<unknown>>();
  const doneFuts: Future<unknown>[] = [];
  // One frozen snapshot of the context for every child's callback (CPython copies it per
  // callback; a snapshot behaves as a private copy, see contextvars.ts).
  const callbackOptions = { context: _currentContext()._snapshot() };
  let loop: AbstractEventLoop | undefined;
  for (const arg of aws) {
    const unhashable = unhashableName(arg);
    if (unhashable !== null) throw new TypeError(`unhashable type: '${unhashable}'`);
    let fut = argToFut.get(arg);
    if (fut === undefined) {
      fut = toFuture(arg, loop);
      if (loop === undefined) loop = fut._loop;
      nfuts++;
      argToFut.set(arg, fut);
      if (fut.done()) doneFuts.push(fut);
      else fut.addDoneCallback(doneCallback, callbackOptions);
    }
    children.push(fut);
  }

  outer = new _GatheringFuture<unknown[]>(children, { loop: loop! });
  // Children that were already done complete the gather now (possibly at once).
  for (const fut of doneFuts) doneCallback(fut);
  return outer;
}

/**
 * Protects `aw` from cancellation (Python's `asyncio.shield`): returns a new Future that
 * follows `aw`'s outcome. Cancelling that Future (or the task awaiting it) does not cancel
 * `aw`, whose later result is then dropped (an error is marked retrieved). If `aw` itself is
 * cancelled, the returned Future is cancelled. An already-done Future is returned as is; a
 * coroutine (or a function) is wrapped in a Task.
 */
export function shield<A extends AwaitableArg>(aw: A): Future<AwaitedResult<A>> {
  const inner = toFuture<AwaitedResult<A>>(aw);
  if (inner.done()) return inner;
  const outer = new Future<AwaitedResult<A>>({ loop: inner._loop });

  const innerDone = (f: Future<AwaitedResult<A>>): void => {
    if (outer.cancelled()) {
      // Mark the inner result retrieved.
      if (!f.cancelled()) f.exception();
      return;
    }
    if (f.cancelled()) {
      outer.cancel();
    } else if (f._exception !== NO_EXC) {
      f._retrieved();
      outer._setExceptionUnchecked(f._exception);
    } else {
      outer.setResult(f._result as AwaitedResult<A>);
    }
  };
  const outerDone = (): void => {
    if (!inner.done()) inner.removeDoneCallback(innerDone);
  };

  inner.addDoneCallback(innerDone);
  outer.addDoneCallback(outerDone);
  return outer;
}
