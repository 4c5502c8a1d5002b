/**
 * Twin of 308_socket_writer_context.py: a write that leaves bytes in an empty buffer takes its
 * caller's context for what the writer callback does (connectionLost after close()), not the
 * context of an earlier buffered write whose bytes have all gone.
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const cvar = new asyncio.ContextVar<string>("var", { default: "unset" });
const srv: { t: asyncio.Transport }[] = [];
class Srv extends asyncio.Protocol {
  t!: asyncio.Transport;
  override connectionMade(t: asyncio.Transport) {
    this.t = t;
    t.pauseReading();
    srv.push(this);
  }
}
class C extends asyncio.Protocol {
  done = asyncio.getRunningLoop().createFuture<void>();
  override pauseWriting() {
    print("pause_writing sees", cvar.get());
  }
  override resumeWriting() {
    print("resume_writing sees", cvar.get());
  }
  override connectionLost(exc: Error | null) {
    print("connection_lost sees:", cvar.get(), exc);
    this.done.setResult(undefined);
  }
}
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const server = await loop.createServer(() => new Srv(), "127.0.0.1", 0);
  const port = (server.sockets[0].getsockname() as [string, number])[1];
  const [t, p] = await loop.createConnection(() => new C(), "127.0.0.1", port);
  t.setWriteBufferLimits(64 << 20);
  await asyncio.sleep(0.01);
  cvar.set("A");
  t.write(Buffer.alloc(8 << 20, 97));
  cvar.set("main");
  print("buffered A:", t.getWriteBufferSize() > 0);
  srv[0]!.t.resumeReading();
  while (t.getWriteBufferSize()) await asyncio.sleep(0.01);
  srv[0]!.t.pauseReading();
  await asyncio.sleep(0.05);
  cvar.set("B");
  t.write(Buffer.alloc(8 << 20, 98));
  print("buffered B:", t.getWriteBufferSize() > 0);
  cvar.set("closer");
  t.close();
  cvar.set("main");
  srv[0]!.t.resumeReading();
  await p.done;
  server.close();
});
