/**
 * The "node" contender: plain, idiomatic Node.js without asyncio-ts (async functions,
 * Promise.all, setImmediate, setTimeout, AbortController, net). It is the floor the
 * library's overhead is measured against.
 *
 *   node --expose-gc --import tsx bench/node/bench.ts <workload> <scale>
 */
import { once } from "node:events";
import net from "node:net";
import { benchMain, factorial, forceGc, now, PyRandom, rss } from "../lib/child.ts";
import type { Measurement, Params } from "../lib/workloads.ts";

/** One trip through the event loop: the closest thing to asyncio.sleep(0). */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- spawn
async function spawn(p: Params): Promise<Measurement> {
  const child = async (i: number): Promise<number> => {
    await new Promise(setImmediate);
    return i;
  };
  const t0 = now();
  const promises: Promise<number>[] = [];
  for (let i = 0; i < p.n; i++) promises.push(child(i));
  const results = await Promise.all(promises);
  const elapsed = now() - t0;
  let sum = 0;
  for (const r of results) sum += r;
  return { elapsed, check: sum };
}

// ---------------------------------------------------------------- pingpong
/** A minimal promise-based bounded channel (the idiomatic stand-in for Queue(maxsize)). */
class Channel<T> {
  private readonly items: T[] = [];
  private readonly getters: ((v: T) => void)[] = [];
  private readonly putters: (() => void)[] = [];
  constructor(private readonly capacity: number) {}

  async put(v: T): Promise<void> {
    while (this.items.length >= this.capacity) {
      await new Promise<void>((resolve) => this.putters.push(resolve));
    }
    const getter = this.getters.shift();
    if (getter) getter(v);
    else this.items.push(v);
  }

  async get(): Promise<T> {
    if (this.items.length > 0) {
      const v = this.items.shift()!;
      this.putters.shift()?.();
      return v;
    }
    return new Promise<T>((resolve) => this.getters.push(resolve));
  }
}

async function pingpong(p: Params): Promise<Measurement> {
  const q1 = new Channel<number>(1);
  const q2 = new Channel<number>(1);
  const ping = async (): Promise<number> => {
    let v = 0;
    for (let i = 0; i < p.n; i++) {
      await q1.put(v);
      v = await q2.get();
    }
    return v;
  };
  const pong = async (): Promise<void> => {
    for (let i = 0; i < p.n; i++) {
      const v = await q1.get();
      await q2.put(v + 1);
    }
  };
  const t0 = now();
  const [v] = await Promise.all([ping(), pong()]);
  return { elapsed: now() - t0, check: v };
}

// ---------------------------------------------------------------- callsoon
// loop.call_soon(cb) queues cb for the next loop iteration, after pending I/O callbacks
// have had their turn. setImmediate is Node's equivalent (check phase, FIFO; one
// scheduled from an immediate callback runs on the next iteration, like call_soon from
// a callback). queueMicrotask/process.nextTick are not: they run before the loop gets
// back to I/O at all, like a synchronous continuation.
// n callbacks in p.chains concurrent chains: each callback schedules the next one.
async function callsoon(p: Params): Promise<Measurement> {
  let count = 0;
  let scheduled = Math.min(p.n, p.chains);
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const cb = (): void => {
    count++;
    if (scheduled < p.n) {
      scheduled++;
      setImmediate(cb);
    } else if (count === p.n) {
      done();
    }
  };
  const t0 = now();
  for (let i = 0; i < scheduled; i++) setImmediate(cb);
  await finished;
  return { elapsed: now() - t0, check: count };
}

// ---------------------------------------------------------------- timers
// loop.call_later(delay, cb) -> setTimeout(cb, ms). Node timers have 1 ms resolution
// and keep one list per distinct duration, so (as a Node programmer would) the delay is
// passed in whole milliseconds; setTimeout(cb, 0) runs after 1 ms.
async function timers(p: Params): Promise<Measurement> {
  const rng = new PyRandom(p.seed);
  const delays: number[] = [];
  for (let i = 0; i < p.n; i++) delays.push(Math.round(rng.uniform(0, p.maxDelay) * 1000));
  let count = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const cb = (): void => {
    if (++count === p.n) done();
  };
  const t0 = now();
  for (const d of delays) setTimeout(cb, d);
  await finished;
  return { elapsed: now() - t0, check: count };
}

// ---------------------------------------------------------------- async tree
// pyperformance's bm_async_tree: gather over a tree of `levels` levels with `branches`
// branches, leaf work depending on the variant.
async function tree(p: Params): Promise<Measurement> {
  const rng = new PyRandom(p.seed);
  const cache = new Map<number, boolean>();
  let leaves = 0;
  let ioCalls = 0;
  const ioMs = p.ioSleep * 1000;
  const mockIoCall = async (): Promise<void> => {
    ioCalls++;
    await sleepMs(ioMs);
  };
  const memoized = async (): Promise<number> => {
    const data = rng.randint(1, 100);
    if (data <= p.memoizablePercentage) {
      if (cache.get(data)) return data;
      cache.set(data, true);
    }
    await mockIoCall();
    return data;
  };
  let workload: () => Promise<unknown>;
  switch (p.variant) {
    case "none":
      workload = async () => {};
      break;
    case "io":
      workload = mockIoCall;
      break;
    case "memoization":
      workload = memoized;
      break;
    case "cpu_io_mixed":
      workload = async () => {
        if (rng.random() < p.cpuProbability) return factorial(p.factorialN);
        return memoized();
      };
      break;
  }
  const recurse = async (level: number): Promise<void> => {
    if (level === 0) {
      leaves++;
      await workload();
      return;
    }
    const children: Promise<void>[] = [];
    for (let i = 0; i < p.branches; i++) children.push(recurse(level - 1));
    await Promise.all(children);
  };
  const t0 = now();
  await recurse(p.levels);
  const elapsed = now() - t0;
  return { elapsed, check: p.variant === "none" ? leaves : ioCalls };
}

