/**
 * Transports and protocols over real sockets on 127.0.0.1: TCP (callback order, flow control,
 * reading pause/resume, BufferedProtocol, writeEof, abort, argument checks), UDP
 * (createDatagramEndpoint), getaddrinfo and signal handlers. The CPython-traced version of
 * the TCP part is conformance/101_transports_protocols.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as net from "node:net";
import { constants as osConstants } from "node:os";
import { test } from "node:test";
import { pyRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { prng } from "./fixtures/prng.ts";

const b = (s: string) => Buffer.from(s, "latin1");

function rejects(
  aw: PromiseLike<unknown>,
  expected: Parameters<typeof assert.rejects>[1],
): Promise<void> {
  return assert.rejects(async () => {
    await aw;
  }, expected);
}

/** Records every callback; `lost` and `eof` resolve when they happen. */
class Recorder extends asyncio.Protocol {
  log: string[] = [];
  data: Buffer[] = [];
  transport: asyncio.Transport | null = null;
  readonly lost: asyncio.Future<Error | null>;
  readonly eof: asyncio.Future<void>;
  constructor(readonly keepOpen = false) {
    super();
    const loop = asyncio.getRunningLoop();
    this.lost = loop.createFuture();
    this.eof = loop.createFuture();
  }
  override connectionMade(t: asyncio.Transport): void {
    this.transport = t;
    this.log.push("made");
  }
  override dataReceived(d: Buffer): void {
    this.data.push(d);
    if (this.log[this.log.length - 1] !== "data") this.log.push("data");
  }
  override eofReceived(): boolean {
    this.log.push("eof");
    this.eof.setResult(undefined);
    return this.keepOpen;
  }
  override connectionLost(exc: Error | null): void {
    this.log.push(`lost:${exc === null ? "None" : exc.name}`);
    this.lost.setResult(exc);
  }
  received(): string {
    return Buffer.concat(this.data).toString("latin1");
  }
}

async function tcpPair(
  serverProto: () => asyncio.AnyProtocol,
  clientProto: () => Recorder = () => new Recorder(),
): Promise<{ server: asyncio.Server; transport: asyncio.SocketTransport; client: Recorder }> {
  const loop = asyncio.getRunningLoop();
  const server = await loop.createServer(serverProto, "127.0.0.1", 0);
  const [, port] = server.sockets[0]!.getsockname() as [string, number];
  const [transport, client] = await loop.createConnection(clientProto, "127.0.0.1", port);
  return { server, transport, client };
}

test("TCP: callback order on both sides, half-close kept open by eofReceived", async () => {
  await asyncio.run(async () => {
    let serverSide: Recorder | null = null;
    const { server, transport, client } = await tcpPair(() => {
      serverSide = new Recorder(true);
      return serverSide;
    });
    assert.deepEqual(client.log, ["made"]);
    transport.write(b("ping"));
    transport.writeEof();
    const side = () => serverSide as Recorder | null;
    while (side() === null || !side()!.eof.done()) await asyncio.sleep(0.005);
    const s = side()!;
    assert.equal(s.received(), "ping");
    assert.equal(s.transport!.isClosing(), false, "kept open for writing");
    s.transport!.write(b("pong"));
    s.transport!.close();
    assert.equal(await client.lost, null);
    assert.equal(client.received(), "pong");
    assert.deepEqual(client.log, ["made", "data", "eof", "lost:None"]);
    await s.lost;
    assert.deepEqual(s.log, ["made", "data", "eof", "lost:None"]);
    server.close();
    await server.waitClosed();
  });
});

test("TCP: writelines, getExtraInfo, repr, TransportSocket", async () => {
  await asyncio.run(async () => {
    let serverSide: Recorder | null = null;
    const { server, transport, client } = await tcpPair(() => (serverSide = new Recorder(true)));
    transport.writelines([b("a"), b("bc"), b("def")]);
    // Python's `if not list_of_data: return`, then iteration.
    transport.writelines(null as never);
    assert.throws(() => transport.writelines(5 as never), {
      name: "TypeError",
      message: "'int' object is not iterable",
    });
    transport.writeEof();
    while (serverSide === null || !(serverSide as Recorder).eof.done()) await asyncio.sleep(0.005);
    assert.equal((serverSide as unknown as Recorder).received(), "abcdef");
    const [host, port] = server.sockets[0]!.getsockname() as [string, number];
    assert.deepEqual(transport.getExtraInfo("peername"), [host, port]);
    const sock = transport.getExtraInfo("socket") as asyncio.socket.TransportSocket;
    assert.deepEqual(sock.getpeername(), [host, port]);
    assert.equal(sock.proto, asyncio.socket.IPPROTO_TCP);
    assert.ok(sock.fileno() > 2);
    assert.equal(transport.getExtraInfo("sslcontext"), null);
    assert.match(
      pyRepr(transport),
      /^<_SelectorSocketTransport fd=\d+ read=(polling|idle) write=<idle, bufsize=0>>$/,
    );
    assert.equal(transport.getProtocol(), client);
    transport.abort();
    assert.match(pyRepr(transport), /closing/);
    await client.lost;
    assert.match(pyRepr(transport), /^<_SelectorSocketTransport closed fd=\d+>$/);
    server.close();
    server.closeClients();
    await server.waitClosed();
  });
});

test("TCP: pauseReading holds data back, resumeReading delivers it", async () => {
  await asyncio.run(async () => {
    const { server, transport, client } = await tcpPair(
      () =>
        new (class extends asyncio.Protocol {
          override connectionMade(t: asyncio.Transport): void {
            t.write(b("x".repeat(1000)));
            t.close();
          }
        })(),
    );
    transport.pauseReading();
    await asyncio.sleep(0.1);
    assert.equal(client.data.length, 0, "nothing delivered while paused");
    assert.equal(client.lost.done(), false);
    transport.resumeReading();
    assert.equal(await client.lost, null);
    assert.equal(client.received().length, 1000);
    server.close();
    await server.waitClosed();
  });
});

test("TCP: setProtocol switches to a BufferedProtocol mid-connection", async () => {
  await asyncio.run(async () => {
    const { server, transport, client } = await tcpPair(
      () =>
        new (class extends asyncio.Protocol {
          t: asyncio.Transport | null = null;
          override connectionMade(t: asyncio.Transport): void {
            this.t = t;
          }
          override dataReceived(d: Buffer): void {
            this.t!.write(d);
          }
        })(),
    );
    transport.write(b("first"));
    while (client.data.length === 0) await asyncio.sleep(0.005);
    const chunks: string[] = [];
    const buf = new Uint8Array(3);
    const lost = asyncio.getRunningLoop().createFuture<void>();
    transport.setProtocol({
      getBuffer: (hint) => {
        assert.equal(hint, -1);
        return buf;
      },
      bufferUpdated: (n) => {
        chunks.push(Buffer.from(buf.subarray(0, n)).toString());
      },
      connectionLost: () => lost.setResult(undefined),
    });
    transport.write(b("second!"));
    while (chunks.join("").length < 7) await asyncio.sleep(0.005);
    assert.equal(chunks.join(""), "second!");
    assert.ok(chunks.every((c) => c.length <= 3));
    transport.close();
    await lost;
    server.close();
    server.closeClients();
    await server.waitClosed();
  });
});

test("TCP: a Protocol subclass that also has getBuffer/bufferUpdated gets dataReceived (CPython checks the class, not the methods)", async () => {
  class Hybrid extends Recorder {
    getBuffer(): Uint8Array {
      this.log.push("getBuffer");
      return new Uint8Array(16);
    }
    bufferUpdated(): void {
      this.log.push("bufferUpdated");
    }
  }
  await asyncio.run(async () => {
    const { server, transport, client } = await tcpPair(
      () =>
        new (class extends asyncio.Protocol {
          override connectionMade(t: asyncio.Transport): void {
            t.write(b("hyb"));
            t.close();
          }
        })(),
      () => new Hybrid(),
    );
    assert.equal(await client.lost, null);
    assert.equal(client.received(), "hyb");
    assert.deepEqual(client.log, ["made", "data", "eof", "lost:None"]);
    transport.close();
    server.close();
    await server.waitClosed();
  });
});

