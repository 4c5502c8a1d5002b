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
