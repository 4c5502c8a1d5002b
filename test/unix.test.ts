/**
 * Unix domain sockets: openUnixConnection/startUnixServer and loop.createUnixConnection /
 * createUnixServer, stale socket files, the socket file removed on close, addresses, errors,
 * in both coroutine syntaxes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import * as asyncio from "../src/index.ts";

const b = (s: string) => Buffer.from(s, "latin1");
const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-unix-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const sockPath = () => join(dir, `s${++n}.sock`);

function rejects(
  aw: PromiseLike<unknown>,
  expected: Parameters<typeof assert.rejects>[1],
): Promise<void> {
  return assert.rejects(async () => {
    await aw;
  }, expected);
}

test("streams over a Unix socket (async syntax): addresses, echo, file removed on close", async () => {
  const path = sockPath();
  await asyncio.run(async () => {
    const seen: unknown[] = [];
    const server = await asyncio.startUnixServer(async (reader, writer) => {
      seen.push(writer.getExtraInfo("sockname"), writer.getExtraInfo("peername"));
      const line = await reader.readline();
      writer.write(line);
      await writer.drain();
      writer.close();
    }, path);
    assert.equal(server.sockets[0]!.getsockname(), path);
    assert.equal(server.sockets[0]!.family, asyncio.socket.AF_UNIX);
    assert.ok(existsSync(path));
    const [reader, writer] = await asyncio.openUnixConnection(path);
    assert.equal(writer.getExtraInfo("peername"), path);
    assert.equal(writer.getExtraInfo("sockname"), "");
    writer.write(b("over unix\n"));
    assert.equal((await reader.read()).toString(), "over unix\n");
    assert.deepEqual(seen, [path, ""]);
    writer.close();
    await writer.waitClosed();
    server.close();
    await server.waitClosed();
    assert.equal(existsSync(path), false, "the socket file is removed when the server closes");
  });
});

test("protocols over a Unix socket (generator syntax), writeEof half-close", async () => {
  const path = sockPath();
  await asyncio.run(function* () {
    const loop = asyncio.getRunningLoop();
    const received: string[] = [];
    const serverDone = loop.createFuture<void>();
    const server = yield* loop.createUnixServer(
      () =>
        new (class extends asyncio.Protocol {
          t: asyncio.Transport | null = null;
          override connectionMade(t: asyncio.Transport): void {
            this.t = t;
          }
          override dataReceived(d: Buffer): void {
            received.push(d.toString());
          }
          override eofReceived(): boolean {
            this.t!.write(b(`got ${received.join("")}`));
            this.t!.close();
            return true;
          }
          override connectionLost(): void {
            serverDone.setResult(undefined);
          }
        })(),
      path,
    );
    const reply: Buffer[] = [];
    const clientDone = loop.createFuture<Error | null>();
    const [transport] = yield* loop.createUnixConnection(
      () => ({
        dataReceived: (d: Buffer) => reply.push(d),
        connectionLost: (e: Error | null) => clientDone.setResult(e),
      }),
      path,
    );
    assert.equal(transport.canWriteEof(), true);
    transport.write(b("half"));
    transport.writeEof();
    assert.equal(yield* clientDone, null);
    yield* serverDone;
    assert.equal(Buffer.concat(reply).toString(), "got half");
    server.close();
    yield* server.waitClosed();
  });
});

test("a stale socket file is replaced; a live one or a regular file is an error", async () => {
  const path = sockPath();
  // A stale socket: a server that died without removing its file.
  const script = `require("net").createServer().listen(${JSON.stringify(path)}, () => process.exit(0))`;
  assert.equal(spawnSync(process.execPath, ["-e", script]).status, 0);
  assert.ok(existsSync(path));
  await asyncio.run(async () => {
    const server = await asyncio.startUnixServer(() => {}, path);
    assert.equal(server.isServing(), true);
    // A regular file in the way is left alone, and binding fails.
    const file = join(dir, "regular");
    writeFileSync(file, "x");
    await rejects(
      asyncio.startUnixServer(() => {}, file),
      {
        name: "OSError",
        message: `[Errno 98] Address '${file}' is already in use`,
      },
    );
    server.close();
    await server.waitClosed();
  });
});

test("connecting to a missing path or a path nobody listens on", async () => {
  await asyncio.run(async () => {
    await rejects(asyncio.openUnixConnection(join(dir, "missing.sock")), {
      name: "FileNotFoundError",
      message: "[Errno 2] No such file or directory",
    });
    const file = join(dir, "not-a-socket");
    writeFileSync(file, "");
    await rejects(asyncio.openUnixConnection(file), { name: "ConnectionRefusedError" });
    await rejects(asyncio.openUnixConnection(), {
      name: "ValueError",
      message: "no path and sock were specified",
    });
    await rejects(asyncio.openUnixConnection(file, { serverHostname: "x" }), {
      name: "ValueError",
      message: "server_hostname is only meaningful with ssl",
    });
  });
});

test("createUnixServer/createUnixConnection refuse a TCP socket given as sock, as CPython does", async () => {
  const net = await import("node:net");
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const tcp = net.createServer();
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    const { port } = tcp.address() as { port: number };
    const notUnix = (e: Error) =>
      e instanceof asyncio.ValueError &&
      e.message.startsWith("A UNIX Domain Stream Socket was expected, got ");
    try {
      await assert.rejects(async () => {
        await loop.createUnixServer(() => new asyncio.Protocol(), null, { sock: tcp });
      }, notUnix);
      const client = net.connect(port, "127.0.0.1");
      await new Promise((resolve) => client.once("connect", resolve));
      await assert.rejects(async () => {
        await loop.createUnixConnection(() => new asyncio.Protocol(), null, { sock: client });
      }, notUnix);
      client.destroy();
    } finally {
      tcp.close();
    }
  });
});

test("the base BufferedProtocol.getBuffer() returns null, as CPython's returns None", () => {
  assert.equal(new asyncio.BufferedProtocol().getBuffer(100), null);
});

test("an abstract Unix name (leading NUL) comes back as bytes, as CPython gives it", async () => {
  const name = `\0asyncio-ts-abstract-${process.pid}`;
  await asyncio.run(async () => {
    const server = await asyncio.startUnixServer(async (_r, w) => {
      w.close();
    }, name);
    const sockname = server.sockets[0]!.getsockname();
    assert.ok(sockname instanceof Uint8Array);
    assert.equal(Buffer.from(sockname).toString(), name);
    assert.match(String(server.sockets[0]), /laddr=b'\\x00asyncio-ts-abstract-\d+'/);
    const [, writer] = await asyncio.openUnixConnection(name);
    const peer = writer.getExtraInfo("peername");
    assert.ok(peer instanceof Uint8Array);
    assert.equal(Buffer.from(peer).toString(), name);
    writer.close();
    await writer.waitClosed();
    server.close();
    await server.waitClosed();
  });
});
