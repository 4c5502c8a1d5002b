/**
 * `Future`: a result that will be set later (Python's `asyncio.Future`).
 *
 * A Future is awaitable both ways: `yield* fut` in a generator coroutine (it is its own
 * iterator, yielding itself once while pending, like `Future.__iter__`) and `await fut` in an
 * `async` function (it is a thenable). Done callbacks are never called synchronously: they are
 * always scheduled with the loop's `callSoon`, in registration order.
 */
import { _currentContext, type Context } from "./contextvars.ts";
import { _coroutineThen, isThenable } from "./coroutines.ts";
import {
  _watchCallbackResult,
  type AbstractEventLoop,
  BOUND_SELF,
  type Callback,
  captureStack,
  formatCallback,
  getEventLoop,
  Handle,
} from "./events.ts";
import {
  _plainCancelledError,
  CancelledError,
  InvalidStateError,
  RuntimeError,
} from "./exceptions.ts";
import {
  className,
  customRepr,
  keepClassNames,
  libraryClasses,
  pyNamed,
  pyRepr,
  pyTypeName,
  recursiveRepr,
  reprlibRepr,
} from "./format.ts";
import { writeUnraisable } from "./log.ts";

const PENDING = 0;
const CANCELLED = 1;
const FINISHED = 2;
/** @internal */
export type FutureState = typeof PENDING | typeof CANCELLED | typeof FINISHED;
/** @internal */
export const STATE = { PENDING, CANCELLED, FINISHED } as const;

/** Marks "no exception" where `undefined` could itself be a thrown value. */
const NO_EXC: unique symbol = Symbol("no exception");

export type DoneCallback<T> = (future: Future<T>) => unknown;

/**
 * @internal Installed by tasks.ts: lets an `async` function's `await fut` register the task's
 * wake-up on `fut`. Returns true when it took the await over.
 */
let awaitHook:
  | null
  | ((
      fut: Future<unknown>,
      onRes: (v: unknown) => unknown,
      onRej: (e: unknown) => unknown,
    ) => boolean) = null;

/** @internal */
export function _setAwaitHook(hook: typeof awaitHook): void {
  awaitHook = hook;
}

/**
 * CancelledError as mass cancellation makes it: without a stack trace. A `stackTraceLimit` that
 * is not a number makes V8 skip its stack machinery altogether (several times cheaper than a
 * limit of 0); `stack` then gets the text a zero-frame trace shows.
 */
export function makeCancelledError(msg: unknown): CancelledError {
  const limit = Error.stackTraceLimit;
  (Error as { stackTraceLimit: unknown }).stackTraceLimit = undefined;
  let e: CancelledError;
  try {
    e =
      msg === undefined || msg === null
        ? _plainCancelledError(undefined)
        : msg === ""
          ? _plainCancelledError("")
          : new CancelledError(msg);
  } finally {
    Error.stackTraceLimit = limit;
  }
  e.stack = e.message === "" ? "CancelledError" : `CancelledError: ${e.message}`;
  return e;
}

/** What a Future with an unretrieved exception leaves for its report (never the Future). */
interface UnretrievedRecord extends ExitReport {
  loop: AbstractEventLoop;
  exception: unknown;
  kind: string;
  /** the class's name (CPython's message reads `type(self).__name__`) */
  className: string;
  repr: string;
  sourceTraceback: string | null;
  context: Context | null;
}

/**
 * Reports exceptions that were set but never retrieved when their Future is garbage-collected,
 * as CPython's `Future.__del__` does. The Future itself is gone by then, so the context's
 * `future` entry is a {@link CollectedFuture} carrying its repr.
 */
const unretrieved = new FinalizationRegistry<UnretrievedRecord>(reportUnretrieved);

/**
 * @internal A report due at exit if it has not been made by then: V8 may collect none of the
 * objects before the process ends (it does not collect at exit), where CPython finalizes what
 * is left at interpreter shutdown.
 */
export interface ExitReport {
  readonly atExit: (report: never) => void;
}

/** The reports due at exit, in the order they became due. */
const dueAtExit = new Set<ExitReport>();
let exitHooked = false;

/** @internal `report.atExit(report)` runs on `exit` unless {@link _notDueAtExit} comes first. */
export function _dueAtExit(report: ExitReport): void {
  dueAtExit.add(report);
  if (!exitHooked) {
    exitHooked = true;
    process.on("exit", reportAtExit);
  }
}

