/**
 * Property tests: random producers, consumers and cancellations on Queue, LifoQueue and
 * PriorityQueue (bounded or not, both coroutine syntaxes). Tasks are cancelled by timers and in
 * the very step of another task's put or get (so possibly right after that put or get woke
 * them, the race CPython's pass-the-wake-up-on code is for). Every completed put and get is logged
 * in the order it happened and replayed on a model (a FIFO, a stack, a min-heap): each get must
 * return exactly the model's next item, so nothing is lost, duplicated or reordered, and a
 * cancelled put never shows up. join() must return exactly when the count of unfinished items
 * reaches zero, in the same virtual instant; no task stays parked while it could proceed.
 * Seeded, virtual time.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

type Kind = "fifo" | "lifo" | "priority";
type Item = [priority: number, id: number];
/** Cancel task `target` (index modulo) in the very step of operation number `after`. */
type Kill = { after: number; target: number };

interface Scenario {
  kind: Kind;
  maxsize: number;
  syntax: "generator" | "async";
  /** `kill`: right after its put number `after`, the producer cancels consumer `target`. */
  producers: { items: number[]; pause: number; kill: Kill | null }[];
  /** `kill`: right after its get number `after`, the consumer cancels producer `target`. */
  consumers: { work: number; kill: Kill | null }[];
  cancels: { at: number; target: number }[];
}

const killArb = fc.option(fc.record({ after: fc.nat({ max: 5 }), target: fc.nat({ max: 5 }) }), {
  nil: null,
  freq: 3,
});

/** A canceller for `kill`: call it after each operation; it cancels at the chosen one. */
function killer(kill: Kill | null, tasks: asyncio.Task<void>[]): () => void {
  let ops = 0;
  return () => {
    if (kill !== null && ops++ === kill.after) tasks[kill.target % tasks.length]!.cancel();
  };
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  kind: fc.constantFrom<Kind>("fifo", "lifo", "priority"),
  maxsize: fc.integer({ min: 0, max: 3 }),
  syntax: fc.constantFrom<"generator" | "async">("generator", "async"),
  producers: fc.array(
    fc.record({
      items: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 6 }),
      pause: fc.integer({ min: 0, max: 2 }),
      kill: killArb,
    }),
    { minLength: 1, maxLength: 4 },
  ),
  consumers: fc.array(fc.record({ work: fc.integer({ min: 0, max: 3 }), kill: killArb }), {
    minLength: 1,
    maxLength: 3,
  }),
  cancels: fc.array(
    fc.record({ at: fc.integer({ min: 0, max: 12 }), target: fc.nat({ max: 20 }) }),
    { maxLength: 4 },
  ),
});

function makeQueue(kind: Kind, maxsize: number): asyncio.Queue<Item> {
  if (kind === "fifo") return new asyncio.Queue<Item>(maxsize);
  if (kind === "lifo") return new asyncio.LifoQueue<Item>(maxsize);
  return new asyncio.PriorityQueue<Item>(maxsize);
}

/** What the queue must hand out next, given everything put and got so far. */
class Model {
  private readonly items: Item[] = [];
  constructor(private readonly kind: Kind) {}
  put(item: Item): void {
    this.items.push(item);
  }
  take(): Item | undefined {
    if (this.kind === "fifo") return this.items.shift();
    if (this.kind === "lifo") return this.items.pop();
    let best = 0;
    for (let i = 1; i < this.items.length; i++) {
      const [p, id] = this.items[i]!;
      const [bp, bid] = this.items[best]!;
      if (p < bp || (p === bp && id < bid)) best = i;
    }
    return this.items.splice(best, 1)[0];
  }
  get size(): number {
    return this.items.length;
  }
}

