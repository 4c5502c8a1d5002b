/**
 * Twin of 121_task_names_reprs.py: name=/setName store Python's str(value); future reprs;
 * result()/exception() of a cancelled task; two cancel() calls; cancel()+uncancel() before the
 * first step; setException() with a non-exception.
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { excStr, print, repr } from "./_py.ts";

function r(t: unknown): string {
  const s = (typeof t === "string" ? t : repr(t)).replace(/ coro=<\S+ (running|done)[^>]*>/g, "");
  return s.replace(/ at [^\]>,]+:\d+/g, "");
}
// biome-ignore lint/correctness/useYield: like an async def without an await
function* noop(): asyncio.Coroutine<null> {
  return null;
}
function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  let t: asyncio.Task<unknown> = asyncio.createTask(noop(), { name: null });
  print("name=None auto:", t.getName().startsWith("Task-"));
  for (const v of [null, true, false, [1, 2], 1.5, 10n ** 20n, "x"]) {
    t.setName(v);
    print("set_name", repr(v), "->", repr(t.getName()));
  }
  const t2 = asyncio.createTask(noop(), { name: true });
  print("name=True:", repr(t2.getName()));
  const t3 = asyncio.createTask(noop(), { name: [1, 2] });
  print("name=[1,2]:", repr(t3.getName()));
  yield* asyncio.gather([t, t2, t3]);
  let f = loop.createFuture();
  f.setException(new asyncio.ValueError("a", 1));
  print(r(f));
  f.exception();
  f = loop.createFuture();
  f.setResult(null);
  print(r(f));
  f = loop.createFuture();
  f.setResult(new Array(100).fill(1));
  print(r(f));
  f = loop.createFuture();
  f.setResult("x".repeat(100));
  print(r(f));
  f = loop.createFuture();
  f.setResult(
    new Map<string, unknown>([
      ["a", 1],
      ["b", [1, 2]],
    ]),
  );
  print(r(f));
  f = loop.createFuture();
  f.setResult(true);
  print(r(f));
  f = loop.createFuture();
  f.cancel("msg");
  print(r(f));
  f = loop.createFuture();
  f.setException(new asyncio.CancelledError("c"));
  print(r(f), f.cancelled());
  try {
    f.result();
  } catch (e) {
    print("result() of future with CancelledError exception:", excStr(e));
  }
  t = asyncio.createTask(noop(), { name: "T" });
  t.cancel("why");
  print(r(t), t.cancelling());
  try {
    t.result();
  } catch (e) {
    print("result() while cancelling:", excStr(e));
  }
  try {
    yield* t;
  } catch (e) {
    print("await cancelled task:", excStr(e));
  }
  for (const m of ["result", "exception"] as const) {
    try {
      t[m]();
    } catch (e) {
      print(`${m}() of cancelled task:`, excStr(e));
    }
  }
  print(r(t));
  t = asyncio.createTask(noop());
  t.cancel(5);
  try {
    yield* t;
  } catch (e) {
    print("cancel(5):", excStr(e));
  }
  print("uncancel on done:", t.uncancel(), t.cancelling());
  function* waiter(): asyncio.Coroutine<void> {
    yield* asyncio.sleep(10);
  }
  t = asyncio.createTask(waiter());
  yield* asyncio.sleep(0);
  print(t.cancel("first"), t.cancel("second"), t.cancelling());
  try {
    yield* t;
  } catch (e) {
    print("two cancels:", excStr(e));
  }
  t = asyncio.createTask(waiter());
  print(t.cancel("first"), t.cancel("second"), t.cancelling());
  try {
    yield* t;
  } catch (e) {
    print("two cancels before start:", excStr(e));
  }
  // biome-ignore lint/correctness/useYield: like an async def without an await
  function* body(): asyncio.Coroutine<string> {
    print("  body ran; cancelling:", asyncio.currentTask()!.cancelling());
    return "ok";
  }
  t = asyncio.createTask(body());
  t.cancel();
  print("uncancel ->", t.uncancel());
  print("result:", yield* t);
  t = asyncio.createTask(body());
  t.cancel();
  t.cancel();
  print("uncancel ->", t.uncancel());
  try {
    yield* t;
  } catch (e) {
    print("cancel x2 uncancel x1:", excStr(e), t.cancelled());
  }
  f = loop.createFuture();
  for (const bad of [42, "str", null]) {
    try {
      f.setException(bad);
    } catch (e) {
      print(`set_exception(${repr(bad)}):`, excStr(e));
    }
  }
}
await asyncio.run(main, { loopFactory: () => new VirtualTimeLoop() });
