/**
 * Twin of 300_to_thread_functions.py: toThread and runInExecutor given plain module-level
 * functions and arrow functions, unregistered (each is rebuilt from its source text in the
 * worker), and a ProcessPoolExecutor given one.
 */
import { ProcessPoolExecutor, ThreadPoolExecutor } from "../src/concurrent.ts";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function blockingIo(n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += i;
  console.log(`in thread: summed ${n} numbers`);
  return total;
}

function fails(x: number): never {
  throw new TypeError(`bad value ${x}`);
}

function square(x: number): number {
  return x * x;
}

async function ticker(log: string[]): Promise<void> {
  for (let i = 0; i < 3; i++) {
    log.push(`tick ${i}`);
    await asyncio.sleep(0);
  }
}

async function main(): Promise<void> {
  const log: string[] = [];
  const t = asyncio.createTask(() => ticker(log));
  print("result", await asyncio.toThread(blockingIo, 1000));
  await t;
  print(repr(log));
  print("lambda", await asyncio.toThread((a: number, b: number) => a * b, 6, 7));
  try {
    await asyncio.toThread(fails, 3);
  } catch (e) {
    if (e instanceof TypeError) print("caught", e.name, e.message);
  }
  const loop = asyncio.getRunningLoop();
  print("executor", await loop.runInExecutor(null, square, 12));
  {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const results = await asyncio.gather(
      [0, 1, 2, 3, 4].map((i) => loop.runInExecutor(pool, square, i)),
    );
    print("pool", repr(results));
    const mapped: number[] = [];
    for await (const r of pool.map(square, [1, 2, 3])) mapped.push(r);
    print("map", repr(mapped));
  }
  {
    await using pool = new ProcessPoolExecutor({ maxWorkers: 1 });
    print("process", await loop.runInExecutor(pool, square, 9));
  }
}

await asyncio.run(main);
