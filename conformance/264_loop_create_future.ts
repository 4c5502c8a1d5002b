/** Twin of 264_loop_create_future.py: the Futures asyncio makes come from loop.createFuture(). */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

type C<T = unknown> = asyncio.Coroutine<T>;
const counts: Record<string, number> = {};
const bump = (k: string) => {
  counts[k] = (counts[k] ?? 0) + 1;
};

class MyFuture<T> extends asyncio.Future<T> {}
class MyTask<T> extends asyncio.Task<T> {}

class MyLoop extends asyncio.EventLoop {
  override createFuture<T>(): asyncio.Future<T> {
    bump("create_future");
    return new MyFuture<T>({ loop: this });
  }
  override createTask<T>(
    coro: Parameters<asyncio.EventLoop["createTask"]>[0],
    opts?: asyncio.TaskOptions,
  ): asyncio.Task<T> {
    bump("create_task");
    return super.createTask(coro, opts) as asyncio.Task<T>;
  }
}
function flush(label: string) {
  const keys = Object.keys(counts).sort();
  print(label, `{${keys.map((k) => `'${k}': ${counts[k]}`).join(", ")}}`);
  for (const k of keys) delete counts[k];
}
function* child<T>(x: T): C<T> {
  yield* asyncio.sleep(0);
  return x;
}

function* main(): C<void> {
  const loop = asyncio.getRunningLoop();
  print("loop type:", loop.constructor.name, loop instanceof asyncio.AbstractEventLoop);
  flush("start");
  yield* asyncio.sleep(0);
  flush("sleep(0)");
  yield* asyncio.sleep(0.001);
  flush("sleep(0.001)");
  let t: asyncio.Task<number> = asyncio.createTask(child(1));
  flush("create_task");
  yield* t;
  flush("await task");
  print(yield* asyncio.gather([child(1), child(2)]));
  flush("gather(2 coros)");
  print(yield* asyncio.gather([]));
  flush("gather()");
  yield* asyncio.waitFor(child(3), 1);
  flush("wait_for");
  yield* asyncio.timeout(1, function* () {
    yield* child(4);
  });
  flush("timeout");
  yield* asyncio.wait([asyncio.ensureFuture(child(5))]);
  flush("wait");
  yield* asyncio.shield(child(6));
  flush("shield");
  const q = new asyncio.Queue<number>();
  loop.callSoon(() => q.putNowait(1));
  yield* q.get();
  flush("queue.get blocking");
  const lock = new asyncio.Lock();
  yield* lock.acquire();
  loop.callSoon(() => lock.release());
  yield* lock.acquire();
  flush("lock contention");
  const ev = new asyncio.Event();
  loop.callSoon(() => ev.set());
  yield* ev.wait();
  flush("event.wait");
  // biome-ignore lint/correctness/useYield: an `async with` body without an await
  yield* new asyncio.TaskGroup().run(function* (tg) {
    tg.createTask(child(7));
  });
  flush("taskgroup");
  for (const f of asyncio.asCompleted([child(8)])) yield* f;
  flush("as_completed");
  const ctx = asyncio.copyContext();
  t = new MyTask(child(9), { loop, name: "custom", context: ctx });
  print("MyTask:", t.getName(), t.getContext() === ctx, asyncio.allTasks().has(t), yield* t);
  flush("MyTask");
  const f = new asyncio.Future({ loop });
  print("Future(loop=) get_loop:", f.getLoop() === loop);
  f.cancel();
}
await asyncio.run(main(), { loopFactory: () => new MyLoop() });

const loop = asyncio.newEventLoop();
// biome-ignore lint/correctness/useYield: an `async def` without an await
function* who(): C<string> {
  return `('${asyncio.currentTask()!.constructor.name}', '${asyncio.currentTask()!.getName()}')`;
}
const t = new asyncio.Task(who(), { loop, name: "pre" });
print("before run:", t.getLoop() === loop, asyncio.allTasks(loop).has(t), t.done());
print(await loop.runUntilComplete(t));
loop.setTaskFactory((l, c, kw) => new MyTask(c, { loop: l, ...(kw ?? {}) }));
print(await loop.runUntilComplete(who()));
loop.close();
