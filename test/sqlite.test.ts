/**
 * SQLite through asyncio-ts/db: better-sqlite3 on a thread of its own. Both coroutine syntaxes,
 * the loop staying free while a long query runs, transactions (commit, rollback on error and on
 * cancellation, other tasks kept out), errors and bad input.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  openSqlite,
  ProgrammingError,
  type SqliteDatabase,
  SqliteError,
  type SqliteTransaction,
} from "../src/db.ts";
import { pyRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";

/** A query that keeps SQLite busy for a while (a recursive CTE of `n` rows). */
const slowQuery = (n: number) =>
  `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n}) SELECT count(*) AS n FROM c`;

test("exec, run, all, get, runMany with async functions", async () => {
  await asyncio.run(async () => {
    await using db = await openSqlite(":memory:");
    await db.exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER); CREATE INDEX kv_v ON kv (v)");
    const r = await db.run("INSERT INTO kv VALUES (?, ?)", ["a", 1]);
    assert.deepEqual(r, { changes: 1, lastInsertRowid: 1 });
    await db.run("INSERT INTO kv VALUES (:k, :v)", { k: "b", v: 2 });
    assert.equal(
      await db.runMany(
        "INSERT INTO kv VALUES (?, ?)",
        [3, 4, 5].map((i) => [`k${i}`, i]),
      ),
      3,
    );
    assert.deepEqual(await db.all("SELECT k, v FROM kv WHERE v <= ? ORDER BY v", [2]), [
      { k: "a", v: 1 },
      { k: "b", v: 2 },
    ]);
    assert.deepEqual(await db.get("SELECT sum(v) AS s FROM kv"), { s: 15 });
    assert.equal(await db.get("SELECT * FROM kv WHERE k = 'nope'"), undefined);
  });
});

test("generator coroutines use the same calls with yield*", async () => {
  const result = await asyncio.run(function* () {
    const db = yield* openSqlite(":memory:");
    try {
      yield* db.exec("CREATE TABLE t (x)");
      yield* db.runMany("INSERT INTO t VALUES (?)", [[1], [2], [3]]);
      const row = yield* db.get<{ s: number }>("SELECT sum(x) AS s FROM t");
      return row?.s;
    } finally {
      yield* db.close();
    }
  });
  assert.equal(result, 6);
});

test("a long query runs on its own thread: the loop keeps running other tasks", async () => {
  await asyncio.run(async () => {
    await using db = await openSqlite(":memory:");
    let ticks = 0;
    let querying = true;
    const ticker = asyncio.createTask(async () => {
      while (querying) {
        ticks++;
        await asyncio.sleep(0.001);
      }
    });
    const row = await db.get<{ n: number }>(slowQuery(3_000_000));
    querying = false;
    await ticker;
    assert.equal(row?.n, 3_000_000);
    assert.ok(ticks > 5, `the loop ran ${ticks} ticks during the query`);
  });
});

test("statements run in the order they were issued, from many tasks", async () => {
  await asyncio.run(async () => {
    await using db = await openSqlite(":memory:");
    await db.exec("CREATE TABLE log (i INTEGER)");
    await asyncio.gather(
      Array.from({ length: 50 }, (_, i) => db.run("INSERT INTO log VALUES (?)", [i])),
    );
    const rows = await db.all<{ i: number }>("SELECT i FROM log ORDER BY rowid");
    assert.deepEqual(
      rows.map((r) => r.i),
      Array.from({ length: 50 }, (_, i) => i),
    );
  });
});

