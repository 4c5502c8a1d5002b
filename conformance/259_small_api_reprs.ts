/** Twin of 259_small_api_reprs.py: recursive reprs, a library coroutine's name, SystemExit.code, getBuffer, abstract Unix names, a refused TCP sock. */
import * as net from "node:net";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

/** Python's tuple repr for the args and code of SystemExit. */
const tuple = (a: unknown[]) =>
  a.length === 1 ? `(${repr(a[0])},)` : `(${a.map((x) => repr(x)).join(", ")})`;

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const fut = loop.createFuture<unknown>();
  fut.setResult([fut]);
  print(repr(fut));
  const list: unknown[] = [];
  const v = new asyncio.ContextVar("a", { default: list });
  list.push(v);
  print(repr(v));
  const t = asyncio.ensureFuture(asyncio.sleep(10));
  await asyncio.sleep(0);
  print(repr(t).replace(/ wait_for=.*/, ">"));
  t.cancel();
  for (const args of [[], [3], ["bye"], [1, "x"]] as unknown[][]) {
    const code = new asyncio.SystemExit(...args).code;
    print("SystemExit", tuple(args), "code", Array.isArray(code) ? tuple(code) : repr(code));
  }
  print("get_buffer", new asyncio.BufferedProtocol().getBuffer(100));

  const name = "\0asyncio-ts-259";
  const server = await asyncio.startUnixServer((_r, w) => w.close(), name);
  print("sockname", server.sockets[0]!.getsockname());
  const [, writer] = await asyncio.openUnixConnection(name);
  print("peername", writer.getExtraInfo("peername"));
  writer.close();
  await writer.waitClosed();
  server.close();
  await server.waitClosed();

  const tcp = net.createServer();
  await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
  try {
    await loop.createUnixServer(() => new asyncio.Protocol(), null, { sock: tcp });
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print("ValueError", e.message.split(", got")[0]);
  }
  tcp.close();
});
