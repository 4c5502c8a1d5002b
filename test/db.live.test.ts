/**
 * asyncio-ts/db against live servers (`eval "$(bash scripts/db-services.sh start)"` sets the
 * URLs): a MariaDB `SELECT SLEEP(10)` cancelled by its task is stopped with `KILL QUERY` on a
 * side connection and `SHOW PROCESSLIST` is clean afterwards; a Redis `BLPOP` cancelled by its
 * task drops its connection and `CLIENT LIST` is clean afterwards; a pool under random
 * cancellations leaves nothing behind on the server. Skipped when MYSQL_URL / REDIS_URL are
 * not set.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Redis } from "ioredis";
import mysql from "mysql2/promise";
import { awaitCancellable, ConnectionPool, killQuery } from "../src/db.ts";
import * as asyncio from "../src/index.ts";
import { missingServers, startMariadb, startRedis } from "./fixtures/db_servers.ts";
import { prng } from "./fixtures/prng.ts";

const MYSQL_URL = process.env.MYSQL_URL;
const REDIS_URL = process.env.REDIS_URL;
const noMysql = MYSQL_URL ? false : "MYSQL_URL not set";
const noRedis = REDIS_URL ? false : "REDIS_URL not set";

// ---- MariaDB ---------------------------------------------------------------------------------

type Conn = mysql.Connection;

/** Runs `sql` on `conn` so that cancelling the task sends `KILL QUERY` from `side`. */
function cancellableQuery(
  conn: Conn,
  side: Conn,
  sql: string,
): asyncio.AwaitableCoroutine<unknown> {
  return awaitCancellable(() => conn.query(sql).then(([rows]) => rows), killQuery(conn, side));
}

/**
 * The queries still running once the server has caught up: a killed query can stay listed for a
 * moment after its client got the error, so look again for up to a second before answering.
 */
async function settledQueries(side: Conn, like: string): Promise<unknown[]> {
  let rows = await runningQueries(side, like);
  for (let i = 0; i < 20 && rows.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    rows = await runningQueries(side, like);
  }
  return rows;
}

async function runningQueries(side: Conn, like: string): Promise<unknown[]> {
  const [rows] = await side.query(
    "SELECT ID, INFO FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND ID <> CONNECTION_ID() AND INFO LIKE ?",
    [like],
  );
  return rows as unknown[];
}

test("MariaDB: a cancelled SELECT SLEEP(10) is killed, the connection stays usable", {
  skip: noMysql,
}, async () => {
  await asyncio.run(async () => {
    const conn = await mysql.createConnection(MYSQL_URL!);
    const side = await mysql.createConnection(MYSQL_URL!);
    try {
      const loop = asyncio.getRunningLoop();
      const t0 = loop.time();
      const t = asyncio.createTask(cancellableQuery(conn, side, "SELECT SLEEP(10) AS s"));
      await asyncio.sleep(0.3);
      assert.equal((await runningQueries(side, "SELECT SLEEP(10)%")).length, 1);
      t.cancel();
      const [r] = await asyncio.gather([t], { returnExceptions: true });
      assert.ok(r instanceof asyncio.CancelledError);
      assert.ok(loop.time() - t0 < 5, "cancelled long before the 10 s");
      assert.deepEqual(await runningQueries(side, "SELECT SLEEP(10)%"), []);
      // the killed connection answers the next query
      const [rows] = await conn.query("SELECT 41 + 1 AS x");
      assert.deepEqual(rows, [{ x: 42 }]);
      // and under timeout(): TimeoutError, killed as well
      let caught: unknown;
      try {
        await asyncio.timeout(0.3, () => cancellableQuery(conn, side, "SELECT SLEEP(10) AS s"));
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof asyncio.TimeoutError);
      assert.deepEqual(await runningQueries(side, "SELECT SLEEP(10)%"), []);
    } finally {
      await conn.end();
      await side.end();
    }
  });
});

