/**
 * TLS over 127.0.0.1 with certificates made at test time by `openssl` (the tests are skipped
 * when it is missing): client and server, verification on by default, serverHostname and host
 * name checks, a wrong certificate, client certificates, the handshake timeout, and upgrading a
 * plain connection with StreamWriter.startTls / loop.startTls, in both coroutine syntaxes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import * as tls from "node:tls";
import { pathToFileURL } from "node:url";
import * as asyncio from "../src/index.ts";
import { makeSelfSignedCert } from "./fixtures/certs.ts";

const { ssl } = asyncio;
const b = (s: string) => Buffer.from(s, "latin1");

const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-tls-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const certs = hasOpenssl
  ? {
      server: makeSelfSignedCert(dir, "server", "localhost", "DNS:localhost,IP:127.0.0.1"),
      other: makeSelfSignedCert(dir, "other", "localhost", "DNS:localhost,IP:127.0.0.1"),
      client: makeSelfSignedCert(dir, "client", "client", "DNS:client"),
    }
  : null;
const skip = hasOpenssl ? false : "openssl is not installed";

function serverContext(which: "server" | "other" = "server"): asyncio.ssl.SSLContext {
  const ctx = ssl.createDefaultContext(ssl.Purpose.CLIENT_AUTH);
  ctx.loadCertChain(certs![which][0], certs![which][1]);
  return ctx;
}

function clientContext(): asyncio.ssl.SSLContext {
  return ssl.createDefaultContext(ssl.Purpose.SERVER_AUTH, { cafile: certs!.server[0] });
}

function portOf(server: asyncio.Server): number {
  return (server.sockets[0]!.getsockname() as [string, number])[1];
}

function rejects(
  aw: PromiseLike<unknown>,
  expected: Parameters<typeof assert.rejects>[1],
): Promise<void> {
  return assert.rejects(async () => {
    await aw;
  }, expected);
}

async function echoLine(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): Promise<void> {
  const line = await reader.readline();
  writer.write(b(`echo:${line.toString()}`));
  await writer.drain();
  writer.close();
}

/** Closes servers and their clients, and waits until they are closed. */
async function closeServers(...servers: asyncio.Server[]): Promise<void> {
  for (const s of servers) {
    s.close();
    s.closeClients();
    await s.waitClosed();
  }
}

test("TLS echo with streams (async syntax), extra info, no half-close", { skip }, async () => {
  await asyncio.run(async () => {
    const server = await asyncio.startServer(echoLine, "127.0.0.1", 0, { ssl: serverContext() });
    const [reader, writer] = await asyncio.openConnection("127.0.0.1", portOf(server), {
      ssl: clientContext(),
      serverHostname: "localhost",
    });
    assert.ok(writer.getExtraInfo("sslcontext") instanceof ssl.SSLContext);
    const [name, version, bits] = writer.getExtraInfo("cipher") as [string, string, number];
    assert.equal(typeof name, "string");
    assert.match(version, /^TLSv1\.[23]$/);
    assert.ok(bits === 128 || bits === 256);
    const cert = writer.getExtraInfo("peercert") as { subject: { CN: string } };
    assert.equal(cert.subject.CN, "localhost");
    assert.equal(writer.canWriteEof(), false);
    assert.throws(() => writer.writeEof(), { name: "NotImplementedError" });
    writer.write(b("secret\n"));
    assert.equal((await reader.read()).toString(), "echo:secret\n");
    writer.close();
    await writer.waitClosed();
    server.close();
    await server.waitClosed();
  });
});

test("options inherited through the prototype count: ssl given so is not dropped (TLS stayed off)", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const server = await asyncio.startServer(
      echoLine,
      "127.0.0.1",
      0,
      Object.create({ ssl: serverContext() }),
    );
    const [reader, writer] = await asyncio.openConnection(
      "127.0.0.1",
      portOf(server),
      Object.create({ ssl: clientContext(), serverHostname: "localhost" }),
    );
    assert.ok(writer.getExtraInfo("sslcontext") instanceof ssl.SSLContext);
    writer.write(b("secret\n"));
    assert.equal((await reader.read()).toString(), "echo:secret\n");
    writer.close();
    await writer.waitClosed();
    await closeServers(server);
  });
});

test("TLS echo with streams (generator syntax), host given as the name", { skip }, async () => {
  await asyncio.run(function* () {
    const server = yield* asyncio.startServer(
      function* (reader, writer) {
        const data = yield* reader.readexactly(100000);
        writer.write(data);
        yield* writer.drain();
        writer.close();
        yield* writer.waitClosed();
      },
      "127.0.0.1",
      0,
      { ssl: serverContext() },
    );
    const [reader, writer] = yield* asyncio.openConnection("localhost", portOf(server), {
      ssl: clientContext(),
    });
    const payload = Buffer.alloc(100000, 0x5a);
    writer.write(payload);
    yield* writer.drain();
    assert.ok((yield* reader.readexactly(100000)).equals(payload));
    assert.equal((yield* reader.read()).length, 0);
    writer.close();
    yield* writer.waitClosed();
    server.close();
    yield* server.waitClosed();
  });
});

test("verification is on by default; the server keeps serving after a failed handshake", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const server = await asyncio.startServer(echoLine, "127.0.0.1", 0, { ssl: serverContext() });
    const port = portOf(server);
    // ssl: true is a default context: the self-signed certificate is not trusted.
    await rejects(
      asyncio.openConnection("127.0.0.1", port, { ssl: true, serverHostname: "localhost" }),
      (e) => {
        assert.ok(e instanceof ssl.SSLCertVerificationError, String(e));
        assert.ok(e instanceof ssl.SSLError && e instanceof asyncio.OSError);
        assert.equal(
          e.message,
          "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate",
        );
        assert.equal(e.verifyCode, 18);
        assert.equal(e.reason, "CERTIFICATE_VERIFY_FAILED");
        return true;
      },
    );
    const [reader, writer] = await asyncio.openConnection("127.0.0.1", port, {
      ssl: clientContext(),
      serverHostname: "localhost",
    });
    writer.write(b("still here\n"));
    assert.equal((await reader.read()).toString(), "echo:still here\n");
    writer.close();
    server.close();
    await server.waitClosed();
  });
});

