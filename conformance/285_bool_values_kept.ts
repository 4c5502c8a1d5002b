/** Twin of 285_bool_values_kept.py. */
// biome-ignore-all lint/suspicious/noExplicitAny: a scenario twin, written as loosely as the Python it mirrors
import * as asyncio from "../src/index.ts";
import { print, repr, str } from "./_py.ts";

function state(x: unknown) {
  const r = repr(x);
  return r.slice(r.indexOf("["));
}
await asyncio.run(function* () {
  let s: any = new asyncio.Semaphore(true as any);
  print(state(s), s._value);
  yield* s.acquire();
  print(state(s));
  s.release();
  print(state(s));
  s = new asyncio.Semaphore(false as any);
  print(state(s));
  const b = new asyncio.BoundedSemaphore(true as any);
  print(state(b));
  try {
    b.release();
  } catch (e: any) {
    print(e.message);
  }
  print(state(new asyncio.Barrier(true as any)), new asyncio.Barrier(true as any).parties);
  const q = new asyncio.Queue(true as any);
  print(str(q), q.maxsize);
  q.putNowait(1);
  print(q.full());
  const c = new asyncio.Condition();
  yield* c.acquire();
  c.release();
  const ws = [0, 1, 2].map(() =>
    asyncio.createTask(
      c.run(function* () {
        yield* c.wait();
      }),
    ),
  );
  yield* asyncio.sleep(0);
  yield* c.acquire();
  c.notify(true as any);
  print(state(c));
  c.notify(1.5);
  print(state(c));
  c.release();
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  print(ws.map((w) => w.done()));
});
