/**
 * Twin of 306_udp_broadcast_host.py: sendto() to the host "<broadcast>" is INADDR_BROADCAST for
 * AF_INET (refused without allowBroadcast, so nothing is sent), an OSError for AF_INET6.
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

class P extends asyncio.DatagramProtocol {
  override errorReceived(exc: Error): void {
    print("error_received", exc.name, exc.message);
  }
}

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  for (const [family, host] of [
    [asyncio.socket.AF_INET, "127.0.0.1"],
    [asyncio.socket.AF_INET6, "::1"],
  ] as const) {
    const [t] = await loop.createDatagramEndpoint(() => new P(), { localAddr: [host, 0], family });
    t.sendto(Buffer.from("aaaa"), ["<broadcast>", 9]);
    await asyncio.sleep(0.05);
    t.close();
  }
});
