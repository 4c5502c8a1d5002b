/**
 * Twin of 85_condition_cancel.py (3.13): Condition.wait() and cancellation races, reprs, and
 * primitives bound to another loop (`x._loop = other`, as the script does).
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function state(x: unknown): string {
  const r = repr(x);
  return r.slice(r.indexOf("["));
}

function tuple(args: unknown[]): string {
  return `(${args.map((a) => repr(a)).join(", ")}${args.length === 1 ? "," : ""})`;
}

function* main(): asyncio.Coroutine<boolean> {
  let cond = new asyncio.Condition();
  print("repr:", state(cond));
  yield* cond.acquire();
  print("acquired:", state(cond));
  const w = asyncio.createTask(cond.wait());
  yield* asyncio.sleep(0);
  print("one waiter:", state(cond), "| lock", state(cond._lock));
  w.cancel();
  yield* asyncio.sleep(0);
  print("cancelled waiter holds the lock:", state(cond), "| cancelled", w.cancelled());
  cond.release();

  const ev = new asyncio.Event();
  const ew = asyncio.createTask(ev.wait());
  yield* asyncio.sleep(0);
  print("Event:", state(ev));
  ev.set();
  print("Event set:", state(ev));
  yield* ew;
  print("Event waiter done:", state(ev));

  // test_wait_cancel_contested: notified, lock contested, cancel arrives too late to matter
  yield* cond.acquire();
  const waitTask = asyncio.createTask(cond.wait());
  yield* asyncio.sleep(0);
  print("contested: locked while waiting", cond.locked());
  yield* cond.acquire();
  cond.notify();
  const loop = asyncio.getRunningLoop();
  const c0 = cond;
  loop.callSoon(() => waitTask.cancel());
  loop.callSoon(() => c0.release());
  try {
    print("contested: wait() ->", yield* waitTask);
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("contested: cancelled");
  }
  print("contested: locked", cond.locked());
  cond.release();

  // test_wait_cancel_after_notify (bpo-32841)
  let waited = false;
  function* waitOnCond(): asyncio.Coroutine<void> {
    yield* c0.run(function* () {
      waited = true;
      yield* c0.wait();
    });
  }
  const waiter = asyncio.createTask(waitOnCond());
  yield* asyncio.sleep(0);
  yield* cond.acquire();
  cond.notify();
  yield* asyncio.sleep(0);
  waiter.cancel();
  yield* asyncio.sleep(0);
  cond.release();
  yield* asyncio.sleep(0);
  print(
    "cancel after notify: cancelled",
    waiter.cancelled(),
    "| waited",
    waited,
    "| locked",
    cond.locked(),
  );

  // test_cancelled_error_wakeup / test_cancelled_error_re_aquire: the same CancelledError
  for (const phase of ["waiting", "re-acquiring"]) {
    let wake = false;
    let raised: unknown = null;
    const cp = new asyncio.Condition();
    cond = cp;
    function* func(): asyncio.Coroutine<void> {
      yield* cp.run(function* () {
        try {
          yield* cp.waitFor(() => wake);
        } catch (e) {
          if (e instanceof asyncio.CancelledError) raised = e;
          throw e;
        }
      });
    }
    const task = asyncio.createTask(func());
    yield* asyncio.sleep(0);
    if (phase === "re-acquiring") {
      yield* cp.acquire();
      wake = true;
      cp.notify();
      yield* asyncio.sleep(0);
      task.cancel("foo");
      cp.release();
    } else {
      task.cancel("foo");
    }
    try {
      yield* task;
    } catch (e) {
      if (!(e instanceof asyncio.CancelledError)) throw e;
      print(
        `cancelled while ${phase}: args`,
        tuple(e.args),
        "| same instance",
        e === raised,
        "| locked",
        cp.locked(),
      );
    }
  }

  // test_cancelled_wakeup / test_cancelled_wakeup_relock: no lost wake-up
  for (const relock of [false, true]) {
    const condition = new asyncio.Condition();
    let st = 0;
    const log: string[] = [];
    function* consumer(k: number): asyncio.Coroutine<void> {
      try {
        yield* condition.run(function* () {
          for (;;) {
            yield* condition.waitFor(() => st !== 0);
            if (st < 0) {
              log.push(`c${k} exits`);
              return;
            }
            st -= 1;
            log.push(`c${k} consumed`);
          }
        });
      } catch (e) {
        if (e instanceof asyncio.CancelledError) log.push(`c${k} cancelled`);
        throw e;
      }
    }
    const c = [0, 1].map((k) => asyncio.createTask(consumer(k)));
    yield* asyncio.sleep(0);
    yield* condition.run(function* () {
      st += 1;
      condition.notify(1);
      if (relock) yield* asyncio.sleep(0);
      c[0]!.cancel();
      try {
        yield* asyncio.timeout(0.01, function* () {
          yield* condition.waitFor(() => st === 0);
        });
      } catch (e) {
        if (!(e instanceof asyncio.TimeoutError)) throw e;
        log.push("timed out");
      }
      log.push(`state ${st}`);
      st = -1;
      condition.notifyAll();
    });
    yield* c[1]!;
    print(relock ? "relock" : "wakeup", "cancelled as notified:", log);
  }

  // notify() skips a waiter whose wait was cancelled but has not run yet
  const cn = new asyncio.Condition();
  const got: number[] = [];
  function* w2(k: number): asyncio.Coroutine<void> {
    yield* cn.run(function* () {
      yield* cn.wait();
      got.push(k);
    });
  }
  const ws = [0, 1, 2].map((k) => asyncio.createTask(w2(k)));
  yield* asyncio.sleep(0);
  ws[0]!.cancel();
  yield* cn.run(() => {
    cn.notify(1);
  });
  for (const t of ws.slice(0, 2)) {
    try {
      yield* t;
    } catch (e) {
      if (!(e instanceof asyncio.CancelledError)) throw e;
    }
  }
  print(
    "notify skips the cancelled waiter, whose exit notifies the next:",
    got,
    "| cancelled",
    ws.map((t) => t.cancelled()),
    "|",
    state(cn),
  );
  yield* cn.run(() => {
    cn.notifyAll();
  });
  yield* ws[2]!;

  return true;
}

await asyncio.run(main());

await asyncio.run(function* ambiguousLoops(): asyncio.Coroutine<void> {
  const other = asyncio.newEventLoop();
  let lock = new asyncio.Lock();
  lock._loop = other;
  yield* lock.run(function* () {
    const cond = new asyncio.Condition(lock);
    try {
      yield* cond.acquire();
    } catch (e) {
      if (!(e instanceof asyncio.RuntimeError)) throw e;
      print("lock of another loop:", e.message.endsWith("is bound to a different event loop"));
    }
  });
  lock = new asyncio.Lock();
  const l2 = lock;
  yield* lock.run(function* () {
    const cond = new asyncio.Condition(l2);
    cond._loop = other;
    try {
      yield* cond.wait();
    } catch (e) {
      if (!(e instanceof asyncio.RuntimeError)) throw e;
      print(
        "condition of another loop:",
        e.message.endsWith("is bound to a different event loop"),
        "| locked",
        l2.locked(),
      );
    }
  });
  other.close();
});
