/**
 * Twin of 155_writer_dropped.py: a handler returns without closing its writer; once the writer
 * is garbage-collected its connection closes (CPython 3.13's StreamWriter.__del__).
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

await asyncio.run(async () => {
  async function h(_r: asyncio.StreamReader, w: asyncio.StreamWriter): Promise<void> {
    w.write(Buffer.from("hi"));
    // returns without closing: the writer is dropped
  }
  const srv = await asyncio.startServer(h, "127.0.0.1", 0);
  const port = (srv.sockets[0]!.getsockname() as [string, number])[1];
  const [r, w] = await asyncio.openConnection("127.0.0.1", port);
  await asyncio.sleep(0.05);
  (globalThis as { gc?: () => void }).gc?.();
  try {
    print("client read:", await asyncio.waitFor(r.read(), 1.0));
  } catch {
    print("client read: timed out, connection left open");
  }
  w.close();
  srv.close();
  try {
    await asyncio.waitFor(srv.waitClosed(), 1.0);
    print("server wait_closed ok");
  } catch {
    print("server wait_closed timed out");
  }
});
