/**
 * Twin of 326_write_eof_after_reset.py: writeEof() on a plain socket whose peer reset it (our
 * write reached its closed socket) raises OSError ENOTCONN at once, as CPython's shutdown()
 * does (Node's end() would report nothing).
 */
import * as asyncio from "../src/index.ts";
import { print, str } from "./_py.ts";

async function writeEofAfterReset(): Promise<void> {
  const accepted = new asyncio.Queue<asyncio.StreamWriter>();
  const srv = await asyncio.startServer((_r, w) => accepted.putNowait(w), "127.0.0.1", 0);
  const port = (srv.sockets[0]!.getsockname() as [string, number])[1];
  const [r, w] = await asyncio.openConnection("127.0.0.1", port);
  const sw = await accepted.get();
  sw.transport.abort();
  print("read:", await r.read());
  w.write(Buffer.from("data")); // the peer's closed socket answers with a reset
  await asyncio.sleep(0.1);
  try {
    w.writeEof();
    print("write_eof: ok");
  } catch (e) {
    if (!(e instanceof asyncio.OSError)) throw e;
    print("write_eof:", e.name, e.errno, str(e));
  }
  print("is_closing:", w.isClosing());
  w.close();
  srv.close();
  await srv.waitClosed();
}

await asyncio.run(writeEofAfterReset);