test("serverHostname: mismatch fails, checkHostname=false or CERT_NONE skip checks", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const server = await asyncio.startServer(echoLine, "127.0.0.1", 0, { ssl: serverContext() });
    const port = portOf(server);
    await rejects(
      asyncio.openConnection("127.0.0.1", port, {
        ssl: clientContext(),
        serverHostname: "wrong.example",
      }),
      (e) => {
        assert.ok(e instanceof ssl.SSLCertVerificationError);
        assert.equal(
          e.message,
          "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'wrong.example'.",
        );
        assert.equal(e.verifyCode, 62);
        return true;
      },
    );
    // The IP address is in the certificate's subjectAltName: host as server_hostname works.
    let [r, w] = await asyncio.openConnection("127.0.0.1", port, { ssl: clientContext() });
    w.write(b("ip\n"));
    assert.equal((await r.read()).toString(), "echo:ip\n");
    w.close();
    const noHost = clientContext();
    noHost.checkHostname = false;
    [r, w] = await asyncio.openConnection("127.0.0.1", port, {
      ssl: noHost,
      serverHostname: "wrong.example",
    });
    w.write(b("nohost\n"));
    assert.equal((await r.read()).toString(), "echo:nohost\n");
    w.close();
    const insecure = ssl.createDefaultContext();
    assert.throws(
      () => {
        insecure.verifyMode = ssl.CERT_NONE;
      },
      {
        name: "ValueError",
        message: "Cannot set verify_mode to CERT_NONE when check_hostname is enabled.",
      },
    );
    insecure.checkHostname = false;
    insecure.verifyMode = ssl.CERT_NONE;
    [r, w] = await asyncio.openConnection("127.0.0.1", port, { ssl: insecure, serverHostname: "" });
    w.write(b("insecure\n"));
    assert.equal((await r.read()).toString(), "echo:insecure\n");
    w.close();
    server.close();
    await server.waitClosed();
  });
});

test("a wrong certificate: the handshake fails on the client", { skip }, async () => {
  await asyncio.run(function* () {
    const server = yield* asyncio.startServer(echoLine, "127.0.0.1", 0, {
      ssl: serverContext("other"),
    });
    let error: unknown = null;
    try {
      yield* asyncio.openConnection("127.0.0.1", portOf(server), {
        ssl: clientContext(),
        serverHostname: "localhost",
      });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ssl.SSLCertVerificationError, String(error));
    assert.match(
      (error as Error).message,
      /^\[SSL: CERTIFICATE_VERIFY_FAILED\] certificate verify failed: /,
    );
    server.close();
    yield* server.waitClosed();
  });
});

test("loadVerifyLocations takes Python's positional (cafile, capath, cadata) as well as options", {
  skip,
}, async () => {
  const pem = readFileSync(certs!.server[0], "utf8");
  const contexts = [
    ssl.createDefaultContext(),
    ssl.createDefaultContext(),
    ssl.createDefaultContext(),
  ] as const;
  contexts[0].loadVerifyLocations(certs!.server[0]);
  contexts[1].loadVerifyLocations(null, null, pem);
  contexts[2].loadVerifyLocations({ cafile: certs!.server[0] });
  assert.throws(() => ssl.createDefaultContext().loadVerifyLocations(), {
    name: "TypeError",
    message: "cafile, capath and cadata cannot be all omitted",
  });
  // CPython's checks (a number was taken for a file descriptor: 0 read stdin).
  const lvl =
    (...args: unknown[]) =>
    () =>
      (ssl.createDefaultContext().loadVerifyLocations as (...a: unknown[]) => void)(...args);
  for (const [args, name, message] of [
    [[0], "TypeError", "cafile should be a valid filesystem path"],
    [[true], "TypeError", "cafile should be a valid filesystem path"],
    [[null, 5], "TypeError", "capath should be a valid filesystem path"],
    [[null, null, 5], "TypeError", "cadata should be an ASCII string or a bytes-like object"],
    [[null, null, ""], "ValueError", "Empty certificate data"],
    [
      ["a", "b", "c", "d"],
      "TypeError",
      "load_verify_locations() takes at most 3 arguments (4 given)",
    ],
    [
      [certs!.server[1]],
      "SSLError",
      "[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found",
    ],
  ] as const) {
    assert.throws(lvl(...args), { name, message }, String(args));
  }
  // Path-likes, and a capath that cannot be read (OpenSSL reads it when it verifies).
  lvl(pathToFileURL(certs!.server[0]))();
  lvl(Buffer.from(certs!.server[0]))();
  lvl(null, "/nonexistent-dir")();
  await asyncio.run(async () => {
    const server = await asyncio.startServer(echoLine, "127.0.0.1", 0, { ssl: serverContext() });
    for (const ctx of contexts) {
      const [reader, writer] = await asyncio.openConnection("127.0.0.1", portOf(server), {
        ssl: ctx,
        serverHostname: "localhost",
      });
      writer.write(b("hi\n"));
      assert.equal((await reader.readline()).toString(), "echo:hi\n");
      writer.close();
      await writer.waitClosed();
    }
    await closeServers(server);
  });
});

