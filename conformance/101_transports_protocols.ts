/**
 * Twin of 101_transports_protocols.py: transports and protocols over TCP (callback order,
 * half-close, flow control, BufferedProtocol, extra info, errors, abort, Server.wait_closed).
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const b = (s: string) => Buffer.from(s, "latin1");
const pyBool = (v: boolean) => (v ? "True" : "False");

class Proto extends asyncio.Protocol {
  log: string[] = [];
  transport: asyncio.Transport | null = null;
  lost: asyncio.Future<Error | null>;
  got: asyncio.Future<Buffer>;
  paused = 0;
  resumed = 0;
  constructor(
    readonly name: string,
    readonly keepOpen = false,
    readonly reply = false,
  ) {
    super();
    const loop = asyncio.getRunningLoop();
    this.lost = loop.createFuture();
    this.got = loop.createFuture();
  }
  override connectionMade(transport: asyncio.Transport): void {
    this.transport = transport;
    this.log.push("connection_made");
  }
  override dataReceived(data: Buffer): void {
    this.log.push(`data_received ${repr(data)}`);
    if (this.reply) this.transport!.write(b(data.toString("latin1").toUpperCase()));
    if (!this.got.done()) this.got.setResult(data);
  }
  override eofReceived(): boolean {
    this.log.push(`eof_received -> ${pyBool(this.keepOpen)}`);
    if (this.keepOpen) {
      this.transport!.write(b("bye"));
      this.transport!.close();
    }
    return this.keepOpen;
  }
  override connectionLost(exc: Error | null): void {
    this.log.push(`connection_lost ${repr(exc)}`);
    if (!this.lost.done()) this.lost.setResult(exc);
  }
  override pauseWriting(): void {
    this.paused++;
  }
  override resumeWriting(): void {
    this.resumed++;
  }
}

function dump(label: string, proto: Proto): void {
  print(label);
  for (const line of proto.log) print("   ", line);
}

async function echoHandler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
  const data = await reader.read();
  writer.write(data);
  await writer.drain();
  writer.close();
}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();

  // A. callback order and half-close
  const servers: Proto[] = [];
  const server = await loop.createServer(
    () => {
      const p = new Proto("server", true, true);
      servers.push(p);
      return p;
    },
    "127.0.0.1",
    0,
  );
  const [host, port] = server.sockets[0]!.getsockname() as [string, number];
  let [transport, client] = await loop.createConnection(() => new Proto("client"), host, port);
  print(
    "create_connection returned after connection_made:",
    client.log.length === 1 && client.log[0] === "connection_made",
  );
  transport.write(b("hello"));
  await client.got;
  transport.writeEof();
  print(
    "after write_eof: is_closing",
    transport.isClosing(),
    "can_write_eof",
    transport.canWriteEof(),
  );
  try {
    transport.write(b("more"));
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print("write after write_eof:", e.name, e.message);
  }
  await client.lost;
  await servers[0]!.lost;
  dump("client log:", client);
  dump("server log:", servers[0]!);

  // B. errors from write() and the write-buffer limits
  [transport, client] = await loop.createConnection(() => new Proto("client"), host, port);
  try {
    transport.write("text" as unknown as Uint8Array);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    print("write(str):", e.name, e.message);
  }
  const limits = () => `(${transport.getWriteBufferLimits().join(", ")})`;
  print("limits default:", limits());
  transport.setWriteBufferLimits(4096);
  print("limits high=4096:", limits());
  transport.setWriteBufferLimits(null, 100);
  print("limits low=100:", limits());
  try {
    transport.setWriteBufferLimits(1, 2);
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print("bad limits:", e.name, e.message);
  }
  print("is_reading:", transport.isReading());
  transport.pauseReading();
  transport.pauseReading();
  print("after pause_reading:", transport.isReading());
  transport.resumeReading();
  print("after resume_reading:", transport.isReading());
  const info = transport.getExtraInfo("socket") as asyncio.socket.TransportSocket;
  const peer = transport.getExtraInfo("peername") as [string, number];
  print(
    "extra: peername is server:",
    peer[0] === host && peer[1] === port,
    "| sockname host:",
    (transport.getExtraInfo("sockname") as [string, number])[0],
    "| socket family/type:",
    info.family,
    info.type,
    "| missing:",
    transport.getExtraInfo("nope", "dflt"),
  );
  transport.close();
  print("after close: is_closing", transport.isClosing(), "is_reading", transport.isReading());
  transport.close();
  print("connection_lost after close:", repr(await client.lost));
  print("write after close is silently dropped:", repr(transport.write(b("x"))));

  // C. write flow control against a peer that does not read
  const stalled: Proto[] = [];
  class Stall extends Proto {
    override connectionMade(t: asyncio.Transport): void {
      super.connectionMade(t);
      t.pauseReading();
      stalled.push(this);
    }
  }
  const stallServer = await loop.createServer(() => new Stall("stall"), "127.0.0.1", 0);
  const sport = (stallServer.sockets[0]!.getsockname() as [string, number])[1];
  [transport, client] = await loop.createConnection(() => new Proto("writer"), "127.0.0.1", sport);
  transport.setWriteBufferLimits(64 * 1024, 16 * 1024);
  const chunk = Buffer.alloc(65536, "x");
  for (let i = 0; i < 200; i++) {
    if (client.paused) break;
    transport.write(chunk);
  }
  print(
    "pause_writing called once:",
    client.paused === 1,
    "| buffer over high:",
    transport.getWriteBufferSize() > 64 * 1024,
  );
  transport.write(chunk);
  print("still paused once after more writes:", client.paused === 1);
  while (stalled.length === 0) await asyncio.sleep(0.01);
  stalled[0]!.transport!.resumeReading();
  while (!client.resumed) await asyncio.sleep(0.01);
  print(
    "resume_writing called once:",
    client.resumed === 1,
    "| buffer at or below low:",
    transport.getWriteBufferSize() <= 16 * 1024,
  );
  transport.close();
  await client.lost;
  stallServer.close();
  stallServer.closeClients();
  await stallServer.waitClosed();

  // D. BufferedProtocol
  class Buffered extends asyncio.BufferedProtocol {
    buf = new Uint8Array(100);
    hints = new Set<number>();
    total: Buffer[] = [];
    lost = loop.createFuture<Error | null>();
    override connectionMade(t: asyncio.Transport): void {
      t.write(Buffer.alloc(1000, "a"));
      t.writeEof();
    }
    override getBuffer(sizehint: number): Uint8Array {
      this.hints.add(sizehint);
      return this.buf;
    }
    override bufferUpdated(nbytes: number): void {
      this.total.push(Buffer.from(this.buf.subarray(0, nbytes)));
    }
    override eofReceived(): boolean {
      return false;
    }
    override connectionLost(exc: Error | null): void {
      this.lost.setResult(exc);
    }
  }
  const echo = await asyncio.startServer(echoHandler, "127.0.0.1", 0);
  const eport = (echo.sockets[0]!.getsockname() as [string, number])[1];
  const [, bp] = await loop.createConnection(() => new Buffered(), "127.0.0.1", eport);
  const lostExc = await bp.lost;
  const total = Buffer.concat(bp.total);
  print(
    "BufferedProtocol: connection_lost",
    repr(lostExc),
    "| received",
    total.length,
    "bytes, all b'a':",
    total.equals(Buffer.alloc(1000, "a")),
    "| sizehints:",
    [...bp.hints].sort(),
  );

  // E. a protocol callback that raises
  const contexts: Record<string, unknown>[] = [];
  loop.setExceptionHandler((_l, ctx) => {
    contexts.push(ctx);
  });
  const boom = new asyncio.RuntimeError("boom");
  class Raising extends Proto {
    override dataReceived(_data: Buffer): void {
      throw boom;
    }
  }
  const [rt, rp] = await loop.createConnection(() => new Raising("raising"), host, port);
  rt.write(b("ping"));
  const exc = await rp.lost;
  print(
    "data_received raised: connection_lost got it:",
    exc === boom,
    "| handler message:",
    contexts[0]!.message,
    "| exception is it:",
    contexts[0]!.exception === boom,
    "| transport key:",
    contexts[0]!.transport === rt,
  );
  loop.setExceptionHandler(null);

  // F. abort
  const [at, ap] = await loop.createConnection(() => new Proto("abort"), "127.0.0.1", eport);
  at.write(Buffer.alloc(100000, "x"));
  at.abort();
  print(
    "abort: is_closing",
    at.isClosing(),
    "| buffer dropped:",
    at.getWriteBufferSize() === 0,
    "| connection_lost",
    repr(await ap.lost),
  );
  at.abort();

  // G. refused connection
  try {
    await loop.createConnection(() => new asyncio.Protocol(), "127.0.0.1", sport);
  } catch (e) {
    if (!(e instanceof asyncio.OSError)) throw e;
    print(
      "connect to closed port:",
      e.name,
      e.errno,
      e.message.startsWith(`[Errno ${e.errno}] Connect call failed ('127.0.0.1', `),
    );
  }

  // H. wait_closed waits for connections; close_clients
  const [, cp] = await loop.createConnection(() => new Proto("c"), host, port);
  await asyncio.sleep(0.01);
  server.close();
  const waiter = asyncio.createTask(server.waitClosed());
  await asyncio.sleep(0.05);
  print(
    "server closed, client still connected: wait_closed done:",
    waiter.done(),
    "| is_serving:",
    server.isServing(),
    "| sockets:",
    server.sockets.length === 0 ? "()" : "?",
  );
  server.closeClients();
  await waiter;
  print(
    "after close_clients: wait_closed done:",
    waiter.done(),
    "| client lost:",
    repr(await cp.lost),
  );
  echo.close();
  await echo.waitClosed();
}

await asyncio.run(main);
