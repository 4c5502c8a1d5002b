/**
 * Database drivers inside asyncio-ts tasks (subpath `asyncio-ts/db`): driver-agnostic helpers
 * for the Node drivers (`mysql2`, `ioredis`, `mongodb`, …) that play the part of Python's
 * aiomysql / aioredis / motor.
 *
 * - {@link awaitCancellable}: awaits a driver's promise as code of the current task, so that
 *   cancelling the task (directly, by `timeout()`, by a `TaskGroup`) runs a driver-specific
 *   cancel action (MySQL/MariaDB `KILL QUERY` on a side connection, Redis: destroy the
 *   connection of a blocking command, or aborting an `AbortSignal`) before the task sees
 *   `CancelledError`.
 * - {@link ConnectionPool}: a fixed-size pool whose `acquire()` is a library awaitable
 *   (cancellable, FIFO-fair like `Semaphore`), with `run(body)` / `await using` that release on
 *   every path and discard a connection whose operation was cancelled mid-flight.
 *
 * The module depends on no driver: the driver side is typed by the small structural types below.
 */

import { type AwaitableCoroutine, awaitable, type Coroutine, isThenable } from "./coroutines.ts";
import { _getRunningLoop, type AbstractEventLoop, getRunningLoop } from "./events.ts";
import { CancelledError, RuntimeError, ValueError } from "./exceptions.ts";
import { customRepr } from "./format.ts";
import type { Future } from "./futures.ts";
import { shield } from "./gather.ts";
import { Semaphore } from "./locks.ts";
import { _callInTask, currentTask, ensureFuture } from "./tasks.ts";

// ---------------------------------------------------------------------------------------------
// awaitCancellable

/**
 * The driver's cancel action: called once, when the task is cancelled while the operation is
 * still pending. It may return a promise (e.g. of a `KILL QUERY` on a side connection), which
 * is awaited before the task sees `CancelledError`.
 */
export type CancelAction = (reason: CancelledError) => unknown;

/** Options of {@link awaitCancellable}. */
export interface CancellableOptions {
  /**
   * After cancellation, how long (seconds of the loop's clock) to wait for the cancel action
   * and for the operation's own promise to settle. Default 30. When it runs out, the task
   * raises `CancelledError` anyway and `onAbandon` is called.
   */
  cleanupTimeout?: number;
  /**
   * Wait for the operation's own promise to settle after the cancel action (default true): the
   * connection is then idle again (a killed query has answered with its error) and can be
   * reused. With false, only the cancel action is awaited.
   */
  waitSettled?: boolean;
  /** Called when `cleanupTimeout` ran out: the connection is in an unknown state, discard it. */
  onAbandon?: () => void;
}

function reportError(message: string, exception: unknown): void {
  const loop = _getRunningLoop();
  if (loop !== null) loop.callExceptionHandler({ message, exception });
}

const awaitCancellableGen = awaitable(function* awaitCancellable(
  start: (signal: AbortSignal) => PromiseLike<unknown>,
  onCancel: CancelAction | undefined,
  options: CancellableOptions | undefined,
): Coroutine<unknown> {
  const loop = getRunningLoop();
  const controller = new AbortController();
  const promise = start(controller.signal);
  let settled = false;
  // Registered before ensureFuture's own handlers: a rejection after cancellation is expected
  // (e.g. "Query execution was interrupted") and must not be reported as unhandled.
  const settledP = Promise.resolve(promise).then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  const fut = ensureFuture(promise, { loop });
  try {
    return yield* fut;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    if (!fut.cancelled() && fut.done()) fut.exception(); // outcome dropped: mark it retrieved
    if (settled) throw e;
    controller.abort(e);
    let action: unknown;
    try {
      action = onCancel?.(e);
    } catch (err) {
      reportError("awaitCancellable(): the cancel action failed", err);
    }
    const waits: PromiseLike<unknown>[] = [];
    if (isThenable(action)) {
      waits.push(
        Promise.resolve(action).then(undefined, (err: unknown) =>
          reportError("awaitCancellable(): the cancel action failed", err),
        ),
      );
    }
    if (options?.waitSettled !== false) waits.push(settledP);
    if (waits.length > 0) {
      const clean = yield* waitUncancellable(
        loop,
        Promise.all(waits),
        options?.cleanupTimeout ?? 30,
      );
      if (!clean) options?.onAbandon?.();
    }
    throw e;
  }
});