/** A protocol that logs its pauseWriting/resumeWriting calls. */
class FlowLog extends asyncio.Protocol {
  constructor(readonly events: string[]) {
    super();
  }
  override pauseWriting(): void {
    this.events.push("pause");
  }
  override resumeWriting(): void {
    this.events.push("resume");
  }
}

test("TCP: flow control calls pauseWriting/resumeWriting once each", async () => {
  await asyncio.run(function* () {
    const loop = asyncio.getRunningLoop();
    const peers: asyncio.Transport[] = [];
    const server = yield* loop.createServer(
      () =>
        new (class extends asyncio.Protocol {
          override connectionMade(t: asyncio.Transport): void {
            t.pauseReading();
            peers.push(t);
          }
        })(),
      "127.0.0.1",
      0,
    );
    const [, port] = server.sockets[0]!.getsockname() as [string, number];
    const events: string[] = [];
    const [transport] = yield* loop.createConnection(() => new FlowLog(events), "127.0.0.1", port);
    // Python's keyword form, set_write_buffer_limits(low=100) / (high=...), as an options object
    transport.setWriteBufferLimits({ low: 100 });
    assert.deepEqual(transport.getWriteBufferLimits(), [100, 400]);
    assert.throws(() => transport.setWriteBufferLimits({ hi: 1 } as unknown as { high: number }), {
      name: "TypeError",
      message: "set_write_buffer_limits() got an unexpected keyword argument 'hi'",
    });
    // An array is no options object: Python's set_write_buffer_limits([]) fails at `high // 4`.
    assert.throws(() => transport.setWriteBufferLimits([] as never), {
      name: "TypeError",
      message: "unsupported operand type(s) for //: 'list' and 'int'",
    });
    transport.setWriteBufferLimits({ high: 32 * 1024 });
    assert.deepEqual(transport.getWriteBufferLimits(), [8 * 1024, 32 * 1024]);
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    for (let i = 0; i < 2000 && events.length === 0; i++) transport.write(chunk);
    assert.deepEqual(events, ["pause"], "pauseWriting is synchronous, from write()");
    for (let i = 0; i < 10; i++) transport.write(chunk);
    assert.deepEqual(events, ["pause"]);
    while (peers.length === 0) yield* asyncio.sleep(0.005);
    peers[0]!.resumeReading();
    while (events.length < 2) yield* asyncio.sleep(0.005);
    assert.deepEqual(events, ["pause", "resume"]);
    assert.ok(transport.getWriteBufferSize() <= 8 * 1024);
    transport.close();
    server.close();
    server.closeClients();
    yield* server.waitClosed();
  });
});

test("TCP: writelines() pauses the protocol only if something stays buffered (CPython checks once, after sending)", async () => {
  await asyncio.run(function* () {
    const loop = asyncio.getRunningLoop();
    const peers: asyncio.Transport[] = [];
    let pausePeers = false;
    const server = yield* loop.createServer(
      () =>
        new (class extends asyncio.Protocol {
          override connectionMade(t: asyncio.Transport): void {
            if (pausePeers) t.pauseReading();
            peers.push(t);
          }
        })(),
      "127.0.0.1",
      0,
    );
    const [, port] = server.sockets[0]!.getsockname() as [string, number];
    const connect = function* () {
      const events: string[] = [];
      const [transport] = yield* loop.createConnection(
        () => new FlowLog(events),
        "127.0.0.1",
        port,
      );
      return { transport, events };
    };
    // 128 KiB, twice the high-water mark, that the kernel takes at once
    const a = yield* connect();
    a.transport.writelines([Buffer.alloc(65536, 0x78), Buffer.alloc(65536, 0x78)]);
    assert.equal(a.transport.getWriteBufferSize(), 0);
    yield* asyncio.sleep(0.02);
    assert.deepEqual(a.events, []);
    a.transport.close();
    // a peer that does not read: what stays buffered pauses the protocol once
    pausePeers = true;
    const b = yield* connect();
    b.transport.setWriteBufferLimits({ high: 64 * 1024 });
    const chunks = Array.from({ length: 400 }, () => Buffer.alloc(16 * 1024, 0x79));
    b.transport.writelines(chunks);
    assert.ok(b.transport.getWriteBufferSize() > 64 * 1024);
    assert.deepEqual(b.events, ["pause"]);
    b.transport.abort();
    server.close();
    server.closeClients();
    yield* server.waitClosed();
  });
});

test("TCP: a failing protocol callback closes with the error; argument checks", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const handled: Record<string, unknown>[] = [];
    loop.setExceptionHandler((_l, ctx) => {
      handled.push(ctx);
    });
    const boom = new asyncio.ValueError("eof boom");
    const { server, transport, client } = await tcpPair(
      () =>
        new (class extends asyncio.Protocol {
          override connectionMade(t: asyncio.Transport): void {
            t.close();
          }
        })(),
      () =>
        new (class extends Recorder {
          override eofReceived(): boolean {
            throw boom;
          }
        })(),
    );
    assert.equal(await client.lost, boom);
    assert.equal(handled[0]!.message, "Fatal error: protocol.eof_received() call failed.");
    assert.equal(handled[0]!.transport, transport);
    loop.setExceptionHandler(null);
    const factory = () => new asyncio.Protocol();
    await rejects(loop.createConnection(factory, "127.0.0.1", 1, { serverHostname: "x" }), {
      name: "ValueError",
      message: "server_hostname is only meaningful with ssl",
    });
    await rejects(loop.createConnection(factory), {
      name: "ValueError",
      message: "host and port was not specified and no sock specified",
    });
    await rejects(loop.createConnection(factory, null, null, { ssl: true }), {
      name: "ValueError",
      message: "You must set server_hostname when using ssl without a host",
    });
    await rejects(loop.createServer(factory), {
      name: "ValueError",
      message: "Neither host/port nor sock were specified",
    });
    await rejects(loop.createServer(factory, "127.0.0.1", 0, { ssl: true as never }), {
      name: "TypeError",
      message: "ssl argument must be an SSLContext or None",
    });
    assert.throws(() => transport.write("str" as never), {
      name: "TypeError",
      message: "data argument must be a bytes-like object, not 'str'",
    });
    server.close();
    await server.waitClosed();
  });
});

test("TCP: localAddr, an existing socket (sock), allErrors", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    let serverSide: Recorder | null = null;
    const server = await loop.createServer(() => (serverSide = new Recorder()), "127.0.0.1", 0);
    const [, port] = server.sockets[0]!.getsockname() as [string, number];
    const [t1, c1] = await loop.createConnection(() => new Recorder(), "127.0.0.1", port, {
      localAddr: ["127.0.0.1", 0],
    });
    assert.equal((t1.getExtraInfo("sockname") as [string])[0], "127.0.0.1");
    t1.close();
    await c1.lost;
    const raw = net.connect(port, "127.0.0.1");
    await new Promise((resolve) => raw.once("connect", resolve));
    const [t2, c2] = await loop.createConnection(() => new Recorder(), null, null, { sock: raw });
    t2.write(b("via sock"));
    t2.writeEof();
    while (serverSide === null || (serverSide as Recorder).received() !== "via sock") {
      await asyncio.sleep(0.005);
    }
    t2.close();
    await c2.lost;
    server.close();
    server.closeClients();
    await server.waitClosed();
    await rejects(
      loop.createConnection(() => new Recorder(), "127.0.0.1", port, { allErrors: true }),
      (e) => {
        assert.ok(e instanceof asyncio.ExceptionGroup);
        assert.equal(e.message, "create_connection failed");
        assert.ok(e.exceptions[0] instanceof asyncio.ConnectionRefusedError);
        return true;
      },
    );
  });
});

