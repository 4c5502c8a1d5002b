/**
 * Twin of 11_wait.py: asyncio.wait() with ALL_COMPLETED / FIRST_COMPLETED / FIRST_EXCEPTION,
 * timeout, duplicates, iterators, errors, constants, cancellation of the waiter. Written with
 * generator coroutines.
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { print, repr } from "./_py.ts";

class ZeroDivisionError extends Error {
  override name = "ZeroDivisionError";
}

function names(s: Set<asyncio.Future<unknown>>): string[] {
  return [...s].map((t) => (t as asyncio.Task<unknown>).getName()).sort();
}

function* sleeper(d: number, exc?: Error): asyncio.Coroutine<number> {
  yield* asyncio.sleep(d);
  if (exc !== undefined) throw exc;
  return d;
}

function* main(): asyncio.Coroutine<void> {
  const mk = (n: string, d: number, exc?: Error) =>
    asyncio.createTask(sleeper(d, exc), { name: n });

  let a = mk("a", 0.01);
  let b = mk("b", 0.05);
  let done: Set<asyncio.Future<unknown>>;
  let pending: Set<asyncio.Future<unknown>>;
  [done, pending] = yield* asyncio.wait([b, a]);
  print(
    "ALL_COMPLETED:",
    names(done),
    names(pending),
    "| return types:",
    done instanceof Set ? "set" : "?",
    pending instanceof Set ? "set" : "?",
  );

  a = mk("a", 1.0);
  b = mk("b", 0.01);
  [done, pending] = yield* asyncio.wait([b, a], { returnWhen: asyncio.FIRST_COMPLETED });
  print(
    "FIRST_COMPLETED:",
    names(done),
    names(pending),
    "| pending not cancelled:",
    !a.cancelled(),
  );
  a.cancel();

  // tasks that finish in the same iteration all land in done
  function* c1(): asyncio.Coroutine<void> {
    yield* asyncio.sleep(0);
  }
  function* c2(): asyncio.Coroutine<void> {
    yield* asyncio.sleep(0);
    yield* asyncio.sleep(0);
  }
  const x = asyncio.createTask(c1(), { name: "x" });
  const y = asyncio.createTask(c2(), { name: "y" });
  [done, pending] = yield* asyncio.wait([y, x], { returnWhen: asyncio.FIRST_COMPLETED });
  print("FIRST_COMPLETED really-done:", names(done), names(pending));

  a = mk("a", 1.0);
  b = mk("b", 0.0, new ZeroDivisionError("err"));
  [done, pending] = yield* asyncio.wait([b, a], { returnWhen: asyncio.FIRST_EXCEPTION });
  print("FIRST_EXCEPTION:", names(done), names(pending));
  a.cancel();

  // FIRST_EXCEPTION with no exception behaves like ALL_COMPLETED
  a = mk("a", 0.01);
  b = mk("b", 0.02);
  [done, pending] = yield* asyncio.wait([a, b], { returnWhen: asyncio.FIRST_EXCEPTION });
  print("FIRST_EXCEPTION, no errors:", names(done), names(pending));

  // a cancelled task does not count as an exception for FIRST_EXCEPTION
  a = mk("a", 0.05);
  b = mk("b", 1.0);
  b.cancel();
  [done, pending] = yield* asyncio.wait([a, b], { returnWhen: asyncio.FIRST_EXCEPTION });
  print("FIRST_EXCEPTION with cancelled task:", names(done), names(pending));

  // timeout: no exception, pending returned, tasks keep running
  a = mk("a", 0.01);
  b = mk("b", 0.5);
  [done, pending] = yield* asyncio.wait([a, b], { timeout: 0.05 });
  print("timeout:", names(done), names(pending), "| b cancelled:", b.cancelled());
  b.cancel();

  // exception in a task does not make wait() raise
  a = mk("a", 0.0, new asyncio.ValueError("v"));
  [done, pending] = yield* asyncio.wait([a]);
  print("wait doesn't raise; exception:", repr([...done][0]!.exception()));

  // duplicates collapse (argument converted to a set)
  const c = mk("c", 0);
  [done, pending] = yield* asyncio.wait([c, c, c]);
  print("duplicates -> len(done) =", done.size);

  // iterator accepted
  a = mk("a", 0);
  b = mk("b", 0);
  [done] = yield* asyncio.wait([a, b][Symbol.iterator]());
  print("iterator argument:", names(done));

  // errors
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* coro(): asyncio.Coroutine<number> {
    return 1;
  }
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  let co = coro();
  const cases: [string, () => asyncio.Coroutine<unknown>][] = [
    ["wait(set())", () => asyncio.wait(new Set<asyncio.Future<unknown>>())],
    ["wait([])", () => asyncio.wait([])],
    ["wait(future)", () => asyncio.wait(loop.createFuture() as never)],
    ["wait(coro)", () => asyncio.wait(co as never)],
    ["wait([coro])", () => asyncio.wait([co as never])],
    ["wait([task], return_when=-1)", () => asyncio.wait([mk("z", 0)], { returnWhen: -1 as never })],
  ];
  for (const [label, make] of cases) {
    co = coro();
    try {
      yield* make();
    } catch (e) {
      if (!(e instanceof TypeError || e instanceof asyncio.ValueError)) throw e;
      print(`${label}: ${e.name}: ${e.message}`);
    }
    co.return(0);
  }
  print("constants:", asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION, asyncio.ALL_COMPLETED);

  // cancelling the task that awaits wait() does not cancel the waited tasks
  const inner = mk("inner", 0.05);
  function* outer(): asyncio.Coroutine<void> {
    yield* asyncio.wait([inner]);
  }
  const t = asyncio.createTask(outer());
  yield* asyncio.sleep(0);
  t.cancel();
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("outer cancelled; inner cancelled?", inner.cancelled());
  }
  print("inner result:", yield* inner);
}

await asyncio.run(main(), { loopFactory: () => new VirtualTimeLoop() });
