/**
 * Twin of 15_timeout_cm.py (3.13): timeout() / timeoutAt() / Timeout. Python's
 * `async with asyncio.timeout(d) as cm: body` is `yield* asyncio.timeout(d, (cm) => body)`.
 * The main coroutine is a generator; the bodies alternate between generator functions and
 * async functions (both run as code of the main task, so the timeout cancels their awaits).
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { print, repr } from "./_py.ts";

class KeyError extends Error {
  override name = "KeyError";
}
class ZeroDivisionError extends Error {
  override name = "ZeroDivisionError";
}

function r(cm: asyncio.Timeout): string {
  return repr(cm).replace(/when=\d+\.\d*/, "when=<float>");
}

function tuple(a: unknown[]): string {
  return a.length === 1 ? `(${repr(a[0])},)` : `(${a.map((x) => repr(x)).join(", ")})`;
}

function typeName(v: unknown): string {
  return v === undefined || v === null ? "NoneType" : (v as Error).name;
}

function isTimeout(e: unknown): e is asyncio.TimeoutError {
  return e instanceof asyncio.TimeoutError;
}

function isCancelled(e: unknown): e is asyncio.CancelledError {
  return e instanceof asyncio.CancelledError;
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  let cm!: asyncio.Timeout;

  try {
    yield* asyncio.timeout(0.01, function* (c) {
      cm = c;
      print("1. inside:", r(cm), "| expired:", cm.expired());
      yield* asyncio.sleep(10);
    });
  } catch (e) {
    if (!isTimeout(e)) throw e;
    print(
      "1. TimeoutError args",
      tuple(e.args),
      "| expired:",
      cm.expired(),
      "| repr after:",
      r(cm),
      "| __cause__:",
      typeName(e.cause),
    );
  }
  print("1. current task cancelling() after:", asyncio.currentTask()!.cancelling());

  let deadline = loop.time() + 0.01;
  try {
    yield* asyncio.timeoutAt(deadline, async (c) => {
      cm = c;
      await asyncio.sleep(10);
    });
  } catch (e) {
    if (!isTimeout(e)) throw e;
    print("2. timeout_at expired:", cm.expired(), "| when()==deadline:", cm.when() === deadline);
  }

  // nested with same deadline: only the outermost raises TimeoutError
  const seen: string[] = [];
  let cm1!: asyncio.Timeout;
  let cm2!: asyncio.Timeout;
  try {
    deadline = loop.time() + 0.01;
    yield* asyncio.timeoutAt(deadline, function* (c1) {
      cm1 = c1;
      try {
        yield* asyncio.timeoutAt(deadline, async (c2) => {
          cm2 = c2;
          await asyncio.sleep(10);
        });
      } catch (e) {
        if (isCancelled(e)) seen.push("inner block saw CancelledError");
        throw e;
      }
    });
  } catch (e) {
    if (!isTimeout(e)) throw e;
    seen.push("outer raised TimeoutError");
  }
  print("3. nested same deadline:", seen, "| both expired:", cm1.expired(), cm2.expired());

  // inner timeout fires first: inner raises TimeoutError, outer untouched
  yield* asyncio.timeout(10, async (outerCm) => {
    try {
      await asyncio.timeout(0.01, async () => {
        await asyncio.sleep(10);
      });
    } catch (e) {
      if (!isTimeout(e)) throw e;
      print("4. inner TimeoutError caught; outer expired:", outerCm.expired());
    }
  });

  yield* asyncio.timeout(10, function* (c) {
    cm = c;
    yield* asyncio.sleep(0);
  });
  print("5. not expired:", cm.expired(), "| repr after exit:", r(cm));

  yield* asyncio.timeout(null, async (c) => {
    cm = c;
    print("6. timeout(None):", r(cm), "| when:", cm.when());
    await asyncio.sleep(0.01);
  });
  print("6. after: expired", cm.expired());

  for (const delay of [0, -11]) {
    try {
      yield* asyncio.timeout(delay, function* (c) {
        cm = c;
        yield* asyncio.sleep(0);
      });
      print(`7. timeout(${delay}) + sleep(0): no error`);
    } catch (e) {
      if (!isTimeout(e)) throw e;
      print(`7. timeout(${delay}) + sleep(0): TimeoutError, expired=${repr(cm.expired())}`);
    }
  }

  // timeout(0) with no await inside: body completes, no TimeoutError
  // biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
  yield* asyncio.timeout(0, function* (c) {
    cm = c;
  });
  print("8. timeout(0) without await: expired", cm.expired(), "| repr", r(cm));

  try {
    yield* asyncio.timeout(0.01, async (c) => {
      cm = c;
      throw new KeyError("k");
    });
  } catch (e) {
    if (!(e instanceof KeyError)) throw e;
    print("9. foreign exception passes, expired:", cm.expired());
  }

  async function crash(): Promise<void> {
    try {
      await asyncio.sleep(1);
    } finally {
      // biome-ignore lint/correctness/noUnsafeFinally: the point of the test
      throw new ZeroDivisionError("division by zero");
    }
  }
  try {
    yield* asyncio.timeout(0.01, async () => {
      await crash();
    });
  } catch (e) {
    if (!(e instanceof ZeroDivisionError)) throw e;
    print("10. exception during timeout-cancellation wins over TimeoutError");
  }

  async function foreignCancel(): Promise<void> {
    await asyncio.timeout(10, async () => {
      asyncio.currentTask()!.cancel();
      await asyncio.sleep(10);
    });
  }
  let t = asyncio.createTask(foreignCancel);
  try {
    yield* t;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print("11. foreign cancel -> CancelledError, task cancelled:", t.cancelled());
  }

  // reschedule
  const fut = loop.createFuture<asyncio.Timeout>();
  const d1 = loop.time() + 10;
  function* f(): asyncio.Coroutine<void> {
    yield* asyncio.timeoutAt(d1, function* (c) {
      fut.setResult(c);
      yield* asyncio.sleep(50);
    });
  }
  t = asyncio.createTask(f());
  cm = yield* fut;
  cm.reschedule(d1 + 20);
  print("12. reschedule -> when moved:", cm.when() === d1 + 20);
  cm.reschedule(null);
  print("12. reschedule(None) -> when:", cm.when(), "| repr:", r(cm));
  t.cancel();
  try {
    yield* t;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print("12. cancelled, expired:", cm.expired(), "| repr:", r(cm));
  }
  try {
    cm.reschedule(loop.time() + 1);
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("12. reschedule after exit:", e.message);
  }

  // reschedule into the past fires on the next iteration
  try {
    yield* asyncio.timeout(10, async (c) => {
      c.reschedule(loop.time() - 1);
      await asyncio.sleep(1);
    });
  } catch (e) {
    if (!isTimeout(e)) throw e;
    print("13. reschedule to the past -> TimeoutError");
  }

  // outside a task
  const cmx = new asyncio.Timeout(loop.time() + 1);
  print("14. repr before enter:", r(cmx));
  const inCallback = (): void => {
    const co = cmx.run(function* () {});
    try {
      co.next();
      print("14. no error");
    } catch (e) {
      if (!(e instanceof asyncio.RuntimeError)) throw e;
      print("14. used outside a task:", e.message);
    }
  };
  loop.callSoon(inCallback);
  yield* asyncio.sleep(0);

  // timeout cancel inside finally of another timeout
  try {
    yield* asyncio.timeout(0.01, function* () {
      try {
        yield* asyncio.sleep(1);
      } finally {
        try {
          yield* asyncio.timeout(0.01, async () => {
            await asyncio.sleep(10);
          });
        } catch (e) {
          // biome-ignore lint/correctness/noUnsafeFinally: the point of the test: the finally block runs another timeout
          if (!isTimeout(e)) throw e;
          print("15. nested timeout in finally raised its own TimeoutError");
        }
      }
    });
  } catch (e) {
    if (!isTimeout(e)) throw e;
    print("15. outer TimeoutError too");
  }
}

try {
  asyncio.timeout(1, function* () {});
} catch (e) {
  if (!(e instanceof asyncio.RuntimeError)) throw e;
  print("0. asyncio.timeout() with no running loop:", e.message);
}
await asyncio.run(main(), { loopFactory: () => new VirtualTimeLoop() });
