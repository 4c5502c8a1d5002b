/**
 * Synchronization primitives (Python's `asyncio.locks`): {@link Lock}, {@link Event},
 * {@link Condition}, {@link Semaphore}, {@link BoundedSemaphore} and {@link Barrier}.
 *
 * They are not thread-safe and not owned by a task, exactly like asyncio's. Every waiting
 * method parks a Future in a FIFO (mixins.ts `Waiters`), so waiters are served in arrival order:
 * there is no barging (a newcomer queues behind a waiter that was woken but has not run yet),
 * and a waiter that is cancelled after being woken passes its turn on to the next one.
 *
 * `lock.run(body)` is Python's `async with lock:`. After `await lock.acquire()`, `await using _ =
 * lock;` releases at the end of the block (`Symbol.asyncDispose`).
 */

import type { AwaitableCoroutine, Coroutine } from "./coroutines.ts";
import { _markCoroutineMethods, awaitable } from "./coroutines.ts";
import { BrokenBarrierError, CancelledError, RuntimeError, ValueError } from "./exceptions.ts";
import {
  className,
  compareError,
  customRepr,
  isPyNumber,
  keepClassNames,
  libraryClasses,
  pyRepr,
  pyTruthy,
} from "./format.ts";
import { LoopBound, runHolding, Waiters } from "./mixins.ts";
import { _awaitOverride } from "./tasks.ts";

/**
 * The body of `run()` (Python's `async with` block): a generator function, an `async` function
 * or a plain function. It runs as code of the calling task.
 */
export type LockBody<R> = () => Coroutine<R> | PromiseLike<R> | R;

function reprWith(name: string, extra: string, waiters: number): string {
  return `<${name} [${waiters > 0 ? `${extra}, waiters:${waiters}` : extra}]>`;
}

// ---------------------------------------------------------------------------------------------
// Lock

const lockAcquire = awaitable(function* acquire(lock: Lock): Coroutine<true> {
  // Fair scheduling: a newcomer takes the lock only if nobody (not cancelled) is waiting.
  if (!lock._locked && !lock._waiters.hasLiveWaiter()) {
    lock._locked = true;
    return true;
  }
  const fut = lock._waiters.park(lock._getLoop());
  try {
    try {
      yield* fut;
    } finally {
      lock._waiters.remove(fut);
    }
  } catch (e) {
    // Keep the invariant: if the lock is free and someone waits, the head will run.
    if (e instanceof CancelledError && !lock._locked) lock._wakeUpFirst();
    throw e;
  }
  lock._locked = true;
  return true;
}, "Lock.acquire");

/**
 * A mutual-exclusion lock, not owned by any task (Python's `asyncio.Lock`).
 *
 * ```ts
 * yield* lock.run(function* () { ... });              // generator coroutine
 * await lock.run(async () => { ... });                // async function
 * await lock.acquire(); await using _ = lock;          // released at the end of the block
 * ```
 */
export class Lock extends LoopBound {
  /** @internal */ readonly _waiters = new Waiters<boolean>();
  /** @internal */ _locked = false;

  /** True if the lock is held. */
  locked(): boolean {
    return this._locked;
  }

  /**
   * Waits until the lock is free, takes it and returns true. Waiters get the lock in arrival
   * order; while anyone (not cancelled) waits, a new caller queues even if the lock is free.
   *
   * Cancellation: the waiter leaves the queue and nothing is acquired; if it had already been
   * handed the lock, the lock goes on to the next waiter.
   */
  acquire(): AwaitableCoroutine<true> {
    return lockAcquire(this);
  }

  /**
   * Releases the lock and wakes the first waiter (which takes it when it runs).
   * `RuntimeError('Lock is not acquired.')` if the lock is not held.
   */
  release(): void {
    if (!this._locked) throw new RuntimeError("Lock is not acquired.");
    this._locked = false;
    this._wakeUpFirst();
  }

  /** @internal */
  _wakeUpFirst(): void {
    this._waiters.wakeHead(true);
  }

