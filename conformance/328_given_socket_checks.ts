/**
 * Twin of 328_given_socket_checks.py: a socket given as `sock` that already has a live
 * transport is refused ("File descriptor ... is used by transport ..."), and one that is closed
 * fails with OSError EBADF (createConnection and connectAcceptedSocket). Python's sockets are
 * Node `net.Socket`s here.
 */
import * as net from "node:net";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

class P extends asyncio.Protocol {
  constructor(readonly n: string) {
    super();
  }
  override connectionMade(): void {
    print(this.n, "made");
  }
  override dataReceived(d: Buffer): void {
    print(this.n, "data", d);
  }
  override connectionLost(e: Error | null): void {
    print(this.n, "lost", repr(e));
  }
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const c = net.connect(port, "127.0.0.1", () => resolve(c));
  });
}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const srv = await asyncio.startServer(
    async (_r, w) => {
      w.write(Buffer.from("hi"));
      await w.drain();
    },
    "127.0.0.1",
    0,
  );
  const port = (srv.sockets[0]!.getsockname() as [string, number])[1];
  let s = await connect(port);
  const [t1] = await loop.createConnection(() => new P("A"), null, null, { sock: s });
  try {
    await loop.createConnection(() => new P("B"), null, null, { sock: s });
    print("second: ok");
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    print(
      "second:",
      e.message.startsWith("File descriptor"),
      e.message.includes("is used by transport"),
    );
  }
  await asyncio.sleep(0.1);
  t1.close();
  await asyncio.sleep(0.05);
  for (const name of ["create_connection", "connect_accepted_socket"]) {
    s = await connect(port);
    s.destroy();
    try {
      const [t] =
        name === "create_connection"
          ? await loop.createConnection(() => new P("C"), null, null, { sock: s })
          : await loop.connectAcceptedSocket(() => new P("C"), s);
      print(name, "ok", t.isClosing());
    } catch (e) {
      if (!(e instanceof asyncio.OSError)) throw e;
      print(name, e.name, e.errno, e.strerror);
    }
  }
  srv.close();
  await srv.waitClosed();
}

await asyncio.run(main);
