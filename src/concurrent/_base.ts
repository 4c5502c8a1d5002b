/**
 * The concurrent `Future`, its errors, `wait()`, `asCompleted()` and the `Executor` base class
 * (Python's `concurrent.futures._base`).
 *
 * A concurrent Future stands for work done by another thread or process. It keeps CPython's
 * state machine (PENDING → RUNNING → FINISHED, or PENDING → CANCELLED → CANCELLED_AND_NOTIFIED),
 * its messages, and its synchronous done callbacks. What JavaScript cannot do is block, so the
 * methods that block in CPython are designed like this:
 *
 * - `result(timeout)` / `exception(timeout)` return (or throw) at once when the future is done;
 *   when it is pending they return a promise that settles when it is done, or rejects with
 *   `TimeoutError` after `timeout` seconds; with a timeout of 0 or less they throw
 *   `TimeoutError` at once, exactly as CPython's `result(timeout=0)`. So `await f.result(5)`
 *   reads like CPython's `f.result(timeout=5)`, and `f.result()` in a done callback is the value.
 * - `done()` is a type guard: after `if (f.done())`, `f.result()` is typed as the plain value.
 * - a Future is not itself awaitable (as in CPython, and so that it can be yielded and returned
 *   like any value): `await f.result()` waits for it; in asyncio code,
 *   `await asyncio.wrapFuture(f)` makes cancelling the task cancel the future.
 * - `wait()` returns a promise of `[done, notDone]`; `asCompleted()` is an async generator.
 */
import { Deque } from "../deque.ts";
import {
  isBaseExceptionOnly,
  NotImplementedError,
  RuntimeError,
  TimeoutError,
  ValueError,
} from "../exceptions.ts";
import {
  className,
  customRepr,
  keepClassNames,
  libraryClasses,
  pyRepr,
  pyTypeName,
} from "../format.ts";
import { CRITICAL, ERROR, Logger } from "../log.ts";
import type { AnyFunction, WorkerFunction } from "./_function.ts";

export { TimeoutError };

/** Python's `concurrent.futures.FIRST_COMPLETED`: `wait()` returns when any future is done. */
export const FIRST_COMPLETED = "FIRST_COMPLETED";
/** `wait()` returns when any future raises, else when all are done. */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
/** `wait()` returns when all futures are done. */
export const ALL_COMPLETED = "ALL_COMPLETED";
const AS_COMPLETED = "_AS_COMPLETED";
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

const PENDING = "PENDING";
const RUNNING = "RUNNING";
/** The future was cancelled by the user... */
const CANCELLED = "CANCELLED";
/** ...and `setRunningOrNotifyCancel()` was called by an executor. */
const CANCELLED_AND_NOTIFIED = "CANCELLED_AND_NOTIFIED";
const FINISHED = "FINISHED";
type State =
  | typeof PENDING
  | typeof RUNNING
  | typeof CANCELLED
  | typeof CANCELLED_AND_NOTIFIED
  | typeof FINISHED;

const DESCRIPTION: Record<State, string> = {
  PENDING: "pending",
  RUNNING: "running",
  CANCELLED: "cancelled",
  CANCELLED_AND_NOTIFIED: "cancelled",
  FINISHED: "finished",
};

/** The logger of this package, named "concurrent.futures" as in Python. */
export const LOGGER = new Logger("concurrent.futures");

function initError(err: Error & { args: unknown[] }, args: unknown[], name: string): void {
  err.args = args;
  err.name = name;
}

function messageOf(args: unknown[]): string {
  if (args.length === 0) return "";
  if (args.length === 1) return String(args[0]);
  return `(${args.map((a) => pyRepr(a)).join(", ")})`;
}

/**
 * The future was cancelled (Python's `concurrent.futures.CancelledError`). A different class from
 * asyncio's `CancelledError`, as in Python; `asyncio.wrapFuture` converts one into the other.
 */
export class CancelledError extends Error {
  args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    this.args = args;
    initError(this, args, "CancelledError");
  }
}

/** The operation is not allowed in this state (Python's `concurrent.futures.InvalidStateError`). */
export class InvalidStateError extends Error {
  args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    this.args = args;
    initError(this, args, "InvalidStateError");
  }
}

/** An executor has become unusable after a severe failure (Python's `BrokenExecutor`). */
export class BrokenExecutor extends RuntimeError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = "BrokenExecutor";
  }
}

// ---- waiters (what wait() and asCompleted() sleep on) ----