test("client certificates: required by the server", { skip }, async () => {
  await asyncio.run(async () => {
    const sctx = serverContext();
    sctx.verifyMode = ssl.CERT_REQUIRED;
    sctx.loadVerifyLocations({ cafile: certs!.client[0] });
    let peer: unknown = null;
    const server = await asyncio.startServer(
      async (reader, writer) => {
        peer = writer.getExtraInfo("peercert");
        await echoLine(reader, writer);
      },
      "127.0.0.1",
      0,
      { ssl: sctx },
    );
    const cctx = clientContext();
    cctx.loadCertChain(certs!.client[0], certs!.client[1]);
    const [r, w] = await asyncio.openConnection("127.0.0.1", portOf(server), {
      ssl: cctx,
      serverHostname: "localhost",
    });
    w.write(b("mutual\n"));
    assert.equal((await r.read()).toString(), "echo:mutual\n");
    assert.equal((peer as { subject: { CN: string } }).subject.CN, "client");
    w.close();
    // Without a client certificate the server refuses (TLS 1.3 reports it after the handshake).
    let failed = false;
    try {
      const [r2, w2] = await asyncio.openConnection("127.0.0.1", portOf(server), {
        ssl: clientContext(),
        serverHostname: "localhost",
      });
      w2.write(b("anonymous\n"));
      const got = await r2.read();
      failed = got.length === 0;
      w2.close();
    } catch (e) {
      assert.ok(e instanceof ssl.SSLError || e instanceof asyncio.ConnectionError, String(e));
      failed = true;
    }
    assert.ok(failed);
    server.close();
    await server.waitClosed();
  });
});

test("client certificates: one the server does not trust is refused (CERT_REQUIRED and CERT_OPTIONAL)", {
  skip,
}, async () => {
  for (const mode of [ssl.CERT_REQUIRED, ssl.CERT_OPTIONAL]) {
    await asyncio.run(async () => {
      const loop = asyncio.getRunningLoop();
      const handled: unknown[] = [];
      loop.setExceptionHandler((_l, ctx) => handled.push(ctx.exception));
      const sctx = serverContext();
      sctx.verifyMode = mode;
      sctx.loadVerifyLocations({ cafile: certs!.client[0] });
      let served = 0;
      const server = await asyncio.startServer(
        async (reader, writer) => {
          served++;
          await echoLine(reader, writer);
        },
        "127.0.0.1",
        0,
        { ssl: sctx },
      );
      // A client certificate the server's CA list does not include ("other" is self-signed).
      const cctx = clientContext();
      cctx.loadCertChain(certs!.other[0], certs!.other[1]);
      try {
        const [r, w] = await asyncio.openConnection("127.0.0.1", portOf(server), {
          ssl: cctx,
          serverHostname: "localhost",
        });
        w.write(b("intruder\n"));
        await r.read();
        w.close();
      } catch {
        // the client may see the server's alert
      }
      await asyncio.sleep(0.05);
      assert.equal(served, 0, "the handler never runs for an untrusted client certificate");
      assert.deepEqual(handled, [], "reported only in debug mode, as CPython");
      server.close();
      await server.waitClosed();
    });
  }
});

test("SSL errors: a context for the other side, a trailing-dot name, IP mismatch code 64, SSLCertVerificationError is a ValueError, loading errors", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const server = await asyncio.startServer(echoLine, "127.0.0.1", 0, { ssl: serverContext() });
    await rejects(asyncio.openConnection("127.0.0.1", portOf(server), { ssl: serverContext() }), {
      name: "SSLError",
      message: "Cannot create a client socket with a PROTOCOL_TLS_SERVER context",
    });
    await rejects(
      asyncio.openConnection("127.0.0.1", portOf(server), {
        ssl: clientContext(),
        serverHostname: "localhost.",
      }),
      (e: unknown) => {
        assert.ok(e instanceof ssl.SSLCertVerificationError);
        assert.ok(
          e instanceof asyncio.ValueError,
          "Python: SSLCertVerificationError(SSLError, ValueError)",
        );
        assert.match((e as Error).message, /certificate is not valid for 'localhost\.'/);
        return true;
      },
    );
    await rejects(
      asyncio.openConnection("127.0.0.1", portOf(server), {
        ssl: clientContext(),
        serverHostname: "127.0.0.2",
      }),
      (e: unknown) => (e as { verifyCode: number }).verifyCode === 64,
    );
    server.close();
    await server.waitClosed();
  });
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  assert.throws(() => ctx.loadCertChain(certs!.server[0], certs!.other[1]), {
    name: "SSLError",
    message: "[X509: KEY_VALUES_MISMATCH] key values mismatch",
  });
  assert.throws(() => ctx.loadCertChain(join(dir, "nope.pem")), {
    name: "FileNotFoundError",
    message: "[Errno 2] No such file or directory",
  });
  assert.throws(() => ctx.setCiphers("NOPE"), { message: "No cipher can be selected." });
});

test("the handshake times out against a server that never speaks TLS", { skip }, async () => {
  await asyncio.run(async () => {
    const server = await asyncio.startServer(
      async (reader) => {
        await reader.read();
      },
      "127.0.0.1",
      0,
    );
    await rejects(
      asyncio.openConnection("127.0.0.1", portOf(server), {
        ssl: clientContext(),
        serverHostname: "localhost",
        sslHandshakeTimeout: 0.2,
      }),
      {
        name: "ConnectionAbortedError",
        message: "SSL handshake is taking longer than 0.2 seconds: aborting the connection",
      },
    );
    await rejects(asyncio.openConnection("127.0.0.1", portOf(server), { sslHandshakeTimeout: 1 }), {
      name: "ValueError",
      message: "ssl_handshake_timeout is only meaningful with ssl",
    });
    await closeServers(server);
  });
});

test("StreamWriter.startTls upgrades both ends of a plain connection (STARTTLS)", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const server = await asyncio.startServer(
      async (reader, writer) => {
        assert.equal((await reader.readline()).toString(), "STARTTLS\n");
        writer.write(b("220 go ahead\n"));
        await writer.drain();
        await writer.startTls(serverContext());
        assert.notEqual(writer.getExtraInfo("sslcontext"), null);
        await echoLine(reader, writer);
      },
      "127.0.0.1",
      0,
    );
    const [reader, writer] = await asyncio.openConnection("127.0.0.1", portOf(server));
    assert.equal(writer.getExtraInfo("sslcontext"), null);
    writer.write(b("STARTTLS\n"));
    assert.equal((await reader.readline()).toString(), "220 go ahead\n");
    await writer.startTls(clientContext(), { serverHostname: "localhost" });
    assert.ok(writer.getExtraInfo("sslcontext") instanceof ssl.SSLContext);
    assert.equal(writer.canWriteEof(), false);
    writer.write(b("over tls\n"));
    assert.equal((await reader.read()).toString(), "echo:over tls\n");
    writer.close();
    await writer.waitClosed();
    server.close();
    await server.waitClosed();
  });
});