  /**
   * Python's `async with lock:`: acquires, runs `body` as code of the calling task and returns
   * its result, releases on every way out of it.
   *
   * Cancellation: while acquiring, as {@link Lock.acquire} (nothing to release); in the body,
   * the CancelledError goes through the body and the lock is released as it leaves.
   */
  run<R>(body: LockBody<R>): AwaitableCoroutine<R> {
    return runHolding(this, body);
  }

  /** Releases the lock: `await lock.acquire(); await using _ = lock;`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.release();
  }

  [customRepr](): string {
    return reprWith(className(this), this._locked ? "locked" : "unlocked", this._waiters.length);
  }
}

// ---------------------------------------------------------------------------------------------
// Event

const eventWait = awaitable(function* wait(event: Event): Coroutine<true> {
  if (event._value) return true;
  const fut = event._waiters.park(event._getLoop());
  try {
    yield* fut;
    return true;
  } finally {
    event._waiters.remove(fut);
  }
}, "Event.wait");

/**
 * A flag that tasks can wait for (Python's `asyncio.Event`): `set()` wakes every waiter,
 * `clear()` makes later `wait()` calls block again.
 */
export class Event extends LoopBound {
  /** @internal */ readonly _waiters = new Waiters<boolean>();
  /** @internal */ _value = false;

  /** True if the flag is set (Python's `is_set()`). */
  isSet(): boolean {
    return this._value;
  }

  /**
   * Sets the flag and wakes every waiter (in FIFO order). A waiter woken by `set()` returns
   * true even if `clear()` is called before it runs.
   */
  set(): void {
    if (!this._value) {
      this._value = true;
      this._waiters.wake(Number.POSITIVE_INFINITY, true);
    }
  }

  /** Clears the flag. */
  clear(): void {
    this._value = false;
  }

  /**
   * Returns true once the flag is set; at once, without suspending, if it already is.
   *
   * Cancellation: the waiter leaves the queue; nothing else changes.
   */
  wait(): AwaitableCoroutine<true> {
    return eventWait(this);
  }

  [customRepr](): string {
    return reprWith(className(this), this._value ? "set" : "unset", this._waiters.length);
  }
}

// ---------------------------------------------------------------------------------------------
// Condition

const NO_ERROR: unique symbol = Symbol("no error");

const conditionWait = awaitable(function* wait(cond: Condition): Coroutine<true> {
  if (!cond.locked()) throw new RuntimeError("cannot wait on un-acquired lock");
  const loop = cond._getLoop();
  cond.release();
  // `finally` blocks, as CPython's: they also run when the coroutine is closed (`return()`).
  let completed = false;
  try {
    let waitError: unknown = NO_ERROR;
    try {
      const fut = cond._waiters.park(loop);
      try {
        yield* fut;
      } catch (e) {
        waitError = e;
      } finally {
        cond._waiters.remove(fut);
      }
    } finally {
      // Re-acquire the lock even if the wait was cancelled; only CancelledError is retried,
      // and one raised here replaces the wait's error.
      let err: CancelledError | null = null;
      for (;;) {
        try {
          yield* _awaitOverride(cond.acquire()); // the lock's, maybe a subclass's
          break;
        } catch (e) {
          // biome-ignore lint/correctness/noUnsafeFinally: CPython's finally raises it too
          if (!(e instanceof CancelledError)) throw e;
          err = e;
        }
      }
      // biome-ignore lint/correctness/noUnsafeFinally: replaces the wait's error, as in CPython
      if (err !== null) throw err;
    }
    if (waitError !== NO_ERROR) throw waitError;
    completed = true;
    return true;
  } finally {
    // An error (or a close) may have come after this waiter was notified: notify another one
    // instead (a spurious wake-up, which the condition-variable protocol allows).
    if (!completed) cond._notify(1);
  }
}, "Condition.wait");

const conditionWaitFor = awaitable(function* waitFor(
  cond: Condition,
  predicate: () => unknown,
): Coroutine<unknown> {
  let result = predicate();
  // Python's `while not result: await self.wait()`: truthiness as Python's, and a subclass's
  // wait() is the one called.
  while (!pyTruthy(result)) {
    yield* _awaitOverride(cond.wait());
    result = predicate();
  }
  return result;
}, "Condition.wait_for");

/**
 * A condition variable (Python's `asyncio.Condition`): tasks holding its lock wait until
 * another task notifies them. The lock is a new {@link Lock} unless one is given (to share it).
 */
export class Condition extends LoopBound {
  /** @internal */ readonly _lock: Lock;
  /** @internal */ readonly _waiters = new Waiters<boolean>();