test("TCP happy eyeballs: an address whose connect hangs is raced by the next one after happyEyeballsDelay", {
  timeout: 60_000,
}, async () => {
  // A listener whose accept queue is full (backlog 1, two connections never accepted: its
  // process is blocked), so that a connect() to it hangs.
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const net = require("node:net"), fs = require("node:fs");
       const s = net.createServer().listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
         fs.writeSync(1, s.address().port + "\\n");
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
       });`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const fillers = [new net.Socket(), new net.Socket()];
  try {
    const hangPort = await new Promise<number>((resolve, reject) => {
      child.stdout.once("data", (d) => resolve(Number(String(d).trim())));
      child.once("exit", () => reject(new Error("the listener exited")));
    });
    for (const f of fillers) {
      await new Promise((resolve) => f.connect(hangPort, "127.0.0.1", () => resolve(null)));
    }
    await asyncio.run(async () => {
      const loop = asyncio.getRunningLoop();
      const server = await loop.createServer(() => new asyncio.Protocol(), "127.0.0.1", 0);
      const [, goodPort] = server.sockets[0]!.getsockname() as [string, number];
      const infos = [hangPort, goodPort].map((p) => [2, 1, 6, "", ["127.0.0.1", p]]);
      (loop as { getaddrinfo: unknown }).getaddrinfo = async () => infos;
      const connect = (options: asyncio.CreateConnectionOptions) =>
        loop.createConnection(() => new asyncio.Protocol(), "two.test", 1, options);
      // One address after the other: the first hangs.
      await rejects(asyncio.waitFor(connect({}), 0.3), { name: "TimeoutError" });
      // Happy eyeballs: the second starts 0.05 s later and wins; the first is given up.
      const t0 = loop.time();
      const [t] = await connect({ happyEyeballsDelay: 0.05 });
      assert.equal((t.getExtraInfo("peername") as [string, number])[1], goodPort);
      assert.ok(loop.time() - t0 < 0.9, "not after the hanging connect's retransmission");
      t.close();
      // Every attempt refused: the next starts at each failure; the errors are gathered.
      server.close();
      await server.waitClosed();
      (loop as { getaddrinfo: unknown }).getaddrinfo = async () => [infos[1], infos[1]];
      await rejects(connect({ happyEyeballsDelay: 10, allErrors: true }), (e) => {
        assert.ok(e instanceof asyncio.ExceptionGroup);
        assert.deepEqual(
          e.exceptions.map((x) => (x as Error).name),
          ["ConnectionRefusedError", "ConnectionRefusedError"],
        );
        return true;
      });
      // An attempt's error that is no OSError (bind's OverflowError) does not end the race, as
      // in CPython: with no OSError gathered, CPython's `exceptions[0]` is an IndexError.
      await rejects(connect({ happyEyeballsDelay: 0.05, localAddr: ["127.0.0.1", 70000] }), {
        name: "IndexError",
        message: "list index out of range",
      });
    });
  } finally {
    for (const f of fillers) f.destroy();
    child.kill("SIGKILL");
  }
});

test("TCP happy eyeballs: an attempt that connects after another won is closed, not leaked", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const events: string[] = [];
    const recorder = (name: string) => () =>
      new (class extends asyncio.Protocol {
        override connectionMade() {
          events.push(`${name} made`);
        }
        override connectionLost() {
          events.push(`${name} lost`);
        }
      })();
    const servers = [
      await loop.createServer(recorder("S1"), "127.0.0.1", 0),
      await loop.createServer(recorder("S2"), "127.0.0.1", 0),
    ];
    const infos = servers.map((s) => [2, 1, 6, "", s.sockets[0]!.getsockname()]);
    (loop as { getaddrinfo: unknown }).getaddrinfo = async () => infos;
    for (let i = 0; i < 5; i++) {
      // Delay 0: the second attempt starts before the first has connected, and may connect too.
      const [t] = await loop.createConnection(() => new asyncio.Protocol(), "two.test", 1, {
        happyEyeballsDelay: 0,
      });
      t.close();
    }
    // Every connection a server saw is closed: the winner's by t.close(), the other's by the race.
    const count = (e: string) => events.filter((x) => x === e).length;
    const settled = () =>
      count("S1 made") === count("S1 lost") && count("S2 made") === count("S2 lost");
    for (let i = 0; i < 50 && !settled(); i++) await asyncio.sleep(0.01);
    assert.ok(settled(), events.join(", "));
    assert.ok(count("S1 made") + count("S2 made") >= 5, events.join(", "));
    for (const s of servers) s.close();
  });
});

// ---- UDP -------------------------------------------------------------------------------------

class Udp extends asyncio.DatagramProtocol {
  transport: asyncio.DatagramTransport | null = null;
  got: [string, asyncio.Address][] = [];
  errors: Error[] = [];
  events: string[] = [];
  readonly lost = asyncio.getRunningLoop().createFuture<Error | null>();
  constructor(readonly echo = false) {
    super();
  }
  override connectionMade(t: asyncio.DatagramTransport): void {
    this.transport = t;
    this.events.push("made");
  }
  override datagramReceived(data: Buffer, addr: asyncio.Address): void {
    this.got.push([data.toString(), addr]);
    if (this.echo) this.transport!.sendto(b(data.toString().toUpperCase()), addr);
  }
  override errorReceived(exc: Error): void {
    this.errors.push(exc);
  }
  override connectionLost(exc: Error | null): void {
    this.events.push("lost");
    this.lost.setResult(exc);
  }
}

test("UDP: echo endpoint, one datagram per callback, remoteAddr checks", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const [st, sp] = await loop.createDatagramEndpoint(() => new Udp(true), {
      localAddr: ["127.0.0.1", 0],
    });
    const addr = st.getExtraInfo("sockname") as [string, number];
    const [ct, cp] = await loop.createDatagramEndpoint(() => new Udp(), { remoteAddr: addr });
    assert.deepEqual(ct.getExtraInfo("peername"), addr);
    for (const word of ["one", "two", "three"]) ct.sendto(b(word));
    while (cp.got.length < 3) await asyncio.sleep(0.005);
    assert.deepEqual(
      cp.got.map(([d]) => d),
      ["ONE", "TWO", "THREE"],
    );
    assert.deepEqual(cp.got[0]![1], addr);
    assert.deepEqual(sp.got[0]![1], ct.getExtraInfo("sockname"));
    assert.throws(() => ct.sendto(b("x"), ["127.0.0.1", 9]), {
      name: "ValueError",
      message: `Invalid address: must be None or ('127.0.0.1', ${addr[1]})`,
    });
    ct.sendto(b("ok"), addr);
    assert.throws(() => ct.sendto("str" as never), { name: "TypeError" });
    // The server goes away: the connected client is told through errorReceived.
    st.close();
    assert.equal(await sp.lost, null);
    for (let i = 0; i < 20 && cp.errors.length === 0; i++) {
      ct.sendto(b("anyone?"));
      await asyncio.sleep(0.02);
    }
    assert.ok(cp.errors[0] instanceof asyncio.ConnectionRefusedError, String(cp.errors[0]));
    assert.equal(ct.isClosing(), false, "the endpoint stays open");
    ct.close();
    assert.equal(await cp.lost, null);
    assert.deepEqual(cp.events, ["made", "lost"]);
  });
});

test("UDP: a paused endpoint keeps at most a receive buffer's worth of datagrams (the kernel drops the rest)", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    let got = 0;
    const [srv] = await loop.createDatagramEndpoint(
      () =>
        new (class extends asyncio.DatagramProtocol {
          override datagramReceived() {
            got++;
          }
        })(),
      { localAddr: ["127.0.0.1", 0] },
    );
    await asyncio.sleep(0);
    srv.pauseReading();
    const [cli] = await loop.createDatagramEndpoint(() => new asyncio.DatagramProtocol(), {
      remoteAddr: srv.getExtraInfo("sockname") as [string, number],
    });
    const payload = Buffer.alloc(1024, 120);
    for (let j = 0; j < 4000; j++) {
      cli.sendto(payload);
      if (j % 50 === 49) await asyncio.sleep(0.001);
    }
    await asyncio.sleep(0.1);
    const limit = (
      srv.getExtraInfo("socket") as { nodeSocket: import("node:dgram").Socket }
    ).nodeSocket.getRecvBufferSize();
    assert.ok((srv as unknown as { _rqBytes: number })._rqBytes <= limit);
    srv.resumeReading();
    await asyncio.sleep(0.3);
    assert.ok(got > 0 && got <= Math.ceil(limit / 1024), `${got} datagrams`);
    cli.close();
    srv.close();
  });
});

test("UDP: unconnected endpoint sends with sendto(addr); argument checks", async () => {
  await asyncio.run(function* () {
    const loop = asyncio.getRunningLoop();
    const [st, sp] = yield* loop.createDatagramEndpoint(() => new Udp(true), {
      localAddr: ["127.0.0.1", 0],
    });
    const addr = st.getExtraInfo("sockname") as [string, number];
    const [ct, cp] = yield* loop.createDatagramEndpoint(() => new Udp(), {
      localAddr: ["127.0.0.1", 0],
    });
    ct.sendto(b("hi"), addr);
    while (cp.got.length === 0) yield* asyncio.sleep(0.005);
    assert.deepEqual(cp.got, [["HI", addr]]);
    ct.abort();
    st.close();
    yield* cp.lost;
    yield* sp.lost;
    const e = yield* (function* () {
      try {
        yield* loop.createDatagramEndpoint(() => new Udp());
      } catch (err) {
        return err;
      }
      return null;
    })();
    assert.ok(e instanceof asyncio.ValueError);
    assert.equal((e as Error).message, "unexpected address family");
  });
});

test("UDP: a raising datagramReceived goes to the handler and the endpoint reads on; sendto() checks addresses as Python's socket does; abort() after sendto() still sends", async () => {
  await asyncio.run(function* () {
    const loop = asyncio.getRunningLoop();
    const handled: string[] = [];
    loop.setExceptionHandler((_l, ctx) => handled.push(ctx.message as string));
    class Raising extends Udp {
      override datagramReceived(data: Buffer, addr: asyncio.Address): void {
        super.datagramReceived(data, addr);
        if (data.toString() === "boom") throw new asyncio.ValueError("boom");
      }
    }
    const [st, sp] = yield* loop.createDatagramEndpoint(() => new Raising(), {
      localAddr: ["127.0.0.1", 0],
    });
    const addr = st.getExtraInfo("sockname") as [string, number];
    const [ct, cp] = yield* loop.createDatagramEndpoint(() => new Udp(), {
      localAddr: ["127.0.0.1", 0],
    });
    for (const m of ["ok", "boom", "after"]) ct.sendto(b(m), addr);
    while (sp.got.length < 3) yield* asyncio.sleep(0.005);
    assert.deepEqual(
      sp.got.map(([m]) => m),
      ["ok", "boom", "after"],
    );
    assert.deepEqual(handled, ["Exception in callback _SelectorDatagramTransport._read_ready()"]);
    assert.equal(st.isClosing(), false);

    // As CPython: the socket's TypeError is a fatal write error for the transport.
    ct.sendto(b("x"), ["127.0.0.1"] as never);
    const lostWith = yield* cp.lost;
    assert.equal(lostWith?.message, "AF_INET address must be a pair (host, port)");
    assert.equal(handled[1], "Fatal write error on datagram transport");
    const [ct2, cp2] = yield* loop.createDatagramEndpoint(() => new Udp(), {
      localAddr: ["127.0.0.1", 0],
    });
    ct2.sendto(b("x"), ["127.0.0.1", 0]);
    ct2.sendto(b("x".repeat(65508)), addr);
    assert.deepEqual(
      cp2.errors.map((e) => (e as asyncio.OSError).errno),
      [22, 90],
      "port 0 and an oversize datagram go to errorReceived, at once",
    );
    ct2.sendto(b("last"), addr);
    ct2.abort();
    yield* cp2.lost;
    while (sp.got.length < 4) yield* asyncio.sleep(0.005);
    assert.equal(sp.got[3]![0], "last");
    st.close();
    yield* sp.lost;
  });
});

// ---- names and signals ----------------------------------------------------------------------

test("getaddrinfo: numeric hosts, socket types, unknown names", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const { AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, IPPROTO_TCP, IPPROTO_UDP } =
      asyncio.socket;
    assert.deepEqual(await loop.getaddrinfo("127.0.0.1", 80), [
      [AF_INET, SOCK_STREAM, IPPROTO_TCP, "", ["127.0.0.1", 80]],
      [AF_INET, SOCK_DGRAM, IPPROTO_UDP, "", ["127.0.0.1", 80]],
      [AF_INET, SOCK_RAW, 0, "", ["127.0.0.1", 80]],
    ]);
    assert.deepEqual(await loop.getaddrinfo("::1", "443", { type: SOCK_STREAM }), [
      [AF_INET6, SOCK_STREAM, IPPROTO_TCP, "", ["::1", 443, 0, 0]],
    ]);
    const local = await loop.getaddrinfo("localhost", 0, { type: SOCK_STREAM });
    assert.ok(local.length >= 1);
    await rejects(loop.getaddrinfo("nonexistent.invalid", 80), (e) => {
      assert.ok(e instanceof asyncio.socket.gaierror);
      assert.equal((e as asyncio.OSError).errno, -2);
      return true;
    });
  });
});

test("getnameinfo of a scoped IPv6 address: the sockaddr's scope id, an interface name for a link-local one (as glibc)", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const { NI_NUMERICHOST } = asyncio.socket;
    const lo = readFileSync("/sys/class/net/lo/ifindex", "latin1").trim();
    const host = async (addr: asyncio.Address) => (await loop.getnameinfo(addr, NI_NUMERICHOST))[0];
    assert.equal(await host(["fe80::1%1", 80, 0, Number(lo)]), "fe80::1%lo");
    assert.equal(await host(["fe80::1%1", 80, 0, 0]), "fe80::1");
    assert.equal(await host(["fe80::1%lo", 80, 0, 0]), "fe80::1");
    assert.equal(await host(["::1", 80, 0, 1]), "::1%1");
    // Node-local multicast keeps the number; the address is printed as glibc does.
    assert.equal(await host(["ff01::1", 80, 0, 1]), "ff01::1%1");
    assert.equal(await host(["FE80::1", 80, 0, 0]), "fe80::1");
    assert.equal(await host(["::ffff:7f00:1", 80, 0, 0]), "::ffff:127.0.0.1");
    assert.equal(await host(["127.1", 80]), "127.0.0.1");
    assert.equal(await host(["fe80::1", 80, 0, -1]), "fe80::1%4294967295");
    await rejects(loop.getnameinfo(["fe80::1%bogus", 80, 0, 0], NI_NUMERICHOST), {
      name: "gaierror",
    });
    await rejects(loop.getnameinfo(["fe80::1", 80, 1 << 20, 0], NI_NUMERICHOST), {
      name: "OverflowError",
      message: "getnameinfo(): flowinfo must be 0-1048575.",
    });
  });
});

test("getnameinfo: host and service names, numeric flags, bad addresses (see conformance 69)", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const { NI_NUMERICHOST, NI_NUMERICSERV, NI_NAMEREQD } = asyncio.socket;
    assert.deepEqual(await loop.getnameinfo(["127.0.0.1", 80]), ["localhost", "http"]);
    assert.deepEqual(await loop.getnameinfo(["127.0.0.1", 80], NI_NUMERICHOST | NI_NUMERICSERV), [
      "127.0.0.1",
      "80",
    ]);
    await rejects(loop.getnameinfo(["127.0.0.1", 80], NI_NUMERICHOST | NI_NAMEREQD), (e) => {
      assert.ok(e instanceof asyncio.socket.gaierror);
      assert.equal((e as Error).message, "[Errno -2] Name or service not known");
      return true;
    });
    // Python's "must be a tuple": anything but an array.
    await rejects(loop.getnameinfo("127.0.0.1:80" as never), {
      name: "TypeError",
      message: "getnameinfo() argument 1 must be a tuple",
    });
  });
});

test("signal handlers run on the loop with their arguments; removal", async () => {
  // SIGWINCH, not SIGUSR2: Node 24's test runner listens to SIGUSR2 (and writes a diagnostic
  // report into the working directory on it).
  const listenersBefore = process.listenerCount("SIGWINCH");
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const got = loop.createFuture<string>();
    let inHandler: unknown = "unset";
    loop.addSignalHandler(
      osConstants.signals.SIGWINCH,
      (arg: string) => {
        inHandler = asyncio.currentTask();
        got.setResult(arg);
      },
      "hello",
    );
    process.kill(process.pid, "SIGWINCH");
    assert.equal(await got, "hello");
    assert.equal(inHandler, null, "a plain callback of the loop");
    assert.equal(loop.removeSignalHandler("SIGWINCH"), true);
    assert.equal(loop.removeSignalHandler("SIGWINCH"), false);
    assert.equal(process.listenerCount("SIGWINCH"), listenersBefore);
    assert.throws(() => loop.addSignalHandler(osConstants.signals.SIGKILL, () => {}), {
      name: "RuntimeError",
      message: `sig ${osConstants.signals.SIGKILL} cannot be caught`,
    });
    assert.throws(() => loop.addSignalHandler("SIGUSR2", async () => {}), {
      name: "TypeError",
      message: "coroutines cannot be used with add_signal_handler()",
    });
    assert.throws(() => loop.addSignalHandler(12345, () => {}), {
      name: "ValueError",
      message: "invalid signal number 12345",
    });
    assert.throws(() => loop.addSignalHandler(1.5 as never, () => {}), {
      name: "TypeError",
      message: "sig must be an int, not 1.5",
    });
  });
});

test("a SIGINT handler on the loop replaces asyncio.run's Ctrl-C handling (child process)", async () => {
  const { join } = await import("node:path");
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "fixtures", "signal_child.ts")],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  await new Promise<void>((resolve) => {
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("ready\n") && !out.includes("handler")) child.kill("SIGINT");
    });
    child.on("exit", () => resolve());
  });
  assert.equal(
    out,
    "ready\nhandler: SIGINT\nmain returned normally\nSIGINT listeners left: 0\n",
    err,
  );
});

// ---- the plain socket transport's read/write paths (onread mode, write callbacks) ----------

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

/** Splits `data` into chunks of pseudo-random sizes in [1, max]. */
function chunked(data: Buffer, max: number, seed: number): Buffer[] {
  const r = prng(seed);
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; ) {
    const n = 1 + Math.floor(r() * max);
    out.push(data.subarray(i, i + n));
    i += n;
  }
  return out;
}

/** A raw Node server on 127.0.0.1 (outside the loop) calling `onConn` for each connection. */
async function rawServer(
  onConn: (s: net.Socket) => void,
  options: net.ServerOpts = {},
): Promise<[net.Server, number]> {
  const node = net.createServer(options, onConn);
  await new Promise<void>((resolve) => node.listen(0, "127.0.0.1", resolve));
  return [node, (node.address() as net.AddressInfo).port];
}

async function rawConnect(port: number, pauseFirst = false): Promise<net.Socket> {
  const s = net.connect(port, "127.0.0.1");
  if (pauseFirst) s.pause();
  await new Promise((resolve) => s.once("connect", resolve));
  return s;
}

/** Reads a raw socket to its end: the bytes and how it ended ("end", an error's code, "close"). */
function drainRaw(s: net.Socket): Promise<{ data: Buffer; how: string }> {
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    const finish = (how: string) => resolve({ data: Buffer.concat(chunks), how });
    s.on("data", (d: Buffer) => chunks.push(d));
    s.once("end", () => finish("end"));
    s.once("error", (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
    s.once("close", () => finish("close"));
    s.resume();
  });
}

/** The internal `ended` flag of a Node socket: Node has read the peer's EOF. */
const nodeSawEof = (s: net.Socket): boolean =>
  (s as unknown as { _readableState: { ended: boolean } })._readableState.ended;

/**
 * True once Node has read into `s` all of the `n` bytes sent, or as many as it reads before it
 * stops reading (its high-water mark), and the EOF if `eof`.
 */
const nodeBuffered = (s: net.Socket, n: number, eof: boolean): boolean =>
  s.readableLength >= Math.min(n, s.readableHighWaterMark) && (!eof || nodeSawEof(s));

/** A receiving protocol: every chunk, the order of callbacks, and data delivered while paused. */
class Sink extends asyncio.Protocol {
  transport: asyncio.Transport | null = null;
  chunks: Buffer[] = [];
  bytes = 0;
  calls = 0;
  log: string[] = [];
  /** Set by whoever pauses reading; dataReceived must not be called while it is true. */
  paused = false;
  violations: string[] = [];
  bytesAtEof = -1;
  /** Pause reading from inside dataReceived every `selfPauseEvery`-th call (0: never). */
  selfPauseEvery = 0;
  readonly made: asyncio.Future<void>;
  readonly lost: asyncio.Future<Error | null>;
  constructor() {
    super();
    const loop = asyncio.getRunningLoop();
    this.made = loop.createFuture();
    this.lost = loop.createFuture();
  }
  override connectionMade(t: asyncio.Transport): void {
    this.transport = t;
    this.log.push("made");
    this.made.setResult(undefined);
  }
  override dataReceived(d: Buffer): void {
    if (this.paused) this.violations.push(`dataReceived(${d.length}) while paused`);
    if (this.bytesAtEof >= 0) this.violations.push("dataReceived after eofReceived");
    this.chunks.push(d); // kept as is: later reads must not change it
    this.bytes += d.length;
    this.calls++;
    if (this.log[this.log.length - 1] !== "data") this.log.push("data");
    if (this.selfPauseEvery > 0 && this.calls % this.selfPauseEvery === 0) {
      this.transport!.pauseReading();
      this.paused = true;
    }
  }
  override eofReceived(): boolean {
    this.bytesAtEof = this.bytes;
    this.log.push("eof");
    return false;
  }
  override connectionLost(exc: Error | null): void {
    this.log.push(`lost:${exc === null ? "None" : exc.name}`);
    this.lost.setResult(exc);
  }
  received(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/**
 * Pauses and resumes `t` again and again until the connection is lost, running several loop
 * iterations and letting Node's I/O in while paused; returns the number of pauses.
 */
async function pauseResumeUntilLost(t: asyncio.Transport, sink: Sink): Promise<number> {
  let cycles = 0;
  while (!sink.lost.done()) {
    if (!sink.paused) {
      t.pauseReading();
      sink.paused = true;
    }
    const before = sink.calls;
    for (let i = 0; i < 4; i++) await asyncio.sleep(0);
    await asyncio.sleep(0.003);
    for (let i = 0; i < 4; i++) await asyncio.sleep(0);
    assert.equal(sink.calls, before, "no dataReceived while paused");
    assert.equal(t.isReading(), false);
    sink.paused = false;
    t.resumeReading();
    cycles++;
    await asyncio.sleep(0.001);
  }
  return cycles;
}

test("TCP: pause/resumeReading (or not) while the peer streams 3 MiB (accepted and connected)", {
  timeout: HANG_GUARD,
}, async () => {
  const payload = randomBytes(3 * 1024 * 1024, 1);
  const pieces = chunked(payload, 96 * 1024, 2);
  const sendAll = (s: net.Socket) => {
    for (const p of pieces) s.write(p);
    s.end();
  };
  // "free": the protocol never pauses, so only the transport's own cap (256 KiB queued) pauses
  // Node's reading, and delivering the queue must resume it.
  const runs = [
    ["accepted", "pausing"],
    ["connected", "pausing"],
    ["accepted", "free"],
    ["connected", "free"],
  ] as const;
  for (const [side, mode] of runs) {
    const selfPauseEvery = mode === "pausing" ? 3 : 0;
    await asyncio.run(async () => {
      const loop = asyncio.getRunningLoop();
      let sink: Sink | null = null;
      let cleanup: () => Promise<void>;
      if (side === "accepted") {
        const server = await loop.createServer(
          () => {
            sink = new Sink();
            sink.selfPauseEvery = selfPauseEvery;
            return sink;
          },
          "127.0.0.1",
          0,
        );
        const [, port] = server.sockets[0]!.getsockname() as [string, number];
        const raw = await rawConnect(port);
        raw.on("error", () => {});
        sendAll(raw);
        while (sink === null) await asyncio.sleep(0.001);
        cleanup = async () => {
          raw.destroy();
          server.close();
          await server.waitClosed();
        };
      } else {
        const [node, port] = await rawServer(sendAll);
        const [, s] = await loop.createConnection(
          () => {
            const p = new Sink();
            p.selfPauseEvery = selfPauseEvery;
            return p;
          },
          "127.0.0.1",
          port,
        );
        sink = s;
        cleanup = async () => {
          await new Promise((resolve) => node.close(resolve));
        };
      }
      const p = sink as unknown as Sink;
      await p.made;
      if (mode === "pausing") {
        const cycles = await pauseResumeUntilLost(p.transport!, p);
        assert.ok(cycles >= 3, `paused ${cycles} times`);
      }
      assert.equal(await p.lost, null);
      assert.deepEqual(p.violations, []);
      assert.deepEqual(p.log, ["made", "data", "eof", "lost:None"]);
      assert.equal(p.bytesAtEof, payload.length, "eofReceived after the last byte");
      assert.equal(p.bytes, payload.length);
      assert.equal(sha(p.received()), sha(payload), "every byte, in order");
      await cleanup();
    });
  }
});

test("TCP: bytes and EOF Node buffered before an accepted transport existed come first", {
  timeout: HANG_GUARD,
}, async () => {
  const early = randomBytes(40 * 1024, 3); // over Node's 16 KiB read buffer: Node stopped reading
  const later = randomBytes(200 * 1024, 4);
  for (const withEof of [false, true]) {
    await asyncio.run(async () => {
      const loop = asyncio.getRunningLoop();
      const node = net.createServer({ allowHalfOpen: true });
      const accepted: net.Socket[] = [];
      node.on("connection", (s: net.Socket) => accepted.push(s));
      await new Promise<void>((resolve) => node.listen(0, "127.0.0.1", resolve));
      let sink: Sink | null = null;
      const server = await loop.createServer(() => (sink = new Sink()), null, null, {
        sock: node,
        startServing: false,
      });
      const raw = await rawConnect((node.address() as net.AddressInfo).port);
      raw.on("error", () => {});
      const first = withEof ? early.subarray(0, 1000) : early;
      raw.write(first);
      if (withEof) raw.end();
      while (accepted.length === 0) await asyncio.sleep(0.002);
      const nodeSock = accepted[0]!;
      // Node has read bytes (and the EOF) into the socket (and stopped reading when it had
      // 16 KiB: the rest waits in the kernel); no transport exists yet.
      while (!nodeBuffered(nodeSock, first.length, withEof)) await asyncio.sleep(0.002);
      const pre = nodeSock.readableLength;
      assert.equal(sink, null);
      await server.startServing();
      while (sink === null) await asyncio.sleep(0.002);
      const p = sink as unknown as Sink;
      if (!withEof) {
        while (p.bytes < first.length) await asyncio.sleep(0.002);
        raw.end(later);
      }
      assert.equal(await p.lost, null);
      assert.deepEqual(p.violations, []);
      assert.deepEqual(p.log, ["made", "data", "eof", "lost:None"]);
      const all = withEof ? first : Buffer.concat([first, later]);
      assert.equal(p.bytesAtEof, all.length);
      assert.ok(p.chunks[0]!.length >= pre, "the first dataReceived has the buffered bytes");
      assert.equal(sha(p.received()), sha(all), "nothing lost or reordered");
      raw.destroy();
      server.close();
      await server.waitClosed();
    });
  }
});

test("TCP: bytes and EOF a connected socket buffered before createConnection(sock) come first", {
  timeout: HANG_GUARD,
}, async () => {
  const early = randomBytes(40 * 1024, 5);
  const later = randomBytes(300 * 1024, 6);
  for (const withEof of [false, true]) {
    await asyncio.run(async () => {
      const loop = asyncio.getRunningLoop();
      const peers: net.Socket[] = [];
      const first = withEof ? early.subarray(0, 777) : early;
      const [node, port] = await rawServer((s) => {
        peers.push(s);
        s.on("error", () => {});
        s.write(first);
        if (withEof) s.end();
      });
      const raw = await rawConnect(port);
      while (!nodeBuffered(raw, first.length, withEof)) await asyncio.sleep(0.002);
      const pre = raw.readableLength;
      const [transport, p] = await loop.createConnection(() => new Sink(), null, null, {
        sock: raw,
      });
      assert.equal(transport.getExtraInfo("peername") !== null, true);
      if (!withEof) {
        while (p.bytes < first.length) await asyncio.sleep(0.002);
        peers[0]!.end(later);
      }
      assert.equal(await p.lost, null);
      assert.deepEqual(p.violations, []);
      assert.deepEqual(p.log, ["made", "data", "eof", "lost:None"]);
      const all = withEof ? first : Buffer.concat([first, later]);
      assert.equal(p.bytesAtEof, all.length);
      assert.ok(p.chunks[0]!.length >= pre, "the first dataReceived has the buffered bytes");
      assert.equal(sha(p.received()), sha(all), "nothing lost or reordered");
      await new Promise((resolve) => node.close(resolve));
    });
  }
});

test("TCP: an EOF Node read before the accepted transport existed is still delivered", {
  timeout: HANG_GUARD,
}, async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const node = net.createServer({ allowHalfOpen: true });
    const accepted: net.Socket[] = [];
    node.on("connection", (s: net.Socket) => accepted.push(s));
    await new Promise<void>((resolve) => node.listen(0, "127.0.0.1", resolve));
    let sink: Sink | null = null;
    const server = await loop.createServer(() => (sink = new Sink()), null, null, {
      sock: node,
      startServing: false,
    });
    const raw = await rawConnect((node.address() as net.AddressInfo).port);
    raw.on("error", () => {});
    raw.end();
    while (accepted.length === 0 || !nodeSawEof(accepted[0]!)) await asyncio.sleep(0.002);
    await asyncio.sleep(0.02);
    await server.startServing();
    while (sink === null) await asyncio.sleep(0.002);
    const p = sink as unknown as Sink;
    try {
      // A guard against hanging, not a timing assertion: this takes milliseconds when it works.
      assert.equal(await asyncio.waitFor(asyncio.shield(p.lost), 2), null);
      assert.deepEqual(p.log, ["made", "eof", "lost:None"]);
    } finally {
      raw.destroy();
      server.close();
      server.abortClients();
      await server.waitClosed();
    }
  });
});

/** A sending protocol: the flow-control calls with the write buffer size at each. */
class Source extends asyncio.Protocol {
  transport: asyncio.Transport | null = null;
  events: string[] = [];
  sizes: number[] = [];
  sizeAtLost = -1;
  readonly made: asyncio.Future<void>;
  readonly lost: asyncio.Future<Error | null>;
  constructor() {
    super();
    const loop = asyncio.getRunningLoop();
    this.made = loop.createFuture();
    this.lost = loop.createFuture();
  }
  override connectionMade(t: asyncio.Transport): void {
    this.transport = t;
    this.made.setResult(undefined);
  }
  override pauseWriting(): void {
    this.events.push("pause");
    this.sizes.push(this.transport!.getWriteBufferSize());
  }
  override resumeWriting(): void {
    this.events.push("resume");
    this.sizes.push(this.transport!.getWriteBufferSize());
  }
  override connectionLost(exc: Error | null): void {
    this.sizeAtLost = this.transport!.getWriteBufferSize();
    this.events.push(`lost:${exc === null ? "None" : exc.name}`);
    this.lost.setResult(exc);
  }
}

/**
 * A Source transport whose peer is a raw Node socket that does not read until told to: the
 * transport is the accepted one (the raw socket connects) or the connected one.
 */
async function sourceWithIdlePeer(
  side: "accepted" | "connected",
): Promise<{ t: asyncio.Transport; src: Source; peer: net.Socket; done: () => Promise<void> }> {
  const loop = asyncio.getRunningLoop();
  if (side === "accepted") {
    let src: Source | null = null;
    const server = await loop.createServer(() => (src = new Source()), "127.0.0.1", 0);
    const [, port] = server.sockets[0]!.getsockname() as [string, number];
    const peer = await rawConnect(port, true);
    while (src === null) await asyncio.sleep(0.002);
    const s = src as unknown as Source;
    await s.made;
    return {
      t: s.transport!,
      src: s,
      peer,
      done: async () => {
        peer.destroy();
        server.close();
        server.abortClients();
        await server.waitClosed();
      },
    };
  }
  const peers: net.Socket[] = [];
  const [node, port] = await rawServer(
    (s) => {
      s.pause();
      peers.push(s);
    },
    { allowHalfOpen: true },
  );
  const [t, src] = await loop.createConnection(() => new Source(), "127.0.0.1", port);
  while (peers.length === 0) await asyncio.sleep(0.002);
  return {
    t,
    src,
    peer: peers[0]!,
    done: async () => {
      for (const p of peers) p.destroy();
      await new Promise((resolve) => node.close(resolve));
    },
  };
}

test("TCP: small write-buffer limits: pauseWriting and resumeWriting once each, sizes consistent", {
  timeout: HANG_GUARD,
}, async () => {
  for (const side of ["accepted", "connected"] as const) {
    await asyncio.run(async () => {
      const { t, src, peer, done } = await sourceWithIdlePeer(side);
      t.setWriteBufferLimits(16 * 1024, 4 * 1024);
      assert.deepEqual(t.getWriteBufferLimits(), [4 * 1024, 16 * 1024]);
      assert.equal(t.getWriteBufferSize(), 0);
      const sent: Buffer[] = [];
      let seed = 100;
      const writeOne = () => {
        const chunk = randomBytes(8 * 1024, seed++);
        sent.push(chunk);
        t.write(chunk);
      };
      // The kernel's buffers fill up first; then Node's buffer grows past the high mark.
      for (let i = 0; i < 20000 && src.events.length === 0; i++) writeOne();
      assert.deepEqual(src.events, ["pause"], "pauseWriting is called from write()");
      assert.ok(src.sizes[0]! > 16 * 1024, `over the high mark: ${src.sizes[0]}`);
      assert.ok(src.sizes[0]! <= 16 * 1024 + 8 * 1024);
      // While paused, each write adds exactly its size to the buffer, and nothing else happens.
      for (let i = 0; i < 10; i++) {
        const before = t.getWriteBufferSize();
        writeOne();
        assert.equal(t.getWriteBufferSize(), before + 8 * 1024);
      }
      for (let i = 0; i < 5; i++) await asyncio.sleep(0);
      await asyncio.sleep(0.01);
      assert.deepEqual(src.events, ["pause"], "nothing drains while the peer does not read");
      const received = drainRaw(peer);
      while (src.events.length < 2) await asyncio.sleep(0.002);
      assert.deepEqual(src.events, ["pause", "resume"]);
      assert.ok(src.sizes[1]! <= 4 * 1024, `down to the low mark: ${src.sizes[1]}`);
      while (t.getWriteBufferSize() > 0) await asyncio.sleep(0.002);
      writeOne();
      writeOne();
      t.close();
      assert.equal(await src.lost, null);
      assert.deepEqual(src.events, ["pause", "resume", "lost:None"]);
      assert.equal(t.getWriteBufferSize(), 0);
      const { data, how } = await received;
      assert.equal(how, "end");
      assert.equal(data.length, sent.length * 8 * 1024);
      assert.equal(sha(data), sha(...sent), "every byte, in order");
      await done();
    });
  }
});

test("TCP: close() with ~10 MB buffered flushes it all before the FIN, then connectionLost(None)", {
  timeout: HANG_GUARD,
}, async () => {
  const payload = randomBytes(10 * 1024 * 1024, 7);
  for (const side of ["accepted", "connected"] as const) {
    await asyncio.run(async () => {
      const { t, src, peer, done } = await sourceWithIdlePeer(side);
      if (side === "accepted") {
        t.write(payload);
      } else {
        const parts = chunked(payload, 1024 * 1024, 8);
        t.write(parts[0]!);
        t.writelines(parts.slice(1, 4));
        for (const part of parts.slice(4)) t.write(part);
      }
      assert.ok(t.getWriteBufferSize() > 0, "buffered in Node");
      t.close();
      assert.equal(t.isClosing(), true);
      for (let i = 0; i < 5; i++) await asyncio.sleep(0);
      await asyncio.sleep(0.01);
      assert.equal(src.lost.done(), false, "connectionLost waits for the buffer to drain");
      assert.ok(t.getWriteBufferSize() > 0);
      const { data, how } = await drainRaw(peer);
      assert.equal(how, "end", "a FIN, not a reset");
      assert.equal(data.length, payload.length, "exactly 10 MB, then EOF");
      assert.equal(sha(data), sha(payload));
      assert.equal(await src.lost, null);
      assert.equal(src.sizeAtLost, 0, "connectionLost only once everything was written");
      assert.equal(src.events.filter((e) => e === "pause").length, 1);
      assert.equal(src.events.at(-1), "lost:None");
      await done();
    });
  }
});

test("TCP: abort() with data buffered drops it; connectionLost(None); nothing reported", {
  timeout: HANG_GUARD,
}, async () => {
  // Far more than the kernel buffers: most of it is still in Node's buffer at abort().
  const payload = Buffer.allocUnsafe(48 * 1024 * 1024);
  for (let i = 0; i < payload.length; i += 4) payload.writeUInt32LE(i, i);
  for (const side of ["accepted", "connected"] as const) {
    await asyncio.run(async () => {
      const loop = asyncio.getRunningLoop();
      const handled: Record<string, unknown>[] = [];
      loop.setExceptionHandler((_l, ctx) => {
        handled.push(ctx);
      });
      const { t, src, peer, done } = await sourceWithIdlePeer(side);
      t.write(payload.subarray(0, 1000));
      t.write(payload.subarray(1000));
      assert.ok(t.getWriteBufferSize() > 0, "buffered in Node");
      t.abort();
      assert.equal(t.isClosing(), true);
      t.write(b("ignored after abort"));
      assert.equal(await src.lost, null);
      assert.deepEqual(
        src.events.filter((e) => e.startsWith("lost")),
        ["lost:None"],
      );
      const { data, how } = await drainRaw(peer);
      assert.ok(["end", "ECONNRESET"].includes(how), how);
      assert.ok(data.length < payload.length, `Node's buffer was dropped: ${data.length}`);
      assert.ok(data.equals(payload.subarray(0, data.length)), "what arrived is a prefix");
      for (let i = 0; i < 5; i++) await asyncio.sleep(0);
      assert.deepEqual(handled, []);
      await done();
    });
  }
});

