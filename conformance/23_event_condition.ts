/**
 * Twin of 23_event_condition.py: Event wake order and set/clear, Condition wait/notify/waitFor,
 * errors without the lock, re-acquiring the lock when a wait is cancelled. `len(x._waiters)`
 * reads the internal waiter queue's length, as the script does; `async with cond:` is
 * `cond.run(...)`.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function* main(): asyncio.Coroutine<void> {
  const ev = new asyncio.Event();
  print(
    "Event repr state:",
    repr(ev)
      .split("[")[1]!
      .replace(/[\]>]+$/, ""),
    "| is_set",
    ev.isSet(),
  );
  let result: number[] = [];
  function* c(tag: number): asyncio.Coroutine<void> {
    if (yield* ev.wait()) result.push(tag);
  }
  asyncio.createTask(c(1));
  asyncio.createTask(c(2));
  yield* asyncio.sleep(0);
  asyncio.createTask(c(3)); // not started yet when set() is called
  ev.set();
  yield* asyncio.sleep(0);
  print("wake order (t3 not yet waiting):", result);
  print("wait() on set event returns:", yield* ev.wait());

  // set(); clear() before waiters run: waiters still wake (their futures were resolved)
  const ev2 = new asyncio.Event();
  const res2: boolean[] = [];
  function* c2(): asyncio.Coroutine<void> {
    res2.push(yield* ev2.wait());
  }
  asyncio.createTask(c2());
  yield* asyncio.sleep(0);
  ev2.set();
  ev2.clear();
  print("after set+clear: is_set", ev2.isSet(), "| waiters", ev2._waiters.length);
  ev2.set();
  ev2.set();
  yield* asyncio.sleep(0);
  print("waiter got", res2, "| waiters now", ev2._waiters.length);

  // cancelled waiter removed
  const ev3 = new asyncio.Event();
  const w = asyncio.createTask(ev3.wait());
  asyncio.getRunningLoop().callSoon(() => w.cancel());
  try {
    yield* w;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("cancelled Event.wait: waiters", ev3._waiters.length);
  }

  // ---- Condition ----
  const cond = new asyncio.Condition();
  try {
    yield* cond.wait();
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("wait unacquired:", e);
  }
  for (const name of ["notify", "notify_all"] as const) {
    try {
      if (name === "notify") cond.notify();
      else cond.notifyAll();
    } catch (e) {
      if (!(e instanceof asyncio.RuntimeError)) throw e;
      print(`${name} unacquired:`, e);
    }
  }

  result = [];
  function* cw(tag: number): asyncio.Coroutine<boolean> {
    yield* cond.acquire();
    if (yield* cond.wait()) {
      result.push(tag);
      cond.release();
    }
    return true;
  }
  let ts = [1, 2, 3].map((i) => asyncio.createTask(cw(i)));
  yield* asyncio.sleep(0);
  print("waiting; cond.locked()", cond.locked());
  yield* cond.acquire();
  cond.notify(1);
  cond.release();
  yield* asyncio.sleep(0);
  print("notify(1):", result);
  yield* cond.acquire();
  cond.notify(1);
  cond.notify(2048);
  cond.release();
  yield* asyncio.sleep(0);
  print("notify(1)+notify(2048):", result);

  // notify while still holding the lock: waiter cannot proceed until release
  result.length = 0;
  ts = [4, 5].map((i) => asyncio.createTask(cw(i)));
  yield* asyncio.sleep(0);
  yield* cond.acquire();
  cond.notifyAll();
  yield* asyncio.sleep(0);
  print("notified but lock held:", result);
  cond.release();
  yield* asyncio.sleep(0);
  print("after release:", result);
  yield* asyncio.gather(ts);

  // wait_for predicate
  let flag: unknown = false;
  const res: unknown[] = [];
  function* wf(): asyncio.Coroutine<void> {
    yield* cond.run(function* () {
      res.push(yield* cond.waitFor(() => flag));
    });
  }
  const t = asyncio.createTask(wf());
  yield* asyncio.sleep(0);
  yield* cond.run(() => {
    cond.notify();
  });
  yield* asyncio.sleep(0);
  print("predicate false after notify:", res);
  flag = "truthy";
  yield* cond.run(() => {
    cond.notify();
  });
  yield* t;
  print("wait_for returns predicate value:", res);
  print("wait_for unacquired, predicate already true:", yield* cond.waitFor(() => [1, 2, 3]));
  try {
    yield* cond.waitFor(() => false);
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("wait_for unacquired, predicate false:", e);
  }

  // cancelled wait re-acquires the lock before raising
  yield* cond.acquire();
  const wt = asyncio.createTask(cond.wait());
  asyncio.getRunningLoop().callSoon(() => wt.cancel());
  try {
    yield* wt;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print(
      "cancelled cond.wait(): waiters",
      cond._waiters.length,
      "| lock re-acquired by the waiter:",
      cond.locked(),
    );
  }
  cond.release();

  // wait_for(cond.wait(), timeout) inside the lock: lock is held again when TimeoutError arrives
  yield* cond.run(function* () {
    try {
      yield* asyncio.waitFor(cond.wait(), 0.01);
    } catch (e) {
      if (!(e instanceof asyncio.TimeoutError)) throw e;
      print("timeout in block: TimeoutError, still locked", cond.locked());
    }
  });

  // explicit shared lock
  const lock = new asyncio.Lock();
  const c2_ = new asyncio.Condition(lock);
  yield* c2_.run(() => {
    print("Condition(lock): lock.locked()", lock.locked());
  });
  try {
    yield* c2_.wait();
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("explicit-lock cond wait unacquired:", e);
  }
}

await asyncio.run(main());
