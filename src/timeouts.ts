/**
 * `timeout()`, `timeoutAt()` and `Timeout` (Python's `asyncio.timeouts`, 3.13 semantics).
 *
 * Python's `async with asyncio.timeout(d) as cm: body` becomes `timeout(d, (cm) => body)`:
 * only a function around the body can see and transform the exception it ends with.
 */
import { type AwaitableCoroutine, awaitable, type Coroutine } from "./coroutines.ts";
import { type AbstractEventLoop, getRunningLoop, type Handle } from "./events.ts";
import { CancelledError, RuntimeError, TimeoutError } from "./exceptions.ts";
import {
  compareError,
  customRepr,
  isPyNumber,
  keepClassNames,
  libraryClasses,
  pyFloatRepr,
  pyNamed,
  pyRound,
  pyTypeName,
} from "./format.ts";
import { _callInTask, currentTask, type Task } from "./tasks.ts";

type State = "created" | "active" | "expiring" | "expired" | "finished";

/** The body of a `timeout()` block: a generator function, an `async` function or a plain one. */
export type TimeoutBody<T> = (cm: Timeout) => Coroutine<T> | PromiseLike<T> | T;

/** Python's `round(x, 3)` printed as a float repr (`12.0`, `3.142`, `1e+16`). */
function floatRepr3(x: number): string {
  return pyFloatRepr(pyRound(x, 3));
}

/**
 * A deadline on a block of code (Python's `asyncio.Timeout`). When the deadline passes, the
 * task running the block is cancelled; the `timeout()` that set the deadline turns the
 * resulting `CancelledError` into `TimeoutError` when the block ends.
 *
 * Made by {@link timeout} / {@link timeoutAt}; a `Timeout` made directly runs its block with
 * {@link Timeout.run}.
 */
/** asyncio-ts's own loop (EventLoop._callAtFromNow), for a deadline computed from its clock. */
type FromNow = {
  _callAtFromNow?: (when: number, callback: () => void) => Handle;
  _loopTime?: () => number;
};

/** The loop's clock, read as the loop reads it (see EventLoop._loopTime). */
function loopTime(loop: AbstractEventLoop): number {
  const own = (loop as FromNow)._loopTime;
  return own !== undefined ? own.call(loop) : loop.time();
}

export class Timeout {
  /** @internal */ _state: State = "created";
  /** @internal */ _timeoutHandler: Handle | null = null;
  /** @internal */ _task: Task<unknown> | null = null;
  /** @internal */ _when: number | null;
  /** @internal the task's `cancelling()` when the block was entered */ _cancelling = 0;
  /** @internal made by timeout(delay): the first deadline was computed from the clock */
  _fromNow = false;

  /**
   * A timeout at loop time `when` (`null`: never). A `when` in the past fires on the next
   * loop iteration after the block is entered.
   */
  constructor(when: number | null) {
    this._when = when ?? null;
  }

  /** The current deadline (loop time), or null. */
  when(): number | null {
    return this._when;
  }

  /**
   * Moves the deadline to `when` (`null`: no deadline); a deadline not after `loop.time()`
   * fires on the next iteration. `RuntimeError` unless the block is running:
   * `'Timeout has not been entered'`, `'Cannot change state of expiring|expired|finished Timeout'`.
   */
  reschedule(when: number | null): void {
    if (this._state !== "active") {
      if (this._state === "created") throw new RuntimeError("Timeout has not been entered");
      throw new RuntimeError(`Cannot change state of ${this._state} Timeout`);
    }
    this._when = when ?? null;
    if (this._timeoutHandler !== null) this._timeoutHandler.cancel();
    if (when === null || when === undefined) {
      this._timeoutHandler = null;
    } else {
      const loop = getRunningLoop();
      if (!isPyNumber(when)) {
        throw compareError("<=", when, 0.5);
      }
      const at = Number(when);
      // A deadline timeout(delay) computed from the clock, on asyncio-ts's own loop: see
      // EventLoop._timerKey.
      const callAtFromNow = this._fromNow ? (loop as FromNow)._callAtFromNow : undefined;
      this._fromNow = false;
      this._timeoutHandler =
        at <= loopTime(loop)
          ? loop.callSoon(this._onTimeout)
          : callAtFromNow !== undefined
            ? callAtFromNow.call(loop, at, this._onTimeout)
            : loop.callAt(at, this._onTimeout);
    }
  }

