/**
 * Queues for coordinating producer and consumer tasks (Python's `asyncio.queues`):
 * {@link Queue} (FIFO), {@link LifoQueue} and {@link PriorityQueue}.
 *
 * Blocked `get()` and `put()` calls are served in arrival order; a getter (or putter) that is
 * cancelled after being woken passes the wake-up on, so no item (or free slot) is lost. A queue
 * is an async iterable of its items until it is shut down: `for await (const item of queue)`;
 * in a generator coroutine, `yield* queue.forEach(function* (item) { ... })`.
 */

import type { AwaitableCoroutine, Coroutine } from "./coroutines.ts";
import { _libraryCoroutine, _markCoroutineMethods, awaitable } from "./coroutines.ts";
import { Deque } from "./deque.ts";
import { QueueEmpty, QueueFull, QueueShutDown, ValueError } from "./exceptions.ts";
import {
  className,
  compareError,
  customRepr,
  isPyNumber,
  keepClassNames,
  libraryClasses,
  pyRepr,
  pyTruthy,
  pyTypeName,
} from "./format.ts";
import { Event } from "./locks.ts";
import { LoopBound, Waiters } from "./mixins.ts";
import { _awaitOverride, _callInTask } from "./tasks.ts";

/**
 * The body of `forEach()`: a generator function, an `async` function or a plain function of the
 * item. It runs as code of the calling task.
 */
export type ItemBody<T> = (item: T) => Coroutine<unknown> | PromiseLike<unknown> | unknown;

const queuePut = function* put<T>(queue: Queue<T>, item: T): Coroutine<void> {
  while (queue.full()) {
    if (queue._isShutdown) throw new QueueShutDown();
    const putter = queue._putters.park(queue._getLoop());
    let woken = false;
    try {
      yield* putter;
      woken = true;
    } finally {
      if (!woken) {
        putter.cancel(); // in case it is not done yet
        // It may already be gone: popped by getNowait() or shutdown().
        queue._putters.remove(putter);
        // Woken by getNowait() but leaving: pass the free slot on to the next putter.
        if (!queue.full() && !putter.cancelled()) queue._putters.popNext(undefined);
      }
    }
  }
  // What putNowait returns (None unless a subclass returns something), as CPython's put().
  return queue.putNowait(item);
};
awaitable(queuePut, "Queue.put");

const queueGet = function* get<T>(queue: Queue<T>): Coroutine<T> {
  while (queue.empty()) {
    if (queue._isShutdown && queue.empty()) throw new QueueShutDown(); // (CPython asks twice)
    const getter = queue._getters.park(queue._getLoop());
    let woken = false;
    try {
      yield* getter;
      woken = true;
    } finally {
      if (!woken) {
        getter.cancel(); // in case it is not done yet
        // It may already be gone: popped by putNowait() or shutdown().
        queue._getters.remove(getter);
        // Woken by putNowait() but leaving: pass the item on to the next getter.
        if (!queue.empty() && !getter.cancelled()) queue._getters.popNext(undefined);
      }
    }
  }
  return queue.getNowait();
};
awaitable(queueGet, "Queue.get");

const queueJoin = awaitable(function* join(queue: Queue<unknown>): Coroutine<void> {
  if (queue._unfinishedTasks > 0) yield* queue._finished.wait();
}, "Queue.join");

const queueForEach = awaitable(function* forEach(
  queue: Queue<unknown>,
  body: ItemBody<unknown>,
): Coroutine<void> {
  for (;;) {
    let item: unknown;
    try {
      item = yield* _awaitOverride(queue.get()); // a subclass's get() may be `async`
    } catch (e) {
      if (e instanceof QueueShutDown) return;
      throw e;
    }
    yield* _callInTask(() => body(item) as Coroutine<unknown>);
  }
}, "Queue.forEach");

