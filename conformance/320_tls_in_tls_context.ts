/** Twin of 320_tls_in_tls_context.py: TLS started inside TLS: the inner transport's callbacks run in the outer connection's reader context, not the upgrader's. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";
import { clientCtx, portOf, removeCerts, serverCtx } from "./_tls.ts";

const cvar = new asyncio.ContextVar<string>("var", { default: "unset" });
const srv: asyncio.Transport[] = [];
class S extends asyncio.Protocol {
  override connectionMade(t: asyncio.Transport) {
    srv.push(t);
  }
}
class P extends asyncio.Protocol {
  override dataReceived() {
    print("inner data_received sees", cvar.get());
  }
}
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const server = await loop.createServer(() => new S(), "127.0.0.1", 0, { ssl: serverCtx() });
  cvar.set("connector");
  const [t] = await loop.createConnection(
    () => new asyncio.Protocol(),
    "127.0.0.1",
    portOf(server),
    { ssl: clientCtx(), serverHostname: "localhost" },
  );
  await asyncio.sleep(0.05);
  const up = async () => {
    cvar.set("upgrader");
    return await loop.startTls(t, new P(), clientCtx(), { serverHostname: "localhost" });
  };
  const [ct, st] = await asyncio.gather([
    asyncio.createTask(up),
    loop.startTls(srv[0]!, new asyncio.Protocol(), serverCtx(), { serverSide: true }),
  ]);
  st.write(Buffer.from("hello"));
  await asyncio.sleep(0.05);
  ct.abort();
  st.abort();
  server.close();
});
removeCerts();
