/**
 * Twin of 184_async_cancel_timeouts_context.py, every coroutine an async function: nested
 * timeouts, wait_for on a task that swallows its cancellation, shield, cancel messages through an
 * await chain, uncancel, double cancel, context variables across gathered tasks and a task given a
 * context, wait_for timing out a coroutine, timeout reschedule.
 */

import { print, repr } from "../conformance/_py.ts";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

const cv = new asyncio.ContextVar<string>("cv", { default: "unset" });
const args = (e: unknown): string => {
  const a = (e as { args: unknown[] }).args;
  return a.length === 1 ? `(${repr(a[0])},)` : `(${a.map((x) => repr(x)).join(", ")})`;
};

async function slow(name: string, d: number): Promise<string> {
  try {
    await asyncio.sleep(d);
    print(name, "finished");
    return name;
  } catch (e) {
    if (e instanceof asyncio.CancelledError)
      print(name, "cancelled", args(e), asyncio.currentTask()!.cancelling());
    throw e;
  } finally {
    print(name, "finally");
  }
}

async function swallower(): Promise<string> {
  try {
    await asyncio.sleep(1);
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("swallowed, cancelling =", asyncio.currentTask()!.cancelling());
  }
  await asyncio.sleep(0);
  print("swallower continues");
  return "swallower result";
}

async function uncancelUser(): Promise<string> {
  const t = asyncio.currentTask()!;
  try {
    await asyncio.sleep(1);
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("uncancel ->", t.uncancel());
  }
  await asyncio.sleep(0.01);
  return "uncancelled ok";
}

async function ctxTask(v: string): Promise<string> {
  print("task sees", cv.get());
  cv.set(v);
  await asyncio.sleep(0);
  print("task after set", cv.get());
  return cv.get();
}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  let outer!: asyncio.Timeout, inner!: asyncio.Timeout;
  try {
    await asyncio.timeout(0.5, async (o) => {
      outer = o;
      try {
        await asyncio.timeout(0.1, async (i) => {
          inner = i;
          await slow("n1", 1);
        });
      } catch (e) {
        if (!(e instanceof asyncio.TimeoutError)) throw e;
        print("inner timeout", inner.expired(), outer.expired());
      }
      await slow("n2", 1);
    });
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    print("outer timeout", outer.expired(), asyncio.currentTask()!.cancelling());
  }
  const t = asyncio.createTask(() => swallower());
  try {
    const r = await asyncio.waitFor(t, 0.05);
    print("wait_for returned", r);
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    print("wait_for timeout", t.done());
  }
  print("t:", t.done() && !t.cancelled() ? t.result() : t);
  const innerT = asyncio.createTask(() => slow("sh", 0.1));
  const outerT = asyncio.createTask(async () => await asyncio.shield(innerT));
  await asyncio.sleep(0);
  outerT.cancel("outer msg");
  try {
    await outerT;
  } catch (e) {
    print("outer cancelled", args(e));
  }
  print("inner result", await innerT);
  async function chain(): Promise<string> {
    return await slow("chain", 1);
  }
  const c = asyncio.createTask(() => chain());
  await asyncio.sleep(0.01);
  c.cancel("chain msg");
  try {
    await c;
  } catch (e) {
    print("chain cancelled", args(e));
  }
  const u = asyncio.createTask(() => uncancelUser());
  await asyncio.sleep(0);
  u.cancel();
  print("u", await u, u.cancelling());
  const d = asyncio.createTask(() => slow("twice", 1));
  await asyncio.sleep(0);
  d.cancel("first");
  d.cancel("second");
  print("cancelling", d.cancelling());
  try {
    await d;
  } catch (e) {
    print("twice", args(e));
  }
  cv.set("main");
  const r = await asyncio.gather([() => ctxTask("t1"), () => ctxTask("t2")]);
  print("gather ctx", r, "main still", cv.get());
  const ctx = asyncio.copyContext();
  ctx.run(() => cv.set("custom"));
  const r2 = await asyncio.createTask(() => ctxTask("t3"), { context: ctx });
  print("custom ctx", r2, ctx.get(cv), cv.get());
  try {
    await asyncio.waitFor(() => slow("wf", 1), 0.05);
  } catch (e) {
    print("wait_for timed out", repr(e));
  }
  await asyncio.timeout(null, async (cm) => {
    cm.reschedule(loop.time() + 5);
    await asyncio.sleep(0.01);
    print("reschedule ok", cm.expired());
  });
}

await asyncio.run(() => main(), { loopFactory: () => new VirtualTimeLoop() });
