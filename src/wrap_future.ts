/**
 * Bridges between asyncio Futures and concurrent Futures (Python's `asyncio.wrap_future` and
 * `futures._chain_future`).
 *
 * A concurrent Future is completed by the thread that owns it (here: when a worker's answer
 * arrives); its done callbacks run there and hand the outcome to the asyncio Future's loop with
 * `callSoonThreadsafe`, exactly as CPython does, so the asyncio side completes one loop iteration
 * later. Cancelling the asyncio side cancels the concurrent future, which stops the work if it
 * has not started.
 */
import {
  _exceptionOf,
  CancelledError as ConcurrentCancelledError,
  type Future as ConcurrentFuture,
  InvalidStateError as ConcurrentInvalidStateError,
  isConcurrentFuture,
} from "./concurrent/_base.ts";
import { type AbstractEventLoop, getEventLoop } from "./events.ts";
import { AssertionError, CancelledError, InvalidStateError } from "./exceptions.ts";
import { pyNamed, pyRepr } from "./format.ts";
import { _failWith, _newFuture, type Future, isFuture, NO_EXC } from "./futures.ts";

type AnyFuture = Future<unknown> | ConcurrentFuture<unknown>;

/**
 * @internal Python's `_convert_future_exc`: a concurrent CancelledError / InvalidStateError
 * becomes asyncio's (same args, same stack); anything else is returned as is.
 */
export function _convertFutureExc(exc: unknown): unknown {
  if (exc instanceof Error) {
    let out: Error | null = null;
    if (exc.constructor === ConcurrentCancelledError) {
      out = new CancelledError(...(exc as ConcurrentCancelledError).args);
    } else if (exc.constructor === ConcurrentInvalidStateError) {
      out = new InvalidStateError(...(exc as ConcurrentInvalidStateError).args);
    }
    if (out !== null) {
      out.stack = exc.stack;
      return out;
    }
  }
  return exc;
}

/** The exception of a done future of either kind, or null. */
function outcome(f: AnyFuture): { exception: unknown } | null {
  if (isConcurrentFuture(f)) return _exceptionOf(f);
  const af = f as Future<unknown>;
  return af._exception === NO_EXC ? null : { exception: af._exception };
}

/** Python's `_set_concurrent_future_state`: copy an asyncio Future's outcome to a concurrent one. */
function setConcurrentFutureState(concurrent: ConcurrentFuture<unknown>, source: AnyFuture): void {
  if (source.cancelled()) concurrent.cancel();
  if (!concurrent.setRunningOrNotifyCancel()) return;
  const failed = outcome(source);
  if (failed !== null) {
    if (isFuture(source)) source._retrieved();
    concurrent.setException(_convertFutureExc(failed.exception));
  } else {
    concurrent.setResult(
      isFuture(source) ? source.result() : (source as ConcurrentFuture<unknown>)._result,
    );
  }
}

/** Python's `_copy_future_state`: copy a done future's outcome to a pending asyncio Future. */
function copyFutureState(source: AnyFuture, dest: Future<unknown>): void {
  if (dest.cancelled()) return;
  if (dest.done()) throw new AssertionError();
  if (source.cancelled()) {
    dest.cancel();
    return;
  }
  const failed = outcome(source);
  if (failed !== null) {
    if (isFuture(source)) source._retrieved();
    _failWith(dest, _convertFutureExc(failed.exception));
  } else {
    dest.setResult(
      isFuture(source) ? source.result() : (source as ConcurrentFuture<unknown>)._result,
    );
  }
}

/**
 * @internal Python's `_chain_future`: when `source` completes, so does `destination` (in its
 * own loop's thread); cancelling `destination` cancels `source`. Both may be asyncio or
 * concurrent futures; anything else is `TypeError('A future is required for source argument')`.
 */
export function _chainFuture(source: AnyFuture, destination: AnyFuture): void {
  if (!isFuture(source) && !isConcurrentFuture(source)) {
    throw new TypeError("A future is required for source argument");
  }
  if (!isFuture(destination) && !isConcurrentFuture(destination)) {
    throw new TypeError("A future is required for destination argument");
  }
  const sourceLoop: AbstractEventLoop | null = isFuture(source) ? source.getLoop() : null;
  const destLoop: AbstractEventLoop | null = isFuture(destination) ? destination.getLoop() : null;

  function _setState(future: AnyFuture, other: AnyFuture): void {
    if (isFuture(future)) copyFutureState(other, future);
    else setConcurrentFutureState(future as ConcurrentFuture<unknown>, other);
  }

  function _callCheckCancel(dest: AnyFuture): void {
    if (!dest.cancelled()) return;
    if (sourceLoop === null || sourceLoop === destLoop) {
      source.cancel();
    } else {
      sourceLoop.callSoonThreadsafe(function cancel() {
        source.cancel();
      });
    }
  }

  function _callSetState(src: AnyFuture): void {
    if (destination.cancelled() && destLoop?.isClosed()) return;
    if (destLoop === null || destLoop === sourceLoop) {
      _setState(destination, src);
    } else {
      if (destLoop.isClosed()) return;
      destLoop.callSoonThreadsafe(
        pyNamed("_chain_future.<locals>._set_state", _setState),
        destination,
        src,
      );
    }
  }

  (destination.addDoneCallback as (fn: (f: AnyFuture) => void) => void).call(
    destination,
    pyNamed("_chain_future.<locals>._call_check_cancel", _callCheckCancel),
  );
  (source.addDoneCallback as (fn: (f: AnyFuture) => void) => void).call(
    source,
    pyNamed("_chain_future.<locals>._call_set_state", _callSetState),
  );
}

/**
 * An asyncio Future (of `loop`, by default the current one) that follows the concurrent Future
 * `future` (Python's `asyncio.wrap_future`); an asyncio Future is returned as is. Cancelling the
 * asyncio Future cancels `future` (which stops the work if it has not started). Anything else:
 * `TypeError('concurrent.futures.Future is expected, got ...')` (CPython's AssertionError).
 */
export function wrapFuture<T>(
  future: ConcurrentFuture<T> | Future<T>,
  options?: { loop?: AbstractEventLoop | null },
): Future<T> {
  if (isFuture(future)) return future as Future<T>;
  if (!isConcurrentFuture(future)) {
    throw new TypeError(`concurrent.futures.Future is expected, got ${pyRepr(future)}`);
  }
  const loop = options?.loop ?? getEventLoop();
  const newFuture = _newFuture<T>(loop);
  _chainFuture(future as ConcurrentFuture<unknown>, newFuture as Future<unknown>);
  const cf = future as ConcurrentFuture<unknown>;
  if (cf._offThread && !cf.done()) {
    // Work in real time in another thread or process: a VirtualTimeLoop holds its clock until
    // it is done (a concurrent future completed by the loop's own timers must not count).
    const counted = loop as { _executorCalls?: number };
    if (typeof counted._executorCalls === "number") {
      counted._executorCalls++;
      cf.addDoneCallback(() => {
        (counted._executorCalls as number)--;
      });
    }
  }
  return newFuture;
}
