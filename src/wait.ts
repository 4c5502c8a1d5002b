/**
 * `wait()`, `waitFor()` and `asCompleted()` (Python's `asyncio.wait`, `asyncio.wait_for`,
 * `asyncio.as_completed`, 3.13 semantics).
 */
import {
  type AwaitableCoroutine,
  awaitable,
  type Coroutine,
  isCoroutine,
  isThenable,
} from "./coroutines.ts";
import { Deque } from "./deque.ts";
import { type AbstractEventLoop, getEventLoop, getRunningLoop, type Handle } from "./events.ts";
import { CancelledError, TimeoutError, ValueError } from "./exceptions.ts";
import { compareError, isPyNumber, pyNamed, pyStr, pyTruthy, pyTypeName } from "./format.ts";
import { _newFuture, Future, isFuture, NO_EXC } from "./futures.ts";
import { type AwaitableArg, type AwaitedResult, toFuture } from "./gather.ts";
import {
  _callInTask,
  isFutureLike,
  NOT_AWAITABLE,
  notAwaitable,
  type Task,
  wrapAwaitable,
} from "./tasks.ts";
import { timeout as timeoutCm } from "./timeouts.ts";

/** `wait()` returns when any future finishes or is cancelled. */
export const FIRST_COMPLETED = "FIRST_COMPLETED";
/** `wait()` returns when any future finishes with an exception (or when all are done). */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
/** `wait()` returns when all futures are done (the default). */
export const ALL_COMPLETED = "ALL_COMPLETED";

export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** The Future `wait()` reports for an item: the item itself, or the Future wrapping a thenable. */
export type AsFuture<F> =
  F extends Future<unknown> ? F : F extends PromiseLike<infer T> ? Future<Awaited<T>> : never;

/**
 * What `asCompleted()`'s async iteration yields for an argument of type `A`: a Future or Task
 * itself, a Task for a coroutine or a function, a Future wrapping any other awaitable.
 */
export type AsCompletedFuture<A> =
  A extends Future<unknown>
    ? A
    : A extends Generator<unknown, unknown, unknown> | (() => unknown)
      ? Task<AwaitedResult<A>>
      : Future<AwaitedResult<A>>;

/** Named as CPython's `_release_waiter` (a wait() timeout's TimerHandle shows it). */
const releaseWaiter = pyNamed("_release_waiter", (waiter: Future<unknown>): void => {
  if (!waiter.done()) waiter.setResult(undefined);
});

