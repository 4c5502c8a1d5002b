/** Twin of 312_writelines_writer_context.py: writelines() that leaves bytes buffered adds its writer again in its caller's context: connection_lost after close() runs there. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const cvar = new asyncio.ContextVar<string>("var", { default: "unset" });
const srv: Srv[] = [];
class Srv extends asyncio.Protocol {
  t!: asyncio.Transport;
  override connectionMade(t: asyncio.Transport) {
    this.t = t;
    t.pauseReading();
    srv.push(this);
  }
  override dataReceived() {}
}
class C extends asyncio.Protocol {
  done = asyncio.getRunningLoop().createFuture<void>();
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
  cvar.set("B");
  t.writelines([Buffer.alloc(1 << 20, 98)]);
  print("buffered:", t.getWriteBufferSize() > 0);
  cvar.set("closer");
  t.close();
  cvar.set("main");
  srv[0]!.t.resumeReading();
  await p.done;
  server.close();
});
