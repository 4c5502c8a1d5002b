/**
 * Twin of 152_stream_reader_edges.py: the stream errors' args, str and repr; stored exceptions;
 * readuntil()/readline()/readexactly() limits and EOF; async iteration.
 */

import { pyStr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const b = (s: string) => Buffer.from(s);
function show(label: string, e: unknown): void {
  print(
    `${label}: ${(e as Error).name}: ${pyStr(e)} | args=${repr((e as { args: unknown[] }).args)}`,
  );
}
const buf = (r: asyncio.StreamReader) =>
  (r as unknown as { _buffer: { view(): Buffer; length: number } })._buffer;
async function main(): Promise<void> {
  let e: Error & { partial?: unknown; expected?: unknown; consumed?: unknown } =
    new asyncio.IncompleteReadError(b("ab"), 5);
  show("IncompleteReadError(b'ab', 5)", e);
  print("  repr:", repr(e), e.partial, e.expected);
  e = new asyncio.IncompleteReadError(b(""), null);
  show("IncompleteReadError(b'', None)", e);
  print("  repr:", repr(e));
  e = new asyncio.LimitOverrunError("msg", 7);
  show("LimitOverrunError('msg', 7)", e);
  print("  repr:", repr(e), e.consumed);
  let r = new asyncio.StreamReader({ limit: 5 });
  r.feedData(b(""));
  print("feed empty:", repr(r));
  r.feedData(b("abc"));
  r.setException(new asyncio.ValueError("x"));
  for (const [name, coro] of [
    ["read", () => r.read(1)],
    ["read0", () => r.read(0)],
    ["readexactly0", () => r.readexactly(0)],
    ["readline", () => r.readline()],
  ] as const) {
    try {
      print(name, await coro());
    } catch (ex) {
      show(name, ex);
    }
  }
  print("repr with exc:", repr(r));
  r = new asyncio.StreamReader({ limit: 4 });
  r.feedData(b("abcdefgh"));
  try {
    await r.readuntil([b("x"), b("y")]);
  } catch (ex) {
    show("readuntil tuple no sep over limit", ex);
    print("  consumed", (ex as { consumed: number }).consumed, "buffer", buf(r).length);
  }
  try {
    await r.readuntil([b("fg"), b("h")]);
  } catch (ex) {
    show("readuntil tuple sep over limit", ex);
    print("  consumed", (ex as { consumed: number }).consumed);
  }
  r.feedEof();
  try {
    await r.readuntil(b("z"));
  } catch (ex) {
    const x = ex as { partial?: unknown; expected?: unknown; consumed?: unknown };
    show("readuntil eof", ex);
    print("  ", x.partial ?? null, x.expected ?? null, x.consumed ?? null);
  }
  print(
    "at_eof",
    r.atEof(),
    "read(5)",
    await r.read(5),
    "readline",
    await r.readline(),
    "readexactly(0)",
    await r.readexactly(0),
  );
  try {
    await r.readexactly(1);
  } catch (ex) {
    show("readexactly(1) at eof", ex);
  }
  const r1 = new asyncio.StreamReader();
  let t: asyncio.Task<unknown> = asyncio.createTask(async () => {
    try {
      return await r1.readexactly(5);
    } catch (ex) {
      show("waiting readexactly", ex);
    }
  });
  await asyncio.sleep(0);
  r1.feedData(b("12"));
  await asyncio.sleep(0);
  r1.feedEof();
  await t;
  const r2 = new asyncio.StreamReader({ limit: 3 });
  r2.feedData(b("ab"));
  t = asyncio.createTask(r2.readline());
  await asyncio.sleep(0);
  r2.feedData(b("c\nrest"));
  print("readline straddle:", await t);
  r2.feedData(b("defgh"));
  t = asyncio.createTask(r2.readline());
  await asyncio.sleep(0);
  try {
    await t;
  } catch (ex) {
    show("readline limit while waiting", ex);
  }
  print("buffer after:", Buffer.from(buf(r2).view()));
  const r3 = new asyncio.StreamReader({ limit: 4 });
  r3.feedData(b("abcd"));
  t = asyncio.createTask(r3.readuntil(b("XY")));
  await asyncio.sleep(0);
  r3.feedData(b("X"));
  await asyncio.sleep(0);
  print("waiting with abcdX:", t.done());
  r3.feedData(b("Y"));
  try {
    print("readuntil abcdXY limit 4:", await t);
  } catch (ex) {
    show("readuntil abcdXY limit 4", ex);
    print("  consumed", (ex as { consumed: number }).consumed);
  }
  r = new asyncio.StreamReader();
  r.feedData(b("12345"));
  r.feedEof();
  print("read(-5):", await r.read(-5));
  r = new asyncio.StreamReader();
  r.feedData(b("x\ny"));
  r.feedEof();
  const lines: unknown[] = [];
  for await (const l of r) lines.push(l);
  print("aiter:", lines);
  r = new asyncio.StreamReader();
  print("exception():", r.exception());
  r.feedEof();
  r.feedEof();
  print("feed_eof twice:", repr(r));
  const r4 = new asyncio.StreamReader({ limit: 2 });
  t = asyncio.createTask(r4.readexactly(6));
  for (const part of ["ab", "cd", "efg"]) {
    await asyncio.sleep(0);
    r4.feedData(b(part));
  }
  print("readexactly over limit:", await t, "left", Buffer.from(buf(r4).view()));
}
await asyncio.run(main);
