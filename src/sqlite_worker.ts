/**
 * The worker-thread side of {@link SqliteDatabase} (`sqlite.ts`): the functions its executor
 * runs. A `better-sqlite3` connection belongs to the thread that opened it, so every database
 * has a one-thread executor and its connection lives here, in this module's map, between calls.
 * Prepared statements are cached per connection.
 */
/** The part of better-sqlite3's API used here (the package is an optional peer dependency). */
interface Statement {
  readonly reader: boolean;
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
}
interface Connection {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  close(): void;
  readonly inTransaction: boolean;
}
type ConnectionClass = new (filename: string, options?: Record<string, unknown>) => Connection;

/** Options of `openSqlite` that reach better-sqlite3's constructor. */
export interface SqliteOpenOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  /** Seconds to wait for a lock held by another connection (better-sqlite3's `timeout`, in ms). */
  timeout?: number;
}

const MAX_CACHED = 200;

class Open {
  readonly statements = new Map<string, Statement>();
  constructor(readonly db: Connection) {}

  /** A cached prepared statement (the least recently used one goes when the cache is full). */
  prepare(sql: string): Statement {
    let st = this.statements.get(sql);
    if (st !== undefined) {
      this.statements.delete(sql);
    } else {
      st = this.db.prepare(sql);
      if (this.statements.size >= MAX_CACHED) {
        const oldest = this.statements.keys().next().value as string;
        this.statements.delete(oldest);
      }
    }
    this.statements.set(sql, st);
    return st;
  }
}

const open = new Map<number, Open>();

function conn(id: number): Open {
  const c = open.get(id);
  if (c === undefined) throw new Error("the SQLite database is closed");
  return c;
}

/** better-sqlite3 takes positional parameters as arguments, named ones as one object. */
function args(params: unknown): unknown[] {
  if (params === undefined || params === null) return [];
  return Array.isArray(params) ? params : [params];
}

async function loadDriver(): Promise<ConnectionClass> {
  try {
    const driver = "better-sqlite3"; // a variable: the package is optional, and untyped here
    const mod = (await import(driver)) as { default: ConnectionClass };
    return mod.default;
  } catch (e) {
    const err = new Error(
      "SQLite support needs the better-sqlite3 package: npm install better-sqlite3",
    );
    err.name = "ModuleNotFoundError";
    (err as { cause?: unknown }).cause = e;
    throw err;
  }
}

export async function sqliteOpen(
  id: number,
  filename: string,
  options: SqliteOpenOptions,
): Promise<void> {
  const Driver = await loadDriver();
  const { timeout, ...rest } = options;
  const db = new Driver(filename, {
    ...rest,
    ...(timeout !== undefined ? { timeout: Math.round(timeout * 1000) } : {}),
  });
  open.set(id, new Open(db));
}

export function sqliteExec(id: number, sql: string): void {
  conn(id).db.exec(sql);
}

export function sqliteRun(
  id: number,
  sql: string,
  params: unknown,
): { changes: number; lastInsertRowid: number | bigint } {
  const { changes, lastInsertRowid } = conn(id)
    .prepare(sql)
    .run(...args(params));
  return { changes, lastInsertRowid };
}

export function sqliteAll(id: number, sql: string, params: unknown): unknown[] {
  return conn(id)
    .prepare(sql)
    .all(...args(params));
}

export function sqliteGet(id: number, sql: string, params: unknown): unknown {
  return conn(id)
    .prepare(sql)
    .get(...args(params));
}

/** Python's `executemany`, in one transaction unless one is open already. Returns the changes. */
export function sqliteRunMany(id: number, sql: string, paramsList: unknown[]): number {
  const c = conn(id);
  const st = c.prepare(sql);
  const own = !c.db.inTransaction;
  if (own) c.db.exec("BEGIN");
  let changes = 0;
  try {
    for (const p of paramsList) changes += st.run(...args(p)).changes;
    if (own) c.db.exec("COMMIT");
  } catch (e) {
    if (own && c.db.inTransaction) c.db.exec("ROLLBACK");
    throw e;
  }
  return changes;
}

export function sqliteClose(id: number): void {
  const c = open.get(id);
  if (c === undefined) return;
  open.delete(id);
  c.statements.clear();
  c.db.close();
}