/** The longest delay one Node timer takes: a longer one fires after 1 ms (TimeoutOverflowWarning). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * @internal Calls `fn` once `seconds` have passed, however long that is: a wait longer than one
 * Node timer can take is made of several, re-armed until the deadline. Returns a cancel function.
 * `unref`: the timers do not keep the process alive.
 */
export function longTimeout(fn: () => void, seconds: number, unref = false): () => void {
  const deadline = performance.now() + seconds * 1000;
  let timer: NodeJS.Timeout;
  const arm = (): void => {
    const left = deadline - performance.now();
    timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(fn, Math.max(0, left));
    if (unref) timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/** @internal Python's `_Waiter`: collects futures that finish; `event` wakes the waiting side. */
class Waiter {
  finishedFutures: Future<unknown>[] = [];
  private _set = false;
  private _wake: (() => void) | null = null;

  isSet(): boolean {
    return this._set;
  }
  set(): void {
    this._set = true;
    const w = this._wake;
    this._wake = null;
    w?.();
  }
  clear(): void {
    this._set = false;
  }
  /** Resolves when `set()` is called, or after `timeout` seconds (null: no limit). */
  waitEvent(timeout: number | null): Promise<void> {
    if (this._set) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let cancel: (() => void) | null = null;
      this._wake = () => {
        cancel?.();
        resolve();
      };
      if (timeout !== null) {
        cancel = longTimeout(() => {
          this._wake = null;
          resolve();
        }, timeout);
      }
    });
  }
  addResult(f: Future<unknown>): void {
    this.finishedFutures.push(f);
  }
  addException(f: Future<unknown>): void {
    this.finishedFutures.push(f);
  }
  addCancelled(f: Future<unknown>): void {
    this.finishedFutures.push(f);
  }
}

class AsCompletedWaiter extends Waiter {
  override addResult(f: Future<unknown>): void {
    super.addResult(f);
    this.set();
  }
  override addException(f: Future<unknown>): void {
    super.addException(f);
    this.set();
  }
  override addCancelled(f: Future<unknown>): void {
    super.addCancelled(f);
    this.set();
  }
}

class FirstCompletedWaiter extends AsCompletedWaiter {}

class AllCompletedWaiter extends Waiter {
  constructor(
    private numPendingCalls: number,
    private readonly stopOnException: boolean,
  ) {
    super();
  }
  private decrement(): void {
    this.numPendingCalls--;
    if (this.numPendingCalls === 0) this.set();
  }
  override addResult(f: Future<unknown>): void {
    super.addResult(f);
    this.decrement();
  }
  override addException(f: Future<unknown>): void {
    super.addException(f);
    if (this.stopOnException) this.set();
    else this.decrement();
  }
  override addCancelled(f: Future<unknown>): void {
    super.addCancelled(f);
    this.decrement();
  }
}

// ---- Future ----

const NO_EXC: unique symbol = Symbol("no exception");
let futureIds = 0;

declare const doneBrand: unique symbol;

/** A concurrent Future that is known to be done: `result()` and `exception()` do not wait. */
export interface DoneFuture<T = unknown> extends Future<T> {
  /** Type-level only: keeps `Future` from being taken for a `DoneFuture`. */
  readonly [doneBrand]: true;
  result(timeout?: number | null): T;
  exception(timeout?: number | null): unknown;
}

export type FutureCallback<T> = (future: DoneFuture<T>) => unknown;

/**
 * The result of work done by a thread or a process (Python's `concurrent.futures.Future`).
 * Executors create these; `new Future()` is for executor implementations and tests.
 *
 * Done callbacks run synchronously, in the thread that completes the future (here: the thread
 * that owns it, when the worker's answer arrives), in the order they were added; a callback
 * added to a done future runs at once. Errors they throw are logged to `LOGGER`.
 */
export class Future<T = unknown> {
  /** @internal */ _state: State = PENDING;
  /** @internal */ _result: T | undefined = undefined;
  /** @internal */ _exception: unknown = NO_EXC;
  /** @internal the `wait()`/`asCompleted()` waiters registered on this future */
  _waiters: Waiter[] = [];
  /** @internal (FutureCallback<T>s; typed loosely so that Future<T> stays covariant) */
  _doneCallbacks: unknown[] = [];
  /** @internal Python's `Condition.wait` sleepers: woken by `cancel()` and `set*()` */
  private _sleepers: (() => void)[] = [];
  /** @internal */ readonly _id = ++futureIds;
  /**
   * @internal Set by a pool's `submit()`: the work runs in another thread or process, in real
   * time (a VirtualTimeLoop does not move its clock while an asyncio Future follows it).
   */
  _offThread = false;