  constructor(lock?: Lock | null) {
    super();
    this._lock = lock ?? new Lock();
  }

  /** True if the underlying lock is held. */
  locked(): boolean {
    return this._lock.locked();
  }

  /** Acquires the underlying lock (see {@link Lock.acquire}, also for cancellation). */
  acquire(): AwaitableCoroutine<true> {
    return this._lock.acquire();
  }

  /** Releases the underlying lock (see {@link Lock.release}). */
  release(): void {
    this._lock.release();
  }

  /**
   * Releases the lock, waits to be notified, re-acquires the lock and returns true. The caller
   * must hold the lock: `RuntimeError('cannot wait on un-acquired lock')` otherwise. A woken
   * waiter returns only once it holds the lock again; wake-ups may be spurious, so re-check
   * the state (or use {@link Condition.waitFor}).
   *
   * Cancellation: the lock is re-acquired before CancelledError propagates (so the caller
   * still holds it in its `finally`); if this waiter had been notified, another is notified
   * in its place.
   */
  wait(): AwaitableCoroutine<true> {
    return conditionWait(this);
  }

  /**
   * Waits until `predicate()` is true by Python's truthiness (an empty array, Map or Set is
   * false, NaN is true) and returns its value; calls `wait()` as often as needed. With the predicate already true it returns at once, lock or
   * not. Cancellation: as {@link Condition.wait}.
   */
  waitFor<T>(predicate: () => T): AwaitableCoroutine<T> {
    return conditionWaitFor(this, predicate) as AwaitableCoroutine<T>;
  }

  /**
   * Wakes up to `n` waiters (FIFO); each returns from `wait()` once it re-acquires the lock,
   * so only after the caller releases it. `RuntimeError('cannot notify on un-acquired lock')`
   * if the lock is not held.
   */
  notify(n = 1): void {
    if (!this.locked()) throw new RuntimeError("cannot notify on un-acquired lock");
    this._notify(n);
  }

  /** @internal */
  _notify(n: number): void {
    // Python compares the count with each waiter's index: only a waiter makes a bad n fail.
    if (!isPyNumber(n) && this._waiters.length > 0) throw compareError(">=", 0, n);
    this._waiters.wake(n, false);
  }

  /** Wakes every waiter (see {@link Condition.notify}). */
  notifyAll(): void {
    this.notify(this._waiters.length);
  }

  /** Python's `async with cond:` on the underlying lock (see {@link Lock.run}). */
  run<R>(body: LockBody<R>): AwaitableCoroutine<R> {
    return runHolding(this, body);
  }

  /** Releases the lock: `await cond.acquire(); await using _ = cond;`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.release();
  }

  [customRepr](): string {
    return reprWith(className(this), this.locked() ? "locked" : "unlocked", this._waiters.length);
  }
}

// ---------------------------------------------------------------------------------------------
// Semaphore

const semaphoreAcquire = awaitable(function* acquire(sem: Semaphore): Coroutine<true> {
  if (!sem.locked()) {
    // Only when nobody waits: FIFO even if the value is above zero.
    sem._value--;
    return true;
  }
  const fut = sem._waiters.park(sem._getLoop());
  try {
    try {
      yield* fut;
    } finally {
      sem._waiters.remove(fut);
    }
  } catch (e) {
    // Woken (a slot was counted for us) but cancelled before running: give the slot back.
    if (e instanceof CancelledError && fut.done() && !fut.cancelled()) sem._value++;
    throw e;
  } finally {
    // Newcomers may have queued behind us because of FIFO: wake as many as the value allows.
    while (sem._value > 0) {
      if (!sem._wakeUpNext()) break;
    }
  }
  return true;
}, "Semaphore.acquire");

/**
 * A counter of free slots (Python's `asyncio.Semaphore`): `acquire()` takes one, waiting in
 * FIFO order while there is none; `release()` gives one back. `release()` may raise the value
 * above its start; use {@link BoundedSemaphore} to catch that.
 */
export class Semaphore extends LoopBound {
  /** @internal */ readonly _waiters = new Waiters<boolean>();
  /** @internal */ _value: number;

