/** Twin of 281_wait_for_future_like.py: waitFor awaits a future-like in the caller's task. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

let MAIN: asyncio.Task<unknown> | null = null;

class A<T> {
  constructor(
    readonly delay: number,
    readonly value: T,
  ) {}
  *[Symbol.iterator](): Generator<unknown, T, unknown> {
    print("  in the caller's task:", asyncio.currentTask() === MAIN);
    return (yield* asyncio.sleep(this.delay, this.value)) as T;
  }
}

await asyncio.run(function* () {
  MAIN = asyncio.currentTask();
  print("result:", yield* asyncio.waitFor(new A(0.01, "x"), 1));
  print("next task:", asyncio.createTask(asyncio.sleep(0)).getName());
  try {
    yield* asyncio.waitFor(new A(1, "y"), 0.01);
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    print("timed out:", e.constructor.name, MAIN!.cancelling());
  }
  print("next task:", asyncio.createTask(asyncio.sleep(0)).getName());
  print("timeout None:", yield* asyncio.waitFor(new A(0, "z"), null));
  print("next task:", asyncio.createTask(asyncio.sleep(0)).getName());
  try {
    print("timeout 0:", yield* asyncio.waitFor(new A(0, "w"), 0));
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    print("timeout 0:", e.constructor.name);
  }
  print("next task:", asyncio.createTask(asyncio.sleep(0)).getName());
});