/** One step of `for await` over a queue: the next item, or done once it is shut down and empty. */
const queueAnext = awaitable(function* anext(
  queue: Queue<unknown>,
): Coroutine<IteratorResult<unknown, undefined>> {
  try {
    return { value: yield* _awaitOverride(queue.get()), done: false };
  } catch (e) {
    if (e instanceof QueueShutDown) return { value: undefined, done: true };
    throw e;
  }
}, "Queue.__anext__");

/**
 * What `for await (const item of queue)` iterates with. Not an async generator: `yield` in one
 * awaits a thenable, so a queue of Tasks or promises would hand out their results (and wait for
 * them), where `get()` gives the items themselves.
 */
export interface QueueAsyncIterator<T> {
  next(): Promise<IteratorResult<T, undefined>>;
  [Symbol.asyncIterator](): QueueAsyncIterator<T>;
}

/**
 * What a queue keeps its items in: the Deque or array of the built-in queues, or what a
 * subclass's `_init` returns (Python takes any container `len()` works on: here anything with a
 * `length` or a `size`, a Set or Map for instance).
 */
export type QueueStorage<T> = Iterable<T> &
  ({ readonly length: number } | { readonly size: number });

/** Python's `len(self._queue)` (callers read `length` first: the built-in queues' case). */
function storageLength(storage: QueueStorage<unknown>): number {
  const n = (storage as { length?: unknown }).length;
  if (typeof n === "number") return n;
  const size = (storage as { size?: unknown }).size;
  if (typeof size === "number") return size;
  throw new TypeError(`object of type '${pyTypeName(storage)}' has no len()`);
}

/**
 * A first-in, first-out queue (Python's `asyncio.Queue`). With `maxsize <= 0` (the default) it
 * is unbounded; otherwise `put()` waits while it holds `maxsize` items.
 *
 * ```ts
 * const queue = new asyncio.Queue<number>();
 * yield* queue.put(1);              // or: await queue.put(1)
 * const item = yield* queue.get();  // or: await queue.get()
 * queue.taskDone();
 * ```
 */
export class Queue<T = unknown> extends LoopBound implements AsyncIterable<T> {
  /** @internal */ readonly _maxsize: number;
  /** @internal the items; subclasses choose the structure (`_init`, `_put`, `_get`) */
  _queue: QueueStorage<T>;
  /** @internal tasks blocked in `get()` */ readonly _getters = new Waiters<void>();
  /** @internal tasks blocked in `put()` */ readonly _putters = new Waiters<void>();
  /** @internal items put and not yet marked done */ _unfinishedTasks = 0;
  /** @internal set while no task is unfinished */ readonly _finished = new Event();
  /** @internal */ _isShutdown = false;

  constructor(maxsize = 0) {
    super();
    this._maxsize = maxsize;
    this._finished.set();
    this._queue = this._init(maxsize);
  }

  // The storage, overridden by LifoQueue and PriorityQueue (Python's `_init`, `_put`, `_get`).

  /** @internal */
  _init(_maxsize: number): QueueStorage<T> {
    return new Deque<T>();
  }

  /** @internal */
  _put(item: T): void {
    (this._queue as Deque<T>).push(item);
  }

  /** @internal */
  _get(): T {
    return (this._queue as Deque<T>).shift() as T;
  }

  /** The bound given to the constructor; `<= 0` means unbounded. */
  get maxsize(): number {
    return this._maxsize;
  }

  /** The number of items in the queue. */
  qsize(): number {
    const n = (this._queue as Deque<T>).length;
    return n !== undefined ? n : storageLength(this._queue);
  }

  /** True if the queue holds no item. */
  empty(): boolean {
    const n = (this._queue as Deque<T>).length;
    return (n !== undefined ? n : storageLength(this._queue)) === 0;
  }

  /** True if the queue holds `maxsize` items (never for an unbounded queue). */
  full(): boolean {
    if (!isPyNumber(this._maxsize)) throw compareError("<=", this._maxsize, 0);
    if (this._maxsize <= 0) return false;
    return this.qsize() >= this._maxsize;
  }

