/**
 * Twin of 83_queue_shutdown.py (3.13): Queue.shutdown() for the three queue classes. The
 * script's consumer loop (`while True: try: await q.get() except QueueShutDown: break`) is
 * `queue.forEach(...)` here, the generator form of `for await (const item of queue)`.
 */
import * as asyncio from "../src/index.ts";
import { print, repr, str } from "./_py.ts";

function* outcome(
  aw: asyncio.Coroutine<unknown> | asyncio.Future<unknown>,
): asyncio.Coroutine<string> {
  try {
    return repr(yield* aw);
  } catch (e) {
    return (e as Error).name;
  }
}

function outcomeNow(fn: () => unknown): string {
  try {
    return repr(fn());
  } catch (e) {
    return (e as Error).name;
  }
}

function* checkClosed(q: asyncio.Queue<string>): asyncio.Coroutine<void> {
  print(
    "  put:",
    yield* outcome(q.put("data")),
    "| put_nowait:",
    outcomeNow(() => q.putNowait("data")),
    "| get:",
    yield* outcome(q.get()),
    "| get_nowait:",
    outcomeNow(() => q.getNowait()),
  );
}

function* main(): asyncio.Coroutine<void> {
  for (const cls of [asyncio.Queue, asyncio.LifoQueue, asyncio.PriorityQueue]) {
    print(cls.name);
    let q = new cls<string>();
    q.shutdown();
    print(
      "  str after shutdown:",
      str(q),
      "| QueueShutDown is Exception",
      new asyncio.QueueShutDown() instanceof Error,
    );

    // test_shutdown_empty
    q = new cls<string>();
    const getTask = asyncio.createTask(q.get());
    yield* asyncio.sleep(0);
    print("  blocked getter:", str(q));
    q.shutdown(false);
    print("  shutdown: qsize", q.qsize(), "|", str(q), "| getter done", getTask.done());
    yield* q.join();
    yield* asyncio.sleep(0);
    print("  getter:", getTask.done(), yield* outcome(getTask));
    yield* checkClosed(q);

    // test_shutdown_nonempty
    q = new cls<string>(1);
    q.putNowait("data");
    let joinTask = asyncio.createTask(q.join());
    const putTask = asyncio.createTask(q.put("data2"));
    yield* asyncio.sleep(0);
    print("  blocked putter:", putTask.done(), str(q));
    q.shutdown(false);
    print("  shutdown: qsize", q.qsize(), "|", str(q));
    yield* asyncio.sleep(0);
    print("  putter:", putTask.done(), yield* outcome(putTask));
    print("  get:", yield* q.get());
    yield* asyncio.sleep(0);
    print("  join done", joinTask.done());
    yield* checkClosed(q);
    q.taskDone();
    yield* asyncio.sleep(0);
    print(
      "  after task_done: join done",
      joinTask.done(),
      "| extra task_done:",
      outcomeNow(() => q.taskDone()),
    );

    // test_shutdown_immediate
    q = new cls<string>();
    q.putNowait("data");
    joinTask = asyncio.createTask(q.join());
    q.shutdown(true);
    print("  immediate: qsize", q.qsize(), "|", str(q));
    yield* asyncio.sleep(0);
    print("  join done", joinTask.done());
    yield* checkClosed(q);
    print(
      "  task_done:",
      outcomeNow(() => q.taskDone()),
    );

    // test_shutdown_immediate_with_unfinished
    q = new cls<string>();
    q.putNowait("data");
    q.putNowait("data");
    joinTask = asyncio.createTask(q.join());
    print("  get:", yield* q.get());
    q.shutdown(true);
    print("  immediate with unfinished: qsize", q.qsize(), "|", str(q));
    yield* asyncio.sleep(0);
    print("  join done", joinTask.done());
    yield* checkClosed(q);
    print(
      "  task_done:",
      outcomeNow(() => q.taskDone()),
      "| again:",
      outcomeNow(() => q.taskDone()),
    );
    yield* asyncio.sleep(0);
    print("  join done", joinTask.done());
  }

  // several blocked getters and putters are all woken, in order
  const qp = new asyncio.Queue<number>(1);
  qp.putNowait(0);
  let log: string[] = [];
  function* putter(i: number): asyncio.Coroutine<void> {
    try {
      yield* qp.put(i);
      log.push(`put ${i}`);
    } catch (e) {
      if (!(e instanceof asyncio.QueueShutDown)) throw e;
      log.push(`putter ${i} shut down`);
    }
  }
  const ps = [1, 2].map((i) => asyncio.createTask(putter(i)));
  yield* asyncio.sleep(0);
  qp.shutdown();
  for (const p of ps) yield* p;
  print("putters:", log, "| get", qp.getNowait());
  const qg = new asyncio.Queue<string>();
  log = [];
  function* getter(i: number): asyncio.Coroutine<void> {
    try {
      log.push(`getter ${i} got ${yield* qg.get()}`);
    } catch (e) {
      if (!(e instanceof asyncio.QueueShutDown)) throw e;
      log.push(`getter ${i} shut down`);
    }
  }
  const gs = [1, 2, 3].map((i) => asyncio.createTask(getter(i)));
  yield* asyncio.sleep(0);
  qg.putNowait("x");
  qg.shutdown();
  for (const g of gs) yield* g;
  print("getters:", log);

  // a consumer loop that stops at shutdown, after the items left
  const q = new asyncio.Queue<number>();
  const seen: unknown[] = [];
  function* consumer(): asyncio.Coroutine<void> {
    yield* q.forEach((item) => {
      seen.push(item);
      q.taskDone();
    });
    seen.push("stop");
  }
  const c = asyncio.createTask(consumer());
  for (let i = 0; i < 3; i++) yield* q.put(i);
  yield* asyncio.sleep(0);
  q.putNowait(3);
  q.putNowait(4);
  q.shutdown();
  yield* c;
  yield* q.join();
  print("consumer saw:", seen);
}

await asyncio.run(main());
