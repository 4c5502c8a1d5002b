/**
 * loop.sendfile over real sockets on 127.0.0.1 and Unix sockets: descriptors, FileHandles and
 * file objects; the native path and the fallback (TLS, no descriptor, pipes); the options
 * object; bad arguments; a peer that goes away and a close() in the middle. The CPython-traced
 * scenarios are conformance/304_sendfile.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import * as asyncio from "../src/index.ts";
import { makeSelfSignedCert } from "./fixtures/certs.ts";

const { ssl } = asyncio;
const dir = fs.mkdtempSync(join(tmpdir(), "asyncio-ts-sendfile-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const DATA = Buffer.alloc(300_000);
for (let i = 0; i < DATA.length; i++) DATA[i] = (i * 7) % 251;
const PATH = join(dir, "data.bin");
fs.writeFileSync(PATH, DATA);

const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;
const cert = hasOpenssl
  ? makeSelfSignedCert(dir, "server", "localhost", "DNS:localhost,IP:127.0.0.1")
  : null;
const skipTls = hasOpenssl ? false : "openssl is not installed";

/** A server that collects what each connection sends until it ends (or aborts after `abortAfter`). */
async function sink(options: { ssl?: boolean; unix?: string; abortAfter?: number } = {}): Promise<{
  server: asyncio.Server;
  connect: () => Promise<asyncio.Transport>;
  received: asyncio.Future<Buffer>;
}> {
  const loop = asyncio.getRunningLoop();
  const received = loop.createFuture<Buffer>();
  const factory = () => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tr: asyncio.Transport;
    return Object.assign(new asyncio.Protocol(), {
      connectionMade(t: asyncio.Transport) {
        tr = t;
      },
      dataReceived(d: Uint8Array) {
        chunks.push(Buffer.from(d));
        size += d.length;
        if (options.abortAfter !== undefined && size >= options.abortAfter) tr.abort();
      },
      eofReceived() {
        tr.close();
        return false;
      },
      connectionLost() {
        if (!received.done()) received.setResult(Buffer.concat(chunks));
      },
    });
  };
  let server: asyncio.Server;
  let connect: () => Promise<asyncio.Transport>;
  if (options.unix !== undefined) {
    const p = options.unix;
    server = await loop.createUnixServer(factory, p);
    connect = async () => (await loop.createUnixConnection(() => new asyncio.Protocol(), p))[0];
  } else {
    let serverSsl: asyncio.ssl.SSLContext | undefined;
    let clientSsl: asyncio.ssl.SSLContext | undefined;
    if (options.ssl) {
      serverSsl = ssl.createDefaultContext(ssl.Purpose.CLIENT_AUTH);
      serverSsl.loadCertChain(cert![0], cert![1]);
      clientSsl = ssl.createDefaultContext(ssl.Purpose.SERVER_AUTH, { cafile: cert![0] });
    }
    server = await loop.createServer(factory, "127.0.0.1", 0, { ssl: serverSsl });
    const port = (server.sockets[0].getsockname() as [string, number])[1];
    connect = async () =>
      (
        await loop.createConnection(() => new asyncio.Protocol(), "127.0.0.1", port, {
          ssl: clientSsl,
        })
      )[0];
  }
  return { server, connect, received };
}

/** Ends the client's side and returns what the server received. */
async function finish(
  tr: asyncio.Transport,
  s: { server: asyncio.Server; received: asyncio.Future<Buffer> },
): Promise<Buffer> {
  if (tr.canWriteEof()) tr.writeEof();
  else tr.close();
  const got = await s.received;
  tr.close();
  s.server.close();
  await s.server.waitClosed();
  return got;
}

test("a descriptor goes over TCP from offset, count bytes; its own position is not moved", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const s = await sink();
    const tr = await s.connect();
    const fd = fs.openSync(PATH, "r");
    try {
      assert.equal(await loop.sendfile(tr, fd, 1000, 200_000), 200_000);
      assert.equal(await loop.sendfile(tr, fd), DATA.length);
      assert.equal(await loop.sendfile(tr, fd, DATA.length + 5), 0);
      assert.equal(tr.isReading(), true);
      // Node has no lseek: a sequential read still starts at 0.
      const first = Buffer.alloc(4);
      fs.readSync(fd, first, 0, 4, null);
      assert.deepEqual(first, DATA.subarray(0, 4));
    } finally {
      fs.closeSync(fd);
    }
    const got = await finish(tr, s);
    assert.ok(got.equals(Buffer.concat([DATA.subarray(1000, 201_000), DATA])));
  });
});

