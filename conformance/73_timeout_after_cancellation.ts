/**
 * Twin of 73_timeout_after_cancellation.py (3.13): timeout() compares uncancel() with the
 * cancelling() count taken on entry; nested timeouts in finally; an extra cancel() while
 * expiring; lifecycle errors; a body that swallows the timeout; timeout and TaskGroup. Main is
 * a generator; bodies use both syntaxes. Python's `cm = asyncio.timeout(1)` entered later is
 * `new asyncio.Timeout(loop.time() + 1)` run with `cm.run(body)`.
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { print, repr } from "./_py.ts";

function tuple(a: unknown[]): string {
  return a.length === 1 ? `(${repr(a[0])},)` : `(${a.map((x) => repr(x)).join(", ")})`;
}

function isTimeout(e: unknown): e is asyncio.TimeoutError {
  return e instanceof asyncio.TimeoutError;
}

function isCancelled(e: unknown): e is asyncio.CancelledError {
  return e instanceof asyncio.CancelledError;
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  const me = asyncio.currentTask()!;

  // 1. the task swallowed a cancellation earlier (cancelling() stays 1): timeout still works
  me.cancel();
  try {
    yield* asyncio.sleep(0);
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print("1. swallowed a cancellation; cancelling() =", me.cancelling());
  }
  try {
    yield* asyncio.timeout(0.01, async () => {
      await asyncio.sleep(1);
    });
  } catch (e) {
    if (!isTimeout(e)) throw e;
    print("1. later timeout -> TimeoutError; cancelling() =", me.cancelling());
  }
  me.uncancel();

  // 2. timeout inside the finally of an expired timeout
  try {
    yield* asyncio.timeout(0.01, async () => {
      try {
        await asyncio.sleep(1);
      } finally {
        try {
          await asyncio.timeout(0.01, function* () {
            yield* asyncio.sleep(1);
          });
        } catch (e) {
          // biome-ignore lint/correctness/noUnsafeFinally: the point of the test: the finally block runs another timeout
          if (!isTimeout(e)) throw e;
          print("2. inner timeout in finally -> TimeoutError");
        }
      }
    });
  } catch (e) {
    if (!isTimeout(e)) throw e;
    print("2. outer -> TimeoutError; cancelling() =", me.cancelling());
  }

  // 3. an outside cancel() together with the expiry: CancelledError, not TimeoutError
  async function victim(): Promise<void> {
    await asyncio.timeout(0.01, async () => {
      try {
        await asyncio.sleep(1);
      } catch (e) {
        if (isCancelled(e)) asyncio.currentTask()!.cancel("second"); // a new request while handling ours
        throw e;
      }
    });
  }
  let t = asyncio.createTask(victim);
  try {
    yield* t;
  } catch (e) {
    if (!isCancelled(e)) throw e;
    print(
      "3. extra cancel() while expiring -> CancelledError",
      tuple(e.args),
      "| task cancelled:",
      t.cancelled(),
    );
  }
  function* victim2(): asyncio.Coroutine<void> {
    yield* asyncio.timeout(0.01, function* (cm) {
      try {
        yield* asyncio.sleep(1);
      } catch (e) {
        if (isCancelled(e)) {
          print(
            "3. inside: expired() =",
            cm.expired(),
            "| cancelling() =",
            asyncio.currentTask()!.cancelling(),
          );
        }
        throw e;
      }
    });
  }
  t = asyncio.createTask(victim2());
  yield* asyncio.sleep(0);
  const t2 = t;
  loop.callLater(0.01, () => t2.cancel("outside")); // same deadline as the timeout
  try {
    yield* t;
    print("3. no error");
  } catch (e) {
    if (isTimeout(e)) {
      print(
        "3. expiry + outside cancel in one iteration -> TimeoutError | cancelling() =",
        t.cancelling(),
      );
    } else if (isCancelled(e)) {
      print("3. expiry + outside cancel in one iteration -> CancelledError", tuple(e.args));
    } else {
      throw e;
    }
  }

  // 4. lifecycle errors
  let cm = new asyncio.Timeout(loop.time() + 1);
  try {
    cm.reschedule(5);
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("4. reschedule before entering:", e.message);
  }
  const cm0 = cm;
  yield* cm.run(async () => {
    try {
      await cm0.run(async () => {});
    } catch (e) {
      if (!(e instanceof asyncio.RuntimeError)) throw e;
      print("4. entering twice:", e.message);
    }
  });
  try {
    yield* cm.run(function* () {});
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("4. re-entering after exit:", e.message);
  }
  try {
    yield* asyncio.timeout(0, async (c) => {
      cm = c;
      try {
        await asyncio.sleep(1);
      } catch (e) {
        if (isCancelled(e)) {
          try {
            c.reschedule(loop.time() + 10);
          } catch (err) {
            if (!(err instanceof asyncio.RuntimeError)) throw err;
            print("4. reschedule while expiring:", err.message, "| expired():", c.expired());
          }
        }
        throw e;
      }
    });
  } catch (e) {
    if (!isTimeout(e)) throw e;
    print("4. repr after:", repr(cm));
  }
  cm = new asyncio.Timeout(null);
  print("4. timeout_at(None):", repr(cm), cm.when());

  // 5. the body catches the CancelledError and returns normally: no TimeoutError, still expired
  yield* asyncio.timeout(0.01, function* (c) {
    cm = c;
    try {
      yield* asyncio.sleep(1);
    } catch (e) {
      if (!isCancelled(e)) throw e;
      print("5. body swallowed the timeout's CancelledError");
    }
  });
  print(
    "5. after: expired() =",
    cm.expired(),
    "| repr:",
    repr(cm),
    "| cancelling() =",
    me.cancelling(),
  );

  // 6. timeout around a TaskGroup: children cancelled, TimeoutError outside
  const log: string[] = [];
  async function child(tag: string): Promise<void> {
    try {
      await asyncio.sleep(1);
    } catch (e) {
      if (isCancelled(e)) log.push(`${tag} cancelled`);
      throw e;
    }
  }
  try {
    yield* asyncio.timeout(0.01, () =>
      new asyncio.TaskGroup().run(function* (tg) {
        tg.createTask(() => child("c1"));
        tg.createTask(() => child("c2"));
      }),
    );
  } catch (e) {
    if (!isTimeout(e)) throw e;
    print(
      "6. TaskGroup under timeout -> TimeoutError | log (sorted):",
      log.sort(),
      "| cancelling() =",
      me.cancelling(),
    );
  }

  // 7. timeout inside a TaskGroup child: only that child times out
  async function limited(): Promise<string | undefined> {
    try {
      await asyncio.timeout(0.01, async () => {
        await asyncio.sleep(1);
      });
    } catch (e) {
      if (isTimeout(e)) return "child timed out";
      throw e;
    }
    return undefined;
  }
  let r!: asyncio.Task<string | undefined>;
  yield* new asyncio.TaskGroup().run(async (tg) => {
    r = tg.createTask(limited);
  });
  print("7.", r.result());

  // 8. rescheduling repeatedly, then exiting before the deadline
  yield* asyncio.timeout(0.05, async (c) => {
    cm = c;
    for (let i = 0; i < 3; i++) {
      c.reschedule(loop.time() + 0.05);
      await asyncio.sleep(0.03);
    }
  });
  print("8. kept alive by reschedule: expired() =", cm.expired());
}

await asyncio.run(main(), { loopFactory: () => new VirtualTimeLoop() });