/** @internal True if `report` was due (and is not any more). */
export function _notDueAtExit(report: ExitReport): boolean {
  return dueAtExit.delete(report);
}

/**
 * Newest first: CPython's teardown releases what is left much as it unwinds (a list's items
 * from the last), so the latest objects tend to be reported first.
 */
function reportAtExit(): void {
  for (const report of [...dueAtExit].reverse()) {
    if (dueAtExit.has(report)) (report.atExit as (r: ExitReport) => void)(report);
  }
}

function reportUnretrieved(held: UnretrievedRecord): void {
  if (!_notDueAtExit(held)) return;
  const context: Record<string, unknown> = {
    message: `${held.className} exception was never retrieved`,
    exception: held.exception,
    future: new CollectedFuture(held.kind, held.repr, held.context, held.loop, {
      exception: held.exception,
    }),
  };
  if (held.sourceTraceback !== null) context.source_traceback = held.sourceTraceback;
  callHandlerUnraisable(held.loop, context);
}

/**
 * A report made at garbage collection or exit: what the exception handler raises (even
 * `SystemExit`) is printed as CPython's unraisable hook does, never thrown.
 */
export function callHandlerUnraisable(
  loop: AbstractEventLoop,
  context: Record<string, unknown>,
): void {
  try {
    loop.callExceptionHandler(context);
  } catch (e) {
    writeUnraisable(`<bound method BaseEventLoop.call_exception_handler of ${pyRepr(loop)}>`, e);
  }
}

/**
 * Stands in for a Future (or Task) that was garbage-collected: with an unretrieved exception,
 * or still pending. It answers the read-only questions a handler asks of the future in its
 * context: `done()`, `cancelled()`, `exception()`, `result()`, `getLoop()`, `getContext()`.
 */
export class CollectedFuture {
  constructor(
    /** "Future" or "Task". */ readonly kind: string,
    readonly repr: string,
    private _context: Context | null = null,
    private readonly _loop: AbstractEventLoop | null = null,
    /** the exception it finished with; absent for a pending one */
    private readonly _outcome: { exception: unknown } | null = null,
  ) {}
  /** False for a task destroyed while pending, else true. */
  done(): boolean {
    return this._outcome !== null;
  }
  cancelled(): boolean {
    return false;
  }
  /** The exception it finished with (`InvalidStateError` if it was pending). */
  exception(): unknown {
    if (this._outcome === null) throw new InvalidStateError("Exception is not set.");
    return this._outcome.exception;
  }
  /** Raises the exception it finished with (`InvalidStateError` if it was pending). */
  result(): never {
    if (this._outcome === null) throw new InvalidStateError("Result is not ready.");
    throw this._outcome.exception;
  }
  getLoop(): AbstractEventLoop | null {
    return this._loop;
  }
  /** The Task's context (the exception handler runs in it, as for a live Task), or null. */
  getContext(): Context | null {
    // The Task's context may have been a frozen snapshot: hand out a private copy.
    const c = this._context;
    return c?._frozen ? c.copy() : c;
  }
  [customRepr](): string {
    return this.repr;
  }
  toString(): string {
    return this.repr;
  }
}

/** @internal Rare per-future state, kept out of line so that a plain Future stays small. */
export class FutureExtra {
  cancelMessage: unknown = undefined;
  logToken: object | null = null;
  sourceTraceback: string | null = null;
}

// `_flags`: bits 0-1 are the state (see the `_state` accessor), then:
/** `_flags` bit: Python's `_asyncio_future_blocking` (see the accessor). */
const BLOCKING = 4;
/** `_flags` bit: `_result` holds the exception the future finished with. */
const HAS_EXCEPTION = 8;
/**
 * `_flags` bit: the future itself sits in the loop's ready queue to run its one done callback
 * (still in `_callbacks`, with `_cbContext`), in place of a Handle: see {@link Future._run}.
 */
const QUEUED_CALLBACK = 16;
/**
 * @internal `_flags` bit: already among the arguments of the `gather()` call being set up
 * (how a long argument list finds repeats without a Map: see gather.ts).
 */
export const IN_GATHER = 32;
/** @internal The `_flags` bits a Future uses; a Task's own bits come above. */
export const FUTURE_FLAG_BITS = 6;

