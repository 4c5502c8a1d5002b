/**
 * Twin of 327_runner_close_edges.py: Runner.close() is only done once its loop is closed:
 * inside the runner's own run() it fails (the loop is running) and leaves the runner usable;
 * getLoop() still answers while close() runs the leftover tasks' cleanup; closing an idle
 * runner from inside another running loop fails, with that runner's loop closed.
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

let r = new asyncio.Runner();
const lp = r.getLoop();

async function main(): Promise<void> {
  try {
    await r.close();
  } catch (e) {
    print("close inside:", (e as Error).message);
  }
}

try {
  await r.run(main);
} catch (e) {
  if (!(e instanceof asyncio.CancelledError)) throw e;
  print("run: CancelledError");
}
try {
  print("get_loop:", r.getLoop() === lp);
} catch (e) {
  print("get_loop:", (e as Error).message);
}
try {
  await r.close();
  print("close after: ok");
} catch (e) {
  print("close after:", (e as Error).message);
}
print("loop closed:", lp.isClosed());

r = new asyncio.Runner();

function* leftover(): asyncio.Coroutine<void> {
  try {
    yield* asyncio.sleep(10);
  } finally {
    print("get_loop in cleanup:", r.getLoop() === asyncio.getRunningLoop());
  }
}

await r.run(function* () {
  asyncio.createTask(leftover());
  yield* asyncio.sleep(0);
});
await r.close();

await asyncio.run(async () => {
  const other = new asyncio.Runner();
  const otherLoop = other.getLoop();
  try {
    await other.close();
    print("close: ok");
  } catch (e) {
    print("close:", (e as Error).message);
  }
  print("its loop closed:", otherLoop.isClosed());
});
