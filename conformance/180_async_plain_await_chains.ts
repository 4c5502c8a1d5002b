/**
 * Twin of 180_async_plain_await_chains.py, in async functions: long chains of awaits of plain
 * async functions stay within the task's step (the loop does not take them for a foreign await).
 */

import { print } from "../conformance/_py.ts";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

async function pure(n: number): Promise<number> {
  if (n === 0) return 0;
  return 1 + (await pure(n - 1));
}
async function validate(x: number): Promise<number> {
  return x * 2;
}
async function parse(items: number[]): Promise<number[]> {
  const out: number[] = [];
  for (const i of items) out.push(await validate(i));
  return out;
}
async function worker(name: string, depth: number): Promise<void> {
  for (let step = 0; step < 3; step++) {
    const v = await pure(depth);
    print(name, "step", step, v);
    await asyncio.sleep(0);
  }
}
async function batch(name: string): Promise<void> {
  for (let step = 0; step < 2; step++) {
    const r = await parse([...Array(40).keys()]);
    print(
      name,
      "batch",
      step,
      r.reduce((a, b) => a + b, 0),
    );
    await asyncio.sleep(0);
  }
}
async function main(): Promise<void> {
  const ts = [0, 5, 30, 200].map((d) => asyncio.createTask(() => worker(`w${d}`, d)));
  ts.push(asyncio.createTask(() => batch("b")));
  for (let i = 0; i < 4; i++) {
    print("main", i);
    await asyncio.sleep(0);
  }
  await asyncio.gather(ts);
}
await asyncio.run(() => main(), { loopFactory: () => new VirtualTimeLoop() });