  /** @internal Runs every done callback, logging (not raising) what they throw. */
  _invokeCallbacks(): void {
    for (const callback of this._doneCallbacks as FutureCallback<T>[]) {
      try {
        callback(this as unknown as DoneFuture<T>);
      } catch (e) {
        // Python catches Exception only: KeyboardInterrupt, SystemExit, CancelledError go on.
        if (isBaseExceptionOnly(e)) throw e;
        LOGGER.log(ERROR, `exception calling callback for ${this[customRepr]()}`, e);
      }
    }
  }

  /** @internal Python's `Condition.notify_all()`. */
  private _notifyAll(): void {
    const sleepers = this._sleepers;
    if (sleepers.length === 0) return;
    this._sleepers = [];
    for (const wake of sleepers) wake();
  }

  /** @internal Python's `Condition.wait(timeout)`: resolves when notified or timed out. */
  private _conditionWait(timeout: number | null | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      let cancel: (() => void) | null = null;
      const wake = () => {
        cancel?.();
        resolve();
      };
      this._sleepers.push(wake);
      if (timeout !== null && timeout !== undefined) {
        cancel = longTimeout(() => {
          const i = this._sleepers.indexOf(wake);
          if (i >= 0) this._sleepers.splice(i, 1);
          resolve();
        }, timeout);
      }
    });
  }

  /**
   * Cancels the future if it has not started running; returns false if it is running or done,
   * true if it is (now or already) cancelled. Done callbacks run at once.
   */
  cancel(): boolean {
    if (this._state === RUNNING || this._state === FINISHED) return false;
    if (this._state === CANCELLED || this._state === CANCELLED_AND_NOTIFIED) return true;
    this._state = CANCELLED;
    this._notifyAll();
    this._invokeCallbacks();
    return true;
  }

  /** True if the future was cancelled. */
  cancelled(): boolean {
    return this._state === CANCELLED || this._state === CANCELLED_AND_NOTIFIED;
  }

  /** True while the work is being executed. */
  running(): boolean {
    return this._state === RUNNING;
  }

  /** True if the future was cancelled or finished executing (a type guard: see DoneFuture). */
  done(): this is DoneFuture<T> {
    return (
      this._state === CANCELLED ||
      this._state === CANCELLED_AND_NOTIFIED ||
      this._state === FINISHED
    );
  }

  private _getResult(): T {
    if (this._exception !== NO_EXC) throw this._exception;
    return this._result as T;
  }

  /**
   * Adds `fn(future)` to be called when the future finishes or is cancelled; if it already has,
   * `fn` is called at once. Errors thrown by `fn` are logged, not raised.
   */
  addDoneCallback(fn: FutureCallback<T>): void {
    if (!this.done()) {
      this._doneCallbacks.push(fn);
      return;
    }
    try {
      fn(this as unknown as DoneFuture<T>);
    } catch (e) {
      if (isBaseExceptionOnly(e)) throw e;
      LOGGER.log(ERROR, `exception calling callback for ${this[customRepr]()}`, e);
    }
  }

  /**
   * The result of the call. Done: returns it, or throws the call's exception, or
   * `CancelledError` if cancelled. Pending: with `timeout <= 0` throws `TimeoutError` at once;
   * otherwise returns a promise of the same outcome that rejects with `TimeoutError` after
   * `timeout` seconds (`null`/omitted: no limit). `await f.result(5)` is CPython's
   * `f.result(timeout=5)`.
   */
  result(timeout?: number | null): T | Promise<T> {
    if (this.cancelled()) throw new CancelledError();
    if (this._state === FINISHED) return this._getResult();
    if (waitTimeout(timeout) <= 0) throw new TimeoutError();
    return this._conditionWait(timeout).then(() => {
      if (this.cancelled()) throw new CancelledError();
      if (this._state === FINISHED) return this._getResult();
      throw new TimeoutError();
    });
  }

  /**
   * The exception raised by the call, or null if it completed normally. Waits like `result()`:
   * at once when done (`CancelledError` if cancelled), else a promise, `TimeoutError` on timeout.
   */
  exception(timeout?: number | null): unknown {
    if (this.cancelled()) throw new CancelledError();
    if (this._state === FINISHED) return this._exception === NO_EXC ? null : this._exception;
    if (waitTimeout(timeout) <= 0) throw new TimeoutError();
    return this._conditionWait(timeout).then(() => {
      if (this.cancelled()) throw new CancelledError();
      if (this._state === FINISHED) return this._exception === NO_EXC ? null : this._exception;
      throw new TimeoutError();
    });
  }

  // ---- for executors and tests ----

  /**
   * Marks the future running, or, if it was cancelled, notifies `wait()`/`asCompleted()` and
   * returns false (the work must then not run). `RuntimeError('Future in unexpected state')` if
   * it is already running or done. For executor implementations.
   */
  setRunningOrNotifyCancel(): boolean {
    if (this._state === CANCELLED) {
      this._state = CANCELLED_AND_NOTIFIED;
      for (const waiter of [...this._waiters]) waiter.addCancelled(this as Future<unknown>);
      return false;
    }
    if (this._state === PENDING) {
      this._state = RUNNING;
      return true;
    }
    LOGGER.log(CRITICAL, `Future ${this._id} in unexpected state: ${this._state}`);
    throw new RuntimeError("Future in unexpected state");
  }

  /** Sets the result; `InvalidStateError('FINISHED: <Future ...>')` if cancelled or done. */
  setResult(result: T): void {
    if (this.done()) throw new InvalidStateError(`${this._state}: ${this[customRepr]()}`);
    this._result = result;
    this._state = FINISHED;
    for (const waiter of [...this._waiters]) waiter.addResult(this as Future<unknown>);
    this._notifyAll();
    this._invokeCallbacks();
  }

  /** Sets the exception (any thrown value); `InvalidStateError` if cancelled or done. */
  setException(exception: unknown): void {
    if (this.done()) throw new InvalidStateError(`${this._state}: ${this[customRepr]()}`);
    this._exception = exception;
    this._state = FINISHED;
    for (const waiter of [...this._waiters]) waiter.addException(this as Future<unknown>);
    this._notifyAll();
    this._invokeCallbacks();
  }

  /** @internal The outcome's description, as Python's repr shows it. */
  [customRepr](): string {
    const head = `<${className(this)} at 0x${this._id.toString(16)} state=${DESCRIPTION[this._state]}`;
    if (this._state === FINISHED) {
      if (this._exception !== NO_EXC) return `${head} raised ${errorTypeName(this._exception)}>`;
      return `${head} returned ${pyTypeName(this._result)}>`;
    }
    return `${head}>`;
  }

  toString(): string {
    return this[customRepr]();
  }
}

