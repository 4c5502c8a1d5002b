/**
 * Twin of 156_cb_returns_future.py: a clientConnected callback that returns a Future (not a
 * coroutine or promise) is not run as a task, so the Future's failure reaches no handler.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const calls: string[] = [];
  loop.setExceptionHandler((_l, c) => {
    const e = c.exception as Error | undefined;
    calls.push(`(${repr(c.message)}, ${repr(e?.name ?? "NoneType")})`);
  });
  const futs: [asyncio.Future<unknown>, asyncio.StreamWriter][] = [];
  function cb(_r: asyncio.StreamReader, w: asyncio.StreamWriter): asyncio.Future<unknown> {
    const f = loop.createFuture();
    futs.push([f, w]);
    return f;
  }
  const srv = await asyncio.startServer(cb, "127.0.0.1", 0);
  const port = (srv.sockets[0]!.getsockname() as [string, number])[1];
  const [, w] = await asyncio.openConnection("127.0.0.1", port);
  await asyncio.sleep(0.05);
  const [f, sw] = futs[0]!;
  f.setException(new asyncio.ValueError("future failed"));
  f.exception(); // retrieve, so no "never retrieved" noise
  await asyncio.sleep(0.05);
  print("handler calls", `[${calls.join(", ")}]`, "server writer closing", sw.isClosing());
  w.close();
  sw.close();
  srv.close();
  await srv.waitClosed();
});