test("a FileHandle over a Unix socket, and an options object in place of offset and count", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const s = await sink({ unix: join(dir, "sf.sock") });
    const tr = await s.connect();
    const fh = await fs.promises.open(PATH, "r");
    try {
      assert.equal(await loop.sendfile(tr, fh, 10, 100), 100);
      assert.equal(await loop.sendfile(tr, fh, { fallback: false }), DATA.length);
      assert.equal(await loop.sendfile(tr, fh, 299_990, { fallback: false }), 10);
    } finally {
      await fh.close();
    }
    const got = await finish(tr, s);
    assert.ok(got.equals(Buffer.concat([DATA.subarray(10, 110), DATA, DATA.subarray(299_990)])));
  });
});

test("TLS takes the fallback: descriptors, FileHandles, file objects; fallback: false refuses", {
  skip: skipTls,
}, async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const s = await sink({ ssl: true });
    const tr = await s.connect();
    const fd = fs.openSync(PATH, "r");
    const fh = await fs.promises.open(PATH, "r");
    try {
      assert.equal(await loop.sendfile(tr, fd, 5, 50_000), 50_000);
      assert.equal(await loop.sendfile(tr, fh), DATA.length);
      await assert.rejects(
        async () => loop.sendfile(tr, fd, { fallback: false }),
        (e: unknown) =>
          e instanceof asyncio.RuntimeError &&
          e.message ===
            "fallback is disabled and native sendfile is not supported for transport <_SSLProtocolTransport object>",
      );
      // The native path's argument checks apply to a descriptor here too.
      await assert.rejects(async () => loop.sendfile(tr, fd, -1), {
        name: "ValueError",
        message: "offset must be a non-negative integer (got -1)",
      });
    } finally {
      fs.closeSync(fd);
      await fh.close();
    }
    const got = await finish(tr, s);
    assert.ok(got.equals(Buffer.concat([DATA.subarray(5, 50_005), DATA])));
  });
});

test("file objects: readinto may return a promise; a synchronous one lets the loop go round", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const s = await sink();
    const tr = await s.connect();
    let ticks = 0;
    let transferring = true;
    const ticker = asyncio.createTask(async () => {
      while (transferring) {
        ticks++;
        await asyncio.sleep(0);
      }
    });
    const syncFile = {
      pos: 0,
      readinto(b: Uint8Array): number {
        const part = DATA.subarray(this.pos, this.pos + b.length);
        b.set(part);
        this.pos += part.length;
        return part.length;
      },
    };
    assert.equal(await loop.sendfile(tr, syncFile), DATA.length);
    transferring = false;
    await ticker;
    // 300,000 bytes in 16 KiB blocks: the loop went round at least once per block.
    assert.ok(ticks >= 18, `ticks ${ticks}`);
    const asyncFile = {
      left: 40_000,
      async readinto(b: Uint8Array): Promise<number | null> {
        await new Promise((r) => setImmediate(r));
        const n = Math.min(b.length, this.left);
        b.fill(9, 0, n);
        this.left -= n;
        return n === 0 ? null : n;
      },
    };
    assert.equal(await loop.sendfile(tr, asyncFile), 40_000);
    const got = await finish(tr, s);
    assert.ok(got.equals(Buffer.concat([DATA, Buffer.alloc(40_000, 9)])));
  });
});

test("a generator coroutine awaits it with yield*; it is a coroutine function", async () => {
  assert.equal(asyncio.isCoroutineFunction(asyncio.EventLoop.prototype.sendfile), true);
  await asyncio.run(function* () {
    const loop = asyncio.getRunningLoop();
    const s = yield* asyncio.ensureFuture(sink());
    const tr = yield* asyncio.ensureFuture(s.connect());
    const fd = fs.openSync(PATH, "r");
    try {
      assert.equal(yield* loop.sendfile(tr, fd, 0, 1234), 1234);
    } finally {
      fs.closeSync(fd);
    }
    const got = yield* asyncio.ensureFuture(finish(tr, s));
    assert.ok(got.equals(DATA.subarray(0, 1234)));
  });
});

