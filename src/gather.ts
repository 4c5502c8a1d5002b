/**
 * `gather()` and `shield()` (Python's `asyncio.gather` and `asyncio.shield`, from
 * `asyncio/tasks.py`).
 */
import { _currentContext, type Context } from "./contextvars.ts";
import type { Coroutine } from "./coroutines.ts";
import { type AbstractEventLoop, getEventLoop } from "./events.ts";
import { pyNamed, pyTruthy, pyTypeName } from "./format.ts";
import {
  _failWith,
  _futureException,
  _futureResult,
  _newFuture,
  type CallbackObject,
  Future,
  futureLoop,
  IN_GATHER,
  makeCancelledError,
  NO_EXC,
} from "./futures.ts";
import { _ensureFuture, type FutureLike, Task, type TaskBody } from "./tasks.ts";

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
  return _ensureFuture(aw, loop);
}

/**
 * The Future `gather()` returns (Python's `_GatheringFuture`): cancelling it cancels the
 * children instead of marking itself cancelled at once. It also keeps the gather's count of
 * finished children and is the children's done callback (a method, not a closure per call).
 */
export class _GatheringFuture<T = unknown> extends Future<T> implements CallbackObject {
  /** @internal */ _children: Future<unknown>[];
  /** @internal */ _cancelRequested = false;
  /** @internal how many distinct children there are, and how many have finished */
  _nfuts = 0;
  /** @internal */ _nfinished = 0;
  /** @internal */ _returnExceptions: boolean;
  /**
   * @internal False while gather() is setting up, and for good if it failed part-way: the
   * children already registered then act as CPython's callbacks do with `outer` still None.
   */
  _armed = false;

  constructor(
    children: Future<unknown>[],
    options: { loop: AbstractEventLoop },
    returnExceptions = false,
  ) {
    super({ loop: options.loop });
    this._children = children;
    this._returnExceptions = returnExceptions;
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

  /** @internal As CPython's reprs name the callback gather adds to each child. */
  get _callbackName(): string {
    return "gather.<locals>._done_callback";
  }

  /** @internal A child is done (CPython's `_done_callback`). */
  _futureDone(fut: Future<unknown>): void {
    this._nfinished++;
    if (!this._armed || this.done()) {
      // Mark the exception retrieved.
      if (!fut.cancelled()) fut.exception();
      return;
    }
    if (!this._returnExceptions) {
      if (fut.cancelled()) {
        this._setExceptionUnchecked(cancelledErrorOf(fut));
        return;
      }
      const exc = exceptionOf(fut);
      if (exc !== NO_EXC) {
        this._setExceptionUnchecked(exc);
        return;
      }
    }
    if (this._nfinished === this._nfuts) this._finish();
  }

  private _finish(): void {
    const children = this._children;
    const results: unknown[] = presized(children.length);
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      if (child.cancelled()) {
        const m = child._cancelMessage;
        results[i] = makeCancelledError(m === undefined || m === null ? "" : m);
      } else {
        const exc = exceptionOf(child);
        results[i] = exc !== NO_EXC ? exc : resultOf(child);
      }
    }
    if (this._cancelRequested) {
      // Python uses the loop variable left over from the list comprehension: the last child.
      const last = children[children.length - 1]!;
      this._setExceptionUnchecked(cancelledErrorOf(last));
    } else {
      this.setResult(results as T);
    }
  }
}

/*
 * A done child's outcome. Library futures are read directly; a foreign future (anything
 * `isFuture()` accepts) or a subclass that overrides them through its public `exception()` and
 * `result()`, as CPython's gather and shield read every child.
 */

/** The exception a done, not cancelled `fut` holds (marked retrieved), or NO_EXC. */
function exceptionOf(fut: Future<unknown>): unknown {
  if (!(fut instanceof Future) || fut.exception !== _futureException) {
    const exc = (fut as Future<unknown>).exception();
    return exc === null || exc === undefined ? NO_EXC : exc;
  }
  if (fut._exception === NO_EXC) return NO_EXC;
  fut._retrieved();
  return fut._exception;
}

function resultOf<T>(fut: Future<T>): T {
  return fut instanceof Future && fut.result === _futureResult
    ? (fut._result as T)
    : (fut as Future<T>).result();
}

/** The CancelledError a cancelled `fut` raises. */
function cancelledErrorOf(fut: Future<unknown>): unknown {
  if (fut instanceof Future) return fut._makeCancelledError();
  try {
    (fut as Future<unknown>).result();
  } catch (e) {
    return e;
  }
  return makeCancelledError(undefined);
}

/**
 * An array to fill in index order, allocated at its final length: growing from empty would
 * reserve 17 slots for 6 children, and copy a long one about ten times (100,000 entries filled
 * by index: 1.3 ms presized, 4-40 ms grown, on this VM). V8 keeps `new Array(n)` a fast
 * (holey) array up to 2^25 entries; beyond that it would be a dictionary.
 */
function presized<T>(n: number): T[] {
  return n <= 2 ** 25 ? new Array<T>(n) : [];
}

/** Longer argument lists find repeated arguments by marking or with a Map (see gather). */
const SCAN_LIMIT = 16;

