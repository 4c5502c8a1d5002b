/**
 * Twin of 13_as_completed.py (3.13): asCompleted() as a plain iterator of awaitables (completion
 * order, errors, timeout, out-of-order awaits, duplicates, argument checks) and as an async
 * iterator of the original futures. Written with async functions; a coroutine of the Python
 * script is a generator coroutine or a function here.
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

function args(e: Error): unknown[] {
  const a = (e as { args?: unknown[] }).args;
  return Array.isArray(a) ? a : [e.message];
}

/**
 * TypeScript may type a `for await` value as the awaited result of the Future it really is
 * (its iteration-type cache awaits async-iterable values): name the Future's type.
 */
function asFuture<T>(d: unknown): asyncio.Future<T> {
  return d as asyncio.Future<T>;
}

function* sleeper<T>(d: number, v: T, exc?: Error): asyncio.Coroutine<T> {
  yield* asyncio.sleep(d);
  if (exc !== undefined) throw exc;
  return v;
}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;

  // completion order
  let out: unknown[] = [];
  for (const f of asyncio.asCompleted([
    sleeper(0.03, "c"),
    sleeper(0.01, "a"),
    sleeper(0.02, "b"),
  ])) {
    out.push(await f);
  }
  print("completion order:", out);

  // exceptions are raised by the awaitable of the failing one, in completion order
  out = [];
  for (const f of asyncio.asCompleted([
    sleeper(0.02, "ok"),
    sleeper(0.01, null, new asyncio.ValueError("x")),
  ])) {
    try {
      out.push(await f);
    } catch (e) {
      if (!(e instanceof asyncio.ValueError)) throw e;
      out.push(`ValueError${tuple(e.args)}`);
    }
  }
  print("with exception:", out);

  // timeout: items not done by the deadline raise TimeoutError (one per remaining item)
  const a = asyncio.createTask(sleeper(0.01, "a"));
  const b = asyncio.createTask(sleeper(0.5, "b"));
  out = [];
  for (const f of asyncio.asCompleted([a, b], { timeout: 0.1 })) {
    try {
      out.push(await f);
    } catch (e) {
      if (!(e instanceof asyncio.TimeoutError)) throw e;
      out.push(`TimeoutError${tuple(e.args)}`);
    }
  }
  print("timeout:", out, "| b cancelled by as_completed?", b.cancelled());
  b.cancel();

  // the yielded awaitables are not the input futures; results can be awaited out of order
  const futs = [...asyncio.asCompleted([sleeper(0.01, "first"), sleeper(0.02, "second")])];
  print("awaiting 2nd yielded first ->", await futs[1]!, "| then 1st ->", await futs[0]!);

  // duplicates are collapsed
  const c = sleeper(0, "ham");
  out = [];
  for (const f of asyncio.asCompleted([c, c, sleeper(0, "spam")])) out.push(await f);
  print("duplicates:", out.sort(), "count", out.length);

  // invalid args: 3.13 checks the argument at once
  const fut = loop.createFuture();
  print("type of as_completed([]):", asyncio.asCompleted([]).constructor.name);
  for (const arg of [fut, sleeper(0, 0)]) {
    try {
      asyncio.asCompleted(arg as never);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      print("as_completed(bad):", e.message);
    }
    if (asyncio.isCoroutine(arg)) arg.return(0);
  }
  fut.cancel();

  // empty input: empty iterator
  print("empty:", [...asyncio.asCompleted([])]);

  // 3.13: async iteration yields the original tasks/futures, in completion order
  const x = asyncio.createTask(sleeper(0.02, "x"));
  const y = asyncio.createTask(sleeper(0.01, "y"));
  const f = loop.createFuture<string>();
  loop.callLater(0.03, () => f.setResult("f"));
  out = [];
  for await (const d of asyncio.asCompleted([x, y, f])) {
    const done = asFuture<string>(d);
    out.push(
      `(${repr(done === x)}, ${repr(done === y)}, ${repr(done === f)}, ${repr(done.result())})`,
    );
  }
  print(`async for yields the originals: [${out.join(", ")}]`);

  // async iteration of coroutines: the implicitly created tasks are yielded
  out = [];
  for await (const d of asyncio.asCompleted([sleeper(0.02, "two"), sleeper(0.01, "one")])) {
    const done = asFuture<string>(d);
    out.push(`(${repr(done.constructor.name)}, ${repr(done.done())}, ${repr(done.result())})`);
  }
  print(`async for over coroutines: [${out.join(", ")}]`);

  // async iteration with a failing task: the task is yielded, awaiting it raises
  out = [];
  for await (const done of asyncio.asCompleted([
    sleeper(0.01, null, new KeyError("k")),
    sleeper(0.02, "fine"),
  ])) {
    try {
      out.push(await done);
    } catch (e) {
      if (!(e instanceof KeyError)) throw e;
      out.push(`KeyError${tuple(args(e))}`);
    }
  }
  print("async for with exception:", out);

  // async iteration with timeout: TimeoutError raised by the async for itself
  const slow = asyncio.createTask(sleeper(0.5, "slow"));
  const quick = asyncio.createTask(sleeper(0.01, "quick"));
  out = [];
  try {
    for await (const d of asyncio.asCompleted([slow, quick], { timeout: 0.1 })) {
      out.push(asFuture(d).result());
    }
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    out.push(`TimeoutError${tuple(e.args)}`);
  }
  print("async for with timeout:", out, "| slow cancelled?", slow.cancelled());
  slow.cancel();

  // mixing: one plain step, then async steps share the same completion queue
  const it = asyncio.asCompleted([sleeper(0.01, "m1"), sleeper(0.02, "m2"), sleeper(0.03, "m3")]);
  const first = await it.next().value!;
  const rest: unknown[] = [];
  for await (const d of it) rest.push(asFuture(d).result());
  print("mixed:", first, rest);
}

await asyncio.run(main, { loopFactory: () => new VirtualTimeLoop() });
