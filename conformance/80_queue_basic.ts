/**
 * Twin of 80_queue_basic.py: queue orders, Python ordering in PriorityQueue (arrays as tuples;
 * `Job.__lt__` is the `compare` option), maxsize/full, QueueEmpty/QueueFull, blocking put, str(),
 * a failing comparison, and the iteration cost of hand-offs.
 */
import * as asyncio from "../src/index.ts";
import { print, str } from "./_py.ts";

interface Job {
  p: number;
  name: string;
}
const byPriority = { compare: (a: Job, b: Job) => a.p - b.p };

function* main(): asyncio.Coroutine<void> {
  for (const cls of [asyncio.Queue, asyncio.LifoQueue, asyncio.PriorityQueue]) {
    const q = new cls<number>();
    for (const i of [1, 3, 2]) q.putNowait(i);
    print(
      `${cls.name} order:`,
      [0, 1, 2].map(() => q.getNowait()),
      "| str",
      str(q),
    );
  }

  let pq = new asyncio.PriorityQueue<unknown[]>();
  for (const item of [
    [3, "a"],
    [1, "z"],
    [2, "b"],
    [1, "a"],
    [2, "a", 0],
    [2, "a"],
  ]) {
    pq.putNowait(item);
  }
  const tuples: unknown[] = [];
  for (let n = pq.qsize(); n > 0; n--) tuples.push(pq.getNowait());
  print("PriorityQueue tuples:", tuples);

  const jobs = new asyncio.PriorityQueue<Job>(0, byPriority);
  for (let i = 0; i < 8; i++) jobs.putNowait({ p: 0, name: `at${i}` });
  const names = () => Array.from({ length: 8 }, () => jobs.getNowait().name);
  print("equal priorities, heap order:", names());
  for (const [i, p] of [5, 1, 4, 1, 5, 9, 2, 6].entries()) jobs.putNowait({ p, name: `j${i}` });
  print("mixed priorities:", names());

  // maxsize, full(), empty(), qsize()
  let q = new asyncio.Queue<unknown>(2);
  print("maxsize", q.maxsize, "| full", q.full(), "| empty", q.empty(), "| qsize", q.qsize());
  q.putNowait(1);
  q.putNowait(2);
  print("after 2 puts: full", q.full(), "| empty", q.empty(), "| qsize", q.qsize());
  try {
    q.putNowait(3);
  } catch (e) {
    if (!(e instanceof asyncio.QueueFull)) throw e;
    print(
      "put_nowait on full:",
      e.name,
      "| args",
      e.args.length,
      "| Exception",
      e instanceof Error,
    );
  }
  q.getNowait();
  q.getNowait();
  try {
    q.getNowait();
  } catch (e) {
    if (!(e instanceof asyncio.QueueEmpty)) throw e;
    print(
      "get_nowait on empty:",
      e.name,
      "| args",
      e.args.length,
      "| Exception",
      e instanceof Error,
    );
  }
  for (const size of [0, -1]) {
    q = new asyncio.Queue(size);
    for (let i = 0; i < 100; i++) q.putNowait(i);
    print(`maxsize ${size}: 100 items, full`, q.full(), "| qsize", q.qsize());
  }
  q = new asyncio.Queue(1.3);
  q.putNowait(1);
  const full1 = q.full();
  q.putNowait(2);
  print("maxsize 1.3: full after 1", full1, "| after 2", q.full(), "| str", str(q));

  // put() blocks while the queue is full
  const qb = new asyncio.Queue<number>(2);
  const have: number[] = [];
  function* putter(): asyncio.Coroutine<void> {
    for (let i = 0; i < 3; i++) {
      yield* qb.put(i);
      have.push(i);
    }
  }
  const t = asyncio.createTask(putter());
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  print("putter has put", have, "|", str(qb));
  print("get ->", yield* qb.get(), "|", str(qb));
  yield* asyncio.sleep(0);
  print("after one get and one iteration:", have, "|", str(qb));
  yield* t;

  // str() shows waiting getters and unfinished tasks
  q = new asyncio.Queue(5);
  q.putNowait(1);
  print(str(q));
  q.getNowait();
  print(str(q));
  const getters = [0, 1].map(() => asyncio.createTask(q.get()));
  yield* asyncio.sleep(0);
  print(str(q));
  q.putNowait("x");
  print("after put_nowait (one getter popped):", str(q));
  q.putNowait("y");
  const got: unknown[] = [];
  for (const g of getters) got.push(yield* g);
  print("got", got, "|", str(q));

  // a failing comparison: TypeError, the item stays in the heap but is not counted
  const pm = new asyncio.PriorityQueue<unknown>();
  pm.putNowait(1);
  try {
    pm.putNowait("a");
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    print("TypeError:", e.message);
  }
  print("after failed put:", str(pm), "| qsize", pm.qsize());
  print("get_nowait ->", pm.getNowait(), "|", str(pm));
  for (const bad of [[1, 2], null]) {
    pq = new asyncio.PriorityQueue<unknown[]>();
    pq.putNowait([1, "a"]);
    try {
      pq.putNowait(bad as unknown[]);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      print("TypeError:", e.message);
    }
  }

  // iterations: a get() that waits costs 2 iterations when a callback puts the item
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

  const qi = new asyncio.Queue<number>();
  yield* measure("get() with an item ready", function* () {
    qi.putNowait(1);
    yield* qi.get();
  });
  yield* measure("get() released by call_soon(put_nowait)", function* () {
    loop.callSoon(() => qi.putNowait(2));
    yield* qi.get();
  });
  const q1 = new asyncio.Queue<number>(1);
  yield* measure("put() released by call_soon(get_nowait)", function* () {
    q1.putNowait(0);
    loop.callSoon(() => q1.getNowait());
    yield* q1.put(1);
  });
  yield* measure("join() released by call_soon(task_done)", function* () {
    q1.getNowait();
    q1.taskDone();
    loop.callSoon(() => q1.taskDone());
    yield* q1.join();
  });
}

await asyncio.run(main());
