/** Twin of 267_library_coroutine_names.py: library coroutines' qualified names in task reprs. */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const norm = (s: string): string =>
  s.replace(/ at 0x[0-9a-f]+/g, "").replace(/ at \/[^ >]+:\d+/g, "");

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const q = new asyncio.Queue();
  const lock = new asyncio.Lock();
  await lock.acquire();
  const ev = new asyncio.Event();
  const srv = await asyncio.startServer(() => {}, "127.0.0.1", 0);
  const port = srv.sockets[0]!.getsockname()[1] as number;
  const [r, w] = await asyncio.openConnection("127.0.0.1", port);
  const makers: (() => asyncio.Coroutine<unknown>)[] = [
    () => asyncio.sleep(1),
    () => q.get(),
    () => lock.acquire(),
    () => ev.wait(),
    () => r.read(1),
    () => r.readline(),
    () => w.drain(),
    () => asyncio.waitFor(ev.wait(), 10),
    () => asyncio.wait([asyncio.ensureFuture(ev.wait())]),
    () => asyncio.openConnection("127.0.0.1", port),
    () => loop.createConnection(() => new asyncio.Protocol(), "127.0.0.1", port),
    () => srv.waitClosed(),
  ];
  const tasks = makers.map((mk, i) => asyncio.createTask(mk(), { name: `t${i}` }));
  print("before the first step:");
  for (const t of tasks) print("  ", norm(repr(t)));
  await asyncio.sleep(0);
  print("after it:");
  for (const t of tasks) print("  ", norm(repr(t)));
  for (const t of tasks) t.cancel();
  await asyncio.gather(tasks, { returnExceptions: true });
  w.close();
  srv.close();
}

await asyncio.run(main);