/**
 * The owner (see contextvars' ContextOwner) of a done callback's context while the callback
 * runs from the ready queue: one object, reused, as the loop runs one callback at a time.
 */
const callbackOwner: { _context: Context | null } = { _context: null };

/**
 * @internal What a pending future's `next()` returns, one object for all. `yield*` hands it to
 * the stepping Task unchanged, and every suspended generator keeps it in a register until it is
 * resumed: a fresh object per await would cost 40 bytes per pending task. The Task reads it at
 * once and clears it (see Task._stepRun).
 */
export const YIELD_SELF: { value: unknown; done: false } = { value: undefined, done: false };

/**
 * What `yield*` sees of a Future. Its `return(value: T)` (not `value?: unknown`) keeps `T` the
 * only result type TypeScript can infer from a Future where a Coroutine or an Iterator is also
 * accepted (with the ES2022 lib a Future is otherwise read as a `Generator<unknown, unknown>`).
 */
export interface FutureIterator<T> {
  next(): IteratorResult<unknown, T>;
  return(value: T): IteratorResult<unknown, T>;
  throw(e: unknown): IteratorResult<unknown, T>;
}

export class Future<T = unknown> implements PromiseLike<T> {
  /**
   * @internal The result when FINISHED, or the exception (then `_flags` has HAS_EXCEPTION: see
   * the `_exception` accessor). While CANCELLED it holds the CancelledError to raise once
   * (Python's `_cancelled_exc`), or undefined.
   */
  _result: T | undefined = undefined;
  /** @internal */ _loop: AbstractEventLoop;
  /**
   * @internal The done callbacks. One callback is stored inline: a function or a
   * {@link CallbackObject} (its context in `_cbContext`), or a waiting Task (a
   * {@link FutureWaiter}, stored with a null context: it runs in its own). Two or more: an array
   * of callbacks and their contexts, interleaved: [cb0, ctx0, cb1, ctx1, ...].
   */
  _callbacks: unknown = null;
  /** @internal */ _cbContext: Context | null = null;
  /** @internal the state (bits 0-1) and bit flags (BLOCKING, ...; Task adds its own) */
  _flags: number = PENDING;
  /** @internal As a ready-queue entry (see `_run`), never a cancelled handle (on the prototype). */
  declare readonly _cancelled: false;
  /** @internal rare state (cancel message, unretrieved-exception token, debug traceback) */
  _x: FutureExtra | null = null;

  constructor(options?: { loop?: AbstractEventLoop }) {
    if (
      options !== undefined &&
      (typeof options !== "object" || options === null || "callSoon" in options)
    ) {
      throw new TypeError("Future() takes no positional arguments");
    }
    this._loop = options?.loop ?? getEventLoop();
    if (this._loop.getDebug()) this._sourceTraceback = captureStack(2);
  }

  /** @internal PENDING, CANCELLED or FINISHED (kept in `_flags`: one field less per future) */
  get _state(): FutureState {
    return (this._flags & 3) as FutureState;
  }
  set _state(v: FutureState) {
    this._flags = (this._flags & ~3) | v;
  }

  /** @internal */
  _extra(): FutureExtra {
    let x = this._x;
    if (x === null) x = this._x = this._newExtra();
    return x;
  }

  /** @internal Subclasses with more rare state extend FutureExtra. */
  _newExtra(): FutureExtra {
    return new FutureExtra();
  }

  /**
   * @internal Python's `_asyncio_future_blocking`: true while a coroutine has yielded this
   * future and the Task has not yet taken it; its presence makes `isFuture()` true.
   */
  get _asyncioFutureBlocking(): boolean {
    return (this._flags & BLOCKING) !== 0;
  }
  set _asyncioFutureBlocking(v: boolean) {
    this._flags = v ? this._flags | BLOCKING : this._flags & ~BLOCKING;
  }

  /** @internal The exception the future finished with, or NO_EXC. */
  get _exception(): unknown {
    return (this._flags & HAS_EXCEPTION) !== 0 ? this._result : NO_EXC;
  }

  /** @internal */
  get _cancelMessage(): unknown {
    return this._x === null ? undefined : this._x.cancelMessage;
  }
  set _cancelMessage(v: unknown) {
    if (v !== undefined || this._x !== null) this._extra().cancelMessage = v;
  }

