/**
 * The `mongodb` driver (motor's counterpart) inside tasks. MongoDB has no Debian package and its
 * test helpers download server binaries, which cannot work here, so the live tests run only where
 * MONGODB_URL is set (e.g. `MONGODB_URL=mongodb://127.0.0.1:27017 npm test`). The first test
 * needs no server: it checks that a task's cancellation reaches the real driver through the
 * `signal` that `awaitCancellable` passes (driver 6.13+ takes it on `find` and `aggregate`).
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { test } from "node:test";
import { MongoClient } from "mongodb";
import { awaitCancellable } from "../src/db.ts";
import * as asyncio from "../src/index.ts";
import { prng } from "./fixtures/prng.ts";

const MONGODB_URL = process.env.MONGODB_URL;
const noMongo = MONGODB_URL ? false : "MONGODB_URL not set (no MongoDB server here)";

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

test("mongodb: cancelling the task aborts the driver's find through the signal", async () => {
  const port = await closedPort();
  // Nothing listens there: the driver waits up to 30 s for a server to select.
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, {
    serverSelectionTimeoutMS: 30_000,
  });
  try {
    await asyncio.run(async () => {
      const coll = client.db("asyncio_ts").collection("jobs");
      let driverSettled: string | null = null;
      const t = asyncio.createTask(
        awaitCancellable((signal) =>
          coll
            .find({}, { signal })
            .toArray()
            .then(
              (docs) => {
                driverSettled = "resolved";
                return docs;
              },
              (e: Error) => {
                driverSettled = e.name;
                throw e;
              },
            ),
        ),
      );
      await asyncio.sleep(0.1);
      const loop = asyncio.getRunningLoop();
      const t0 = loop.time();
      t.cancel();
      const [r] = await asyncio.gather([t], { returnExceptions: true });
      assert.ok(r instanceof asyncio.CancelledError);
      assert.ok(loop.time() - t0 < 5, "the driver gave up at once, not after 30 s");
      // the driver's own promise settled with the abort (awaitCancellable waited for it)
      assert.notEqual(driverSettled, null);
      assert.notEqual(driverSettled, "resolved");
    });
  } finally {
    await client.close(true);
  }
});

test("mongodb live: a cancelled slow find is aborted and currentOp is clean", {
  skip: noMongo,
}, async () => {
  const client = new MongoClient(MONGODB_URL!);
  await client.connect();
  try {
    await asyncio.run(async () => {
      const db = client.db("asyncio_ts_test");
      const coll = db.collection("slow");
      await coll.deleteMany({});
      await coll.insertMany(Array.from({ length: 5 }, (_, i) => ({ i })));
      const marker = `asyncio-ts-${Date.now()}`;
      const t = asyncio.createTask(
        awaitCancellable((signal) =>
          coll.find({ $where: "sleep(2000) || true" }, { signal, comment: marker }).toArray(),
        ),
      );
      await asyncio.sleep(0.3);
      t.cancel();
      const [r] = await asyncio.gather([t], { returnExceptions: true });
      assert.ok(r instanceof asyncio.CancelledError);
      // the aborted operation's socket was closed; the server ends the op; poll for it
      let ops: unknown[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await db.admin().command({ currentOp: 1, "command.comment": marker });
        ops = res.inprog as unknown[];
        if (ops.length === 0) break;
        await asyncio.sleep(0.1);
      }
      assert.deepEqual(ops, []);
      assert.equal(await coll.countDocuments({}), 5, "the client still works");
    });
  } finally {
    await client.close();
  }
});

test("mongodb live: 1,000 tasks with random cancellations, every answer right", {
  skip: noMongo,
}, async () => {
  const client = new MongoClient(MONGODB_URL!, { maxPoolSize: 10 });
  await client.connect();
  try {
    await asyncio.run(async () => {
      const coll = client.db("asyncio_ts_test").collection("stress");
      await coll.deleteMany({});
      const rnd = prng(11);
      const tasks: asyncio.Task<unknown>[] = [];
      for (let i = 0; i < 1000; i++) {
        const job = async (): Promise<unknown> => {
          await coll.insertOne({ _id: i as never, i });
          const docs = await awaitCancellable((signal) =>
            coll.find({ _id: i as never }, { signal }).toArray(),
          );
          return docs[0]?.i;
        };
        tasks.push(
          rnd() < 0.15
            ? asyncio.createTask(asyncio.timeout(rnd() * 0.02, job))
            : asyncio.createTask(job),
        );
        if (rnd() < 0.15) tasks[Math.floor(rnd() * tasks.length)]!.cancel();
      }
      const results = await asyncio.gather(tasks, { returnExceptions: true });
      let ok = 0;
      results.forEach((r, i) => {
        if (r instanceof asyncio.CancelledError || r instanceof asyncio.TimeoutError) return;
        assert.equal(r, i);
        ok++;
      });
      assert.ok(ok > 300, `${ok} answered`);
      await coll.drop();
    });
  } finally {
    await client.close();
  }
});
