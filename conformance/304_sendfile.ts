/**
 * Twin of 304_sendfile.py: loop.sendfile() over plain sockets (the native path), TLS and file
 * objects without a descriptor (the fallback), offsets and counts, argument errors, writes during
 * a transfer, a second transfer, cancellation, unsupported transports, streams. Python's
 * `open(path, "rb")` is ported as a small file object over a descriptor (PyFile), io.BytesIO
 * as one over a buffer.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";
import { clientCtx, removeCerts, serverCtx } from "./_tls.ts";

const DATA = Buffer.alloc(256 * 4000);
for (let i = 0; i < DATA.length; i++) DATA[i] = i % 256;
const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), "sendfile-"));
const PATH = path.join(tmpdir, "data.bin");
const EMPTY = path.join(tmpdir, "empty.bin");
fs.writeFileSync(PATH, DATA);
fs.writeFileSync(EMPTY, "");

const digest = (b: Uint8Array) =>
  `${b.length} ${createHash("sha256").update(b).digest("hex").slice(0, 12)}`;
const norm = (s: string) => s.replace(/fd=\d+/g, "fd=N");
const cat = (...parts: Uint8Array[]) => Buffer.concat(parts);

/** Python's `open(path, "rb")`: reads advance its position; seek/tell; a descriptor. */
class PyFile {
  pos = 0;
  readonly fd: number;
  constructor(p: string) {
    this.fd = fs.openSync(p, "r");
  }
  fileno(): number {
    return this.fd;
  }
  readinto(buf: Uint8Array): number {
    const n = fs.readSync(this.fd, buf, 0, buf.length, this.pos);
    this.pos += n;
    return n;
  }
  seek(p: number): void {
    this.pos = p;
  }
  tell(): number {
    return this.pos;
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Python's `io.BytesIO(data)`: no descriptor. */
class BytesIO {
  pos = 0;
  constructor(readonly data: Uint8Array) {}
  readinto(buf: Uint8Array): number {
    const part = this.data.subarray(this.pos, this.pos + buf.length);
    buf.set(part);
    this.pos += part.length;
    return part.length;
  }
  seek(p: number): void {
    this.pos = p;
  }
  tell(): number {
    return this.pos;
  }
  close(): void {}
}

type File = PyFile | BytesIO;

class Sink extends asyncio.Protocol {
  buf: Buffer[] = [];
  tr!: asyncio.Transport;
  constructor(readonly done: asyncio.Future<Buffer>) {
    super();
  }
  override connectionMade(tr: asyncio.BaseTransport): void {
    this.tr = tr as asyncio.Transport;
  }
  override dataReceived(data: Uint8Array): void {
    this.buf.push(Buffer.from(data));
  }
  override eofReceived(): boolean | undefined {
    this.tr.close();
    return undefined;
  }
  override connectionLost(): void {
    if (!this.done.done()) this.done.setResult(Buffer.concat(this.buf));
  }
}

class Client extends asyncio.Protocol {
  events: string[] = [];
  override connectionMade(): void {
    this.events.push("made");
  }
  override dataReceived(data: Uint8Array): void {
    this.events.push(`data ${repr(data)}`);
  }
  override pauseWriting(): void {
    this.events.push("pause_writing");
  }
  override resumeWriting(): void {
    this.events.push("resume_writing");
  }
}

async function pair(ssl = false) {
  const loop = asyncio.getRunningLoop();
  const done = loop.createFuture<Buffer>();
  const server = await loop.createServer(
    () => new Sink(done),
    "127.0.0.1",
    0,
    ssl ? { ssl: serverCtx() } : {},
  );
  const port = (server.sockets[0].getsockname() as [string, number])[1];
  const [tr, proto] = await loop.createConnection(
    () => new Client(),
    "127.0.0.1",
    port,
    ssl ? { ssl: clientCtx() } : {},
  );
  return { server, tr, proto, done };
}

async function transfer(
  label: string,
  opener: () => File,
  args: unknown[] = [],
  { ssl = false, ...kw }: { ssl?: boolean; fallback?: boolean } = {},
): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const { server, tr, proto, done } = await pair(ssl);
  const f = opener();
  try {
    const sendfile = loop.sendfile.bind(loop) as unknown as (...a: unknown[]) => Promise<number>;
    const n = await sendfile(tr, f, ...args, kw);
    print(
      label,
      "->",
      n,
      "tell",
      f.tell(),
      "reading",
      tr.isReading(),
      "protocol is client",
      tr.getProtocol() === proto,
    );
  } catch (e) {
    print(label, "->", (e as Error).name, norm((e as Error).message), "tell", f.tell());
  }
  tr.write(Buffer.from("!end"));
  if (tr.canWriteEof()) tr.writeEof();
  else tr.close();
  const got = await done;
  print("   received", digest(got), "events", proto.events);
  tr.close();
  f.close();
  server.close();
  await server.waitClosed();
}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const disk = () => new PyFile(PATH);
  const mem = () => new BytesIO(DATA);
  const end = Buffer.from("!end");
  print(
    "expected whole",
    digest(cat(DATA, end)),
    "part",
    digest(cat(DATA.subarray(10, 1010), end)),
    "tail",
    digest(cat(DATA.subarray(1000000), end)),
  );

