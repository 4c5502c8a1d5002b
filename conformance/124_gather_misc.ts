/**
 * Twin of 124_gather_misc.py: gather of done futures, TypeError messages for non-awaitables,
 * asCompleted async iteration with a timeout, shield of a cancelled inner, gather/child
 * cancel messages, waitFor with done futures and timeouts.
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { excStr, print, repr } from "./_py.ts";

function* ok<T>(d: number, v: T): asyncio.Coroutine<T> {
  yield* asyncio.sleep(d);
  return v;
}
function* fail(d: number, msg: string): asyncio.Coroutine<never> {
  yield* asyncio.sleep(d);
  throw new asyncio.ValueError(msg);
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  const f1 = loop.createFuture<number>();
  f1.setResult(1);
  const f2 = loop.createFuture<number>();
  f2.setException(new asyncio.ValueError("e"));
  let g: asyncio.Future<unknown> = asyncio.gather([f1, f1]);
  print("gather of done futures:", g.done(), repr(g.result()));
  g = asyncio.gather([f1, f2], { returnExceptions: true });
  print("with exception, return_exceptions:", g.done(), repr(g.result()));
  g = asyncio.gather([f1, f2]);
  print("with exception:", g.done(), excStr(g.exception()));
  print("type:", g.constructor.name, "| cancel done gather:", g.cancel());
  g = asyncio.gather([]);
  print("empty:", g.done(), repr(g.result()), g.constructor.name);
  for (const bad of [1, null, "s"]) {
    try {
      asyncio.gather([bad as never]);
    } catch (e) {
      print(`gather(${repr(bad)}):`, excStr(e));
    }
  }
  for (const bad of [1, null]) {
    try {
      asyncio.shield(bad as never);
    } catch (e) {
      print(`shield(${repr(bad)}):`, excStr(e));
    }
    try {
      yield* asyncio.waitFor(bad as never, 1);
    } catch (e) {
      print(`wait_for(${repr(bad)}):`, excStr(e));
    }
    try {
      asyncio.ensureFuture(bad as never);
    } catch (e) {
      print(`ensure_future(${repr(bad)}):`, excStr(e));
    }
  }
  try {
    asyncio.asCompleted(5 as never);
  } catch (e) {
    print("as_completed(5):", excStr(e));
  }
  try {
    for (const _ of asyncio.asCompleted([1 as never])) {
    }
  } catch (e) {
    print("as_completed([1]):", excStr(e));
  }
  const t1 = asyncio.createTask(ok(0.01, "a"));
  const t2 = asyncio.createTask(ok(1, "b"));
  const got: unknown[] = [];
  try {
    const it = asyncio.asCompleted([t1, t2], { timeout: 0.1 });
    for (let r = yield* it.anext(); !r.done; r = yield* it.anext()) got.push(r.value.result());
  } catch (e) {
    print("async as_completed timeout:", excStr(e), repr(got), t2.done());
  }
  t2.cancel();
  const t3 = asyncio.createTask(fail(0.01, "x"));
  let it = asyncio.asCompleted([t3]);
  try {
    yield* it.next().value!;
  } catch (e) {
    print("as_completed failing:", excStr(e));
  }
  const n = it.next();
  print("exhausted:", n.done ? "END" : n.value);
  it = asyncio.asCompleted([]);
  print("empty as_completed:", repr([...it]));
  const inner = loop.createFuture();
  const outer = asyncio.shield(inner);
  inner.cancel("inner msg");
  try {
    yield* outer;
  } catch (e) {
    print("shield inner cancelled:", excStr(e), outer.cancelled());
  }
  let a = asyncio.createTask(ok(1, "a"));
  let b = asyncio.createTask(ok(1, "b"));
  g = asyncio.gather([a, b], { returnExceptions: true });
  yield* asyncio.sleep(0);
  print("cancel gather:", g.cancel("stop"));
  try {
    yield* g;
  } catch (e) {
    print("gather cancelled:", excStr(e), g.cancelled(), a.cancelled());
  }
  a = asyncio.createTask(ok(1, "a"));
  b = asyncio.createTask(ok(0.01, "b"));
  g = asyncio.gather([a, b]);
  yield* asyncio.sleep(0);
  a.cancel("child msg");
  try {
    yield* g;
  } catch (e) {
    print("child cancelled:", excStr(e), g.cancelled(), b.done());
  }
  yield* b;
  print("wait_for done, timeout 0:", yield* asyncio.waitFor(f1, 0));
  try {
    yield* asyncio.waitFor(f2, 0);
  } catch (e) {
    print("wait_for failed done, timeout 0:", excStr(e));
  }
  let fut = loop.createFuture<string>();
  loop.callLater(0.01, () => fut.setResult("in time"));
  print("wait_for:", yield* asyncio.waitFor(fut, 1));
  fut = loop.createFuture<string>();
  try {
    yield* asyncio.waitFor(fut, 0.01);
  } catch (e) {
    print("wait_for timeout:", excStr(e), fut.cancelled(), ((e as Error).cause as Error).name);
  }
}
await asyncio.run(main, { loopFactory: () => new VirtualTimeLoop() });
