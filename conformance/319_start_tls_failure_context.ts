/** Twin of 319_start_tls_failure_context.py: A failed start_tls() handshake: the protocol's connection_lost runs in a copy of the start_tls() caller's context. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";
import { portOf, removeCerts, serverCtx } from "./_tls.ts";

const cvar = new asyncio.ContextVar<string>("var", { default: "unset" });
const srv: asyncio.Transport[] = [];
class S extends asyncio.Protocol {
  override connectionMade(t: asyncio.Transport) {
    srv.push(t);
  }
}
class P extends asyncio.Protocol {
  override connectionLost(exc: Error | null) {
    print("connection_lost sees", cvar.get(), exc?.name);
  }
}
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const server = await loop.createServer(() => new S(), "127.0.0.1", 0);
  cvar.set("connector");
  const [t] = await loop.createConnection(
    () => new asyncio.Protocol(),
    "127.0.0.1",
    portOf(server),
  );
  await asyncio.sleep(0.05);
  const up = async () => {
    cvar.set("upgrader");
    try {
      await loop.startTls(t, new P(), asyncio.ssl.createDefaultContext(), {
        serverHostname: "localhost",
      });
    } catch (e) {
      print("start_tls:", (e as Error).name);
    }
  };
  const upSrv = async () => {
    try {
      await loop.startTls(srv[0]!, new asyncio.Protocol(), serverCtx(), { serverSide: true });
    } catch {}
  };
  await asyncio.gather([asyncio.createTask(up), asyncio.createTask(upSrv)]);
  await asyncio.sleep(0.05);
  server.close();
});
removeCerts();