  await transfer("tcp whole", disk);
  await transfer("tcp offset+count", disk, [10, 1000]);
  await transfer("tcp offset only", disk, [1000000]);
  await transfer("tcp count past end", disk, [1000000, 10 ** 9]);
  await transfer("tcp offset past end", disk, [10 ** 7]);
  await transfer("tcp empty", () => new PyFile(EMPTY));
  await transfer("tcp bytesio", mem);
  await transfer("tcp bytesio offset+count", mem, [10, 1000]);
  await transfer("tcp bytesio no fallback", mem, [], { fallback: false });
  for (const args of [[0, 0], [0, -1], [0, 1.5], [-1], [1.5], ["a"], [0, "b"]]) {
    const shown = `(${args.map((a) => repr(a)).join(", ")}${args.length === 1 ? "," : ""})`;
    await transfer(`tcp args ${shown}`, disk, args);
  }
  await transfer("tls whole", disk, [], { ssl: true });
  await transfer("tls offset+count", disk, [10, 1000], { ssl: true });
  await transfer("tls count 0", disk, [0, 0], { ssl: true });
  await transfer("tls bytesio", mem, [], { ssl: true });
  await transfer("tls no fallback", disk, [], { fallback: false, ssl: true });

  // a file position that is not 0: native reads from offset, fallback from the position
  const moved = () => {
    const f = new PyFile(PATH);
    f.seek(1000000);
    return f;
  };
  await transfer("tcp moved position", moved);
  await transfer("tls moved position", moved, [], { ssl: true });

  // a closing transport
  let { server, tr, proto, done } = await pair();
  tr.close();
  try {
    await loop.sendfile(tr, disk());
  } catch (e) {
    print("closing ->", (e as Error).name, (e as Error).message);
  }
  await done;
  server.close();

  // writes while a native transfer is going on; the protocol during a fallback one
  ({ server, tr, proto, done } = await pair());
  let f: File = disk();
  let t: asyncio.Task<number> = asyncio.createTask(loop.sendfile(tr, f));
  await asyncio.sleep(0);
  for (const [name, call] of [
    ["write", () => tr.write(Buffer.from("x"))],
    ["writelines", () => tr.writelines([Buffer.from("x")])],
  ] as const) {
    try {
      call();
      print(name, "during native: ok");
    } catch (e) {
      print(name, "during native:", (e as Error).name, (e as Error).message);
    }
  }
  print("reading during native", tr.isReading(), "size", tr.getWriteBufferSize());
  print("native result", await t, "reading after", tr.isReading());
  tr.write(end);
  tr.writeEof();
  print("   received", digest(await done));
  server.close();
  f.close();

