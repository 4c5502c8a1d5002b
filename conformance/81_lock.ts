/**
 * Twin of 81_lock.py: Lock reprs and errors, FIFO hand-off without barging, cancelled and
 * woken-then-cancelled waiters, the bpo-32734 races, `async with` as `lock.run()`, the loop
 * binding, iteration costs. `len(lock._waiters)` reads the internal waiter queue's length.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function state(x: unknown): string {
  const r = repr(x);
  return r.slice(r.indexOf("["));
}

function* main(): asyncio.Coroutine<asyncio.Lock> {
  const lock = new asyncio.Lock();
  print("repr:", state(lock), "| locked", lock.locked());
  try {
    lock.release();
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("release unlocked:", e.name, e);
  }
  print("acquire ->", yield* lock.acquire(), "|", state(lock));
  const waiters = [0, 1].map(() => asyncio.createTask(lock.acquire()));
  yield* asyncio.sleep(0);
  print("two waiters:", state(lock));
  lock.release();
  print("just released:", state(lock), "| locked", lock.locked());
  yield* asyncio.sleep(0);
  print(
    "first waiter ran:",
    state(lock),
    "| done",
    waiters.map((w) => w.done()),
  );
  lock.release();
  yield* asyncio.sleep(0);
  lock.release();
  print(
    "all done:",
    waiters.map((w) => w.result()),
    state(lock),
  );

  // FIFO hand-off (test_acquire)
  const result: number[] = [];
  yield* lock.acquire();
  function* c(n: number): asyncio.Coroutine<boolean> {
    if (yield* lock.acquire()) result.push(n);
    return true;
  }
  const t1 = asyncio.createTask(c(1));
  const t2 = asyncio.createTask(c(2));
  yield* asyncio.sleep(0);
  print("fifo, nobody yet:", result);
  lock.release();
  yield* asyncio.sleep(0);
  print("fifo, after 1st release:", result);
  yield* asyncio.sleep(0);
  print("fifo, one more iteration:", result);
  const t3 = asyncio.createTask(c(3));
  lock.release();
  yield* asyncio.sleep(0);
  print("fifo, after 2nd release:", result);
  lock.release();
  yield* asyncio.sleep(0);
  print("fifo, after 3rd release:", result, "| tasks done", t1.done(), t2.done(), t3.done());
  lock.release();

  // no barging: a newcomer queues behind a woken waiter that has not run yet
  const order: string[] = [];
  yield* lock.acquire();
  function* user(name: string): asyncio.Coroutine<void> {
    yield* lock.acquire();
    order.push(name);
    lock.release();
  }
  const w = asyncio.createTask(user("waiter"));
  yield* asyncio.sleep(0);
  lock.release();
  const b = asyncio.createTask(user("barger"));
  yield* w;
  yield* b;
  print("no barging:", order);

  // cancelled waiter is removed (test_acquire_cancel)
  yield* lock.acquire();
  const task = asyncio.createTask(lock.acquire());
  asyncio.getRunningLoop().callSoon(() => task.cancel());
  try {
    yield* task;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print(
      "cancelled waiter:",
      task.cancelled(),
      "| waiters",
      lock._waiters.length,
      "|",
      state(lock),
    );
  }
  lock.release();

  // woken, then cancelled before running: the next waiter gets the lock
  yield* lock.acquire();
  let tb = asyncio.createTask(lock.acquire());
  let tc = asyncio.createTask(lock.acquire());
  yield* asyncio.sleep(0);
  lock.release();
  tb.cancel();
  yield* asyncio.sleep(0);
  print(
    "woken+cancelled: tb cancelled",
    tb.cancelled(),
    "| tc done",
    tc.done(),
    "| locked",
    lock.locked(),
  );
  yield* asyncio.sleep(0);
  print("one iteration later: tc done", tc.done(), "| locked", lock.locked());
  lock.release();

  // test_finished_waiter_cancelled: a second waiter created after the first was woken
  yield* lock.acquire();
  tb = asyncio.createTask(lock.acquire());
  yield* asyncio.sleep(0);
  tc = asyncio.createTask(lock.acquire());
  tb.cancel();
  lock.release();
  yield* asyncio.sleep(0);
  print("finished waiter cancelled: locked", lock.locked(), "| tb cancelled", tb.cancelled());
  yield* tc;
  print("tc acquired:", tc.result());
  lock.release();

  // test_cancel_race: B cancelled while A releases; C still gets the lock
  function* lockit(
    _name: string,
    blocker: asyncio.Future<unknown> | null,
  ): asyncio.Coroutine<void> {
    yield* lock.acquire();
    try {
      if (blocker !== null) yield* blocker;
    } finally {
      lock.release();
    }
  }
  const fa = new asyncio.Future<unknown>();
  const ta = asyncio.createTask(lockit("A", fa));
  yield* asyncio.sleep(0);
  const lb = asyncio.createTask(lockit("B", null));
  yield* asyncio.sleep(0);
  const lc = asyncio.createTask(lockit("C", null));
  yield* asyncio.sleep(0);
  print("cancel race: waiters", lock._waiters.length);
  fa.setResult(null);
  lb.cancel();
  yield* asyncio.sleep(0);
  print(
    "cancel race: locked",
    lock.locked(),
    "| A done",
    ta.done(),
    "| B cancelled",
    lb.cancelled(),
  );
  yield* asyncio.sleep(0);
  print("cancel race: C done", lc.done(), "| locked", lock.locked());

  // test_cancel_release_race (bpo-32734): exactly one of the remaining acquirers wins
  let lockCount = 0;
  let callCount = 0;
  function* lockit2(): asyncio.Coroutine<void> {
    callCount++;
    yield* lock.acquire();
    lockCount++;
  }
  yield* lock.acquire();
  const r1 = asyncio.createTask(lockit2());
  const r2 = asyncio.createTask(lockit2());
  const r3 = asyncio.createTask(lockit2());
  yield* asyncio.sleep(0);
  asyncio.getRunningLoop().callSoon(() => {
    r1.cancel();
    lock.release();
  });
  try {
    yield* r1;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
  }
  print(
    "cancel/release race: lock_count",
    lockCount,
    "| call_count",
    callCount,
    "| t1 cancelled",
    r1.cancelled(),
    "| t2 done",
    r2.done(),
  );
  r3.cancel();
  yield* asyncio.sleep(0);
  print("t3 cancelled", r3.cancelled(), "|", state(lock));
  lock.release();

  // async with: held inside, released after, also when the body raises
  yield* lock.run(() => {
    print("in async with:", lock.locked());
  });
  print("after async with:", lock.locked());
  try {
    yield* lock.run(() => {
      throw new asyncio.ValueError("boom");
    });
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print("body raised", repr(e), "| locked", lock.locked());
  }

  // iterations: uncontended async with costs none; a hand-off costs one
  const loop = asyncio.getRunningLoop();
  const counter = { n: 0, on: false };
  function tick(): void {
    if (counter.on) {
      counter.n++;
      loop.callSoon(tick);
    }
  }
  function* measure(label: string, fn: () => asyncio.Coroutine<unknown>): asyncio.Coroutine<void> {
    counter.n = 0;
    counter.on = true;
    loop.callSoon(tick);
    yield* fn();
    counter.on = false;
    print(`${label}: ${counter.n} iterations`);
    yield* asyncio.sleep(0);
  }
  yield* measure("uncontended async with", function* () {
    yield* lock.run(() => {});
  });
  yield* measure("acquire released by call_soon(release)", function* () {
    yield* lock.acquire();
    loop.callSoon(() => lock.release());
    yield* lock.acquire();
    lock.release();
  });

  return lock;
}

const lock = await asyncio.run(main());

// a lock that has waited in one loop is bound to it
await asyncio.run(function* otherLoop(): asyncio.Coroutine<void> {
  yield* lock.acquire();
  const t = asyncio.createTask(lock.acquire());
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("other loop:", e.name, e.message.endsWith("is bound to a different event loop"));
  }
});