test("MariaDB: 1,000 tasks on a pool of 10 with random cancellations and timeouts leave the server clean", {
  skip: noMysql,
}, async () => {
  await asyncio.run(async () => {
    const side = await mysql.createConnection(MYSQL_URL!);
    let made = 0;
    const pool = new ConnectionPool<Conn>({
      create: () => {
        made++;
        return mysql.createConnection(MYSQL_URL!);
      },
      destroy: (c) => c.end().catch(() => c.destroy()),
      size: 10,
    });
    try {
      const rnd = prng(42);
      const tasks: asyncio.Task<unknown>[] = [];
      const sem = new asyncio.Semaphore(50); // a bounded fan-out in front of the pool
      for (let i = 0; i < 1000; i++) {
        const ms = Math.floor(rnd() * 20);
        const job = (): asyncio.AwaitableCoroutine<unknown> =>
          pool.run((conn) =>
            cancellableQuery(
              conn,
              side,
              `SELECT ${i} AS i, SLEEP(${ms / 1000}) AS s /* poolstress */`,
            ),
          );
        const bounded = async (): Promise<unknown> => {
          await sem.acquire();
          try {
            return await job();
          } finally {
            sem.release();
          }
        };
        tasks.push(
          rnd() < 0.15
            ? asyncio.createTask(asyncio.timeout(rnd() * 0.05, bounded))
            : asyncio.createTask(bounded),
        );
        if (rnd() < 0.15) tasks[Math.floor(rnd() * tasks.length)]!.cancel();
        if (rnd() < 0.05) await asyncio.sleep(0.005);
      }
      const results = await asyncio.gather(tasks, { returnExceptions: true });
      let ok = 0;
      results.forEach((r, i) => {
        if (r instanceof asyncio.CancelledError || r instanceof asyncio.TimeoutError) return;
        assert.ok(Array.isArray(r), String(r));
        assert.equal((r as { i: number }[])[0]!.i, i);
        ok++;
      });
      assert.ok(ok > 300, `${ok} answered`);
      assert.ok(ok < 950, `${1000 - ok} cancelled or timed out`);
      assert.equal(pool.heldCount, 0);
      assert.equal(pool.inUseCount, 0);
      assert.ok(pool.idleCount <= 10);
      assert.ok(made > 10, "cancelled connections were replaced");
      assert.deepEqual(await settledQueries(side, "%poolstress%"), []);
      await pool.close();
      // only the side connection (and nothing of the pool) is left
      const left = async (): Promise<unknown[]> =>
        (
          await side.query(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'root' AND ID <> CONNECTION_ID()",
          )
        )[0] as unknown[];
      let procs = await left();
      for (let i = 0; i < 20 && procs.length > 0; i++) {
        await asyncio.sleep(0.05);
        procs = await left();
      }
      assert.deepEqual(procs, []);
    } finally {
      await pool.close();
      await side.end();
    }
  });
});

