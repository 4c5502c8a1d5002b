import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

class Empty extends asyncio.BufferedProtocol {
  override getBuffer(_hint: number): Uint8Array {
    return new Uint8Array(0);
  }
  override bufferUpdated(_n: number): void {}
}

class Raises extends asyncio.BufferedProtocol {
  override getBuffer(_hint: number): Uint8Array {
    throw new asyncio.ValueError("no buffer");
  }
  override bufferUpdated(_n: number): void {}
}

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  loop.setExceptionHandler((_l, ctx) => print("handler:", ctx.message, repr(ctx.exception)));
  for (const proto of [Empty, Raises]) {
    const server = await loop.createServer(() => new proto(), "127.0.0.1", 0);
    const port = (server.sockets[0]!.getsockname() as [string, number])[1];
    const [r, w] = await asyncio.openConnection("127.0.0.1", port);
    w.write(Buffer.from("abc"));
    try {
      print(proto.name, "read", await r.read());
    } catch (e) {
      print(proto.name, "read:", (e as Error).name);
    }
    w.close();
    try {
      await w.waitClosed();
    } catch (e) {
      print(proto.name, "wait_closed:", (e as Error).name);
    }
    server.close();
    await server.waitClosed();
  }
});