test("loop.startTls at the protocol level: connectionMade is not called again", {
  skip,
}, async () => {
  await asyncio.run(function* () {
    const loop = asyncio.getRunningLoop();
    const server = yield* asyncio.startServer(
      function* (reader, writer) {
        yield* reader.readline();
        writer.write(b("go\n"));
        yield* writer.drain();
        yield* writer.startTls(serverContext());
        const line = yield* reader.readline();
        writer.write(b(`tls:${line.toString()}`));
        yield* writer.drain();
        writer.close();
      },
      "127.0.0.1",
      0,
    );
    const events: string[] = [];
    const received: Buffer[] = [];
    const lost = loop.createFuture<void>();
    const proto: asyncio.AnyProtocol = {
      connectionMade: () => events.push("made"),
      dataReceived: (d) => received.push(d),
      eofReceived: () => {
        events.push("eof");
        return false;
      },
      connectionLost: () => {
        events.push("lost");
        lost.setResult(undefined);
      },
    };
    const [plain] = yield* loop.createConnection(() => proto, "127.0.0.1", portOf(server));
    plain.write(b("upgrade\n"));
    // The client must not start the handshake before the server is ready for it: bytes the
    // server has already read as plain data are not seen by its TLS layer (as in CPython).
    while (Buffer.concat(received).toString() !== "go\n") yield* asyncio.sleep(0.005);
    received.length = 0;
    const secure = yield* loop.startTls(plain, proto, clientContext(), {
      serverHostname: "localhost",
    });
    assert.notEqual(secure, plain);
    secure.write(b("hello\n"));
    yield* lost;
    assert.equal(Buffer.concat(received).toString(), "tls:hello\n");
    assert.deepEqual(
      events,
      ["made", "eof", "lost"],
      "connectionMade once, for the plain connection",
    );
    const error = yield* (function* () {
      try {
        yield* loop.startTls(secure, proto, {} as never);
      } catch (e) {
        return e;
      }
      return null;
    })();
    assert.ok(error instanceof TypeError);
    assert.match(
      (error as Error).message,
      /^sslcontext is expected to be an instance of ssl\.SSLContext/,
    );
    server.close();
    yield* server.waitClosed();
  });
});

test("after a TLS connection is lost its extra info keeps only the TLS keys (socket, peername, sockname give the default)", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const server = await asyncio.startServer(echoLine, "127.0.0.1", 0, { ssl: serverContext() });
    const [, writer] = await asyncio.openConnection("127.0.0.1", portOf(server), {
      ssl: clientContext(),
      serverHostname: "localhost",
    });
    assert.ok(writer.getExtraInfo("socket") !== null);
    assert.ok(Array.isArray(writer.getExtraInfo("peername")));
    writer.close();
    await writer.waitClosed();
    for (const key of ["socket", "peername", "sockname"]) {
      assert.equal(writer.getExtraInfo(key, "default"), "default", key);
    }
    assert.ok(writer.getExtraInfo("sslcontext") instanceof ssl.SSLContext);
    assert.ok(writer.getExtraInfo("cipher") !== null);
    server.close();
    await server.waitClosed();
  });
});

test("connectAcceptedSocket: a connection accepted by a plain Node server, wrapped (TLS server side) in a transport", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const received = loop.createFuture<string>();
    class Echo extends asyncio.Protocol {
      transport: asyncio.Transport | null = null;
      override connectionMade(t: asyncio.BaseTransport): void {
        this.transport = t as asyncio.Transport;
      }
      override dataReceived(data: Uint8Array): void {
        if (!received.done()) received.setResult(Buffer.from(data).toString());
        this.transport!.write(b(`echo:${Buffer.from(data).toString()}`));
      }
    }
    const accepted = loop.createFuture<[asyncio.Transport, Echo]>();
    const plain = net.createServer((sock) => {
      loop.callSoonThreadsafe(() => {
        const task = asyncio.ensureFuture(
          loop.connectAcceptedSocket(() => new Echo(), sock, { ssl: serverContext() }),
        );
        task.addDoneCallback((t) => accepted.setResult(t.result() as [asyncio.Transport, Echo]));
      });
    });
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const port = (plain.address() as { port: number }).port;
    const [reader, writer] = await asyncio.openConnection("127.0.0.1", port, {
      ssl: clientContext(),
      serverHostname: "localhost",
    });
    writer.write(b("hi"));
    assert.equal(await received, "hi");
    assert.equal((await reader.readexactly(7)).toString(), "echo:hi");
    const [transport] = await accepted;
    assert.ok(transport.getExtraInfo("sslcontext") instanceof ssl.SSLContext);
    writer.close();
    await writer.waitClosed();
    transport.close();
    plain.close();
    await assert.rejects(async () => {
      await loop.connectAcceptedSocket(() => new Echo(), {} as never);
    }, /A Stream Socket was expected/);
    const client = net.connect(port, "127.0.0.1").on("error", () => {}); // the server is closed
    await assert.rejects(async () => {
      await loop.connectAcceptedSocket(() => new Echo(), client, { sslHandshakeTimeout: 1 });
    }, /ssl_handshake_timeout is only meaningful with ssl/);
    client.destroy();
  });
});

// ---- protocol edges (as CPython's SSLProtocol / _SSLProtocolTransport) ----

/** A TLS server whose protocol says hello and keeps the connection. */
async function helloServer(): Promise<asyncio.Server> {
  return asyncio.getRunningLoop().createServer(
    () => ({
      connectionMade: (t: asyncio.BaseTransport) => (t as asyncio.Transport).write(b("hello")),
    }),
    "127.0.0.1",
    0,
    { ssl: serverContext() },
  );
}