function* waitGen<F extends Future<unknown> | PromiseLike<unknown>>(
  fs: Iterable<F>,
  options: { timeout?: number | null; returnWhen?: ReturnWhen } = {},
): Coroutine<[Set<AsFuture<F>>, Set<AsFuture<F>>]> {
  // A promise is an `async` function's coroutine: refused as a bare coroutine is.
  if (isFuture(fs) || isCoroutine(fs) || isThenable(fs)) {
    throw new TypeError(`expect a list of futures, not ${pyTypeName(fs)}`);
  }
  if (!pyTruthy(fs)) throw new ValueError("Set of Tasks/Futures is empty.");
  // Only a missing option is the default: None is an invalid value, as in CPython.
  const returnWhen = options.returnWhen === undefined ? ALL_COMPLETED : options.returnWhen;
  if (
    returnWhen !== FIRST_COMPLETED &&
    returnWhen !== FIRST_EXCEPTION &&
    returnWhen !== ALL_COMPLETED
  ) {
    throw new ValueError(`Invalid return_when value: ${pyStr(returnWhen)}`);
  }
  if (typeof (fs as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== "function") {
    throw new TypeError(`'${pyTypeName(fs)}' object is not iterable`);
  }
  const items = new Set<unknown>(fs);
  for (const f of items) {
    if (isCoroutine(f)) {
      throw new TypeError("Passing coroutines is forbidden, use tasks explicitly.");
    }
  }
  const loop = getRunningLoop();
  const futs = new Set<Future<unknown>>();
  for (const f of items) {
    if (isFuture(f)) futs.add(f);
    else if (isThenable(f)) futs.add(toFuture(f, loop));
    else throw notAwaitable(f);
  }
  if (futs.size === 0) throw new ValueError("Set of Tasks/Futures is empty.");
  return (yield* waitInternal(futs, options.timeout ?? null, returnWhen, loop)) as [
    Set<AsFuture<F>>,
    Set<AsFuture<F>>,
  ];
}

/**
 * Python's `not f.cancelled() and f.exception() is not None` in `_wait`: reading the exception
 * marks it retrieved (no "exception was never retrieved" report later).
 */
function failedWithException(f: Future<unknown>): boolean {
  if (f.cancelled()) return false;
  if (!(f instanceof Future)) return (f as Future<unknown>).exception() !== null;
  if (f._exception === NO_EXC) return false;
  f._retrieved();
  return true;
}

/** Python's `_wait`: `fs` is a non-empty set of futures. */
function* waitInternal(
  fs: Set<Future<unknown>>,
  timeout: number | null,
  returnWhen: ReturnWhen,
  loop: AbstractEventLoop,
): Coroutine<[Set<Future<unknown>>, Set<Future<unknown>>]> {
  const waiter = _newFuture<unknown>(loop);
  let timeoutHandle: Handle | null = null;
  if (timeout !== null) timeoutHandle = loop.callLater(timeout, releaseWaiter, waiter);
  let counter = fs.size;

  const onCompletion = pyNamed("_wait.<locals>._on_completion", (f: Future<unknown>): void => {
    counter--;
    if (
      counter <= 0 ||
      returnWhen === FIRST_COMPLETED ||
      (returnWhen === FIRST_EXCEPTION && failedWithException(f))
    ) {
      if (timeoutHandle !== null) timeoutHandle.cancel();
      if (!waiter.done()) waiter.setResult(undefined);
    }
  });

  for (const f of fs) f.addDoneCallback(onCompletion);
  try {
    yield* waiter;
  } finally {
    if (timeoutHandle !== null) timeoutHandle.cancel();
    for (const f of fs) f.removeDoneCallback(onCompletion);
  }

  const done = new Set<Future<unknown>>();
  const pending = new Set<Future<unknown>>();
  for (const f of fs) {
    if (f.done()) done.add(f);
    else pending.add(f);
  }
  return [done, pending];
}

/**
 * Waits for the Futures/Tasks in `fs` (thenables are wrapped in Futures) and returns
 * `[done, pending]`, two Sets (Python's `asyncio.wait`). Never raises the futures' errors and
 * never cancels them: on `timeout` (seconds) it returns what is done so far.
 * `returnWhen`: {@link FIRST_COMPLETED}, {@link FIRST_EXCEPTION} (a cancellation does not
 * count) or {@link ALL_COMPLETED} (the default). Duplicates collapse.
 *
 * Errors, raised when awaited: `ValueError('Set of Tasks/Futures is empty.')`,
 * `TypeError('expect a list of futures, not Future')` (a single future or coroutine),
 * `TypeError('Passing coroutines is forbidden, use tasks explicitly.')`,
 * `ValueError('Invalid return_when value: …')`. Cancelling the awaiting task does not cancel
 * the futures.
 */
export const wait = awaitable(waitGen, "wait", (fs: unknown) => {
  if (Array.isArray(fs) || fs instanceof Set) for (const f of fs) handleEarly(f);
}) as <F extends Future<unknown> | PromiseLike<unknown>>(
  // Coroutines (library ones are thenables too) are refused, as in CPython: wrap them in tasks.
  fs: Iterable<F> & Iterable<F extends Generator<unknown, unknown, unknown> ? never : F>,
  options?: { timeout?: number | null; returnWhen?: ReturnWhen },
) => AwaitableCoroutine<[Set<AsFuture<F>>, Set<AsFuture<F>>]>;

/**
 * A promise handed to `wait()`/`waitFor()` is already running and may reject before the lazy
 * coroutine wraps it: mark it handled at the call, or Node reports an unhandled rejection (the
 * coroutine still sees the rejection through its own `then`).
 */
function handleEarly(aw: unknown): void {
  if (aw instanceof Promise) aw.then(undefined, ignore);
}

function ignore(): void {}

/** Python's `_cancel_and_wait`: cancel `fut` and wait until it is done. */
function* cancelAndWait(fut: Future<unknown>, loop: AbstractEventLoop): Coroutine<void> {
  const waiter = _newFuture<unknown>(loop);
  const cb = (): void => releaseWaiter(waiter);
  fut.addDoneCallback(cb);
  try {
    fut.cancel();
    // Not `yield* fut`: this coroutine must stay reliably cancellable.
    yield* waiter;
  } finally {
    fut.removeDoneCallback(cb);
  }
}

function* awaitArg<T>(aw: unknown): Coroutine<T> {
  if (isCoroutine(aw) || isFuture(aw)) return (yield* aw as Coroutine<T>) as T;
  if (typeof aw === "function") return yield* _callInTask(aw as () => Coroutine<T>);
  // An object with __await__ runs in the caller's task (`await aw`), not in a task of its own.
  if (!isThenable(aw) && isFutureLike(aw)) return yield* wrapAwaitable<T>(aw as never);
  let fut: Future<T>;
  try {
    fut = toFuture<T>(aw);
  } catch (e) {
    // CPython's `await aw` inside the timeout block: not ensure_future's message.
    if (e instanceof TypeError && e.message === NOT_AWAITABLE) {
      throw new TypeError(`object ${pyTypeName(aw)} can't be used in 'await' expression`);
    }
    throw e;
  }
  return yield* fut;
}

function* waitForGen<A>(aw: A, timeout: number | null | undefined): Coroutine<AwaitedResult<A>> {
  type T = AwaitedResult<A>;
  if (timeout !== null && timeout !== undefined && !isPyNumber(timeout)) {
    throw compareError("<=", timeout, 0);
  }
  if (timeout !== null && timeout !== undefined && timeout <= 0) {
    const loop = getRunningLoop();
    const fut = toFuture<T>(aw);
    if (fut.done()) return fut.result();
    yield* cancelAndWait(fut, loop);
    try {
      return fut.result();
    } catch (exc) {
      if (exc instanceof CancelledError) {
        const te = new TimeoutError();
        (te as { cause?: unknown }).cause = exc;
        throw te;
      }
      throw exc;
    }
  }
  return yield* timeoutCm(timeout ?? null, function* () {
    return yield* awaitArg<T>(aw);
  });
}

/**
 * Awaits `aw` with a deadline of `timeout` seconds (`null`: none) (Python's
 * `asyncio.wait_for`, 3.12+: `async with timeout(t): return await aw`). A coroutine runs in the
 * calling task (a function is called as the calling task's code, like a `timeout()` body); a
 * thenable is wrapped in a Future.
 *
 * On timeout `aw` is cancelled and awaited, then `TimeoutError` is raised (its `cause`: the
 * `CancelledError`); if `aw` swallows the cancellation and returns a value, that value is
 * returned. `timeout <= 0`: a done `aw` gives its result at once, otherwise it is wrapped in a
 * Task, cancelled before it starts, and `TimeoutError`. Cancelling the awaiting task cancels `aw`.
 * Something not awaitable: `TypeError("object int can't be used in 'await' expression")`
 * (`timeout <= 0`: ensure_future's `'An asyncio.Future, a coroutine or an awaitable is required'`).
 */
export const waitFor = awaitable(waitForGen, "wait_for", handleEarly) as <A extends AwaitableArg>(
  aw: A,
  timeout: number | null | undefined,
) => AwaitableCoroutine<AwaitedResult<A>>;

// ---- asCompleted ----

/**
 * @internal The few `asyncio.Queue` operations `as_completed` uses, with the same wake-up
 * order and costs (FIFO getters, each woken through its own Future).
 */
class DoneQueue<T> {
  private readonly _items = new Deque<T>();
  private readonly _getters = new Deque<Future<void>>();
  constructor(private readonly _loop: AbstractEventLoop) {}

  putNowait(item: T): void {
    this._items.push(item);
    this._wakeupNext();
  }

  private _wakeupNext(): void {
    while (this._getters.length > 0) {
      const waiter = this._getters.shift()!;
      if (!waiter.done()) {
        waiter.setResult(undefined);
        break;
      }
    }
  }

  *get(): Coroutine<T> {
    while (this._items.length === 0) {
      const getter = _newFuture<void>(this._loop);
      this._getters.push(getter);
      try {
        yield* getter;
      } catch (e) {
        getter.cancel();
        this._getters.remove(getter);
        if (this._items.length > 0 && !getter.cancelled()) this._wakeupNext();
        throw e;
      }
    }
    return this._items.shift()!;
  }
}

function* waitForOneResult<T>(it: _AsCompletedIterator<T, unknown>): Coroutine<T> {
  const f = yield* it._done.get();
  if (f === null) throw new TimeoutError();
  return f.result();
}

function* waitForOneFuture<T>(
  it: _AsCompletedIterator<T, unknown>,
): Coroutine<IteratorResult<Future<T>>> {
  if (it._todoLeft === 0) return { value: undefined, done: true };
  it._todoLeft--;
  const f = yield* it._done.get();
  if (f === null) throw new TimeoutError();
  return { value: f, done: false };
}

const nextResult = awaitable(waitForOneResult, "_AsCompletedIterator._wait_for_one") as <T>(
  it: _AsCompletedIterator<T, unknown>,
) => AwaitableCoroutine<T>;
const nextFuture = awaitable(waitForOneFuture, "_AsCompletedIterator._wait_for_one") as <T, F>(
  it: _AsCompletedIterator<T, F>,
) => AwaitableCoroutine<IteratorResult<F, undefined>>;

/**
 * The async iterator of {@link asCompleted}: yields the Futures/Tasks themselves as they finish.
 * (Not typed as the global `AsyncIterableIterator`, for which TypeScript would type the yielded
 * Futures as their awaited results.)
 */
export interface AsCompletedAsyncIterator<F> {
  next(): Promise<IteratorResult<F, undefined>>;
  [Symbol.asyncIterator](): AsCompletedAsyncIterator<F>;
}

/**
 * What {@link asCompleted} returns (Python 3.13's `_AsCompletedIterator`; exported as
 * `AsCompletedIterator`). As an iterator it
 * yields, for each awaitable, a new coroutine that gives the result (or raises the error) of
 * the next one to finish. As an async iterator (`for await`; in a generator, `yield* it.anext()`)
 * it yields the Futures/Tasks themselves (a task made for a coroutine) as they finish.
 * Past the timeout, the remaining steps raise `TimeoutError()`.
 */
export class _AsCompletedIterator<T, F = Future<T>>
  implements IterableIterator<AwaitableCoroutine<T>>
{
  /** @internal */ _done: DoneQueue<Future<T> | null>;
  /** @internal */ _timeoutHandle: Handle | null = null;
  /** @internal */ _todo: Set<Future<T>>;
  /** @internal */ _todoLeft: number;

  constructor(aws: Iterable<unknown>, timeout: number | null) {
    const loop = getEventLoop();
    this._done = new DoneQueue(loop);
    const todo = new Set<Future<T>>();
    for (const aw of new Set(aws)) todo.add(toFuture<T>(aw, loop));
    for (const f of todo) f.addDoneCallback(this._handleCompletion);
    if (todo.size > 0 && timeout !== null) {
      this._timeoutHandle = loop.callLater(timeout, this._handleTimeout);
    }
    this._todo = todo;
    this._todoLeft = todo.size;
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** The next step of plain iteration: a coroutine for the next result (Python's `__next__`). */
  next(): IteratorResult<AwaitableCoroutine<T>, undefined> {
    if (this._todoLeft === 0) return { value: undefined, done: true };
    this._todoLeft--;
    return { value: nextResult(this), done: false };
  }

  /**
   * The async iterator: `for await (const task of asCompleted(tasks))`. Its `next()` is a
   * promise of {@link anext}'s outcome; inside a task, its wait is the task's await.
   */
  [Symbol.asyncIterator](): AsCompletedAsyncIterator<F> {
    return {
      next: () => Promise.resolve(nextFuture(this)),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /**
   * One step of async iteration (Python's `__anext__`): the next Future to finish, as an
   * iterator result. For generator coroutines: `for (let r; !(r = yield* it.anext()).done;)`.
   */
  anext(): AwaitableCoroutine<IteratorResult<F, undefined>> {
    return nextFuture(this);
  }

  /** @internal */
  readonly _handleTimeout = pyNamed("_AsCompletedIterator._handle_timeout", (): void => {
    for (const f of this._todo) {
      f.removeDoneCallback(this._handleCompletion);
      this._done.putNowait(null); // a TimeoutError for _wait_for_one()
    }
    this._todo.clear();
  });

  /** @internal */
  readonly _handleCompletion = pyNamed(
    "_AsCompletedIterator._handle_completion",
    (f: Future<T>): void => {
      if (this._todo.size === 0) return; // _handleTimeout() was here first
      this._todo.delete(f);
      this._done.putNowait(f);
      if (this._todo.size === 0 && this._timeoutHandle !== null) this._timeoutHandle.cancel();
    },
  );
}

/**
 * Runs the awaitables `aws` concurrently and iterates over them in completion order (Python's
 * `asyncio.as_completed`, 3.13): `for (const next of asCompleted(aws)) { const r = await next; }`
 * gives results (or raises errors) as they come; `for await (const task of asCompleted(tasks))`
 * gives the finished Tasks/Futures themselves. Duplicates collapse; coroutines (and functions)
 * become Tasks. With `timeout` (seconds), the steps left at the deadline raise `TimeoutError()`;
 * nothing is cancelled. `TypeError('expects an iterable of awaitables, not Future')` if given a
 * single awaitable.
 */
export function asCompleted<const A extends readonly AwaitableArg[]>(
  aws: A,
  options?: { timeout?: number | null },
): _AsCompletedIterator<AwaitedResult<A[number]>, AsCompletedFuture<A[number]>>;
export function asCompleted<E extends AwaitableArg>(
  aws: Iterable<E>,
  options?: { timeout?: number | null },
): _AsCompletedIterator<AwaitedResult<E>, AsCompletedFuture<E>>;
export function asCompleted(
  aws: Iterable<AwaitableArg>,
  options: { timeout?: number | null } = {},
): _AsCompletedIterator<unknown> {
  if (isCoroutine(aws) || isFuture(aws) || isThenable(aws)) {
    throw new TypeError(`expects an iterable of awaitables, not ${pyTypeName(aws)}`);
  }
  if (typeof (aws as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== "function") {
    // The iterator's constructor asks for the loop before it iterates `aws` (no loop first).
    getEventLoop();
    throw new TypeError(`'${pyTypeName(aws)}' object is not iterable`);
  }
  return new _AsCompletedIterator(aws as Iterable<unknown>, options.timeout ?? null);
}

export { _AsCompletedIterator as AsCompletedIterator };