/**
 * Waits for `p` (at most `seconds`), ignoring further cancellation requests: the cleanup after
 * a cancellation runs to its end. Returns false if the time ran out.
 */
function* waitUncancellable(
  loop: AbstractEventLoop,
  p: PromiseLike<unknown>,
  seconds: number,
): Coroutine<boolean> {
  const gate = loop.createFuture<boolean>();
  const timer = loop.callLater(seconds, () => {
    if (!gate.done()) gate.setResult(false);
  });
  Promise.resolve(p).then(() => {
    if (!gate.done() && !loop.isClosed()) gate.setResult(true);
  });
  try {
    while (!gate.done()) {
      try {
        yield* shield(gate);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
      }
    }
  } finally {
    timer.cancel();
  }
  return gate.result();
}

/**
 * Awaits a driver's promise so that cancellation reaches the driver (no CPython equivalent:
 * aiomysql/aioredis do this inside their own coroutines). Works with `yield*` (generator
 * coroutines) and `await` (async functions) inside a task.
 *
 * `start(signal)` starts the operation when the coroutine first runs; `signal` aborts when the
 * awaiting task is cancelled, for drivers that take an `AbortSignal`. If the task is cancelled
 * while the operation is pending: `signal` aborts, `onCancel(reason)` runs (its promise is
 * awaited), then the operation's own promise is awaited to settle (unless `waitSettled` is
 * false), both bounded by `cleanupTimeout` and shielded from further cancellation requests,
 * and then the task raises the same `CancelledError`. A rejection of the operation after the
 * cancellation is dropped; a failing cancel action is reported to the loop's exception handler.
 * Errors and results of the operation otherwise come through unchanged.
 *
 * ```ts
 * const rows = yield* awaitCancellable(
 *   () => conn.query("SELECT SLEEP(10)"),
 *   () => side.query(`KILL QUERY ${conn.threadId}`),
 * );
 * const item = await awaitCancellable(() => redis.blpop("jobs", 0), () => redis.disconnect());
 * ```
 */
export function awaitCancellable<T>(
  start: (signal: AbortSignal) => PromiseLike<T>,
  onCancel?: CancelAction,
  options?: CancellableOptions,
): AwaitableCoroutine<T> {
  return awaitCancellableGen(start, onCancel, options) as AwaitableCoroutine<T>;
}

/** The part of a MySQL/MariaDB connection (mysql2's) that {@link killQuery} uses. */
export interface KillableConnection {
  readonly threadId: number | null;
}
/** A connection that can send `KILL QUERY` (mysql2's `Connection`, or a pool). */
export interface QueryRunner {
  query(sql: string): PromiseLike<unknown>;
}
/** A side connection opened for the kill, and closed afterwards. */
export interface ClosableQueryRunner extends QueryRunner {
  end(): PromiseLike<unknown>;
}

/**
 * The MySQL/MariaDB cancel action for {@link awaitCancellable}: sends `KILL QUERY <threadId>`
 * for `conn` on another connection, so that the server stops the statement and `conn` answers
 * with "Query execution was interrupted" and stays usable (aiomysql closes the connection
 * instead). `side` is a connection kept for this (or a `mysql2` pool), or a function opening
 * one, which is closed after the kill.
 *
 * ```ts
 * const rows = await awaitCancellable(() => conn.query(sql), killQuery(conn, side));
 * ```
 */
