/**
 * Twin of 126_gather_repeats.py: gather() over long argument lists that repeat the same
 * awaitables (each awaited once), a done future among them, a failing repeat, cancelling the
 * gather, a TypeError part-way through the arguments, and a gather started by an eager task
 * inside another gather's set-up.
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { excStr, print, repr } from "./_py.ts";

class KeyError extends Error {
  override name = "KeyError";
}

const shown = (rs: unknown[]) => rs.map((r) => (r instanceof Error ? excStr(r) : r));

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  const runs: number[] = [];
  function* job(i: number): asyncio.Coroutine<number> {
    runs.push(i);
    yield* asyncio.sleep(0.01 * (i % 3));
    return i * 10;
  }
  const settle = (futs: asyncio.Future<number>[], f: (i: number) => number) => () => {
    for (const [i, fut] of futs.entries()) fut.setResult(f(i));
  };

  let futs = Array.from({ length: 20 }, () => loop.createFuture<number>());
  const coros = Array.from({ length: 5 }, (_, i) => job(i));
  const done = loop.createFuture<string>();
  done.setResult("done");
  const args = [...futs, ...coros, done, ...[...futs].reverse(), ...coros, done];
  let res: unknown[] = yield* (() => {
    const g = asyncio.gather(args);
    loop.callLater(
      0.05,
      settle(futs, (i) => i),
    );
    return g;
  })();
  print("results:", repr(res));
  print(
    "runs:",
    repr([...runs].sort((a, b) => a - b)),
    "| args:",
    args.length,
    "results:",
    res.length,
  );

  // a repeated future fails (no returnExceptions): the gather fails once
  futs = Array.from({ length: 18 }, () => loop.createFuture<number>());
  let g: asyncio.Future<unknown[]> = asyncio.gather([...futs, ...futs]);
  futs[3]!.setException(new asyncio.ValueError("bad"));
  try {
    yield* g;
  } catch (e) {
    print("failing repeat:", excStr(e));
  }
  for (const [i, f] of futs.entries()) if (!f.done()) f.setResult(i);
  yield* asyncio.sleep(0);
  // with returnExceptions
  futs = Array.from({ length: 18 }, () => loop.createFuture<number>());
  g = asyncio.gather([...futs, ...futs], { returnExceptions: true });
  for (const [i, f] of futs.entries()) {
    if (i === 4) f.setException(new KeyError("k"));
    else if (i === 5) f.cancel("msg");
    else f.setResult(i);
  }
  res = yield* g;
  print("return_exceptions:", repr(shown(res)));

  // cancelling the gather cancels each distinct child once
  futs = Array.from({ length: 17 }, () => loop.createFuture<number>());
  g = asyncio.gather([...futs, ...futs, ...futs.slice(0, 3)]);
  print(
    "cancel:",
    g.cancel("stop"),
    "| children cancelled:",
    futs.filter((f) => f.cancelled()).length,
  );
  try {
    yield* g;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("gather cancelled:", excStr(e), g.cancelled());
  }

  // a TypeError part-way: the futures already seen are usable by the next gather
  futs = Array.from({ length: 20 }, () => loop.createFuture<number>());
  try {
    asyncio.gather([...futs.slice(0, 10), 42 as unknown as asyncio.Future<number>, ...futs]);
  } catch (e) {
    print("bad argument:", excStr(e));
  }
  g = asyncio.gather([...futs, ...futs]);
  for (const [i, f] of futs.entries()) if (i >= 10) f.setResult(-i);
  yield* asyncio.sleep(0);
  print("half of them set, gather done:", g.done());
  for (const [i, f] of futs.entries()) if (i < 10) f.setResult(-i);
  res = yield* g;
  print("after the error:", repr(res.slice(0, 3)), repr(res.slice(20, 23)), res.length);

  // an eager task's first step gathers the same futures during the outer gather's set-up
  loop.setTaskFactory(asyncio.eagerTaskFactory);
  futs = Array.from({ length: 20 }, () => loop.createFuture<number>());
  const inner: asyncio.Future<unknown[]>[] = [];
  // biome-ignore lint/correctness/useYield: like the Python coroutine, it never suspends
  function* starter(): asyncio.Coroutine<string> {
    inner.push(asyncio.gather([...futs, ...futs]));
    return "started";
  }
  const outer = asyncio.gather([...futs, starter(), ...futs]);
  loop.callLater(
    0.01,
    settle(futs, (i) => i),
  );
  res = yield* outer;
  yield* asyncio.sleep(0);
  print(
    "outer:",
    repr(res.slice(18, 23)),
    res.length,
    "| inner done:",
    inner[0]!.done(),
    repr(inner[0]!.result().slice(18, 22)),
  );
  loop.setTaskFactory(null);
}

await asyncio.run(main, { loopFactory: () => new VirtualTimeLoop() });
