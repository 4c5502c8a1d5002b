/**
 * Twin of 120_wait_edge_cases.py: wait() argument checks (a falsy argument is "empty"),
 * iteration counts, and FIRST_EXCEPTION marking exceptions retrieved. Python's `del t;
 * gc.collect()` becomes: the tasks live in a finished helper coroutine, then gc() and short sleeps
 * so that FinalizationRegistry callbacks run.
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { excStr, print, repr } from "./_py.ts";

const gc = (globalThis as { gc?: () => void }).gc!;

function* collect(): asyncio.Coroutine<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    yield* asyncio.sleep(0.005);
  }
}

// biome-ignore lint/correctness/useYield: like an async def without an await
function* fail(): asyncio.Coroutine<void> {
  throw new asyncio.ValueError("boom");
}
function* slow(): asyncio.Coroutine<void> {
  yield* asyncio.sleep(0.01);
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  const reports: string[] = [];
  loop.setExceptionHandler((_l, ctx) => {
    reports.push(ctx.message as string);
  });
  const cases: [string, unknown][] = [
    ["None", null],
    ["0", 0],
    ["''", ""],
    ["5", 5],
    ["fut", loop.createFuture()],
  ];
  for (const [label, arg] of cases) {
    try {
      yield* asyncio.wait(arg as never);
    } catch (e) {
      print(`wait(${label}):`, excStr(e));
    }
  }
  try {
    yield* asyncio.wait([asyncio.sleep(0)] as never);
  } catch (e) {
    print("wait([coro]):", excStr(e));
  }
  let ticks = 0;
  let h: asyncio.Handle;
  const tick = (): void => {
    ticks++;
    h = loop.callSoon(tick);
  };
  h = loop.callSoon(tick);
  const f = loop.createFuture();
  f.setResult(1);
  let t0 = ticks;
  let [done, pending] = yield* asyncio.wait([f]);
  print("wait on done future: iterations", ticks - t0, done.size, pending.size);
  t0 = ticks;
  [done, pending] = yield* asyncio.wait([f], { timeout: 0 });
  print("wait timeout=0 on done: iterations", ticks - t0, done.size, pending.size);
  const g = loop.createFuture();
  t0 = ticks;
  [done, pending] = yield* asyncio.wait([g], { timeout: 0 });
  print("wait timeout=0 on pending: iterations", ticks - t0, done.size, pending.size);
  t0 = ticks;
  [done, pending] = yield* asyncio.wait([g], { timeout: -1 });
  print("wait timeout=-1 on pending: iterations", ticks - t0, done.size, pending.size);
  h.cancel();

  yield* (function* () {
    const t1 = asyncio.createTask(fail());
    const t2 = asyncio.createTask(slow());
    const [d, p] = yield* asyncio.wait([t1, t2], { returnWhen: asyncio.FIRST_EXCEPTION });
    print("FIRST_EXCEPTION:", d.size, p.size);
    yield* t2;
  })();
  yield* collect();
  print("reports after FIRST_EXCEPTION:", repr(reports));
  yield* (function* () {
    const t1 = asyncio.createTask(fail());
    const t2 = asyncio.createTask(slow());
    yield* asyncio.wait([t1, t2], { returnWhen: asyncio.FIRST_COMPLETED });
    yield* t2;
  })();
  yield* collect();
  print("reports after FIRST_COMPLETED:", repr(reports));
  reports.length = 0;
  yield* (function* () {
    const t1 = asyncio.createTask(fail());
    const t2 = asyncio.createTask(slow());
    const t3 = asyncio.createTask(fail());
    const [d, p] = yield* asyncio.wait([t1, t2, t3], { returnWhen: asyncio.FIRST_EXCEPTION });
    print("FIRST_EXCEPTION with two failing:", d.size, p.size);
    yield* t2;
  })();
  yield* collect();
  print("reports:", repr(reports));
}

await asyncio.run(main, { loopFactory: () => new VirtualTimeLoop() });
