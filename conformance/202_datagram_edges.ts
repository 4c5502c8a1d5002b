/**
 * Twin of 202_datagram_edges.py: sendto() checks, empty datagrams, ConnectionRefusedError via
 * error_received, writes after close, sendto() without an address on an unconnected endpoint.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

asyncio.logger.addHandler((r) => print("logged:", r.message));
const b = (s: string) => Buffer.from(s, "latin1");

class D extends asyncio.DatagramProtocol {
  log: string[] = [];
  lost = asyncio.getRunningLoop().createFuture<null>();
  override connectionMade(): void {
    this.log.push("made");
  }
  override datagramReceived(d: Buffer): void {
    this.log.push(`dgram ${repr(d)}`);
  }
  override errorReceived(e: Error): void {
    this.log.push(`error ${e.name} ${e.message}`);
  }
  override connectionLost(e: Error | null): void {
    this.log.push(`lost ${repr(e)}`);
    this.lost.setResult(null);
  }
}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const [rt, rp] = await loop.createDatagramEndpoint(() => new D(), {
    localAddr: ["127.0.0.1", 0],
  });
  const addr = rt.getExtraInfo("sockname") as [string, number];
  const [t, p] = await loop.createDatagramEndpoint(() => new D(), { remoteAddr: addr });
  t.sendto(b(""));
  t.sendto(b("a"));
  t.sendto(new Uint8Array([98]));
  for (const bad of ["s", 1]) {
    try {
      t.sendto(bad as never);
    } catch (e) {
      print("sendto", repr(bad), (e as Error).name, (e as Error).message);
    }
  }
  try {
    t.sendto(b("x"), ["127.0.0.1", 1]);
  } catch (e) {
    print(
      "other addr ValueError",
      (e as Error).message.startsWith("Invalid address: must be None or"),
    );
  }
  const peer = t.getExtraInfo("peername") as [string, number];
  print(
    "buffer",
    t.getWriteBufferSize(),
    "peername ok",
    peer[0] === addr[0] && peer[1] === addr[1],
  );
  loop.setExceptionHandler((_l, ctx) => print("handler:", ctx.message, repr(ctx.exception)));
  await asyncio.sleep(0.05);
  print("receiver", rp.log);
  rt.close();
  await rp.lost;
  t.sendto(b("to closed"));
  await asyncio.sleep(0.05);
  print("sender", p.log, t.isClosing());
  t.close();
  await p.lost;
  for (let i = 0; i < 7; i++) t.sendto(b("x"));
  print("sender end", p.log);
  const [t2, p2] = await loop.createDatagramEndpoint(() => new D(), {
    localAddr: ["127.0.0.1", 0],
  });
  try {
    t2.sendto(b("x"));
  } catch (e) {
    print("unconnected no addr", (e as Error).name, (e as Error).message);
  }
  t2.abort();
  await p2.lost;
  print("abort", p2.log);
}

await asyncio.run(main);