  /** `ValueError('Semaphore initial value must be >= 0')` for a negative value. */
  constructor(value = 1) {
    super();
    if (!isPyNumber(value)) throw compareError("<", value, 0);
    if (value < 0) throw new ValueError("Semaphore initial value must be >= 0");
    // Python's bools and ints are numbers: Semaphore(False) is a locked one, and the value is
    // kept as given (repr `value:True`) until acquire/release count it.
    this._value = value;
  }

  /** True if `acquire()` would wait: no slot free, or others (not cancelled) are waiting. */
  locked(): boolean {
    return Number(this._value) === 0 || this._waiters.hasLiveWaiter();
  }

  /**
   * Takes a slot and returns true, waiting (FIFO, no barging) while none is free.
   *
   * Cancellation: the waiter leaves the queue; a slot it had been handed goes back to the
   * semaphore and on to the next waiter.
   */
  acquire(): AwaitableCoroutine<true> {
    return semaphoreAcquire(this);
  }

  /** Gives a slot back and wakes the first waiter. */
  release(): void {
    this._value++;
    this._wakeUpNext();
  }

  /** @internal Hands a slot to the first waiter not woken yet; false if there is none. */
  _wakeUpNext(): boolean {
    if (this._waiters.wake(1, true) === 0) return false;
    this._value--;
    return true;
  }

  /**
   * Python's `async with sem:`: takes a slot, runs `body`, gives the slot back on every way out
   * of it. Cancellation: as {@link Lock.run}.
   */
  run<R>(body: LockBody<R>): AwaitableCoroutine<R> {
    return runHolding(this, body);
  }

  /** Releases a slot: `await sem.acquire(); await using _ = sem;`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.release();
  }

  [customRepr](): string {
    return reprWith(
      className(this),
      this.locked() ? "locked" : `unlocked, value:${pyRepr(this._value)}`,
      this._waiters.length,
    );
  }
}

/**
 * A {@link Semaphore} whose `release()` raises `ValueError('BoundedSemaphore released too many
 * times')` instead of going above the initial value (Python's `asyncio.BoundedSemaphore`).
 */
export class BoundedSemaphore extends Semaphore {
  /** @internal */ readonly _boundValue: number;

  constructor(value = 1) {
    super(value);
    this._boundValue = value;
  }