test("createConnection: a localAddr that cannot be bound is the bind error itself; a closed socket's repr has no addresses", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const server = await loop.createServer(() => new asyncio.Protocol(), "127.0.0.1", 0);
    const port = (server.sockets[0]!.getsockname() as [string, number])[1];
    await assert.rejects(
      async () =>
        loop.createConnection(() => new asyncio.Protocol(), "127.0.0.1", port, {
          localAddr: ["127.0.0.1", port],
        }),
      (e: unknown) => {
        assert.equal((e as asyncio.OSError).errno, 98);
        assert.match(
          (e as Error).message,
          /^\[Errno 98\] error while attempting to bind on address/,
        );
        return true;
      },
    );
    const [t] = await loop.createConnection(() => new asyncio.Protocol(), "127.0.0.1", port);
    const sock = t.getExtraInfo("socket") as asyncio.socket.TransportSocket;
    assert.match(String(sock), /laddr=\('127\.0\.0\.1', \d+\), raddr=/);
    t.close();
    await asyncio.sleep(0.01);
    assert.equal(String(sock), "<asyncio.TransportSocket fd=-1, family=2, type=1, proto=6>");
    server.close();
    await server.waitClosed();
  });
});

test("BufferedProtocol: a buffer is asked for before the EOF too, as CPython's recv_into loop does", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const server = await loop.createServer(
      () =>
        new (class extends asyncio.Protocol {
          override connectionMade(t: asyncio.Transport): void {
            t.write(b("hello"));
            t.writeEof();
          }
        })(),
      "127.0.0.1",
      0,
    );
    const port = (server.sockets[0]!.getsockname() as [string, number])[1];
    const events: string[] = [];
    const done = loop.createFuture<void>();
    const buf = new Uint8Array(100);
    await loop.createConnection(
      () => ({
        getBuffer: (hint: number) => {
          events.push(`get_buffer ${hint}`);
          return buf;
        },
        bufferUpdated: (n: number) => events.push(`updated ${n}`),
        eofReceived: () => {
          events.push("eof");
        },
        connectionLost: () => done.setResult(),
      }),
      "127.0.0.1",
      port,
    );
    await done;
    assert.deepEqual(events, ["get_buffer -1", "updated 5", "get_buffer -1", "eof"]);
    server.close();
    await server.waitClosed();
  });
});

