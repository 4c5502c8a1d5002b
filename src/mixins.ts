/**
 * What the synchronization primitives (locks.ts) and the queues (queues.ts) share. Internal
 * module.
 *
 * - {@link LoopBound}: Python's `mixins._LoopBoundMixin`: an object binds to the running loop the
 *   first time it has to wait, and refuses any other loop afterwards.
 * - {@link Waiters}: the fair waiter queue. CPython parks one Future per waiting task in a deque
 *   in each primitive; the ways the primitives wake those futures are collected here, so that
 *   fairness (strict FIFO) and the handling of cancelled waiters are written once.
 * - {@link runHolding}: Python's `async with` (`_ContextManagerMixin`) as `run(body)`.
 */

import { type AwaitableCoroutine, awaitable, type Coroutine } from "./coroutines.ts";
import { Deque } from "./deque.ts";
import { type AbstractEventLoop, getRunningLoop } from "./events.ts";
import { RuntimeError } from "./exceptions.ts";
import { libraryClasses, pyRepr } from "./format.ts";
import { _newFuture, type Future } from "./futures.ts";
import { _awaitOverride, _callInTask } from "./tasks.ts";

/** Python's `_LoopBoundMixin`: the loop is the running loop of the first wait. */
export class LoopBound {
  /** @internal */ _loop: AbstractEventLoop | null = null;

  /** @internal Python's `_get_loop()`: `RuntimeError` when used from a second loop. */
  _getLoop(): AbstractEventLoop {
    const loop = getRunningLoop();
    const bound = this._loop;
    if (bound !== null && bound !== loop) {
      throw new RuntimeError(`${pyRepr(this)} is bound to a different event loop`);
    }
    // Stored on every call, not only on the first: a store that only the first wait of each
    // object makes never gets type feedback, and optimised callers deoptimize on it when a new
    // primitive (e.g. a new run's Queue) first waits.
    this._loop = loop;
    return loop;
  }

  /** The Python repr (each class gives it with `[customRepr]()`). */
  toString(): string {
    return pyRepr(this);
  }
}

/**
 * @internal A FIFO of parked futures, one per waiting task. The waiting side creates its future
 * with {@link park} and removes it itself when it resumes (or the waking side pops it, as the
 * queues do); the waking side picks futures with one of the `wake*` methods. A future that is
 * already done is either cancelled (its task is about to see CancelledError) or already woken:
 * the wake methods skip it, exactly as CPython's loops over `_waiters` do.
 */
export class Waiters<T> {
  private readonly futures = new Deque<Future<T>>();

  /** How many futures are parked (Python's `len(self._waiters)`). */
  get length(): number {
    return this.futures.length;
  }

  /** A new future of `loop`, parked at the back. */
  park(loop: AbstractEventLoop): Future<T> {
    const fut = _newFuture<T>(loop);
    this.futures.push(fut);
    return fut;
  }

  /** Takes `fut` out of the queue; false if it was no longer there. */
  remove(fut: Future<T>): boolean {
    return this.futures.remove(fut);
  }

  /** True if some parked future is not cancelled: a waiter that has its turn before a newcomer. */
  hasLiveWaiter(): boolean {
    for (const fut of this.futures) if (!fut.cancelled()) return true;
    return false;
  }

  /**
   * Wakes the future at the head if it is not done yet (Lock's `_wake_up_first`). A done head is
   * already on its way: woken, or cancelled, in which case its task passes the turn on.
   */
  wakeHead(value: T): void {
    const fut = this.futures.peekFront();
    if (fut !== undefined && !fut.done()) fut.setResult(value);
  }

  /** Wakes the first `n` futures that are not done yet, in FIFO order; returns how many. */
  wake(n: number, value: T): number {
    let woken = 0;
    for (const fut of this.futures) {
      if (woken >= n) break;
      if (!fut.done()) {
        woken++;
        fut.setResult(value);
      }
    }
    return woken;
  }

  /** Pops futures from the front until one that is not done, and wakes it (Queue's `_wakeup_next`). */
  popNext(value: T): void {
    for (;;) {
      const fut = this.futures.shift();
      if (fut === undefined) return;
      if (!fut.done()) {
        fut.setResult(value);
        return;
      }
    }
  }

  /** Pops every future, waking those that are not done (Queue's `shutdown()`). */
  popAll(value: T): void {
    while (this.futures.length > 0) this.popNext(value);
  }
}

/** What `run()` needs: Lock, Semaphore, BoundedSemaphore and Condition have both methods. */
export interface Holdable {
  acquire(): AwaitableCoroutine<unknown>;
  release(): void;
}

const runHoldingGen = awaitable(function* run(
  owner: Holdable,
  body: () => unknown,
): Coroutine<unknown> {
  yield* _awaitOverride(owner.acquire()); // a subclass's acquire() may be `async`
  try {
    return yield* _callInTask(body as () => Coroutine<unknown>);
  } finally {
    owner.release();
  }
});

/**
 * @internal Python's `async with owner: body` (`_ContextManagerMixin`): acquire, run the body
 * as code of the current task (a generator function's coroutine, an `async` function whose
 * awaits are the task's, or a plain function), release on every way out of the body. A
 * cancelled or failed `acquire()` releases nothing.
 */
export function runHolding<R>(
  owner: Holdable,
  body: () => Coroutine<R> | PromiseLike<R> | R,
): AwaitableCoroutine<R> {
  return runHoldingGen(owner, body) as AwaitableCoroutine<R>;
}

libraryClasses(LoopBound);
