/**
 * asyncio-ts contender for the echo family (echo_streams_1k/100, echo_proto_1k/100): the same
 * programs as bench/python/bench.py's echo_streams/echo_proto, with generator coroutines
 * (ts-gen) or async functions (ts-async, `--async`). Protocols have no coroutine style: both
 * flavours run the same protocol code, only the main coroutine differs.
 */
import * as asyncio from "asyncio-ts";
import { benchMain, now, type RunContext } from "../lib/child.ts";
import type { Measurement, Params } from "../lib/workloads.ts";

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------- streams
function* handleGen(
  reader: asyncio.StreamReader,
  writer: asyncio.StreamWriter,
): asyncio.Coroutine<void> {
  try {
    for (;;) {
      const data = yield* reader.read(65536);
      if (data.length === 0) break;
      writer.write(data);
      yield* writer.drain();
    }
  } catch (e) {
    if (!(e instanceof asyncio.ConnectionError)) throw e;
  } finally {
    writer.close();
  }
}

async function handleAsync(
  reader: asyncio.StreamReader,
  writer: asyncio.StreamWriter,
): Promise<void> {
  try {
    for (;;) {
      const data = await reader.read(65536);
      if (data.length === 0) break;
      writer.write(data);
      await writer.drain();
    }
  } catch (e) {
    if (!(e instanceof asyncio.ConnectionError)) throw e;
  } finally {
    writer.close();
  }
}

function* echoStreamsGen(p: Params): asyncio.Coroutine<Measurement> {
  const server = yield* asyncio.startServer(handleGen, "127.0.0.1", 0);
  const port = (server.sockets[0]!.getsockname() as [string, number])[1];
  const conns: [asyncio.StreamReader, asyncio.StreamWriter][] = [];
  for (let i = 0; i < p.clients; i++) conns.push(yield* asyncio.openConnection("127.0.0.1", port));
  const message = Buffer.alloc(p.size, 0x61);
  function* client(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
  ): asyncio.Coroutine<number> {
    let total = 0;
    for (let i = 0; i < p.n; i++) {
      writer.write(message);
      yield* writer.drain();
      total += (yield* reader.readexactly(p.size)).length;
    }
    return total;
  }
  const t0 = now();
  const totals = yield* asyncio.gather(conns.map(([r, w]) => client(r, w)));
  const elapsed = now() - t0;
  for (const [, w] of conns) w.close();
  for (const [, w] of conns) yield* w.waitClosed();
  server.close();
  yield* server.waitClosed();
  return { elapsed, check: sum(totals) };
}

async function echoStreamsAsync(p: Params): Promise<Measurement> {
  const server = await asyncio.startServer(handleAsync, "127.0.0.1", 0);
  const port = (server.sockets[0]!.getsockname() as [string, number])[1];
  const conns: [asyncio.StreamReader, asyncio.StreamWriter][] = [];
  for (let i = 0; i < p.clients; i++) conns.push(await asyncio.openConnection("127.0.0.1", port));
  const message = Buffer.alloc(p.size, 0x61);
  async function client(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
  ): Promise<number> {
    let total = 0;
    for (let i = 0; i < p.n; i++) {
      writer.write(message);
      await writer.drain();
      total += (await reader.readexactly(p.size)).length;
    }
    return total;
  }
  const t0 = now();
  const totals = await asyncio.gather(
    conns.map(
      ([r, w]) =>
        () =>
          client(r, w),
    ),
  );
  const elapsed = now() - t0;
  for (const [, w] of conns) w.close();
  for (const [, w] of conns) await w.waitClosed();
  server.close();
  await server.waitClosed();
  return { elapsed, check: sum(totals as number[]) };
}

// ---------------------------------------------------------------- protocols
class EchoServerProtocol extends asyncio.Protocol {
  transport: asyncio.Transport | null = null;
  override connectionMade(transport: asyncio.Transport): void {
    this.transport = transport;
  }
  override dataReceived(data: Buffer): void {
    this.transport!.write(data);
  }
}

class EchoClientProtocol extends asyncio.Protocol {
  got = 0;
  total = 0;
  sent = 0;
  transport: asyncio.Transport | null = null;
  constructor(
    readonly message: Buffer,
    readonly n: number,
    readonly done: asyncio.Future<number>,
  ) {
    super();
  }
  override connectionMade(transport: asyncio.Transport): void {
    this.transport = transport;
  }
  start(): void {
    this.sent = 1;
    this.transport!.write(this.message);
  }
  override dataReceived(data: Buffer): void {
    this.got += data.length;
    if (this.got < this.message.length) return;
    this.total += this.got;
    this.got = 0;
    if (this.sent === this.n) {
      this.done.setResult(this.total);
    } else {
      this.sent++;
      this.transport!.write(this.message);
    }
  }
  override connectionLost(exc: Error | null): void {
    if (!this.done.done())
      this.done.setException(exc ?? new asyncio.ConnectionError("connection closed"));
  }
}

function* echoProtoGen(p: Params): asyncio.Coroutine<Measurement> {
  const loop = asyncio.getRunningLoop();
  const server = yield* loop.createServer(() => new EchoServerProtocol(), "127.0.0.1", 0);
  const port = (server.sockets[0]!.getsockname() as [string, number])[1];
  const message = Buffer.alloc(p.size, 0x61);
  const clients: EchoClientProtocol[] = [];
  for (let i = 0; i < p.clients; i++) {
    const done = loop.createFuture<number>();
    const [, proto] = yield* loop.createConnection(
      () => new EchoClientProtocol(message, p.n, done),
      "127.0.0.1",
      port,
    );
    clients.push(proto);
  }
  const t0 = now();
  for (const c of clients) c.start();
  const totals = yield* asyncio.gather(clients.map((c) => c.done));
  const elapsed = now() - t0;
  for (const c of clients) c.transport!.close();
  server.close();
  yield* server.waitClosed();
  return { elapsed, check: sum(totals) };
}

async function echoProtoAsync(p: Params): Promise<Measurement> {
  const loop = asyncio.getRunningLoop();
  const server = await loop.createServer(() => new EchoServerProtocol(), "127.0.0.1", 0);
  const port = (server.sockets[0]!.getsockname() as [string, number])[1];
  const message = Buffer.alloc(p.size, 0x61);
  const clients: EchoClientProtocol[] = [];
  for (let i = 0; i < p.clients; i++) {
    const done = loop.createFuture<number>();
    const [, proto] = await loop.createConnection(
      () => new EchoClientProtocol(message, p.n, done),
      "127.0.0.1",
      port,
    );
    clients.push(proto);
  }
  const t0 = now();
  for (const c of clients) c.start();
  const totals = await asyncio.gather(clients.map((c) => c.done));
  const elapsed = now() - t0;
  for (const c of clients) c.transport!.close();
  server.close();
  await server.waitClosed();
  return { elapsed, check: sum(totals) };
}

function echo(p: Params, ctx: RunContext): Promise<Measurement> {
  if (p.api === "streams") {
    return ctx.style === "async"
      ? asyncio.run(() => echoStreamsAsync(p))
      : asyncio.run(echoStreamsGen(p));
  }
  return ctx.style === "async"
    ? asyncio.run(() => echoProtoAsync(p))
    : asyncio.run(echoProtoGen(p));
}

await benchMain({ echo });
