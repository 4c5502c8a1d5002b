/**
 * Twin of 33_streams_network.py: startServer/openConnection over 127.0.0.1 (test_streams'
 * test_start_server, test_open_connection, test_drain_raises, test_wait_closed_on_close, …).
 */
import * as asyncio from "../src/index.ts";
import { print, repr, str } from "./_py.ts";

function tuple(items: readonly unknown[]): string {
  if (items.length === 0) return "()";
  if (items.length === 1) return `(${repr(items[0])},)`;
  return `(${items.map((x) => repr(x)).join(", ")})`;
}

async function main(): Promise<void> {
  const events: string[] = [];

  async function handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): Promise<void> {
    const peerOk = writer.getExtraInfo("peername") !== null;
    events.push(`server: client connected (peername known: ${peerOk ? "True" : "False"})`);
    const line = await reader.readline();
    events.push(`server: got ${repr(line)}`);
    writer.write(Buffer.from(line.toString("latin1").toUpperCase(), "latin1"));
    await writer.drain();
    const rest = await reader.read(); // until client EOF
    events.push(
      `server: rest until EOF ${repr(rest)}, at_eof=${reader.atEof() ? "True" : "False"}`,
    );
    writer.write(Buffer.from("bye\n"));
    await writer.drain();
    writer.close();
    await writer.waitClosed();
    events.push("server: writer closed");
  }

  const server = await asyncio.startServer(handle, "127.0.0.1", 0);
  const [host, port] = server.sockets[0]!.getsockname() as [string, number];
  print(
    "server is_serving:",
    server.isServing(),
    "| host:",
    host,
    "| sockets:",
    server.sockets.length,
  );

  const [reader, writer] = await asyncio.openConnection(host, port);
  print(
    "writer types:",
    reader.constructor.name,
    writer.constructor.name,
    "| can_write_eof:",
    writer.canWriteEof(),
  );
  writer.write(Buffer.from("hello world!\n"));
  await writer.drain();
  print("client: echo ->", await reader.readline());
  writer.writelines([Buffer.from("part1-"), Buffer.from("part2")]);
  writer.writeEof();
  print("client: is_closing after write_eof:", writer.isClosing());
  print("client: readline ->", await reader.readline());
  print("client: read at EOF ->", await reader.read(), "| at_eof:", reader.atEof());
  writer.close();
  print("client: is_closing after close:", writer.isClosing());
  await writer.waitClosed();
  await writer.waitClosed(); // idempotent
  print("client: wait_closed twice ok");
  for (const e of events) print("  ", e);

  // writing after close
  const [, w2] = await asyncio.openConnection(host, port);
  w2.close();
  await w2.waitClosed();
  try {
    w2.write(Buffer.from("x"));
    await w2.drain();
    print("write+drain after close: no error");
  } catch (e) {
    if (e instanceof asyncio.ConnectionResetError || e instanceof asyncio.RuntimeError) {
      print("write+drain after close:", (e as Error).name, str(e));
    } else throw e;
  }

  server.close();
  print("after close(): is_serving:", server.isServing());
  await server.waitClosed();
  print("server wait_closed done");

  // connecting to a closed port
  try {
    await asyncio.openConnection(host, port);
  } catch (e) {
    if (!(e instanceof asyncio.OSError)) throw e;
    print(
      "open_connection to closed port:",
      e.name,
      e instanceof asyncio.ConnectionRefusedError ? "(ConnectionRefusedError)" : "",
    );
  }

  // async with server; serve_forever cancellation
  const noop = (_r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
    w.close();
  };
  const srv = await asyncio.startServer(noop, "127.0.0.1", 0);
  {
    await using _ = srv;
    const t = asyncio.createTask(srv.serveForever());
    await asyncio.sleep(0.01);
    print("serve_forever running, is_serving:", srv.isServing());
    t.cancel();
    try {
      await t;
    } catch (e) {
      if (!(e instanceof asyncio.CancelledError)) throw e;
      print("serve_forever cancelled -> server closed:", !srv.isServing());
    }
  }
  print("async with server exit: sockets after close:", tuple(srv.sockets));

  // readexactly on a connection closed early
  async function short(_r: asyncio.StreamReader, w: asyncio.StreamWriter): Promise<void> {
    w.write(Buffer.from("abc"));
    await w.drain();
    w.close();
  }
  const srv2 = await asyncio.startServer(short, "127.0.0.1", 0);
  const p = (srv2.sockets[0]!.getsockname() as [string, number])[1];
  const [r, w] = await asyncio.openConnection("127.0.0.1", p);
  try {
    await r.readexactly(10);
  } catch (e) {
    if (!(e instanceof asyncio.IncompleteReadError)) throw e;
    print("readexactly on early close:", e, "| partial:", e.partial);
  }
  w.close();
  await w.waitClosed();
  srv2.close();
  await srv2.waitClosed();
}

await asyncio.run(main);
