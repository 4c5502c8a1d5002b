/** Twin of 313_datagram_resume_context.py: A datagram transport's reads after resume_reading() run in the resumer's context. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const cvar = new asyncio.ContextVar<string>("var", { default: "unset" });
class P extends asyncio.DatagramProtocol {
  override datagramReceived(d: Uint8Array) {
    print("datagram_received", d, "sees", cvar.get());
  }
}
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const [rt] = await loop.createDatagramEndpoint(() => new P(), { localAddr: ["127.0.0.1", 0] });
  const [st] = await loop.createDatagramEndpoint(() => new asyncio.DatagramProtocol(), {
    remoteAddr: rt.getExtraInfo("sockname"),
  });
  rt.pauseReading();
  st.sendto(Buffer.from("x"));
  await asyncio.sleep(0.05);
  cvar.set("resumer");
  rt.resumeReading();
  cvar.set("main");
  await asyncio.sleep(0.05);
  rt.close();
  st.close();
});