  /**
   * Puts `item` in the queue, first waiting (FIFO among putters) while it is full.
   * `QueueShutDown` if the queue is shut down, also while waiting.
   *
   * Cancellation: the item is not put; if this putter had been woken for a free slot, the
   * next putter gets the slot.
   */
  put(item: T): AwaitableCoroutine<void> {
    // Called directly, not through awaitable()'s shared wrapper (see _libraryCoroutine).
    return _libraryCoroutine(queuePut(this, item), "Queue.put");
  }

  /**
   * Puts `item` without waiting: `QueueFull` if the queue is full, `QueueShutDown` if it is
   * shut down. Counts one more unfinished task and wakes the first waiting getter.
   */
  putNowait(item: T): void {
    if (this._isShutdown) throw new QueueShutDown();
    if (this.full()) throw new QueueFull();
    this._put(item);
    this._unfinishedTasks++;
    this._finished.clear();
    this._getters.popNext(undefined);
  }

  /**
   * Removes and returns an item, first waiting (FIFO among getters) while the queue is empty.
   * `QueueShutDown` once the queue is shut down and empty (at once after
   * `shutdown(true)`, which empties it).
   *
   * Cancellation: no item is taken; if this getter had been woken for an item, the next
   * getter is woken for it.
   */
  get(): AwaitableCoroutine<T> {
    return _libraryCoroutine(queueGet(this), "Queue.get") as AwaitableCoroutine<T>;
  }

  /**
   * Removes and returns an item without waiting: `QueueEmpty` if there is none
   * (`QueueShutDown` if there is none and the queue is shut down). Wakes the first waiting
   * putter.
   */
  getNowait(): T {
    if (this.empty()) {
      if (this._isShutdown) throw new QueueShutDown();
      throw new QueueEmpty();
    }
    const item = this._get();
    this._putters.popNext(undefined);
    return item;
  }

  /**
   * Marks one item taken with `get()` as processed; `join()` returns once every item put has
   * been marked. `ValueError('task_done() called too many times')` if no item is unfinished.
   */
  taskDone(): void {
    if (this._unfinishedTasks <= 0) throw new ValueError("task_done() called too many times");
    this._unfinishedTasks--;
    if (this._unfinishedTasks === 0) this._finished.set();
  }

  /**
   * Waits until every item put has been marked done with `taskDone()`; returns at once, without
   * suspending, if none is unfinished.
   *
   * Cancellation: nothing is lost; the queue is unchanged.
   */
  join(): AwaitableCoroutine<void> {
    return queueJoin(this);
  }

  /**
   * Shuts the queue down (Python 3.13): `put()` and `putNowait()` raise `QueueShutDown` from
   * now on, and so do `get()` and `getNowait()` once the queue is empty. Blocked putters and
   * getters are woken to see it. With `immediate`, the queue is emptied first, each dropped
   * item counting as done (which may release `join()`), so getters raise at once.
   */
  shutdown(immediate = false): void {
    this._isShutdown = true;
    if (pyTruthy(immediate)) {
      while (!this.empty()) {
        this._get();
        if (this._unfinishedTasks > 0) this._unfinishedTasks--;
      }
      if (this._unfinishedTasks === 0) this._finished.set();
    }
    // Every blocked getter and putter re-checks the queue and raises QueueShutDown.
    this._getters.popAll(undefined);
    this._putters.popAll(undefined);
  }

  /**
   * Runs `body(item)` for each item `get()` returns, until the queue is shut down and empty
   * (then it returns); the generator-coroutine form of `for await (const item of queue)`.
   * `body` is a generator function or an `async` function; call `taskDone()` in it if you
   * `join()` the queue. Cancellation: as {@link Queue.get}, or at the body's own awaits.
   */
  forEach(body: ItemBody<T>): AwaitableCoroutine<void> {
    return queueForEach(this, body as ItemBody<unknown>);
  }