/**
 * @internal The outcome of a done future without throwing: `{ exception }` if it failed, else
 * null (also for a thrown `null` or `undefined`, which `exception()` cannot tell apart).
 */
export function _exceptionOf(f: Future<unknown>): { exception: unknown } | null {
  return f._exception === NO_EXC ? null : { exception: f._exception };
}

/** The Python type name of a thrown value: an error's `name`, else its type. */
export function errorTypeName(e: unknown): string {
  if (e instanceof Error) return e.name;
  return pyTypeName(e);
}

/** True for concurrent futures (Python: `isinstance(f, concurrent.futures.Future)`). */
export function isConcurrentFuture(obj: unknown): obj is Future<unknown> {
  return obj instanceof Future;
}

// ---- wait() and asCompleted() ----

function isFinishedOrNotified(f: Future<unknown>): boolean {
  return f._state === CANCELLED_AND_NOTIFIED || f._state === FINISHED;
}

function createAndInstallWaiters(fs: Set<Future<unknown>>, returnWhen: string): Waiter {
  let waiter: Waiter;
  if (returnWhen === AS_COMPLETED) {
    waiter = new AsCompletedWaiter();
  } else if (returnWhen === FIRST_COMPLETED) {
    waiter = new FirstCompletedWaiter();
  } else {
    let pending = 0;
    for (const f of fs) if (!isFinishedOrNotified(f)) pending++;
    if (returnWhen === FIRST_EXCEPTION) waiter = new AllCompletedWaiter(pending, true);
    else if (returnWhen === ALL_COMPLETED) waiter = new AllCompletedWaiter(pending, false);
    else throw new ValueError(`Invalid return condition: ${pyRepr(returnWhen)}`);
  }
  for (const f of fs) f._waiters.push(waiter);
  return waiter;
}

