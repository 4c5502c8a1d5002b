/**
 * Twin of 70_gather_cancel.py: gather() and cancellation (cancelled child, returnExceptions,
 * cancel broadcast, swallowed cancellation, bpo-26923, cancelling the awaiting task, two
 * loops). Main is a generator coroutine; the children are async functions.
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { print, repr } from "./_py.ts";

function tuple(a: unknown[]): string {
  return a.length === 1 ? `(${repr(a[0])},)` : `(${a.map((x) => repr(x)).join(", ")})`;
}

const log: string[] = [];

async function child(tag: string, d: number, swallow = false): Promise<string> {
  try {
    await asyncio.sleep(d);
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    log.push(`${tag} cancelled${tuple(e.args)}`);
    if (swallow) return `${tag} swallowed`;
    throw e;
  }
  log.push(`${tag} done`);
  return tag;
}

function isCancelled(e: unknown): e is asyncio.CancelledError {
  return e instanceof asyncio.CancelledError;
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;

  // 1. a cancelled child, returnExceptions false
  let a = asyncio.createTask(() => child("a", 0.01));
  let b = asyncio.createTask(() => child("b", 0.05));
  let g: asyncio.Future<unknown> = asyncio.gather([a, b]);
  yield* asyncio.sleep(0);
  a.cancel("child msg");
  try {
    yield* g;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print(
      "1. gather raised CancelledError",
      tuple(e.args),
      "| g.cancelled():",
      g.cancelled(),
      "| g.done():",
      g.done(),
      "| b still running:",
      !b.done(),
    );
  }
  print("1. g.exception():", repr(g.exception()));
  print("1. b result later:", yield* b, "| log:", log);
  log.length = 0;

  // 2. a cancelled child, returnExceptions true: CancelledError in the results
  const f1 = loop.createFuture<number>();
  const f2 = loop.createFuture<number>();
  const f3 = loop.createFuture<number>();
  const g2 = asyncio.gather([f1, f2, f3], { returnExceptions: true });
  f1.setResult(1);
  f2.cancel("fut msg");
  f3.cancel();
  print("2. results:", yield* g2);
  const t = asyncio.createTask(() => child("t", 1));
  yield* asyncio.sleep(0);
  t.cancel("task msg");
  print(
    "2. a cancelled task contributes:",
    yield* asyncio.gather([t], { returnExceptions: true }),
    "| log:",
    log,
  );
  log.length = 0;

  // 3. outer.cancel(msg) broadcasts to the children that are not done
  a = asyncio.createTask(() => child("a", 0.01));
  b = asyncio.createTask(() => child("b", 1));
  const doneFut = loop.createFuture<string>();
  doneFut.setResult("early");
  g = asyncio.gather([a, b, doneFut]);
  yield* asyncio.sleep(0.02);
  print("3. a done before cancel:", a.done(), "| cancel('outer msg') ->", g.cancel("outer msg"));
  try {
    yield* g;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print(
      "3. await gather -> CancelledError",
      tuple(e.args),
      "| g.cancelled():",
      g.cancelled(),
      "| a cancelled:",
      a.cancelled(),
      "| b cancelled:",
      b.cancelled(),
    );
  }
  print("3. cancel() again ->", g.cancel(), "| log:", log);
  log.length = 0;

  // 4. all children already done: cancel() returns False, gather keeps its result
  const f = loop.createFuture<number>();
  const g4 = asyncio.gather([f]);
  f.setResult(7);
  print("4. cancel() with every child done ->", g4.cancel(), "| result:", yield* g4);

  // 5. returnExceptions true: cancelling the gather still raises CancelledError (32684)
  a = asyncio.createTask(() => child("a", 1));
  g = asyncio.gather([a], { returnExceptions: true });
  yield* asyncio.sleep(0);
  print("5. cancel() ->", g.cancel("rx msg"));
  try {
    print("5. returned", yield* g);
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print(
      "5. return_exceptions=True still raises CancelledError",
      tuple(e.args),
      "| g.cancelled():",
      g.cancelled(),
    );
  }
  log.length = 0;

  // 6. a child swallows the cancellation: the request is remembered
  a = asyncio.createTask(() => child("a", 1, true));
  b = asyncio.createTask(() => child("b", 1, true));
  g = asyncio.gather([a, b], { returnExceptions: true });
  yield* asyncio.sleep(0);
  print("6. cancel() ->", g.cancel("swallowed msg"));
  try {
    print("6. returned", yield* g);
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print(
      "6. still CancelledError",
      tuple(e.args),
      "| children results:",
      a.result(),
      "/",
      b.result(),
    );
  }
  a = asyncio.createTask(() => child("a", 1, true));
  g = asyncio.gather([a]);
  yield* asyncio.sleep(0);
  g.cancel("m");
  try {
    print("6. returned", yield* g);
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print("6. return_exceptions=False, swallowed:", "CancelledError", tuple(e.args), "| log:", log);
  }
  log.length = 0;

  // 7. bpo-26923: gather.cancel() from the done callback of the last child
  const fut = loop.createFuture<number>();
  const g7 = asyncio.gather([fut]);
  const results: string[] = [];
  fut.addDoneCallback(() => results.push(`('cancel in callback ->', ${repr(g7.cancel())})`));
  fut.setResult(42);
  print("7. result:", yield* g7, `[${results.join(", ")}]`);

  // 8. cancelling the task that awaits a gather cancels the children
  a = asyncio.createTask(() => child("a", 1));
  b = asyncio.createTask(() => child("b", 1));
  async function waiter(): Promise<[string, string]> {
    return await asyncio.gather([a, b]);
  }
  const w = asyncio.createTask(waiter);
  yield* asyncio.sleep(0.01);
  w.cancel("waiter msg");
  try {
    yield* w;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print(
      "8. waiter cancelled",
      tuple(e.args),
      "| children cancelled:",
      a.cancelled(),
      b.cancelled(),
      "| log:",
      log,
    );
  }
  log.length = 0;

  // 9. first error wins; a later cancellation of a sibling changes nothing
  a = asyncio.createTask(() => child("a", 0.01));
  b = asyncio.createTask(() => child("b", 1));
  function* boom(): asyncio.Coroutine<never> {
    yield* asyncio.sleep(0);
    throw new asyncio.ValueError("boom");
  }
  g = asyncio.gather([a, boom(), b]);
  try {
    yield* g;
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print("9. ValueError", tuple(e.args), "| a done:", a.done(), "| b done:", b.done());
  }
  print("9. cancel() after the gather is done ->", g.cancel(), "| b cancelled:", b.cancelled());
  b.cancel();
  yield* asyncio.sleep(0.02);
  log.length = 0;

  // 10. futures of two loops
  const other = asyncio.newEventLoop() as asyncio.EventLoop;
  try {
    asyncio.gather([loop.createFuture(), other.createFuture()]);
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print("10. two loops:", e.message);
  }
  other.close();
}

await asyncio.run(main(), { loopFactory: () => new VirtualTimeLoop() });
