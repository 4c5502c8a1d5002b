/** Twin of 258_serve_forever_cancelled_twice.py: the second cancellation of serveForever() wins. */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

await asyncio.run(function* () {
  const srv = yield* asyncio.startServer(
    function* (r: asyncio.StreamReader, w: asyncio.StreamWriter) {
      yield* r.read();
      w.close();
    },
    "127.0.0.1",
    0,
  );
  const t = asyncio.createTask(srv.serveForever());
  const [host, port] = srv.sockets[0]!.getsockname() as [string, number];
  const [, wr] = yield* asyncio.openConnection(host, port);
  yield* asyncio.sleep(0.05);
  t.cancel("first"); // serveForever now waits in waitClosed() for the client
  yield* asyncio.sleep(0.05);
  t.cancel("second"); // interrupts that waitClosed()
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("cancelled with", `(${(e.args as unknown[]).map((a) => repr(a)).join(", ")},)`);
  }
  wr.close();
});
