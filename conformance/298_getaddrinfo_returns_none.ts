/**
 * Twin of 298_getaddrinfo_returns_none.py: a getaddrinfo override returning None (null) is an
 * empty list for every connecting or listening call.
 */
import * as asyncio from "../src/index.ts";
import { print, str } from "./_py.ts";

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  (loop as { getaddrinfo: unknown }).getaddrinfo = () => {
    const f = loop.createFuture<null>();
    f.setResult(null);
    return f;
  };
  const calls: [string, () => PromiseLike<unknown>][] = [
    ["create_server", () => loop.createServer(() => new asyncio.Protocol(), "python.org", 0)],
    [
      "create_connection",
      () => loop.createConnection(() => new asyncio.Protocol(), "python.org", 80),
    ],
    ["open_connection", () => asyncio.openConnection("python.org", 80)],
    [
      "create_datagram_endpoint",
      () =>
        loop.createDatagramEndpoint(() => new asyncio.DatagramProtocol(), {
          remoteAddr: ["python.org", 80],
        }),
    ],
  ];
  for (const [label, call] of calls) {
    try {
      await call();
    } catch (e) {
      print(label, (e as Error).name, str(e));
    }
  }
});
