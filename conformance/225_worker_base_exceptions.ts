/**
 * Twin of 225_worker_base_exceptions.py: SystemExit and KeyboardInterrupt thrown by a call in a
 * worker come back as its error; the pool stays usable.
 */
import * as cf from "../src/concurrent.ts";
import * as asyncio from "../src/index.ts";
import { excStr, print } from "./_py.ts";
export function bye(code: number): never {
  throw new asyncio.SystemExit(code);
}
export function interrupt(): never {
  throw new asyncio.KeyboardInterrupt("stop");
}
export function square(x: number): number {
  return x * x;
}
cf.workerFunctions(import.meta.url, { bye, interrupt, square });
if (cf.isMainModule(import.meta.url)) {
  for (const Pool of [cf.ThreadPoolExecutor, cf.ProcessPoolExecutor]) {
    await using ex = new Pool({ maxWorkers: 1 });
    print(Pool.name, "SystemExit:", excStr(await ex.submit(bye, 3).exception()));
    print(Pool.name, "KeyboardInterrupt:", excStr(await ex.submit(interrupt).exception()));
    try {
      print(Pool.name, "still usable:", await ex.submit(square, 4).result());
    } catch (e) {
      print(Pool.name, "broken:", excStr(e));
    }
  }
}
