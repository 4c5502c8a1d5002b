/** Twin of 318_tls_read_limit_resume_context.py: A TLS transport paused at its read limits: after resume_reading(), the socket's reading resumes in a copy of the resumer's context, and later reads run there. */
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
  const [t, p] = (await loop.createConnection(() => new C(), "127.0.0.1", portOf(server), {
    ssl: clientCtx(),
    serverHostname: "localhost",
  })) as [any, C];
  await asyncio.sleep(0.05);
  cvar.set("limiter");
  t.setReadBufferLimits(1);
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