  /** @internal the CancelledError to raise once (kept in `_result` while cancelled) */
  get _cancelledExc(): CancelledError | null {
    return this._state === CANCELLED && this._result !== undefined
      ? (this._result as unknown as CancelledError)
      : null;
  }
  set _cancelledExc(v: CancelledError | null) {
    this._result = (v ?? undefined) as T | undefined;
  }

  /** @internal token registered with the unretrieved-exception registry */
  get _logToken(): object | null {
    return this._x === null ? null : this._x.logToken;
  }
  set _logToken(v: object | null) {
    if (v !== null || this._x !== null) this._extra().logToken = v;
  }

  /** @internal where the future was created, in debug mode */
  get _sourceTraceback(): string | null {
    return this._x === null ? null : this._x.sourceTraceback;
  }
  set _sourceTraceback(v: string | null) {
    if (v !== null || this._x !== null) this._extra().sourceTraceback = v;
  }

  /** The loop this future is bound to. */
  getLoop(): AbstractEventLoop {
    return this._loop;
  }

  done(): boolean {
    return this._state !== PENDING;
  }

  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /**
   * The result; throws the stored exception, `CancelledError` if cancelled, or
   * `InvalidStateError('Result is not set.')` if pending.
   */
  result(): T {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state !== FINISHED) throw new InvalidStateError("Result is not set.");
    if (this._exception !== NO_EXC) {
      this._retrieved();
      throw this._exception;
    }
    return this._result as T;
  }

  /** The stored exception or null; throws like `result()` when cancelled or pending. */
  exception(): unknown {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state !== FINISHED) throw new InvalidStateError("Exception is not set.");
    if (this._exception === NO_EXC) return null;
    this._retrieved();
    return this._exception;
  }

  /**
   * Adds `fn(future)` to run (through `callSoon`) when the future is done; at once-scheduled if
   * it already is. It runs in `context`, by default a copy of the current context.
   */
  addDoneCallback(fn: (future: this) => unknown, options?: { context?: Context }): void {
    const cb = typeof fn === "function" ? fn : notCallable(fn);
    this._addCallback(cb, options?.context ?? _currentContext()._snapshot());
  }

  /** @internal `addDoneCallback` without the options object. */
  _addCallback(fn: unknown, ctx: Context | null): void {
    if (this._state !== PENDING) {
      if (this._loop.isClosed()) throw new RuntimeError("Event loop is closed");
      this._scheduleCallback(fn, ctx);
      return;
    }
    const cbs = this._callbacks;
    if (cbs === null) {
      this._callbacks = fn;
      this._cbContext = ctx;
    } else if (Array.isArray(cbs)) {
      cbs.push(fn, ctx);
    } else {
      this._callbacks = [cbs, this._cbContext, fn, ctx];
      this._cbContext = null;
    }
  }

  /** @internal The callbacks as [cb0, ctx0, cb1, ctx1, ...] (a copy when stored inline). */
  _callbackList(): unknown[] {
    const cbs = this._callbacks;
    if (cbs === null || (this._flags & QUEUED_CALLBACK) !== 0) return [];
    return Array.isArray(cbs) ? cbs : [cbs, this._cbContext];
  }

  /** Removes every registration of `fn`; returns how many were removed. */
  removeDoneCallback(fn: (future: this) => unknown): number {
    const cbs = this._callbackList();
    if (cbs.length === 0) return 0;
    const kept: unknown[] = [];
    for (let i = 0; i < cbs.length; i += 2) {
      const cb = cbs[i] as { [NOT_CALLABLE]?: unknown };
      if (cb !== fn && !(typeof cb === "function" && NOT_CALLABLE in cb && cb[NOT_CALLABLE] === fn))
        kept.push(cb, cbs[i + 1]);
    }
    const removed = (cbs.length - kept.length) / 2;
    if (removed > 0) {
      this._callbacks = null;
      this._cbContext = null;
      for (let i = 0; i < kept.length; i += 2) this._addCallback(kept[i], kept[i + 1] as Context);
    }
    return removed;
  }

  /** Cancels the future and schedules its callbacks; false if it was already done. */
  cancel(msg?: unknown): boolean {
    this._retrieved();
    if (this._state !== PENDING) return false;
    this._state = CANCELLED;
    this._cancelMessage = msg;
    this._scheduleCallbacks();
    return true;
  }

  setResult(result: T): void {
    if (this._state !== PENDING) throw new InvalidStateError("invalid state");
    this._result = result;
    this._state = FINISHED;
    this._scheduleCallbacks();
  }

  /**
   * Marks the future done with an exception. An error class is instantiated; anything that is
   * not an Error gives `TypeError('invalid exception object')`.
   */
  setException(exception: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError("invalid state");
    // Only exception classes are instantiated (any other function is an invalid object).
    if (
      typeof exception === "function" &&
      (exception === Error || exception.prototype instanceof Error)
    ) {
      exception = new (exception as new () => unknown)();
    }
    if (!(exception instanceof Error)) throw new TypeError("invalid exception object");
    this._setExceptionUnchecked(exception);
  }

  /** @internal Any thrown value, as a rejected promise may carry. */
  _setExceptionUnchecked(exception: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError("invalid state");
    this._result = exception as T;
    this._flags |= HAS_EXCEPTION;
    this._state = FINISHED;
    this._scheduleCallbacks();
    // V8 keeps the receivers of an error's stack frames (this Task among them) until the stack
    // is formatted: format it now, or the registry's hold on the error keeps the Task alive.
    try {
      if (exception instanceof Error) void exception.stack;
    } catch {
      // a throwing `stack` getter, a revoked Proxy: nothing to format
    }
    // The repr is taken now (the Future is gone when it is reported): a subclass's repr that
    // fails must not fail setException() (CPython takes it only when reporting).
    let repr: string;
    try {
      repr = this[customRepr]();
    } catch {
      repr = `<${this._kind()} finished>`;
    }
    const record: UnretrievedRecord = {
      atExit: reportUnretrieved,
      loop: this._loop,
      exception,
      kind: this._kind(),
      className: className(this),
      repr,
      sourceTraceback: this._sourceTraceback,
      context: (this as { _context?: Context })._context ?? null,
    };
    this._logToken = record;
    _dueAtExit(record);
    unretrieved.register(this, record, record);
  }

  /**
   * @internal The repr changed after the exception was set (a task renamed, or one that
   * finished eagerly letting its coroutine go): the report will show the new one, as CPython's
   * (taken when it reports) does.
   */
  _refreshReport(): void {
    const record = this._logToken as UnretrievedRecord | null;
    if (record === null) return;
    try {
      record.repr = this[customRepr]();
    } catch {
      // The repr taken before stays.
    }
  }

  /** @internal "Future" or "Task", for messages. */
  _kind(): string {
    return "Future";
  }

  /** @internal The exception was seen: do not report it at garbage collection or exit. */
  _retrieved(): void {
    const record = this._logToken;
    if (record !== null) {
      unretrieved.unregister(record);
      _notDueAtExit(record as UnretrievedRecord);
      this._logToken = null;
    }
  }

  /** @internal Python's `_make_cancelled_error`. */
  _makeCancelledError(): CancelledError {
    const exc = this._cancelledExc;
    if (exc !== null) {
      this._cancelledExc = null;
      return exc;
    }
    return makeCancelledError(this._cancelMessage);
  }

  /** @internal */
  _scheduleCallbacks(): void {
    const cbs = this._callbacks;
    if (cbs === null) return;
    if (this._loop.isClosed()) {
      // As CPython's call_soon: the future is done, its callbacks are dropped.
      this._callbacks = this._cbContext = null;
      throw new RuntimeError("Event loop is closed");
    }
    if (
      (typeof cbs === "function" || this._cbContext !== null) &&
      this._canQueueSelf() &&
      this._loop._callSoonSelf(this)
    ) {
      // One callback, not a Task's wake-up (`_cbContext` is null for that, and for an array): the
      // future runs it from the ready queue itself, with no Handle.
      this._flags |= QUEUED_CALLBACK;
      return;
    }
    this._callbacks = null;
    if (!Array.isArray(cbs)) {
      const ctx = this._cbContext;
      this._cbContext = null;
      this._scheduleCallback(cbs, ctx);
      return;
    }
    for (let i = 0; i < cbs.length; i += 2) this._scheduleCallback(cbs[i], cbs[i + 1] as Context);
  }

  private _scheduleCallback(cb: unknown, ctx: Context | null): void {
    if (typeof cb === "function") this._loop._callSoonWithContext(cb as Callback, [this], ctx!);
    // A task waiting on this future (see _addWaiter): it schedules its own wake-up.
    else if (ctx === null) (cb as FutureWaiter)._wakeUpLater(this);
    else this._loop._callSoonWithContext(callObject, [cb, this], ctx);
  }

  /** @internal Whether this future may enter the ready queue itself now. */
  _canQueueSelf(): boolean {
    return (this._flags & QUEUED_CALLBACK) === 0;
  }

  /**
   * @internal Run by the loop for a future in its ready queue: calls the done callback in its
   * context, exactly as the Handle `callSoon(cb, this, context)` would have.
   */
  _run(): void {
    const cb = this._callbacks as Callback | CallbackObject;
    const ctx = this._cbContext!;
    this._callbacks = null;
    this._cbContext = null;
    this._flags &= ~QUEUED_CALLBACK;
    // Not reentrant in practice (the loop runs one ready item at a time), but be safe.
    const owner = callbackOwner._context === null ? callbackOwner : { _context: null };
    owner._context = ctx;
    try {
      if (typeof cb === "function") {
        const r = ctx._run1(owner as { _context: Context }, cb, this);
        if (r !== undefined && isThenable(r)) {
          _watchCallbackResult(this._callbackHandle(cb, owner._context!), r);
        }
      } else ctx._run2(owner as { _context: Context }, callObject, cb, this);
    } catch (exc) {
      this._callbackHandle(cb, owner._context!)._runFailed(exc);
    } finally {
      owner._context = null;
    }
  }

  /**
   * @internal The Handle a ready item stands for, as a debug report shows it while the item
   * runs ("Executing <Handle cb(<Future ...>)> took ..."): this future's queued done callback.
   */
  _queuedCallbackRepr(): string | null {
    if ((this._flags & QUEUED_CALLBACK) === 0) return null;
    const cb = this._callbacks as Callback | CallbackObject;
    return this._callbackHandle(cb, this._cbContext!)[customRepr]();
  }

  /** The Handle `callSoon(cb, this)` would have made for a done callback this future ran itself. */
  private _callbackHandle(cb: Callback | CallbackObject, ctx: Context): Handle {
    return typeof cb === "function"
      ? _queuedHandle(cb, [this], this._loop, ctx)
      : _queuedHandle(callObject, [cb, this], this._loop, ctx);
  }

  /**
   * @internal Registers `waiter._wakeupFrom(this)` as a done callback, in the waiter's own
   * context. Used by Task for what it awaits: storing the task itself instead of a bound
   * function (and its context) saves a closure per task.
   */
  _addWaiter(waiter: FutureWaiter): void {
    this._addCallback(waiter, null);
  }

  // ---- yield* support: the future is its own iterator ----

  [Symbol.iterator](): FutureIterator<T> {
    // A subclass's own `[Symbol.iterator]` (Python's `__await__` that does `yield from
    // super().__await__()`) gets a separate iterator: `yield*` of the future itself would call
    // the override again.
    if (this[Symbol.iterator] !== Future.prototype[Symbol.iterator]) return new FutureAwait(this);
    return this;
  }

  /** @internal Python's `Future.__await__` step: yields itself while pending. */
  next(): IteratorResult<unknown, T> {
    if (this._state === PENDING) {
      if (this._asyncioFutureBlocking) {
        throw new RuntimeError("await wasn't used with future");
      }
      this._asyncioFutureBlocking = true;
      YIELD_SELF.value = this;
      return YIELD_SELF;
    }
    // Future.result itself, as CPython's future iterator reads it: a subclass's own result() was
    // called by the task's wake-up already.
    return { value: _futureResult.call(this) as T, done: true };
  }

  /** @internal An exception thrown into `yield* fut` passes straight through. */
  throw(e: unknown): IteratorResult<unknown, T> {
    throw e;
  }

  /** @internal */
  return(value: T): IteratorResult<unknown, T> {
    return { value: value as T, done: true };
  }

  // ---- await support ----

  /**
   * Makes the future awaitable in `async` functions. Inside a Task this is the Task's await
   * (cancelling the Task cancels the future); elsewhere it behaves like a promise that settles
   * when the future is done.
   */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (this[Symbol.iterator] !== Future.prototype[Symbol.iterator]) {
      // A subclass's own `__await__`: `await` runs it, as Python's await does.
      return _coroutineThen(this[Symbol.iterator](), onfulfilled, onrejected) as Promise<R1 | R2>;
    }
    if (
      awaitHook !== null &&
      typeof onfulfilled === "function" &&
      typeof onrejected === "function" &&
      awaitHook(this as Future<unknown>, onfulfilled as (v: unknown) => unknown, onrejected)
    ) {
      return undefined as unknown as Promise<R1 | R2>;
    }
    return this._toPromise().then(onfulfilled, onrejected);
  }

  /** @internal A native promise settled with this future's outcome. */
  _toPromise(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const settle = () => {
        if (this._state === CANCELLED) reject(this._makeCancelledError());
        else if (this._exception !== NO_EXC) {
          this._retrieved();
          reject(this._exception);
        } else resolve(this._result as T);
      };
      if (this._state !== PENDING) settle();
      else this.addDoneCallback(settle);
    });
  }

  /** @internal Python's `_future_repr_info`. */
  _reprInfo(): string[] {
    const info: string[] = [
      this._state === PENDING ? "pending" : this._state === CANCELLED ? "cancelled" : "finished",
    ];
    if (this._state === FINISHED) {
      if (this._exception !== NO_EXC) info.push(`exception=${pyRepr(this._exception)}`);
      else info.push(`result=${reprlibRepr(this._result)}`);
    }
    const cbs = this._callbackList();
    if (cbs.length !== 0) info.push(`cb=[${formatCallbacks(cbs, this._loop.getDebug())}]`);
    if (this._sourceTraceback !== null) info.push(`created at ${this._sourceTraceback}`);
    return info;
  }

  [customRepr](): string {
    // reprlib.recursive_repr, as CPython's future and task reprs: a future whose result holds it
    // (set_result([fut]), a task returning all_tasks()) shows as '...' inside its own repr.
    return recursiveRepr(this, () => `<${className(this)} ${this._reprInfo().join(" ")}>`);
  }

  toString(): string {
    return this[customRepr]();
  }
}

