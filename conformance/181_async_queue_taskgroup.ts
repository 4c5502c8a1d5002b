/**
 * Twin of 181_async_queue_taskgroup.py, every coroutine an async function: producer/consumer with
 * a bounded queue (gathered producers, cancelled consumers with a message, try/finally cleanup),
 * then TaskGroups: failing children with a sibling whose finally awaits, and a body failing after
 * its first await.
 */

import { print, repr } from "../conformance/_py.ts";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

class KeyError extends Error {
  args: unknown[];
  constructor(...args: unknown[]) {
    super(String(args[0]));
    this.name = "KeyError";
    this.args = args;
  }
}

async function producer(q: asyncio.Queue<string>, n: number, name: string): Promise<string> {
  for (let i = 0; i < n; i++) {
    await q.put(`${name}${i}`);
    print("put", name, i);
  }
  print("producer done", name);
  return name;
}

async function consumer(q: asyncio.Queue<string>, name: string): Promise<never> {
  try {
    for (;;) {
      const item = await q.get();
      print("consumer", name, "got", item);
      await asyncio.sleep(0.01);
      q.taskDone();
    }
  } catch (e) {
    if (e instanceof asyncio.CancelledError) {
      const a = e.args.length === 0 ? "()" : `(${repr(e.args[0])},)`;
      print("consumer", name, "cancelled", a);
    }
    throw e;
  } finally {
    print("consumer", name, "finally");
  }
}

async function failing(delay: number, msg: string): Promise<never> {
  await asyncio.sleep(delay);
  throw new asyncio.ValueError(msg);
}

async function cleanup(): Promise<void> {
  try {
    await asyncio.sleep(1);
  } finally {
    print("cleanup finally");
    await asyncio.sleep(0);
    print("cleanup after sleep in finally");
  }
}

async function main(): Promise<void> {
  const q = new asyncio.Queue<string>(2);
  const cons = [0, 1].map((i) => asyncio.createTask(() => consumer(q, `c${i}`)));
  const r = await asyncio.gather([() => producer(q, 3, "a"), () => producer(q, 2, "b")]);
  print("gathered", r);
  await q.join();
  print("joined");
  cons[0]!.cancel("stop");
  cons[1]!.cancel();
  const res = await asyncio.gather(cons, { returnExceptions: true });
  print(
    "results",
    res.map((x) => (x as Error).name),
  );
  let t1!: asyncio.Task<unknown>,
    t2!: asyncio.Task<unknown>,
    t3!: asyncio.Task<unknown>,
    t4!: asyncio.Task<unknown>;
  try {
    await new asyncio.TaskGroup().run(async (tg) => {
      t1 = tg.createTask(() => failing(0.01, "one"));
      t2 = tg.createTask(() => failing(0.02, "two"));
      t3 = tg.createTask(asyncio.sleep(1));
      t4 = tg.createTask(() => cleanup());
      print("body end");
    });
  } catch (eg) {
    if (!(eg instanceof asyncio.BaseExceptionGroup)) throw eg;
    print(
      "eg",
      eg.exceptions.map((e) => (e as Error).message),
    );
  }
  print(t1.done(), t2.cancelled(), t3.cancelled(), t4.cancelled());
  let t5!: asyncio.Task<unknown>;
  try {
    await new asyncio.TaskGroup().run(async (tg) => {
      t5 = tg.createTask(() => cleanup());
      await asyncio.sleep(0);
      throw new KeyError("body");
    });
  } catch (eg) {
    if (!(eg instanceof asyncio.BaseExceptionGroup)) throw eg;
    print(
      "eg2",
      eg.exceptions.map((e) => repr(e)),
      t5.cancelled(),
    );
  }
}

await asyncio.run(() => main(), { loopFactory: () => new VirtualTimeLoop() });
