/** Twin of 316_datagram_fatal_sendto_context.py: A datagram transport's connection_lost after a fatal error in sendto() runs in the sender's context. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const cvar = new asyncio.ContextVar<string>("var", { default: "unset" });
class P extends asyncio.DatagramProtocol {
  override connectionLost(exc: Error | null) {
    print("connection_lost sees", cvar.get(), exc?.name);
  }
}
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  loop.setExceptionHandler(() => print("handler sees", cvar.get()));
  cvar.set("maker");
  const [t] = await loop.createDatagramEndpoint(() => new P(), { localAddr: ["127.0.0.1", 0] });
  cvar.set("sender");
  t.sendto(Buffer.from("x"), null);
  cvar.set("main");
  await asyncio.sleep(0.05);
});