/** A protocol that records its callbacks in `log`. */
function recorder(log: unknown[], fail: string | null = null): asyncio.Protocol {
  return new (class extends asyncio.Protocol {
    override connectionMade(): void {
      log.push("made");
      if (fail === "made") throw new asyncio.ValueError("boom made");
    }
    override dataReceived(d: Uint8Array): void {
      log.push(`data:${Buffer.from(d).toString()}`);
    }
    override eofReceived(): boolean | undefined {
      log.push("eof");
      return undefined;
    }
    override connectionLost(e: Error | null): void {
      log.push(e === null ? "lost" : `lost:${e.name}:${e.message}`);
    }
  })();
}

function handlerMessages(loop: asyncio.AbstractEventLoop): string[] {
  const msgs: string[] = [];
  loop.setExceptionHandler((_l, ctx) =>
    msgs.push(`${ctx.message}|${(ctx.exception as Error | undefined)?.name}`),
  );
  return msgs;
}

type TlsTransport = asyncio.Transport & {
  getReadBufferLimits(): [number, number];
  setReadBufferLimits(high?: number | null, low?: number | null): void;
  getReadBufferSize(): number;
};

test("a cancelled startTls closes the connection without connectionLost; a stream's reader gets no EOF", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    // A server that never speaks TLS: the handshake waits until cancelled.
    const silent = await loop.createServer(() => new asyncio.Protocol(), "127.0.0.1", 0);
    const log: unknown[] = [];
    const [tr, pr] = await loop.createConnection(() => recorder(log), "127.0.0.1", portOf(silent));
    await rejects(asyncio.waitFor(loop.startTls(tr, pr, clientContext()), 0.1), {
      name: "TimeoutError",
    });
    assert.equal(tr.isClosing(), true);
    await asyncio.sleep(0.05);
    assert.deepEqual(log, ["made"], "CPython's SSLProtocol does not tell the protocol");
    const [reader, writer] = await asyncio.openConnection("127.0.0.1", portOf(silent));
    await rejects(asyncio.waitFor(writer.startTls(clientContext()), 0.1), { name: "TimeoutError" });
    assert.equal(writer.isClosing(), true);
    await asyncio.sleep(0.05);
    assert.equal(reader.atEof(), false);
    assert.equal(reader.exception(), null);
    await rejects(asyncio.waitFor(reader.read(), 0.05), { name: "TimeoutError" });
    await rejects(asyncio.waitFor(writer.waitClosed(), 0.05), { name: "TimeoutError" });
    await closeServers(silent);
  });
});

test("a context for the other side: SSLError(0, ...) before the transport is touched (startTls), or the connection made", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const server = await asyncio.startServer(
      async (reader, writer) => {
        writer.write(await reader.read(100));
        await writer.drain();
      },
      "127.0.0.1",
      0,
    );
    await rejects(
      loop.createConnection(() => recorder([]), "127.0.0.1", portOf(server), {
        ssl: serverContext(),
      }),
      (e: unknown) => {
        assert.ok(e instanceof ssl.SSLError);
        assert.deepEqual((e as { args: unknown[] }).args, [
          0,
          "Cannot create a client socket with a PROTOCOL_TLS_SERVER context",
        ]);
        assert.equal((e as asyncio.OSError).errno, 0);
        return true;
      },
    );
    const log: unknown[] = [];
    const [tr, pr] = await loop.createConnection(() => recorder(log), "127.0.0.1", portOf(server));
    await rejects(loop.startTls(tr, pr, clientContext(), { serverSide: true }), {
      name: "SSLError",
      message: "Cannot create a server socket with a PROTOCOL_TLS_CLIENT context",
    });
    await rejects(loop.startTls(tr, pr, serverContext()), {
      name: "SSLError",
      message: "Cannot create a client socket with a PROTOCOL_TLS_SERVER context",
    });
    assert.equal(tr.isClosing(), false);
    assert.equal(tr.isReading(), true);
    tr.write(b("still open"));
    while (log.length < 2) await asyncio.sleep(0.01);
    assert.deepEqual(log, ["made", "data:still open"]);
    tr.close();
    server.close();
    await server.waitClosed();
  });
});

test("a TLS protocol whose connectionMade raises: the connection is lost with that error (client: createConnection raises it)", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const msgs = handlerMessages(loop);
    const hello = await helloServer();
    const log: unknown[] = [];
    await rejects(
      loop.createConnection(() => recorder(log, "made"), "127.0.0.1", portOf(hello), {
        ssl: clientContext(),
        serverHostname: "localhost",
      }),
      { name: "ValueError", message: "boom made" },
    );
    await asyncio.sleep(0.05);
    assert.deepEqual(log, ["made", "lost:ValueError:boom made"]);
    assert.deepEqual(msgs.splice(0), [
      "Fatal error: protocol.buffer_updated() call failed.|ValueError",
    ]);
    const slog: unknown[] = [];
    const server = await loop.createServer(() => recorder(slog, "made"), "127.0.0.1", 0, {
      ssl: serverContext(),
    });
    const [reader, writer] = await asyncio.openConnection("127.0.0.1", portOf(server), {
      ssl: clientContext(),
      serverHostname: "localhost",
    });
    assert.equal((await asyncio.waitFor(reader.read(), 2)).length, 0);
    await asyncio.sleep(0.05);
    assert.deepEqual(slog, ["made", "lost:ValueError:boom made"]);
    assert.deepEqual(msgs, ["Fatal error: protocol.buffer_updated() call failed.|ValueError"]);
    writer.close();
    await closeServers(server, hello);
  });
});

