/** Twin of 309_tls_resume_reading_context.py: After pause_reading()/resume_reading() on a TLS transport only the buffered read runs in the resumer's context; later data_received, eof_received and connection_lost run in the reader's. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";
import { clientCtx, portOf, removeCerts, serverCtx } from "./_tls.ts";

const cvar = new asyncio.ContextVar<string>("var", { default: "unset" });
const srv: S[] = [];
class S extends asyncio.Protocol {
  t!: asyncio.Transport;
  override connectionMade(t: asyncio.Transport) {
    this.t = t;
    srv.push(this);
  }
}
class C extends asyncio.Protocol {
  done = asyncio.getRunningLoop().createFuture<void>();
  override dataReceived(d: Uint8Array) {
    print("data_received", d, "sees", cvar.get());
  }
  override eofReceived() {
    print("eof_received sees", cvar.get());
    return undefined;
  }
  override connectionLost(exc: Error | null) {
    print("connection_lost sees", cvar.get(), exc);
    this.done.setResult(undefined);
  }
}
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const server = await loop.createServer(() => new S(), "127.0.0.1", 0, { ssl: serverCtx() });
  cvar.set("connector");
  const [t, p] = await loop.createConnection(() => new C(), "127.0.0.1", portOf(server), {
    ssl: clientCtx(),
    serverHostname: "localhost",
  });
  await asyncio.sleep(0.05);
  cvar.set("pauser");
  t.pauseReading();
  cvar.set("main");
  srv[0]!.t.write(Buffer.from("x1"));
  await asyncio.sleep(0.1);
  cvar.set("resumer");
  t.resumeReading();
  cvar.set("main");
  await asyncio.sleep(0.1);
  srv[0]!.t.write(Buffer.from("x2"));
  await asyncio.sleep(0.1);
  srv[0]!.t.close();
  await p.done;
  server.close();
  await server.waitClosed();
});
removeCerts();
