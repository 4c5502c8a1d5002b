/**
 * SQLite from tasks (Python: `aiosqlite`): `better-sqlite3` run on a thread of its own, so a
 * query never blocks the loop. Part of `asyncio-ts/db`.
 *
 * Each database gets a one-thread `ThreadPoolExecutor` (a SQLite connection belongs to the
 * thread that opened it; the executor's queue runs the statements one at a time, in the order
 * they were issued). An asyncio `Lock` keeps the statements of other tasks out of an open
 * `transaction()`.
 *
 * Cancellation: a statement already handed to the thread runs to its end (SQLite offers no way
 * to stop it from another thread through better-sqlite3), as with `run_in_executor`; the
 * cancelled task raises at once, and later statements queue behind it.
 */
import { workerFunction } from "./concurrent/_function.ts";
import { registerErrorClass } from "./concurrent/_serialize.ts";
import { ThreadPoolExecutor } from "./concurrent/thread.ts";
import { type AwaitableCoroutine, awaitable, type Coroutine } from "./coroutines.ts";
import { _getRunningLoop } from "./events.ts";
import { CancelledError, RuntimeError, ValueError } from "./exceptions.ts";
import { customRepr, pyRepr, pyTypeName } from "./format.ts";
import { Lock } from "./locks.ts";
import type { SqliteOpenOptions } from "./sqlite_worker.ts";
import { _callInTask, currentTask, type Task } from "./tasks.ts";
import { wrapFuture } from "./wrap_future.ts";

export type { SqliteOpenOptions } from "./sqlite_worker.ts";

/**
 * An error SQLite reported (better-sqlite3's `SqliteError`): `code` is SQLite's extended result
 * code name, such as `SQLITE_CONSTRAINT_UNIQUE` (Python: `sqlite3.IntegrityError` and friends,
 * with `sqlite_errorname`).
 */
export class SqliteError extends Error {
  declare code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
  static {
    SqliteError.prototype.name = "SqliteError";
  }
}
registerErrorClass(SqliteError);

/** Misuse of a database object (Python: `sqlite3.ProgrammingError`), e.g. after `close()`. */
export class ProgrammingError extends Error {
  static {
    ProgrammingError.prototype.name = "ProgrammingError";
  }
}

/** What `run()` reports: rows changed and the last inserted rowid. */
export interface SqliteRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** Positional parameters (`?`) as an array, or named ones (`:name`, `@name`, `$name`) as an object. */
export type SqliteParams = readonly unknown[] | Readonly<Record<string, unknown>>;

/** `BEGIN` modes of {@link SqliteDatabase.transaction}. */
export type TransactionMode = "deferred" | "immediate" | "exclusive";

// (In a CommonJS bundle, without import.meta.url, a name that fails to import when used.)
const WORKER =
  typeof import.meta.url === "string" && import.meta.url !== ""
    ? new URL(
        import.meta.url.endsWith(".ts") ? "./sqlite_worker.ts" : "./sqlite_worker.js",
        import.meta.url,
      ).href
    : "file:///asyncio-ts/sqlite_worker.js";
type WorkerModule = typeof import("./sqlite_worker.ts");
const ref = <K extends keyof WorkerModule>(name: K) =>
  workerFunction<WorkerModule[K]>(WORKER, name);
const OPEN = ref("sqliteOpen");
const EXEC = ref("sqliteExec");
const RUN = ref("sqliteRun");
const ALL = ref("sqliteAll");
const GET = ref("sqliteGet");
const RUN_MANY = ref("sqliteRunMany");
const CLOSE = ref("sqliteClose");

let databases = 0;

function checkSql(sql: unknown): string {
  if (typeof sql !== "string") throw new TypeError(`SQL must be a str, not ${pyTypeName(sql)}`);
  return sql;
}

function checkParams(params: unknown): SqliteParams | undefined {
  if (params === undefined || params === null) return undefined;
  if (typeof params !== "object")
    throw new TypeError(
      `parameters are of unsupported type: ${pyTypeName(params)} (an array or an object)`,
    );
  return params as SqliteParams;
}

