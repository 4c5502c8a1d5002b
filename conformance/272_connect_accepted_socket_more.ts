/** Twin of 272_connect_accepted_socket_more.py. */
// biome-ignore-all lint/suspicious/noExplicitAny: a scenario twin, written as loosely as the Python it mirrors

import * as dgram from "node:dgram";
import * as net from "node:net";
import { pyRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

class P extends asyncio.Protocol {
  log: unknown[] = [];
  lost = asyncio.getRunningLoop().createFuture();
  t: any;
  override connectionMade(t: any) {
    this.t = t;
    this.log.push("made");
  }
  override dataReceived(d: Uint8Array) {
    this.log.push(["data", Buffer.from(d)]);
  }
  override eofReceived() {
    this.log.push("eof");
    this.t.write(Buffer.from("bye"));
    this.t.close();
    return undefined;
  }
  override connectionLost(exc: unknown) {
    this.log.push(["lost", pyRepr(exc ?? null)]);
    this.lost.setResult(null);
  }
}
const made: number[] = [];
const factory = () => {
  made.push(1);
  return new P();
};

async function main() {
  const loop = asyncio.getRunningLoop();
  const queue: net.Socket[] = [];
  let waiting: ((s: net.Socket) => void) | null = null;
  const lsrv = net.createServer({ pauseOnConnect: true }, (s) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(s);
    } else queue.push(s);
  });
  await new Promise<void>((res) => lsrv.listen({ host: "127.0.0.1", port: 0 }, () => res()));
  const port = (lsrv.address() as net.AddressInfo).port;
  const acceptOne = async () =>
    queue.length
      ? queue.shift()!
      : await new Promise<net.Socket>((res) => {
          waiting = res;
        });

  let [r, w] = await asyncio.openConnection("127.0.0.1", port);
  let conn = await acceptOne();
  let [t, p] = (await loop.connectAcceptedSocket(factory, conn)) as [any, P];
  const eq = (a: any, b: any) => pyRepr(a) === pyRepr(b);
  print(
    "made",
    p.log,
    "peer is client",
    eq(t.getExtraInfo("peername"), w.getExtraInfo("sockname")),
  );
  print("sockname port", t.getExtraInfo("sockname")[1] === port, "closing", t.isClosing());
  w.write(Buffer.from("hello"));
  w.writeEof();
  print("client read", await r.read());
  await p.lost;
  print("server log", p.log);
  w.close();
  await w.waitClosed();

  const cases: [string, any][] = [
    ["hs timeout no ssl", { sslHandshakeTimeout: 1 }],
    ["shutdown timeout no ssl", { sslShutdownTimeout: 1 }],
    ["hs timeout ssl=False", { ssl: false, sslHandshakeTimeout: 1 }],
    ["ssl=True", { ssl: true }],
    ["ssl=0 plain", { ssl: 0 }],
  ];
  for (const [label, kw] of cases) {
    [r, w] = await asyncio.openConnection("127.0.0.1", port);
    conn = await acceptOne();
    made.length = 0;
    try {
      [t, p] = (await loop.connectAcceptedSocket(factory, conn, kw)) as [any, P];
      print(label, "ok", p.log);
      t.close();
    } catch (e: any) {
      print(label, e.name, e.message, "factory called", made.length);
    }
    w.close();
    await w.waitClosed();
    conn.destroy();
  }
  const u = dgram.createSocket("udp4");
  try {
    await loop.connectAcceptedSocket(factory, u as any);
  } catch (e: any) {
    print("udp", String(e.message).split(",")[0]!.split(" <")[0]);
  }
  u.close();
  lsrv.close();
}
await asyncio.run(main);
