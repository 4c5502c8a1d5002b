/** Twin of 314_datagram_abort_context.py: A datagram transport's connection_lost after abort() runs in the aborter's context. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const cvar = new asyncio.ContextVar<string>("var", { default: "unset" });
class P extends asyncio.DatagramProtocol {
  done = asyncio.getRunningLoop().createFuture<void>();
  override connectionLost(exc: Error | null) {
    print("connection_lost sees", cvar.get(), exc);
    this.done.setResult(undefined);
  }
}
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  cvar.set("maker");
  const [t, p] = await loop.createDatagramEndpoint(() => new P(), { localAddr: ["127.0.0.1", 0] });
  cvar.set("aborter");
  t.abort();
  cvar.set("main");
  await (p as P).done;
});
