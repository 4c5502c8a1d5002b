/**
 * What the synchronization primitives (locks.ts) and the queues (queues.ts) share. Internal
 * module.
 *
 * - {@link LoopBound}: Python's `mixins._LoopBoundMixin`: an object binds to the running loop the
 *   first time it has to wait, and refuses any other loop afterwards.
 * - {@link Waiters}: the fair waiter queue. CPython parks one Future per waiting task in a deque
 *   in each primitive; the ways the primitives wake those futures are collected here, so that
 *   fairness (strict FIFO) and the handling of cancelled waiters are written once.
 * - {@link runHolding} and {@link withBody}: Python's `async with` (`_ContextManagerMixin`) as
 *   `run(body)`, for both coroutine syntaxes.
 */

import {
  type AwaitableCoroutine,
  awaitable,
  type Coroutine,
  isCoroutine,
  isCoroutineFunction,
  isGeneratorFunction,
  isThenable,
} from "./coroutines.ts";
import { Deque } from "./deque.ts";
import { type AbstractEventLoop, getRunningLoop } from "./events.ts";
import { RuntimeError } from "./exceptions.ts";
import { customRepr } from "./format.ts";
import { Future } from "./futures.ts";
import { createTask, ensureFuture } from "./tasks.ts";

/** Python's `_LoopBoundMixin`: the loop is the running loop of the first wait. */
export abstract class LoopBound {
  /** @internal */ _loop: AbstractEventLoop | null = null;

  abstract [customRepr](): string;

  /** @internal Python's `_get_loop()`: `RuntimeError` when used from a second loop. */
  _getLoop(): AbstractEventLoop {
    const loop = getRunningLoop();
    if (this._loop === null) this._loop = loop;
    if (loop !== this._loop) {
      throw new RuntimeError(`${this[customRepr]()} is bound to a different event loop`);
    }
    return loop;
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
    const fut = new Future<T>({ loop });
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

/** What `run()` and `forEach()` accept as the body: a generator function or an `async` function. */
export type Body<A extends unknown[], R> = (...args: A) => Coroutine<R> | PromiseLike<R> | R;

/** Awaits a generator coroutine from an `async` function (steps it inside the awaiting task). */
const delegate = awaitable(function* delegate(coro: Coroutine<unknown>): Coroutine<unknown> {
  return yield* coro;
}) as <R>(coro: Coroutine<R>) => AwaitableCoroutine<R>;

/**
 * @internal Runs `body(...args)` from a generator coroutine. A generator function's coroutine is
 * delegated to with `yield*`. An `async` function cannot run inside a generator coroutine's
 * task (its awaits would belong to no task), so it runs in a child task that this coroutine
 * awaits: cancelling this coroutine cancels the body, and waits for it to finish.
 */
export function* callBody<A extends unknown[], R>(body: Body<A, R>, args: A): Coroutine<R> {
  if (isGeneratorFunction(body)) return yield* (body(...args) as Coroutine<R>);
  if (isCoroutineFunction(body)) {
    return yield* createTask(() => body(...args) as PromiseLike<R>);
  }
  const r = body(...args);
  if (isCoroutine(r)) return yield* (r as Coroutine<R>);
  if (isThenable(r)) return yield* ensureFuture(r as PromiseLike<R>);
  return r as R;
}

/** @internal Runs `body(...args)` from an `async` function, in the awaiting task. */
export async function callBodyAsync<A extends unknown[], R>(body: Body<A, R>, args: A): Promise<R> {
  const r = body(...args);
  if (isCoroutine(r)) return await delegate(r as Coroutine<R>);
  return await (r as PromiseLike<R> | R);
}

/**
 * @internal A library coroutine that runs a user's `body`. Stepped as a generator (`yield*`,
 * `createTask`) it runs `genPath()`. Awaited from an `async` function with a body that is not
 * a generator function, it runs `asyncPath()` instead, so that the body is called directly in
 * the awaiting task: its awaits, `currentTask()` and context variables are the task's.
 */
export function withBody<R>(
  body: Function,
  genPath: () => Coroutine<R>,
  asyncPath: () => Promise<R>,
): AwaitableCoroutine<R> {
  const coro = delegate(genPath());
  if (!isGeneratorFunction(body)) {
    Object.defineProperty(coro, "then", {
      value: (onRes: (v: R) => unknown, onRej: (e: unknown) => unknown) =>
        asyncPath().then(onRes, onRej),
      writable: true,
      configurable: true,
    });
  }
  return coro;
}

/** What `run()` needs: Lock, Semaphore, BoundedSemaphore and Condition have both methods. */
export interface Holdable {
  acquire(): AwaitableCoroutine<unknown>;
  release(): void;
}

/**
 * @internal Python's `async with owner: body` (`_ContextManagerMixin`): acquire, run the body,
 * release on every path out of the body. A cancelled or failed `acquire()` releases nothing.
 */
export function runHolding<R>(owner: Holdable, body: Body<[], R>): AwaitableCoroutine<R> {
  return withBody(
    body,
    function* run() {
      yield* owner.acquire();
      try {
        return yield* callBody(body, []);
      } finally {
        owner.release();
      }
    },
    async () => {
      await owner.acquire();
      try {
        return await callBodyAsync(body, []);
      } finally {
        owner.release();
      }
    },
  );
}