function removeWaiter(f: Future<unknown>, waiter: Waiter): void {
  const i = f._waiters.indexOf(waiter);
  if (i >= 0) f._waiters.splice(i, 1);
}

function checkFutures<T>(fs: Iterable<Future<T>>, fn: string): Set<Future<T>> {
  if (
    fs === null ||
    fs === undefined ||
    typeof (fs as Iterable<unknown>)[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(`'${pyTypeName(fs)}' object is not iterable`);
  }
  const set = new Set(fs);
  for (const f of set) {
    // CPython fails with an AttributeError ('int' object has no attribute '_condition').
    if (!(f instanceof Future)) {
      throw new TypeError(`${fn}() needs concurrent futures, got ${pyRepr(f)}`);
    }
  }
  return set;
}

/** `wait()`'s result: a `[done, notDone]` pair that also has the named fields. */
export type DoneAndNotDoneFutures<T> = [done: Set<DoneFuture<T>>, notDone: Set<Future<T>>] & {
  readonly done: Set<DoneFuture<T>>;
  readonly notDone: Set<Future<T>>;
};

function doneAndNotDone<T>(
  done: Set<Future<T>>,
  notDone: Set<Future<T>>,
): DoneAndNotDoneFutures<T> {
  const pair = [done, notDone] as unknown as DoneAndNotDoneFutures<T>;
  Object.defineProperty(pair, "done", { value: done, enumerable: false });
  Object.defineProperty(pair, "notDone", { value: notDone, enumerable: false });
  return pair;
}

/**
 * Waits for the futures (of any executors) to complete (Python's `concurrent.futures.wait`).
 * Resolves with `[done, notDone]` (also `.done` / `.notDone`) when `returnWhen` is met or after
 * `timeout` seconds; never rejects with the futures' own errors. Duplicates count once.
 * `ValueError('Invalid return condition: ...')` for an unknown `returnWhen`.
 */
export async function wait<F extends Future<unknown>>(
  fs: Iterable<F>,
  options: { timeout?: number | null; returnWhen?: ReturnWhen } = {},
): Promise<DoneAndNotDoneFutures<FutureResult<F>>> {
  type T = FutureResult<F>;
  const set = checkFutures(fs, "wait") as Set<Future<unknown>>;
  // Only an omitted returnWhen is the default: null is Python's None, an invalid condition.
  const returnWhen = options.returnWhen === undefined ? ALL_COMPLETED : options.returnWhen;
  const timeout = options.timeout ?? null;
  const done = new Set<Future<unknown>>();
  for (const f of set) if (isFinishedOrNotified(f)) done.add(f);
  const notDone = () => new Set([...set].filter((f) => !done.has(f)));
  if (returnWhen === FIRST_COMPLETED && done.size > 0) {
    return doneAndNotDone(done, notDone()) as DoneAndNotDoneFutures<T>;
  }
  if (returnWhen === FIRST_EXCEPTION && done.size > 0) {
    for (const f of done) {
      if (!f.cancelled() && f._exception !== NO_EXC) {
        return doneAndNotDone(done, notDone()) as DoneAndNotDoneFutures<T>;
      }
    }
  }
  if (done.size === set.size) return doneAndNotDone(done, notDone()) as DoneAndNotDoneFutures<T>;
  waitTimeout(timeout);
  const waiter = createAndInstallWaiters(set, returnWhen);
  await waiter.waitEvent(timeout);
  for (const f of set) removeWaiter(f, waiter);
  for (const f of waiter.finishedFutures) done.add(f);
  return doneAndNotDone(done, notDone()) as DoneAndNotDoneFutures<T>;
}

/**
 * Yields the futures as they complete (finished or cancelled), those already done first
 * (Python's `concurrent.futures.as_completed`), as an async iterator:
 * `for await (const f of asCompleted(fs)) f.result()`. Duplicates are yielded once. With a
 * `timeout` (counted from the first `next()`), throws
 * `TimeoutError('N (of M) futures unfinished')` when it runs out.
 */
export function asCompleted<F extends Future<unknown>>(
  fs: Iterable<F>,
  options: { timeout?: number | null } = {},
): AsyncIterableIterator<DoneFuture<FutureResult<F>>> {
  // As CPython's generator: nothing is looked at before the first next().
  return new AsCompletedIterator(fs, options.timeout ?? null) as unknown as AsyncIterableIterator<
    DoneFuture<FutureResult<F>>
  >;
}

/** The result type of a future type; a union of futures gives the union of their results. */
export type FutureResult<F> = F extends Future<infer T> ? T : never;

/**
 * Serves an async iterator's calls one after the other, as a generator's would be. The chain
 * keeps a settled placeholder, not each call's promise, so it holds no value already yielded.
 */
class OneAtATime {
  private last: Promise<unknown> = Promise.resolve();

  run<V>(op: () => Promise<V> | V): Promise<V> {
    const r = this.last.then(op);
    this.last = r.then(noop, noop);
    return r;
  }
}

function noop(): void {}

class AsCompletedIterator implements AsyncIterableIterator<Future<unknown>> {
  private started = false;
  private finishedIter = false;
  private endTime = 0;
  private total = 0;
  private all = new Set<Future<unknown>>();
  private readonly ready: Future<unknown>[] = [];
  private readonly pending = new Set<Future<unknown>>();
  private waiter: Waiter | null = null;
  private readonly calls = new OneAtATime();

  constructor(
    private readonly fs: Iterable<Future<unknown>>,
    private readonly timeout: number | null,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  private start(): void {
    this.started = true;
    this.all = checkFutures(this.fs, "asCompleted") as Set<Future<unknown>>;
    this.total = this.all.size;
    if (this.timeout !== null) this.endTime = mapEndTime(this.timeout)!;
    // CPython yields a set's members; here they come in the order given.
    for (const f of this.all) {
      if (isFinishedOrNotified(f)) this.ready.push(f);
      else this.pending.add(f);
    }
    this.waiter = createAndInstallWaiters(this.all, AS_COMPLETED);
  }

  next(): Promise<IteratorResult<Future<unknown>, undefined>> {
    return this.calls.run(() => this.step());
  }

  private take(): IteratorResult<Future<unknown>, undefined> {
    const f = this.ready.shift()!;
    this.all.delete(f);
    this.pending.delete(f);
    removeWaiter(f, this.waiter!);
    return { value: f, done: false };
  }

  private async step(): Promise<IteratorResult<Future<unknown>, undefined>> {
    if (this.finishedIter) return { value: undefined, done: true };
    if (!this.started) this.start();
    try {
      if (this.ready.length > 0) return this.take();
      const waiter = this.waiter!;
      while (this.pending.size > 0) {
        let waitTimeout: number | null = null;
        if (this.timeout !== null) {
          waitTimeout = this.endTime - monotonic();
          if (waitTimeout < 0) {
            throw new TimeoutError(`${this.pending.size} (of ${this.total}) futures unfinished`);
          }
        }
        await waiter.waitEvent(waitTimeout);
        this.ready.push(...waiter.finishedFutures);
        waiter.finishedFutures = [];
        waiter.clear();
        if (this.ready.length > 0) return this.take();
      }
    } catch (e) {
      this.close();
      throw e;
    }
    this.close();
    return { value: undefined, done: true };
  }

  private close(): void {
    if (this.finishedIter) return;
    this.finishedIter = true;
    if (this.waiter !== null) for (const f of this.all) removeWaiter(f, this.waiter);
  }

  return(): Promise<IteratorResult<Future<unknown>, undefined>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }
}

// ---- Executor ----

/** `Iterable<A[i]>` for each parameter type of a function: the argument lists of `map()`. */
export type IterablesOf<A extends unknown[]> = { [K in keyof A]: Iterable<A[K]> };

/** The parameters before the first optional one (`map(fn, xs, ys, options)` may omit the rest). */
export type RequiredParams<A extends unknown[]> = A extends [infer H, ...infer R]
  ? [H, ...RequiredParams<R>]
  : [];

/** `map()`'s arguments after `fn`: one iterable per parameter, then the options if any. */
export type MapArgs<A extends unknown[]> =
  | [...IterablesOf<A>]
  | [...IterablesOf<A>, MapOptions]
  | [...IterablesOf<RequiredParams<A>>, MapOptions];

export interface MapOptions {
  /** Seconds for the whole map, from the call; `TimeoutError` when a result is not ready in time. */
  timeout?: number | null;
  /** How many calls to send to a worker in one message (default 1). */
  chunksize?: number;
}

export interface ShutdownOptions {
  /** Resolve only once the running and queued work is done and the workers have exited (default true). */
  wait?: boolean;
  /** Cancel the work that has not started (default false). */
  cancelFutures?: boolean;
}

/**
 * Splits the `map()` arguments into the iterables and the trailing options object (a last
 * argument that is a non-iterable object); `checkIterables` checks the iterables.
 */
export function splitMapArgs(args: unknown[]): [Iterable<unknown>[], MapOptions] {
  const last = args[args.length - 1];
  if (
    args.length > 0 &&
    typeof last === "object" &&
    last !== null &&
    typeof (last as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
  ) {
    return [args.slice(0, -1) as Iterable<unknown>[], last as MapOptions];
  }
  return [args as Iterable<unknown>[], {}];
}

/** Python's `zip(*iterables)` check: `TypeError("'int' object is not iterable")`. */
export function checkIterables(iterables: unknown[]): void {
  for (const a of iterables) {
    if (
      a === null ||
      a === undefined ||
      typeof (a as Iterable<unknown>)[Symbol.iterator] !== "function"
    ) {
      throw new TypeError(`'${pyTypeName(a)}' object is not iterable`);
    }
  }
}

/** Python's `zip(*iterables)`: argument tuples, stopping at the shortest iterable. */
export function* zipArgs(iterables: Iterable<unknown>[]): Generator<unknown[]> {
  if (iterables.length === 0) return;
  const its = iterables.map((it) => it[Symbol.iterator]());
  for (;;) {
    const tuple: unknown[] = [];
    for (const it of its) {
      const r = it.next();
      if (r.done === true) return;
      tuple.push(r.value);
    }
    yield tuple;
  }
}

function monotonic(): number {
  return performance.now() / 1000;
}

/**
 * A timeout about to be waited with, checked as CPython's `Condition.wait` compares it
 * (`timeout > 0`): a number (or null: Infinity, no limit), else its TypeError.
 */
function waitTimeout(timeout: unknown): number {
  if (timeout === null || timeout === undefined) return Number.POSITIVE_INFINITY;
  if (typeof timeout === "number") return timeout;
  if (typeof timeout === "boolean" || typeof timeout === "bigint") return Number(timeout);
  throw new TypeError(`'>' not supported between instances of '${pyTypeName(timeout)}' and 'int'`);
}

/**
 * @internal `map()`'s deadline (and `asCompleted`'s), as CPython's `timeout + time.monotonic()`
 * computes it: null without a timeout; a value that is not a number fails that addition.
 */
export function mapEndTime(timeout: unknown): number | null {
  if (timeout === undefined || timeout === null) return null;
  if (typeof timeout === "boolean" || typeof timeout === "bigint") timeout = Number(timeout);
  if (typeof timeout !== "number") {
    const type = pyTypeName(timeout);
    throw new TypeError(
      type === "str" || type === "list"
        ? `can only concatenate ${type} (not "float") to ${type}`
        : type === "bytes"
          ? "can't concat float to bytes"
          : `unsupported operand type(s) for +: '${type}' and 'float'`,
    );
  }
  return timeout + monotonic();
}

/** Python's `_result_or_cancel`: the result within `timeout`, cancelling the future in any case. */
async function resultOrCancel<T>(fut: Future<T>, timeout: number | null): Promise<T> {
  try {
    return await fut.result(timeout);
  } finally {
    fut.cancel();
  }
}

/**
 * Yields the results of `fs` in order (Python's `result_iterator` in `Executor.map`); stopping
 * early, or an error, cancels the futures not yet yielded. Each future yields `unpack(result)`.
 * An iterator object rather than an async generator: a suspended generator keeps its locals, so
 * the result last yielded (and `fs`, every future) stayed alive after the caller dropped it,
 * where CPython's `result_iterator` lets it go (test_concurrent_futures' test_free_reference).
 */
export function orderedResults<T, R>(
  fs: Future<T>[],
  endTime: number | null,
  unpack: (value: T) => Iterable<R>,
): AsyncGenerator<R, void, undefined> {
  return new OrderedResults(fs, endTime, unpack);
}

class OrderedResults<T, R> implements AsyncGenerator<R, void, undefined> {
  private readonly queue = new Deque<Future<T>>();
  /**
   * What the last future's `unpack` gave and is not yet yielded (taken out as yielded: an
   * iterator over it would keep the value last yielded), then the error it ended with, if any.
   */
  private readonly items = new Deque<R>();
  private itemsError: unknown = NO_ERROR;
  private finished = false;
  /**
   * Python's map() returns a generator: closed before its first `next()` it never runs its
   * `finally`, so the calls are not cancelled (as an unstarted async generator's `return()`).
   */
  private started = false;
  private readonly calls = new OneAtATime();

  constructor(
    fs: Future<T>[],
    private readonly endTime: number | null,
    private readonly unpack: (value: T) => Iterable<R>,
  ) {
    for (const f of fs) this.queue.push(f);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<R, void>> {
    this.started = true;
    return this.calls.run(() => this.step());
  }

  private async step(): Promise<IteratorResult<R, void>> {
    try {
      for (;;) {
        if (this.finished) return { value: undefined, done: true };
        if (this.items.length > 0) return { value: this.items.shift()!, done: false };
        if (this.itemsError !== NO_ERROR) throw this.itemsError;
        const f = this.queue.shift();
        if (f === undefined) {
          this.finished = true;
          continue;
        }
        const endTime = this.endTime;
        const v = await resultOrCancel(f, endTime === null ? null : endTime - monotonic());
        try {
          for (const item of this.unpack(v)) this.items.push(item);
        } catch (e) {
          this.itemsError = e;
        }
      }
    } catch (e) {
      this.finish();
      throw e;
    }
  }

  /** Done: the futures not yet reached are cancelled (if iteration had started). */
  private finish(): void {
    this.finished = true;
    this.items.clear();
    this.itemsError = NO_ERROR;
    for (;;) {
      const f = this.queue.shift();
      if (f === undefined) break;
      if (this.started) f.cancel();
    }
  }

  return(): Promise<IteratorResult<R, void>> {
    return this.calls.run(() => {
      this.finish();
      return { value: undefined, done: true } as const;
    });
  }

  throw(e: unknown): Promise<IteratorResult<R, void>> {
    return this.calls.run(() => {
      this.finish();
      throw e;
    });
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.return().then(noop);
  }
}

const NO_ERROR: unique symbol = Symbol("no error");

/**
 * The executor interface (Python's `concurrent.futures.Executor`): `submit`, `map`, `shutdown`.
 * `await using executor = new ThreadPoolExecutor()` shuts it down (waiting) at the end of the
 * block, like Python's `with ThreadPoolExecutor() as executor:`.
 */
export abstract class Executor {
  /**
   * Schedules `fn(...args)` and returns a Future for it. What `fn` may be depends on the
   * executor (for the pools: see `workerFunctions` for what a worker can run).
   */
  abstract submit<F extends AnyFunction>(
    fn: F | WorkerFunction<F>,
    ...args: Parameters<F>
  ): Future<Awaited<ReturnType<F>>>;

  /**
   * Like `map(fn, ...iterables)`, with the calls made concurrently: all calls are submitted at
   * once, and the results are yielded in order by an async iterator. `timeout` (seconds, counted
   * from this call) gives `TimeoutError`; an error of a call is thrown when its result is
   * reached; leaving the loop early cancels the calls that have not started.
   */
  map<F extends AnyFunction>(
    fn: F | WorkerFunction<F>,
    ...args: MapArgs<Parameters<F>>
  ): AsyncGenerator<Awaited<ReturnType<F>>, void, undefined> {
    const [iterables, options] = splitMapArgs(args);
    const endTime = mapEndTime(options.timeout);
    checkIterables(iterables);
    const fs: Future<unknown>[] = [];
    for (const callArgs of zipArgs(iterables)) {
      fs.push(this.submit(fn, ...(callArgs as Parameters<F>)));
    }
    return orderedResults(fs, endTime, (v) => [v]) as AsyncGenerator<
      Awaited<ReturnType<F>>,
      void,
      undefined
    >;
  }

  /**
   * Frees the executor's resources; no `submit` afterwards. Safe to call more than once.
   * Resolves when the work is done and the workers have exited (`wait: true`, the default) or at
   * once (`wait: false`: queued work still runs, unless `cancelFutures`).
   */
  shutdown(_options?: ShutdownOptions): Promise<void> {
    return Promise.resolve();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown({ wait: true });
  }
}

// `submit` stays abstract for TypeScript (a subclass must define it), yet the base class's own,
// reached by JavaScript code, raises NotImplementedError as CPython's `Executor.submit` does.
Object.defineProperty(Executor.prototype, "submit", {
  value: function submit(): never {
    throw new NotImplementedError();
  },
  writable: true,
  configurable: true,
});

libraryClasses(Future);

keepClassNames({ CancelledError, InvalidStateError, BrokenExecutor, Future });