test("BufferedProtocol: getBuffer() values are checked as CPython's len() and recv_into() check them", async () => {
  // [returned buffer, the exception handler's message, the exception] as CPython 3.13 reports them.
  const cases: [unknown, string, string][] = [
    [
      "abcd",
      "Fatal read error on socket transport",
      "TypeError: recv_into() argument 1 must be read-write bytes-like object, not str",
    ],
    [
      [1, 2],
      "Fatal read error on socket transport",
      "TypeError: recv_into() argument 1 must be read-write bytes-like object, not list",
    ],
    [
      7,
      "Fatal error: protocol.get_buffer() call failed.",
      "TypeError: object of type 'int' has no len()",
    ],
    [
      "",
      "Fatal error: protocol.get_buffer() call failed.",
      "RuntimeError: get_buffer() returned an empty buffer",
    ],
    [new Uint16Array(4), "", "updated 4"],
  ];
  for (const [value, message, outcome] of cases) {
    await asyncio.run(async () => {
      const loop = asyncio.getRunningLoop();
      const seen: string[] = [];
      loop.setExceptionHandler((_l, c) => {
        const e = c.exception as Error;
        seen.push(c.message as string, `${e.name}: ${e.message}`);
      });
      // The writer is closed: a server's waitClosed() waits for its connections.
      const server = await asyncio.startServer(
        (_r, w) => {
          w.write(b("data"));
          w.close();
        },
        "127.0.0.1",
        0,
      );
      const port = (server.sockets[0]!.getsockname() as [string, number])[1];
      const lost = loop.createFuture<void>();
      const [t] = await loop.createConnection(
        () =>
          new (class extends asyncio.BufferedProtocol {
            override getBuffer(): Uint8Array {
              return value as Uint8Array;
            }
            override bufferUpdated(n: number): void {
              seen.push("", `updated ${n}`);
              t.close();
            }
            override connectionLost(): void {
              lost.setResult();
            }
          })(),
        "127.0.0.1",
        port,
      );
      await lost;
      assert.deepEqual(seen, [message, outcome], String(value));
      server.close();
      await server.waitClosed();
    });
  }
});

