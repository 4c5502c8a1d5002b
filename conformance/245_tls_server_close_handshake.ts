/**
 * Twin of 245_tls_server_close_handshake.py: a TLS server's connections still in their
 * handshake; waitClosed() waits for them, closeClients()/abortClients() drop them.
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";
import { portOf, removeCerts, serverCtx } from "./_tls.ts";

try {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    for (const how of ["close", "close+close_clients", "close+abort_clients"]) {
      const srv = await asyncio.startServer(() => print("handled"), "127.0.0.1", 0, {
        ssl: serverCtx(),
        sslHandshakeTimeout: 0.5,
      });
      const [r, w] = await asyncio.openConnection("127.0.0.1", portOf(srv)); // plain, silent
      await asyncio.sleep(0.05);
      let t0 = loop.time();
      srv.close();
      if (how === "close+close_clients") srv.closeClients();
      else if (how === "close+abort_clients") srv.abortClients();
      await srv.waitClosed();
      print(how, ": wait_closed took >= 0.4 s:", loop.time() - t0 >= 0.4);
      t0 = loop.time();
      print("  client read:", await r.read(), "after >= 0.4 s:", loop.time() - t0 >= 0.4);
      w.close();
    }
  });
} finally {
  removeCerts();
}
