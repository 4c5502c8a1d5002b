/**
 * Twin of 35_cancel_propagation.py: cancellation through await chains (every handler on the
 * chain runs), cancel forwarded to an awaited task that swallows it, exceptions passing through
 * tasks unchanged, and `_futWaiter` (Python's `_fut_waiter`) cleared after cancellation.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

/** Python's repr of a tuple. */
function tuple(args: unknown[]): string {
  return args.length === 1 ? `(${repr(args[0])},)` : `(${args.map((a) => repr(a)).join(", ")})`;
}

class KeyError extends Error {
  override name = "KeyError";
  args: unknown[];
  constructor(...args: unknown[]) {
    super(args.length === 0 ? "" : String(args[0]));
    this.args = args;
  }
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;

  // A. cancel outer -> inner coroutine (same task) -> awaited future cancelled; both handlers run
  let proof = 0;
  const waiter = loop.createFuture();
  function* inner(): asyncio.Coroutine<void> {
    try {
      yield* waiter;
    } catch (e) {
      if (e instanceof asyncio.CancelledError) proof += 1;
      throw e;
    }
  }
  function* outer(): asyncio.Coroutine<void> {
    try {
      yield* inner();
    } catch (e) {
      if (!(e instanceof asyncio.CancelledError)) throw e;
      proof += 100;
    }
  }
  const f = asyncio.ensureFuture(outer());
  yield* asyncio.sleep(0);
  f.cancel();
  yield* f;
  print(
    "A. proof =",
    proof,
    "| waiter cancelled:",
    waiter.cancelled(),
    "| outer swallowed -> cancelled():",
    f.cancelled(),
  );

  // B. cancel() of a task blocked on another task is forwarded to the inner task only;
  //    if the inner task swallows it, the outer task simply gets the inner result.
  const stubbornStarted = loop.createFuture();
  function* stubborn(): asyncio.Coroutine<string | undefined> {
    stubbornStarted.setResult(null);
    try {
      yield* asyncio.sleep(10);
    } catch (e) {
      if (!(e instanceof asyncio.CancelledError)) throw e;
      return "inner ignored cancel";
    }
    return undefined;
  }
  function* awaiter<T>(t: asyncio.Task<T>): asyncio.Coroutine<T> {
    return yield* t;
  }
  const tIn = asyncio.createTask(stubborn());
  yield* stubbornStarted;
  const tOut = asyncio.createTask(awaiter(tIn));
  yield* asyncio.sleep(0);
  tOut.cancel();
  const r = yield* tOut;
  print(
    "B. outer cancelled while awaiting a task that swallowed it -> outer result:",
    repr(r),
    "| outer.cancelled():",
    tOut.cancelled(),
    "| outer.cancelling():",
    tOut.cancelling(),
  );

  // C. awaiting a failed task while handling another exception raises the task's exception
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* raiseError(): asyncio.Coroutine<void> {
    throw new asyncio.ValueError();
  }
  function* run(): asyncio.Coroutine<string> {
    try {
      throw new KeyError(3);
    } catch {
      const task = asyncio.createTask(raiseError());
      try {
        yield* task;
      } catch (exc) {
        return tuple([(exc as Error).name, exc === task.exception()]);
      }
    }
    return "unreachable";
  }
  print("C. exception after await:", yield* run());

  // D. re-raising the same exception object through a task doesn't create a cycle
  //    (Python's __context__; the JavaScript equivalent is `cause`)
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* processExc(exc: unknown): asyncio.Coroutine<void> {
    throw exc;
  }
  function* run2(): asyncio.Coroutine<boolean> {
    try {
      throw new KeyError("a");
    } catch (exc) {
      const task = asyncio.createTask(processExc(exc));
      try {
        yield* task;
      } catch (e) {
        return e === (e as Error).cause;
      }
    }
    return false;
  }
  print("D. context cycle created:", yield* run2());

  // F. the task's _futWaiter is cleared after cancellation
  const fut = loop.createFuture();
  function* w(): asyncio.Coroutine<void> {
    yield* fut;
  }
  const t = asyncio.createTask(w());
  yield* asyncio.sleep(0);
  print("F. waiting on fut:", t._futWaiter === fut);
  t.cancel();
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print(
      "F. after cancel: _fut_waiter is None:",
      t._futWaiter === null,
      "| fut cancelled:",
      fut.cancelled(),
    );
  }
}

await asyncio.run(main);