  /**
   * One step of async iteration: the next item `get()` returns, or done once the queue is shut
   * down and empty. In a generator coroutine:
   * `for (let r; !(r = yield* queue.anext()).done; ) use(r.value);` (or {@link forEach}).
   */
  anext(): AwaitableCoroutine<IteratorResult<T, undefined>> {
    return queueAnext(this) as AwaitableCoroutine<IteratorResult<T, undefined>>;
  }

  /**
   * `for await (const item of queue)`: each item `get()` returns, until the queue is shut down
   * and empty. Leaving the loop early loses nothing.
   */
  [Symbol.asyncIterator](): QueueAsyncIterator<T> {
    const it: QueueAsyncIterator<T> = {
      // A library coroutine: `for await` runs it as the task's await, and does not await
      // the item inside the result.
      next: () => queueAnext(this) as unknown as Promise<IteratorResult<T, undefined>>,
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }

  /** @internal Python's `_format()`. */
  _format(): string {
    let result = `maxsize=${pyRepr(this._maxsize)}`;
    if (storageLength(this._queue) > 0) result += ` _queue=${pyRepr([...this._queue])}`;
    if (this._getters.length > 0) result += ` _getters[${this._getters.length}]`;
    if (this._putters.length > 0) result += ` _putters[${this._putters.length}]`;
    if (this._unfinishedTasks > 0) result += ` tasks=${this._unfinishedTasks}`;
    if (this._isShutdown) result += " shutdown";
    return result;
  }

  /** `<Queue maxsize=5 _queue=[1] tasks=1>` (Python's `str(queue)`). */
  [customRepr](): string {
    return `<${className(this)} ${this._format()}>`;
  }
}

/** A last-in, first-out queue (Python's `asyncio.LifoQueue`): `get()` returns the newest item. */
export class LifoQueue<T = unknown> extends Queue<T> {
  /** @internal */
  override _init(_maxsize: number): T[] {
    return [];
  }

  /** @internal */
  override _put(item: T): void {
    (this._queue as T[]).push(item);
  }

  /** @internal */
  override _get(): T {
    return (this._queue as T[]).pop() as T;
  }
}

/** Options of {@link PriorityQueue}. */
export interface PriorityQueueOptions<T> {
  /**
   * Orders the items: negative if `a` comes out before `b`, positive if after, zero if either
   * may. Without it, items are ordered as Python orders them (see {@link PriorityQueue}).
   */
  compare?: (a: T, b: T) => number;
}

/**
 * A queue that returns the lowest item first (Python's `asyncio.PriorityQueue`), kept as a
 * binary heap exactly like Python's `heapq`, so items that compare equal come out in the same
 * order as in CPython.
 *
 * Without a `compare` option, items are ordered as Python would order them: numbers (and
 * booleans) and bigints by value, strings by code point, `Uint8Array`s byte by byte, arrays
 * element by element like tuples (`[priority, data]`). Anything else, or values of different
 * kinds, gives `TypeError("'<' not supported between instances of 'str' and 'int'")` as in
 * Python; a `put` that fails so leaves the item in the queue, uncounted, exactly as CPython.
 */
export class PriorityQueue<T = unknown> extends Queue<T> {
  /** @internal "a comes out before b" */ readonly _lt: (a: T, b: T) => boolean;

  constructor(maxsize = 0, options?: PriorityQueueOptions<T>) {
    super(maxsize);
    const compare = options?.compare;
    this._lt = compare === undefined ? pyLess : (a, b) => compare(a, b) < 0;
  }

  /** @internal */
  override _init(_maxsize: number): T[] {
    return [];
  }

  /** @internal */
  override _put(item: T): void {
    heappush(this._queue as T[], item, this._lt);
  }

