/**
 * Twin of 182_async_errors_before_first_await.py, every coroutine an async function: coroutines
 * raising before their first await: awaited tasks, gather (with and without return_exceptions),
 * TaskGroup and timeout bodies, wait_for, a task cancelled before it starts, eager tasks (the body
 * runs inside create_task), shield, as_completed.
 */

import { print, repr } from "../conformance/_py.ts";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

async function boom(msg: string): Promise<never> {
  throw new asyncio.ValueError(msg);
}

async function ok<T>(v: T): Promise<T> {
  print("ok runs", v);
  return v;
}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  let t: asyncio.Task<unknown> = asyncio.createTask(() => boom("a"));
  print("created", t.done());
  try {
    await t;
  } catch (e) {
    print("caught", repr(e), t.done());
  }
  const r = await asyncio.gather([() => boom("b"), () => ok(1)], { returnExceptions: true });
  print("gather", r);
  try {
    await asyncio.gather([() => ok(2), () => boom("c"), () => ok(3)]);
  } catch (e) {
    print("gather raised", repr(e));
  }
  await asyncio.sleep(0);
  let c!: asyncio.Task<unknown>;
  try {
    await new asyncio.TaskGroup().run(async (tg) => {
      c = tg.createTask(() => ok(4));
      throw new asyncio.ValueError("body");
    });
  } catch (eg) {
    if (!(eg instanceof asyncio.BaseExceptionGroup)) throw eg;
    print(
      "tg",
      eg.exceptions.map((e) => repr(e)),
      c.cancelled(),
    );
  }
  try {
    await asyncio.timeout(1, async () => {
      throw new asyncio.ValueError("tmo");
    });
  } catch (e) {
    print("timeout body", repr(e));
  }
  try {
    await asyncio.waitFor(() => boom("wf"), 1);
  } catch (e) {
    print("wait_for", repr(e));
  }
  t = asyncio.createTask(() => ok(5));
  t.cancel("early");
  try {
    await t;
  } catch (e) {
    print("cancelled before start", `(${repr((e as asyncio.CancelledError).args[0])},)`);
  }
  loop.setTaskFactory(asyncio.eagerTaskFactory);
  t = asyncio.createTask(() => boom("eager"));
  print("after create_task");
  try {
    await t;
  } catch (e) {
    print("eager caught", repr(e));
  }
  t = asyncio.createTask(() => ok(6));
  print("after create_task");
  print("eager result", await t);
  loop.setTaskFactory(null);
  try {
    await asyncio.shield(() => boom("sh"));
  } catch (e) {
    print("shield", repr(e));
  }
  const ts = [asyncio.createTask(() => boom("ac")), asyncio.createTask(() => ok(7))];
  for (const f of asyncio.asCompleted(ts)) {
    try {
      print("as_completed", await f);
    } catch (e) {
      print("as_completed err", repr(e));
    }
  }
}

await asyncio.run(() => main(), { loopFactory: () => new VirtualTimeLoop() });