/**
 * @internal Future's own ways of being waited on and read. A subclass that overrides one is
 * waited on or read through it (CPython's shortcuts are for exact Futures and Tasks only).
 */
export const _futureAddDoneCallback = Future.prototype.addDoneCallback;
/** @internal see {@link _futureAddDoneCallback} */
export const _futureResult = Future.prototype.result;
/** @internal see {@link _futureAddDoneCallback} */
export const _futureException = Future.prototype.exception;
/** @internal see {@link _futureAddDoneCallback} */
export const _futureGetLoop = Future.prototype.getLoop;

/** @internal A future in the ready queue is never a cancelled handle. */
Object.defineProperty(Future.prototype, "_cancelled", { value: false });

/** @internal What a Task is to the futures it waits on. */
export interface FutureWaiter {
  /** Schedules `_wakeupFrom(future)` (Python's `Task.__wakeup` callback) on the loop. */
  _wakeUpLater(future: Future<unknown>): void;
}

/**
 * @internal A done callback that is a method of an object (gather's bookkeeping): no closure per
 * registration. It runs as a function callback would, in the context it was added with.
 */
export interface CallbackObject {
  _futureDone(future: Future<unknown>): void;
  /** how reprs show the callback, as CPython names its function */
  readonly _callbackName: string;
}