test("transaction: commits, rolls back on error, keeps other tasks' statements out", async () => {
  await asyncio.run(async () => {
    await using db = await openSqlite(":memory:");
    await db.exec(
      "CREATE TABLE acct (name TEXT PRIMARY KEY, bal INTEGER NOT NULL CHECK (bal >= 0))",
    );
    await db.runMany("INSERT INTO acct VALUES (?, ?)", [
      ["alice", 100],
      ["bob", 0],
    ]);
    const transfer = (amount: number) =>
      db.transaction(async (tx: SqliteTransaction) => {
        await tx.run("UPDATE acct SET bal = bal + ? WHERE name = 'bob'", [amount]);
        await asyncio.sleep(0.01); // another task's statement must not land in here
        await tx.run("UPDATE acct SET bal = bal - ? WHERE name = 'alice'", [amount]);
        return amount;
      });
    const events: string[] = [];
    const reader = asyncio.createTask(async () => {
      await asyncio.sleep(0.001);
      const r = await db.get<{ bal: number }>("SELECT bal FROM acct WHERE name = 'bob'");
      events.push(`reader saw ${r?.bal}`);
    });
    assert.equal(await transfer(30), 30);
    events.push("committed");
    await reader;
    assert.deepEqual(events, ["committed", "reader saw 30"]);
    // the CHECK fails on the second statement: the first one is rolled back
    await assert.rejects(
      async () => {
        await transfer(500);
      },
      (e: unknown) => {
        assert.ok(e instanceof SqliteError);
        assert.equal(e.code, "SQLITE_CONSTRAINT_CHECK");
        return true;
      },
    );
    assert.deepEqual(await db.all("SELECT name, bal FROM acct ORDER BY name"), [
      { name: "alice", bal: 70 },
      { name: "bob", bal: 30 },
    ]);
  });
});

test("transaction cancelled in the middle: rolled back, the database usable", async () => {
  await asyncio.run(async () => {
    await using db = await openSqlite(":memory:");
    await db.exec("CREATE TABLE t (x)");
    const t = asyncio.createTask(
      db.transaction(function* (tx) {
        yield* tx.run("INSERT INTO t VALUES (1)");
        yield* asyncio.sleep(10);
        yield* tx.run("INSERT INTO t VALUES (2)");
      }),
    );
    await asyncio.sleep(0.05);
    t.cancel();
    await assert.rejects(
      (async () => {
        await t;
      })(),
      asyncio.CancelledError,
    );
    assert.deepEqual(await db.all("SELECT x FROM t"), []);
    // and under timeout()
    await assert.rejects(
      (async () => {
        await asyncio.timeout(0.02, () =>
          db.transaction(async (tx) => {
            await tx.run("INSERT INTO t VALUES (3)");
            await asyncio.sleep(1);
          }),
        );
      })(),
      asyncio.TimeoutError,
    );
    assert.deepEqual(await db.all("SELECT x FROM t"), []);
    await db.run("INSERT INTO t VALUES (4)");
    assert.deepEqual(await db.all("SELECT x FROM t"), [{ x: 4 }]);
  });
});

test("a transaction cancelled while its BEGIN is on its way leaves no transaction open", async () => {
  await asyncio.run(async () => {
    await using db = await openSqlite(":memory:");
    await db.exec("CREATE TABLE t (x)");
    for (let spins = 0; spins < 4; spins++) {
      const t = asyncio.createTask(
        db.transaction(async (tx) => {
          await tx.run("INSERT INTO t VALUES (1)");
        }),
      );
      for (let i = 0; i < spins; i++) await asyncio.sleep(0);
      t.cancel();
      await asyncio.gather([t], { returnExceptions: true });
      // BEGIN would fail inside an open transaction
      await db.exec("BEGIN; COMMIT");
    }
  });
});

test("a task cancelled while its statement runs raises at once; the statement completes", async () => {
  await asyncio.run(async () => {
    await using db = await openSqlite(":memory:");
    await db.exec("CREATE TABLE t (n)");
    const t = asyncio.createTask(db.run(`INSERT INTO t ${slowQuery(1_000_000)}`));
    await asyncio.sleep(0.005);
    t.cancel();
    const [r] = await asyncio.gather([t], { returnExceptions: true });
    assert.ok(r instanceof asyncio.CancelledError);
    // the next statement queues behind the running one and sees its effect
    assert.deepEqual(await db.get("SELECT n FROM t"), { n: 1_000_000 });
  });
});

