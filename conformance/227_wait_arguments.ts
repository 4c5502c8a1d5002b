/** Twin of 227_wait_arguments.py: wait() and asCompleted() given something that is not iterable. */
import * as cf from "../src/concurrent.ts";
import { excStr, print } from "./_py.ts";

async function list(it: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const bad = (v: unknown) => v as Iterable<cf.Future<unknown>>;
for (const [label, call] of [
  ["wait(5)", () => cf.wait(bad(5))],
  ["wait(None)", () => cf.wait(bad(null), { timeout: 0 })],
  ["as_completed(5)", () => list(cf.asCompleted(bad(5)))],
  ["as_completed(None)", () => list(cf.asCompleted(bad(null), { timeout: 0 }))],
] as const) {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    print(label, excStr(e));
  }
}