  /** True if the deadline passed while the block was running. */
  expired(): boolean {
    return this._state === "expiring" || this._state === "expired";
  }

  /**
   * Runs `body(this)` with this deadline, in the current task (Python's `async with cm:`).
   * Returns what the body returns; `TimeoutError` (its `cause`: the `CancelledError`) if the
   * deadline cancelled the body and no newer cancellation of the task is pending. Any other
   * error of the body passes through. `RuntimeError('Timeout has already been entered')` if
   * used twice; `RuntimeError('Timeout should be used inside a task')` outside a task.
   */
  run<T>(body: TimeoutBody<T>): AwaitableCoroutine<T> {
    return runTimeout(this, body) as AwaitableCoroutine<T>;
  }

  /** @internal Python's `__aenter__` (it never suspends). */
  _enter(): void {
    if (this._state !== "created") throw new RuntimeError("Timeout has already been entered");
    const task = currentTask();
    if (task === null) throw new RuntimeError("Timeout should be used inside a task");
    this._state = "active";
    this._task = task;
    this._cancelling = task.cancelling();
    this.reschedule(this._when);
  }

  /** @internal Python's `__aexit__`: throws TimeoutError to replace `exc`, else returns. */
  _exit(failed: boolean, exc: unknown): void {
    if (this._timeoutHandler !== null) {
      this._timeoutHandler.cancel();
      this._timeoutHandler = null;
    }
    if (this._state === "expiring") {
      this._state = "expired";
      if (this._task!.uncancel() <= this._cancelling && failed) {
        // No newer cancellation request: this one is ours.
        if (exc instanceof CancelledError) {
          const te = new TimeoutError();
          (te as { cause?: unknown }).cause = exc;
          throw te;
        }
        // Python then puts a TimeoutError into `exc`'s implicit __context__ chain; JavaScript
        // errors have no implicit context (and `cause` is Python's explicit __cause__): no-op.
      }
    } else if (this._state === "active") {
      this._state = "finished";
    }
  }

  /** @internal */
  readonly _onTimeout = pyNamed("Timeout._on_timeout", (): void => {
    this._task!.cancel();
    this._state = "expiring";
    this._timeoutHandler = null;
  });

  [customRepr](): string {
    let info = "";
    if (this._state === "active") {
      info = ` when=${this._when === null ? "None" : floatRepr3(this._when)}`;
    }
    return `<Timeout [${this._state}]${info}>`;
  }

  toString(): string {
    return this[customRepr]();
  }
}

const runTimeout = awaitable(function* runTimeout<T>(
  cm: Timeout,
  body: TimeoutBody<T>,
): Coroutine<T> {
  cm._enter();
  let result: T;
  try {
    result = yield* _callInTask(() => body(cm));
  } catch (e) {
    cm._exit(true, e);
    throw e;
  }
  cm._exit(false, undefined);
  return result;
});

/**
 * Runs `body(cm)` in the current task with a deadline `delay` seconds from now (`null`: none)
 * (Python's `async with asyncio.timeout(delay) as cm:`). The body may be a generator function
 * or an `async` function; when the deadline passes the task is cancelled at the body's current
 * await, and the `CancelledError` becomes `TimeoutError` here (nested timeouts: at the
 * outermost expired one). `timeout(0)` fires at the body's first suspension, even `sleep(0)`.
 *
 * Reads `loop.time()` now: `RuntimeError('no running event loop')` outside a running loop.
 */
export function timeout<T>(delay: number | null, body: TimeoutBody<T>): AwaitableCoroutine<T> {
  const loop = getRunningLoop();
  if (delay === null || delay === undefined) return new Timeout(null).run(body);
  if (!isPyNumber(delay)) {
    throw new TypeError(`unsupported operand type(s) for +: 'float' and '${pyTypeName(delay)}'`);
  }
  const cm = new Timeout(loopTime(loop) + Number(delay));
  cm._fromNow = true;
  return cm.run(body);
}

/**
 * Like {@link timeout}, with the deadline as an absolute loop time (`loop.time()` clock)
 * (Python's `asyncio.timeout_at`).
 */
export function timeoutAt<T>(when: number | null, body: TimeoutBody<T>): AwaitableCoroutine<T> {
  return new Timeout(when).run(body);
}

libraryClasses(Timeout);

keepClassNames({ Timeout });
