/**
 * Twin of 220_executor_edges.py: argument checks, map() with a timeout, result(timeout) on a
 * pending future, wait()/asCompleted() running out of time, shutdown(wait=False,
 * cancelFutures=True), a failing initializer with queued work, errors with several args.
 *
 * The worker functions are this module's exports; a gate is a SharedArrayBuffer slot (shared
 * between threads) that the main thread opens with Atomics.
 */
import * as cf from "../src/concurrent.ts";
import { ExceptionGroup, ValueError } from "../src/index.ts";
import { excStr, print, repr, str } from "./_py.ts";

async function attempt(label: string, fn: () => unknown): Promise<void> {
  try {
    const r = await fn();
    print(`${label}: returned ${repr(r)}`);
  } catch (e) {
    print(`${label}: raised ${excStr(e)}`);
  }
}

export function square(x: number): number {
  return x * x;
}
export function badInit(): never {
  throw new Error("init failed");
}
/** Records that it ran (slot 0 counts, slots 4.. keep the gates' names), waits for its gate. */
export function block(shared: SharedArrayBuffer, gate: number): string {
  const cells = new Int32Array(shared);
  const n = Atomics.add(cells, 0, 1);
  Atomics.store(cells, 4 + n, gate);
  Atomics.wait(cells, gate, 0, 5000);
  return gate === 1 ? "gate" : "gate2";
}
export function multi(): never {
  throw new ValueError("a", 2);
}
class AppError extends Error {
  args: unknown[];
  constructor(...args: unknown[]) {
    super(String(args[0]));
    this.name = "AppError";
    this.args = args;
  }
}
export function apperr(): never {
  throw new AppError("x", 1);
}
export function grp(): never {
  throw new ExceptionGroup("many", [new ValueError("v"), new TypeError("t")]);
}
cf.workerFunctions(import.meta.url, { square, badInit, block, multi, apperr, grp });

function open(shared: SharedArrayBuffer, gate: number): void {
  const cells = new Int32Array(shared);
  Atomics.store(cells, gate, 1);
  Atomics.notify(cells, gate);
}

function ran(shared: SharedArrayBuffer): string[] {
  const cells = new Int32Array(shared);
  const out: string[] = [];
  for (let i = 0; i < Atomics.load(cells, 0); i++) out.push(cells[4 + i] === 1 ? "gate" : "gate2");
  return out;
}

if (cf.isMainModule(import.meta.url)) {
  cf.LOGGER.addHandler((record) =>
    print(`log ${record.name} ${record.levelname}: ${record.message}`),
  );
  await attempt("Thread max_workers=-1", () => new cf.ThreadPoolExecutor({ maxWorkers: -1 }));
  await attempt("Process max_workers=-1", () => new cf.ProcessPoolExecutor({ maxWorkers: -1 }));
  await attempt(
    "Thread initializer=5",
    () => new cf.ThreadPoolExecutor({ maxWorkers: 1, initializer: 5 as never }),
  );
  await attempt(
    "Process initializer=5",
    () => new cf.ProcessPoolExecutor({ maxWorkers: 1, initializer: 5 as never }),
  );
  {
    await using ex = new cf.ProcessPoolExecutor({ maxWorkers: 1 });
    await attempt("Process map chunksize=0", () => ex.map(square, [1], { chunksize: 0 }));
    await attempt("Process map chunksize=-1", () => ex.map(square, [1], { chunksize: -1 }));
  }

  let shared = new SharedArrayBuffer(64);
  let ex = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
  await ex.submit(square, 0).result(); // the worker has started (a thread takes longer to start than in CPython)
  const it = ex.map(block, [shared, shared, shared], [1, 2, 2], { timeout: 0.2 });
  try {
    await it.next();
  } catch (e) {
    print("map timeout:", excStr(e));
  }
  open(shared, 1);
  open(shared, 2);
  await ex.shutdown({ wait: true });
  print("calls that ran:", repr(ran(shared)));

  shared = new SharedArrayBuffer(64);
  ex = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
  await ex.submit(square, 0).result();
  const running = ex.submit(block, shared, 1);
  while (!running.running()) await new Promise((r) => setTimeout(r, 1));
  const queued = [0, 1, 2].map((n) => ex.submit(square, n));
  await attempt("result(timeout=0.05) pending", () => queued[0]!.result(0.05));
  await attempt("exception(timeout=0.05) pending", () => queued[0]!.exception(0.05));
  const [done, notDone] = await cf.wait([running, ...queued], { timeout: 0.05 });
  print("wait timeout:", done.size, notDone.size);
  const fDone = new cf.Future<number>();
  fDone.setResult(1);
  const got: unknown[] = [];
  try {
    for await (const f of cf.asCompleted([fDone, running, queued[0]!], {
      timeout: 0.05,
    })) {
      got.push(f.result());
    }
  } catch (e) {
    print("as_completed timeout:", repr(got), excStr(e));
  }
  await ex.shutdown({ wait: false, cancelFutures: true });
  print(
    "after shutdown(wait=False, cancel_futures=True):",
    queued.map((f) => `${str(f.cancelled())}/${str(f.done())}`).join(" "),
    running.running(),
  );
  await attempt("submit after shutdown", () => ex.submit(square, 1));
  open(shared, 1);
  print("running one finishes:", await running.result());

  ex = new cf.ThreadPoolExecutor({ maxWorkers: 1, initializer: badInit });
  const fs = [0, 1, 2].map((n) => ex.submit(square, n));
  for (const f of fs) await attempt("queued on broken pool", () => f.result());
  await attempt("submit on broken pool", () => ex.submit(square, 1));
  await ex.shutdown();

  for (const Pool of [cf.ThreadPoolExecutor, cf.ProcessPoolExecutor]) {
    await using pool = new Pool({ maxWorkers: 1 });
    for (const fn of [multi, apperr]) {
      const e = await pool.submit(fn).exception();
      print(Pool.name, fn.name, excStr(e), str(e));
    }
    const e = (await pool.submit(grp).exception()) as ExceptionGroup;
    print(Pool.name, "group", e.name, str(e), repr(e.exceptions.map((x) => excStr(x))));
  }
}
