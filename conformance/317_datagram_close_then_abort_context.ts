/** Twin of 317_datagram_close_then_abort_context.py: close() right after sendto(), then abort(): a datagram transport's connection_lost runs in the closer's context (close() scheduled it). */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const cvar = new asyncio.ContextVar<string>("var", { default: "unset" });
class P extends asyncio.DatagramProtocol {
  override connectionLost() {
    print("connection_lost sees", cvar.get());
  }
}
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const [t] = await loop.createDatagramEndpoint(() => new P(), { localAddr: ["127.0.0.1", 0] });
  t.sendto(Buffer.from("x"), ["127.0.0.1", 9]);
  cvar.set("closer");
  t.close();
  cvar.set("aborter");
  t.abort();
  cvar.set("main");
  await asyncio.sleep(0.05);
});