/** Runs one worker call on `db`'s thread and waits for it (the caller holds the lock). */
function* call<T>(db: SqliteDatabase, fn: unknown, ...args: unknown[]): Coroutine<T> {
  const cf = db._executor.submit(fn as (...a: unknown[]) => T, ...args);
  return (yield* wrapFuture(cf)) as T;
}

/** True inside `db`'s own transaction(): the current task holds its lock. */
function inOwnTransaction(db: SqliteDatabase): boolean {
  const loop = _getRunningLoop();
  return db._owner !== null && loop !== null && currentTask(loop) === db._owner;
}

/** Takes the database's lock for one statement (or refuses, inside the holder's transaction). */
function* exclusive<T>(db: SqliteDatabase, body: () => Coroutine<T>): Coroutine<T> {
  db._checkOpen();
  if (inOwnTransaction(db))
    throw new RuntimeError(
      "a statement on the database inside its own transaction(): use the transaction's handle",
    );
  yield* db._lock.acquire();
  try {
    db._checkOpen();
    return yield* body();
  } finally {
    db._lock.release();
  }
}

const openGen = awaitable(function* openSqlite(
  filename: string,
  options: SqliteOpenOptions | undefined,
): Coroutine<SqliteDatabase> {
  if (typeof filename !== "string")
    throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyTypeName(filename)}`);
  const id = ++databases;
  const executor = new ThreadPoolExecutor({ maxWorkers: 1, threadNamePrefix: `sqlite-${id}` });
  const db = new SqliteDatabase(id, filename, executor);
  try {
    yield* call(db, OPEN, id, filename, { ...options });
  } catch (e) {
    executor.shutdown({ wait: false });
    throw e;
  }
  return db;
});

/**
 * Opens the SQLite database at `filename` (`":memory:"` for a private in-memory one) on a new
 * thread (Python: `await aiosqlite.connect(filename)`). Needs the `better-sqlite3` package
 * (`ModuleNotFoundError` naming it otherwise); SQLite's own errors come as {@link SqliteError}.
 *
 * ```ts
 * await using db = await openSqlite(":memory:");
 * await db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)");
 * await db.run("INSERT INTO t VALUES (?, ?)", ["a", 1]);
 * const rows = await db.all<{ k: string; v: number }>("SELECT * FROM t");
 * ```
 */
export function openSqlite(
  filename: string,
  options?: SqliteOpenOptions,
): AwaitableCoroutine<SqliteDatabase> {
  return openGen(filename, options) as AwaitableCoroutine<SqliteDatabase>;
}

/** One statement on the database's thread: `fn` is the worker function (exec, run, all, get). */
const statementGen = awaitable(function* statement(
  db: SqliteDatabase,
  fn: unknown,
  sql: string,
  params: SqliteParams | undefined,
): Coroutine<unknown> {
  checkSql(sql);
  const p = checkParams(params);
  return yield* exclusive(db, () => call<unknown>(db, fn, db._id, sql, p));
});
const runManyGen = awaitable(function* runMany(
  db: SqliteDatabase,
  sql: string,
  paramsList: Iterable<SqliteParams>,
): Coroutine<number> {
  checkSql(sql);
  if (paramsList === null || typeof paramsList !== "object" || !(Symbol.iterator in paramsList))
    throw new TypeError(`${pyTypeName(paramsList)} object is not iterable`);
  const list = Array.from(paramsList, checkParams);
  return yield* exclusive(db, () => call<number>(db, RUN_MANY, db._id, sql, list));
});

const MODES: readonly string[] = ["deferred", "immediate", "exclusive"];

const transactionGen = awaitable(function* transaction(
  db: SqliteDatabase,
  body: (tx: SqliteTransaction) => unknown,
  mode: TransactionMode,
): Coroutine<unknown> {
  if (typeof body !== "function")
    throw new TypeError(`transaction() needs a function, got ${pyRepr(body)}`);
  if (!MODES.includes(mode))
    throw new ValueError(
      `isolation_level must be a string or None, not ${pyRepr(mode)} (deferred, immediate or exclusive)`,
    );
  return yield* exclusive(db, function* () {
    const loop = _getRunningLoop();
    db._owner = loop === null ? null : currentTask(loop);
    const tx = new SqliteTransaction(db);
    try {
      try {
        yield* call(db, EXEC, db._id, `BEGIN ${mode.toUpperCase()}`);
      } catch (e) {
        // cancelled while the BEGIN was on its way: it still runs, so undo it
        if (e instanceof CancelledError) db._rollback();
        throw e;
      }
      let result: unknown;
      try {
        result = yield* _callInTask(() => body(tx) as Coroutine<unknown>);
      } catch (e) {
        db._rollback();
        throw e;
      }
      try {
        db._checkOpen();
        yield* call(db, EXEC, db._id, "COMMIT");
      } catch (e) {
        // a failed COMMIT (SQLITE_BUSY, a deferred constraint) leaves the transaction open
        db._rollback();
        throw e;
      }
      return result;
    } finally {
      tx._over = true;
      db._owner = null;
    }
  });
});

const closeGen = awaitable(function* close(db: SqliteDatabase): Coroutine<void> {
  if (db._closed) return;
  // Inside its own transaction() the task holds the lock already: it closes at once, as
  // sqlite3's close() does (the open transaction is lost; what follows in it, and its commit,
  // raise ProgrammingError).
  const own = inOwnTransaction(db);
  if (!own) yield* db._lock.acquire();
  try {
    if (db._closed) return;
    db._closed = true;
    try {
      yield* call(db, CLOSE, db._id);
    } finally {
      db._executor.shutdown({ wait: false });
    }
  } finally {
    if (!own) db._lock.release();
  }
});

/**
 * An open SQLite database (Python: `aiosqlite.Connection`). Every method is a library awaitable
 * (`await` or `yield*`); rows are plain objects keyed by column name. Statements run one at a
 * time on the database's thread, in the order they were issued.
 */
export class SqliteDatabase {
  /** @internal */ readonly _lock = new Lock();
  /** @internal the task inside `transaction()`, or null */
  _owner: Task<unknown> | null = null;
  /** @internal */ _closed = false;

  /** @internal Use {@link openSqlite}. */
  constructor(
    /** @internal */ readonly _id: number,
    /** The file name given to `openSqlite`. */
    readonly filename: string,
    /** @internal */ readonly _executor: ThreadPoolExecutor,
  ) {}

  /** True after `close()`. */
  get closed(): boolean {
    return this._closed;
  }

  /** Runs one or more statements separated by `;`, without parameters (Python: `executescript`). */
  exec(sql: string): AwaitableCoroutine<void> {
    return statementGen(this, EXEC, sql, undefined) as AwaitableCoroutine<void>;
  }

  /** Runs one statement (INSERT, UPDATE, DDL, ...): the rows changed and the last rowid. */
  run(sql: string, params?: SqliteParams): AwaitableCoroutine<SqliteRunResult> {
    return statementGen(this, RUN, sql, params) as AwaitableCoroutine<SqliteRunResult>;
  }

  /** All rows of a query (Python: `fetchall`). */
  all<R = Record<string, unknown>>(sql: string, params?: SqliteParams): AwaitableCoroutine<R[]> {
    return statementGen(this, ALL, sql, params) as AwaitableCoroutine<R[]>;
  }

  /** The first row of a query, or `undefined` (Python: `fetchone`, which gives None). */
  get<R = Record<string, unknown>>(
    sql: string,
    params?: SqliteParams,
  ): AwaitableCoroutine<R | undefined> {
    return statementGen(this, GET, sql, params) as AwaitableCoroutine<R | undefined>;
  }

  /**
   * Runs one statement for each parameter set (Python: `executemany`), in one transaction
   * (all or nothing) on the database's thread; returns the total of rows changed.
   */
  runMany(sql: string, paramsList: Iterable<SqliteParams>): AwaitableCoroutine<number> {
    return runManyGen(this, sql, paramsList) as AwaitableCoroutine<number>;
  }

  /**
   * Runs `body(tx)` inside `BEGIN <mode>` … `COMMIT` (Python: `async with db:` after
   * `BEGIN`): statements go through `tx`, other tasks' statements wait until it ends. If the
   * body raises (a `CancelledError` too), the transaction is rolled back and the error
   * propagates; else it commits and `body`'s result is returned. A statement on `db` itself from
   * inside the body is a `RuntimeError` (it would wait for its own transaction). Cancelled while
   * the `COMMIT` is on its way: the commit still happens, the task raises `CancelledError`.
   */
  transaction<R>(
    body: (tx: SqliteTransaction) => Coroutine<R> | PromiseLike<R> | R,
    options?: { mode?: TransactionMode },
  ): AwaitableCoroutine<R> {
    return transactionGen(this, body, options?.mode ?? "deferred") as AwaitableCoroutine<R>;
  }

  /**
   * Waits for the statements in flight and an open transaction, closes the database and ends its
   * thread. Idempotent. Later calls raise `ProgrammingError('Cannot operate on a closed
   * database.')`.
   */
  close(): AwaitableCoroutine<void> {
    return closeGen(this) as AwaitableCoroutine<void>;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal */
  _checkOpen(): void {
    if (this._closed) throw new ProgrammingError("Cannot operate on a closed database.");
  }

  /** @internal Queues a ROLLBACK (the thread's queue keeps it before any later statement). */
  _rollback(): void {
    if (this._closed) return; // closing rolled back what was open
    const cf = this._executor.submit(EXEC, this._id, "ROLLBACK");
    cf.addDoneCallback((f) => {
      const e = f.cancelled() ? null : f.exception();
      // "no transaction is active": SQLite already rolled back (e.g. after SQLITE_FULL)
      if (e !== null && !/no transaction is active/.test(String((e as Error).message))) {
        const loop = _getRunningLoop();
        loop?.callExceptionHandler({ message: "SqliteDatabase: ROLLBACK failed", exception: e });
      }
    });
  }

  [customRepr](): string {
    return `<SqliteDatabase ${pyRepr(this.filename)}${this._closed ? " closed" : ""}>`;
  }
}

/** The statements of one {@link SqliteDatabase.transaction}; unusable once it has ended. */
export class SqliteTransaction {
  /** @internal */ _over = false;
  /** @internal */
  constructor(private readonly db: SqliteDatabase) {}

  /** As {@link SqliteDatabase.exec}, inside the transaction. */
  exec(sql: string): AwaitableCoroutine<void> {
    return this.step<void>(EXEC, sql) as AwaitableCoroutine<void>;
  }
  /** As {@link SqliteDatabase.run}, inside the transaction. */
  run(sql: string, params?: SqliteParams): AwaitableCoroutine<SqliteRunResult> {
    return this.step<SqliteRunResult>(RUN, sql, checkParams(params));
  }
  /** As {@link SqliteDatabase.all}, inside the transaction. */
  all<R = Record<string, unknown>>(sql: string, params?: SqliteParams): AwaitableCoroutine<R[]> {
    return this.step<R[]>(ALL, sql, checkParams(params));
  }
  /** As {@link SqliteDatabase.get}, inside the transaction. */
  get<R = Record<string, unknown>>(
    sql: string,
    params?: SqliteParams,
  ): AwaitableCoroutine<R | undefined> {
    return this.step<R | undefined>(GET, sql, checkParams(params));
  }
  /** As {@link SqliteDatabase.runMany}, inside the transaction (no transaction of its own). */
  runMany(sql: string, paramsList: Iterable<SqliteParams>): AwaitableCoroutine<number> {
    const list = Array.from(paramsList, checkParams);
    return this.step<number>(RUN_MANY, sql, list);
  }

  private step<T>(fn: unknown, sql: string, ...rest: unknown[]): AwaitableCoroutine<T> {
    return txStep(this, this.db, fn, checkSql(sql), rest) as AwaitableCoroutine<T>;
  }

  /** @internal `ProgrammingError` once the database is closed or the transaction is over. */
  _check(): void {
    this.db._checkOpen();
    if (this._over) throw new ProgrammingError("the transaction is over");
  }
}

const txStep = awaitable(function* step(
  tx: SqliteTransaction,
  db: SqliteDatabase,
  fn: unknown,
  sql: string,
  rest: unknown[],
): Coroutine<unknown> {
  tx._check();
  return yield* call(db, fn, db._id, sql, ...rest);
});
