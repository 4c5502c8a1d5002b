/**
 * Twin of 44_cancel_messages.py: cancellation messages and forwarding through tasks, with
 * generator coroutines ([gen]) and async functions ([async]).
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function args(e: unknown): string {
  const a = (e as { args: unknown[] }).args;
  return a.length === 1 ? `(${repr(a[0])},)` : `(${a.map((x) => repr(x)).join(", ")})`;
}

const isCancel = (e: unknown): e is asyncio.CancelledError => e instanceof asyncio.CancelledError;

// ---- generator coroutines ----

function* scenariosGen(tag: string): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  const out: string[] = [];

  // message reaches the awaited future, the body and the awaiter
  let fut = loop.createFuture();
  function* waits(): asyncio.Coroutine<void> {
    try {
      yield* fut;
    } catch (e) {
      if (isCancel(e)) out.push(`body sees ${args(e)}`);
      throw e;
    }
  }
  let t: asyncio.Task<unknown> = asyncio.createTask(waits());
  yield* asyncio.sleep(0);
  t.cancel("msg-1");
  out.push(`future cancelled: ${repr(fut.cancelled())}`);
  try {
    yield* t;
  } catch (e) {
    if (!isCancel(e)) throw e;
    out.push(`awaiter sees ${args(e)}`);
  }
  for (const [label, fn] of [
    ["result()", () => t.result()],
    ["exception()", () => t.exception()],
  ] as const) {
    try {
      fn();
    } catch (e) {
      if (!isCancel(e)) throw e;
      out.push(`${label} ${args(e)}`);
    }
  }
  print(`[${tag}] message:`, out.join(" | "));
  out.length = 0;

  // cancel before the first step, with a message
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  function* never(): asyncio.Coroutine<void> {
    out.push("never runs");
  }
  t = asyncio.createTask(never());
  t.cancel("early");
  try {
    yield* t;
  } catch (e) {
    if (!isCancel(e)) throw e;
    out.push(`awaiter sees ${args(e)}`);
  }
  print(`[${tag}] before first step:`, out.join(" | "));
  out.length = 0;

  // forwarded through a chain of tasks: outer -> middle -> inner -> future
  const innerFut = loop.createFuture();
  function* inner(): asyncio.Coroutine<void> {
    try {
      yield* innerFut;
    } catch (e) {
      if (isCancel(e)) out.push(`inner ${args(e)}`);
      throw e;
    }
  }
  function* middle(): asyncio.Coroutine<void> {
    const t = asyncio.createTask(inner());
    try {
      yield* t;
    } catch (e) {
      if (isCancel(e)) out.push(`middle ${args(e)} inner.cancelled=${repr(t.cancelled())}`);
      throw e;
    }
  }
  function* outer(): asyncio.Coroutine<void> {
    const t = asyncio.createTask(middle());
    try {
      yield* t;
    } catch (e) {
      if (isCancel(e)) out.push(`outer ${args(e)} middle.cancelled=${repr(t.cancelled())}`);
      throw e;
    }
  }
  t = asyncio.createTask(outer());
  for (let i = 0; i < 3; i++) yield* asyncio.sleep(0);
  t.cancel("chain");
  try {
    yield* t;
  } catch (e) {
    if (!isCancel(e)) throw e;
    out.push(`awaiter ${args(e)} outer cancelling=${t.cancelling()}`);
  }
  print(`[${tag}] chain:`, out.join(" | "), "| inner_fut cancelled:", innerFut.cancelled());
  out.length = 0;

  // self-cancel, then await a nested task: the nested task is cancelled too (bpo-34872)
  function* sleeper(): asyncio.Coroutine<void> {
    yield* asyncio.sleep(10);
  }
  function* selfCancelThenAwait(): asyncio.Coroutine<void> {
    const nested = asyncio.createTask(sleeper());
    yield* asyncio.sleep(0);
    asyncio.currentTask()!.cancel();
    try {
      yield* nested;
    } finally {
      out.push(`nested cancelled=${repr(nested.cancelled())}`);
    }
  }
  t = asyncio.createTask(selfCancelThenAwait());
  try {
    yield* t;
  } catch (e) {
    if (!isCancel(e)) throw e;
    out.push(`task cancelled=${repr(t.cancelled())}`);
  }
  print(`[${tag}] self-cancel then await nested:`, out.join(" | "));
  out.length = 0;

  // two cancel() calls while waiting
  fut = loop.createFuture();
  function* waits2(): asyncio.Coroutine<void> {
    try {
      yield* fut;
    } catch (e) {
      if (isCancel(e)) out.push(`body sees ${args(e)}`);
      throw e;
    }
  }
  t = asyncio.createTask(waits2());
  yield* asyncio.sleep(0);
  out.push(
    `cancel(a)=${repr(t.cancel("a"))} cancel(b)=${repr(t.cancel("b"))} cancelling=${t.cancelling()}`,
  );
  try {
    yield* t;
  } catch (e) {
    if (!isCancel(e)) throw e;
    out.push(`awaiter sees ${args(e)}`);
  }
  print(`[${tag}] two cancels:`, out.join(" | "));
  out.length = 0;

  // the body replaces the CancelledError with its own: that one is the task's
  function* replaces(): asyncio.Coroutine<void> {
    try {
      yield* asyncio.sleep(10);
    } catch (e) {
      if (!isCancel(e)) throw e;
      throw new asyncio.CancelledError("replaced");
    }
  }
  t = asyncio.createTask(replaces());
  yield* asyncio.sleep(0);
  t.cancel("original");
  try {
    yield* t;
  } catch (e) {
    if (!isCancel(e)) throw e;
    out.push(`awaiter sees ${args(e)} cancelled=${repr(t.cancelled())}`);
  }
  print(`[${tag}] replaced:`, out.join(" | "));
  out.length = 0;

  // cancelling the awaited future (not the task) also ends the task cancelled
  fut = loop.createFuture();
  function* waits3(): asyncio.Coroutine<void> {
    yield* fut;
  }
  t = asyncio.createTask(waits3());
  yield* asyncio.sleep(0);
  fut.cancel("from-future");
  try {
    yield* t;
  } catch (e) {
    if (!isCancel(e)) throw e;
    out.push(
      `awaiter sees ${args(e)} cancelled=${repr(t.cancelled())} cancelling=${t.cancelling()}`,
    );
  }
  print(`[${tag}] future cancelled:`, out.join(" | "));
  out.length = 0;
}

// ---- async functions ----

async function scenariosAsync(tag: string): Promise<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  const out: string[] = [];

  // message reaches the awaited future, the body and the awaiter
  let fut = loop.createFuture();
  async function waits(): Promise<void> {
    try {
      await fut;
    } catch (e) {
      if (isCancel(e)) out.push(`body sees ${args(e)}`);
      throw e;
    }
  }
  let t: asyncio.Task<unknown> = asyncio.createTask(waits);
  await asyncio.sleep(0);
  t.cancel("msg-1");
  out.push(`future cancelled: ${repr(fut.cancelled())}`);
  try {
    await t;
  } catch (e) {
    if (!isCancel(e)) throw e;
    out.push(`awaiter sees ${args(e)}`);
  }
  for (const [label, fn] of [
    ["result()", () => t.result()],
    ["exception()", () => t.exception()],
  ] as const) {
    try {
      fn();
    } catch (e) {
      if (!isCancel(e)) throw e;
      out.push(`${label} ${args(e)}`);
    }
  }
  print(`[${tag}] message:`, out.join(" | "));
  out.length = 0;

  // cancel before the first step, with a message
  async function never(): Promise<void> {
    out.push("never runs");
  }
  t = asyncio.createTask(never);
  t.cancel("early");
  try {
    await t;
  } catch (e) {
    if (!isCancel(e)) throw e;
    out.push(`awaiter sees ${args(e)}`);
  }
  print(`[${tag}] before first step:`, out.join(" | "));
  out.length = 0;

  // forwarded through a chain of tasks: outer -> middle -> inner -> future
  const innerFut = loop.createFuture();
  async function inner(): Promise<void> {
    try {
      await innerFut;
    } catch (e) {
      if (isCancel(e)) out.push(`inner ${args(e)}`);
      throw e;
    }
  }
  async function middle(): Promise<void> {
    const t = asyncio.createTask(inner);
    try {
      await t;
    } catch (e) {
      if (isCancel(e)) out.push(`middle ${args(e)} inner.cancelled=${repr(t.cancelled())}`);
      throw e;
    }
  }
  async function outer(): Promise<void> {
    const t = asyncio.createTask(middle);
    try {
      await t;
    } catch (e) {
      if (isCancel(e)) out.push(`outer ${args(e)} middle.cancelled=${repr(t.cancelled())}`);
      throw e;
    }
  }
  t = asyncio.createTask(outer);
  for (let i = 0; i < 3; i++) await asyncio.sleep(0);
  t.cancel("chain");
  try {
    await t;
  } catch (e) {
    if (!isCancel(e)) throw e;
    out.push(`awaiter ${args(e)} outer cancelling=${t.cancelling()}`);
  }
  print(`[${tag}] chain:`, out.join(" | "), "| inner_fut cancelled:", innerFut.cancelled());
  out.length = 0;

  // self-cancel, then await a nested task: the nested task is cancelled too (bpo-34872)
  async function sleeper(): Promise<void> {
    await asyncio.sleep(10);
  }
  async function selfCancelThenAwait(): Promise<void> {
    const nested = asyncio.createTask(sleeper);
    await asyncio.sleep(0);
    asyncio.currentTask()!.cancel();
    try {
      await nested;
    } finally {
      out.push(`nested cancelled=${repr(nested.cancelled())}`);
    }
  }
  t = asyncio.createTask(selfCancelThenAwait);
  try {
    await t;
  } catch (e) {
    if (!isCancel(e)) throw e;
    out.push(`task cancelled=${repr(t.cancelled())}`);
  }
  print(`[${tag}] self-cancel then await nested:`, out.join(" | "));
  out.length = 0;

  // two cancel() calls while waiting
  fut = loop.createFuture();
  async function waits2(): Promise<void> {
    try {
      await fut;
    } catch (e) {
      if (isCancel(e)) out.push(`body sees ${args(e)}`);
      throw e;
    }
  }
  t = asyncio.createTask(waits2);
  await asyncio.sleep(0);
  out.push(
    `cancel(a)=${repr(t.cancel("a"))} cancel(b)=${repr(t.cancel("b"))} cancelling=${t.cancelling()}`,
  );
  try {
    await t;
  } catch (e) {
    if (!isCancel(e)) throw e;
    out.push(`awaiter sees ${args(e)}`);
  }
  print(`[${tag}] two cancels:`, out.join(" | "));
  out.length = 0;

  // the body replaces the CancelledError with its own: that one is the task's
  async function replaces(): Promise<void> {
    try {
      await asyncio.sleep(10);
    } catch (e) {
      if (!isCancel(e)) throw e;
      throw new asyncio.CancelledError("replaced");
    }
  }
  t = asyncio.createTask(replaces);
  await asyncio.sleep(0);
  t.cancel("original");
  try {
    await t;
  } catch (e) {
    if (!isCancel(e)) throw e;
    out.push(`awaiter sees ${args(e)} cancelled=${repr(t.cancelled())}`);
  }
  print(`[${tag}] replaced:`, out.join(" | "));
  out.length = 0;

  // cancelling the awaited future (not the task) also ends the task cancelled
  fut = loop.createFuture();
  async function waits3(): Promise<void> {
    await fut;
  }
  t = asyncio.createTask(waits3);
  await asyncio.sleep(0);
  fut.cancel("from-future");
  try {
    await t;
  } catch (e) {
    if (!isCancel(e)) throw e;
    out.push(
      `awaiter sees ${args(e)} cancelled=${repr(t.cancelled())} cancelling=${t.cancelling()}`,
    );
  }
  print(`[${tag}] future cancelled:`, out.join(" | "));
  out.length = 0;
}

await asyncio.run(() => scenariosGen("gen"));
await asyncio.run(() => scenariosAsync("async"));
