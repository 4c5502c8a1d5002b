/** Twin of 284_close_suspended_primitives.py. */
// biome-ignore-all lint/suspicious/noExplicitAny: a scenario twin, written as loosely as the Python it mirrors
import * as asyncio from "../src/index.ts";
import { excStr as exc, print, repr, str } from "./_py.ts";

function state(x: unknown): string {
  if (x instanceof asyncio.Queue) return str(x);
  const r = repr(x);
  return r.slice(r.indexOf("["));
}
function start(coro: any): any {
  coro.next();
  return coro;
}
function close(label: string, coro: any, ...objs: unknown[]): void {
  try {
    const r = coro.return(undefined);
    if (!r.done) throw new asyncio.RuntimeError("coroutine ignored GeneratorExit");
    print(label, "closed:", ...objs.map(state));
  } catch (e) {
    print(label, "close raised", exc(e), ...objs.map(state));
  }
}
function* outcome(t: any, timeout = 0.05): asyncio.Coroutine<string> {
  try {
    const v = yield* asyncio.waitFor(t, timeout);
    return repr(v === undefined ? null : v);
  } catch (e) {
    return exc(e);
  }
}

function* main(): asyncio.Coroutine<void> {
  const lock = new asyncio.Lock();
  yield* lock.acquire();
  let a = start(lock.acquire());
  let t: any = asyncio.createTask(lock.acquire());
  yield* asyncio.sleep(0);
  close("lock not woken", a, lock);
  lock.release();
  print(" next:", yield* outcome(t), state(lock));
  a = start(lock.acquire());
  t = asyncio.createTask(lock.acquire());
  yield* asyncio.sleep(0);
  lock.release();
  close("lock woken", a, lock);
  print(" next:", yield* outcome(t), state(lock));

  const sem = new asyncio.Semaphore(0);
  a = start(sem.acquire());
  t = asyncio.createTask(sem.acquire());
  yield* asyncio.sleep(0);
  sem.release();
  close("sem woken", a, sem);
  print(" next:", yield* outcome(t), state(sem), sem._value);

  const ev = new asyncio.Event();
  a = start(ev.wait());
  close("event", a, ev);

  for (const notified of [false, true]) {
    const cond = new asyncio.Condition();
    yield* cond.acquire();
    a = start(cond.wait());
    function* b(): asyncio.Coroutine<string> {
      return yield* cond.run(function* () {
        yield* cond.wait();
        return "b woke";
      });
    }
    const tb = asyncio.createTask(b());
    yield* asyncio.sleep(0);
    yield* cond.acquire();
    if (notified) cond.notify(1);
    cond.release();
    close(`cond notified=${notified ? "True" : "False"}`, a, cond);
    print(" locked after close:", cond.locked());
    if (cond.locked()) cond.release();
    if (!notified) {
      yield* cond.run(() => {
        cond.notify();
      });
    }
    print(" b:", yield* outcome(tb), state(cond));
  }
  const cond = new asyncio.Condition();
  yield* cond.acquire();
  a = start(cond.waitFor(() => false));
  close("cond wait_for", a, cond);
  print(" locked:", cond.locked());

  const barrier = new asyncio.Barrier(3);
  a = start(barrier.wait());
  t = asyncio.createTask(barrier.wait());
  yield* asyncio.sleep(0);
  print("barrier before:", state(barrier), barrier._count);
  close("barrier", a, barrier, barrier._cond);
  print(" count:", barrier._count);
  const t2 = asyncio.createTask(barrier.wait());
  const t3 = asyncio.createTask(barrier.wait());
  {
    const o1 = yield* outcome(t);
    const o2 = yield* outcome(t2);
    const o3 = yield* outcome(t3);
    print(" others:", o1, o2, o3, state(barrier));
  }

  let q: any = new asyncio.Queue();
  a = start(q.get());
  t = asyncio.createTask(q.get());
  yield* asyncio.sleep(0);
  q.putNowait(1);
  close("queue get woken", a, q);
  print(" next:", yield* outcome(t), state(q));
  q = new asyncio.Queue(1);
  q.putNowait(0);
  a = start(q.put(1));
  t = asyncio.createTask(q.put(2));
  yield* asyncio.sleep(0);
  q.getNowait();
  close("queue put woken", a, q);
  print(" next:", yield* outcome(t), state(q));
  a = start(q.join());
  close("queue join", a, q, q._finished);
}

await asyncio.run(main());