test("a pipe's descriptor: empty for the native path, read as it comes by the fallback", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const r = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const w = fs.openSync(fifo, "w");
    fs.writeSync(w, DATA.subarray(0, 3000));
    fs.closeSync(w);
    const s = await sink();
    const tr = await s.connect();
    try {
      // As CPython: its size (fstat) is 0, so there is nothing to send.
      assert.equal(await loop.sendfile(tr, r), 0);
      // With a count, sendfile(2) fails and the fallback reads it; it cannot seek.
      await assert.rejects(async () => loop.sendfile(tr, r, 5, 10), {
        name: "OSError",
        message: "[Errno 29] Illegal seek",
      });
      await assert.rejects(async () => loop.sendfile(tr, r, 0, 10, { fallback: false }), {
        name: "SendfileNotAvailableError",
        message: "os.sendfile call failed",
      });
      assert.equal(await loop.sendfile(tr, r, 0, 1000), 1000);
      assert.equal(await loop.sendfile(tr, r, 0, 5000), 2000);
    } finally {
      fs.closeSync(r);
    }
    const got = await finish(tr, s);
    assert.ok(got.equals(DATA.subarray(0, 3000)));
  });
});

test("bad arguments: CPython's errors", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    await assert.rejects(async () => loop.sendfile(null, 0), {
      name: "TypeError",
      message: "'NoneType' object has no attribute 'is_closing'",
    });
    const s = await sink();
    const tr = await s.connect();
    const fd = fs.openSync(PATH, "r");
    try {
      await assert.rejects(async () => loop.sendfile(tr, "abc" as never), {
        name: "TypeError",
        message: "'str' object has no attribute 'readinto'",
      });
      await assert.rejects(
        async () => loop.sendfile(tr, { mode: "r", readinto: () => 0, fileno: () => fd }),
        { name: "ValueError", message: "file should be opened in binary mode" },
      );
      await assert.rejects(async () => loop.sendfile(tr, fd, 0, 0), {
        name: "ValueError",
        message: "count must be a positive integer (got 0)",
      });
      await assert.rejects(async () => loop.sendfile(tr, fd, "1" as never), {
        name: "TypeError",
        message: "offset must be a non-negative integer (got '1')",
      });
      await assert.rejects(async () => loop.sendfile(tr, { readinto: () => 0 }, 3), {
        name: "TypeError",
        message: "'dict' object has no attribute 'seek'",
      });
      // Still usable after every refusal.
      assert.equal(await loop.sendfile(tr, fd, 0, 10), 10);
      tr.close();
      await assert.rejects(async () => loop.sendfile(tr, fd), {
        name: "RuntimeError",
        message: "Transport is closing",
      });
    } finally {
      fs.closeSync(fd);
    }
    s.server.close();
  });
});

test("a peer that aborts in the middle, and close() during a native transfer, end it", async () => {
  const big = join(dir, "big.bin");
  fs.writeFileSync(big, Buffer.alloc(16 * 1024 * 1024, 1));
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    for (const kind of ["descriptor", "file object"] as const) {
      const s = await sink({ abortAfter: 100_000 });
      const tr = await s.connect();
      const fd = fs.openSync(big, "r");
      const file =
        kind === "descriptor"
          ? fd
          : {
              readinto: (b: Uint8Array) => fs.readSync(fd, b, 0, b.length, null),
            };
      try {
        await assert.rejects(
          async () => asyncio.waitFor(loop.sendfile(tr, file), 30),
          (e: unknown) => e instanceof asyncio.ConnectionError,
        );
      } finally {
        fs.closeSync(fd);
      }
      tr.close();
      s.server.close();
    }
    const s = await sink();
    const tr = await s.connect();
    const fd = fs.openSync(big, "r");
    const t = asyncio.createTask(loop.sendfile(tr, fd));
    await asyncio.sleep(0.01);
    tr.close();
    // EBADF once something was sent (CPython's os.sendfile on the closed socket); before that,
    // the fallback's ConnectionError (CPython: SendfileNotAvailableError, then the fallback).
    await assert.rejects(
      async () => asyncio.waitFor(t, 30),
      (e: unknown) =>
        (e instanceof asyncio.OSError && e.message === "[Errno 9] Bad file descriptor") ||
        (e instanceof asyncio.ConnectionError && e.message === "Connection closed by peer"),
    );
    fs.closeSync(fd);
    s.server.close();
  });
});

