/** Twin of 256_stream_arg_errors.py: readuntil() separators and feedData() data that are not bytes. */
import { pyStr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const b = (s: string) => Buffer.from(s, "latin1");
function show(label: string, e: unknown) {
  print(`${label}: ${(e as Error).name}: ${pyStr(e)}`);
}
async function main() {
  const cases: [string, unknown][] = [
    ["readuntil(str)", "\r\n"],
    ["readuntil(str1)", "x"],
    ["readuntil(empty str)", ""],
    ["readuntil(int)", 5],
    ["readuntil(None)", null],
    ["readuntil([b'a', str])", [b("a"), "b"]],
    ["readuntil([])", []],
    ["readuntil([b''])", [b("")]],
    ["readuntil(b'')", b("")],
    ["readuntil([b'', b'x'])", [b(""), b("x")]],
    ["readuntil(bytearray)", new Uint8Array([99])],
    ["readuntil(memoryview)", new DataView(new Uint8Array([99]).buffer)],
    ["readuntil((bytearray,))", [new Uint8Array([99])]],
  ];
  for (const [label, sep] of cases) {
    let r = new asyncio.StreamReader();
    r.feedData(b("abc\r\nxyz"));
    try {
      print(label, "buffered ->", await r.readuntil(sep as Uint8Array));
    } catch (e) {
      show(`${label} buffered`, e);
    }
    r = new asyncio.StreamReader();
    const rr = r;
    const t = asyncio.createTask(() => rr.readuntil(sep as Uint8Array));
    await asyncio.sleep(0);
    print(label, "empty: done after one step", t.done());
    if (!t.done()) {
      r.feedData(b("q"));
      await asyncio.sleep(0);
      print(label, "  after feed: done", t.done());
      if (!t.done()) r.feedEof();
    }
    try {
      print(label, "empty ->", await t);
    } catch (e) {
      show(`${label} empty`, e);
    }
  }
  const r = new asyncio.StreamReader();
  for (const [label, data] of [
    ["feed_data(str)", "abc"],
    ["feed_data(empty str)", ""],
    ["feed_data(int)", 3],
    ["feed_data(None)", null],
    ["feed_data(list)", [65, 66]],
  ] as [string, unknown][]) {
    try {
      r.feedData(data as Uint8Array);
      print(label, "ok", (r as unknown as { _buffer: { view(): Uint8Array } })._buffer.view());
    } catch (e) {
      show(label, e);
    }
  }
  for (const [label, n] of [
    ["readexactly(-1)", -1],
    ["read(-2)", -2],
  ] as [string, number][]) {
    const r = new asyncio.StreamReader();
    r.feedData(b("12"));
    r.feedEof();
    try {
      print(label, await (label.includes("exactly") ? r.readexactly(n) : r.read(n)));
    } catch (e) {
      show(label, e);
    }
  }
  for (const lim of [0, -1]) {
    try {
      new asyncio.StreamReader({ limit: lim });
    } catch (e) {
      show(`StreamReader(limit=${lim})`, e);
    }
  }
  try {
    await asyncio.openConnection("127.0.0.1", 1, { limit: 0 });
  } catch (e) {
    show("open_connection(limit=0)", e);
  }
  try {
    await asyncio.startServer(() => {}, "127.0.0.1", 0, { limit: 0 });
  } catch (e) {
    show("start_server(limit=0)", e);
  }
  const srv = await asyncio.startServer(() => {}, "127.0.0.1", 0, { limit: -5 });
  print("start_server(limit=-5) accepted", srv.isServing());
  srv.close();
  await srv.waitClosed();
}
asyncio.run(main);
