/**
 * Streams over real sockets on 127.0.0.1 (port 0): openConnection/startServer, StreamReader
 * limits and errors, StreamWriter.drain flow control, Server lifecycle, and the faults of
 * issue 5 (a line over the limit, a reset mid-read, a peer that never reads, a refused
 * connection, a misbehaving client next to well-behaved ones), in both coroutine syntaxes.
 * The StreamReader fed directly is traced step by step in conformance/100_stream_reader.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as net from "node:net";
import { test } from "node:test";
import { pyRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { prng } from "./fixtures/prng.ts";

const b = (s: string) => Buffer.from(s, "latin1");

/** `assert.rejects` for any awaitable (library coroutines and Futures are thenables, not Promises). */
function rejects(
  aw: PromiseLike<unknown>,
  expected: Parameters<typeof assert.rejects>[1],
): Promise<void> {
  return assert.rejects(async () => {
    await aw;
  }, expected);
}

function portOf(server: asyncio.Server): number {
  return (server.sockets[0]!.getsockname() as [string, number])[1];
}

// ---- StreamReader fed directly --------------------------------------------------------------

test("StreamReader: read, readline, readuntil, readexactly (async syntax)", async () => {
  await asyncio.run(
    async () => {
      const r = new asyncio.StreamReader({ limit: 16 });
      r.feedData(b("hello\nwor"));
      assert.deepEqual(await r.readline(), b("hello\n"));
      asyncio.getRunningLoop().callSoon(() => r.feedData(b("ld\nXYZ")));
      assert.deepEqual(await r.readuntil(b("\n")), b("world\n"));
      assert.deepEqual(await r.readexactly(2), b("XY"));
      r.feedEof();
      assert.deepEqual(await r.read(), b("Z"));
      assert.equal(r.atEof(), true);
      assert.deepEqual(await r.read(5), b(""));
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
});

test("StreamReader: the same in generator syntax, and isCoroutine() of its methods", async () => {
  await asyncio.run(
    function* () {
      const r = new asyncio.StreamReader();
      assert.equal(asyncio.isCoroutine(r.read(0)), true);
      r.feedData(b("a|b||c"));
      r.feedEof();
      assert.deepEqual(yield* r.readuntil([b("||"), b("|")]), b("a|"));
      assert.deepEqual(yield* r.readuntil([b("||"), b("|")]), b("b|"));
      assert.deepEqual(yield* r.readuntil(b("|")), b("|"));
      const e = yield* catching(r.readuntil(b("|")));
      assert.ok(e instanceof asyncio.IncompleteReadError);
      assert.deepEqual(e.partial, b("c"));
      assert.equal(e.expected, null);
      assert.ok(e instanceof asyncio.EOFError);
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
});

function* catching(c: Iterable<unknown>): asyncio.Coroutine<unknown> {
  try {
    yield* c;
  } catch (e) {
    return e;
  }
  assert.fail("expected an error");
}

test("StreamReader: `for await` over lines, createTask(reader.readline())", async () => {
  await asyncio.run(
    async () => {
      const r = new asyncio.StreamReader();
      const loop = asyncio.getRunningLoop();
      loop.callSoon(() => r.feedData(b("one\ntwo\n")));
      loop.callLater(0.1, () => {
        r.feedData(b("three"));
        r.feedEof();
      });
      const lines: string[] = [];
      for await (const line of r) lines.push(line.toString());
      assert.deepEqual(lines, ["one\n", "two\n", "three"]);
      const r2 = new asyncio.StreamReader();
      const t = asyncio.createTask(r2.readline());
      await asyncio.sleep(0);
      r2.feedData(b("x\n"));
      assert.deepEqual(await t, b("x\n"));
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
});

test("StreamReader.anext(): the lines one step at a time, in a generator coroutine", async () => {
  const lines = await asyncio.run(
    function* () {
      const r = new asyncio.StreamReader();
      asyncio.getRunningLoop().callLater(0.1, () => {
        r.feedData(b("one\ntwo"));
        r.feedEof();
      });
      const out: string[] = [];
      for (;;) {
        const step = yield* r.anext();
        if (step.done) break;
        out.push(step.value.toString());
      }
      return out;
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
  assert.deepEqual(lines, ["one\n", "two"]);
});

test("StreamReader: limit errors keep or drop the buffer as CPython does", async () => {
  await asyncio.run(
    async () => {
      const r = new asyncio.StreamReader({ limit: 4 });
      r.feedData(b("0123456789\nrest\n"));
      await rejects(r.readline(), {
        name: "ValueError",
        message: "Separator is found, but chunk is longer than limit",
      });
      assert.deepEqual(await r.readline(), b("rest\n"));
      r.feedData(b("abcdefgh"));
      await rejects(r.readuntil(b("!")), (e: unknown) => {
        assert.ok(e instanceof asyncio.LimitOverrunError);
        assert.equal(e.message, "Separator is not found, and chunk exceed the limit");
        assert.equal(e.consumed, 8);
        return true;
      });
      assert.equal(r._buffer.length, 8, "readuntil keeps the data");
      await rejects(r.readline(), { name: "ValueError" });
      assert.equal(r._buffer.length, 0, "readline drops it");
      assert.throws(() => new asyncio.StreamReader({ limit: 0 }), {
        name: "ValueError",
        message: "Limit cannot be <= 0",
      });
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
});

test("StreamReader: feedData copies, setException wakes the reader, repr", async () => {
  await asyncio.run(
    async () => {
      const r = new asyncio.StreamReader();
      const data = b("abc");
      r.feedData(data);
      data[0] = 0x7a;
      assert.deepEqual(await r.read(1), b("a"));
      const waiting = asyncio.createTask(r.readexactly(10));
      await asyncio.sleep(0);
      assert.match(pyRepr(r), /^<StreamReader 2 bytes waiter=<Future pending/);
      const exc = new asyncio.ConnectionResetError("gone");
      r.setException(exc);
      await rejects(waiting, (e) => e === exc);
      assert.equal(r.exception(), exc);
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
});

// ---- echo over TCP, both syntaxes -----------------------------------------------------------

test("echo over TCP with generator coroutines on both ends", async () => {
  await asyncio.run(function* () {
    const server = yield* asyncio.startServer(
      function* (reader, writer) {
        for (;;) {
          const line = yield* reader.readline();
          if (line.length === 0) break;
          writer.write(line);
          yield* writer.drain();
        }
        writer.close();
        yield* writer.waitClosed();
      },
      "127.0.0.1",
      0,
    );
    const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
    for (let i = 0; i < 50; i++) {
      writer.write(b(`line ${i}\n`));
      yield* writer.drain();
      assert.deepEqual(yield* reader.readline(), b(`line ${i}\n`));
    }
    writer.writeEof();
    assert.deepEqual(yield* reader.read(), b(""));
    assert.equal(reader.atEof(), true);
    writer.close();
    yield* writer.waitClosed();
    server.close();
    yield* server.waitClosed();
  });
});

test("echo over TCP with async functions on both ends, large payloads", async () => {
  await asyncio.run(async () => {
    const server = await asyncio.startServer(
      async (reader, writer) => {
        const size = Number((await reader.readline()).toString());
        const payload = await reader.readexactly(size);
        writer.write(payload);
        await writer.drain();
        writer.close();
      },
      "127.0.0.1",
      0,
    );
    const [reader, writer] = await asyncio.openConnection("127.0.0.1", portOf(server));
    const payload = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
    writer.write(b(`${payload.length}\n`));
    writer.write(payload);
    await writer.drain();
    const back = await reader.read();
    assert.equal(back.length, payload.length);
    assert.ok(back.equals(payload));
    writer.close();
    await writer.waitClosed();
    server.close();
    await server.waitClosed();
  });
});

test("clientConnected may be a plain, async or generator function, or return a promise", async () => {
  await asyncio.run(async () => {
    const kinds = {
      plain: (_r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
        w.write(b("plain"));
        w.close();
      },
      async: async (_r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
        assert.notEqual(asyncio.currentTask(), null, "runs as a task");
        await asyncio.sleep(0);
        w.write(b("async"));
        w.close();
      },
      generator: function* (_r: asyncio.StreamReader, w: asyncio.StreamWriter) {
        assert.notEqual(asyncio.currentTask(), null, "runs as a task");
        yield* asyncio.sleep(0);
        w.write(b("generator"));
        w.close();
      },
      promise: (_r: asyncio.StreamReader, w: asyncio.StreamWriter) =>
        (async () => {
          await asyncio.sleep(0);
          w.write(b("promise"));
          w.close();
        })(),
    };
    for (const [name, cb] of Object.entries(kinds)) {
      const server = await asyncio.startServer(
        cb as asyncio.ClientConnectedCallback,
        "127.0.0.1",
        0,
      );
      const [reader, writer] = await asyncio.openConnection("127.0.0.1", portOf(server));
      assert.deepEqual(await reader.read(), b(name));
      writer.close();
      server.close();
      await server.waitClosed();
    }
  });
});

test("an error in clientConnected goes to the exception handler and closes the connection", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const contexts: Record<string, unknown>[] = [];
    loop.setExceptionHandler((_l, ctx) => {
      contexts.push(ctx);
    });
    const boom = new asyncio.ValueError("boom");
    const server = await asyncio.startServer(
      async () => {
        throw boom;
      },
      "127.0.0.1",
      0,
    );
    const [reader, writer] = await asyncio.openConnection("127.0.0.1", portOf(server));
    assert.deepEqual(await reader.read(), b(""));
    assert.equal(contexts.length, 1);
    assert.equal(contexts[0]!.message, "Unhandled exception in client_connected_cb");
    assert.equal(contexts[0]!.exception, boom);
    writer.close();
    server.close();
    await server.waitClosed();
  });
});

// ---- flow control and faults ----------------------------------------------------------------

test("drain() waits while the peer does not read, with a bounded write buffer", async () => {
  for (const style of ["gen", "async"] as const) {
    await asyncio.run(async () => {
      const go = new asyncio.Event();
      const server = await asyncio.startServer(
        async (reader, writer) => {
          await go.wait();
          let total = 0;
          for (;;) {
            const chunk = await reader.read(1 << 20);
            if (chunk.length === 0) break;
            total += chunk.length;
          }
          writer.write(b(String(total)));
          writer.close();
        },
        "127.0.0.1",
        0,
      );
      const [reader, writer] = await asyncio.openConnection("127.0.0.1", portOf(server));
      const chunk = Buffer.alloc(64 * 1024, 1);
      let written = 0;
      let maxBuffer = 0;
      const pump =
        style === "gen"
          ? asyncio.createTask(function* () {
              for (;;) {
                writer.write(chunk);
                written += chunk.length;
                maxBuffer = Math.max(maxBuffer, writer.transport.getWriteBufferSize());
                yield* writer.drain();
              }
            })
          : asyncio.createTask(async () => {
              for (;;) {
                writer.write(chunk);
                written += chunk.length;
                maxBuffer = Math.max(maxBuffer, writer.transport.getWriteBufferSize());
                await writer.drain();
              }
            });
      // Let the kernel buffers fill up until drain() blocks.
      let last = -1;
      while (written !== last) {
        last = written;
        await asyncio.sleep(0.05);
      }
      assert.equal(pump.done(), false, "the writer is blocked in drain()");
      assert.ok(writer.transport.getWriteBufferSize() > 64 * 1024, "over the high-water mark");
      assert.ok(maxBuffer <= 64 * 1024 + chunk.length, `write buffer stayed bounded: ${maxBuffer}`);
      pump.cancel();
      await asyncio.sleep(0);
      const sent = written;
      go.set();
      writer.writeEof();
      assert.equal(Number((await reader.read()).toString()), sent);
      writer.close();
      server.close();
      await server.waitClosed();
    });
  }
});

test("a line longer than the limit: ValueError, memory bounded, others still served", async () => {
  await asyncio.run(async () => {
    const limit = 1024;
    let maxBuffered = 0;
    const errors: string[] = [];
    const server = await asyncio.startServer(
      async (reader, writer) => {
        for (;;) {
          let line: Buffer;
          try {
            line = await reader.readline();
          } catch (e) {
            if (!(e instanceof asyncio.ValueError)) throw e;
            errors.push(e.message);
            maxBuffered = Math.max(maxBuffered, reader._buffer.length);
            continue;
          }
          maxBuffered = Math.max(maxBuffered, reader._buffer.length);
          if (line.length === 0) break;
          writer.write(line);
          await writer.drain();
        }
        writer.close();
      },
      "127.0.0.1",
      0,
      { limit },
    );
    const port = portOf(server);
    // The misbehaving client: 4 MiB without a newline, never reading.
    const [, bad] = await asyncio.openConnection("127.0.0.1", port);
    const flood = asyncio.createTask(async () => {
      const junk = Buffer.alloc(64 * 1024, 0x78);
      for (let i = 0; i < 64; i++) {
        bad.write(junk);
        await bad.drain();
      }
    });
    // Well-behaved clients keep getting answers meanwhile.
    const good = async (id: number) => {
      const [r, w] = await asyncio.openConnection("127.0.0.1", port);
      for (let i = 0; i < 20; i++) {
        w.write(b(`${id}:${i}\n`));
        await w.drain();
        assert.deepEqual(await r.readline(), b(`${id}:${i}\n`));
      }
      w.close();
      await w.waitClosed();
    };
    await asyncio.gather([() => good(1), () => good(2), () => good(3)]);
    await flood;
    bad.close();
    await bad.waitClosed();
    assert.ok(errors.length > 0);
    assert.ok(
      errors.every((m) => m === "Separator is not found, and chunk exceed the limit"),
      String(errors[0]),
    );
    assert.ok(maxBuffered <= 2 * limit + 256 * 1024, `buffer bounded: ${maxBuffered}`);
    server.close();
    await server.waitClosed();
  });
});

test("the reader pauses its transport over 2 × limit and resumes when drained", async () => {
  await asyncio.run(async () => {
    const limit = 4096;
    const readers: asyncio.StreamReader[] = [];
    // The writers are kept: a writer garbage-collected while open closes its transport (CPython's
    // StreamWriter.__del__), which would end the stream early whenever V8 collects it.
    const writers: asyncio.StreamWriter[] = [];
    const server = await asyncio.startServer(
      (reader, w) => {
        readers.push(reader);
        writers.push(w);
      },
      "127.0.0.1",
      0,
      { limit },
    );
    const [, writer] = await asyncio.openConnection("127.0.0.1", portOf(server));
    writer.write(Buffer.alloc(1 << 20, 0x61));
    while (readers.length === 0 || !readers[0]!._paused) await asyncio.sleep(0.01);
    const reader = readers[0]!;
    assert.equal(reader._transport!.isReading(), false);
    assert.ok(reader._buffer.length <= 2 * limit + 256 * 1024);
    writer.writeEof();
    let total = 0;
    for (;;) {
      const chunk = await reader.read(limit);
      if (chunk.length === 0) break;
      total += chunk.length;
    }
    assert.equal(total, 1 << 20);
    writer.close();
    server.close();
    server.closeClients();
    await server.waitClosed();
  });
});

test("a peer that resets mid-read: readexactly raises ConnectionResetError", async () => {
  for (const style of ["gen", "async"] as const) {
    await asyncio.run(async () => {
      const outcome = asyncio.getRunningLoop().createFuture<unknown>();
      const server = await asyncio.startServer(
        style === "gen"
          ? function* (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
              try {
                yield* reader.readexactly(1000);
                outcome.setResult("no error");
              } catch (e) {
                outcome.setResult(e);
              }
              writer.close();
            }
          : async (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) => {
              try {
                await reader.readexactly(1000);
                outcome.setResult("no error");
              } catch (e) {
                outcome.setResult(e);
              }
              writer.close();
            },
        "127.0.0.1",
        0,
      );
      const raw = net.connect(portOf(server), "127.0.0.1");
      raw.on("error", () => {});
      await new Promise((resolve) => raw.once("connect", resolve));
      raw.write("only ten b");
      await asyncio.sleep(0.05);
      raw.resetAndDestroy();
      const e = await outcome;
      assert.ok(e instanceof asyncio.ConnectionResetError, String(e));
      assert.equal((e as asyncio.OSError).errno, 104);
      server.close();
      await server.waitClosed();
    });
  }
});

test("refused connection: ConnectionRefusedError with CPython's message", async () => {
  await asyncio.run(function* () {
    const server = yield* asyncio.startServer(() => {}, "127.0.0.1", 0);
    const port = portOf(server);
    server.close();
    yield* server.waitClosed();
    const e = yield* catching(asyncio.openConnection("127.0.0.1", port));
    assert.ok(e instanceof asyncio.ConnectionRefusedError);
    assert.ok(e instanceof asyncio.ConnectionError && e instanceof asyncio.OSError);
    assert.equal(e.message, `[Errno 111] Connect call failed ('127.0.0.1', ${port})`);
    assert.deepEqual(e.args, [111, `Connect call failed ('127.0.0.1', ${port})`]);
  });
  await asyncio.run(async () => {
    await rejects(asyncio.openConnection("nonexistent.invalid", 80), {
      name: "gaierror",
      message: "[Errno -2] Name or service not known",
    });
  });
});

test("write+drain after close raises ConnectionResetError('Connection lost')", async () => {
  await asyncio.run(async () => {
    const server = await asyncio.startServer(() => {}, "127.0.0.1", 0);
    const [, writer] = await asyncio.openConnection("127.0.0.1", portOf(server));
    writer.close();
    await writer.waitClosed();
    writer.write(b("x"));
    await rejects(writer.drain(), { name: "ConnectionResetError", message: "Connection lost" });
    server.close();
    server.abortClients();
    await server.waitClosed();
  });
});

// ---- Server lifecycle -----------------------------------------------------------------------

test("Server: startServing false, serveForever cancelled, await using, reprs", async () => {
  await asyncio.run(async () => {
    const server = await asyncio.startServer(
      (_r, w) => {
        w.write(b("hi"));
        w.close();
      },
      "127.0.0.1",
      0,
      { startServing: false },
    );
    assert.equal(server.isServing(), false);
    assert.match(
      pyRepr(server),
      /^<Server sockets=\(<asyncio\.TransportSocket fd=\d+, family=2, type=1, proto=6, laddr=\('127\.0\.0\.1', \d+\)>,\)>$/,
    );
    const port = portOf(server);
    const client = asyncio.createTask(async () => {
      const [r, w] = await asyncio.openConnection("127.0.0.1", port);
      const data = await r.read();
      w.close();
      return data.toString();
    });
    await asyncio.sleep(0.05);
    assert.equal(client.done(), false, "nobody is served before startServing()");
    await server.startServing();
    assert.equal(server.isServing(), true);
    assert.equal(await client, "hi");
    const forever = asyncio.createTask(server.serveForever());
    await asyncio.sleep(0);
    await rejects(server.serveForever(), /is already being awaited on serve_forever\(\)/);
    forever.cancel();
    await rejects(forever, asyncio.CancelledError);
    assert.equal(server.isServing(), false);
    assert.equal(server.sockets.length, 0);
    await rejects(server.serveForever(), /is closed$/);
    {
      await using s2 = await asyncio.startServer(() => {}, "127.0.0.1", 0);
      assert.equal(s2.isServing(), true);
      server.close();
    }
  });
});

test("Server: waitClosed waits for connections; closeClients and abortClients", async () => {
  await asyncio.run(function* () {
    const server = yield* asyncio.startServer(() => {}, "127.0.0.1", 0);
    const [r1] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
    const [r2] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
    yield* asyncio.sleep(0.02);
    assert.equal(server._clients.size, 2);
    server.close();
    const waiter = asyncio.createTask(server.waitClosed());
    yield* asyncio.sleep(0.02);
    assert.equal(waiter.done(), false);
    server.closeClients();
    yield* waiter;
    assert.deepEqual(yield* r1.read(), b(""));
    assert.deepEqual(yield* r2.read(), b(""));
    const s2 = yield* asyncio.startServer(() => {}, "127.0.0.1", 0);
    const [r3] = yield* asyncio.openConnection("127.0.0.1", portOf(s2));
    yield* asyncio.sleep(0.02);
    s2.abortClients();
    s2.close();
    yield* s2.waitClosed();
    assert.deepEqual(yield* r3.read(), b(""));
  });
});

test("Server on several hosts, IPv6, and the bind error message", async () => {
  await asyncio.run(async () => {
    const server = await asyncio.startServer(
      (_r, w) => {
        w.write(b(String((w.getExtraInfo("sockname") as [string])[0])));
        w.close();
      },
      ["127.0.0.1", "::1"],
      0,
    );
    assert.equal(server.sockets.length, 2);
    const families = server.sockets.map((s) => s.family).sort((x, y) => x - y);
    assert.deepEqual(families, [asyncio.socket.AF_INET, asyncio.socket.AF_INET6]);
    const v6 = server.sockets.find((s) => s.family === asyncio.socket.AF_INET6)!;
    const [host6, port6, flow, scope] = v6.getsockname() as [string, number, number, number];
    assert.deepEqual([host6, flow, scope], ["::1", 0, 0]);
    const [r, w] = await asyncio.openConnection("::1", port6);
    assert.deepEqual(await r.read(), b("::1"));
    w.close();
    const port4 = portOf(server);
    await rejects(
      asyncio.startServer(() => {}, "127.0.0.1", port4),
      {
        name: "OSError",
        message: `[Errno 98] error while attempting to bind on address ('127.0.0.1', ${port4}): [errno 98] address already in use`,
      },
    );
    server.close();
    await server.waitClosed();
  });
});

test("createConnection ordering: connectionMade runs before openConnection returns", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const server = await asyncio.startServer((_r, w) => w.write(b("x")), "127.0.0.1", 0);
    const order: string[] = [];
    class P extends asyncio.Protocol {
      override connectionMade(): void {
        order.push("connection_made");
      }
      override dataReceived(): void {
        order.push("data_received");
      }
    }
    await loop.createConnection(() => new P(), "127.0.0.1", portOf(server));
    order.push("returned");
    await asyncio.sleep(0.05);
    assert.deepEqual(order, ["connection_made", "returned", "data_received"]);
    server.close();
    server.closeClients();
    await server.waitClosed();
  });
});

// ---- drain() fast path, unaliased reads, sockets handed over with bytes buffered ---------

/** A guard against hangs (a failing test rather than a stuck run), not a timing assertion. */
const HANG_GUARD = 60_000;

/** `n` deterministic pseudo-random bytes. */
function randomBytes(n: number, seed: number): Buffer {
  const r = prng(seed);
  const out = Buffer.allocUnsafe(n + 3);
  for (let i = 0; i < n; i += 4) out.writeUInt32LE((r() * 0x100000000) >>> 0, i);
  return out.subarray(0, n);
}

const sha = (...bufs: Uint8Array[]): string => {
  const h = createHash("sha256");
  for (const x of bufs) h.update(x);
  return h.digest("hex");
};

/** A connected pair of streams: [client reader, client writer, server reader, server writer]. */
async function streamPair(options: asyncio.StartServerOptions = {}): Promise<{
  server: asyncio.Server;
  client: [asyncio.StreamReader, asyncio.StreamWriter];
  accepted: [asyncio.StreamReader, asyncio.StreamWriter];
}> {
  let accepted: [asyncio.StreamReader, asyncio.StreamWriter] | null = null;
  const server = await asyncio.startServer(
    (r, w) => {
      accepted = [r, w];
    },
    "127.0.0.1",
    0,
    options,
  );
  const client = await asyncio.openConnection("127.0.0.1", portOf(server));
  while (accepted === null) await asyncio.sleep(0.002);
  return { server, client, accepted };
}

/** Counts loop iterations from now until the returned function is called. */
function iterationCounter(): () => number {
  const loop = asyncio.getRunningLoop();
  let n = 0;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    n++;
    loop.callSoon(tick);
  };
  loop.callSoon(tick);
  return () => {
    stopped = true;
    return n;
  };
}

test("drain() after a write far over the high-water mark waits for a slow reader (both ends)", {
  timeout: HANG_GUARD,
}, async () => {
  // Far more than the kernel's socket buffers can hold, so most of it stays in Node's buffer.
  const payload = randomBytes(32 * 1024 * 1024, 11);
  for (const side of ["client", "accepted"] as const) {
    await asyncio.run(async () => {
      const { server, client, accepted } = await streamPair();
      const [, writer] = side === "client" ? client : accepted;
      const [reader] = side === "client" ? accepted : client;
      writer.write(payload);
      let sizeAfterDrain = -1;
      const drained = asyncio.createTask(async () => {
        await writer.drain();
        sizeAfterDrain = writer.transport.getWriteBufferSize();
      });
      for (let i = 0; i < 5; i++) await asyncio.sleep(0);
      await asyncio.sleep(0.02);
      for (let i = 0; i < 5; i++) await asyncio.sleep(0);
      assert.equal(drained.done(), false, "drain() waits while the reader does not read");
      assert.ok(writer.transport.getWriteBufferSize() > 64 * 1024);
      // The reader catches up, slowly.
      const got: Buffer[] = [];
      let total = 0;
      while (total < payload.length) {
        const chunk = await reader.read(64 * 1024);
        assert.ok(chunk.length > 0);
        got.push(chunk);
        total += chunk.length;
        await asyncio.sleep(0);
      }
      await drained;
      assert.ok(sizeAfterDrain <= 16 * 1024, `drained to the low mark: ${sizeAfterDrain}`);
      assert.equal(sha(...got), sha(payload), "every byte, in order");
      // Not paused any more: drain() returns at once.
      const stop = iterationCounter();
      await writer.drain();
      assert.ok(stop() <= 1);
      client[1].close();
      accepted[1].close();
      await client[1].waitClosed();
      server.close();
      await server.waitClosed();
    });
  }
});

test("drain() with nothing to wait for completes at once, in both syntaxes", {
  timeout: HANG_GUARD,
}, async () => {
  await asyncio.run(function* () {
    const { server, client, accepted } = yield* asyncio.ensureFuture(streamPair());
    for (const [, writer] of [client, accepted]) {
      let stop = iterationCounter();
      yield* writer.drain();
      assert.equal(stop(), 0, "yield* drain() does not suspend");
      writer.write(Buffer.alloc(1024, 0x61));
      stop = iterationCounter();
      yield* writer.drain();
      assert.equal(stop(), 0, "under the high-water mark: no suspension either");
    }
    client[1].close();
    accepted[1].close();
    server.close();
    yield* server.waitClosed();
  });
  await asyncio.run(async () => {
    const { server, client, accepted } = await streamPair();
    for (const [, writer] of [client, accepted]) {
      let stop = iterationCounter();
      await writer.drain();
      assert.ok(stop() <= 1, "await drain() takes at most an iteration");
      writer.write(Buffer.alloc(1024, 0x61));
      stop = iterationCounter();
      await writer.drain();
      assert.ok(stop() <= 1);
    }
    // A lost connection is still reported by the fast path's fallback.
    client[1].close();
    await client[1].waitClosed();
    await rejects(client[1].drain(), { name: "ConnectionResetError" });
    accepted[1].close();
    server.close();
    await server.waitClosed();
  });
});

test("read(n)/readexactly return the right bytes in buffers that alias nothing", {
  timeout: HANG_GUARD,
}, async () => {
  const payload = randomBytes(1024 * 1024, 12);
  await asyncio.run(async () => {
    const { server, client, accepted } = await streamPair();
    const [reader] = client;
    const [, writer] = accepted;
    // Sent in pieces with pauses, so the reader sees many separate chunks.
    const sender = asyncio.createTask(async () => {
      const r = prng(13);
      for (let i = 0; i < payload.length; ) {
        const n = 1 + Math.floor(r() * 50000);
        writer.write(payload.subarray(i, i + n));
        i += n;
        if (r() < 0.3) await asyncio.sleep(0.001);
        else await writer.drain();
      }
      writer.close();
    });
    const r = prng(14);
    const kept: [Buffer, number][] = [];
    let offset = 0;
    let k = 0;
    while (offset < payload.length) {
      const choice = r();
      let got: Buffer;
      if (choice < 0.3) {
        got = await reader.read(1 << 20); // whole chunks, as they arrived
      } else if (choice < 0.6) {
        got = await reader.read(1 + Math.floor(r() * 70000));
      } else {
        const n = Math.min(payload.length - offset, 1 + Math.floor(r() * 30000));
        got = await reader.readexactly(n);
        assert.equal(got.length, n);
      }
      assert.ok(got.length > 0);
      assert.ok(got.equals(payload.subarray(offset, offset + got.length)), `read #${k} is right`);
      if (k % 2 === 0) {
        // Scribbling over a returned buffer must not change what later reads return...
        got.fill(0xee);
      } else {
        // ...and later reads must not change a buffer returned earlier.
        kept.push([got, offset]);
      }
      offset += got.length;
      k++;
    }
    assert.deepEqual(await reader.read(), b(""));
    await sender;
    for (const [buf, at] of kept) {
      assert.ok(buf.equals(payload.subarray(at, at + buf.length)), `kept buffer at ${at}`);
    }
    assert.ok(k > 20, `${k} reads`);
    client[1].close();
    server.close();
    await server.waitClosed();
  });
});

test("streams on sockets that had bytes (and EOF) buffered before they were handed over", {
  timeout: HANG_GUARD,
}, async () => {
  const early = randomBytes(40 * 1024, 15);
  const later = randomBytes(300 * 1024, 16);
  // Node read what it would (up to its high-water mark; the rest waits in the kernel), and EOF.
  const buffered = (s: net.Socket, n: number, eof: boolean): boolean =>
    s.readableLength >= Math.min(n, s.readableHighWaterMark) &&
    (!eof || (s as unknown as { _readableState: { ended: boolean } })._readableState.ended);
  for (const withEof of [false, true]) {
    // With EOF: little enough that Node reads all of it and the EOF before the hand-over.
    const first = withEof ? early.subarray(0, 1000) : early;
    // openConnection({ sock }): a connected socket the peer already wrote to.
    await asyncio.run(async () => {
      const peers: net.Socket[] = [];
      const node = net.createServer((s) => {
        peers.push(s);
        s.on("error", () => {});
        s.write(first);
        if (withEof) s.end();
      });
      await new Promise<void>((resolve) => node.listen(0, "127.0.0.1", resolve));
      const raw = net.connect((node.address() as net.AddressInfo).port, "127.0.0.1");
      while (!buffered(raw, first.length, withEof)) await asyncio.sleep(0.002);
      const [reader, writer] = await asyncio.openConnection(null, null, { sock: raw });
      assert.ok((await reader.readexactly(first.length)).equals(first));
      if (!withEof) peers[0]!.end(later);
      const rest = await reader.read();
      assert.ok(rest.equals(withEof ? b("") : later));
      assert.equal(reader.atEof(), true);
      writer.close();
      await writer.waitClosed();
      await new Promise((resolve) => node.close(resolve));
    });
    // startServer({ sock, startServing: false }): a connection accepted before serving.
    await asyncio.run(async () => {
      const node = net.createServer({ allowHalfOpen: true });
      const nodeSocks: net.Socket[] = [];
      node.on("connection", (s: net.Socket) => nodeSocks.push(s));
      await new Promise<void>((resolve) => node.listen(0, "127.0.0.1", resolve));
      const got = asyncio.getRunningLoop().createFuture<Buffer>();
      const server = await asyncio.startServer(
        async (reader, writer) => {
          got.setResult(await reader.read());
          writer.close();
        },
        null,
        null,
        { sock: node, startServing: false },
      );
      const raw = net.connect((node.address() as net.AddressInfo).port, "127.0.0.1");
      raw.on("error", () => {});
      raw.write(first);
      if (withEof) raw.end();
      while (nodeSocks.length === 0 || !buffered(nodeSocks[0]!, first.length, withEof)) {
        await asyncio.sleep(0.002);
      }
      await server.startServing();
      if (!withEof) raw.end(later);
      const all = await got;
      assert.equal(sha(all), sha(withEof ? first : Buffer.concat([first, later])));
      raw.destroy();
      server.close();
      await server.waitClosed();
    });
  }
});

test("StreamReader.setException(null) with a waiting read: TypeError, as CPython's waiter raises", async () => {
  await asyncio.run(
    async () => {
      const r = new asyncio.StreamReader();
      const waiting = asyncio.createTask(r.read(1));
      await asyncio.sleep(0);
      assert.throws(() => r.setException(null), {
        name: "TypeError",
        message: "invalid exception object",
      });
      assert.equal(r.exception(), null);
      assert.equal(waiting.done(), false);
      waiting.cancel();
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
});

test("startServing() on a closed server: CPython's TypeError, then isServing() is true", async () => {
  await asyncio.run(async () => {
    const server = await asyncio.startServer(() => {}, "127.0.0.1", 0);
    server.close();
    await server.waitClosed();
    await assert.rejects(async () => await server.startServing(), {
      name: "TypeError",
      message: "'NoneType' object is not iterable",
    });
    assert.equal(server.isServing(), true);
    assert.deepEqual(server.sockets, []);
    await server.startServing();
  });
});

test("StreamReader: the iterator for await uses is itself async-iterable (a header line, then the rest)", async () => {
  await asyncio.run(async () => {
    const r = new asyncio.StreamReader();
    r.feedData(b("header\nrow1\nrow2\n"));
    r.feedEof();
    const it = r[Symbol.asyncIterator]();
    const header = await it.next();
    assert.deepEqual(header, { value: b("header\n"), done: false });
    const rows: string[] = [];
    for await (const row of it) rows.push(row.toString());
    assert.deepEqual(rows, ["row1\n", "row2\n"]);
  });
});

test("StreamReader limits as Python's 'limit <= 0': None and str are TypeErrors, NaN passes, 0 is ValueError; an omitted limit is the default", async () => {
  await asyncio.run(async () => {
    const bad = (limit: unknown) => {
      try {
        new asyncio.StreamReader({ limit: limit as number });
        return "ok";
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    assert.equal(
      bad(null),
      "TypeError: '<=' not supported between instances of 'NoneType' and 'int'",
    );
    assert.equal(bad("10"), "TypeError: '<=' not supported between instances of 'str' and 'int'");
    assert.equal(bad(Number.NaN), "ok");
    assert.equal(bad(0), "ValueError: Limit cannot be <= 0");
    assert.equal(new asyncio.StreamReader().limit, 2 ** 16);
    await assert.rejects(async () => {
      await asyncio.openConnection("127.0.0.1", 9, { limit: null as unknown as number });
    }, /^TypeError: '<=' not supported/);
  });
});

test("a transport's socket after close: getsockname()/getpeername() are OSError(EBADF), as on a closed Python socket; a peer that resets at once still has its peername", async () => {
  await asyncio.run(async () => {
    let peer: unknown = "unset";
    const server = await asyncio.startServer(
      (_r, w) => {
        peer = w.getExtraInfo("peername");
        w.close();
      },
      "127.0.0.1",
      0,
    );
    const s = server.sockets[0]!;
    const port = s.getsockname()[1] as number;
    const c = net.connect(port, "127.0.0.1", () => c.resetAndDestroy());
    for (let i = 0; i < 100 && peer === "unset"; i++) await asyncio.sleep(0.01);
    assert.equal((peer as [string, number])[0], "127.0.0.1");
    const [, w] = await asyncio.openConnection("127.0.0.1", port);
    const ts = w.getExtraInfo("socket") as asyncio.socket.TransportSocket;
    assert.equal(ts.getpeername()[1], port);
    w.close();
    await w.waitClosed();
    assert.throws(() => ts.getsockname(), /^OSError: \[Errno 9\] Bad file descriptor$/);
    assert.throws(() => ts.getpeername(), /^OSError: \[Errno 9\] Bad file descriptor$/);
    server.close();
    await server.waitClosed();
    assert.throws(() => s.getsockname(), /Bad file descriptor/);
  });
});

test("StreamReader subclasses: readline() calls readuntil(), read() calls read(limit), the protocol calls feedData(), as CPython's do", async () => {
  await asyncio.run(async () => {
    const calls: string[] = [];
    class R extends asyncio.StreamReader {
      override readuntil(
        sep?: Uint8Array | readonly Uint8Array[],
      ): asyncio.AwaitableCoroutine<Buffer> {
        calls.push("readuntil");
        return super.readuntil(sep);
      }
      override read(n = -1): asyncio.AwaitableCoroutine<Buffer> {
        calls.push(`read(${n})`);
        return super.read(n);
      }
      override feedData(data: Uint8Array): void {
        calls.push(`feedData(${Buffer.from(data).toString()})`);
        super.feedData(data);
      }
    }
    const r = new R({ limit: 4 });
    const protocol = new asyncio.StreamReaderProtocol(r);
    protocol.dataReceived(b("ab\ncdefghij"));
    r.feedEof();
    assert.deepEqual(await r.readline(), b("ab\n"));
    assert.deepEqual(await r.read(), b("cdefghij"));
    assert.deepEqual(calls, [
      "feedData(ab\ncdefghij)",
      "readuntil",
      "read(-1)",
      "read(4)",
      "read(4)",
      "read(4)",
    ]);
  });
});