test("UDP reports name CPython's callbacks: connection_lost raising is _SelectorTransport._call_connection_lost(None) in debug mode, the reader's arguments are not shown", async () => {
  const records: string[] = [];
  const h = (r: { message: string }) => records.push(r.message.split("\n")[0]!);
  asyncio.logger.addHandler(h);
  try {
    await asyncio.run(
      async () => {
        const loop = asyncio.getRunningLoop();
        class Bad extends asyncio.DatagramProtocol {
          override datagramReceived(): void {
            throw new asyncio.ValueError("dgram boom");
          }
          override connectionLost(): void {
            throw new asyncio.RuntimeError("lost boom");
          }
        }
        const [t] = await loop.createDatagramEndpoint(() => new Bad(), {
          localAddr: ["127.0.0.1", 0],
        });
        const [host, port] = t.getExtraInfo("sockname") as [string, number];
        const [c] = await loop.createDatagramEndpoint(() => new asyncio.DatagramProtocol(), {
          remoteAddr: [host, port],
        });
        c.sendto(Buffer.from("x"));
        for (let i = 0; i < 50 && records.length === 0; i++) await asyncio.sleep(0.01);
        t.close();
        c.close();
        await asyncio.sleep(0);
      },
      { debug: true },
    );
  } finally {
    asyncio.logger.removeHandler(h);
  }
  assert.deepEqual(
    records.filter((m) => m.startsWith("Exception in callback")),
    [
      "Exception in callback _SelectorDatagramTransport._read_ready()",
      "Exception in callback _SelectorTransport._call_connection_lost(None)",
    ],
  );
});

