/**
 * Twin of 82_semaphore.py (3.13): Semaphore and BoundedSemaphore errors, reprs, strict FIFO,
 * cancelled and woken-then-cancelled waiters, release above the initial value, and a successful
 * acquire() waking every waiter the value allows. `sem._value` and `len(sem._waiters)` read the
 * internal counter and waiter queue, as the script does; `async with sem` is `sem.run(...)`.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function state(x: unknown): string {
  const r = repr(x);
  return r.slice(r.indexOf("["));
}

/** Awaits each task in order; an error is listed by its class name. */
function* gatherAll(tasks: asyncio.Task<unknown>[]): asyncio.Coroutine<unknown[]> {
  const out: unknown[] = [];
  for (const t of tasks) {
    try {
      out.push(yield* t);
    } catch (e) {
      out.push((e as Error).name);
    }
  }
  return out;
}

function* main(): asyncio.Coroutine<void> {
  try {
    new asyncio.Semaphore(-1);
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print("Semaphore(-1):", e.name, e);
  }
  print("Semaphore(0):", new asyncio.Semaphore(0).locked(), state(new asyncio.Semaphore(0)));
  let sem = new asyncio.Semaphore();
  print("Semaphore():", state(sem), "| value", sem._value);
  print("acquire ->", yield* sem.acquire(), "|", state(sem));
  sem.release();
  print("released:", state(sem), "| locked", sem.locked());

  // test_acquire: three slots, four acquirers
  sem = new asyncio.Semaphore(3);
  let result: unknown[] = [];
  yield* sem.acquire();
  yield* sem.acquire();
  print("two acquired: locked", sem.locked(), "|", state(sem));
  const s3 = sem;
  function* c(n: number): asyncio.Coroutine<boolean> {
    yield* s3.acquire();
    result.push(n);
    return true;
  }
  const [t1, t2, t3] = [1, 2, 3].map((i) => asyncio.createTask(c(i)));
  yield* asyncio.sleep(0);
  print(
    "after one iteration:",
    result,
    "| locked",
    sem.locked(),
    "| waiters",
    sem._waiters.length,
    "| value",
    sem._value,
    "|",
    state(sem),
  );
  const t4 = asyncio.createTask(c(4));
  sem.release();
  sem.release();
  print("two releases: value", sem._value);
  yield* asyncio.sleep(0);
  print(
    "after one iteration:",
    result,
    "| waiters",
    sem._waiters.length,
    "| value",
    sem._value,
    "| done",
    [t1!, t2!, t3!, t4].map((t) => t.done()),
  );
  sem.release();
  print("all:", yield* gatherAll([t2!, t3!, t4]), result);

  // a waiter cancelled while waiting leaves no trace
  sem = new asyncio.Semaphore();
  yield* sem.acquire();
  const acq = asyncio.createTask(sem.acquire());
  asyncio.getRunningLoop().callSoon(() => acq.cancel());
  try {
    yield* acq;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("cancelled acquire: waiters", sem._waiters.length, "| value", sem._value);
  }

  // test_acquire_cancel_before_awoken
  sem = new asyncio.Semaphore(0);
  const s0 = sem;
  const ts = [0, 1, 2, 3].map(() => asyncio.createTask(s0.acquire()));
  yield* asyncio.sleep(0);
  ts[0]!.cancel();
  ts[1]!.cancel();
  sem.release();
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  print(
    "cancel before awoken: done",
    ts.map((t) => t.done()),
    "| value",
    sem._value,
  );
  ts[2]!.cancel();
  ts[3]!.cancel();
  yield* asyncio.sleep(0);

  // test_acquire_hang: the woken waiter is cancelled, the slot goes to the next one
  sem = new asyncio.Semaphore(0);
  let a1 = asyncio.createTask(sem.acquire());
  let a2 = asyncio.createTask(sem.acquire());
  yield* asyncio.sleep(0);
  a1.cancel();
  sem.release();
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  print(
    "acquire hang: locked",
    sem.locked(),
    "| t1 cancelled",
    a1.cancelled(),
    "| t2 done",
    a2.done(),
  );

  // woken, then cancelled before it ran: the slot is handed on
  sem = new asyncio.Semaphore(0);
  a1 = asyncio.createTask(sem.acquire());
  a2 = asyncio.createTask(sem.acquire());
  yield* asyncio.sleep(0);
  sem.release();
  a1.cancel();
  print("woken+cancelled: value", sem._value, "|", state(sem));
  yield* asyncio.sleep(0);
  print(
    "next iteration: t1 cancelled",
    a1.cancelled(),
    "| t2 done",
    a2.done(),
    "| value",
    sem._value,
  );
  yield* asyncio.sleep(0);
  print("one more: t2 done", a2.done(), "|", state(sem));

  // test_acquire_no_hang
  sem = new asyncio.Semaphore(1);
  const s1 = sem;
  function* c1(): asyncio.Coroutine<void> {
    yield* s1.run(function* () {
      yield* asyncio.sleep(0);
    });
    n2.cancel();
  }
  function* c2(): asyncio.Coroutine<void> {
    yield* s1.run(() => {
      print("never here");
    });
  }
  const n1 = asyncio.createTask(c1());
  const n2 = asyncio.createTask(c2());
  print("no hang:", yield* gatherAll([n1, n2]), "| locked", sem.locked(), "|", state(sem));

  // release above the initial value
  sem = new asyncio.Semaphore(1);
  sem.release();
  print("Semaphore released twice: value", sem._value, "|", state(sem));
  const bsem = new asyncio.BoundedSemaphore();
  try {
    bsem.release();
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print("BoundedSemaphore:", e.name, e);
  }
  yield* bsem.acquire();
  bsem.release();
  print(
    "BoundedSemaphore acquire+release:",
    state(bsem),
    "| is Semaphore",
    bsem instanceof asyncio.Semaphore,
  );

  // test_acquire_fifo_order
  sem = new asyncio.Semaphore(1);
  const sf = sem;
  result = [];
  function* coro(tag: string): asyncio.Coroutine<void> {
    yield* sf.acquire();
    result.push(`${tag}_1`);
    yield* asyncio.sleep(0.01);
    sf.release();
    yield* sf.acquire();
    result.push(`${tag}_2`);
    yield* asyncio.sleep(0.01);
    sf.release();
  }
  yield* gatherAll([1, 2, 3].map((i) => asyncio.createTask(coro(`c${i}`))));
  print("fifo order:", result);

  // test_acquire_fifo_order_2
  sem = new asyncio.Semaphore(1);
  const s2 = sem;
  result = [];
  function* f1(): asyncio.Coroutine<boolean> {
    yield* s2.acquire();
    result.push(1);
    return true;
  }
  function* f2(): asyncio.Coroutine<boolean> {
    yield* s2.acquire();
    result.push(2);
    s2.release();
    yield* s2.acquire();
    result.push(4);
    return true;
  }
  function* f3(): asyncio.Coroutine<boolean> {
    yield* s2.acquire();
    result.push(3);
    return true;
  }
  let tasks: asyncio.Task<unknown>[] = [f1, f2, f3].map((f) => asyncio.createTask(f()));
  yield* asyncio.sleep(0);
  sem.release();
  sem.release();
  yield* gatherAll(tasks);
  print("fifo order 2:", result);

  // test_acquire_fifo_order_3
  sem = new asyncio.Semaphore(0);
  const sg = sem;
  result = [];
  function* g(n: number): asyncio.Coroutine<boolean> {
    yield* sg.acquire();
    result.push(n);
    return true;
  }
  tasks = [1, 2, 3].map((i) => asyncio.createTask(g(i)));
  yield* asyncio.sleep(0);
  tasks[0]!.cancel();
  yield* asyncio.sleep(0);
  sem.release();
  sem.release();
  print("fifo order 3:", yield* gatherAll(tasks), result);

  // test_acquire_fifo_order_4: a successful acquire() wakes every waiter the value allows
  sem = new asyncio.Semaphore(0);
  const sh = sem;
  result = [];
  let h4task: asyncio.Task<unknown> | null = null;
  function* h1(): asyncio.Coroutine<boolean> {
    result.push(`h1 starts, value ${sh._value}`);
    yield* sh.acquire();
    result.push(`h1 acquired, value ${sh._value}`);
    h4task = asyncio.createTask(h4());
    result.push(1);
    return true;
  }
  function* h2(): asyncio.Coroutine<boolean> {
    sh.release();
    sh.release();
    sh.release();
    result.push(`h2 released 3, value ${sh._value}, locked ${sh.locked() ? "True" : "False"}`);
    yield* sh.acquire();
    result.push(2);
    return true;
  }
  function* h3(): asyncio.Coroutine<boolean> {
    yield* sh.acquire();
    result.push(`h3 acquired, locked ${sh.locked() ? "True" : "False"}`);
    result.push(3);
    return true;
  }
  // biome-ignore lint/correctness/useYield: the twin of an `async def` without an await
  function* h4(): asyncio.Coroutine<boolean> {
    result.push(4);
    return true;
  }
  tasks = [h1, h2, h3].map((f) => asyncio.createTask(f()));
  yield* asyncio.sleep(0);
  print("fifo order 4, after one iteration: value", sem._value, "| waiters", sem._waiters.length);
  yield* asyncio.sleep(0);
  yield* gatherAll([...tasks, h4task!]);
  print("fifo order 4:", result);
}

await asyncio.run(main());
