/** Twin of 266_callback_names.py: internal done-callback names as reprs show them. */

import { Future as CF } from "../src/concurrent.ts";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const r = (x: unknown) => repr(x).replace(/ at \/[^\],>]*/g, "");
const tail = (t: unknown) => r(t).split("coro=")[1].split(">").slice(1).join(">");
await asyncio.run(function* () {
  const loop = asyncio.getRunningLoop();
  const f = loop.createFuture();
  asyncio.asCompleted([f]);
  print("as_completed:", r(f));
  f.setResult(1);
  const f2 = loop.createFuture();
  const outer = asyncio.shield(f2);
  print("shield inner:", r(f2));
  print("shield outer:", r(outer));
  const f3 = loop.createFuture();
  const t3 = asyncio.createTask(asyncio.wait([f3]));
  yield* asyncio.sleep(0);
  print("wait:", r(f3));
  const c = new CF<number>();
  const w = asyncio.wrapFuture(c);
  print("wrap_future:", r(w));
  // biome-ignore lint: no await
  yield* new asyncio.TaskGroup().run(function* (tg) {
    const ct = tg.createTask(asyncio.sleep(0));
    print("tg child:", tail(ct));
  });
  const cf = asyncio.runCoroutineThreadsafe(asyncio.sleep(0.01), loop);
  yield* asyncio.sleep(0);
  const t = [...asyncio.allTasks()].filter((x) => x !== asyncio.currentTask() && x !== t3)[0];
  print("rcts task:", tail(t));
  c.setResult(1);
  yield* w;
  yield* asyncio.wrapFuture(cf);
  outer.cancel();
  t3.cancel();
  yield* asyncio.sleep(0);
});