/** How many gather() calls are marking their Future arguments (see gather). */
let gatherDepth = 0;

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
  options?: { returnExceptions?: boolean | undefined },
): Future<unknown[]> {
  const returnExceptions = pyTruthy(options?.returnExceptions);
  const args: readonly unknown[] = Array.isArray(aws) ? aws : Array.from(iterableArg(aws));
  if (args.length === 0) {
    const outer = _newFuture<unknown[]>(getEventLoop());
    outer.setResult([]);
    return outer;
  }

  const children: Future<unknown>[] = presized(args.length);
  // Made with the first child (whose loop it takes); see _GatheringFuture._armed (bpo-46672).
  let outer: _GatheringFuture<unknown[]> | null = null;

  // The same object given twice is awaited once (Python keys a dict by the argument). A short
  // list finds an earlier occurrence by scanning; in a long one a Future is marked with a flag
  // bit while the call runs, and only other arguments go in a Map (filling a Map costs 250 ns
  // an entry here, most of a 100,000-task gather's set-up). A gather started by user code that
  // runs inside this loop (an eager task's first step) uses the Map for everything.
  const n = args.length;
  const scan = n <= SCAN_LIMIT;
  const mark = !scan && gatherDepth === 0;
  let argToFut: Map<unknown, Future<unknown>> | null = null;
  let doneFuts: Future<unknown>[] | null = null;
  // One frozen snapshot of the context for every child's callback (CPython copies it per
  // callback; a snapshot behaves as a private copy, see contextvars.ts).
  const context = _currentContext()._snapshot();
  let loop: AbstractEventLoop | undefined;
  if (mark) gatherDepth++;
  try {
    for (let i = 0; i < n; i++) {
      const arg = args[i];
      const unhashable = unhashableName(arg);
      if (unhashable !== null) throw new TypeError(`unhashable type: '${unhashable}'`);
      let fut: Future<unknown> | undefined;
      if (scan) {
        const first = args.indexOf(arg);
        if (first >= 0 && first < i) fut = children[first];
      } else if (mark && arg instanceof Future) {
        if ((arg._flags & IN_GATHER) !== 0) fut = arg;
        else arg._flags |= IN_GATHER;
      } else {
        argToFut ??= new Map();
        fut = argToFut.get(arg);
      }
      if (fut === undefined) {
        fut = toFuture(arg, loop);
        // Made here for `arg`: nobody else can hold it, so its destruction while pending is
        // not reported (CPython's `_log_destroy_pending = False`).
        if (fut !== arg && fut instanceof Task) fut._logDestroyPending = false;
        if (outer === null) {
          loop = futureLoop(fut);
          outer = new _GatheringFuture<unknown[]>(children, { loop }, returnExceptions);
        }
        outer._nfuts++;
        argToFut?.set(arg, fut);
        if (fut.done()) (doneFuts ??= []).push(fut);
        else addChildCallback(fut, outer, context);
      }
      children[i] = fut;
    }
  } finally {
    if (mark) {
      gatherDepth--;
      for (const arg of args) if (arg instanceof Future) arg._flags &= ~IN_GATHER;
    }
  }

  outer = outer!;
  outer._armed = true;
  // Children that were already done complete the gather now (possibly at once).
  if (doneFuts !== null) for (const fut of doneFuts) outer._futureDone(fut);
  return outer;
}

/**
 * Registers the gather as `fut`'s done callback: the object itself for a Future whose
 * `addDoneCallback` is the library's, a closure for a subclass that overrides it.
 */
function addChildCallback(
  fut: Future<unknown>,
  outer: _GatheringFuture<unknown[]>,
  context: Context,
): void {
  if (fut.addDoneCallback === Future.prototype.addDoneCallback) fut._addCallback(outer, context);
  else fut.addDoneCallback((f) => outer._futureDone(f), { context });
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
  const outer = _newFuture<AwaitedResult<A>>(futureLoop(inner));

  const innerDone = pyNamed(
    "shield.<locals>._inner_done_callback",
    (f: Future<AwaitedResult<A>>): void => {
      if (outer.cancelled()) {
        // Mark the inner result retrieved.
        if (!f.cancelled()) f.exception();
        return;
      }
      if (f.cancelled()) {
        outer.cancel();
        return;
      }
      const exc = exceptionOf(f);
      if (exc !== NO_EXC) _failWith(outer as Future<unknown>, exc);
      else outer.setResult(resultOf(f));
    },
  );
  const outerDone = pyNamed("shield.<locals>._outer_done_callback", (): void => {
    if (!inner.done()) inner.removeDoneCallback(innerDone);
  });

  inner.addDoneCallback(innerDone);
  outer.addDoneCallback(outerDone);
  return outer;
}

/** Python's `gather(*aws)` of something that is not iterable (Array.from would make it []). */
function iterableArg(aws: unknown): Iterable<unknown> {
  if (
    aws === null ||
    aws === undefined ||
    typeof (aws as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(
      `asyncio.tasks.gather() argument after * must be an iterable, not ${pyTypeName(aws)}`,
    );
  }
  return aws as Iterable<unknown>;
}
