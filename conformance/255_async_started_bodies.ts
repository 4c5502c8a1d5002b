/** Twin of 255_async_started_bodies.py: bodies of run()/timeout() started and left to run beside the task's own awaits. */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

type Primitive = asyncio.Lock | asyncio.Semaphore | asyncio.Condition;

async function main(): Promise<void> {
  const lock = new asyncio.Lock();
  const sem = new asyncio.Semaphore(2);
  const cond = new asyncio.Condition();
  async function work(prim: Primitive, d: number, name: string): Promise<string> {
    return await prim.run(async () => {
      if (d >= 0) await asyncio.sleep(d);
      return `${name} ${d}`;
    });
  }
  const prims: [Primitive, string][] = [
    [lock, "lock"],
    [sem, "sem"],
    [cond, "cond"],
  ];
  for (const [prim, name] of prims) {
    for (const [d, mainD] of [
      [-1, 0],
      [0.01, 0.05],
      [0.05, 0.01],
      [0, 0],
    ] as const) {
      const p = work(prim, d, name);
      await asyncio.sleep(mainD);
      print("main slept", name, d, mainD);
      print("result", await p, prim.locked());
    }
  }
  const p = (async () =>
    await asyncio.timeout(1, async () => {
      await asyncio.sleep(0.01);
      return "timeout body";
    }))();
  await asyncio.sleep(0.05);
  print("result", await p);
  async function failing(): Promise<void> {
    await lock.run(async () => {
      throw new asyncio.ValueError("body error");
    });
  }
  try {
    print(await asyncio.waitFor(failing(), 1));
  } catch (e) {
    print("wait_for raised", repr(e), lock.locked());
  }
  async function fine(): Promise<string> {
    return await lock.run(async () => "fine");
  }
  print("wait_for", await asyncio.waitFor(fine(), 1));
  async function sleeperThenRaise(): Promise<void> {
    await asyncio.sleep(0);
    throw new asyncio.ValueError("k");
  }
  try {
    print(await asyncio.waitFor(sleeperThenRaise(), 1));
  } catch (e) {
    print("wait_for raised", `KeyError('${(e as Error).message}')`);
  }
  const one = (v: number) => lock.run(async () => v);
  print("all", await Promise.all([one(1), one(2)]));
  print("all", await Promise.all([one(3), asyncio.sleep(0, 4)]));
  print("end");
}
await asyncio.run(main);
