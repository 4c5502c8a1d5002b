/** Twin of 315_datagram_close_context.py: A datagram transport's connection_lost after close() (right after a sendto) runs in the closer's context. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const cvar = new asyncio.ContextVar<string>("var", { default: "unset" });
class P extends asyncio.DatagramProtocol {
  done = asyncio.getRunningLoop().createFuture<void>();
  override errorReceived(exc: Error) {
    print("error_received", exc.name, "sees", cvar.get());
  }
  override connectionLost(exc: Error | null) {
    print("connection_lost sees", cvar.get(), exc);
    this.done.setResult(undefined);
  }
}
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  cvar.set("maker");
  let [t, p] = await loop.createDatagramEndpoint(() => new P(), { localAddr: ["127.0.0.1", 0] });
  cvar.set("sender");
  t.sendto(Buffer.from("x"), ["127.0.0.1", 9]);
  cvar.set("closer");
  t.close();
  cvar.set("main");
  await (p as P).done;
  cvar.set("maker");
  [t, p] = await loop.createDatagramEndpoint(() => new P(), { remoteAddr: ["127.0.0.1", 9] });
  cvar.set("sender");
  t.sendto(Buffer.from("x"));
  cvar.set("main");
  await asyncio.sleep(0.05);
  cvar.set("sender2");
  t.sendto(Buffer.from("x"));
  cvar.set("main");
  await asyncio.sleep(0.05);
  t.close();
  await (p as P).done;
});