// ---------------------------------------------------------------- cancel storm
// Task.cancel() on a task awaiting a Future -> AbortController.abort() on the signal the
// async function is waiting on: one controller per task, so each can be cancelled alone.
async function cancel(p: Params): Promise<Measurement> {
  const blocked = (signal: AbortSignal): Promise<void> =>
    new Promise<void>((_resolve, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
  const task = async (signal: AbortSignal): Promise<void> => {
    await blocked(signal);
  };
  const controllers: AbortController[] = [];
  const tasks: Promise<void>[] = [];
  for (let i = 0; i < p.n; i++) {
    const ac = new AbortController();
    controllers.push(ac);
    tasks.push(task(ac.signal));
  }
  await tick(); // every task is now blocked
  const t0 = now();
  for (const ac of controllers) ac.abort();
  const settled = await Promise.allSettled(tasks);
  const elapsed = now() - t0;
  let cancelled = 0;
  for (const s of settled) {
    if (s.status === "rejected" && (s.reason as Error).name === "AbortError") cancelled++;
  }
  return { elapsed, check: cancelled };
}

// ---------------------------------------------------------------- echo
async function listen(server: net.Server): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as net.AddressInfo).port;
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect({ port, host: "127.0.0.1", noDelay: true });
  await once(socket, "connect");
  return socket;
}

async function closeServer(server: net.Server): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Streams flavour: async iteration on both sides, the client awaits each echo. */
async function echoStreams(p: Params): Promise<Measurement> {
  const server = net.createServer({ noDelay: true }, async (socket) => {
    socket.on("error", () => {});
    try {
      for await (const chunk of socket) {
        if (!socket.write(chunk as Buffer)) await once(socket, "drain");
      }
      socket.end();
    } catch {
      socket.destroy(); // the client went away
    }
  });
  const port = await listen(server);
  const sockets = await Promise.all(Array.from({ length: p.clients }, () => connect(port)));
  const message = Buffer.alloc(p.size, 0x61);
  const client = async (socket: net.Socket): Promise<number> => {
    const chunks = socket[Symbol.asyncIterator]();
    let total = 0;
    for (let i = 0; i < p.n; i++) {
      if (!socket.write(message)) await once(socket, "drain");
      let got = 0;
      while (got < p.size) {
        const r = await chunks.next();
        if (r.done) throw new Error("server closed the connection");
        got += (r.value as Buffer).length;
      }
      total += got;
    }
    return total;
  };
  const t0 = now();
  const totals = await Promise.all(sockets.map(client));
  const elapsed = now() - t0;
  for (const s of sockets) s.destroy();
  await closeServer(server);
  return { elapsed, check: totals.reduce((a, b) => a + b, 0) };
}

/** Protocol flavour: plain 'data' callbacks on both sides. */
async function echoProto(p: Params): Promise<Measurement> {
  const server = net.createServer({ noDelay: true }, (socket) => {
    socket.on("error", () => {});
    socket.on("data", (data) => socket.write(data));
  });
  const port = await listen(server);
  const sockets = await Promise.all(Array.from({ length: p.clients }, () => connect(port)));
  const message = Buffer.alloc(p.size, 0x61);
  const client = (socket: net.Socket): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      let got = 0;
      let total = 0;
      let sent = 1;
      socket.on("error", reject);
      socket.on("data", (data: Buffer) => {
        got += data.length;
        if (got < p.size) return;
        total += got;
        got = 0;
        if (sent === p.n) {
          resolve(total);
        } else {
          sent++;
          socket.write(message);
        }
      });
      socket.write(message);
    });
  const t0 = now();
  const totals = await Promise.all(sockets.map(client));
  const elapsed = now() - t0;
  for (const s of sockets) s.destroy();
  await closeServer(server);
  return { elapsed, check: totals.reduce((a, b) => a + b, 0) };
}

// ---------------------------------------------------------------- memory
async function memory(p: Params): Promise<Measurement> {
  const resolvers: (() => void)[] = [];
  const futures: Promise<void>[] = [];
  const task = async (future: Promise<void>): Promise<void> => {
    await future;
  };
  const tasks: Promise<void>[] = [];
  await tick();
  forceGc();
  const before = rss();
  for (let i = 0; i < p.n; i++) {
    const future = new Promise<void>((resolve) => resolvers.push(resolve));
    futures.push(future);
    tasks.push(task(future));
  }
  await tick(); // all tasks are suspended on their future
  forceGc();
  const after = rss();
  const pending = tasks.length;
  for (const resolve of resolvers) resolve();
  await Promise.all(tasks);
  return { bytes: after - before, check: pending };
}

await benchMain({
  spawn,
  pingpong,
  callsoon,
  timers,
  tree,
  cancel,
  echo: (p) => (p.api === "streams" ? echoStreams(p) : echoProto(p)),
  memory,
});
