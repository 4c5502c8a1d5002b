/** Twin of 274_datagram_sock_options.py. */
// biome-ignore-all lint/suspicious/noExplicitAny: a scenario twin, written as loosely as the Python it mirrors
import * as dgram from "node:dgram";
import { pyRepr, pyStr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const S = asyncio.socket;
const PORTS = new Map<number, string>();
function clean(s: string): string {
  for (const [p, n] of PORTS) s = s.split(String(p)).join(n);
  return s;
}
class D extends asyncio.DatagramProtocol {
  got = asyncio.getRunningLoop().createFuture<[Buffer, string]>();
  override datagramReceived(data: Uint8Array, addr: any) {
    if (!this.got.done()) this.got.setResult([Buffer.from(data), addr[0]]);
  }
  override errorReceived(exc: any) {
    print("   error_received", exc.name);
  }
}
const fam = (f: number) => (f === S.AF_INET ? "v4" : f === S.AF_INET6 ? "v6" : f);
async function main() {
  const loop = asyncio.getRunningLoop();
  const [rt, rp] = (await loop.createDatagramEndpoint(() => new D(), {
    localAddr: ["127.0.0.1", 0],
  })) as [any, D];
  const rport = rt.getExtraInfo("sockname")[1];
  PORTS.set(rport, "RPORT");
  const [rt6, rp6] = (await loop.createDatagramEndpoint(() => new D(), {
    localAddr: ["::1", 0],
  })) as [any, D];
  const r6port = rt6.getExtraInfo("sockname")[1];
  PORTS.set(r6port, "R6PORT");
  const s = dgram.createSocket("udp4");
  const cases: [string, any][] = [
    ["nothing", {}],
    ["family only v4", { family: S.AF_INET }],
    ["family only v6", { family: S.AF_INET6 }],
    ["local v6 remote v4", { localAddr: ["::1", 0], remoteAddr: ["127.0.0.1", rport] }],
    ["local v4 remote v4", { localAddr: ["127.0.0.1", 0], remoteAddr: ["127.0.0.1", rport] }],
    ["local v4 remote v6", { localAddr: ["127.0.0.1", 0], remoteAddr: ["::1", r6port] }],
    ["remote v4 family v6", { remoteAddr: ["127.0.0.1", rport], family: S.AF_INET6 }],
    ["remote None host", { remoteAddr: [null, r6port] }],
    ["local None host", { localAddr: [null, 0] }],
    ["local empty host", { localAddr: ["", 0] }],
    ["local localhost", { localAddr: ["localhost", 0] }],
    ["local v4 family v4", { localAddr: ["127.0.0.1", 0], family: S.AF_INET }],
    ["remote + family v4", { remoteAddr: ["127.0.0.1", rport], family: S.AF_INET }],
    ["sock + local", { sock: s, localAddr: ["127.0.0.1", 0] }],
    ["sock + family + broadcast", { sock: s, family: S.AF_INET, allowBroadcast: true }],
    [
      "sock + remote + flags + proto",
      { sock: s, remoteAddr: ["127.0.0.1", 1], flags: 1, proto: 17 },
    ],
    ["sock + reuse_port", { sock: s, reusePort: true }],
    [
      "sock + falsy opts",
      { sock: s, reusePort: false, allowBroadcast: false, family: 0, localAddr: null },
    ],
  ];
  for (const [label, kw] of cases) {
    let t: any, _p: D;
    try {
      [t, _p] = (await loop.createDatagramEndpoint(() => new D(), kw)) as [any, D];
    } catch (e: any) {
      print(`${label}: ${e.name}: ${clean(pyStr(e))}`);
      continue;
    }
    const sn = t.getExtraInfo("sockname") ?? ["<None>", 0];
    const peer = t.getExtraInfo("peername");
    const sf = t.getExtraInfo("socket").family;
    print(
      `${label}: ok sock=${fam(sf)} sockname=${pyRepr([sn[0], sn[1] ? "P" : 0, ...sn.slice(2)])} peer=${clean(pyRepr(peer ? [...peer] : null))}`,
    );
    try {
      if (peer) t.sendto(Buffer.from("x"));
      else t.sendto(Buffer.from("x"), sf === S.AF_INET ? ["127.0.0.1", rport] : ["::1", r6port]);
      await asyncio.sleep(0.02);
      for (const [name, rr] of [
        ["v4", rp],
        ["v6", rp6],
      ] as [string, D][]) {
        if (rr.got.done()) {
          print("   received by", name, rr.got.result()[0]);
          rr.got = loop.createFuture();
        }
      }
      const sn2 = t.getExtraInfo("sockname");
      print("   sockname after send has port", sn2[1] !== 0);
    } catch (e: any) {
      print(`   send: ${e.name}: ${clean(pyStr(e))}`);
    }
    t.close();
    await asyncio.sleep(0);
  }
  rt.close();
  rt6.close();
}
await asyncio.run(main);
