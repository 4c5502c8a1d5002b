/**
 * Twin of 84_barrier.py, written with `async` functions (the other lock twins use generator
 * coroutines): Barrier states, indices, cancellation, reset() and abort() step for step.
 * `barrier._count` reads the internal count of tasks inside wait(), as the script does.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const N = 5;

function state(x: unknown): string {
  const r = repr(x);
  return r.slice(r.indexOf("["));
}

/** Awaits each task in order; an error is listed by its class name. */
async function gatherAll(tasks: asyncio.Task<unknown>[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const t of tasks) {
    try {
      out.push(await t);
    } catch (e) {
      out.push((e as Error).name);
    }
  }
  return out;
}

function spawn<T>(fn: () => Promise<T>): asyncio.Task<T> {
  return asyncio.createTask(fn);
}

async function main(): Promise<void> {
  for (const p of [0, -4]) {
    try {
      new asyncio.Barrier(p);
    } catch (e) {
      if (!(e instanceof asyncio.ValueError)) throw e;
      print(`Barrier(${p}):`, e.name, e);
    }
  }
  print(
    "BrokenBarrierError is RuntimeError:",
    new asyncio.BrokenBarrierError() instanceof asyncio.RuntimeError,
  );

  // test_repr flow
  let barrier = new asyncio.Barrier(N);
  print(
    "new:",
    state(barrier),
    "| parties",
    barrier.parties,
    "| n_waiting",
    barrier.nWaiting,
    "| broken",
    barrier.broken,
  );
  const b0 = barrier;
  const more = (n: number) => Array.from({ length: n }, () => asyncio.createTask(b0.wait()));
  const waiters = more(2);
  await asyncio.sleep(0);
  print("2 waiting:", state(barrier));
  waiters.push(...more(barrier.parties - barrier.nWaiting));
  await asyncio.sleep(0);
  print("all arrived:", state(barrier), "| n_waiting", barrier.nWaiting);
  waiters.push(...more(2));
  await asyncio.sleep(0);
  print("2 more while draining:", state(barrier));
  await barrier.reset();
  print("reset:", state(barrier));
  waiters.push(...more(2));
  await asyncio.sleep(0);
  await barrier.abort();
  print("abort:", state(barrier), "| broken", barrier.broken, "| n_waiting", barrier.nWaiting);
  print("results:", await gatherAll(waiters));
  try {
    await barrier.wait();
  } catch (e) {
    if (!(e instanceof asyncio.BrokenBarrierError)) throw e;
    print("wait on broken:", e.name, e);
  }
  await barrier.reset();
  print("reset after abort:", state(barrier), "| broken", barrier.broken);

  // filling task by task; indices in arrival order
  barrier = new asyncio.Barrier(3);
  let ts: asyncio.Task<unknown>[] = [];
  for (let k = 0; k < 3; k++) {
    ts.push(asyncio.createTask(barrier.wait()));
    await asyncio.sleep(0);
    print(
      `after task ${k}:`,
      state(barrier),
      "| n_waiting",
      barrier.nWaiting,
      "| done",
      ts.map((t) => t.done()),
    );
  }
  await asyncio.sleep(0);
  print("indices:", await gatherAll(ts), "|", state(barrier));

  // one party, twice
  barrier = new asyncio.Barrier(1);
  const t1 = asyncio.createTask(barrier.wait());
  await asyncio.sleep(0);
  const t2 = asyncio.createTask(barrier.wait());
  await asyncio.sleep(0);
  print(
    "one party:",
    t1.result(),
    t2.result(),
    "| n_waiting",
    barrier.nWaiting,
    "|",
    state(barrier),
  );

  // the draining state seen from inside; waiting twice
  barrier = new asyncio.Barrier(N);
  const bd = barrier;
  let log: unknown[] = [];
  async function coro(k: number): Promise<number> {
    const i = await bd.wait();
    log.push([k, i, repr(bd).includes("draining")]);
    const j = await bd.wait();
    log.push([k, j]);
    return i;
  }
  const range = (n: number) => Array.from({ length: n }, (_, k) => k);
  print("draining:", await gatherAll(range(N).map((k) => spawn(() => coro(k)))));
  print("log:", log, "|", state(barrier));

  // tasks arriving while draining wait for the next round
  const rewait = 2;
  const b2 = new asyncio.Barrier(N);
  const barrierNowaiting = new asyncio.Barrier(N - rewait);
  let rewaitN = rewait;
  log = [];
  async function coro2(k: number): Promise<void> {
    await b2.wait();
    if (rewaitN > 0) {
      rewaitN--;
      log.push(`${k} rewaits`);
      await b2.wait();
    } else {
      await barrierNowaiting.wait();
      log.push(`${k} passed the second barrier`);
      await b2.wait();
    }
    log.push(`${k} out`);
  }
  await gatherAll(range(N).map((k) => spawn(() => coro2(k))));
  print("blocking while draining:", log);

  // a task cancelled while waiting leaves the barrier
  const b3 = new asyncio.Barrier(3);
  const results: boolean[] = [];
  async function coro3(): Promise<void> {
    await b3.wait();
    results.push(true);
  }
  const c1 = spawn(coro3);
  await asyncio.sleep(0);
  const c2 = spawn(coro3);
  await asyncio.sleep(0);
  print("cancel one: n_waiting", b3.nWaiting);
  c1.cancel();
  await asyncio.sleep(0);
  print("after cancel: n_waiting", b3.nWaiting, "|", await gatherAll([c1]));
  const c3 = spawn(coro3);
  await asyncio.sleep(0);
  print("n_waiting", b3.nWaiting);
  const c4 = spawn(coro3);
  await gatherAll([c2, c3, c4]);
  print("results:", results, "|", state(b3));

  // reset with nobody waiting; reset while tasks wait
  barrier = new asyncio.Barrier(1);
  asyncio.createTask(barrier.reset());
  await asyncio.sleep(0);
  print("reset empty:", state(barrier));
  const b4 = new asyncio.Barrier(N);
  log = [];
  async function coro4(k: number): Promise<void> {
    try {
      await b4.wait();
    } catch (e) {
      if (!(e instanceof asyncio.BrokenBarrierError)) throw e;
      log.push(`${k} ${e.message}`);
    }
  }
  ts = range(N - 1).map((k) => spawn(() => coro4(k)));
  await asyncio.sleep(0);
  asyncio.createTask(b4.reset());
  await gatherAll(ts);
  print("reset while waiting:", log, "|", state(b4));

  // reset when tasks are half draining
  const b5 = new asyncio.Barrier(N);
  log = [];
  const rest = Math.floor(N / 2);
  async function coro5(k: number): Promise<void> {
    try {
      await b5.wait();
    } catch (e) {
      if (!(e instanceof asyncio.BrokenBarrierError)) throw e;
      log.push(`${k} broken`);
      return;
    }
    log.push(`${k} passed, count ${b5._count}`);
    if (rest === b5._count) {
      await b5.reset();
      log.push(`${k} reset`);
    }
  }
  await gatherAll(range(N).map((k) => spawn(() => coro5(k))));
  print("half draining:", log, "|", state(b5));

  // reset when half draining, half blocking
  const b6 = new asyncio.Barrier(N);
  log = [];
  let count = 0;
  const blocking = Math.floor(N / 2);
  async function coro6(k: number): Promise<void> {
    let passed = false;
    try {
      await b6.wait();
      passed = true;
    } catch (e) {
      if (!(e instanceof asyncio.BrokenBarrierError)) throw e;
      log.push(`${k} broken, waits again`);
      await b6.wait();
    }
    if (passed) {
      count++;
      if (count > blocking) {
        log.push(`${k} resets`);
        await b6.reset();
        await b6.wait();
      } else {
        try {
          await b6.wait();
        } catch (e) {
          if (!(e instanceof asyncio.BrokenBarrierError)) throw e;
          log.push(`${k} never`);
        }
      }
    }
    log.push(`${k} out`);
  }
  await gatherAll(range(N).map((k) => spawn(() => coro6(k))));
  print("half draining half blocking:", log, "|", state(b6));

  // reset while waiting, then waiting again
  const b7 = new asyncio.Barrier(N);
  log = [];
  async function coro7(k: number): Promise<void> {
    try {
      await b7.wait();
    } catch (e) {
      if (!(e instanceof asyncio.BrokenBarrierError)) throw e;
      log.push(`${k} broken`);
    } finally {
      await b7.wait();
      log.push(`${k} passed`);
    }
  }
  async function coro8(): Promise<void> {
    const i = await b7.wait();
    log.push(`late one passed with index ${i}`);
  }
  ts = range(N - 1).map((k) => spawn(() => coro7(k)));
  asyncio.createTask(b7.reset());
  await asyncio.sleep(0);
  spawn(coro8);
  await gatherAll(ts);
  print("reset then wait again:", log, "|", state(b7));

  // reset while draining
  const b9 = new asyncio.Barrier(N);
  log = [];
  count = 0;
  async function coro9(k: number): Promise<void> {
    await b9.wait();
    count++;
    if (count === N) {
      await b9.reset();
      log.push(`${k} reset`);
      await b9.wait();
    } else {
      try {
        await b9.wait();
        log.push(`${k} second wait passed`);
      } catch (e) {
        log.push(`${k} never ${repr(e)}`);
      }
    }
    await b9.wait();
    log.push(`${k} third wait passed`);
  }
  await gatherAll(range(N).map((k) => spawn(() => coro9(k))));
  print("reset while draining:", log, "|", state(b9));

  // abort with nobody waiting; abort when half draining, half blocking
  barrier = new asyncio.Barrier(1);
  asyncio.createTask(barrier.abort());
  await asyncio.sleep(0);
  print("abort empty:", state(barrier), "| broken", barrier.broken);
  const b10 = new asyncio.Barrier(N);
  log = [];
  count = 0;
  async function coro10(k: number): Promise<void> {
    try {
      await b10.wait();
    } catch (e) {
      if (!(e instanceof asyncio.BrokenBarrierError)) throw e;
      log.push(`${k} broken in first wait`);
      return;
    }
    count++;
    if (count > blocking) {
      log.push(`${k} aborts`);
      await b10.abort();
    } else {
      try {
        await b10.wait();
      } catch (e) {
        if (!(e instanceof asyncio.BrokenBarrierError)) throw e;
        log.push(`${k} broken in second wait`);
      }
    }
  }
  await gatherAll(range(N).map((k) => spawn(() => coro10(k))));
  print("abort half draining:", log, "|", state(b10));

  // abort on an error, then reset through a second barrier
  const barrier1 = new asyncio.Barrier(N);
  const barrier2 = new asyncio.Barrier(N);
  log = [];
  async function coro11(k: number): Promise<void> {
    try {
      const i = await barrier1.wait();
      if (i === Math.floor(N / 2)) throw new asyncio.RuntimeError("boom");
      await barrier1.wait();
      log.push(`${k} never`);
    } catch (e) {
      if (e instanceof asyncio.BrokenBarrierError) {
        log.push(`${k} broken`);
      } else if (e instanceof asyncio.RuntimeError) {
        log.push(`${k} aborts`);
        await barrier1.abort();
      } else {
        throw e;
      }
    }
    const i = await barrier2.wait();
    if (i === Math.floor(N / 2)) {
      await barrier1.reset();
      log.push(`${k} resets`);
    }
    await barrier2.wait();
    await barrier1.wait();
    log.push(`${k} done`);
  }
  await gatherAll(range(N).map((k) => spawn(() => coro11(k))));
  print("abort then reset:", log, "|", state(barrier1), state(barrier2));
}

await asyncio.run(main);
