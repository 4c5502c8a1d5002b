/** Twin of 275_getaddrinfo_override.py. */
// biome-ignore-all lint/suspicious/noExplicitAny: a scenario twin, written as loosely as the Python it mirrors
import * as net from "node:net";
import { pyRepr, pyStr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const { AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM } = asyncio.socket;
const calls: string[] = [];
const PORTS = new Map<number, string>();
function clean(s: string): string {
  for (const [p, n] of PORTS) s = s.split(String(p)).join(n);
  return s;
}
class L extends asyncio.EventLoop {
  override getaddrinfo(host: any, port: any, opts: any = {}): any {
    const base = super.getaddrinfo.bind(this);
    return (async () => {
      const family = opts.family ?? 0,
        type = opts.type ?? 0,
        proto = opts.proto ?? 0,
        flags = opts.flags ?? 0;
      calls.push(clean(pyRepr([host, port, family, type, proto, flags])));
      if (host === "multi.test") {
        const t = type || SOCK_STREAM;
        return [
          [AF_INET, t, 6, "", ["127.0.0.2", port]],
          [AF_INET, t, 6, "", ["127.0.0.3", port]],
          [AF_INET6, t, 6, "", ["::1", port, 0, 0]],
          [AF_INET, t, 6, "", ["127.0.0.4", port]],
        ];
      }
      if (host === "empty.test") return [];
      if (host === "one.test")
        return [
          [AF_INET, type || SOCK_STREAM, type === SOCK_DGRAM ? 17 : 6, "", ["127.0.0.1", port]],
        ];
      void this;
      return await base(host, port, opts);
    })();
  }
}
const show = (label: string, e: any) => print(`${label}: ${e.name}: ${clean(pyStr(e))}`);
async function freePort(): Promise<number> {
  return await new Promise((res) => {
    const s = net.createServer();
    s.listen({ host: "127.0.0.1", port: 0 }, () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => res(p));
    });
  });
}
const Pr = () => new asyncio.Protocol();
async function main() {
  const loop = asyncio.getRunningLoop() as any;
  print("loop", loop.constructor.name);
  const closed = await freePort();
  PORTS.set(closed, "CLOSED");
  const srv = await loop.createServer(Pr, "127.0.0.1", 0);
  const port = srv.sockets[0].getsockname()[1];
  PORTS.set(port, "PORT");
  print("numeric host server: calls", calls);
  calls.length = 0;
  for (const [label, kw] of [
    ["plain", {}],
    ["interleave=1", { interleave: 1 }],
    ["interleave=2", { interleave: 2 }],
    ["happy", { happyEyeballsDelay: 0.05 }],
  ] as [string, any][]) {
    try {
      await loop.createConnection(Pr, "multi.test", closed, kw);
    } catch (e) {
      show(`connect multi ${label}`, e);
    }
    print("   calls", calls);
    calls.length = 0;
  }
  try {
    await loop.createConnection(Pr, "empty.test", closed);
  } catch (e) {
    show("connect empty", e);
  }
  print("   calls", calls);
  calls.length = 0;
  let [t] = await loop.createConnection(Pr, "one.test", port, { localAddr: ["one.test", 0] });
  print("connect one.test ok", t.getExtraInfo("peername")[0], "calls", calls);
  calls.length = 0;
  t.close();
  const [, w] = await asyncio.openConnection("one.test", port);
  print("open_connection ok; calls", calls);
  calls.length = 0;
  w.close();
  await w.waitClosed();
  try {
    await loop.createConnection(Pr, "one.test", port, { localAddr: ["empty.test", 0] });
  } catch (e) {
    show("local empty", e);
  }
  print("   calls", calls);
  calls.length = 0;
  const srv2 = await loop.createServer(Pr, "one.test", 0);
  print("server one.test", srv2.sockets[0].getsockname()[0], "calls", calls);
  calls.length = 0;
  srv2.close();
  try {
    await loop.createServer(Pr, ["one.test", "empty.test"], 0);
  } catch (e) {
    show("server empty", e);
  }
  print("   calls", calls);
  calls.length = 0;
  [t] = await loop.createDatagramEndpoint(() => new asyncio.DatagramProtocol(), {
    localAddr: ["one.test", 0],
  });
  print("datagram one.test", t.getExtraInfo("sockname")[0], "calls", calls);
  calls.length = 0;
  t.close();
  try {
    await loop.createDatagramEndpoint(() => new asyncio.DatagramProtocol(), {
      remoteAddr: ["empty.test", 9],
    });
  } catch (e) {
    show("datagram empty", e);
  }
  print("   calls", calls);
  calls.length = 0;
  print("direct", clean(pyStr(await loop.getaddrinfo("one.test", 5))));
  calls.length = 0;
  srv.close();
}
await asyncio.run(main, { loopFactory: () => new L() });