test("MariaDB killed mid-query: the awaiting tasks get the driver's error, nothing hangs", {
  skip: noMysql || missingServers(),
  timeout: 60_000,
}, async () => {
  const server = await startMariadb();
  try {
    await asyncio.run(async () => {
      const pool = new ConnectionPool<Conn>({
        create: () => mysql.createConnection(server.url),
        destroy: (c) => c.destroy(),
        size: 3,
      });
      const side = await mysql.createConnection(server.url);
      side.on("error", () => {});
      // one query under awaitCancellable, one awaited plainly, in both syntaxes
      const viaGen = asyncio.createTask(
        pool.run(function* (conn) {
          return yield* cancellableQuery(conn, side, "SELECT SLEEP(10)");
        }),
      );
      const viaAsync = asyncio.createTask(
        pool.run(async (conn) => (await conn.query("SELECT SLEEP(10)"))[0]),
      );
      await asyncio.sleep(0.3);
      assert.equal(pool.inUseCount, 2);
      const t0 = asyncio.getRunningLoop().time();
      await server.kill();
      const results = await asyncio.timeout(5, () =>
        asyncio.gather([viaGen, viaAsync], { returnExceptions: true }),
      );
      assert.ok(asyncio.getRunningLoop().time() - t0 < 5);
      for (const r of results) {
        assert.ok(r instanceof Error, String(r));
        assert.equal((r as { code?: string }).code, "PROTOCOL_CONNECTION_LOST");
        assert.equal((r as { fatal?: boolean }).fatal, true);
      }
      // both connections were fatal: destroyed, their slots free again
      assert.equal(pool.heldCount, 0);
      assert.equal(pool.idleCount, 0);
      // a new acquisition fails with the connect error and gives its slot back
      await assert.rejects(
        async () => {
          await asyncio.timeout(5, () => pool.run((conn) => conn.query("SELECT 1")));
        },
        (e: { code?: string }) => e.code === "ECONNREFUSED",
      );
      assert.equal(pool.heldCount, 0);
      await pool.close();
    });
  } finally {
    await server.cleanup();
  }
});

// ---- Redis -----------------------------------------------------------------------------------

function newRedis(name: string): Promise<Redis> {
  const r = new Redis(REDIS_URL!, { lazyConnect: true, connectionName: name });
  return r.connect().then(() => r);
}

async function clients(ctl: Redis): Promise<Map<string, string>[]> {
  const text = (await ctl.client("LIST")) as string;
  return text
    .trim()
    .split("\n")
    .map((line) => new Map(line.split(" ").map((kv) => kv.split("=", 2) as [string, string])));
}

test("Redis: a cancelled BLPOP drops its connection, CLIENT LIST is clean, the pool replaces it", {
  skip: noRedis,
}, async () => {
  await asyncio.run(async () => {
    const ctl = await newRedis("ctl");
    let n = 0;
    const pool = new ConnectionPool<Redis>({
      create: () => newRedis(`pool-${n++}`),
      destroy: (c) => c.disconnect(),
      size: 2,
    });
    try {
      await ctl.del("asyncio-ts:jobs");
      const t = asyncio.createTask(
        pool.run((conn) =>
          awaitCancellable(
            () => conn.blpop("asyncio-ts:jobs", 0),
            () => conn.disconnect(),
          ),
        ),
      );
      await asyncio.sleep(0.2);
      const blocked = (await clients(ctl)).filter((c) => c.get("cmd") === "blpop");
      assert.equal(blocked.length, 1);
      t.cancel();
      const [r] = await asyncio.gather([t], { returnExceptions: true });
      assert.ok(r instanceof asyncio.CancelledError);
      await asyncio.sleep(0.2);
      const after = await clients(ctl);
      assert.deepEqual(
        after.filter((c) => c.get("cmd") === "blpop"),
        [],
        "no client left blocked",
      );
      assert.deepEqual(
        after.filter((c) => c.get("name") === "pool-0"),
        [],
        "the cancelled connection is gone",
      );
      // a push is not eaten by the dead BLPOP: the next BLPOP (on a new connection) gets it
      await ctl.rpush("asyncio-ts:jobs", "job-1");
      const got = await pool.run((conn) => conn.blpop("asyncio-ts:jobs", 1));
      assert.deepEqual(got, ["asyncio-ts:jobs", "job-1"]);
      assert.equal(pool.heldCount, 0);
      await pool.close();
      await asyncio.sleep(0.2);
      assert.deepEqual(
        (await clients(ctl)).filter((c) => c.get("name")?.startsWith("pool-")),
        [],
        "close() disconnected every pooled client",
      );
    } finally {
      await pool.close();
      ctl.disconnect();
    }
  });
});

