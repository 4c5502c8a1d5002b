/** Twin of 250_swallow_stop_sync_errors.py: swallowed cancellation, stop()/close(), sync/queue error texts. */
import * as asyncio from "../src/index.ts";
import { excStr, print } from "./_py.ts";

function* swallow(): asyncio.Coroutine<string> {
  try {
    yield* asyncio.sleep(1);
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("caught", excStr(e));
  }
  return "swallowed";
}

await asyncio.run(function* () {
  const t = asyncio.createTask(swallow());
  yield* asyncio.sleep(0);
  t.cancel("m1");
  t.cancel("m2");
  print("cancelling", t.cancelling());
  const r = yield* t;
  print(r, t.cancelled(), t.cancelling(), t.uncancel(), t.cancelling());
  const t2 = asyncio.createTask(swallow());
  t2.cancel();
  try {
    yield* t2;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("t2", excStr(e), t2.cancelled());
  }
  const q = new asyncio.Queue<number>();
  try {
    q.taskDone();
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print(excStr(e));
  }
  q.putNowait(1);
  q.shutdown(true);
  print("qsize", q.qsize());
  yield* q.join();
  const b = new asyncio.Barrier(3);
  const w = asyncio.createTask(() => b.wait());
  yield* asyncio.sleep(0);
  yield* b.abort();
  try {
    yield* w;
  } catch (e) {
    if (!(e instanceof asyncio.BrokenBarrierError)) throw e;
    print(excStr(e), b.broken, b.nWaiting);
  }
  const c = new asyncio.Condition();
  for (const [label, call] of [
    ["wait", () => c.wait()],
    ["notify", () => c.notify()],
  ] as const) {
    try {
      const r = call();
      if (asyncio.isCoroutine(r)) yield* r;
    } catch (e) {
      if (!(e instanceof asyncio.RuntimeError)) throw e;
      print(label, excStr(e));
    }
  }
  yield* c.run(function* () {
    print("wait_for", yield* c.waitFor(() => 7));
  });
});
const log: string[] = [];
const loop = asyncio.newEventLoop();
loop.callSoon(() => {
  log.push("a");
  loop.stop();
  loop.callSoon(() => log.push("c"));
});
loop.callSoon(() => log.push("b"));
await loop.runForever();
log.push("stopped");
loop.callSoon(() => loop.stop());
await loop.runForever();
log.push("stopped2");
loop.callSoon(() => log.push("dropped"));
loop.close();
print(log, loop.isClosed());