const NOT_CALLABLE = Symbol("notCallable");

/**
 * A done callback that is not a function (`addDoneCallback(null)`): kept, shown and removed as
 * the value it is, and failing when it runs, as Python's `None()` does.
 */
function notCallable(value: unknown): Callback {
  const f = (): never => {
    throw new TypeError(`'${pyTypeName(value)}' object is not callable`);
  };
  return Object.assign(f, { [NOT_CALLABLE]: value, [customRepr]: () => pyRepr(value) });
}

/**
 * Runs a {@link CallbackObject}'s callback: the function a Handle holds for it, shown as the
 * object's callback (`gather.<locals>._done_callback(<Task ...>)`).
 */
const callObject: Callback = Object.assign(
  function callObject(obj: CallbackObject, future: Future<unknown>): void {
    obj._futureDone(future);
  },
  {
    [BOUND_SELF]: true,
    [customRepr](args?: readonly unknown[]): string {
      return (args?.[0] as CallbackObject | undefined)?._callbackName ?? "callObject";
    },
  },
);

/**
 * @internal The Handle a ready item that queued itself stands for, for its reports: made while
 * debug mode was off (the loop queues no item itself in debug mode), so with no traceback.
 */
export function _queuedHandle(
  cb: Callback,
  args: unknown[],
  loop: AbstractEventLoop,
  ctx: Context,
): Handle {
  const handle = new Handle(cb, args, loop, ctx);
  handle._sourceTraceback = null;
  return handle;
}

