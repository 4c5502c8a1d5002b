/** Twin of 278_extra_info_own_keys.py. */
// biome-ignore-all lint/suspicious/noExplicitAny: a scenario twin, written as loosely as the Python it mirrors

import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

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
