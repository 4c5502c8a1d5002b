/**
 * Twin of 05_task_cancel.py: Task.cancel() semantics (3.13): cancel before the first step,
 * while waiting, swallowed, self-cancel, cancel at end, nested tasks, cancelling()/uncancel().
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

/** Python's repr of a tuple. */
function tuple(args: unknown[]): string {
  return args.length === 1 ? `(${repr(args[0])},)` : `(${args.map((a) => repr(a)).join(", ")})`;
}

function state(t: asyncio.Task<unknown>): string {
  return `done=${repr(t.done())} cancelled=${repr(t.cancelled())} cancelling=${t.cancelling()}`;
}

function reprState(t: asyncio.Task<unknown>): string {
  return repr(t).split(" name=")[0]!; // '<Task pending' / '<Task cancelling' / ...
}

function isCancelled(e: unknown): e is asyncio.CancelledError {
  return e instanceof asyncio.CancelledError;
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  const ran: string[] = [];

  // 1. cancel before the first step: body never runs
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* body(): asyncio.Coroutine<number> {
    ran.push("body started");
    return 1;
  }
  let t: asyncio.Task<unknown> = asyncio.createTask(body());
  print("1. cancel() ->", t.cancel(), "|", reprState(t), "|", state(t));
  try {
    yield* t;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print("1. await -> CancelledError", tuple(e.args), "| body ran:", ran, "|", state(t));
  }
  print("1. cancel() after done ->", t.cancel());

  // 2. cancel while waiting on a future: the future itself is cancelled synchronously
  const fut = loop.createFuture();
  function* waits(): asyncio.Coroutine<void> {
    yield* fut;
  }
  t = asyncio.createTask(waits());
  yield* asyncio.sleep(0);
  print(
    "2. cancel() ->",
    t.cancel(),
    "| inner fut cancelled immediately:",
    fut.cancelled(),
    "| task done yet:",
    t.done(),
  );
  yield* asyncio.sleep(0);
  print("2. after one iteration:", state(t));

  // 3. catching CancelledError and returning a value: task NOT cancelled
  const f1 = loop.createFuture();
  function* catches(): asyncio.Coroutine<number | undefined> {
    try {
      yield* f1;
    } catch (e) {
      if (!isCancelled(e)) throw e;
      return 42;
    }
    return undefined;
  }
  t = asyncio.createTask(catches());
  yield* asyncio.sleep(0);
  t.cancel();
  print("3. swallowed:", yield* t, "|", state(t));

  // 4. catching, then waiting on something else: that later wait is NOT cancelled
  const f2 = loop.createFuture();
  const f3 = loop.createFuture<string>();
  function* ignores(): asyncio.Coroutine<string> {
    try {
      yield* f2;
    } catch (e) {
      if (!isCancelled(e)) throw e;
    }
    return yield* f3;
  }
  t = asyncio.createTask(ignores());
  yield* asyncio.sleep(0);
  t.cancel();
  yield* asyncio.sleep(0);
  print("4. f2 cancelled:", f2.cancelled(), "f3 cancelled:", f3.cancelled());
  f3.setResult("f3-result");
  print("4. result:", yield* t, "|", state(t));

  // 5. task cancels itself, then awaits: next await raises immediately
  function* selfCancel(): asyncio.Coroutine<string> {
    asyncio.currentTask()!.cancel();
    print("5. still running after self-cancel; cancelling =", asyncio.currentTask()!.cancelling());
    yield* asyncio.sleep(100);
    return "unreachable";
  }
  t = asyncio.createTask(selfCancel());
  try {
    yield* t;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print("5.", state(t));
  }

  // 6. task cancels itself and returns without awaiting: still ends cancelled
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* cancelAtEnd(): asyncio.Coroutine<number> {
    asyncio.currentTask()!.cancel();
    return 12;
  }
  t = asyncio.createTask(cancelAtEnd());
  try {
    print("6. result", yield* t);
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print("6. cancel-at-end ->", state(t));
  }

  // 7. cancelling a task blocked on another task cancels the inner task too
  const innerFut = loop.createFuture();
  function* nested(): asyncio.Coroutine<void> {
    yield* innerFut;
  }
  function* outer(): asyncio.Coroutine<void> {
    const n = asyncio.createTask(nested());
    yield* asyncio.sleep(0);
    try {
      yield* n;
    } finally {
      print("7. nested cancelled:", n.cancelled(), "inner_fut cancelled:", innerFut.cancelled());
    }
  }
  t = asyncio.createTask(outer());
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  t.cancel();
  try {
    yield* t;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print("7.", state(t));
  }

  // 8. cancelling() counts cancel() calls; uncancel() decrements and returns the new count
  function* sleeper(): asyncio.Coroutine<string | undefined> {
    try {
      yield* asyncio.sleep(10);
    } catch (e) {
      if (!isCancelled(e)) throw e;
      const me = asyncio.currentTask()!;
      print(
        "8. in handler cancelling =",
        me.cancelling(),
        "uncancel() ->",
        me.uncancel(),
        "-> cancelling =",
        me.cancelling(),
      );
      yield* asyncio.sleep(0);
      return "recovered";
    }
    return undefined;
  }
  t = asyncio.createTask(sleeper());
  yield* asyncio.sleep(0);
  print(
    "8. cancel() ->",
    t.cancel(),
    "; cancel() again ->",
    t.cancel(),
    "; cancelling =",
    t.cancelling(),
    "|",
    reprState(t),
  );
  print("8. result:", yield* t, "|", state(t));

  // 9. uncancel() never goes below 0
  function* noop(): asyncio.Coroutine<void> {}
  t = asyncio.createTask(noop());
  print("9. uncancel() on fresh task ->", t.uncancel());
  yield* t;

  // 10. raising CancelledError yourself (not via cancel()) also marks the task cancelled
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* raiser(): asyncio.Coroutine<void> {
    throw new asyncio.CancelledError("self-raised");
  }
  t = asyncio.createTask(raiser());
  try {
    yield* t;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print("10. self-raised:", tuple(e.args), "|", state(t));
  }

  // 11. converting CancelledError to another exception -> task has that exception.
  // JavaScript has no implicit __context__: the closest is chaining it explicitly as `cause`.
  function* converts(): asyncio.Coroutine<void> {
    try {
      yield* asyncio.sleep(10);
    } catch (e) {
      if (!isCancelled(e)) throw e;
      const converted = new asyncio.ValueError("converted");
      converted.cause = e;
      throw converted;
    }
  }
  t = asyncio.createTask(converts());
  yield* asyncio.sleep(0);
  t.cancel();
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print(
      "11. converted:",
      tuple(e.args),
      "|",
      state(t),
      "| __context__:",
      (e.cause as Error).name,
    );
  }

  // 12. cancel() then uncancel() before the next await: 3.13 withdraws the pending cancellation
  function* cancelThenUncancel(): asyncio.Coroutine<string> {
    const me = asyncio.currentTask()!;
    me.cancel();
    print("12. after cancel(): cancelling =", me.cancelling(), "| uncancel() ->", me.uncancel());
    try {
      yield* asyncio.sleep(0);
      return "no CancelledError (3.13+ behaviour)";
    } catch (e) {
      if (!isCancelled(e)) throw e;
      return "CancelledError at next await (3.11/3.12 behaviour)";
    }
  }
  print("12.", yield* asyncio.createTask(cancelThenUncancel()));
}

await asyncio.run(main);