export function killQuery(
  conn: KillableConnection,
  side: QueryRunner | (() => PromiseLike<ClosableQueryRunner>),
): CancelAction {
  return async () => {
    const id = conn.threadId;
    if (typeof id !== "number") return; // never connected: nothing runs on the server
    if (typeof side !== "function") {
      await side.query(`KILL QUERY ${id}`);
      return;
    }
    const opened = await side();
    try {
      await opened.query(`KILL QUERY ${id}`);
    } finally {
      await opened.end();
    }
  };
}

// ---------------------------------------------------------------------------------------------
// ConnectionPool

/** Options of {@link ConnectionPool}. */
export interface PoolOptions<C> {
  /** Opens a connection (the driver's connect); called lazily, at most `size` live at once. */
  create: () => C | PromiseLike<C>;
  /** Closes a connection (fire and forget; its promise is awaited by `close()`). */
  destroy?: (conn: C) => unknown;
  /** The number of connections (slots); an integer >= 1. */
  size: number;
  /**
   * Whether the connection must be discarded when `run()`'s body fails with `exc` (or, for a
   * lease, is disposed while its task is being cancelled, `exc` being a CancelledError).
   * Default: {@link isBrokenByDefault} (a CancelledError: an operation interrupted mid-flight;
   * or an error the driver marks fatal, such as mysql2's "Connection lost").
   */
  isBroken?: (exc: unknown, conn: C) => boolean;
}

/** The body of {@link ConnectionPool.run}: a generator function, an async function or a plain one. */
export type PoolBody<C, R> = (conn: C) => Coroutine<R> | PromiseLike<R> | R;

/**
 * The pool's default broken-connection test: `exc` is a `CancelledError` (the operation was
 * interrupted mid-flight, the connection's state is unknown) or an error whose `fatal` property
 * is true (mysql2 marks so the errors after which a connection is unusable, such as a lost
 * connection).
 */
export function isBrokenByDefault(exc: unknown): boolean {
  return (
    exc instanceof CancelledError ||
    (typeof exc === "object" && exc !== null && (exc as { fatal?: unknown }).fatal === true)
  );
}

function closedError(): RuntimeError {
  return new RuntimeError("ConnectionPool is closed");
}

const poolAcquire = awaitable(function* acquire<C>(pool: ConnectionPool<C>): Coroutine<C> {
  if (pool._closed) throw closedError();
  yield* pool._sem.acquire();
  if (pool._closed) {
    pool._sem.release(); // pass the wake-up on: every waiter learns the pool is closed
    throw closedError();
  }
  pool._held++;
  const idle = pool._idle.pop();
  if (idle !== undefined) {
    pool._inUse.add(idle);
    return idle;
  }
  let conn: C;
  try {
    const made = pool._options.create();
    if (isThenable(made)) {
      let abandoned = false;
      const fut: Future<C> = ensureFuture(made as PromiseLike<C>);
      // A connection that arrives after its acquirer gave up is closed (its slot is gone).
      made.then(
        (c) => {
          if (abandoned || fut.cancelled()) pool._discard(c);
        },
        () => {},
      );
      try {
        conn = yield* fut;
      } catch (e) {
        abandoned = true;
        // Cancelled after the connection was made: keep it for the next acquirer.
        if (fut.done() && !fut.cancelled() && fut.exception() === null)
          pool._giveBack(fut.result());
        throw e;
      }
    } else {
      conn = made;
    }
  } catch (e) {
    pool._held--;
    pool._sem.release();
    throw e;
  }
  if (pool._closed) {
    pool._held--;
    pool._discard(conn);
    pool._sem.release();
    throw closedError();
  }
  pool._inUse.add(conn);
  return conn;
});

const poolRun = awaitable(function* run<C>(
  pool: ConnectionPool<C>,
  body: PoolBody<C, unknown>,
): Coroutine<unknown> {
  const conn = yield* poolAcquire(pool);
  let broken = false;
  try {
    return yield* _callInTask(() => body(conn));
  } catch (e) {
    broken = pool._isBroken(e, conn);
    throw e;
  } finally {
    pool.release(conn, { broken });
  }
});

