/**
 * A TCP echo server with asyncio-ts streams (Python's classic `asyncio.start_server` example).
 *
 *   node --conditions=asyncio-ts-source --import tsx examples/echo_server.ts [host] [port]
 *
 * Defaults: 127.0.0.1, port 8888 (0 picks a free port). Every line a client sends comes back;
 * Ctrl-C stops the server. Try it with examples/echo_client.ts, `nc 127.0.0.1 8888` or telnet.
 */
import * as asyncio from "asyncio-ts";

async function handleEcho(
  reader: asyncio.StreamReader,
  writer: asyncio.StreamWriter,
): Promise<void> {
  const peer = writer.getExtraInfo("peername") as [string, number];
  console.log(`connection from ${peer[0]}:${peer[1]}`);
  try {
    for await (const line of reader) {
      writer.write(line);
      await writer.drain(); // wait if the client reads slower than it writes
    }
  } catch (e) {
    // A line longer than the reader's limit, or the client reset the connection.
    console.log(`${peer[0]}:${peer[1]}: ${(e as Error).name}: ${(e as Error).message}`);
  } finally {
    writer.close();
    console.log(`${peer[0]}:${peer[1]} disconnected`);
  }
}

async function main(): Promise<void> {
  const host = process.argv[2] ?? "127.0.0.1";
  const port = Number(process.argv[3] ?? 8888);
  const server = await asyncio.startServer(handleEcho, host, port);
  const addrs = server.sockets.map((s) => (s.getsockname() as [string, number]).join(":"));
  console.log(`serving on ${addrs.join(", ")}`);
  await using _ = server; // closes the server (and waits for it) when main() ends
  await server.serveForever();
}

try {
  await asyncio.run(main);
} catch (e) {
  if (!(e instanceof asyncio.KeyboardInterrupt)) throw e;
  console.log("bye");
}
