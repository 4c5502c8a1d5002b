/** Twin of 262_io_arg_types.py: write-buffer limits, Unix socket paths, listen backlogs. */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const fail = (e: unknown) => [(e as Error).name, (e as Error).message];

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const srv = await loop.createServer(() => new asyncio.Protocol(), "127.0.0.1", 0);
  const port = (srv.sockets[0]!.getsockname() as [string, number])[1];
  const [t] = await loop.createConnection(() => new asyncio.Protocol(), "127.0.0.1", port);
  const cases: [unknown, unknown][] = [
    [Number.POSITIVE_INFINITY, null],
    [null, null],
    [100, 10],
    [10, 100],
    ["x", null],
    ["x", 1],
    [null, "x"],
    [1, "x"],
    [-1, null],
    [null, 5],
    [Number.NaN, 1],
  ];
  for (const [high, low] of cases) {
    try {
      t.setWriteBufferLimits(high as never, low as never);
      const [lo, hi] = t.getWriteBufferLimits();
      print("limits", repr(high), repr(low), "->", lo, hi);
    } catch (e) {
      print("limits", repr(high), repr(low), "->", ...fail(e));
    }
  }
  t.close();
  srv.close();
  await srv.waitClosed();

  for (const p of [5, null]) {
    try {
      await asyncio.openUnixConnection(p as never);
    } catch (e) {
      print("open_unix_connection", repr(p), "->", ...fail(e));
    }
  }
  try {
    await asyncio.startUnixServer(() => {}, 5 as never);
  } catch (e) {
    print("start_unix_server 5 ->", ...fail(e));
  }
  const path = Buffer.from("/tmp/asyncio-ts-262.sock");
  const usrv = await asyncio.startUnixServer((_r, w) => w.close(), path);
  const [r, w] = await asyncio.openUnixConnection(path);
  print("a bytes path works:", await r.read());
  w.close();
  usrv.close();
  await usrv.waitClosed();
  for (const backlog of [1.5, null, "x"]) {
    try {
      const s = await asyncio.startServer(() => {}, "127.0.0.1", 0, { backlog: backlog as never });
      print("backlog", repr(backlog), "served");
      s.close();
    } catch (e) {
      print("backlog", repr(backlog), "->", ...fail(e));
    }
  }
  // `if ssl:` -- a falsy value is no TLS
  const s = await asyncio.startServer(
    (_r, w) => {
      w.write(Buffer.from("hi"));
      w.close();
    },
    "127.0.0.1",
    0,
    { ssl: 0 as never },
  );
  const sport = (s.sockets[0]!.getsockname() as [string, number])[1];
  const [r2, w2] = await asyncio.openConnection("127.0.0.1", sport, { ssl: "" as never });
  print("ssl=0 / ssl='': plain connection,", await r2.read());
  w2.close();
  s.close();
  await s.waitClosed();
});