  override release(): void {
    if (this._value >= this._boundValue) {
      throw new ValueError("BoundedSemaphore released too many times");
    }
    super.release();
  }
}

// ---------------------------------------------------------------------------------------------
// Barrier

type BarrierState = "filling" | "draining" | "resetting" | "broken";

const barrierWait = awaitable(function* wait(barrier: Barrier): Coroutine<number> {
  const cond = barrier._cond;
  yield* cond.acquire();
  try {
    // Block while the barrier drains or resets.
    yield* conditionWaitFor(
      cond,
      () => barrier._state !== "draining" && barrier._state !== "resetting",
    );
    if (barrier._state === "broken") throw new BrokenBarrierError("Barrier aborted");
    try {
      const index = barrier._count;
      barrier._count++;
      if (index + 1 === Number(barrier._parties)) {
        // The last party releases everybody.
        barrier._state = "draining";
        cond.notifyAll();
      } else {
        yield* conditionWaitFor(cond, () => barrier._state !== "filling");
        const state = barrier._state as BarrierState; // changed by other tasks meanwhile
        if (state === "broken" || state === "resetting") {
          throw new BrokenBarrierError("Abort or reset of barrier");
        }
      }
      return index;
    } finally {
      barrier._count--;
      barrier._exit();
    }
  } finally {
    cond.release();
  }
}, "Barrier.wait");

const barrierReset = awaitable(function* reset(barrier: Barrier): Coroutine<void> {
  const cond = barrier._cond;
  yield* cond.acquire();
  try {
    if (barrier._count > 0) {
      if (barrier._state !== "resetting") barrier._state = "resetting";
    } else {
      barrier._state = "filling";
    }
    cond.notifyAll();
  } finally {
    cond.release();
  }
}, "Barrier.reset");

const barrierAbort = awaitable(function* abort(barrier: Barrier): Coroutine<void> {
  const cond = barrier._cond;
  yield* cond.acquire();
  try {
    barrier._state = "broken";
    cond.notifyAll();
  } finally {
    cond.release();
  }
}, "Barrier.abort");

/**
 * Makes a fixed number of tasks meet (Python's `asyncio.Barrier`): each `wait()` blocks until
 * `parties` tasks are waiting, then all proceed. Reusable: it fills, drains, fills again.
 * Python's `async with barrier as i:` is `const i = await barrier.wait()`.
 */
export class Barrier extends LoopBound {
  /** @internal notifies every waiting task when the state changes */
  readonly _cond = new Condition();
  /** @internal as given: Python's Barrier(True) shows True (counted as Number(_parties)) */
  readonly _parties: number;
  /** @internal */ _state: BarrierState = "filling";
  /** @internal tasks inside `wait()` */ _count = 0;

  /** `ValueError('parties must be > 0')` unless `parties >= 1`. */
  constructor(parties: number) {
    super();
    if (!isPyNumber(parties)) throw compareError("<", parties, 1);
    if (parties < 1) throw new ValueError("parties must be > 0");
    this._parties = parties;
  }

  /**
   * Waits until `parties` tasks are waiting; returns this task's arrival index (0 to
   * `parties - 1`). `BrokenBarrierError` if the barrier is broken (`abort()`) or reset while
   * waiting. A task arriving while the barrier drains waits for the next round.
   *
   * Cancellation: the task leaves the barrier (no longer counted in `nWaiting`); the others
   * keep waiting.
   */
  wait(): AwaitableCoroutine<number> {
    return barrierWait(this);
  }

  /**
   * Returns the barrier to the empty, filling state; tasks waiting in it get
   * `BrokenBarrierError`. Cancellation: only while acquiring the internal lock (nothing done).
   */
  reset(): AwaitableCoroutine<void> {
    return barrierReset(this);
  }

  /**
   * Breaks the barrier: current and later `wait()` calls raise `BrokenBarrierError` until
   * `reset()`. Cancellation: only while acquiring the internal lock (nothing done).
   */
  abort(): AwaitableCoroutine<void> {
    return barrierAbort(this);
  }

  /** @internal The last task out of a draining or resetting barrier sets it filling again. */
  _exit(): void {
    if (this._count === 0) {
      if (this._state === "resetting" || this._state === "draining") this._state = "filling";
      this._cond.notifyAll();
    }
  }

  /** How many tasks the barrier waits for. */
  get parties(): number {
    return this._parties;
  }

  /** How many tasks are waiting while the barrier fills (Python's `n_waiting`). */
  get nWaiting(): number {
    return this._state === "filling" ? this._count : 0;
  }

  /** True once `abort()` has broken the barrier (until `reset()`). */
  get broken(): boolean {
    return this._state === "broken";
  }

  [customRepr](): string {
    const extra = this.broken
      ? this._state
      : `${this._state}, waiters:${this.nWaiting}/${pyRepr(this.parties)}`;
    return `<${className(this)} [${extra}]>`;
  }
}

// `async def` methods in CPython: isCoroutineFunction(lock.acquire) is true.
_markCoroutineMethods(Lock, ["acquire"]);
_markCoroutineMethods(Event, ["wait"]);
_markCoroutineMethods(Condition, ["acquire", "wait", "waitFor"]);
_markCoroutineMethods(Semaphore, ["acquire"]);
_markCoroutineMethods(Barrier, ["wait", "reset", "abort"]);

libraryClasses(Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier);

keepClassNames({ Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier });
