/**
 * loop.connectReadPipe / connectWritePipe (src/pipes.ts) with Node streams and descriptors; the
 * FIFO scenario against CPython is conformance/70_pipes.
 */
import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import * as asyncio from "../src/index.ts";

class Recorder {
  events: string[] = [];
  lost = asyncio.getRunningLoop().createFuture<Error | null>();
  connectionMade(): void {
    this.events.push("made");
  }
  dataReceived(data: Uint8Array): void {
    this.events.push(`data ${Buffer.from(data).toString()}`);
  }
  eofReceived(): void {
    this.events.push("eof");
  }
  connectionLost(exc: Error | null): void {
    this.events.push("lost");
    this.lost.setResult(exc);
  }
}

test("a Node stream as the read pipe: data, EOF, then connectionLost(null); the stream is destroyed", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const stream = new PassThrough();
    const [transport, protocol] = await loop.connectReadPipe(() => new Recorder(), stream);
    assert.deepEqual(protocol.events, ["made"]);
    assert.equal(transport.getExtraInfo("pipe"), stream);
    stream.write("a");
    stream.end("b");
    assert.equal(await protocol.lost, null);
    assert.equal(protocol.events[0], "made");
    assert.equal(
      protocol.events
        .slice(1, -2)
        .map((e) => e.slice(5))
        .join(""),
      "ab",
    );
    assert.deepEqual(protocol.events.slice(-2), ["eof", "lost"]);
    assert.ok(stream.destroyed);
  });
});

test("a Node stream as the write pipe: writes reach it, close() ends it after the buffer", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    const [transport, protocol] = await loop.connectWritePipe(() => new Recorder(), stream);
    transport.write(Buffer.from("hello"));
    transport.close();
    assert.equal(transport.isClosing(), true);
    assert.equal(await protocol.lost, null);
    assert.equal(Buffer.concat(chunks).toString(), "hello");
  });
});

test("bad pipes: not a descriptor or stream (TypeError), a regular file (ValueError), a closed descriptor (OSError)", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    let made = 0;
    const factory = () => {
      made++;
      return {};
    };
    await assert.rejects(async () => loop.connectReadPipe(factory, "x" as never), {
      name: "TypeError",
      message: "a file descriptor or a Node stream is required, not 'x'",
    });
    const file = join(mkdtempSync(join(tmpdir(), "pipes-")), "f");
    writeFileSync(file, "");
    const fd = openSync(file, "r");
    await assert.rejects(async () => loop.connectReadPipe(factory, fd), {
      name: "ValueError",
      message: "Pipe transport is for pipes/sockets only.",
    });
    closeSync(fd);
    await assert.rejects(
      async () => loop.connectWritePipe(factory, fd),
      (e: unknown) => {
        assert.ok(e instanceof asyncio.OSError);
        assert.equal(e.errno, 9);
        return true;
      },
    );
    // As in CPython, the protocol is made before the pipe is looked at.
    assert.equal(made, 3);
  });
});

test("a connect cancelled before connectionMade closes its transport", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const stream = new PassThrough();
    const protocol = new Recorder();
    const task = asyncio.createTask(() => loop.connectReadPipe(() => protocol, stream));
    await asyncio.sleep(0);
    task.cancel();
    await assert.rejects(async () => task, asyncio.CancelledError);
    assert.equal(await protocol.lost, null);
    assert.ok(stream.destroyed);
  });
});

test("transport classes as Python's: a write pipe is a Transport (and a ReadTransport), a read pipe only a ReadTransport, a TCP or UDP transport a ReadTransport and a WriteTransport", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const classes = [
      asyncio.ReadTransport,
      asyncio.WriteTransport,
      asyncio.Transport,
      asyncio.DatagramTransport,
    ];
    const kinds = (t: unknown) => classes.filter((c) => t instanceof c).map((c) => c.name);
    const [w] = await loop.connectWritePipe(() => new Recorder(), new PassThrough());
    const [r] = await loop.connectReadPipe(() => new Recorder(), new PassThrough());
    assert.deepEqual(kinds(w), ["ReadTransport", "WriteTransport", "Transport"]);
    assert.deepEqual(kinds(r), ["ReadTransport"]);
    const server = await loop.createServer(() => new asyncio.Protocol(), "127.0.0.1", 0);
    const port = (server.sockets[0]!.getsockname() as [string, number])[1];
    const [tcp] = await loop.createConnection(() => new asyncio.Protocol(), "127.0.0.1", port);
    assert.deepEqual(kinds(tcp), ["ReadTransport", "WriteTransport", "Transport"]);
    const [udp] = await loop.createDatagramEndpoint(() => new asyncio.DatagramProtocol(), {
      localAddr: ["127.0.0.1", 0],
    });
    assert.deepEqual(
      kinds(udp),
      classes.map((c) => c.name),
    );
    assert.equal(new asyncio.Transport() instanceof asyncio.ReadTransport, true);
    assert.equal(new asyncio.ReadTransport() instanceof asyncio.Transport, false);
    assert.equal({} instanceof asyncio.ReadTransport, false);
    for (const t of [w, r, tcp, udp]) t.close();
    server.close();
    await server.waitClosed();
  });
});
