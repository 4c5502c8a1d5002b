/**
 * Twin of 03_future_cancel_message.py: Future.cancel(msg) and the CancelledError's args,
 * awaiting done futures repeatedly, two tasks awaiting one future, and driving a future's
 * iterator by hand (Python's `yield from fut` in a plain generator).
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

/** Python's repr of a tuple. */
function tuple(args: unknown[]): string {
  return args.length === 1 ? `(${repr(args[0])},)` : `(${args.map((a) => repr(a)).join(", ")})`;
}

function show(label: string, e: unknown): void {
  const err = e as Error & { args: unknown[] };
  print(`${label}: ${err.name} args=${tuple(err.args)}`);
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;

  let f = loop.createFuture<unknown>();
  print("cancel('my message') ->", f.cancel("my message"));
  try {
    f.result();
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    show("result()", e);
  }
  try {
    f.exception();
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    show("exception()", e);
  }
  try {
    yield* f;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    show("await", e);
  }

  f = loop.createFuture();
  f.cancel();
  try {
    yield* f;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    show("await (no msg)", e);
  }

  f = loop.createFuture();
  f.cancel(5); // non-string msg round-trips
  try {
    f.result();
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    show("cancel(5) result()", e);
  }

  // a done future can be awaited any number of times
  f = loop.createFuture();
  f.setResult(42);
  print("await done future twice:", yield* f, yield* f);

  // awaiting a future whose exception is set re-raises the same object each time
  f = loop.createFuture();
  const err = new asyncio.ValueError("v");
  f.setException(err);
  for (let i = 0; i < 2; i++) {
    try {
      yield* f;
    } catch (e) {
      if (!(e instanceof asyncio.ValueError)) throw e;
      print(`await exc future #${i}: same object=${repr(e === err)}`);
    }
  }

  // pending future awaited by two tasks: both get the result
  const shared = loop.createFuture<string>();
  function* waiter(tag: number): asyncio.Coroutine<void> {
    const r = yield* shared;
    print(`waiter ${tag} got ${r}`);
  }
  const t1 = asyncio.createTask(waiter(1));
  const t2 = asyncio.createTask(waiter(2));
  yield* asyncio.sleep(0);
  shared.setResult("shared");
  // Python: `await asyncio.gather(t1, t2)`; gather lives in another module, and awaiting the
  // two tasks in turn observes the same thing here.
  yield* t1;
  yield* t2;

  // cancelling a future awaited by a task: the task receives CancelledError with its message
  const inner = loop.createFuture();
  function* w(): asyncio.Coroutine<void> {
    try {
      yield* inner;
    } catch (e) {
      if (e instanceof asyncio.CancelledError) show("task awaiting cancelled future sees", e);
      throw e;
    }
  }
  const t = asyncio.createTask(w());
  yield* asyncio.sleep(0);
  inner.cancel("inner msg");
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    show("awaiting that task", e);
  }
  print("task.cancelled():", t.cancelled());
}

await asyncio.run(main);

// Awaiting a future without a Task (`yield*` in a plain generator, stepped by hand)
const loop = asyncio.newEventLoop() as asyncio.EventLoop;
const f = loop.createFuture<string>();
function* gen(): Generator<unknown, string, unknown> {
  const x = yield* f;
  return x;
}
const g = gen();
const first = g.next();
print("plain generator first yield is the future itself:", first.value === f);
f.setResult("r");
const last = g.next();
// Python's StopIteration carries the return value; a JavaScript iterator result says done.
if (last.done === true) print("StopIteration value:", last.value);

const f2 = loop.createFuture();
try {
  Array.from(f2); // iterating the future directly, to completion
} catch (e) {
  if (!(e instanceof asyncio.RuntimeError)) throw e;
  print("iterating pending future to completion:", e.name, tuple(e.args));
}
f2.cancel();
loop.close();
