/**
 * Twin of 50_task_interleavings.py: random multi-task programs (in
 * 50_task_interleavings.json) whose event order must be CPython's, run with generator
 * coroutines ([gen]) and with async functions ([async]).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

interface Op {
  k: "sleep0" | "futsoon" | "futdone" | "await" | "spawn" | "cancel" | "lib";
  t?: number;
}

const PROGRAMS = JSON.parse(
  readFileSync(join(import.meta.dirname, "50_task_interleavings.json"), "utf8"),
) as Op[][][];

const lib = asyncio.awaitable(function* lib(): asyncio.Coroutine<number> {
  yield* asyncio.sleep(0);
  return 1;
});

function setSoon(loop: asyncio.AbstractEventLoop, f: asyncio.Future<number>): void {
  loop.callSoon(() => {
    if (!f.done()) f.setResult(1);
  });
}

function* runGen(
  idx: number,
  ops: Op[],
  tasks: asyncio.Task<unknown>[],
  log: string[],
): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  try {
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      log.push(`${idx}.${i}:${op.k}`);
      if (op.k === "sleep0") {
        yield* asyncio.sleep(0);
      } else if (op.k === "futsoon") {
        const f = loop.createFuture<number>();
        setSoon(loop, f);
        yield* f;
      } else if (op.k === "futdone") {
        const f = loop.createFuture<number>();
        f.setResult(1);
        yield* f;
      } else if (op.k === "await") {
        const t = op.t!;
        if (t < tasks.length && t < idx) {
          try {
            yield* tasks[t]!;
          } catch (e) {
            if (!(e instanceof asyncio.CancelledError) || asyncio.currentTask()!.cancelling() > 0)
              throw e;
            log.push(`${idx}: awaited cancelled`);
          }
        }
      } else if (op.k === "spawn") {
        yield* asyncio.createTask(function* () {
          log.push(`${idx}.${i}: child`);
          yield* asyncio.sleep(0);
          log.push(`${idx}.${i}: child end`);
        });
      } else if (op.k === "cancel") {
        const t = op.t!;
        if (t < tasks.length) log.push(`cancel ${t} -> ${tasks[t]!.cancel() ? "True" : "False"}`);
      } else if (op.k === "lib") {
        yield* lib();
      }
    }
    log.push(`${idx}: end`);
  } catch (e) {
    log.push(`${idx}: ${(e as Error).name}`);
    throw e;
  }
}

async function runAsync(
  idx: number,
  ops: Op[],
  tasks: asyncio.Task<unknown>[],
  log: string[],
): Promise<void> {
  const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
  try {
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      log.push(`${idx}.${i}:${op.k}`);
      if (op.k === "sleep0") {
        await asyncio.sleep(0);
      } else if (op.k === "futsoon") {
        const f = loop.createFuture<number>();
        setSoon(loop, f);
        await f;
      } else if (op.k === "futdone") {
        const f = loop.createFuture<number>();
        f.setResult(1);
        await f;
      } else if (op.k === "await") {
        const t = op.t!;
        if (t < tasks.length && t < idx) {
          try {
            await tasks[t]!;
          } catch (e) {
            if (!(e instanceof asyncio.CancelledError) || asyncio.currentTask()!.cancelling() > 0)
              throw e;
            log.push(`${idx}: awaited cancelled`);
          }
        }
      } else if (op.k === "spawn") {
        await asyncio.createTask(async () => {
          log.push(`${idx}.${i}: child`);
          await asyncio.sleep(0);
          log.push(`${idx}.${i}: child end`);
        });
      } else if (op.k === "cancel") {
        const t = op.t!;
        if (t < tasks.length) log.push(`cancel ${t} -> ${tasks[t]!.cancel() ? "True" : "False"}`);
      } else if (op.k === "lib") {
        await lib();
      }
    }
    log.push(`${idx}: end`);
  } catch (e) {
    log.push(`${idx}: ${(e as Error).name}`);
    throw e;
  }
}

async function program(kind: "gen" | "async", progs: Op[][]): Promise<string[]> {
  return asyncio.run(async () => {
    const log: string[] = [];
    const tasks: asyncio.Task<unknown>[] = [];
    progs.forEach((ops, idx) => {
      tasks.push(
        kind === "gen"
          ? asyncio.createTask(runGen(idx, ops, tasks, log))
          : asyncio.createTask(() => runAsync(idx, ops, tasks, log)),
      );
    });
    for (const t of tasks) {
      try {
        await t;
      } catch {}
    }
    return log;
  });
}

for (const kind of ["gen", "async"] as const) {
  for (let n = 0; n < PROGRAMS.length; n++) {
    print(`[${kind}] ${n}:`, (await program(kind, PROGRAMS[n]!)).join(" "));
  }
}