test("peercert: {} for a certificate a CERT_NONE context did not verify, null without one", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const hello = await helloServer();
    const unverified = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    unverified.checkHostname = false;
    unverified.verifyMode = ssl.CERT_NONE;
    const [tr] = await loop.createConnection(() => recorder([]), "127.0.0.1", portOf(hello), {
      ssl: unverified,
    });
    assert.deepEqual(tr.getExtraInfo("peercert"), {});
    tr.close();
    const [tr2] = await loop.createConnection(() => recorder([]), "127.0.0.1", portOf(hello), {
      ssl: clientContext(),
      serverHostname: "localhost",
    });
    assert.equal(
      (tr2.getExtraInfo("peercert") as { subject: { CN: string } }).subject.CN,
      "localhost",
    );
    tr2.close();
    const sides: asyncio.BaseTransport[] = [];
    const server = await loop.createServer(
      () => ({ connectionMade: (t: asyncio.BaseTransport) => sides.push(t) }),
      "127.0.0.1",
      0,
      { ssl: serverContext() },
    );
    const [, w] = await asyncio.openConnection("127.0.0.1", portOf(server), { ssl: unverified });
    while (sides.length === 0) await asyncio.sleep(0.01);
    assert.equal(sides[0]!.getExtraInfo("peercert"), null, "the server asks for no certificate");
    w.close();
    await closeServers(server, hello);
  });
});

test("BufferedProtocol over TLS: failures are 'Fatal error on SSL protocol'; a full buffer is read again even after a fatal error; an empty buffer reads as close_notify", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const msgs = handlerMessages(loop);
    const hello = await helloServer();
    const run = async (fail: string): Promise<unknown[]> => {
      const log: unknown[] = [];
      const buf = new Uint8Array(3);
      const proto = new (class extends asyncio.BufferedProtocol {
        override getBuffer(): Uint8Array {
          if (fail === "get_buffer") throw new asyncio.ValueError("boom");
          if (fail === "str") return "abc" as unknown as Uint8Array;
          return fail === "empty" ? new Uint8Array(0) : buf;
        }
        override bufferUpdated(n: number): void {
          log.push(Buffer.from(buf.subarray(0, n)).toString());
          if (fail === "buffer_updated") throw new asyncio.ValueError("boom");
        }
        override eofReceived(): undefined {
          log.push("eof");
          return undefined;
        }
        override connectionLost(e: Error | null): void {
          log.push(e === null ? "lost" : `lost:${e.name}:${e.message}`);
        }
      })();
      const [tr] = await loop.createConnection(() => proto, "127.0.0.1", portOf(hello), {
        ssl: clientContext(),
        serverHostname: "localhost",
      });
      await asyncio.sleep(0.15);
      assert.equal(tr.isClosing(), true);
      return log;
    };
    assert.deepEqual(await run("get_buffer"), ["lost:ValueError:boom"]);
    assert.deepEqual(msgs.splice(0), ["Fatal error on SSL protocol|ValueError"]);
    assert.deepEqual(await run("str"), [
      "lost:TypeError:read() argument 2 must be read-write bytes-like object, not str",
    ]);
    assert.deepEqual(msgs.splice(0), ["Fatal error on SSL protocol|TypeError"]);
    assert.deepEqual(await run("buffer_updated"), ["hel", "lo", "lost:ValueError:boom"]);
    assert.deepEqual(msgs.splice(0), [
      "Fatal error on SSL protocol|ValueError",
      "Fatal error on SSL protocol|ValueError",
    ]);
    assert.deepEqual(await run("empty"), [
      "eof",
      "lost:SSLError:[SSL: APPLICATION_DATA_AFTER_CLOSE_NOTIFY] application data after close notify",
    ]);
    assert.deepEqual(msgs, []);
    await closeServers(hello);
  });
});

test("TLS flow control: SSLProtocol's limits, checked at once (>= high pauses, an empty buffer too); read buffer limits", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const hello = await helloServer();
    const flow: string[] = [];
    let tr!: TlsTransport;
    const proto = {
      // Reading paused at once: what the server says waits in the read buffer.
      connectionMade: (t: asyncio.BaseTransport) => (t as asyncio.Transport).pauseReading(),
      pauseWriting: () => flow.push(`pause ${tr.getWriteBufferSize()}`),
      resumeWriting: () => flow.push(`resume ${tr.getWriteBufferSize()}`),
    };
    tr = (
      await loop.createConnection(() => proto, "127.0.0.1", portOf(hello), {
        ssl: clientContext(),
        serverHostname: "localhost",
      })
    )[0] as TlsTransport;
    assert.deepEqual(tr.getWriteBufferLimits(), [131072, 524288]);
    tr.setWriteBufferLimits(0);
    assert.deepEqual(flow, ["pause 0"]);
    tr.setWriteBufferLimits(0, 0);
    assert.deepEqual(flow, ["pause 0", "resume 0"]);
    tr.setWriteBufferLimits();
    assert.deepEqual(tr.getWriteBufferLimits(), [131072, 524288]);
    assert.deepEqual(tr.getReadBufferLimits(), [65536, 262144]);
    assert.equal(tr.getReadBufferSize(), 0);
    tr.setReadBufferLimits(1000);
    assert.deepEqual(tr.getReadBufferLimits(), [250, 1000]);
    tr.setReadBufferLimits(null, 10);
    assert.deepEqual(tr.getReadBufferLimits(), [10, 40]);
    assert.throws(() => tr.setReadBufferLimits(10, 100), {
      name: "ValueError",
      message: "high (10) must be >= low (100) must be >= 0",
    });
    tr.setReadBufferLimits();
    assert.deepEqual(tr.getReadBufferLimits(), [65536, 262144]);
    // Reading paused: the socket goes on reading, what arrives waits in the read buffer.
    while (tr.getReadBufferSize() === 0) await asyncio.sleep(0.01);
    assert.equal(tr.getReadBufferSize(), 5);
    tr.close();
    assert.equal(tr.isReading(), false);
    const [plain] = await loop.createConnection(() => ({}), "127.0.0.1", portOf(hello));
    assert.throws(() => (plain as TlsTransport).getReadBufferLimits(), {
      message: "'_SelectorSocketTransport' object has no attribute 'get_read_buffer_limits'",
    });
    plain.close();
    await closeServers(hello);
  });
});