const poolLease = awaitable(function* lease<C>(pool: ConnectionPool<C>): Coroutine<PoolLease<C>> {
  const conn = yield* poolAcquire(pool);
  return new PoolLease(pool, conn);
});

const poolClose = awaitable(function* close<C>(pool: ConnectionPool<C>): Coroutine<void> {
  if (!pool._closed) {
    pool._closed = true;
    pool._sem.release(); // wakes the first waiter, which raises and passes the wake-up on
    for (const c of pool._idle.splice(0)) pool._discard(c);
  }
  while (pool._destroying.size > 0) {
    yield* ensureFuture(Promise.allSettled([...pool._destroying]));
  }
});

/**
 * A fixed-size pool of driver connections whose waits are asyncio waits (Python: aiomysql's
 * `Pool`, asyncpg's `Pool`, with `async with pool.acquire() as conn:` as `pool.run(body)`).
 *
 * ```ts
 * const pool = new ConnectionPool({ create: () => mysql.createConnection(url), destroy: (c) => c.end(), size: 10 });
 * const rows = yield* pool.run(function* (conn) { return yield* awaitCancellable(() => conn.query(sql)); });
 * await using lease = await pool.lease(); await lease.conn.query(sql);
 * ```
 *
 * At most `size` connections are held at once; acquirers wait in arrival order (no barging).
 * Connections are made lazily and reused most-recently-released first. A connection released
 * as broken is destroyed and its slot makes a fresh one on the next acquisition.
 */
export class ConnectionPool<C> {
  /** @internal */ readonly _options: PoolOptions<C>;
  /** @internal */ readonly _sem: Semaphore;
  /** @internal idle connections, the most recently released last */
  readonly _idle: C[] = [];
  /** @internal */ readonly _inUse = new Set<C>();
  /** @internal slots taken (connections in use and being made) */
  _held = 0;
  /** @internal destroy() promises not settled yet */
  readonly _destroying = new Set<Promise<unknown>>();
  /** @internal */ _closed = false;

  /** `ValueError` unless `size` is an integer >= 1. */
  constructor(options: PoolOptions<C>) {
    if (!Number.isInteger(options.size) || options.size < 1)
      throw new ValueError("ConnectionPool size must be an integer >= 1");
    this._options = options;
    this._sem = new Semaphore(options.size);
  }

  /** The number of slots. */
  get size(): number {
    return this._options.size;
  }
  /** Connections made and not in use. */
  get idleCount(): number {
    return this._idle.length;
  }
  /** Connections handed out and not released yet. */
  get inUseCount(): number {
    return this._inUse.size;
  }
  /** Slots taken: connections in use plus connections being made. 0 when everything came back. */
  get heldCount(): number {
    return this._held;
  }
  /** True after `close()`. */
  get closed(): boolean {
    return this._closed;
  }

  /**
   * Waits for a free slot (FIFO, cancellable) and returns an idle connection or a new one from
   * `create()`. Pair it with `release(conn)` in a `finally`, or use `run()` / `lease()`.
   *
   * Cancellation: nothing is taken (a connection made meanwhile stays in the pool, or is closed
   * if it arrives after its slot was given back). A failing `create()` gives the slot back and
   * raises its error. `RuntimeError('ConnectionPool is closed')` after `close()`, also for
   * waiters that were queued when the pool closed.
   */
  acquire(): AwaitableCoroutine<C> {
    return poolAcquire(this) as AwaitableCoroutine<C>;
  }

  /**
   * Gives `conn` back and wakes the next waiter. With `broken: true` (or once the pool is
   * closed) the connection is destroyed instead of reused. `RuntimeError` if `conn` is not in
   * use from this pool (e.g. released twice).
   */
  release(conn: C, options?: { broken?: boolean }): void {
    if (!this._inUse.delete(conn))
      throw new RuntimeError("release() of a connection that is not in use from this pool");
    this._held--;
    if (options?.broken === true || this._closed) this._discard(conn);
    else this._idle.push(conn);
    this._sem.release();
  }

