/**
 * Twin of 100_stream_reader.py: a StreamReader fed directly (catalogue §18 items 1-11), in
 * generator-coroutine syntax.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const b = (s: string) => Buffer.from(s, "latin1");

function show(label: string, e: unknown): void {
  print(`${label}: ${(e as Error).name}: ${(e as Error).message}`);
}

function* expectError(
  label: string,
  cls: abstract new (...a: never[]) => Error,
  body: () => Iterable<unknown>,
): asyncio.Coroutine<Error | null> {
  try {
    yield* body();
  } catch (e) {
    if (!(e instanceof cls)) throw e;
    show(label, e);
    return e;
  }
  print(`${label}: no error`);
  return null;
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();

  // 1. read()
  let r = new asyncio.StreamReader();
  print("repr new:", repr(r));
  print("read(0):", yield* r.read(0));
  r.feedData(b("abcdef"));
  print("read(3):", yield* r.read(3));
  print("read(100):", yield* r.read(100));
  loop.callSoon((x: asyncio.StreamReader) => x.feedData(b("late")), r);
  print("read(5) waits:", yield* r.read(5));
  r.feedData(b("rest"));
  r.feedEof();
  print("at_eof with data:", r.atEof());
  print("read(-1):", yield* r.read());
  print("at_eof after:", r.atEof());
  print("read() at EOF:", yield* r.read(), yield* r.read(3));

  // 2. readline()
  r = new asyncio.StreamReader();
  r.feedData(b("line1\nline2\npartial"));
  r.feedEof();
  print(
    "readline:",
    yield* r.readline(),
    yield* r.readline(),
    yield* r.readline(),
    yield* r.readline(),
  );

  // 3. readline() over the limit
  r = new asyncio.StreamReader({ limit: 7 });
  r.feedData(b("chunk1 chunk2 "));
  r.feedData(b("chunk3\n"));
  const r3 = r;
  yield* expectError("readline over limit (sep found)", asyncio.ValueError, () => r3.readline());
  print("  buffer after:", r._buffer.length);
  r = new asyncio.StreamReader({ limit: 7 });
  r.feedData(b("1234567\n"));
  print("exactly limit + newline:", yield* r.readline());
  r.feedData(b("li"));
  r.feedData(b("ne1\nline2\n"));
  print("split line:", yield* r.readline());
  r = new asyncio.StreamReader({ limit: 7 });
  r.feedData(b("0123456789"));
  r.feedEof();
  const r4 = r;
  yield* expectError("readline over limit (no sep)", asyncio.ValueError, () => r4.readline());
  print("  buffer after:", r._buffer.length);
  r = new asyncio.StreamReader({ limit: 7 });
  r.feedData(b("01234567890\nchunk3\n"));
  const r5 = r;
  yield* expectError("readline long line", asyncio.ValueError, () => r5.readline());
  print("  rest:", yield* r.readline());

  // 4. limit <= 0
  for (const lim of [0, -1]) {
    try {
      new asyncio.StreamReader({ limit: lim });
    } catch (e) {
      show(`StreamReader(limit=${lim})`, e);
    }
  }

  // 5. readuntil()
  r = new asyncio.StreamReader();
  const r6 = r;
  yield* expectError("readuntil(b'')", asyncio.ValueError, () => r6.readuntil(b("")));
  yield* expectError("readuntil(())", asyncio.ValueError, () => r6.readuntil([]));
  r.feedData(b("lineAAA"));
  loop.callSoon((x: asyncio.StreamReader) => x.feedData(b("xxxAAA")), r);
  print("readuntil across chunks:", yield* r.readuntil(b("AAA")));
  print("remainder:", yield* r.readuntil(b("AAA")));
  r.feedData(b("one\r\ntwo\nthree\r\n"));
  print(
    "readuntil tuple:",
    yield* r.readuntil([b("\r\n"), b("\n")]),
    yield* r.readuntil([b("\n"), b("\r\n")]),
  );
  r.feedData(b("abcXYZdefXY"));
  print("readuntil tuple shortest match:", yield* r.readuntil([b("XYZdef"), b("Z")]));

  // 6. readuntil at EOF
  r = new asyncio.StreamReader();
  r.feedData(b("some dataAA"));
  r.feedEof();
  const r7 = r;
  let e = (yield* expectError("readuntil EOF", asyncio.IncompleteReadError, () =>
    r7.readuntil(b("AAA")),
  )) as asyncio.IncompleteReadError;
  print("  partial:", e.partial, "expected:", e.expected, "| buffer:", r._buffer.length);

  // 7. readuntil limit
  r = new asyncio.StreamReader({ limit: 3 });
  r.feedData(b("some dataAA"));
  const r8 = r;
  let lo = (yield* expectError("readuntil limit (no sep)", asyncio.LimitOverrunError, () =>
    r8.readuntil(b("AAA")),
  )) as asyncio.LimitOverrunError;
  print("  consumed:", lo.consumed, "| buffer kept:", r._buffer.view());
  r = new asyncio.StreamReader({ limit: 3 });
  r.feedData(b("some dataAAA"));
  const r9 = r;
  lo = (yield* expectError("readuntil limit (sep found)", asyncio.LimitOverrunError, () =>
    r9.readuntil(b("AAA")),
  )) as asyncio.LimitOverrunError;
  print("  consumed:", lo.consumed, "| buffer kept:", r._buffer.view());
  r = new asyncio.StreamReader({ limit: 3 });
  r.feedData(b("abcAAA"));
  print("readuntil exactly at limit:", yield* r.readuntil(b("AAA")));

  // 8. readexactly
  r = new asyncio.StreamReader({ limit: 2 });
  print("readexactly(0):", yield* r.readexactly(0));
  const r10 = r;
  yield* expectError("readexactly(-1)", asyncio.ValueError, () => r10.readexactly(-1));
  const data = b("chunk".repeat(4));
  loop.callSoon((x: asyncio.StreamReader) => x.feedData(data), r);
  loop.callSoon((x: asyncio.StreamReader) => x.feedData(data), r);
  print("readexactly ignores limit:", yield* r.readexactly(30));
  loop.callSoon((x: asyncio.StreamReader) => x.feedData(b("x".repeat(8))), r);
  loop.callSoon((x: asyncio.StreamReader) => x.feedEof(), r);
  e = (yield* expectError("readexactly EOF", asyncio.IncompleteReadError, () =>
    r10.readexactly(36),
  )) as asyncio.IncompleteReadError;
  print("  partial:", e.partial, "expected:", e.expected);
  print(
    "IncompleteReadError is EOFError:",
    asyncio.IncompleteReadError.prototype instanceof asyncio.EOFError,
  );
  print("LimitOverrunError is Exception:", asyncio.LimitOverrunError.prototype instanceof Error);

  // 9. setException
  r = new asyncio.StreamReader();
  const exc = new asyncio.ValueError("boom");
  r.feedData(b("data\n"));
  r.setException(exc);
  print("exception():", repr(r.exception()));
  const methods: [string, (x: asyncio.StreamReader) => asyncio.Coroutine<unknown>][] = [
    ["read", (x) => x.read(1)],
    ["readline", (x) => x.readline()],
    ["readuntil", (x) => x.readuntil()],
    ["readexactly", (x) => x.readexactly(1)],
  ];
  for (const [name, call] of methods) {
    try {
      yield* call(r);
    } catch (err) {
      print(`  ${name} raises the same object:`, err === exc);
    }
  }
  r = new asyncio.StreamReader();
  const t = asyncio.createTask(r.readline());
  yield* asyncio.sleep(0);
  r.setException(new asyncio.RuntimeError("wake"));
  yield* expectError("waiting reader woken with", asyncio.RuntimeError, () => t);

  // 10. two readers
  r = new asyncio.StreamReader();
  const t1 = asyncio.createTask(r.read(1));
  yield* asyncio.sleep(0);
  for (const [name, call] of [methods[0]!, methods[1]!, methods[3]!, methods[2]!]) {
    const rr = r;
    yield* expectError(`second ${name}`, asyncio.RuntimeError, () => call(rr));
  }
  r.feedData(b("z"));
  print("first reader got:", yield* t1);

  // 11. async iteration (see test/streams.test.ts for `for await`) and repr
  r = new asyncio.StreamReader();
  r.feedData(b("a\nbb\nccc"));
  r.feedEof();
  const lines: Buffer[] = [];
  for (;;) {
    const line = yield* r.readline();
    if (line.length === 0) break;
    lines.push(line);
  }
  print("lines:", lines);
  r = new asyncio.StreamReader();
  r.feedData(b("data"));
  r.feedEof();
  print("repr:", repr(r));
  print("repr limit:", repr(new asyncio.StreamReader({ limit: 123 })));
  r = new asyncio.StreamReader();
  r.setException(new asyncio.ValueError());
  print("repr exception:", repr(r));
  try {
    r = new asyncio.StreamReader();
    r.feedEof();
    r.feedData(b("x"));
  } catch (err) {
    show("feed_data after feed_eof", err);
  }
}

await asyncio.run(main);