  /** @internal */
  override _get(): T {
    return heappop(this._queue as T[], this._lt);
  }
}

// ---- Python's `<` ------------------------------------------------------------------------------

function isNumeric(v: unknown): v is number | bigint | boolean {
  const t = typeof v;
  return t === "number" || t === "bigint" || t === "boolean";
}

/** Python's `a == b` for the values `pyLess` orders (identity for everything else). */
function pyEquals(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  // biome-ignore lint/suspicious/noDoubleEquals: 1 == 1n == true, as in Python
  if (isNumeric(a) && isNumeric(b)) return a == b;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  // Dicts and sets are equal by content, as Python's == says (a tuple compares its items so).
  if (a instanceof Set && b instanceof Set) {
    if (a.size !== b.size) return false;
    for (const x of a) if (!b.has(x)) return false;
    return true;
  }
  const da = asDict(a);
  const db = asDict(b);
  if (da !== null && db !== null) {
    if (da.size !== db.size) return false;
    for (const [k, v] of da) if (!db.has(k) || !pyEquals(v, db.get(k))) return false;
    return true;
  }
  return false;
}

/** A Map or a plain object (both are Python dicts here) as a Map; null for anything else. */
function asDict(v: unknown): Map<unknown, unknown> | null {
  if (v instanceof Map) return v;
  if (typeof v !== "object" || v === null) return null;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null ? new Map(Object.entries(v)) : null;
}

/** `a < b` between strings, by code point like Python (JavaScript compares UTF-16 units). */
function stringLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.codePointAt(i)! < b.codePointAt(i)!;
  }
  return a.length < b.length;
}

/** Python's `a < b` for numbers, bigints, booleans, strings, bytes and arrays (as tuples). */
function pyLess(a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b)) return (a as number) < (b as number);
  if (typeof a === "string" && typeof b === "string") return stringLess(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    // Like tuples: the first pair of items that differ decides, else the shorter is less.
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!pyEquals(a[i], b[i])) return pyLess(a[i], b[i]);
    }
    return a.length < b.length;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
    return a.length < b.length;
  }
  throw compareError("<", a, b);
}

// ---- heapq, as CPython's C implementation (swaps, so a failing comparison leaves a valid list) --

function siftdown<T>(heap: T[], startpos: number, pos: number, lt: (a: T, b: T) => boolean): void {
  while (pos > startpos) {
    const parentpos = (pos - 1) >> 1;
    if (!lt(heap[pos]!, heap[parentpos]!)) break;
    const parent = heap[parentpos]!;
    heap[parentpos] = heap[pos]!;
    heap[pos] = parent;
    pos = parentpos;
  }
}

function siftup<T>(heap: T[], pos: number, lt: (a: T, b: T) => boolean): void {
  const endpos = heap.length;
  const startpos = pos;
  const limit = endpos >> 1;
  // Bubble the smaller child up until hitting a leaf, then sift the item back down.
  while (pos < limit) {
    let childpos = 2 * pos + 1;
    if (childpos + 1 < endpos && !lt(heap[childpos]!, heap[childpos + 1]!)) childpos++;
    const child = heap[childpos]!;
    heap[childpos] = heap[pos]!;
    heap[pos] = child;
    pos = childpos;
  }
  siftdown(heap, startpos, pos, lt);
}

function heappush<T>(heap: T[], item: T, lt: (a: T, b: T) => boolean): void {
  heap.push(item);
  siftdown(heap, 0, heap.length - 1, lt);
}

function heappop<T>(heap: T[], lt: (a: T, b: T) => boolean): T {
  const lastelt = heap.pop()!;
  if (heap.length === 0) return lastelt;
  const returnitem = heap[0]!;
  heap[0] = lastelt;
  siftup(heap, 0, lt);
  return returnitem;
}

// `async def` methods in CPython: isCoroutineFunction(queue.get) is true.
_markCoroutineMethods(Queue, ["put", "get", "join"]);

libraryClasses(Queue, PriorityQueue, LifoQueue);

keepClassNames({ Queue, LifoQueue, PriorityQueue });
