/**
 * Twin of 185_async_nested_groups.py, every coroutine an async function: a TaskGroup inside a
 * timeout with an inner timeout (child failure first, inner timeout first, nothing failing), a
 * group cancelled from outside, async iteration of as_completed, wait(FIRST_COMPLETED), queue
 * shutdown ending workers.
 */

import { print, repr } from "../conformance/_py.ts";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

const cancelled: string[] = [];

async function child(name: string, d: number, fail = false): Promise<string> {
  try {
    await asyncio.sleep(d);
    if (fail) throw new asyncio.ValueError(name);
    print("child", name, "done");
    return name;
  } catch (e) {
    if (e instanceof asyncio.CancelledError) cancelled.push(name);
    throw e;
  }
}

async function groupInTimeout(failAt: number): Promise<void> {
  try {
    await asyncio.timeout(0.5, async () => {
      await new asyncio.TaskGroup().run(async (tg) => {
        tg.createTask(() => child("a", 0.1));
        tg.createTask(() => child("b", failAt, true));
        tg.createTask(() => child("c", 1));
        await asyncio.timeout(0.2, async () => {
          await asyncio.sleep(1);
        });
        print("body after inner timeout?");
      });
    });
  } catch (e) {
    const subs = e instanceof asyncio.BaseExceptionGroup ? e.exceptions.map((x) => repr(x)) : [];
    print("caught", (e as Error).name, subs, asyncio.currentTask()!.cancelling());
  }
  print("cancelled children", [...cancelled].sort());
  cancelled.length = 0;
}

async function cancelledFromOutside(): Promise<void> {
  try {
    await new asyncio.TaskGroup().run(async (tg) => {
      tg.createTask(() => child("x", 1));
      await asyncio.timeout(5, async () => {
        await asyncio.sleep(1);
      });
    });
  } finally {
    print("outside-cancelled finally", asyncio.currentTask()!.cancelling());
  }
}

async function main(): Promise<void> {
  await groupInTimeout(0.15);
  await groupInTimeout(0.3);
  await groupInTimeout(5);
  const t = asyncio.createTask(() => cancelledFromOutside());
  await asyncio.sleep(0.05);
  t.cancel("outside");
  try {
    await t;
  } catch (e) {
    print("t cancelled", `(${repr((e as asyncio.CancelledError).args[0])},)`, cancelled);
  }
  cancelled.length = 0;
  const tasks = (
    [
      ["p", 0.03],
      ["q", 0.01],
      ["r", 0.02],
    ] as const
  ).map(([n, d]) => asyncio.createTask(() => child(n, d)));
  for await (const t of asyncio.asCompleted(tasks)) {
    print("as_completed task", tasks.includes(t as never), await t);
  }
  const ts = (
    [
      ["w1", 0.02],
      ["w2", 0.01],
    ] as const
  ).map(([n, d]) => asyncio.createTask(() => child(n, d)));
  const [done, pending] = await asyncio.wait(ts, { returnWhen: asyncio.FIRST_COMPLETED });
  print(
    "wait",
    [...done].map((t) => t.result()),
    pending.size,
  );
  for (const p of pending) p.cancel();
  await asyncio.wait(pending);
  print("cancelled children", [...cancelled].sort());
  const q = new asyncio.Queue<number>();
  async function worker(n: number): Promise<void> {
    try {
      for (;;) {
        const item = await q.get();
        print("worker", n, "item", item);
        q.taskDone();
      }
    } catch (e) {
      if (!(e instanceof asyncio.QueueShutDown)) throw e;
      print("worker", n, "shutdown");
    }
  }
  const ws = [0, 1].map((i) => asyncio.createTask(() => worker(i)));
  for (let i = 0; i < 3; i++) q.putNowait(i);
  await q.join();
  q.shutdown();
  await asyncio.gather(ws);
  print("end");
}

await asyncio.run(() => main(), { loopFactory: () => new VirtualTimeLoop() });
