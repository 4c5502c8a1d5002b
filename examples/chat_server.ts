/**
 * A small chat server: every line a client types goes to everyone else, prefixed with the
 * sender's name. The first line a client sends is its name. Commands: /who, /quit.
 *
 *   node --conditions=asyncio-ts-source --import tsx examples/chat_server.ts [port]
 *
 * Connect with `nc 127.0.0.1 8889` (or telnet) from several terminals. A client that stops
 * reading cannot stall the room: each client has its own outgoing queue and writer task, and a
 * client whose queue overflows is disconnected.
 */
import * as asyncio from "asyncio-ts";

interface Client {
  name: string;
  writer: asyncio.StreamWriter;
  outbox: asyncio.Queue<string>;
}

const clients = new Set<Client>();
const OUTBOX_SIZE = 100;

function broadcast(text: string, except: Client | null = null): void {
  for (const c of clients) {
    if (c === except) continue;
    try {
      c.outbox.putNowait(text);
    } catch (e) {
      if (!(e instanceof asyncio.QueueFull)) throw e;
      console.log(`${c.name} is not reading: disconnected`);
      c.writer.transport.abort();
    }
  }
}

/** Sends a client's queued lines; drain() waits while that one client is slow. */
async function sender(c: Client): Promise<void> {
  for (;;) {
    const text = await c.outbox.get();
    c.writer.write(Buffer.from(text));
    await c.writer.drain();
  }
}

async function handleClient(
  reader: asyncio.StreamReader,
  writer: asyncio.StreamWriter,
): Promise<void> {
  writer.write(Buffer.from("Welcome! Your name? "));
  const name = (await reader.readline()).toString().trim() || "anonymous";
  const client: Client = { name, writer, outbox: new asyncio.Queue(OUTBOX_SIZE) };
  const task = asyncio.createTask(() => sender(client));
  clients.add(client);
  broadcast(`* ${name} joined\n`, client);
  client.outbox.putNowait(`* hello ${name}, ${clients.size} here (/who, /quit)\n`);
  try {
    for await (const raw of reader) {
      const line = raw.toString().trim();
      if (line === "/quit") break;
      if (line === "/who")
        client.outbox.putNowait(`* ${[...clients].map((c) => c.name).join(", ")}\n`);
      else if (line !== "") broadcast(`<${name}> ${line}\n`, client);
    }
  } catch (e) {
    console.log(`${name}: ${(e as Error).name}: ${(e as Error).message}`);
  } finally {
    clients.delete(client);
    task.cancel();
    writer.close();
    broadcast(`* ${name} left\n`);
  }
}

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 8889);
  const server = await asyncio.startServer(handleClient, "127.0.0.1", port);
  console.log(`chat on ${(server.sockets[0]!.getsockname() as [string, number]).join(":")}`);
  await server.serveForever();
}

try {
  await asyncio.run(main);
} catch (e) {
  if (!(e instanceof asyncio.KeyboardInterrupt)) throw e;
}
