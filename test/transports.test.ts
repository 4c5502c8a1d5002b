/**
 * Transports and protocols over real sockets on 127.0.0.1: TCP (callback order, flow control,
 * reading pause/resume, BufferedProtocol, writeEof, abort, argument checks), UDP
 * (createDatagramEndpoint), getaddrinfo and signal handlers. The CPython-traced version of
 * the TCP part is conformance/101_transports_protocols.
 */
import assert from "node:assert/strict";
import * as net from "node:net";
import { constants as osConstants } from "node:os";
import { test } from "node:test";
import { pyRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";

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
      /^<SocketTransport fd=\d+ read=(polling|idle) write=<idle, bufsize=0>>$/,
    );
    assert.equal(transport.getProtocol(), client);
    transport.abort();
    assert.match(pyRepr(transport), /closing/);
    await client.lost;
    assert.match(pyRepr(transport), /^<SocketTransport closed fd=\d+>$/);
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
    const [transport] = yield* loop.createConnection(
      () =>
        new (class extends asyncio.Protocol {
          override pauseWriting(): void {
            events.push("pause");
          }
          override resumeWriting(): void {
            events.push("resume");
          }
        })(),
      "127.0.0.1",
      port,
    );
    transport.setWriteBufferLimits(32 * 1024);
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

test("signal handlers run on the loop with their arguments; removal", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const got = loop.createFuture<string>();
    let inHandler: unknown = "unset";
    loop.addSignalHandler(
      osConstants.signals.SIGUSR2,
      (arg: string) => {
        inHandler = asyncio.currentTask();
        got.setResult(arg);
      },
      "hello",
    );
    process.kill(process.pid, "SIGUSR2");
    assert.equal(await got, "hello");
    assert.equal(inHandler, null, "a plain callback of the loop");
    assert.equal(loop.removeSignalHandler("SIGUSR2"), true);
    assert.equal(loop.removeSignalHandler("SIGUSR2"), false);
    assert.equal(process.listenerCount("SIGUSR2"), 0);
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
  const { spawn } = await import("node:child_process");
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
