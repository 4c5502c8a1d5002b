/**
 * Twin of 09_gather.py: result order = argument order, first exception propagates while the
 * other children keep running, returnExceptions, duplicates awaited once, empty gather,
 * unhashable argument, _GatheringFuture. Written with async functions; a coroutine argument
 * of the Python script is a function here (called inside its own task).
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { print, repr } from "./_py.ts";

class KeyError extends Error {
  override name = "KeyError";
}

function args(e: unknown): unknown[] {
  const a = (e as { args?: unknown[] }).args;
  return Array.isArray(a) ? a : [(e as Error).message];
}

function tuple(a: unknown[]): string {
  return a.length === 1 ? `(${repr(a[0])},)` : `(${a.map((x) => repr(x)).join(", ")})`;
}

const gc = (globalThis as { gc?: () => void }).gc;

const trace: string[] = [];

async function job(tag: string, delay: number, exc?: Error): Promise<string> {
  await asyncio.sleep(delay);
  trace.push(`${tag} finished`);
  if (exc !== undefined) throw exc;
  return tag;
}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  // completion order differs from argument order
  print(
    "order:",
    await asyncio.gather([
      () => job("slow", 0.03),
      () => job("fast", 0.01),
      () => job("mid", 0.02),
    ]),
  );
  print("trace:", trace);
  trace.length = 0;

  // futures: result order follows arguments
  const [a, b, c] = [
    loop.createFuture<number>(),
    loop.createFuture<number>(),
    loop.createFuture<number>(),
  ];
  const g = asyncio.gather([a, b, c]);
  b.setResult(1);
  a.setResult(2);
  await asyncio.sleep(0);
  print("gather not done after 2/3:", !g.done());
  c.setResult(3);
  print("futures gather:", await g);

  // first exception propagates; siblings keep running
  const sib = asyncio.createTask(() => job("sibling", 0.03));
  try {
    await asyncio.gather([() => job("bad", 0.01, new asyncio.ValueError("bad")), sib]);
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print(
      "gather raised",
      tuple(e.args),
      "| sibling cancelled?",
      sib.cancelled(),
      "done?",
      sib.done(),
    );
  }
  await sib;
  print("sibling result after all:", sib.result(), "| trace:", trace);
  trace.length = 0;

  // returnExceptions: true
  const res = await asyncio.gather(
    [() => job("ok", 0.01), () => job("bad", 0.0, new KeyError("k"))],
    { returnExceptions: true },
  );
  print(
    "return_exceptions:",
    res.map((r) => (typeof r === "string" ? r : repr(r))),
  );

  // two failures: the first one to complete wins; the second is marked retrieved (no log)
  const reported: unknown[] = [];
  loop.setExceptionHandler((_l, ctx) => reported.push(ctx.message));
  try {
    await asyncio.gather([
      () => job("e1", 0.02, new asyncio.ValueError("second")),
      () => job("e2", 0.01, new TypeError("first")),
    ]);
  } catch (e) {
    print("first completed exception wins:", (e as Error).name, tuple(args(e)));
  }
  await asyncio.sleep(0.03);
  gc?.();
  await new Promise((r) => setTimeout(r, 0));
  print("later failure of the other child reported to handler?", reported);
  loop.setExceptionHandler(null);

  // duplicate coroutine object -> one task, result repeated
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* coro(s: string): asyncio.Coroutine<string> {
    trace.push(`ran ${s}`);
    return s;
  }
  trace.length = 0;
  const cc = coro("abc");
  print("duplicates:", await asyncio.gather([cc, cc, coro("def"), cc]), trace);
  trace.length = 0;

  // empty gather
  const e = asyncio.gather([]);
  print(
    "empty gather: is Future",
    e instanceof asyncio.Future,
    "done immediately",
    e.done(),
    "result",
    await e,
  );

  // non-awaitable argument raises TypeError synchronously (no task leak)
  try {
    asyncio.gather([coro("x"), {} as never]);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    print("gather(coro, {}):", err.name, tuple(args(err)));
  }
  await asyncio.sleep(0);
  print("the coroutine wrapped before the error still ran:", trace);
  trace.length = 0;

  // gather of plain futures: outer is a _GatheringFuture, not a Task
  print("type of gather(...):", asyncio.gather([() => job("t", 0)]).constructor.name);
  await asyncio.sleep(0.01);
}

await asyncio.run(main, { loopFactory: () => new VirtualTimeLoop() });
