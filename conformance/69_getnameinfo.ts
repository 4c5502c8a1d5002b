/** Twin of 69_getnameinfo.py: loop.getnameinfo() names, services, flags and argument errors. */
import * as asyncio from "../src/index.ts";
import { print, repr, str } from "./_py.ts";

const { socket } = asyncio;

await asyncio.run(function* () {
  const loop = asyncio.getRunningLoop();
  const [NH, NS, NOFQDN, NAMEREQD, DGRAM] = [
    socket.NI_NUMERICHOST,
    socket.NI_NUMERICSERV,
    socket.NI_NOFQDN,
    socket.NI_NAMEREQD,
    socket.NI_DGRAM,
  ];
  print("flags", NH, NS, NOFQDN, NAMEREQD, DGRAM);
  const cases: [unknown[], unknown][] = [
    [["127.0.0.1", 80], 0],
    [["127.0.0.1", 80], NH],
    [["127.0.0.1", 80], NS],
    [["127.0.0.1", 80], NH | NS],
    [["127.0.0.1", 514], 0],
    [["127.0.0.1", 514], DGRAM],
    [["127.0.0.1", 54321], 0],
    [["127.0.0.1", 0], NH],
    [["127.0.0.1", 65535], NH],
    [["127.0.0.1", 70000], NH],
    [["127.0.0.1", 80], NOFQDN],
    [["127.0.0.1", 80], NH | NAMEREQD],
    [["::1", 443, 0, 0], NH],
    [["::1", 443], NH],
    [["::1", 443, 0, 5], NH],
    [["127.0.0.1", -1], 0],
    [["localhost", 80], 0],
    [["127.0.0.1", 80, 0, 0], 0],
    [["127.0.0.1", 80, 1], 0],
    [["127.0.0.1"], 0],
    [[null, 80], 0],
    [["127.0.0.1", "80"], 0],
    [["127.0.0.1", 1.5], 0],
    [["127.0.0.1", 80], "x"],
    [["127.0.0.1", 80], 1.5],
  ];
  for (const [sockaddr, flags] of cases) {
    // Python's tuple repr: one-element tuples keep their comma.
    const label =
      sockaddr.length === 1
        ? `(${repr(sockaddr[0])},)`
        : `(${sockaddr.map((x) => repr(x)).join(", ")})`;
    const shownFlags = typeof flags === "string" ? flags : String(flags);
    try {
      const r = yield* loop.getnameinfo(sockaddr as never, flags as number);
      print(label, shownFlags, "->", `(${r.map((x) => repr(x)).join(", ")})`);
    } catch (e) {
      print(label, shownFlags, "->", (e as Error).name, str(e));
    }
  }
  print("coroutine function:", asyncio.isCoroutineFunction(loop.getnameinfo) ? "True" : "False");
});