  ({ server, tr, proto, done } = await pair());
  t = asyncio.createTask(loop.sendfile(tr, mem()));
  await asyncio.sleep(0);
  const p = tr.getProtocol() as unknown as Record<string, (...a: unknown[]) => void>;
  print("fallback protocol", p.constructor.name, "reading", tr.isReading());
  for (const [name, method] of [
    ["connection_made", "connectionMade"],
    ["data_received", "dataReceived"],
    ["eof_received", "eofReceived"],
  ] as const) {
    try {
      p[method]!(
        ...(name === "connection_made" ? [tr] : name === "data_received" ? [Buffer.from("x")] : []),
      );
    } catch (e) {
      print("  ", name, (e as Error).name, (e as Error).message);
    }
  }
  tr.write(Buffer.from("<mid>"));
  print(
    "fallback result",
    await t,
    "protocol back",
    tr.getProtocol() === proto,
    "reading",
    tr.isReading(),
  );
  tr.writeEof();
  let got = await done;
  print("   received", got.length, got.toString("latin1").split("<mid>").length - 1);
  server.close();

  // a second sendfile while one runs (native)
  ({ server, tr, proto, done } = await pair());
  const t1 = asyncio.createTask(loop.sendfile(tr, disk()));
  await asyncio.sleep(0);
  try {
    await loop.sendfile(tr, disk());
  } catch (e) {
    const fd = (tr.getExtraInfo("socket") as asyncio.socket.TransportSocket).fileno();
    const args = (e as { args: unknown[] }).args;
    print("second native ->", (e as Error).name, args.length === 1 && args[0] === fd);
  }
  print("first ->", await t1);
  tr.close();
  await done;
  server.close();

  // cancelled in the middle (native): the transport is usable again
  ({ server, tr, proto, done } = await pair());
  f = disk();
  t = asyncio.createTask(loop.sendfile(tr, f));
  await asyncio.sleep(0);
  t.cancel();
  try {
    await t;
  } catch (e) {
    if (e instanceof asyncio.CancelledError) print("cancelled; reading", tr.isReading());
    else throw e;
  }
  tr.write(end);
  tr.writeEof();
  got = await done;
  const prefix = got.subarray(0, got.length - 4);
  print(
    "   received a prefix and !end",
    got.subarray(-4).equals(end) && DATA.subarray(0, prefix.length).equals(prefix),
  );
  server.close();

  // unsupported transports
  const fifoPath = path.join(tmpdir, "fifo");
  execFileSync("mkfifo", [fifoPath]);
  const r = fs.openSync(fifoPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const w = fs.openSync(fifoPath, fs.constants.O_WRONLY);
  const [wtr] = await loop.connectWritePipe(() => new asyncio.Protocol(), w);
  const [dtr] = await loop.createDatagramEndpoint(() => new asyncio.DatagramProtocol(), {
    localAddr: ["127.0.0.1", 0],
  });
  for (const [label, tt] of [
    ["pipe", wtr],
    ["datagram", dtr],
  ] as const) {
    try {
      await loop.sendfile(tt, disk());
    } catch (e) {
      print(label, "->", (e as Error).name, norm((e as Error).message));
    }
  }
  wtr.close();
  dtr.close();
  fs.closeSync(r);

  // streams
  const received: Buffer[] = [];
  const handle = async (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) => {
    received.push(await reader.read());
    writer.write(Buffer.from("bye"));
    writer.close();
  };
  const sserver = await asyncio.startServer(handle, "127.0.0.1", 0);
  const port = (sserver.sockets[0].getsockname() as [string, number])[1];
  const [reader, writer] = await asyncio.openConnection("127.0.0.1", port);
  writer.write(Buffer.from("head"));
  const n = await loop.sendfile(writer.transport, disk(), 5, 100);
  writer.write(Buffer.from("tail"));
  writer.writeEof();
  print(
    "streams ->",
    n,
    await reader.read(),
    digest(received[0] ?? Buffer.alloc(0)),
    digest(cat(Buffer.from("head"), DATA.subarray(5, 105), Buffer.from("tail"))),
  );
  writer.close();
  await writer.waitClosed();
  sserver.close();
  await sserver.waitClosed();
}

await asyncio.run(main);
removeCerts();
fs.rmSync(tmpdir, { recursive: true });
