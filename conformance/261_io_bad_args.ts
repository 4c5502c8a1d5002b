/** Twin of 261_io_bad_args.py: bad arguments to the I/O and executor APIs. */
import * as dgram from "node:dgram";
import * as net from "node:net";
import { ThreadPoolExecutor } from "../src/concurrent.ts";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function show(label: string, e: unknown): void {
  print(label, "->", (e as Error).name, (e as Error).message);
}

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  loop.setExceptionHandler((_l, c) => print("handler:", c.message, (c.exception as Error).name));
  const h = loop.callSoon(null as never);
  print("repr", repr(h));
  await asyncio.sleep(0);
  print("the loop goes on");

  const p = await asyncio.createSubprocessExec("sleep", "5");
  for (const s of [null, 15.5, "TERM"]) {
    try {
      p.sendSignal(s as never);
      print("sent", s);
    } catch (e) {
      show(`send_signal(${repr(s)})`, e);
    }
  }
  p.kill();
  print("returncode", await p.wait());

  const udp = dgram.createSocket("udp4");
  try {
    await loop.createConnection(() => new asyncio.Protocol(), undefined, undefined, {
      sock: udp as never,
    });
  } catch (e) {
    print("create_connection(sock=UDP) ->", (e as Error).name, (e as Error).message.split(",")[0]);
  }
  udp.close();
  const tcp = new net.Socket();
  try {
    await loop.createDatagramEndpoint(() => new asyncio.DatagramProtocol(), {
      sock: tcp as never,
    });
  } catch (e) {
    print(
      "create_datagram_endpoint(sock=TCP) ->",
      (e as Error).name,
      (e as Error).message.split(",")[0],
    );
  }
  tcp.destroy();

  const server = await asyncio.startServer((_r, w) => w.close(), "127.0.0.1", 0);
  const port = (server.sockets[0]!.getsockname() as [string, number])[1];
  try {
    await asyncio.openConnection("127.0.0.1", port, { localAddr: ["127.0.0.1", 70000] });
  } catch (e) {
    show("local_addr port 70000", e);
  }
  server.close();
  await server.waitClosed();

  const calls: [string, (r: asyncio.StreamReader) => PromiseLike<Uint8Array>][] = [
    ["read(None)", (r) => r.read(null as never)],
    ["read('5')", (r) => r.read("5" as never)],
    ["readexactly(None)", (r) => r.readexactly(null as never)],
    ["read(1.5)", (r) => r.read(1.5)],
    ["read(inf)", (r) => r.read(Number.POSITIVE_INFINITY)],
    ["readexactly(1.5)", (r) => r.readexactly(1.5)],
    ["read(True)", (r) => r.read(true as never)],
  ];
  for (const [label, call] of calls) {
    const r = new asyncio.StreamReader();
    r.feedData(Buffer.from("abcdef"));
    try {
      print(label, "->", await call(r));
    } catch (e) {
      show(label, e);
    }
  }

  let r = new asyncio.StreamReader();
  r.setException("boom");
  try {
    await r.read(1);
  } catch (e) {
    show("read after set_exception('boom')", e);
  }
  r = new asyncio.StreamReader();
  const waiting = asyncio.ensureFuture(r.read(1));
  await asyncio.sleep(0);
  try {
    r.setException("boom");
  } catch (e) {
    show("set_exception('boom') with a reader waiting", e);
  }
  print("  the reader still waits", !waiting.done());
  waiting.cancel();

  await using ex = new ThreadPoolExecutor({ maxWorkers: 1 });
  try {
    ex.map(Math.abs, [1], { timeout: "x" as never });
  } catch (e) {
    show("map(timeout='x')", e);
  }
});
