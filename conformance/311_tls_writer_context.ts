/** Twin of 311_tls_writer_context.py: A TLS write into an empty buffer takes its caller's context for the writer (resume_writing runs there), not an earlier write's whose bytes all went. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";
import { clientCtx, portOf, removeCerts, serverCtx } from "./_tls.ts";

const cvar = new asyncio.ContextVar<string>("var", { default: "unset" });
const srv: S[] = [];
class S extends asyncio.Protocol {
  t!: asyncio.Transport;
  override connectionMade(t: asyncio.Transport) {
    this.t = t;
    t.pauseReading();
    srv.push(this);
  }
  override dataReceived() {}
}
class C extends asyncio.Protocol {
  resumed = asyncio.getRunningLoop().createFuture<void>();
  override pauseWriting() {
    print("pause_writing");
  }
  override resumeWriting() {
    print("resume_writing sees", cvar.get());
    this.resumed.setResult(undefined);
  }
}
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const server = await loop.createServer(() => new S(), "127.0.0.1", 0, { ssl: serverCtx() });
  const [t, p] = await loop.createConnection(() => new C(), "127.0.0.1", portOf(server), {
    ssl: clientCtx(),
    serverHostname: "localhost",
  });
  t.setWriteBufferLimits(64 << 20);
  await asyncio.sleep(0.05);
  cvar.set("A");
  t.write(Buffer.alloc(8 << 20, 97));
  cvar.set("main");
  srv[0]!.t.resumeReading();
  while (t.getWriteBufferSize()) await asyncio.sleep(0.01);
  await asyncio.sleep(0.5);
  srv[0]!.t.pauseReading();
  await asyncio.sleep(0.05);
  t.setWriteBufferLimits(1 << 20);
  cvar.set("B");
  t.write(Buffer.alloc(8 << 20, 98));
  cvar.set("C");
  t.write(Buffer.alloc(8 << 20, 99));
  cvar.set("main");
  srv[0]!.t.resumeReading();
  await p.resumed;
  t.close();
  server.close();
});
removeCerts();
