/**
 * Twin of 105_contexts_signals.py: the contexts I/O callbacks and signal handlers run in,
 * add/removeSignalHandler and their errors, loop.getaddrinfo.
 */
import { constants } from "node:os";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const v = new asyncio.ContextVar<string>("var", { default: "unset" });
const { SIGKILL, SIGUSR1 } = constants.signals;

function tuple(items: unknown[]): string {
  return `(${items.map((x) => (Array.isArray(x) ? tuple(x) : repr(x))).join(", ")}${items.length === 1 ? "," : ""})`;
}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const seen: string[] = [];

  class P extends asyncio.Protocol {
    override connectionMade(): void {
      seen.push(`connection_made sees ${repr(v.get())}`);
      v.set("set in connection_made");
    }
    override dataReceived(): void {
      seen.push(`data_received sees ${repr(v.get())}`);
    }
    override connectionLost(): void {
      seen.push(`connection_lost sees ${repr(v.get())}`);
    }
  }

  async function handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
    seen.push(`client_connected_cb sees ${repr(v.get())}`);
    v.set("set in the handler task");
    writer.write(Buffer.from("x"));
    await writer.drain();
    await reader.read();
    writer.close();
  }

  v.set("before start_server");
  const server = await asyncio.startServer(handler, "127.0.0.1", 0);
  v.set("before create_connection");
  const [host, port] = server.sockets[0]!.getsockname() as [string, number];
  const [transport] = await loop.createConnection(() => new P(), host, port);
  await asyncio.sleep(0.05);
  v.set("before close");
  transport.close();
  await asyncio.sleep(0.05);
  print("main task still sees:", repr(v.get()));
  for (const line of seen) print("  ", line);
  server.close();
  await server.waitClosed();

  const got = loop.createFuture<[unknown[], string, unknown]>();
  const onSignal = (...args: unknown[]) => {
    got.setResult([args, v.get(), asyncio.currentTask()]);
  };
  v.set("when the handler was added");
  loop.addSignalHandler(SIGUSR1, onSignal, "a", 1);
  v.set("after adding it");
  process.kill(process.pid, SIGUSR1);
  const [args, seenValue, task] = await got;
  print("signal handler args:", tuple(args), "| context:", repr(seenValue), "| task:", task);
  print(
    "remove_signal_handler:",
    loop.removeSignalHandler(SIGUSR1),
    loop.removeSignalHandler(SIGUSR1),
  );
  const bads: [unknown, string][] = [
    [SIGKILL, "SIGKILL"],
    [0, "0"],
    [65536, "65536"],
    ["x", "'x'"],
  ];
  for (const [bad, label] of bads) {
    try {
      loop.addSignalHandler(bad as number, onSignal);
    } catch (e) {
      print(`add_signal_handler(${label}):`, (e as Error).name, (e as Error).message);
    }
  }
  try {
    loop.addSignalHandler(SIGUSR1, async () => {});
  } catch (e) {
    print("coroutine function:", (e as Error).name, (e as Error).message);
  }

  const plain = (infos: asyncio.socket.AddrInfo[]) => `[${infos.map((i) => tuple(i)).join(", ")}]`;
  print(plain(await loop.getaddrinfo("127.0.0.1", 8080, { type: asyncio.socket.SOCK_STREAM })));
  print(plain(await loop.getaddrinfo("::1", "443", { type: asyncio.socket.SOCK_DGRAM })));
  print((await loop.getaddrinfo("127.0.0.1", 80)).length, "entries without a type");
  try {
    await loop.getaddrinfo("nonexistent.invalid", 80);
  } catch (e) {
    if (!(e instanceof asyncio.socket.gaierror)) throw e;
    print("unknown name:", e.name, e.errno, e.message);
  }
}

await asyncio.run(main);