test("Redis: 1,000 tasks on a pool of 10 with random cancellations and timeouts leave the server clean", {
  skip: noRedis,
}, async () => {
  await asyncio.run(async () => {
    const ctl = await newRedis("ctl-stress");
    let n = 0;
    const pool = new ConnectionPool<Redis>({
      create: () => newRedis(`stress-${n++}`),
      destroy: (c) => c.disconnect(),
      size: 10,
    });
    try {
      const rnd = prng(7);
      const tasks: asyncio.Task<unknown>[] = [];
      await ctl.del("asyncio-ts:queue");
      for (let i = 0; i < 1000; i++) {
        const kind = rnd();
        const job = (): asyncio.AwaitableCoroutine<unknown> =>
          pool.run(function* (conn) {
            if (kind < 0.2) {
              // a blocking pop that nobody feeds: only a cancellation or its timeout ends it
              return yield* awaitCancellable(
                () => conn.blpop("asyncio-ts:queue", 0.05),
                () => conn.disconnect(),
              );
            }
            yield* awaitCancellable(() => conn.set(`asyncio-ts:k${i}`, String(i)));
            return yield* awaitCancellable(() => conn.get(`asyncio-ts:k${i}`));
          });
        tasks.push(
          rnd() < 0.15
            ? asyncio.createTask(asyncio.timeout(rnd() * 0.02, job))
            : asyncio.createTask(job()),
        );
        if (rnd() < 0.15) tasks[Math.floor(rnd() * tasks.length)]!.cancel();
        if (rnd() < 0.05) await asyncio.sleep(0.002);
      }
      const results = await asyncio.gather(tasks, { returnExceptions: true });
      let ok = 0;
      results.forEach((r, i) => {
        if (r instanceof asyncio.CancelledError || r instanceof asyncio.TimeoutError) return;
        if (r === null) return; // a BLPOP that timed out on the server
        assert.equal(r, String(i));
        ok++;
      });
      assert.ok(ok > 300, `${ok} answered`);
      assert.equal(pool.heldCount, 0);
      assert.equal(pool.inUseCount, 0);
      const stressClients = async (): Promise<Map<string, string>[]> =>
        (await clients(ctl)).filter((c) => c.get("name")?.startsWith("stress-"));
      assert.deepEqual(
        (await stressClients()).filter((c) => c.get("cmd") === "blpop" && c.get("flags") === "b"),
        [],
        "no client left blocked",
      );
      assert.equal((await stressClients()).length, pool.idleCount);
      await pool.close();
      let left = await stressClients();
      for (let i = 0; i < 20 && left.length > 0; i++) {
        await asyncio.sleep(0.05);
        left = await stressClients();
      }
      assert.deepEqual(left, [], "close() disconnected every pooled client");
      const keys = await ctl.keys("asyncio-ts:k*");
      if (keys.length > 0) await ctl.del(...keys);
    } finally {
      await pool.close();
      ctl.disconnect();
    }
  });
});

test("Redis killed mid-command: the awaiting task gets the driver's error, nothing hangs", {
  skip: missingServers(),
  timeout: 30_000,
}, async () => {
  const server = await startRedis();
  try {
    await asyncio.run(async () => {
      // No reconnection: a dead server must surface as an error, not as a command that waits
      // for a server that may never come back (ioredis retries 20 times by default).
      const conn = new Redis(server.url, { lazyConnect: true, retryStrategy: () => null });
      conn.on("error", () => {});
      await conn.connect();
      const blocked = asyncio.createTask(
        awaitCancellable(
          () => conn.blpop("asyncio-ts:never", 0),
          () => conn.disconnect(),
        ),
      );
      await asyncio.sleep(0.2);
      await server.kill();
      const [r] = await asyncio.timeout(5, () =>
        asyncio.gather([blocked], { returnExceptions: true }),
      );
      assert.ok(r instanceof Error, String(r));
      assert.match((r as Error).message, /Connection is closed/);
      await assert.rejects(async () => {
        await asyncio.timeout(5, () => conn.get("x"));
      }, /Connection is closed/);
      conn.disconnect();
    });
  } finally {
    await server.cleanup();
  }
});