async function runScenario(s: Scenario): Promise<void> {
  await asyncio.run(
    function* main() {
      const loop = asyncio.getRunningLoop();
      const q = makeQueue(s.kind, s.maxsize);
      const log: ["put" | "get", Item][] = [];
      let zeroEvents = 0;
      let lastZeroTime = -1;
      let nextId = 0;
      const done = () => {
        q.taskDone();
        if (q._unfinishedTasks === 0) {
          zeroEvents++;
          lastZeroTime = loop.time();
        }
      };

      const consumers: asyncio.Task<void>[] = [];
      const producer = (items: number[], pause: number, kill: Kill | null): asyncio.Task<void> => {
        const batch: Item[] = items.map((p) => [p, nextId++]);
        // Cancels a consumer in the very step of a put, so possibly one this put just woke.
        const afterPut = killer(kill, consumers);
        return s.syntax === "generator"
          ? asyncio.createTask(function* () {
              try {
                for (const item of batch) {
                  yield* q.put(item);
                  log.push(["put", item]);
                  afterPut();
                  yield* asyncio.sleep(pause);
                }
              } catch (e) {
                if (!(e instanceof asyncio.QueueShutDown)) throw e;
              }
            })
          : asyncio.createTask(async () => {
              try {
                for (const item of batch) {
                  await q.put(item);
                  log.push(["put", item]);
                  afterPut();
                  await asyncio.sleep(pause);
                }
              } catch (e) {
                if (!(e instanceof asyncio.QueueShutDown)) throw e;
              }
            });
      };
      const producers: asyncio.Task<void>[] = [];
      const consumer = (work: number, kill: Kill | null): asyncio.Task<void> => {
        // Cancels a producer in the very step of a get, so possibly one this get just woke.
        const afterGet = killer(kill, producers);
        return s.syntax === "generator"
          ? asyncio.createTask(function* () {
              for (;;) {
                let item: Item;
                try {
                  item = yield* q.get();
                } catch (e) {
                  if (e instanceof asyncio.QueueShutDown) return;
                  throw e;
                }
                log.push(["get", item]);
                afterGet();
                try {
                  yield* asyncio.sleep(work);
                } finally {
                  done();
                }
              }
            })
          : asyncio.createTask(async () => {
              for await (const item of q) {
                log.push(["get", item]);
                afterGet();
                try {
                  await asyncio.sleep(work);
                } finally {
                  done();
                }
              }
            });
      };

      let stop = false;
      const joiner = asyncio.createTask(function* () {
        while (!stop) {
          const z0 = zeroEvents;
          const u0 = q._unfinishedTasks;
          yield* q.join();
          // join() returned: the count hit zero since it started (or was zero), just now.
          assert.ok(u0 === 0 || zeroEvents > z0, "join() returned with items unfinished");
          if (u0 > 0) assert.equal(lastZeroTime, loop.time(), "join() returned late");
          yield* asyncio.sleep(0.5);
        }
      });

      // Liveness: no task stays parked in get() while an item waits in the queue, nor in put()
      // while there is room. Checked when the loop is idle: every scenario event happens at a
      // whole second, the checks at the half seconds in between.
      const watcher = asyncio.createTask(function* () {
        yield* asyncio.sleep(0.5);
        while (!stop) {
          assert.ok(q.empty() || !q._getters.hasLiveWaiter(), "a getter sleeps beside an item");
          assert.ok(q.full() || !q._putters.hasLiveWaiter(), "a putter sleeps beside room");
          yield* asyncio.sleep(1);
        }
      });

      producers.push(...s.producers.map((p) => producer(p.items, p.pause, p.kill)));
      consumers.push(...s.consumers.map((c) => consumer(c.work, c.kill)));
      const targets = [...producers, ...consumers];
      for (const c of s.cancels) {
        const t = targets[c.target % targets.length]!;
        loop.callLater(c.at, () => t.cancel());
      }

      const me = asyncio.currentTask()!;
      const settle = function* (ts: asyncio.Task<void>[]): asyncio.Coroutine<void> {
        for (const t of ts) {
          try {
            yield* t;
          } catch (e) {
            // The task's own cancellation is expected; ours is not.
            if (!(e instanceof asyncio.CancelledError) || me.cancelling() > 0) throw e;
          }
        }
      };
      // Producers blocked for good on a full queue whose consumers were all cancelled are
      // released by shutdown() after a while.
      yield* asyncio.wait(producers, { timeout: 100 });
      q.shutdown();
      yield* settle(producers);
      yield* settle(consumers);
      // Every consumer may have been cancelled: take what is left.
      while (!q.empty()) {
        log.push(["get", q.getNowait()]);
        done();
      }
      yield* asyncio.waitFor(q.join(), 100); // a TimeoutError here: join() never returned
      assert.equal(q._unfinishedTasks, 0);
      assert.equal(q._getters.length, 0);
      assert.equal(q._putters.length, 0);
      stop = true;
      yield* joiner;
      yield* watcher;

      const model = new Model(s.kind);
      for (const [op, item] of log) {
        if (op === "put") model.put(item);
        else assert.deepEqual(item, model.take(), `${s.kind}: wrong item got`);
      }
      assert.equal(model.size, 0, "items lost");
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
}

test("queues never lose, duplicate or reorder items; join() returns exactly when all are done", async () => {
  await fc.assert(fc.asyncProperty(scenario, runScenario), { seed: 20241124, numRuns: 150 });
});

test("the same with every consumer cancelled early (items drained afterwards)", async () => {
  const allCancelled = scenario.map((s) => ({
    ...s,
    cancels: s.consumers.map((_, i) => ({ at: i, target: s.producers.length + i })),
  }));
  await fc.assert(fc.asyncProperty(allCancelled, runScenario), { seed: 7, numRuns: 50 });
});
