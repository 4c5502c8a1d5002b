/**
 * Twin of 91_executors.py: ThreadPoolExecutor (worker threads) and ProcessPoolExecutor (child
 * processes): submit, map, errors, argument checks, cancelling work that has not started,
 * shutdown, wait/asCompleted on running work, broken pools.
 *
 * The worker functions are this module's exports; the program runs only when this module is
 * the entry point (the pools' workers import it).
 */
import { threadId } from "node:worker_threads";
import * as cf from "../src/concurrent.ts";
import { ValueError } from "../src/index.ts";
import { print, repr } from "./_py.ts";

function norm(s: unknown): string {
  return String(s).replace(/0x[0-9a-f]+/g, "0x?");
}

function excStr(e: unknown): string {
  const err = e as Error & { args?: unknown[] };
  return `${err.name}(${(err.args ?? []).map((a) => norm(repr(a))).join(", ")})`;
}

async function attempt(label: string, fn: () => unknown): Promise<void> {
  try {
    const r = await fn();
    print(`${label}: returned ${norm(repr(r))}`);
  } catch (e) {
    print(`${label}: raised ${excStr(e)}`);
  }
}

function sleepSync(seconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

export function square(x: number): number {
  return x * x;
}
export function add(a: number, b: number): number {
  return a + b;
}
export function fail(x: number): number {
  if (x === 3) throw new ValueError(`bad ${x}`);
  return x;
}
export function snooze(seconds: number, value?: unknown): unknown {
  sleepSync(seconds);
  return value ?? seconds;
}
export function badInit(..._args: unknown[]): never {
  throw new Error("init failed");
}
export function die(code: number): never {
  process.exit(code);
}
export function getpid(): number {
  return process.pid;
}
export function whoami(seconds: number): string {
  sleepSync(seconds);
  return `${process.pid}:${threadId}`;
}
cf.workerFunctions(import.meta.url, { square, add, fail, snooze, badInit, die, getpid, whoami });

/** Returns once two different workers have answered at the same time. */
async function warmUp(pool: cf.PoolExecutor): Promise<void> {
  for (;;) {
    const ids = await Promise.all([pool.submit(whoami, 0.05), pool.submit(whoami, 0.05)]);
    if (ids[0] !== ids[1]) return;
  }
}

async function list<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function waitRunning(f: cf.Future<unknown>): Promise<void> {
  while (!f.running()) await new Promise((r) => setTimeout(r, 1));
}

type Pool = typeof cf.ThreadPoolExecutor | typeof cf.ProcessPoolExecutor;

async function run(kind: string, Pool: Pool): Promise<void> {
  print(`== ${kind}`);
  let ex: cf.PoolExecutor;
  {
    await using pool = new Pool({ maxWorkers: 2 });
    ex = pool;
    await warmUp(pool); // both workers started (a worker takes longer to start than a thread in CPython)
    const f = pool.submit(square, 7);
    print("submit:", await f.result(), norm(repr(f)));
    print("map:", repr(await list(pool.map(square, [0, 1, 2, 3, 4, 5]))));
    print(
      "map two iterables (shortest wins):",
      repr(await list(pool.map(add, [1, 2, 3], [10, 20]))),
    );
    print(
      "map chunksize=3:",
      repr(await list(pool.map(square, [0, 1, 2, 3, 4, 5, 6, 7], { chunksize: 3 }))),
    );
    const got: number[] = [];
    try {
      for await (const x of pool.map(fail, [0, 1, 2, 3, 4])) got.push(x);
    } catch (e) {
      print("map error after", repr(got), excStr(e));
    }
    await attempt("error from result", () => pool.submit(fail, 3).result());
    print("exception():", excStr(await pool.submit(fail, 3).exception()));
    await attempt("map chunksize=0", () => {
      const it = pool.map(square, [1], { chunksize: 0 });
      void it.return(undefined);
      return typeof it[Symbol.asyncIterator] === "function" ? "generator" : "?";
    });
    let fs = [pool.submit(snooze, 1.5, "slow"), pool.submit(snooze, 0.05, "fast")];
    const [done, notDone] = await cf.wait(fs, { returnWhen: cf.FIRST_COMPLETED });
    print("wait FIRST_COMPLETED:", repr([...done].map((x) => x.result())), notDone.size);
    const order: unknown[] = [];
    for await (const x of cf.asCompleted(fs)) order.push(x.result());
    print("as_completed:", repr(order));
    fs = [pool.submit(snooze, 0.3), pool.submit(fail, 3)];
    const [done2, notDone2] = await cf.wait(fs, { returnWhen: cf.FIRST_EXCEPTION });
    print(
      "wait FIRST_EXCEPTION:",
      repr([...done2].map((x) => excStr(x.exception()))),
      notDone2.size,
    );
    await cf.wait(fs);
  }
  await attempt("submit after shutdown", () => ex.submit(square, 1));
  await ex.shutdown();

  // cancelling work that has not started
  ex = new Pool({ maxWorkers: 1 });
  const f1 = ex.submit(snooze, 0.2, "first");
  await waitRunning(f1);
  const f2 = ex.submit(square, 5);
  const f3 = ex.submit(square, 6);
  print("cancel running:", f1.cancel(), "| cancel queued:", f2.cancel(), norm(repr(f2)));
  print("results:", await f1.result(), await f3.result(), f2.cancelled());
  const f4 = ex.submit(snooze, 0.2, "running");
  await waitRunning(f4);
  const queued = [0, 1, 2, 3].map((n) => ex.submit(square, n));
  await ex.shutdown({ wait: true, cancelFutures: true });
  print("shutdown(cancel_futures=True):", await f4.result(), queued[3]!.cancelled());
  ex = new Pool({ maxWorkers: 1 });
  const f6 = ex.submit(snooze, 0.1, "a");
  const f7 = ex.submit(snooze, 0.1, "b");
  await ex.shutdown({ wait: false });
  print("shutdown(wait=False) still runs the queue:", await f6.result(), await f7.result());

  await attempt("max_workers=0", () => new Pool({ maxWorkers: 0 }));
}

async function broken(): Promise<void> {
  print("== broken pools");
  let ex: cf.PoolExecutor = new cf.ThreadPoolExecutor({
    maxWorkers: 1,
    initializer: badInit,
    initargs: [1],
  });
  let f = ex.submit(square, 2);
  await attempt("thread initializer failed", () => f.result());
  await attempt("submit after", () => ex.submit(square, 2));
  await ex.shutdown();
  ex = new cf.ProcessPoolExecutor({ maxWorkers: 1, initializer: badInit });
  f = ex.submit(square, 2);
  await attempt("process initializer failed", () => f.result());
  await attempt("submit after", () => ex.submit(square, 2));
  await ex.shutdown();
  ex = new cf.ProcessPoolExecutor({ maxWorkers: 2 });
  const f1 = ex.submit(snooze, 3.0); // long enough for the other worker to start and die on a loaded machine
  const f2 = ex.submit(die, 3);
  await attempt("running beside the dead worker", () => f1.result());
  await attempt("the dead worker's future", () => f2.result());
  await attempt("submit after", () => ex.submit(square, 2));
  await ex.shutdown();
  await attempt(
    "max_tasks_per_child=0",
    () => new cf.ProcessPoolExecutor({ maxWorkers: 1, maxTasksPerChild: 0 }),
  );
  {
    await using pool = new cf.ProcessPoolExecutor({ maxWorkers: 1, maxTasksPerChild: 2 });
    const pids: number[] = [];
    for (let i = 0; i < 4; i++) pids.push(await pool.submit(getpid).result());
    print(
      "max_tasks_per_child=2, distinct workers:",
      new Set(pids).size,
      "pattern:",
      repr(pids.map((p) => pids.indexOf(p))),
    );
  }
}

if (cf.isMainModule(import.meta.url)) {
  cf.LOGGER.addHandler((record) =>
    print(`log ${record.name} ${record.levelname}: ${norm(record.message)}`),
  );
  await run("ThreadPoolExecutor", cf.ThreadPoolExecutor);
  await run("ProcessPoolExecutor", cf.ProcessPoolExecutor);
  await broken();
}