test("TLS abort(): connectionLost two iterations later, later writes counted from 1 (warned from the 5th); isReading() after close() is true", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const hello = await helloServer();
    const warnings: string[] = [];
    const handler = (r: { levelname: string; message: string }) => {
      if (r.levelname === "WARNING") warnings.push(r.message);
    };
    asyncio.logger.addHandler(handler);
    try {
      const log: unknown[] = [];
      const [tr] = await loop.createConnection(() => recorder(log), "127.0.0.1", portOf(hello), {
        ssl: clientContext(),
        serverHostname: "localhost",
      });
      while (log.length < 2) await asyncio.sleep(0.01);
      tr.abort();
      assert.equal(tr.isClosing(), true);
      await asyncio.sleep(0);
      assert.deepEqual(log, ["made", "data:hello"]);
      await asyncio.sleep(0);
      assert.deepEqual(log, ["made", "data:hello", "lost"]);
      for (let i = 0; i < 7; i++) tr.write(b("x"));
      assert.deepEqual(warnings, Array(3).fill("SSL connection is closed"));
      warnings.length = 0;
      const [tr2] = await loop.createConnection(() => recorder([]), "127.0.0.1", portOf(hello), {
        ssl: clientContext(),
        serverHostname: "localhost",
      });
      tr2.close();
      assert.equal(tr2.isClosing(), true);
      assert.equal(tr2.isReading(), true, "CPython's _SSLProtocolTransport.is_reading()");
      // Dropped from the first write after close(), warned from the 6th.
      for (let i = 0; i < 7; i++) tr2.write(b("x"));
      assert.deepEqual(warnings, Array(2).fill("SSL connection is closed"));
    } finally {
      asyncio.logger.removeHandler(handler);
    }
    await closeServers(hello);
  });
});

test("TLS writelines: an item that is not bytes-like is a fatal error (nothing sent, no exception); after close() a call is one dropped write", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const msgs = handlerMessages(loop);
    const hello = await helloServer();
    const log: unknown[] = [];
    const [tr] = await loop.createConnection(() => recorder(log), "127.0.0.1", portOf(hello), {
      ssl: clientContext(),
      serverHostname: "localhost",
    });
    tr.writelines([b("a"), "b" as unknown as Uint8Array]);
    assert.equal(tr.isClosing(), false, "not before the connection is lost");
    await asyncio.sleep(0.05);
    assert.equal(tr.isClosing(), true);
    assert.deepEqual(
      log.filter((x) => x !== "data:hello"),
      ["made", "lost:TypeError:a bytes-like object is required, not 'str'"],
    );
    assert.deepEqual(msgs, ["Fatal error on SSL protocol|TypeError"]);
    tr.writelines(5 as never); // closed: one dropped write, whatever is given
    await closeServers(hello);
  });
});

test("TLS writelines: the buffer is looked at once, after every item (SSLProtocol._do_write): a protocol acting on the pause comes after the whole list", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const received: Buffer[] = [];
    const sink = await loop.createServer(
      () => {
        const i = received.push(Buffer.alloc(0)) - 1;
        return {
          dataReceived: (d: Uint8Array) => (received[i] = Buffer.concat([received[i]!, d])),
        };
      },
      "127.0.0.1",
      0,
      { ssl: serverContext() },
    );
    for (const mode of ["write", "close"]) {
      const sizes: number[] = [];
      let tr!: asyncio.Transport;
      const proto = {
        pauseWriting: () => {
          sizes.push(tr.getWriteBufferSize());
          if (mode === "write") tr.write(b("|P|"));
          else tr.close();
        },
      };
      [tr] = (await loop.createConnection(() => proto, "127.0.0.1", portOf(sink), {
        ssl: clientContext(),
        serverHostname: "localhost",
      })) as [asyncio.Transport, unknown];
      tr.setWriteBufferLimits({ high: 10 });
      tr.writelines([..."abcdefghijkl"].map(b));
      for (let i = 0; i < 100 && received[received.length - 1]!.length < 12; i++) {
        await asyncio.sleep(0.01);
      }
      await asyncio.sleep(0.02);
      // Before: paused at 10 bytes, so "|P|" came before "kl", or close() lost them.
      assert.deepEqual(sizes, [12], mode);
      assert.equal(
        received[received.length - 1]!.toString(),
        mode === "write" ? "abcdefghijkl|P|" : "abcdefghijkl",
      );
      tr.close();
    }
    await closeServers(sink);
  });
});

test("TLS writelines of an iterable that closes the transport: what it yielded before goes out, the rest is dropped without lost-write warnings", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const msgs = handlerMessages(loop);
    const warnings: string[] = [];
    const keep = (r: { message: string }) => void warnings.push(r.message);
    asyncio.logger.addHandler(keep);
    const got: Buffer[] = [];
    const sink = await loop.createServer(
      () => ({ dataReceived: (d: Uint8Array) => got.push(Buffer.from(d)) }),
      "127.0.0.1",
      0,
      { ssl: serverContext() },
    );
    const [tr] = await loop.createConnection(() => ({}), "127.0.0.1", portOf(sink), {
      ssl: clientContext(),
      serverHostname: "localhost",
    });
    tr.writelines(
      (function* () {
        yield b("f");
        tr.close();
        yield b("g");
      })(),
    );
    for (let i = 0; i < 5; i++) tr.write(b("x"));
    await asyncio.sleep(0.1);
    // Before: nothing arrived, and the dropped items counted as lost writes (a warning).
    assert.equal(Buffer.concat(got).toString(), "f");
    asyncio.logger.removeHandler(keep);
    assert.deepEqual(warnings, []);
    assert.deepEqual(msgs, []);
    await closeServers(sink);
  });
});

