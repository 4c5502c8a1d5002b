/**
 * Twin of 200_connect_port_host_args.py: a port outside 0-65535 is CPython's OverflowError
 * (`connect(): ...` / `bind(): ...`), a host that is not a string a TypeError.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const cases: [unknown, unknown][] = [
    ["127.0.0.1", "abc"],
    ["127.0.0.1", 70000],
    ["127.0.0.1", -1],
    ["127.0.0.1", null],
    [123, 80],
  ];
  for (const [host, port] of cases) {
    try {
      await loop.createConnection(() => new asyncio.Protocol(), host as string, port as number);
    } catch (e) {
      print(
        "create_connection",
        `(${repr(host)}, ${repr(port)})`,
        (e as Error).name,
        (e as Error).message,
      );
    }
  }
  const serverCases: [unknown, unknown][] = [
    ["127.0.0.1", "abc"],
    ["127.0.0.1", 70000],
    ["127.0.0.1", -1],
    [123, 0],
  ];
  for (const [host, port] of serverCases) {
    try {
      await loop.createServer(() => new asyncio.Protocol(), host as string, port as number);
    } catch (e) {
      print(
        "create_server",
        `(${repr(host)}, ${repr(port)})`,
        (e as Error).name,
        (e as Error).message,
      );
    }
  }
  for (const port of [70000, -1]) {
    for (const kw of ["localAddr", "remoteAddr"] as const) {
      try {
        await loop.createDatagramEndpoint(() => new asyncio.DatagramProtocol(), {
          [kw]: ["127.0.0.1", port],
        });
      } catch (e) {
        const name = kw === "localAddr" ? "local_addr" : "remote_addr";
        print("create_datagram_endpoint", name, port, (e as Error).name, (e as Error).message);
      }
    }
  }
}

await asyncio.run(main);
