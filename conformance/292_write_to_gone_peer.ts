import * as asyncio from "../src/index.ts";
import { excArgs, print, str } from "./_py.ts";

class Client extends asyncio.Protocol {
  readonly lost = asyncio.getRunningLoop().createFuture<void>();
  t!: asyncio.Transport;
  override connectionMade(t: asyncio.BaseTransport): void {
    this.t = t as asyncio.Transport;
  }
  override dataReceived(d: Uint8Array): void {
    print("protocol data", d);
  }
  override eofReceived(): boolean {
    print("protocol eof");
    return true;
  }
  override connectionLost(exc: Error | null): void {
    print("protocol lost", exc === null ? "None" : excArgs(exc));
    this.lost.setResult();
  }
}

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const server = await asyncio.startServer(
    (_r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
      w.write(Buffer.from("hi"));
      w.close();
    },
    "127.0.0.1",
    0,
  );
  const port = (server.sockets[0]!.getsockname() as [string, number])[1];
  for (const mode of ["close", "drain now", "drain later", "writelines"]) {
    const [r, w] = await asyncio.openConnection("127.0.0.1", port);
    print(mode, "read", await r.read());
    w.write(Buffer.from("x"));
    await asyncio.sleep(0.1);
    if (mode === "writelines") w.writelines([Buffer.from("y"), Buffer.from("z")]);
    else w.write(Buffer.from("y"));
    if (mode === "drain later") await asyncio.sleep(0.05);
    if (mode.startsWith("drain")) {
      try {
        await w.drain();
        print(mode, "drain ok");
      } catch (e) {
        print(mode, "drain", excArgs(e));
      }
    }
    w.close();
    try {
      await w.waitClosed();
      print(mode, "wait_closed ok");
    } catch (e) {
      print(mode, "wait_closed", excArgs(e));
    }
  }

  const [t, c] = await loop.createConnection(() => new Client(), "127.0.0.1", port);
  await asyncio.sleep(0.1);
  t.write(Buffer.from("x"));
  await asyncio.sleep(0.1);
  print("protocol closing before the write", str(t.isClosing()));
  t.write(Buffer.from("y"));
  print("protocol closing after it", str(t.isClosing()));
  t.close();
  await asyncio.waitFor(c.lost, 5);
  server.close();
  await server.waitClosed();
});