test("options read by Python truthiness or `is None` as CPython reads them: startServing 0, allErrors [], ssl [] (no TLS), create_server's ssl 0 with a handshake timeout, reusePort []", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const server = await loop.createServer(() => new asyncio.Protocol(), "127.0.0.1", 0, {
      startServing: 0 as unknown as boolean,
      reusePort: [] as unknown as boolean,
      ssl: 0 as never,
      sslHandshakeTimeout: 1,
    });
    assert.equal(server.isServing(), false);
    await server.startServing();
    const port = server.sockets[0]!.getsockname()[1] as number;
    const [t] = await loop.createConnection(() => new asyncio.Protocol(), "127.0.0.1", port, {
      ssl: [] as never,
    });
    assert.equal(t.getExtraInfo("sslcontext"), null); // no TLS
    t.close();
    server.close();
    await server.waitClosed();
    await assert.rejects(
      async () => {
        await loop.createConnection(() => new asyncio.Protocol(), "127.0.0.1", port, {
          allErrors: [] as unknown as boolean,
        });
      },
      (e: unknown) => e instanceof Error && e.name === "ConnectionRefusedError",
    );
    const q = new asyncio.Queue<number>();
    q.putNowait(1);
    q.shutdown([] as unknown as boolean); // falsy in Python: not immediate
    assert.equal(q.qsize(), 1);
  });
});

