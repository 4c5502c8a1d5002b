/**
 * loop.connectReadPipe / connectWritePipe (src/pipes.ts) with Node streams and descriptors; the
 * FIFO scenario against CPython is conformance/70_pipes.
 */
import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
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
    rmSync(dirname(file), { recursive: true });
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

test("a write pipe's isReading/pauseReading/resumeReading raise NotImplementedError (CPython's are Transport's)", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const [w] = await loop.connectWritePipe(() => new Recorder(), new PassThrough());
    for (const call of [() => w.isReading(), () => w.pauseReading(), () => w.resumeReading()]) {
      assert.throws(call, (e: unknown) => {
        assert.ok(e instanceof asyncio.NotImplementedError);
        assert.deepEqual((e as { args: unknown[] }).args, []);
        return true;
      });
    }
    w.close();
  });
});

test("a write pipe's write() of what is not bytes: AssertionError(repr(data)), as CPython's assert; views are written", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    const [w, p] = await loop.connectWritePipe(() => new Recorder(), stream);
    const assertion = (args: unknown[]) => (e: unknown) => {
      assert.equal((e as Error).name, "AssertionError");
      assert.equal(e instanceof TypeError, false);
      assert.deepEqual((e as { args: unknown[] }).args, args);
      return true;
    };
    assert.throws(() => w.write("s" as never), assertion(["'s'"]));
    assert.throws(() => w.write(null as never), assertion(["None"]));
    assert.throws(() => w.write(5 as never), assertion(["5"]));
    assert.equal("AssertionError" in asyncio, false, "not a name the package exports");
    const xab = Buffer.from("xab");
    w.write(new DataView(xab.buffer, xab.byteOffset + 1, 2) as never);
    w.write(Buffer.from("c"));
    w.close();
    assert.equal(await p.lost, null);
    assert.equal(Buffer.concat(chunks).toString(), "abc");
  });
});

test("a subprocess's stdin write() of a str raises AssertionError('text') (the same pipe transport)", async () => {
  await asyncio.run(async () => {
    const proc = await asyncio.createSubprocessExec(
      process.execPath,
      "-e",
      "process.stdin.pipe(process.stdout)",
      { stdin: asyncio.PIPE, stdout: asyncio.PIPE },
    );
    assert.throws(() => proc.stdin!.write("text" as never), {
      name: "AssertionError",
      message: "'text'",
    });
    proc.stdin!.write(Buffer.from("ok"));
    const [out] = await proc.communicate();
    assert.equal(out!.toString(), "ok");
    assert.equal(await proc.wait(), 0);
  });
});

test("a read pipe whose dataReceived raises: reported as the _read_ready callback's error, reading goes on, EOF then connectionLost(null)", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const contexts: Record<string, unknown>[] = [];
    loop.setExceptionHandler((_l, c) => contexts.push(c as Record<string, unknown>));
    const stream = new PassThrough();
    class Raising extends Recorder {
      override dataReceived(data: Uint8Array): void {
        super.dataReceived(data);
        if (this.events.length === 2) throw new asyncio.ValueError("data boom");
      }
    }
    const [t, p] = await loop.connectReadPipe(() => new Raising(), stream);
    stream.write("a");
    await asyncio.sleep(0.01);
    assert.equal(t.isReading(), true);
    stream.end("b");
    assert.equal(await p.lost, null);
    assert.deepEqual(p.events, ["made", "data a", "data b", "eof", "lost"]);
    assert.equal(contexts.length, 1);
    const c = contexts[0]!;
    assert.equal(c.message, "Exception in callback _UnixReadPipeTransport._read_ready()");
    assert.deepEqual(Object.keys(c).sort(), ["exception", "handle", "message"]);
    assert.equal((c.exception as Error).message, "data boom");
  });
});

test("the callbacks a pipe transport schedules carry CPython's names in 'Exception in callback' reports", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const messages: string[] = [];
    loop.setExceptionHandler((_l, c) => messages.push(c.message as string));
    class R extends Recorder {
      override eofReceived(): void {
        super.eofReceived();
        throw new asyncio.ValueError("eof boom");
      }
      override connectionLost(exc: Error | null): void {
        super.connectionLost(exc);
        throw new asyncio.ValueError("lost boom");
      }
    }
    const stream = new PassThrough();
    const [, rp] = await loop.connectReadPipe(() => new R(), stream);
    stream.end("x");
    await rp.lost;
    const [w, wp] = await loop.connectWritePipe(() => new R(), new PassThrough());
    w.close();
    await wp.lost;
    await asyncio.sleep(0);
    // As a bound method's qualified name: the class that defines the method, for a subclass too.
    class RSub extends R {}
    const stream2 = new PassThrough();
    const [, rp2] = await loop.connectReadPipe(() => new RSub(), stream2);
    stream2.end();
    await rp2.lost;
    await asyncio.sleep(0);
    assert.deepEqual(messages, [
      "Exception in callback R.eof_received()",
      "Exception in callback _UnixReadPipeTransport._call_connection_lost()",
      "Exception in callback _UnixWritePipeTransport._call_connection_lost()",
      "Exception in callback R.eof_received()",
      "Exception in callback _UnixReadPipeTransport._call_connection_lost()",
    ]);
  });
});

test("a read pipe is 'idle' in its repr until its reader is added (after connectionMade), then 'polling'", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const seen: string[] = [];
    class P extends Recorder {
      override connectionMade(t?: unknown): void {
        seen.push(String(t));
      }
    }
    const [t] = await loop.connectReadPipe(() => new P(), new PassThrough());
    seen.push(String(t));
    assert.deepEqual(seen, [
      "<_UnixReadPipeTransport fd=-1 idle>",
      "<_UnixReadPipeTransport fd=-1 polling>",
    ]);
    t.close();
  });
});
