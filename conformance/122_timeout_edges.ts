/**
 * Twin of 122_timeout_edges.py: Timeout repr rounding (ties to even, float repr), reschedule()
 * in every state, re-entry, a swallowed timeout cancellation, an exception while expiring,
 * negative timeouts, sleep() with odd delays.
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { excStr, print, repr } from "./_py.ts";

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  for (const when of [1.0625, 2.0005, 0.0004, 1e16 + 2.5, 123.4567]) {
    // biome-ignore lint/correctness/useYield: a block without an await
    yield* asyncio.timeoutAt(when, function* (cm) {
      print("repr:", repr(cm));
    });
  }
  const cm = new asyncio.Timeout(null);
  print("repr created:", repr(cm), cm.when());
  try {
    cm.reschedule(1);
  } catch (e) {
    print("reschedule before:", excStr(e));
  }
  yield* cm.run(function* () {
    cm.reschedule(loop.time() - 1);
    print("rescheduled to the past; expired yet:", cm.expired(), repr(cm).split(" when")[0]);
    try {
      yield* asyncio.sleep(0);
    } catch (e) {
      print("body sees", excStr(e), "| expired:", cm.expired(), repr(cm));
      try {
        cm.reschedule(null);
      } catch (e2) {
        print("reschedule while expiring:", excStr(e2));
      }
      throw e;
    }
  });
  print("never printed");
}

function* main2(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  try {
    yield* main();
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    print("outer:", excStr(e), (e.cause as Error).name);
  }
  let cm!: asyncio.Timeout;
  // biome-ignore lint/correctness/useYield: a block without an await
  yield* asyncio.timeout(10, function* (c) {
    cm = c;
  });
  try {
    cm.reschedule(1);
  } catch (e) {
    print("after finished:", excStr(e), repr(cm));
  }
  try {
    yield* cm.run(function* () {});
  } catch (e) {
    print("re-enter:", excStr(e));
  }
  yield* asyncio.timeout(null, function* (c) {
    cm = c;
    print(repr(c));
    c.reschedule(loop.time() + 100);
    c.reschedule(null);
    yield* asyncio.sleep(0.01);
  });
  print("disabled:", repr(cm), cm.when());
  yield* asyncio.timeout(0.01, function* (c) {
    cm = c;
    try {
      yield* asyncio.sleep(1);
    } catch (e) {
      if (!(e instanceof asyncio.CancelledError)) throw e;
      print("body swallowed the cancellation");
    }
  });
  print("after swallow:", repr(cm), cm.expired(), asyncio.currentTask()!.cancelling());
  yield* asyncio.sleep(0);
  print("next await fine");
  try {
    yield* asyncio.timeout(0.01, function* (c) {
      cm = c;
      try {
        yield* asyncio.sleep(1);
      } finally {
        // biome-ignore lint/correctness/noUnsafeFinally: the scenario
        throw new asyncio.ValueError("cleanup failed");
      }
    });
  } catch (e) {
    print("foreign:", excStr(e), cm.expired());
  }
  for (const d of [Number.NEGATIVE_INFINITY, Number.NaN, "1", null]) {
    try {
      print("sleep", repr(d), "->", yield* asyncio.sleep(d as number, "r"));
    } catch (e) {
      print("sleep", repr(d), "->", excStr(e));
    }
  }
  const t = asyncio.createTask(asyncio.sleep(Number.POSITIVE_INFINITY, "r"));
  yield* asyncio.sleep(0);
  t.cancel();
  try {
    yield* t;
  } catch (e) {
    if (e instanceof asyncio.CancelledError) print("sleep(inf) cancelled");
  }
  // biome-ignore lint/correctness/useYield: a block without an await
  yield* asyncio.timeout(-1, function* (c) {
    cm = c;
  });
  print("negative no await:", repr(cm), cm.expired());
  try {
    yield* asyncio.timeout(-1, function* (c) {
      cm = c;
      yield* asyncio.sleep(0);
    });
  } catch (e) {
    if (e instanceof asyncio.TimeoutError) print("negative sleep(0): TimeoutError", repr(cm));
  }
}
await asyncio.run(main2, { loopFactory: () => new VirtualTimeLoop() });
