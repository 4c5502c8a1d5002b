/** Twin of 282_never_retrieved_class_names.py: never-retrieved reports name the class. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

class MyFut<T> extends asyncio.Future<T> {}
class MyTask<T> extends asyncio.Task<T> {}

// biome-ignore lint/correctness/useYield: fails in its first step
function* bad(): asyncio.Coroutine<never> {
  throw new asyncio.KeyError("k");
}

await asyncio.run(function* () {
  const loop = asyncio.getRunningLoop();
  const messages: string[] = [];
  loop.setExceptionHandler((_l, c) => messages.push(String(c.message)));

  (() => {
    new MyFut({ loop }).setException(new asyncio.ValueError("sub"));
    new asyncio.Future({ loop }).setException(new asyncio.ValueError("plain"));
    new MyTask(bad(), { loop });
    asyncio.gather([bad()]);
  })();
  for (let i = 0; i < 3; i++) yield* asyncio.sleep(0);
  // A few collections and turns: finalizers run in a Node turn after the collection.
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc!();
    yield* asyncio.sleep(0.01);
  }
  for (const m of messages.sort()) print(m);
});
print(
  "loop class as factory:",
  await asyncio.run(asyncio.sleep(0, "ok"), { loopFactory: asyncio.EventLoop }),
);
