/**
 * Twin of 103_streams_faults.py: a line over the limit, a reset mid-read, a peer that never
 * reads, readuntil with several separators over the network. The resetting peer uses Node's
 * resetAndDestroy() where the Python script sets SO_LINGER to 0: the asyncio side is the same.
 */
import * as net from "node:net";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const b = (s: string) => Buffer.from(s, "latin1");
const portOf = (s: asyncio.Server) => (s.sockets[0]!.getsockname() as [string, number])[1];
const pyBool = (v: boolean) => (v ? "True" : "False");

async function main(): Promise<void> {
  const results = new asyncio.Queue<string>();

  // 1. A line longer than the limit.
  async function limited(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
    try {
      await reader.readline();
    } catch (e) {
      if (!(e instanceof asyncio.ValueError)) throw e;
      await results.put(`readline over limit: ${e.name}: ${e.message}`);
    }
    await results.put(`next line: ${repr(await reader.readline())}`);
    try {
      await reader.readline();
    } catch (e) {
      if (!(e instanceof asyncio.ValueError)) throw e;
      await results.put(`unterminated long line: ${e.name}: ${e.message}`);
    }
    await results.put(`then: ${repr(await reader.readline())} at_eof=${pyBool(reader.atEof())}`);
    writer.close();
  }
  let server = await asyncio.startServer(limited, "127.0.0.1", 0, { limit: 16 });
  let [r, w] = await asyncio.openConnection("127.0.0.1", portOf(server));
  w.write(b(`${"x".repeat(100)}\nok\n`));
  await w.drain();
  await asyncio.sleep(0.05);
  w.write(b("y".repeat(100)));
  w.writeEof();
  for (let i = 0; i < 4; i++) print(await results.get());
  w.close();
  await w.waitClosed();
  server.close();
  await server.waitClosed();

  // 2. A peer that resets the connection in the middle of a read.
  async function victim(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
    try {
      await reader.readexactly(100);
    } catch (e) {
      if (!(e instanceof asyncio.ConnectionResetError)) throw e;
      await results.put(`readexactly: ${e.name} errno=${e.errno}`);
    }
    try {
      writer.write(b("late"));
      await writer.drain();
    } catch (e) {
      if (!(e instanceof asyncio.ConnectionResetError)) throw e;
      await results.put(`write+drain: ${e.name} errno=${e.errno}`);
    }
    try {
      await writer.waitClosed();
      await results.put("wait_closed: no error");
    } catch (e) {
      if (!(e instanceof asyncio.ConnectionResetError)) throw e;
      await results.put(`wait_closed: ${e.name} errno=${e.errno}`);
    }
    await results.put(`is_closing: ${pyBool(writer.isClosing())}`);
  }
  server = await asyncio.startServer(victim, "127.0.0.1", 0);
  const raw = net.connect(portOf(server), "127.0.0.1");
  raw.on("error", () => {});
  await new Promise((resolve) => raw.once("connect", resolve));
  raw.write("only ten b");
  await asyncio.sleep(0.05);
  raw.resetAndDestroy();
  for (let i = 0; i < 4; i++) print(await results.get());
  server.close();
  await server.waitClosed();

  // 3. A peer that never reads: drain() blocks.
  const started = new asyncio.Event();
  const release = new asyncio.Event();
  async function sluggish(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
    started.set();
    await release.wait();
    const total = (await reader.read()).length;
    writer.write(b(String(total)));
    writer.close();
  }
  server = await asyncio.startServer(sluggish, "127.0.0.1", 0);
  [r, w] = await asyncio.openConnection("127.0.0.1", portOf(server));
  await started.wait();
  const chunk = Buffer.alloc(65536, "z");
  let sent = 0;
  let blocked = false;
  for (let i = 0; i < 2000; i++) {
    w.write(chunk);
    sent += chunk.length;
    try {
      await asyncio.waitFor(w.drain(), 0.2);
    } catch (e) {
      if (!(e instanceof asyncio.TimeoutError)) throw e;
      blocked = true;
      break;
    }
  }
  const size = w.transport.getWriteBufferSize();
  print(
    "drain blocked:",
    blocked,
    "| buffer over high-water:",
    size > 65536,
    "| within one chunk of it:",
    size <= 65536 + chunk.length,
  );
  release.set();
  w.writeEof();
  print("peer finally read everything:", Number((await r.read()).toString()) === sent);
  w.close();
  server.close();
  await server.waitClosed();

  // 4. readuntil with several separators, across chunks.
  async function multi(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
    for (;;) {
      let part: Buffer;
      try {
        part = await reader.readuntil([b("\r\n"), b("\n"), b(";")]);
      } catch (e) {
        if (!(e instanceof asyncio.IncompleteReadError)) throw e;
        await results.put(`end: partial=${repr(e.partial)}`);
        break;
      }
      await results.put(`part: ${repr(part)}`);
    }
    writer.close();
  }
  server = await asyncio.startServer(multi, "127.0.0.1", 0);
  [r, w] = await asyncio.openConnection("127.0.0.1", portOf(server));
  for (const piece of ["a;b\r", "\nc\n", "tail"]) {
    w.write(b(piece));
    await w.drain();
    await asyncio.sleep(0.02);
  }
  w.writeEof();
  for (;;) {
    const item = await results.get();
    print(item);
    if (item.startsWith("end")) break;
  }
  w.close();
  server.close();
  await server.waitClosed();
}

await asyncio.run(main);
