/**
 * Property tests: random workers acquire a Lock, Semaphore or BoundedSemaphore (with acquire()/
 * release(), `run()` or `await using`, both coroutine syntaxes), hold it for a while and are
 * cancelled at random times, while waiting or while holding, also in the very step in which
 * another worker's release woke them. A semaphore never admits more than its value (a lock more
 * than one); those that get it get it in the order they asked (strict FIFO, no barging); no task
 * stays parked while the primitive is free; everything is released at the end. Seeded, virtual
 * time.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

type Kind = "Lock" | "Semaphore" | "BoundedSemaphore";
type Style = "acquire" | "run" | "using";

interface Worker {
  start: number;
  hold: number;
  style: Style;
  /** right after releasing, cancel worker `kill` (index modulo), maybe the one just woken */
  kill: number | null;
}

interface Scenario {
  kind: Kind;
  value: number;
  syntax: "generator" | "async";
  workers: Worker[];
  cancels: { at: number; target: number }[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  kind: fc.constantFrom<Kind>("Lock", "Semaphore", "BoundedSemaphore"),
  value: fc.integer({ min: 1, max: 3 }),
  syntax: fc.constantFrom<"generator" | "async">("generator", "async"),
  workers: fc.array(
    fc.record({
      start: fc.integer({ min: 0, max: 4 }),
      hold: fc.integer({ min: 0, max: 3 }),
      style: fc.constantFrom<Style>("acquire", "run", "using"),
      kill: fc.option(fc.nat({ max: 9 }), { nil: null, freq: 4 }),
    }),
    { minLength: 1, maxLength: 10 },
  ),
  cancels: fc.array(
    fc.record({ at: fc.integer({ min: 0, max: 10 }), target: fc.nat({ max: 9 }) }),
    { maxLength: 5 },
  ),
});

type Primitive = asyncio.Lock | asyncio.Semaphore;

async function runScenario(s: Scenario): Promise<void> {
  // `await using` needs an async function: those workers are async whatever the syntax.
  await asyncio.run(
    function* main() {
      const loop = asyncio.getRunningLoop();
      const prim: Primitive =
        s.kind === "Lock"
          ? new asyncio.Lock()
          : s.kind === "Semaphore"
            ? new asyncio.Semaphore(s.value)
            : new asyncio.BoundedSemaphore(s.value);
      const capacity = s.kind === "Lock" ? 1 : s.value;
      let active = 0;
      let asked = 0;
      const granted: number[] = [];
      const tasks: asyncio.Task<void>[] = [];

      const enter = (ticket: number) => {
        granted.push(ticket);
        active++;
        assert.ok(active <= capacity, `${active} holders of a ${s.kind} of ${capacity}`);
      };
      const leave = (w: Worker) => {
        active--;
        if (w.kill !== null) tasks[w.kill % tasks.length]!.cancel();
      };

      const genWorker = (w: Worker): asyncio.Coroutine<void> =>
        (function* () {
          yield* asyncio.sleep(w.start);
          const ticket = asked++;
          if (w.style === "run") {
            yield* prim.run(function* () {
              enter(ticket);
              try {
                yield* asyncio.sleep(w.hold);
              } finally {
                leave(w);
              }
            });
          } else {
            yield* prim.acquire();
            enter(ticket);
            try {
              yield* asyncio.sleep(w.hold);
            } finally {
              prim.release();
              leave(w);
            }
          }
        })();
      const asyncWorker = async (w: Worker): Promise<void> => {
        await asyncio.sleep(w.start);
        const ticket = asked++;
        if (w.style === "run") {
          await prim.run(async () => {
            enter(ticket);
            try {
              await asyncio.sleep(w.hold);
            } finally {
              leave(w);
            }
          });
        } else if (w.style === "using") {
          await prim.acquire();
          await using _ = prim;
          enter(ticket);
          try {
            await asyncio.sleep(w.hold);
          } finally {
            leave(w);
          }
        } else {
          await prim.acquire();
          enter(ticket);
          try {
            await asyncio.sleep(w.hold);
          } finally {
            prim.release();
            leave(w);
          }
        }
      };

      // Liveness, checked while the loop is idle (events at whole seconds, checks in between):
      // nobody waits while there is room. A failed check stops the scenario at once.
      let stop = false;
      let failure: unknown = null;
      const mainTask = asyncio.currentTask()!;
      const watcher = asyncio.createTask(function* () {
        yield* asyncio.sleep(0.5);
        while (!stop) {
          try {
            if (active < capacity) {
              assert.ok(!prim._waiters.hasLiveWaiter(), "a waiter sleeps while there is room");
            }
          } catch (e) {
            failure = e;
            mainTask.cancel();
            return;
          }
          yield* asyncio.sleep(1);
        }
      });

      for (const w of s.workers) {
        tasks.push(
          s.syntax === "async" || w.style === "using"
            ? asyncio.createTask(() => asyncWorker(w))
            : asyncio.createTask(genWorker(w)),
        );
      }
      for (const c of s.cancels) {
        const t = tasks[c.target % tasks.length]!;
        loop.callLater(c.at, () => t.cancel());
      }
      try {
        // A deadlock shows as a TimeoutError (virtual time jumps to it).
        yield* asyncio.timeout(1000, function* () {
          for (const t of tasks) {
            try {
              yield* t;
            } catch (e) {
              // The worker's own cancellation is expected; ours (failure, deadlock) is not.
              if (!(e instanceof asyncio.CancelledError) || mainTask.cancelling() > 0) throw e;
            }
          }
        });
      } catch (e) {
        throw failure ?? e;
      }
      stop = true;
      yield* watcher;

      // Strict FIFO: the holders got it in the order they asked.
      assert.deepEqual(
        granted,
        [...granted].sort((a, b) => a - b),
        `granted out of order: ${granted}`,
      );
      assert.equal(active, 0);
      assert.equal(prim.locked(), false);
      assert.equal(prim._waiters.length, 0);
      if (prim instanceof asyncio.Semaphore) assert.equal(prim._value, s.value);
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
}

test("locks and semaphores admit at most their value, FIFO, and lose no wake-up", async () => {
  await fc.assert(fc.asyncProperty(scenario, runScenario), { seed: 20241124, numRuns: 200 });
});
