/**
 * A small batch job as an asyncio user would write it: read per-customer totals from MariaDB,
 * cache them in Redis, report progress, with bounded concurrency and a deadline.
 *
 *   eval "$(bash scripts/db-services.sh start)"     # throwaway MariaDB + Redis on 127.0.0.1
 *   node --conditions=asyncio-ts-source --import tsx examples/db_job.ts [customers]
 *   bash scripts/db-services.sh stop
 *
 * or `npm run example:db` for all three. The first pass queries the database for every customer;
 * the second finds them all in the cache.
 *
 * The Python original would use aiomysql + redis.asyncio:
 *   async with asyncio.timeout(30), asyncio.TaskGroup() as tg: ...
 *       async with sem, pool.acquire() as conn: await cur.execute(...)
 */

import * as asyncio from "asyncio-ts";
import { awaitCancellable, ConnectionPool, killQuery } from "asyncio-ts/db";
import { Redis } from "ioredis";
import mysql from "mysql2/promise";

const MYSQL_URL = process.env.MYSQL_URL;
const REDIS_URL = process.env.REDIS_URL;
const CUSTOMERS = Number(process.argv[2] ?? 200);

type Conn = mysql.Connection;

/** Creates the orders table and fills it with CUSTOMERS customers' orders. */
async function seed(pool: ConnectionPool<Conn>): Promise<void> {
  await pool.run(async (conn) => {
    await conn.query(
      "CREATE TABLE IF NOT EXISTS orders (id INT AUTO_INCREMENT PRIMARY KEY, customer INT NOT NULL, amount INT NOT NULL, INDEX (customer))",
    );
    await conn.query("TRUNCATE TABLE orders");
    // customer c has c % 7 + 1 orders of c cents each
    const rows: [number, number][] = [];
    for (let c = 1; c <= CUSTOMERS; c++) for (let k = 0; k < (c % 7) + 1; k++) rows.push([c, c]);
    await conn.query("INSERT INTO orders (customer, amount) VALUES ?", [rows]);
  });
}

/** One customer's total: from the cache, or from the database (then cached for a minute). */
async function customerTotal(
  pool: ConnectionPool<Conn>,
  redis: Redis,
  customer: number,
  stats: { hits: number; queries: number },
): Promise<number> {
  const key = `asyncio-ts:example:total:${customer}`;
  const cached = await redis.get(key);
  if (cached !== null) {
    stats.hits++;
    return Number(cached);
  }
  // cancelled mid-query (the 30 s deadline): KILL QUERY from a side connection opened for it
  const total = await pool.run(async (conn) => {
    const [rows] = await awaitCancellable(
      () =>
        conn.query("SELECT COALESCE(SUM(amount), 0) AS total FROM orders WHERE customer = ?", [
          customer,
        ]),
      killQuery(conn, () => mysql.createConnection(MYSQL_URL!)),
    );
    return Number((rows as { total: number | string }[])[0]!.total);
  });
  stats.queries++;
  await redis.set(key, String(total), "EX", 60);
  return total;
}

/** Prints how far the job is every 100 ms until cancelled. */
async function reportProgress(done: () => number, label: string): Promise<void> {
  for (;;) {
    await asyncio.sleep(0.1);
    console.log(`  ${label}: ${done()}/${CUSTOMERS}`);
  }
}

async function pass(label: string, pool: ConnectionPool<Conn>, redis: Redis): Promise<void> {
  const stats = { hits: 0, queries: 0 };
  const sem = new asyncio.Semaphore(8); // at most 8 customers in flight
  let finished = 0;
  let grandTotal = 0;
  const loop = asyncio.getRunningLoop();
  const t0 = loop.time();
  const reporter = asyncio.createTask(() => reportProgress(() => finished, label));
  try {
    await asyncio.timeout(30, () =>
      new asyncio.TaskGroup().run(async (tg) => {
        for (let c = 1; c <= CUSTOMERS; c++) {
          tg.createTask(async () => {
            await sem.acquire();
            try {
              const total = await customerTotal(pool, redis, c, stats);
              grandTotal += total; // not `grandTotal += await ...`: that reads it before the await
            } finally {
              sem.release();
            }
            finished++;
          });
        }
      }),
    );
  } finally {
    reporter.cancel();
  }
  // sum over c of c * (c % 7 + 1): what the seed inserted
  let expected = 0;
  for (let c = 1; c <= CUSTOMERS; c++) expected += c * ((c % 7) + 1);
  const ms = Math.round((loop.time() - t0) * 1000);
  console.log(
    `${label}: ${finished} customers, total ${grandTotal} (expected ${expected}), ` +
      `${stats.queries} database queries, ${stats.hits} cache hits, ${ms} ms`,
  );
  if (grandTotal !== expected) throw new Error("wrong total");
}

async function main(): Promise<void> {
  const pool = new ConnectionPool<Conn>({
    create: () => mysql.createConnection(MYSQL_URL!),
    destroy: (c) => c.end(),
    size: 4,
  });
  const redis = new Redis(REDIS_URL!);
  try {
    await seed(pool);
    const old = await redis.keys("asyncio-ts:example:total:*");
    if (old.length > 0) await redis.del(...old);
    await pass("first pass", pool, redis);
    await pass("second pass", pool, redis);
  } finally {
    await pool.close();
    redis.disconnect();
  }
}

if (MYSQL_URL === undefined || REDIS_URL === undefined) {
  console.error(
    'db_job: set MYSQL_URL and REDIS_URL, e.g. eval "$(bash scripts/db-services.sh start)"',
  );
  process.exit(2);
}
await asyncio.run(main);
