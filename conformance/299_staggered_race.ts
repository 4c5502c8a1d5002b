/**
 * Twin of 299_staggered_race.py: staggeredRace (CPython's asyncio.staggered.staggered_race),
 * the race behind createConnection's happy eyeballs.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const log: string[] = [];

function racer(name: string, delay: number, fail = false): () => Promise<string> {
  return async () => {
    log.push(`start ${name}`);
    try {
      await asyncio.sleep(delay);
    } catch (e) {
      if (e instanceof asyncio.CancelledError) log.push(`cancelled ${name}`);
      throw e;
    }
    if (fail) {
      log.push(`fail ${name}`);
      throw new asyncio.ValueError(name);
    }
    log.push(`win ${name}`);
    return name.toUpperCase();
  };
}

function show([result, index, excs]: [unknown, number | null, unknown[]]): void {
  print("result", repr(result), "index", index);
  print(
    "exceptions",
    excs.map((e) => (e === null ? null : (e as Error).name)),
  );
  print("log", log);
  log.length = 0;
}

async function main(): Promise<void> {
  show(await asyncio.staggeredRace([racer("a", 1.0), racer("b", 0, true), racer("c", 0.1)], 0.5));
  show(await asyncio.staggeredRace([racer("a", 0.05, true), racer("b", 0.05, true)], 10));
  show(await asyncio.staggeredRace([], 0.1));
  show(await asyncio.staggeredRace([racer("a", 0.05, true), racer("b", 0.05)], null));
  show(await asyncio.staggeredRace([racer("a", 0.3), racer("b", 0.05)][Symbol.iterator](), 0.1));
  // the race runs in tasks of its own, each waiting for the one before it
  const seen: string[] = [];
  const peek = async () => {
    await asyncio.sleep(0.02);
    const me = asyncio.currentTask();
    for (const t of asyncio.allTasks()) {
      if (t !== me) seen.push(/coro=<([^ (]+)\(/.exec(repr(t))![1]!);
    }
    seen.sort();
    return "peeked";
  };
  show(await asyncio.staggeredRace([peek, racer("z", 1.0)], 0.01));
  print("tasks", seen);
  // cancelling the caller cancels every racer
  const t = asyncio.createTask(asyncio.staggeredRace([racer("a", 1.0), racer("b", 1.0)], 0.05));
  await asyncio.sleep(0.1);
  t.cancel();
  try {
    await t;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("caller cancelled");
  }
  await asyncio.sleep(0);
  print("log", log);
}

await asyncio.run(main);
