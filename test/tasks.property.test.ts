/**
 * Property: any multi-task program gives the same event order written with generator
 * coroutines and written with async functions. (conformance/50_task_interleavings checks a
 * fixed set of such programs against CPython.)
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

type Op =
  | { k: "sleep0" | "futsoon" | "futdone" | "spawn" | "lib" | "throw" }
  | { k: "sleep"; d: number }
  | { k: "await" | "cancel"; t: number };

const lib = asyncio.awaitable(function* lib(): asyncio.Coroutine<number> {
  yield* asyncio.sleep(0);
  return 1;
});

function* stepsGen(
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
      switch (op.k) {
        case "sleep0":
          yield* asyncio.sleep(0);
          break;
        case "sleep":
          yield* asyncio.sleep(op.d);
          break;
        case "futsoon": {
          const f = loop.createFuture();
          loop.callSoon(() => f.done() || f.setResult(1));
          yield* f;
          break;
        }
        case "futdone": {
          const f = loop.createFuture();
          f.setResult(1);
          yield* f;
          break;
        }
        case "await":
          if (op.t < idx && op.t < tasks.length) {
            try {
              yield* tasks[op.t]!;
            } catch (e) {
              log.push(`${idx}: awaited ${(e as Error).name}`);
              if (asyncio.currentTask()!.cancelling() > 0) throw e;
            }
          }
          break;
        case "spawn":
          yield* asyncio.createTask(function* () {
            log.push(`${idx}.${i}: child`);
            yield* asyncio.sleep(0);
          });
          break;
        case "cancel":
          if (op.t < tasks.length)
            log.push(`cancel ${op.t}: ${tasks[op.t]!.cancel(`by ${idx}.${i}`)}`);
          break;
        case "lib":
          yield* lib();
          break;
        case "throw":
          throw new asyncio.ValueError(`${idx}`);
      }
    }
    log.push(`${idx}: end`);
  } catch (e) {
    log.push(`${idx}: ${(e as Error).name}(${(e as { args?: unknown[] }).args?.join()})`);
    throw e;
  }
}

async function stepsAsync(
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
      switch (op.k) {
        case "sleep0":
          await asyncio.sleep(0);
          break;
        case "sleep":
          await asyncio.sleep(op.d);
          break;
        case "futsoon": {
          const f = loop.createFuture();
          loop.callSoon(() => f.done() || f.setResult(1));
          await f;
          break;
        }
        case "futdone": {
          const f = loop.createFuture();
          f.setResult(1);
          await f;
          break;
        }
        case "await":
          if (op.t < idx && op.t < tasks.length) {
            try {
              await tasks[op.t]!;
            } catch (e) {
              log.push(`${idx}: awaited ${(e as Error).name}`);
              if (asyncio.currentTask()!.cancelling() > 0) throw e;
            }
          }
          break;
        case "spawn":
          await asyncio.createTask(async () => {
            log.push(`${idx}.${i}: child`);
            await asyncio.sleep(0);
          });
          break;
        case "cancel":
          if (op.t < tasks.length)
            log.push(`cancel ${op.t}: ${tasks[op.t]!.cancel(`by ${idx}.${i}`)}`);
          break;
        case "lib":
          await lib();
          break;
        case "throw":
          throw new asyncio.ValueError(`${idx}`);
      }
    }
    log.push(`${idx}: end`);
  } catch (e) {
    log.push(`${idx}: ${(e as Error).name}(${(e as { args?: unknown[] }).args?.join()})`);
    throw e;
  }
}

function runProgram(kind: "gen" | "async", progs: Op[][]): Promise<string[]> {
  return asyncio.run(
    async () => {
      const log: string[] = [];
      const tasks: asyncio.Task<unknown>[] = [];
      progs.forEach((ops, idx) => {
        tasks.push(
          kind === "gen"
            ? asyncio.createTask(stepsGen(idx, ops, tasks, log))
            : asyncio.createTask(() => stepsAsync(idx, ops, tasks, log)),
        );
      });
      for (const t of tasks) {
        try {
          await t;
        } catch (e) {
          log.push(`main: ${(e as Error).name}`);
        }
      }
      return log;
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constantFrom<Op>(
    { k: "sleep0" },
    { k: "futsoon" },
    { k: "futdone" },
    { k: "spawn" },
    { k: "lib" },
    { k: "throw" },
  ),
  fc.integer({ min: 1, max: 3 }).map((d): Op => ({ k: "sleep", d })),
  fc.integer({ min: 0, max: 3 }).map((t): Op => ({ k: "await", t })),
  fc.integer({ min: 0, max: 3 }).map((t): Op => ({ k: "cancel", t })),
);

test("generator and async-function versions of a random program log the same events", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(opArb, { maxLength: 8 }), { minLength: 1, maxLength: 4 }),
      async (progs) => {
        const g = await runProgram("gen", progs);
        const a = await runProgram("async", progs);
        assert.deepEqual(a, g);
      },
    ),
    { numRuns: 150 },
  );
});
