/**
 * Twin of 21_queue_join_fairness.py: join()/taskDone(), FIFO getters and putters, cancelled
 * and woken-then-cancelled getters and putters lose no item and leave no stale waiter.
 * `len(q._getters)` reads the internal waiter queue's length, as the script does.
 */
import * as asyncio from "../src/index.ts";
import { print, repr, str } from "./_py.ts";

function* main(): asyncio.Coroutine<void> {
  let q = new asyncio.Queue<number>();
  try {
    q.taskDone();
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print("task_done underflow:", e.name, e);
  }
  yield* q.join();
  yield* q.join();
  print("join on empty queue returns immediately");

  // join waits for task_done per item (not for get)
  for (let i = 0; i < 3; i++) q.putNowait(i);
  const log: string[] = [];
  const q0 = q;
  function* joiner(): asyncio.Coroutine<void> {
    yield* q0.join();
    log.push("join returned");
  }
  const j = asyncio.createTask(joiner());
  for (let i = 0; i < 3; i++) q.getNowait();
  yield* asyncio.sleep(0);
  log.push(`after 3 gets, join done? ${str(j.done())}`);
  q.taskDone();
  q.taskDone();
  yield* asyncio.sleep(0);
  log.push(`after 2 task_done, join done? ${str(j.done())}`);
  q.taskDone();
  yield* asyncio.sleep(0);
  print(log);
  try {
    q.taskDone();
  } catch (e) {
    print("extra task_done:", e);
  }

  // getters are served FIFO
  q = new asyncio.Queue<number>();
  const order: [string, number][] = [];
  const q1 = q;
  function* getter(tag: string): asyncio.Coroutine<void> {
    order.push([tag, yield* q1.get()]);
  }
  const ts = ["A", "B", "C"].map((t) => asyncio.createTask(getter(t)));
  yield* asyncio.sleep(0);
  for (const v of [1, 2, 3]) q.putNowait(v);
  yield* asyncio.gather(ts);
  print("FIFO getters:", `[${order.map(([t, v]) => `(${repr(t)}, ${repr(v)})`).join(", ")}]`);

  // a cancelled getter does not swallow an item
  const qs = new asyncio.Queue<string>();
  const t1 = asyncio.createTask(qs.get());
  const t2 = asyncio.createTask(qs.get());
  yield* asyncio.sleep(0);
  t1.cancel();
  yield* asyncio.sleep(0);
  yield* qs.put("a");
  yield* asyncio.sleep(0);
  print("cancelled getter race: t1 cancelled", t1.cancelled(), "| t2 got", yield* t2);

  // put_nowait + cancel of the woken reader before it runs: item not lost
  q = new asyncio.Queue<number>();
  let reader = asyncio.createTask(q.get());
  yield* asyncio.sleep(0);
  q.putNowait(1);
  q.putNowait(2);
  reader.cancel();
  try {
    yield* reader;
    print("reader got", reader.result());
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    reader = asyncio.createTask(q.get());
    print("reader cancelled; retry got", yield* reader, "(1 not dropped)");
  }

  // putters are served FIFO; cancelled putter's item never enters the queue
  const qp = new asyncio.Queue<string>(1);
  const putA = asyncio.createTask(qp.put("a"));
  const putB = asyncio.createTask(qp.put("b"));
  const putC = asyncio.createTask(qp.put("X"));
  yield* asyncio.sleep(0);
  print("put_a done", putA.done(), "put_b done", putB.done());
  putC.cancel();
  yield* asyncio.sleep(0);
  const got1 = qp.getNowait();
  yield* asyncio.sleep(0);
  const got2 = qp.getNowait();
  yield* putB;
  print("put race:", got1, got2, "| qsize", qp.qsize(), "| put_c cancelled", putC.cancelled());

  // wait_for(get(), timeout) leaves no stale getter
  q = new asyncio.Queue<number>();
  try {
    yield* asyncio.waitFor(q.get(), 0.01);
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    print("get timed out; len(_getters) =", q._getters.length);
  }

  // cancelled put leaves no stale putter; cancel after being woken is silent
  q = new asyncio.Queue<number>(1);
  q.putNowait(1);
  const pt = asyncio.createTask(q.put(2));
  yield* asyncio.sleep(0);
  print("blocked putters:", q._putters.length);
  q.getNowait(); // wakes pt (removes its waiter)
  pt.cancel();
  try {
    yield* pt;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print(
      "cancelled woken putter -> CancelledError, qsize",
      q.qsize(),
      "putters",
      q._putters.length,
    );
  }

  // get with waiting putters
  const qw = new asyncio.Queue<string>(1);
  asyncio.createTask(qw.put("a"));
  asyncio.createTask(qw.put("b"));
  print("gets with waiting putters:", yield* qw.get(), yield* qw.get());

  // worker pattern
  q = new asyncio.Queue<number>();
  for (let i = 0; i < 10; i++) q.putNowait(i);
  let acc = 0;
  const q2 = q;
  function* worker(): asyncio.Coroutine<void> {
    for (;;) {
      const item = yield* q2.get();
      acc += item;
      q2.taskDone();
    }
  }
  const workers = [0, 1].map(() => asyncio.createTask(worker()));
  yield* q.join();
  print("join after workers:", acc);
  for (const w of workers) w.cancel();
}

await asyncio.run(main());
