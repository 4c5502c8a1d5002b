/** Twin of 205_udp6_addresses.py: UDP over IPv6 and sendto() address checks. */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const T = (a: unknown[]) => `(${a.map((x) => repr(x)).join(", ")}${a.length === 1 ? "," : ""})`;
const L = (a: unknown[]) => `[${a.map((x) => (Array.isArray(x) ? T(x) : repr(x))).join(", ")}]`;
class D extends asyncio.DatagramProtocol {
  log: unknown[] = [];
  q = new asyncio.Queue<[Buffer, unknown]>();
  lost = asyncio.getRunningLoop().createFuture<null>();
  override datagramReceived(d: Buffer, a: asyncio.Address) {
    this.q.putNowait([d, a]);
  }
  override errorReceived(e: Error) {
    this.log.push(["error", e.name, (e as asyncio.OSError).errno]);
  }
  override connectionLost(e: Error | null) {
    this.log.push(["lost", repr(e)]);
    this.lost.setResult(null);
  }
}
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  loop.setExceptionHandler((_l, c) => print("handler:", c.message, repr(c.exception ?? null)));
  const [st, sp] = await loop.createDatagramEndpoint(() => new D(), { localAddr: ["::1", 0] });
  const addr = st.getExtraInfo("sockname") as [string, number, number, number];
  const P = String(addr[1]);
  print(
    "v6 sockname",
    addr[0],
    addr.length,
    T(addr.slice(2)),
    (st.getExtraInfo("socket") as asyncio.socket.TransportSocket).family ===
      asyncio.socket.AF_INET6,
  );
  const [ct, cp] = await loop.createDatagramEndpoint(() => new D(), { localAddr: ["::1", 0] });
  ct.sendto(Buffer.from("two-tuple"), ["::1", addr[1]]);
  let [d, a] = await sp.q.get();
  const from = a as [string, number, number, number];
  print("got", d, from[0], from.length);
  ct.sendto(Buffer.from("four-tuple"), ["::1", addr[1], 0, 0]);
  [d, a] = await sp.q.get();
  print("got", d);
  for (const bad of [
    ["127.0.0.1", addr[1]],
    ["::1", addr[1], 0, 0, 0],
  ] as unknown as asyncio.Address[]) {
    try {
      ct.sendto(Buffer.from("x"), bad);
      await asyncio.sleep(0.02);
      print("sendto", T(bad as unknown[]).replace(P, "PORT"), "->", L(cp.log));
    } catch (e) {
      print(
        "sendto",
        T(bad as unknown[]).replace(P, "PORT"),
        (e as Error).name,
        (e as Error).message,
      );
    }
  }
  const [t] = await loop.createDatagramEndpoint(() => new D(), { remoteAddr: ["::1", addr[1]] });
  print("peername", T(t.getExtraInfo("peername") as unknown[]).replace(P, "PORT"));
  try {
    t.sendto(Buffer.from("x"), ["::1", addr[1]]);
    print("connected 2-tuple same ok");
  } catch (e) {
    print("connected 2-tuple", (e as Error).message.replace(P, "PORT"));
  }
  try {
    t.sendto(Buffer.from("x"), ["::1", addr[1], 0, 0]);
    print("connected 4-tuple same ok");
  } catch (e) {
    print("connected 4-tuple", (e as Error).message.replace(P, "PORT"));
  }
  for (const x of [t, ct, st]) x.close();
  await asyncio.sleep(0.02);
});
