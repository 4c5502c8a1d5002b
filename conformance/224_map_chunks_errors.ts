/**
 * Twin of 224_map_chunks_errors.py: map with chunksize and a failing call in both pools (the
 * thread pool honours chunksize, but reports each call of a chunk on its own, as CPython's
 * unchunked map does).
 */
import * as cf from "../src/concurrent.ts";
import { ValueError } from "../src/index.ts";
import { excStr, print, repr } from "./_py.ts";
export function fail(x: number): number {
  if (x === 3) throw new ValueError(`bad ${x}`);
  return x;
}
export function add(a: number, b: number): number {
  return a + b;
}
cf.workerFunctions(import.meta.url, { fail, add });
if (cf.isMainModule(import.meta.url)) {
  for (const Pool of [cf.ProcessPoolExecutor, cf.ThreadPoolExecutor]) {
    await using ex = new Pool({ maxWorkers: 2 });
    for (const [data, cs] of [
      [[1, 2, 3, 4, 5, 6], 3],
      [[0, 1, 2, 3, 4, 5], 3],
      [[0, 1, 2, 3, 4], 2],
      [[3], 5],
    ] as [number[], number][]) {
      const got: number[] = [];
      try {
        for await (const x of ex.map(fail, data, { chunksize: cs })) got.push(x);
        print(Pool.name, repr(data), cs, repr(got));
      } catch (e) {
        print(Pool.name, repr(data), cs, "got", repr(got), "then", excStr(e));
      }
    }
    const r: number[] = [];
    for await (const x of ex.map(add, [0, 1, 2, 3, 4, 5, 6], [100, 101, 102, 103, 104], {
      chunksize: 2,
    }))
      r.push(x);
    print(Pool.name, repr(r));
  }
}
