/**
 * Twin of 323_async_overrides.py: library methods that call an overridable method (a lock's
 * acquire() from run() and Condition.wait(), Condition.wait() from waitFor(), StreamReader's
 * readuntil/readline/read, a queue's get() from async iteration, toThread()'s
 * loop.runInExecutor()) await what a subclass's
 * override returns: an `async` override works, a non-awaitable result is a TypeError.
 * (TypeScript rejects such overrides, whose return type is not the coroutine's: JavaScript
 * callers and `as` casts can still make them.)
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

class L extends asyncio.Lock {
  // @ts-expect-error an `async` override returns a Promise, not an AwaitableCoroutine
  override async acquire() {
    print("L.acquire");
    return await super.acquire();
  }
}

class C extends asyncio.Condition {
  // @ts-expect-error as above
  override async wait() {
    print("C.wait");
    return await super.wait();
  }
}

class S extends asyncio.Semaphore {
  // @ts-expect-error as above
  override async acquire() {
    print("S.acquire");
    return await super.acquire();
  }
}

class Q<T> extends asyncio.Queue<T> {
  // @ts-expect-error as above
  override async get() {
    const v = await super.get();
    print("Q.get", v);
    return v;
  }
}

class R extends asyncio.StreamReader {
  // @ts-expect-error as above
  override async readuntil(separator: Uint8Array = Buffer.from("\n")) {
    print("R.readuntil", separator);
    return await super.readuntil(separator);
  }
  // @ts-expect-error as above
  override async readline() {
    print("R.readline");
    return await super.readline();
  }
  // @ts-expect-error as above
  override async read(n = -1) {
    print("R.read", n);
    return await super.read(n);
  }
}

class Bad extends asyncio.Lock {
  // @ts-expect-error not awaitable at all
  override acquire() {
    return true;
  }
}

async function main() {
  const lock = new L();
  await lock.run(async () => print("in lock", lock.locked()));

  const cond = new asyncio.Condition(lock as unknown as asyncio.Lock);
  const notifier = () => cond.run(async () => cond.notifyAll());
  let t!: asyncio.Task<unknown>;
  await cond.run(async () => {
    t = asyncio.createTask(notifier);
    print("wait", await cond.wait());
  });
  await t;

  const c2 = new C();
  const flag: number[] = [];
  const setter = async () => {
    await asyncio.sleep(0);
    await c2.run(async () => {
      flag.push(1);
      c2.notifyAll();
    });
  };
  await c2.run(async () => {
    t = asyncio.createTask(setter);
    print("wait_for", await c2.waitFor(() => flag));
  });
  await t;

  const s = new S(1);
  await s.run(async () => print("in sem", s.locked()));

  const q = new Q<number>();
  for (let i = 0; i < 2; i++) q.putNowait(i);
  q.shutdown();
  for await (const v of q) print("item", v);

  const r = new R({ limit: 4 });
  r.feedData(Buffer.from("ab\ncd\nef"));
  r.feedEof();
  print("readline", await r.readline());
  print("anext", (await r[Symbol.asyncIterator]().next()).value);
  print("read", await r.read(-1));

  try {
    await new Bad().run(async () => print("not reached"));
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    print("TypeError", e.message);
  }
}

await asyncio.run(main);

class MyLoop extends asyncio.EventLoop {
  // @ts-expect-error as above
  override async runInExecutor(...args: Parameters<asyncio.EventLoop["runInExecutor"]>) {
    print("MyLoop.run_in_executor");
    return await super.runInExecutor(...args);
  }
}

await asyncio.run(
  async () =>
    print(
      "to_thread",
      await asyncio.toThread((xs: number[]) => xs.reduce((a, b) => a + b, 0), [1, 2, 3]),
    ),
  { loopFactory: () => new MyLoop() as unknown as asyncio.EventLoop },
);
