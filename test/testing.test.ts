/**
 * src/testing.ts: VirtualTimeLoop — time jumps to the next timer when the loop is idle, so long
 * sleeps run at once and every run is the same run; advance() moves time by hand.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

const loopFactory = () => new VirtualTimeLoop();

test("an hour of sleep runs at once, and time() says an hour passed", async () => {
  const t0 = performance.now();
  const [start, end] = await asyncio.run(
    function* (): asyncio.Coroutine<number[]> {
      const loop = asyncio.getRunningLoop();
      const s = loop.time();
      yield* asyncio.sleep(3600);
      return [s, loop.time()];
    },
    { loopFactory },
  );
  assert.equal(start, 0);
  assert.equal(end, 3600);
  assert.ok(performance.now() - t0 < 2000, "no real waiting");
});

test("time only jumps when idle: ready callbacks run first, at the current time", async () => {
  const loop = new VirtualTimeLoop();
  const seen: string[] = [];
  loop.callLater(5, () => seen.push(`timer at ${loop.time()}`));
  loop.callSoon(() => {
    seen.push(`soon at ${loop.time()}`);
    loop.callSoon(() => seen.push(`soon again at ${loop.time()}`));
  });
  loop.callLater(10, () => loop.stop());
  await loop.runForever();
  assert.deepEqual(seen, ["soon at 0", "soon again at 0", "timer at 5"]);
  assert.equal(loop.time(), 10);
  loop.close();
});

test("concurrent sleepers wake in deadline order at their exact virtual times", async () => {
  const seen: string[] = [];
  await asyncio.run(
    async () => {
      const loop = asyncio.getRunningLoop();
      const sleeper = (name: string, d: number) => async () => {
        await asyncio.sleep(d);
        seen.push(`${name}@${loop.time()}`);
      };
      await asyncio.gather([
        asyncio.createTask(sleeper("c", 30)),
        asyncio.createTask(sleeper("a", 10)),
        asyncio.createTask(sleeper("b", 20)),
        asyncio.createTask(sleeper("a2", 10)),
      ]);
    },
    { loopFactory },
  );
  assert.deepEqual(seen, ["a@10", "a2@10", "b@20", "c@30"]);
});

test("timeouts fire at their virtual deadline", async () => {
  const r = await asyncio.run(
    async () => {
      const loop = asyncio.getRunningLoop();
      try {
        await asyncio.timeout(2.5, () => asyncio.sleep(100));
      } catch (e) {
        return [(e as Error).name, loop.time()];
      }
      return ["no timeout", loop.time()];
    },
    { loopFactory },
  );
  assert.deepEqual(r, ["TimeoutError", 2.5]);
});

test("advance() moves time by hand; due timers run on the next iteration", async () => {
  const loop = new VirtualTimeLoop();
  const seen: number[] = [];
  loop.callLater(1, () => seen.push(1));
  loop.callLater(2, () => seen.push(2));
  loop.advance(1.5);
  assert.equal(loop.time(), 1.5);
  loop.stop();
  await loop.runForever();
  assert.deepEqual(seen, [1], "only the timer that was due ran; time did not jump");
  assert.equal(loop.time(), 1.5);
  assert.throws(() => loop.advance(-1), { name: "ValueError" });
  loop.close();
});

test("a timer added from outside wakes a virtual loop sleeping with no timers", async () => {
  const loop = new VirtualTimeLoop();
  const seen: string[] = [];
  const run = loop.runForever();
  setTimeout(() => {
    // From outside the loop: a timer, then time moved past it.
    loop.callLater(3, () => {
      seen.push(`timer at ${loop.time()}`);
      loop.stop();
    });
  }, 5);
  await run;
  assert.deepEqual(seen, ["timer at 3"]);
  loop.close();
});

test("every run is the same run", async () => {
  async function scenario(): Promise<string[]> {
    const log: string[] = [];
    await asyncio.run(
      async () => {
        const loop = asyncio.getRunningLoop();
        const q = new asyncio.Queue<number>();
        const producer = asyncio.createTask(async () => {
          for (let i = 0; i < 5; i++) {
            await asyncio.sleep(0.1 * ((i * 7) % 3) + 0.05);
            await q.put(i);
            log.push(`put ${i} @${loop.time().toFixed(3)}`);
          }
        });
        for (let i = 0; i < 5; i++) {
          const item = await q.get();
          log.push(`got ${item} @${loop.time().toFixed(3)}`);
          await asyncio.sleep(0.07);
        }
        await producer;
      },
      { loopFactory },
    );
    return log;
  }
  const first = await scenario();
  assert.equal(first.length, 10);
  for (let i = 0; i < 3; i++) assert.deepEqual(await scenario(), first);
});

test("a VirtualTimeLoop is an EventLoop with the same API", () => {
  const loop = new VirtualTimeLoop();
  assert.ok(loop instanceof asyncio.EventLoop);
  assert.equal(loop.time(), 0);
  assert.equal(String(loop), "<VirtualTimeLoop running=False closed=False debug=False>");
  loop.close();
});

/** A task counting virtual seconds (one tick per `sleep(1)`). */
function startTicker(): { task: asyncio.Task<void>; ticks: number } {
  const ticker = {
    task: null as unknown as asyncio.Task<void>,
    ticks: 0,
  };
  ticker.task = asyncio.createTask(async () => {
    for (;;) {
      await asyncio.sleep(1);
      ticker.ticks++;
    }
  });
  return ticker;
}