test("a file database is shared by two connections; mode 'immediate' takes the write lock", async () => {
  const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-sqlite-"));
  try {
    await asyncio.run(async () => {
      const file = join(dir, "app.db");
      const a = await openSqlite(file);
      const b = await openSqlite(file, { timeout: 0 });
      try {
        await a.exec("CREATE TABLE t (x)");
        await a.transaction(
          async (tx) => {
            await tx.run("INSERT INTO t VALUES (1)");
            // b cannot write while a holds the write lock
            await assert.rejects(
              (async () => {
                await b.run("INSERT INTO t VALUES (2)");
              })(),
              (e: unknown) => e instanceof SqliteError && e.code === "SQLITE_BUSY",
            );
          },
          { mode: "immediate" },
        );
        await b.run("INSERT INTO t VALUES (2)");
        assert.deepEqual(await a.all("SELECT x FROM t ORDER BY x"), [{ x: 1 }, { x: 2 }]);
      } finally {
        await a.close();
        await b.close();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad input and misuse get Python's error types", async () => {
  await asyncio.run(async () => {
    const db: SqliteDatabase = await openSqlite(":memory:");
    await assert.rejects(
      (async () => {
        await db.all("SELEC 1");
      })(),
      (e: unknown) =>
        e instanceof SqliteError && e.code === "SQLITE_ERROR" && /syntax error/.test(e.message),
    );
    await assert.rejects(
      (async () => {
        await db.run(42 as unknown as string);
      })(),
      { name: "TypeError", message: "SQL must be a str, not int" },
    );
    await assert.rejects(
      (async () => {
        await db.run("SELECT ?", 5 as unknown as []);
      })(),
      TypeError,
    );
    await assert.rejects(
      (async () => {
        await openSqlite(3 as unknown as string);
      })(),
      { name: "TypeError", message: "expected str, bytes or os.PathLike object, not int" },
    );
    await assert.rejects(
      (async () => {
        await db.transaction(async () => {}, { mode: "serializable" as "deferred" });
      })(),
      asyncio.ValueError,
    );
    // a statement on the database itself inside its transaction would wait for itself
    await assert.rejects(
      (async () => {
        await db.transaction(async () => {
          await db.get("SELECT 1");
        });
      })(),
      asyncio.RuntimeError,
    );
    // a transaction's handle is dead once the transaction is over
    let saved: SqliteTransaction | undefined;
    await db.transaction((tx) => {
      saved = tx;
    });
    await assert.rejects(
      (async () => {
        await saved!.get("SELECT 1");
      })(),
      { name: "ProgrammingError", message: "the transaction is over" },
    );
    assert.equal(pyRepr(db), "<SqliteDatabase ':memory:'>");
    await db.close();
    await db.close(); // idempotent
    assert.equal(pyRepr(db), "<SqliteDatabase ':memory:' closed>");
    await assert.rejects(
      (async () => {
        await db.get("SELECT 1");
      })(),
      (e: unknown) =>
        e instanceof ProgrammingError && e.message === "Cannot operate on a closed database.",
    );
  });
});

test("close() inside the database's own transaction closes at once (sqlite3's close()): what follows and the commit raise ProgrammingError; it does not hang", async () => {
  await asyncio.run(async () => {
    const db = await openSqlite(":memory:");
    await db.exec("CREATE TABLE t (x INTEGER)");
    let after: unknown = null;
    await assert.rejects(
      async () =>
        await db.transaction(async (tx: SqliteTransaction) => {
          await tx.run("INSERT INTO t VALUES (1)");
          await db.close();
          try {
            await tx.run("INSERT INTO t VALUES (2)");
          } catch (e) {
            after = e;
          }
        }),
      { name: "ProgrammingError", message: "Cannot operate on a closed database." },
    );
    assert.ok(after instanceof ProgrammingError);
    await db.close(); // a second close is fine
  });
});
