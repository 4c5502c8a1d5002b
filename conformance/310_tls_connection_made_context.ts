/** Twin of 310_tls_connection_made_context.py: A TLS protocol's connection_made runs in the context its reads then run in: a value set there is seen by data_received. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";
import { clientCtx, portOf, removeCerts, serverCtx } from "./_tls.ts";

const cvar = new asyncio.ContextVar<string>("var", { default: "unset" });
class C extends asyncio.Protocol {
  override connectionMade() {
    cvar.set("set in connection_made");
  }
  override dataReceived() {
    print("data_received sees", cvar.get());
  }
}
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const server = await asyncio.startServer(
    async (r, w) => {
      w.write(Buffer.from("hi"));
      await w.drain();
      w.close();
    },
    "127.0.0.1",
    0,
    { ssl: serverCtx() },
  );
  const [t] = await loop.createConnection(() => new C(), "127.0.0.1", portOf(server), {
    ssl: clientCtx(),
    serverHostname: "localhost",
  });
  await asyncio.sleep(0.1);
  t.close();
  server.close();
  await server.waitClosed();
});
removeCerts();