test("data then a reset arriving together (reading paused): the data, then ConnectionResetError, not EOF", async () => {
  const raw = net.createServer((s) => {
    s.write("doomed", () => setTimeout(() => s.resetAndDestroy(), 20));
  });
  await new Promise<void>((r) => raw.listen(0, "127.0.0.1", r));
  const port = (raw.address() as net.AddressInfo).port;
  try {
    const events = await asyncio.run(async () => {
      const loop = asyncio.getRunningLoop();
      const ev: string[] = [];
      const lost = loop.createFuture<void>();
      const [t] = await loop.createConnection(
        () => ({
          connectionMade(tr: asyncio.Transport) {
            tr.pauseReading();
          },
          dataReceived(d: Buffer) {
            ev.push(`data ${d}`);
          },
          eofReceived() {
            ev.push("eof");
          },
          connectionLost(exc: Error | null) {
            ev.push(`lost ${exc === null ? "None" : pyRepr(exc)}`);
            lost.setResult();
          },
        }),
        "127.0.0.1",
        port,
      );
      // both the data and the reset are in the kernel before reading resumes
      await asyncio.sleep(0.2);
      t.resumeReading();
      await lost;
      return ev;
    });
    assert.deepEqual(events, [
      "data doomed",
      "lost ConnectionResetError(104, 'Connection reset by peer')",
    ]);
  } finally {
    raw.close();
  }
});
