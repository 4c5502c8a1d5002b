/**
 * Twin of 324_exit_ends_iteration.py: a task whose step raises SystemExit (or
 * KeyboardInterrupt) ends the loop's iteration there; what that iteration had not run yet stays
 * queued for the next one. The first two scenarios use async functions (whose failure reaches
 * the loop outside a callback), the last two generator coroutines.
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

type Exit = typeof asyncio.SystemExit | typeof asyncio.KeyboardInterrupt;

async function scenario(exc: Exit, awaitFirst: boolean, style: "async" | "gen"): Promise<void> {
  const loop = asyncio.newEventLoop();

  async function aAsync(): Promise<void> {
    print("a start");
    if (awaitFirst) {
      await asyncio.sleep(0);
      print("a woke");
    }
    throw new exc("x");
  }
  function* aGen(): asyncio.Coroutine<void> {
    print("a start");
    if (awaitFirst) {
      yield* asyncio.sleep(0);
      print("a woke");
    }
    throw new exc("x");
  }

  const t = style === "async" ? loop.createTask(aAsync) : loop.createTask(aGen());
  t.addDoneCallback(() => print("a done callback"));
  loop.callSoon(print, "soon");
  for (let i = 0; i < 3; i++) {
    try {
      await loop.runForever();
      print("run returned");
    } catch (e) {
      print(`run raised ${(e as Error).name}: ${(e as Error).message}`);
      break;
    }
  }
  loop.callSoon(print, "scheduled between the runs");
  loop.stop();
  await loop.runForever(); // exactly one iteration
  print("after one iteration");
  loop.stop();
  await loop.runForever();
  print("after another iteration");
  print("task:", (t.exception() as Error).name);
  loop.close();
}

await scenario(asyncio.SystemExit, false, "async");
await scenario(asyncio.KeyboardInterrupt, true, "async");
await scenario(asyncio.SystemExit, true, "gen");
await scenario(asyncio.KeyboardInterrupt, false, "gen");