  /**
   * Python's `async with pool.acquire() as conn:`: acquires, runs `body(conn)` as code of the
   * current task, releases on every way out. If the body fails with an error for which
   * `isBroken` says so (default: CancelledError), the connection is destroyed, not reused.
   */
  run<R>(body: PoolBody<C, R>): AwaitableCoroutine<R> {
    return poolRun(this, body as PoolBody<C, unknown>) as AwaitableCoroutine<R>;
  }

  /**
   * Acquires and returns a {@link PoolLease} for `await using lease = await pool.lease();`
   * (released at the end of the block). Cancellation: as `acquire()`.
   */
  lease(): AwaitableCoroutine<PoolLease<C>> {
    return poolLease(this) as AwaitableCoroutine<PoolLease<C>>;
  }

  /**
   * Closes the pool: new and waiting acquirers raise `RuntimeError('ConnectionPool is closed')`,
   * idle connections are destroyed now, connections in use when they are released. Waits for
   * the `destroy()` promises started so far. Idempotent.
   */
  close(): AwaitableCoroutine<void> {
    return poolClose(this) as AwaitableCoroutine<void>;
  }

  /** @internal Puts a connection that nobody holds back as idle (or destroys it if closed). */
  _giveBack(conn: C): void {
    if (this._closed) this._discard(conn);
    else this._idle.push(conn);
  }

  /** @internal Destroys `conn`; a failure is reported to the loop's exception handler. */
  _discard(conn: C): void {
    const destroy = this._options.destroy;
    if (destroy === undefined) return;
    let r: unknown;
    try {
      r = destroy(conn);
    } catch (e) {
      reportError("ConnectionPool: destroy() failed", e);
      return;
    }
    if (isThenable(r)) {
      const p: Promise<unknown> = Promise.resolve(r).then(undefined, (e: unknown) =>
        reportError("ConnectionPool: destroy() failed", e),
      );
      this._destroying.add(p);
      p.then(() => this._destroying.delete(p));
    }
  }

  /** @internal */
  _isBroken(exc: unknown, conn: C): boolean {
    const f = this._options.isBroken;
    return f !== undefined ? f(exc, conn) : isBrokenByDefault(exc);
  }

  [customRepr](): string {
    const state = this._closed ? "closed" : "open";
    return `<ConnectionPool [${state}, size:${this.size}, in use:${this.inUseCount}, idle:${this.idleCount}]>`;
  }
}

/**
 * A connection held from a {@link ConnectionPool}, released by `release()` or at the end of an
 * `await using` block. Disposal while the holding task is being cancelled (`cancelling() > 0`)
 * counts as a CancelledError for `isBroken` (by default: the connection is destroyed), since
 * the block was probably left in the middle of an operation; `markBroken()` forces that.
 */
export class PoolLease<C> {
  private released = false;
  private broken = false;

  /** @internal */
  constructor(
    private readonly pool: ConnectionPool<C>,
    /** The connection. */
    readonly conn: C,
  ) {}

  /** Releasing will destroy the connection instead of reusing it. */
  markBroken(): void {
    this.broken = true;
  }

  /** Gives the connection back (once; later calls do nothing). */
  release(options?: { broken?: boolean }): void {
    if (this.released) return;
    this.released = true;
    let broken = this.broken || options?.broken === true;
    if (!broken) {
      const loop = _getRunningLoop();
      const task = loop === null ? null : currentTask(loop);
      if (task !== null && task.cancelling() > 0)
        broken = this.pool._isBroken(new CancelledError(), this.conn);
    }
    this.pool.release(this.conn, { broken });
  }

  [Symbol.dispose](): void {
    this.release();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.release();
  }
}

// ---------------------------------------------------------------------------------------------
// SQLite (better-sqlite3 on a thread of its own)

export type {
  SqliteOpenOptions,
  SqliteParams,
  SqliteRunResult,
  TransactionMode,
} from "./sqlite.ts";
export {
  openSqlite,
  ProgrammingError,
  SqliteDatabase,
  SqliteError,
  SqliteTransaction,
} from "./sqlite.ts";