test("the fallback checks what a file object gives: readinto's count, count and offset as CPython uses them", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const s = await sink();
    const tr = await s.connect();
    const fileOf = (ret: unknown) => ({ readinto: () => ret, seek: () => {} });
    for (const ret of [2.5, "ab", Number.NaN]) {
      await assert.rejects(async () => loop.sendfile(tr, fileOf(ret) as never), {
        name: "TypeError",
        message: "slice indices must be integers or None or have an __index__ method",
      });
    }
    const sendfile = loop.sendfile.bind(loop) as unknown as (...a: unknown[]) => Promise<number>;
    // On a plain socket the native path's checks come first, as in CPython.
    await assert.rejects(async () => sendfile(tr, fileOf(1), 0, 1.5), {
      name: "TypeError",
      message: "count must be a positive integer (got 1.5)",
    });
    if (hasOpenssl) {
      // Over TLS only the fallback sees them, as CPython's does.
      const t = await sink({ ssl: true });
      const tls = await t.connect();
      const cases: [unknown[], string, string][] = [
        [[0, 1.5], "TypeError", "cannot convert 'float' object to bytearray"],
        [[0, "b"], "TypeError", "'<' not supported between instances of 'int' and 'str'"],
        [[0, -1], "ValueError", "negative count"],
      ];
      for (const [args, name, message] of cases) {
        await assert.rejects(async () => sendfile(tls, fileOf(1), ...args), { name, message });
      }
      tls.close();
      t.server.close();
    }
    // The protocol is CPython's _SendfileFallbackProtocol, an asyncio.Protocol, meanwhile.
    let during: unknown = null;
    const file = {
      left: 3,
      readinto(b: Uint8Array) {
        during = tr.getProtocol();
        b[0] = 65;
        return this.left-- > 0 ? 1 : 0;
      },
    };
    assert.equal(await loop.sendfile(tr, file), 3);
    assert.ok(during instanceof asyncio.Protocol);
    assert.equal((during as object).constructor.name, "_SendfileFallbackProtocol");
    const got = await finish(tr, s);
    assert.equal(got.toString(), "AAA");
  });
});

test("native: null is Python's None for offset; a lost connection while draining; no position move when cancelled", async () => {
  const big = join(dir, "big2.bin");
  fs.writeFileSync(big, Buffer.alloc(8 * 1024 * 1024, 3));
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const s = await sink();
    const tr = await s.connect();
    const fd = fs.openSync(big, "r");
    try {
      await assert.rejects(async () => loop.sendfile(tr, fd, null as never), {
        name: "TypeError",
        message: "offset must be a non-negative integer (got None)",
      });
      // Cancelled in the middle: the file object's position stays, and what the transfer had
      // handed to the socket is not the transport's buffer.
      const seeks: number[] = [];
      const file = { fileno: () => fd, readinto: () => 0, seek: (p: number) => seeks.push(p) };
      const t = asyncio.createTask(loop.sendfile(tr, file));
      await asyncio.sleep(0.005);
      t.cancel();
      await assert.rejects(async () => t, asyncio.CancelledError);
      assert.deepEqual(seeks, []);
      assert.equal(tr.getWriteBufferSize(), 0);
      assert.equal(tr.isReading(), true);
      tr.abort();
    } finally {
      fs.closeSync(fd);
    }
    s.server.close();

    // A transport aborted while sendfile waits for its buffer to drain.
    const slow = await sink({ abortAfter: Number.POSITIVE_INFINITY });
    const tr2 = await slow.connect();
    tr2.pauseReading();
    tr2.write(Buffer.alloc(32 * 1024 * 1024));
    const fd2 = fs.openSync(big, "r");
    const t2 = asyncio.createTask(loop.sendfile(tr2, fd2));
    await asyncio.sleep(0.005);
    tr2.abort();
    await assert.rejects(async () => t2, {
      name: "ConnectionError",
      message: "Connection is closed by peer",
    });
    fs.closeSync(fd2);
    slow.server.close();
  });
});

test("writeEof() during a native transfer ends it without a fatal error", async () => {
  const big = join(dir, "big3.bin");
  fs.writeFileSync(big, Buffer.alloc(8 * 1024 * 1024, 5));
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const errors: unknown[] = [];
    loop.setExceptionHandler((_l, ctx) => {
      errors.push(ctx.message);
    });
    const s = await sink();
    const tr = await s.connect();
    const fd = fs.openSync(big, "r");
    const t = asyncio.createTask(loop.sendfile(tr, fd));
    await asyncio.sleep(0.005);
    tr.writeEof();
    // EPIPE once something was sent (CPython's os.sendfile after shutdown(SHUT_WR)); before
    // that, the fallback's write after write_eof().
    await assert.rejects(
      async () => t,
      (e: unknown) =>
        e instanceof asyncio.BrokenPipeError ||
        (e instanceof asyncio.RuntimeError &&
          e.message === "Cannot call write() after write_eof()"),
    );
    fs.closeSync(fd);
    assert.equal(tr.isClosing(), false);
    await s.received;
    assert.deepEqual(errors, []);
    tr.close();
    s.server.close();
  });
});
