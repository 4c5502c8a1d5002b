/** Twin of 270_accept_connection_task.py: the accept task waits for connectionMade(). */
import { pyRepr as repr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

function acceptTasks(loop: asyncio.AbstractEventLoop): string {
  const out: string[] = [];
  for (const t of asyncio.allTasks(loop)) {
    const m = /coro=<([^(\s]+)\(/.exec(repr(t));
    if (m?.[1]?.includes("accept")) out.push(repr([t.getName(), m[1], t.done()]));
  }
  return `[${out.sort().join(", ").replaceAll("[", "(").replaceAll("]", ")")}]`;
}

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const order: string[] = [];

  class P extends asyncio.Protocol {
    override connectionMade(_t: asyncio.Transport): void {
      const none = asyncio.currentTask() === null ? "True" : "False";
      order.push(`('connection_made', ${none}, ${acceptTasks(loop)})`);
      loop.callSoon(() => order.push(`('cb after connection_made', ${acceptTasks(loop)})`));
    }
    override dataReceived(d: Uint8Array): void {
      order.push(`('data', ${repr(d)}, ${acceptTasks(loop)})`);
    }
    override connectionLost(exc: Error | null): void {
      order.push(`('lost', ${repr(exc)})`);
    }
  }

  let srv = await loop.createServer(() => new P(), "127.0.0.1", 0);
  let [host, port] = srv.sockets[0]!.getsockname();
  print("before:", acceptTasks(loop));
  let [r, w] = await asyncio.openConnection(host, port);
  w.write(Buffer.from("hello"));
  await asyncio.sleep(0.05);
  for (const o of order) print(" ", o);
  w.close();
  await asyncio.sleep(0.02);
  print("last:", order.at(-1));
  srv.close();
  await srv.waitClosed();

  const seen: string[] = [];
  async function handler(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
    seen.push(`('handler first step', ${acceptTasks(loop)})`);
    await asyncio.sleep(0);
    seen.push(`('handler second step', ${acceptTasks(loop)})`);
    writer.close();
  }

  srv = await asyncio.startServer(handler, "127.0.0.1", 0);
  [host, port] = srv.sockets[0]!.getsockname();
  [r, w] = await asyncio.openConnection(host, port);
  print("read:", repr(await r.read()));
  for (const s of seen) print(" ", s);
  w.close();
  srv.close();
  await srv.waitClosed();
  print("after:", acceptTasks(loop));
});