function formatCallbacks(cbs: unknown[], debug: boolean): string {
  const names: string[] = [];
  for (let i = 0; i < cbs.length; i += 2) {
    const cb = cbs[i];
    names.push(
      typeof cb === "function"
        ? formatCallback(cb as Callback, [], debug)
        : cbs[i + 1] === null
          ? `${(cb as object).constructor.name}.task_wakeup()` // a waiting Task (or subclass)
          : `${(cb as CallbackObject)._callbackName}()`,
    );
  }
  if (names.length <= 2) return names.join(", ");
  return `${names[0]}, <${names.length - 2} more>, ${names[names.length - 1]}`;
}

/**
 * @internal Fails a future asyncio made through `loop.createFuture()` as CPython's code does,
 * with `fut.set_exception(exc)`: a subclass's `setException` is called. A thrown value that is
 * not an Error (JavaScript allows any) goes in directly.
 */
export function _failWith(fut: Future<unknown>, exc: unknown): void {
  if (exc instanceof Error && fut.setException !== Future.prototype.setException) {
    fut.setException(exc);
  } else {
    fut._setExceptionUnchecked(exc);
  }
}

let plainCreateFuture: unknown = null;

/** @internal base_events registers `EventLoop.prototype.createFuture` (see _newFuture). */
export function _registerCreateFuture(fn: unknown): void {
  plainCreateFuture = fn;
}

