/**
 * Twin of 19_sleep.py: sleep(0) is exactly one loop iteration, sleep(d, result) returns result,
 * a negative delay is zero, cancelling a sleeping task cancels its timer.
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  let result = 0;
  function inc(n: number): void {
    result += n;
  }
  loop.callSoon(inc, 1);
  print("before sleep(0):", result);
  const num = yield* asyncio.sleep(0, 10);
  print("after sleep(0): call_soon callback has run ->", result, "| returned", num);

  // ping-pong: each sleep(0) lets every other ready task run exactly once
  const trace: string[] = [];
  function* pinger(tag: string): asyncio.Coroutine<void> {
    for (let i = 0; i < 3; i++) {
      trace.push(`${tag}${i}`);
      yield* asyncio.sleep(0);
    }
  }
  yield* asyncio.gather([pinger("A"), pinger("B"), pinger("C")]);
  print("round robin:", trace.join(" "));

  // sleep(0) vs call_soon chains: a callback that reschedules itself runs once per iteration
  trace.length = 0;
  function chain(n: number): void {
    trace.push(`cb${n}`);
    if (n < 3) loop.callSoon(chain, n + 1);
  }
  loop.callSoon(chain, 1);
  for (let i = 0; i < 3; i++) {
    trace.push(`task${i}`);
    yield* asyncio.sleep(0);
  }
  print("interleave with self-rescheduling callback:", trace.join(" "));

  print("sleep(0.01, 'yeah') ->", yield* asyncio.sleep(0.01, "yeah"));
  print("sleep(-5, 'neg') ->", yield* asyncio.sleep(-5, "neg"));
  print("sleep(0) returns None by default ->", yield* asyncio.sleep(0));

  // the number of scheduled timers: sleep(0) creates none, sleep(d>0) creates one (cancelled on cancel)
  function* sleeper(): asyncio.Coroutine<void> {
    yield* asyncio.sleep(10);
  }
  const t = asyncio.createTask(sleeper());
  yield* asyncio.sleep(0);
  const timers = loop._scheduled.filter((h) => !h.cancelled());
  print("active timers while sleeping:", timers.length);
  t.cancel();
  yield* asyncio.sleep(0);
  print(
    "after cancel, timer handle cancelled:",
    timers[0]!.cancelled(),
    "| task cancelled:",
    t.cancelled(),
  );

  // cancelling a task in sleep() with a later call_later
  function* doit(): asyncio.Coroutine<string> {
    const s = asyncio.createTask(sleeper());
    loop.callLater(0.01, () => s.cancel());
    try {
      yield* s;
    } catch (e) {
      if (e instanceof asyncio.CancelledError) return "cancelled";
      throw e;
    }
    return "slept in";
  }
  print("task_cancel_sleeping_task:", yield* doit());

  // sleep(None) / bad types
  try {
    yield* asyncio.sleep(null as unknown as number);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    print("sleep(None):", e.name, e.message);
  }
}

await asyncio.run(main());