test("the virtual clock does not jump while a toThread()/runInExecutor() call runs", async () => {
  const { snooze } = await import("./fixtures/concurrent_workers.ts");
  const seen = await asyncio.run(
    async () => {
      const loop = asyncio.getRunningLoop();
      const ticker = startTicker();
      const t0 = loop.time();
      // 50 ms of real work in a thread, under a 5 s (virtual) deadline and a 1 s ticker.
      const r = await asyncio.waitFor(asyncio.toThread(snooze, 0.05, "done"), 5);
      const elapsed = loop.time() - t0;
      ticker.task.cancel();
      await asyncio.sleep(2.5); // and it jumps again afterwards
      return { r, elapsed, ticks: ticker.ticks, after: loop.time() - t0 };
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
  assert.deepEqual(seen, { r: "done", elapsed: 0, ticks: 0, after: 2.5 });
});

test("... nor while a pool call wrapped by wrapFuture() runs; a concurrent future the loop's own timer completes does not hold it", async () => {
  const { snooze } = await import("./fixtures/concurrent_workers.ts");
  const { ThreadPoolExecutor, Future: ConcurrentFuture } = await import("../src/concurrent.ts");
  const seen = await asyncio.run(
    async () => {
      const loop = asyncio.getRunningLoop();
      const ticker = startTicker();
      await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      const t0 = loop.time();
      // It jumped one ticker timer per idle Node turn: tens of thousands of virtual seconds.
      const r = await asyncio.wrapFuture(pool.submit(snooze, 0.05, "done"));
      const elapsed = loop.time() - t0;
      ticker.task.cancel();
      const mine = new ConcurrentFuture<string>();
      loop.callLater(3, () => mine.setResult("timer"));
      const r2 = await asyncio.wrapFuture(mine);
      return { r, elapsed, ticks: ticker.ticks, r2, after: loop.time() - t0 };
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
  assert.deepEqual(seen, { r: "done", elapsed: 0, ticks: 0, r2: "timer", after: 3 });
});

test("equal sleeps and timeouts run first in, first out, as on CPython's moving clock; equal callAt deadlines keep heapq's order", async () => {
  const out = await asyncio.run(
    function* () {
      const loop = asyncio.getRunningLoop();
      const slept: number[] = [];
      const seq = (n: number) => Array.from({ length: n }, (_, i) => i);
      function* w(i: number): asyncio.Coroutine<void> {
        yield* asyncio.sleep(0.05);
        slept.push(i);
      }
      yield* asyncio.gather(Array.from({ length: 16 }, (_, i) => w(i)));
      // Many more than a thousand at one deadline (an earlier cap let the rest tie).
      const many: number[] = [];
      yield* asyncio.gather(
        Array.from({ length: 3000 }, (_, i) =>
          (function* () {
            yield* asyncio.sleep(1);
            many.push(i);
          })(),
        ),
      );
      assert.deepEqual(many, seq(3000));
      const timedOut: number[] = [];
      function* t(i: number): asyncio.Coroutine<void> {
        try {
          yield* asyncio.waitFor(asyncio.sleep(10), 0.05);
        } catch {
          timedOut.push(i);
        }
      }
      yield* asyncio.gather(Array.from({ length: 12 }, (_, i) => t(i)));
      const at: number[] = [];
      const base = loop.time() + 1;
      for (let i = 0; i < 20; i++) loop.callAt(base, (n: number) => at.push(n), i);
      yield* asyncio.sleep(2);
      return { slept, timedOut, at };
    },
    { loopFactory },
  );
  const seq = (n: number) => Array.from({ length: n }, (_, i) => i);
  assert.deepEqual(out.slept, seq(16));
  assert.deepEqual(out.timedOut, seq(12));
  // CPython 3.13's order for 20 call_at() of one deadline (heapq's)
  assert.deepEqual(out.at, [0, 2, 6, 14, 13, 19, 18, 17, 16, 15, 5, 11, 12, 10, 9, 8, 7, 1, 3, 4]);
});

test("a callAt and callLaters landing on its deadline run as on a moving clock: by when the deadline was read", async () => {
  const out = await asyncio.run(
    function* () {
      const loop = asyncio.getRunningLoop();
      const seen: string[][] = [];
      // The deadline read first: on CPython's clock it is earlier than any callLater's after it.
      let log: string[] = [];
      const deadline = loop.time() + 1;
      loop.callLater(1, (s: string) => log.push(s), "later");
      loop.callAt(deadline, (s: string) => log.push(s), "at");
      yield* asyncio.sleep(2);
      seen.push(log);
      // Read after the callLater: later.
      log = [];
      loop.callLater(1, (s: string) => log.push(s), "later");
      loop.callLater(1, (s: string) => log.push(s), "later2");
      loop.callAt(loop.time() + 1, (s: string) => log.push(s), "at");
      yield* asyncio.sleep(2);
      seen.push(log);
      // One deadline for five callAt among five callLater (CPython 3.13 on its real clock).
      log = [];
      const t = loop.time() + 0.03;
      for (let i = 0; i < 10; i++) {
        if (i % 2) loop.callAt(t, (s: string) => log.push(s), `at${i}`);
        else loop.callLater(0.03, (s: string) => log.push(s), `later${i}`);
      }
      yield* asyncio.sleep(0.1);
      seen.push(log);
      // timeoutAt(deadline) read before a sleep to the same deadline: the timeout fires first.
      const d = loop.time() + 1;
      let r = "";
      try {
        yield* asyncio.timeoutAt(d, function* () {
          yield* asyncio.sleep(1);
          r = "slept";
        });
      } catch (e) {
        r = (e as Error).name;
      }
      seen.push([r]);
      return seen;
    },
    { loopFactory },
  );
  assert.deepEqual(out, [
    ["at", "later"],
    ["later", "later2", "at"],
    ["at1", "at5", "at3", "at9", "at7", "later0", "later2", "later4", "later6", "later8"],
    ["TimeoutError"],
  ]);
});

test("a year of sleep and more: the clock keeps jumping past 2**24 s (now + 1e-9 === now there)", async () => {
  const t = await asyncio.run(
    function* () {
      const loop = asyncio.getRunningLoop() as VirtualTimeLoop;
      yield* asyncio.sleep(86400 * 365);
      yield* asyncio.sleep(1);
      yield* asyncio.sleep(1e-3);
      loop.advance(2 ** 30);
      yield* asyncio.sleep(1);
      return loop.time();
    },
    { loopFactory },
  );
  assert.equal(t, 86400 * 365 + 1 + 1e-3 + 2 ** 30 + 1);
});

test("advance() takes a finite, non-negative number", async () => {
  const loop = new VirtualTimeLoop();
  assert.throws(() => loop.advance("1" as unknown as number), {
    name: "TypeError",
    message: "advance() needs a number of seconds, not str",
  });
  assert.throws(() => loop.advance(Number.POSITIVE_INFINITY), asyncio.ValueError);
  assert.throws(() => loop.advance(-1), asyncio.ValueError);
  loop.advance(true as unknown as number);
  assert.equal(loop.time(), 1);
  loop.close();
});

test("ties of equal deadlines never pass a later deadline, even one representable double later", async () => {
  // Six sleeps of 0.3 made at 0, and 0.1 + 0.2 (0.30000000000000004, later) made at 0.1: on
  // CPython's real clock the six run first (oracle: asyncio 3.13, every run).
  const order = await asyncio.run(
    async () => {
      const order: string[] = [];
      const s = async (name: string, ...delays: number[]) => {
        for (const d of delays) await asyncio.sleep(d);
        order.push(name);
      };
      const tasks = [0, 1, 2, 3, 4, 5].map((i) => asyncio.createTask(() => s(`s${i}`, 0.3)));
      tasks.push(asyncio.createTask(() => s("B", 0.1, 0.2)));
      await asyncio.gather(tasks);
      return order;
    },
    { loopFactory },
  );
  assert.deepEqual(order, ["s0", "s1", "s2", "s3", "s4", "s5", "B"]);
});

test("several timers at an infinite or NaN deadline: no error, as in CPython", async () => {
  const out = await asyncio.run(
    async () => {
      const loop = asyncio.getRunningLoop();
      const a = asyncio.createTask(asyncio.sleep(Number.POSITIVE_INFINITY));
      const b = asyncio.createTask(asyncio.sleep(Number.POSITIVE_INFINITY));
      await asyncio.sleep(0.1);
      a.cancel();
      b.cancel();
      const results = await asyncio.gather([a, b], { returnExceptions: true });
      const fired: string[] = [];
      for (const when of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        loop.callLater(when, () => fired.push(`first ${when}`));
        loop.callLater(when, () => fired.push(`second ${when}`));
      }
      await asyncio.waitFor(asyncio.sleep(0.1), Number.POSITIVE_INFINITY);
      return [results.map((r) => (r as Error).name), fired];
    },
    { loopFactory },
  );
  assert.deepEqual(out, [
    ["CancelledError", "CancelledError"],
    ["first -Infinity", "second -Infinity"],
  ]);
  // NaN deadlines are accepted too (a NaN in the heap spoils its order: CPython's loop then
  // stalls the timers below it, and so does ours; this test awaits none).
  await asyncio.run(
    async () => {
      const loop = asyncio.getRunningLoop();
      loop.callLater(Number.NaN, () => {});
      loop.callLater(Number.NaN, () => {});
    },
    { loopFactory },
  );
});

test("debug mode times slow callbacks in real time, not virtual time", async () => {
  const warnings: string[] = [];
  const h = (r: { message: string }) => void warnings.push(r.message);
  asyncio.logger.addHandler(h);
  try {
    await asyncio.run(
      async () => {
        const loop = asyncio.getRunningLoop();
        loop.slowCallbackDuration = 0.05;
        loop.callSoon(function blocker() {
          const end = performance.now() + 80;
          while (performance.now() < end);
        });
        await asyncio.sleep(1);
      },
      { loopFactory, debug: true },
    );
  } finally {
    asyncio.logger.removeHandler(h);
  }
  const slow = warnings.filter((m) => m.startsWith("Executing"));
  assert.equal(slow.length, 1, String(warnings));
  assert.match(slow[0]!, /^Executing <Handle blocker\(\) .*> took 0\.\d{3} seconds$/);
});

test("the ties of equal deadlines stay bounded: a clock that does not move, deadlines never reached", async () => {
  const loop = new VirtualTimeLoop();
  const ties = (loop as unknown as { _ties: Map<number, number[]> })._ties;
  // 20,000 timers at one deadline, each read anew (the clock never moves): the entry is capped.
  for (let i = 0; i < 20_000; i++) loop.callLater(10, () => {}).cancel();
  assert.equal(ties.size, 1);
  assert.ok(ties.get(10)!.length <= 512, String(ties.get(10)!.length));
  // Deadlines that no timer in the heap has any more are forgotten once there are many.
  await loop.runUntilComplete(async () => {
    for (let i = 0; i < 20_000; i++) {
      await asyncio.timeout(3600, async () => {
        await asyncio.sleep(0.001);
      });
    }
  });
  assert.ok(ties.size <= 8192, String(ties.size));
  loop.close();
});

test("far from 0 the virtual clock still steps by short sleeps, and fires no timer early", async () => {
  const seen: string[] = [];
  await asyncio.run(
    async () => {
      const loop = asyncio.getRunningLoop();
      for (const far of [86400 * 365, 1e9]) {
        await asyncio.sleep(far - loop.time());
        const t0 = loop.time();
        await asyncio.sleep(0.00002);
        seen.push(`${far}: advanced ${loop.time() > t0}`);
        const h: asyncio.TimerHandle = loop.callLater(0.0004, (): void => {
          seen.push(`${far}: early ${loop.time() < h.when()}`);
        });
        await asyncio.sleep(0.001);
        const end = loop.time() + 0.0001;
        let n = 0;
        while (loop.time() < end && n < 100) {
          await asyncio.sleep(0.00002);
          n++;
        }
        seen.push(`${far}: sleeps ${n}`);
      }
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
  assert.deepEqual(seen, [
    "31536000: advanced true",
    "31536000: early false",
    "31536000: sleeps 5",
    "1000000000: advanced true",
    "1000000000: early false",
    "1000000000: sleeps 5",
  ]);
});
