/** Twin of 278_extra_info_own_keys.py. */
// biome-ignore-all lint/suspicious/noExplicitAny: a scenario twin, written as loosely as the Python it mirrors

import { pyRepr, pyStr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";

function print(...args: unknown[]): void {
  process.stdout.write(`${args.map((a) => pyStr(a)).join(" ")}\n`);
}
/** Python's f"{type(e).__name__}{e.args!r}" */
function ea(e: unknown): string {
  if (!(e instanceof Error)) return `<non-error ${pyRepr(e)}>`;
  const args = (e as { args?: unknown }).args;
  const list = Array.isArray(args) ? args : e.message === "" ? [] : [e.message];
  const inner = list.map((a) => pyRepr(a)).join(", ");
  return `${e.name}(${inner}${list.length === 1 ? "," : ""})`;
}
function _attempt(label: string, fn: () => unknown): void {
  try {
    const r = fn();
    print(`${label}: returned ${pyRepr(r === undefined ? null : r)}`);
  } catch (e) {
    print(`${label}: raised ${ea(e)}`);
  }
}
const _B = (s: string) => Buffer.from(s, "latin1");

function _tup(a: unknown[]): { [k: symbol]: unknown } {
  return {
    toString: () => `(${a.map((x) => pyRepr(x)).join(", ")}${a.length === 1 ? "," : ""})`,
  } as any;
}
function _T(a: unknown[]): string {
  return `(${a.map((x) => pyRepr(x)).join(", ")}${a.length === 1 ? "," : ""})`;
}
const _repr = pyRepr;
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const srv = await asyncio.startServer(
    (_r, w) => {
      print(
        "server writer extra constructor:",
        w.getExtraInfo("constructor"),
        w.getExtraInfo("toString", "dflt"),
      );
      w.close();
    },
    "127.0.0.1",
    0,
  );
  const port = (srv.sockets[0].getsockname() as [string, number])[1];
  const [r, w] = await asyncio.openConnection("127.0.0.1", port);
  const t = w.transport;
  for (const key of [
    "constructor",
    "toString",
    "valueOf",
    "hasOwnProperty",
    "__proto__",
    "isPrototypeOf",
    "propertyIsEnumerable",
  ]) {
    print(key, t.getExtraInfo(key), t.getExtraInfo(key, 0), w.getExtraInfo(key, "d"));
  }
  print(
    "known:",
    [
      "peername",
      "sockname",
      "socket",
      "pipe",
      "sslcontext",
      "peercert",
      "cipher",
      "compression",
      "ssl_object",
      "subprocess",
    ]
      .filter((k) => t.getExtraInfo(k) !== null)
      .sort(),
  );
  await r.read();
  w.close();
  await w.waitClosed();
  print(
    "after close:",
    (t.getExtraInfo("peername") as any)[1] === port,
    t.getExtraInfo("constructor", 1),
  );
  const [tr] = await loop.createDatagramEndpoint(() => new asyncio.DatagramProtocol(), {
    localAddr: ["127.0.0.1", 0],
  });
  print("udp:", tr.getExtraInfo("constructor"), tr.getExtraInfo("toString", 2));
  tr.close();
  srv.close();
  await srv.waitClosed();
});