test("startTls after writeEof: SSLProtocol.connection_made()'s failed write is reported, then ConnectionResetError", async () => {
  const reports = await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const seen: string[] = [];
    loop.setExceptionHandler((_l, ctx) => {
      seen.push(`${ctx.message} ${String(ctx.exception)}`);
    });
    // a plain server that reads to EOF, then closes
    const server = await asyncio.startServer(
      async (r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
        await r.read();
        w.close();
      },
      "127.0.0.1",
      0,
    );
    const port = (server.sockets[0]!.getsockname() as [string, number])[1];
    const [, w] = await asyncio.openConnection("127.0.0.1", port);
    w.writeEof();
    await assert.rejects(
      async () => await w.startTls(clientContext(), { serverHostname: "localhost" }),
      asyncio.ConnectionResetError,
    );
    server.close();
    await server.waitClosed();
    return seen;
  });
  assert.deepEqual(reports, [
    "Exception in callback SSLProtocol.connection_made() RuntimeError: Cannot call write() after write_eof()",
  ]);
});

/**
 * A raw Node TLS server that resets each connection: the first after sending 1 MB and waiting
 * 200 ms, the others after 50 ms.
 */
function resettingServer(): Promise<[net.Server, number]> {
  let n = 0;
  const srv = net.createServer((raw) => {
    const size = n++ === 0 ? 1_000_000 : 0;
    raw.on("error", () => {});
    const sock = new tls.TLSSocket(raw, {
      isServer: true,
      key: readFileSync(certs!.server[1]),
      cert: readFileSync(certs!.server[0]),
    });
    sock.on("error", () => {});
    sock.on("secure", () => {
      if (size > 0) sock.write(Buffer.alloc(size, 0x61));
      setTimeout(() => raw.resetAndDestroy(), size > 0 ? 200 : 50);
    });
  });
  return new Promise((resolve) =>
    srv.listen(0, "127.0.0.1", () => resolve([srv, (srv.address() as { port: number }).port])),
  );
}

test("TLS: a peer reset reaches a slow reader as ConnectionResetError, and a paused protocol at once", {
  skip,
}, async () => {
  const [srv, port] = await resettingServer();
  try {
    await asyncio.run(async () => {
      // A slow consumer: Node took the reset for an EOF of the paused socket (data was cut short).
      const [reader, writer] = await asyncio.openConnection("127.0.0.1", port, {
        ssl: clientContext(),
        serverHostname: "localhost",
      });
      await asyncio.sleep(0.5);
      await rejects(reader.read(), {
        name: "ConnectionResetError",
        message: "[Errno 104] Connection reset by peer",
      });
      writer.close();
      // A protocol that paused reading (nothing received): CPython's SSLProtocol pauses only its
      // own delivery, the socket under it fails at once.
      const loop = asyncio.getRunningLoop();
      const lost = loop.createFuture<unknown>();
      const [t] = await loop.createConnection(
        () =>
          new (class extends asyncio.Protocol {
            override connectionLost(exc: Error | null): void {
              lost.setResult(exc);
            }
          })(),
        "127.0.0.1",
        port,
        { ssl: clientContext(), serverHostname: "localhost" },
      );
      t.pauseReading();
      const exc = await asyncio.waitFor(lost, 2);
      assert.equal((exc as Error).name, "ConnectionResetError");
      assert.equal(t.isClosing(), true);
    });
  } finally {
    srv.close();
  }
});

test("TLS close() hands over what arrived and was not delivered yet, from inside close(), as SSLProtocol's flush", {
  skip,
}, async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const log: string[] = [];
    const lost = loop.createFuture<void>();
    const srv = await loop.createServer(
      () =>
        new (class extends asyncio.Protocol {
          override connectionMade(t: asyncio.Transport): void {
            log.push("made");
            t.close();
            log.push("close() returned");
          }
          override dataReceived(d: Buffer): void {
            log.push(`data ${d}`);
          }
          override connectionLost(): void {
            lost.setResult();
          }
        })(),
      "127.0.0.1",
      0,
      { ssl: serverContext() },
    );
    const [t] = await loop.createConnection(
      () => new asyncio.Protocol(),
      "127.0.0.1",
      portOf(srv),
      {
        ssl: clientContext(),
        serverHostname: "localhost",
      },
    );
    t.write(b("x"));
    await lost;
    assert.deepEqual(log, ["made", "data x", "close() returned"]);
    t.close();
    srv.close();
    await srv.waitClosed();
  });
});

test("TLS on a VirtualTimeLoop: the handshake's timeout runs in real time, so the clock does not jump to it mid-handshake", {
  skip,
}, async () => {
  const { VirtualTimeLoop } = await import("../src/testing.ts");
  const [line, elapsed] = await asyncio.run(
    async () => {
      const loop = asyncio.getRunningLoop();
      const server = await asyncio.startServer(echoLine, "127.0.0.1", 0, { ssl: serverContext() });
      const t0 = loop.time();
      const [r, w] = await asyncio.openConnection("127.0.0.1", portOf(server), {
        ssl: clientContext(),
        serverHostname: "localhost",
      });
      w.write(Buffer.from("hi\n"));
      const line = (await r.readline()).toString();
      w.close();
      await w.waitClosed();
      server.close();
      await server.waitClosed();
      return [line, loop.time() - t0];
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
  assert.equal(line, "echo:hi\n");
  assert.equal(elapsed, 0);
});

test("a closed TLS connection is let go at once, not held by its 30 s shutdown timer", {
  skip,
}, async () => {
  const refs: WeakRef<object>[] = [];
  await asyncio.run(async () => {
    const server = await asyncio.startServer(echoLine, "127.0.0.1", 0, { ssl: serverContext() });
    for (let i = 0; i < 3; i++) {
      const [r, w] = await asyncio.openConnection("127.0.0.1", portOf(server), {
        ssl: clientContext(),
        serverHostname: "localhost",
      });
      w.write(b("hi\n"));
      await r.readline();
      refs.push(new WeakRef(w.transport));
      w.close();
      await w.waitClosed();
    }
    await closeServers(server);
  });
  for (let i = 0; i < 20 && refs.some((r) => r.deref() !== undefined); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc!();
  }
  assert.deepEqual(
    refs.map((r) => r.deref() === undefined),
    [true, true, true],
  );
});