/**
 * @internal A new future of `loop` where CPython's asyncio calls `loop.create_future()`, which a
 * loop subclass may override to supply its own Future class (asyncio-extending). The loop's own
 * method is skipped (the same `new Future`), as is a loop object without one.
 */
export function _newFuture<T>(loop: AbstractEventLoop): Future<T> {
  const create = (loop as { createFuture?: unknown }).createFuture;
  if (create === plainCreateFuture || typeof create !== "function") return new Future<T>({ loop });
  return (create as () => Future<T>).call(loop);
}

/**
 * The loop of a future (Python's `futures._get_loop`): its `getLoop()`, else its `_loop`, so
 * that a foreign future with only `getLoop()` is placed right.
 */
export function futureLoop(fut: Future<unknown>): AbstractEventLoop {
  // A subclass's getLoop() is called, as CPython calls it on all but exact Futures and Tasks.
  if (fut instanceof Future && fut.getLoop === _futureGetLoop) return fut._loop;
  const f = fut as { getLoop?: () => AbstractEventLoop; _loop: AbstractEventLoop };
  return typeof f.getLoop === "function" ? f.getLoop() : f._loop;
}

/** True for asyncio futures and future-compatible objects (duck-typed, as in Python). */
export function isFuture(obj: unknown): obj is Future<unknown> {
  return (
    typeof obj === "object" &&
    obj !== null &&
    (obj as { _asyncioFutureBlocking?: unknown })._asyncioFutureBlocking !== undefined &&
    (obj as { _asyncioFutureBlocking?: unknown })._asyncioFutureBlocking !== null
  );
}

/** @internal Sets a result unless the future was cancelled meanwhile (sleep, waitFor). */
export const setResultUnlessCancelled = pyNamed(
  "_set_result_unless_cancelled",
  <T>(fut: Future<T>, result: T): void => {
    if (!fut.cancelled()) fut.setResult(result);
  },
);

export { NO_EXC };

libraryClasses(Future, CollectedFuture);

keepClassNames({ Future });

/** The iterator a Future gives a subclass that overrides `[Symbol.iterator]` (see there). */
class FutureAwait<T> implements FutureIterator<T> {
  constructor(private readonly _future: Future<T>) {}
  [Symbol.iterator](): this {
    return this;
  }
  next(): IteratorResult<unknown, T> {
    return this._future.next();
  }
  throw(e: unknown): IteratorResult<unknown, T> {
    return this._future.throw(e);
  }
  return(value: T): IteratorResult<unknown, T> {
    return this._future.return(value);
  }
}
