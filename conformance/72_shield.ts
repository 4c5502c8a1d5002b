/**
 * Twin of 72_shield.py: shield() passes results through, follows an inner cancellation,
 * ignores an outer cancellation, shortcut for done futures, protects a task from its caller's
 * cancellation, wraps coroutines, shields a gather, gather of shields. Main is an async
 * function (Python's `del x; gc.collect()` becomes a scope that ends, then a collection).
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { print, repr } from "./_py.ts";

class KeyError extends Error {
  override name = "KeyError";
}

function tuple(a: unknown[]): string {
  return a.length === 1 ? `(${repr(a[0])},)` : `(${a.map((x) => repr(x)).join(", ")})`;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc");

/**
 * Python's gc.collect(): V8 runs finalizers a task turn or more after collecting, so keep
 * collecting until `done()` says the expected report arrived (or a few rounds when none is).
 */
async function collect(done?: () => boolean): Promise<void> {
  for (let i = 0; i < (done === undefined ? 3 : 100); i++) {
    if (done?.() === true) return;
    await new Promise((r) => setImmediate(r));
    gc?.();
    await new Promise((r) => setTimeout(r, i));
  }
}

const log: string[] = [];

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;

  // 1. result and exception pass through; the outer future is a new plain Future
  let inner = loop.createFuture<number>();
  let outer = asyncio.shield(inner);
  print("1. outer is inner:", outer === inner, "| type:", outer.constructor.name);
  inner.setResult(42);
  print("1. result ->", await outer);
  inner = loop.createFuture<number>();
  outer = asyncio.shield(inner);
  inner.setException(new KeyError("k"));
  try {
    await outer;
  } catch (e) {
    if (!(e instanceof KeyError)) throw e;
    print("1. exception ->", repr(e));
  }

  // 2. inner cancelled -> outer cancelled
  inner = loop.createFuture<number>();
  outer = asyncio.shield(inner);
  inner.cancel("inner msg");
  await asyncio.sleep(0);
  print("2. inner cancelled -> outer cancelled:", outer.cancelled());

  // 3. outer cancelled -> inner untouched; shield stops listening to it
  const reported: unknown[] = [];
  loop.setExceptionHandler((_l, ctx) => reported.push(ctx.message));
  async function laterException(): Promise<void> {
    const inner = loop.createFuture<number>();
    const outer = asyncio.shield(inner);
    print("3. outer.cancel() ->", outer.cancel());
    await asyncio.sleep(0);
    print("3. inner cancelled:", inner.cancelled(), "| inner done:", inner.done());
    inner.setException(new asyncio.ValueError("nobody listens"));
    await asyncio.sleep(0);
  }
  await laterException();
  await collect(() => reported.length > 0);
  print("3. an exception set on inner later is nobody's: reported when collected:", reported);
  reported.length = 0;

  // ... but an outcome that arrives in the same iteration as the cancel is marked retrieved
  async function sameIteration(): Promise<void> {
    const inner = loop.createFuture<number>();
    const outer = asyncio.shield(inner);
    inner.setException(new asyncio.ValueError("dropped"));
    outer.cancel();
    await asyncio.sleep(0);
  }
  await sameIteration();
  await collect();
  print("3. same-iteration outcome dropped silently (not reported):", reported);
  loop.setExceptionHandler(null);

  // 4. shortcut: a done future is returned as is
  const done = loop.createFuture<number>();
  done.setResult(1);
  print("4. shield(done) is done:", asyncio.shield(done) === done);

  // 5. cancelling the caller of `await shield(t)`: the caller gets CancelledError, t completes
  function* work(): asyncio.Coroutine<string> {
    yield* asyncio.sleep(0.02);
    log.push("work completed");
    return "work result";
  }
  const t = asyncio.createTask(work());
  function* caller(): asyncio.Coroutine<string> {
    return yield* asyncio.shield(t);
  }
  const c = asyncio.createTask(caller());
  await asyncio.sleep(0.01);
  c.cancel("caller msg");
  try {
    await c;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print(
      "5. caller cancelled",
      tuple(e.args),
      "| t cancelled:",
      t.cancelled(),
      "| t done:",
      t.done(),
    );
  }
  print("5. t result later:", await t, "| log:", log);
  log.length = 0;

  // 6. shield(coroutine) wraps it in a task; shield(gather(...)) keeps the gather running
  async function one<T>(v: T): Promise<T> {
    await asyncio.sleep(0.01);
    return v;
  }
  const s = asyncio.shield(() => one("coro value"));
  print("6. shield(coroutine) type:", s.constructor.name, "->", await s);
  const g = asyncio.gather([() => one(1), () => one(2)]);
  const og = asyncio.shield(g);
  og.cancel();
  await asyncio.sleep(0);
  print("6. shield(gather): outer cancelled", og.cancelled(), "| gather ->", await g);

  // 7. gather of shields: cancelling the gather cancels the shields, not the inner tasks
  const t1 = asyncio.createTask(() => one("t1"));
  const t2 = asyncio.createTask(() => one("t2"));
  const g7 = asyncio.gather([asyncio.shield(t1), asyncio.shield(t2)]);
  await asyncio.sleep(0);
  print("7. gather.cancel() ->", g7.cancel());
  try {
    await g7;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print(
      "7. gather raised CancelledError | inner tasks cancelled:",
      t1.cancelled(),
      t2.cancelled(),
    );
  }
  print("7. inner results:", await t1, await t2);
}

await asyncio.run(main, { loopFactory: () => new VirtualTimeLoop() });
