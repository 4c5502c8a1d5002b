/**
 * Twin of 297_tls_close_at_once.py: TLS peers that close right after the handshake; the other
 * end sees a clean EOF, and a Unix-socket server's connection is lost cleanly (it hung).
 */
import { mkdtempSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as asyncio from "../src/index.ts";
import { print, pyTuple, repr } from "./_py.ts";
import { clientCtx, portOf, removeCerts, serverCtx } from "./_tls.ts";

async function tcpClientCloses(): Promise<void> {
  const done = asyncio.getRunningLoop().createFuture<void>();
  const srv = await asyncio.startServer(
    async (r, w) => {
      try {
        print("S read", await r.read());
      } catch (e) {
        print("S read raised", (e as Error).name, pyTuple((e as { args: unknown[] }).args));
      }
      w.close();
      done.setResult();
    },
    "127.0.0.1",
    0,
    { ssl: serverCtx() },
  );
  const [, w] = await asyncio.openConnection("127.0.0.1", portOf(srv), {
    ssl: clientCtx(),
    serverHostname: "localhost",
  });
  w.close();
  await w.waitClosed();
  await done;
  srv.close();
  await srv.waitClosed();
}

class Writer extends asyncio.Protocol {
  readonly lost = asyncio.getRunningLoop().createFuture<void>();
  override connectionMade(t: asyncio.Transport): void {
    t.write(Buffer.from("hi"));
    print("S wrote");
  }
  override eofReceived(): void {
    print("S eof_received");
  }
  override connectionLost(exc: Error | null): void {
    print("S connection_lost", repr(exc));
    this.lost.setResult();
  }
}

async function unixClientCloses(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const d = mkdtempSync(join(tmpdir(), "tmp"));
  const path = join(d, "s.sock");
  const made: Writer[] = [];
  const srv = await loop.createUnixServer(
    () => {
      const w = new Writer();
      made.push(w);
      return w;
    },
    path,
    { ssl: serverCtx() },
  );
  const [t] = await loop.createUnixConnection(() => new asyncio.Protocol(), path, {
    ssl: clientCtx(),
    serverHostname: "localhost",
  });
  t.close();
  await asyncio.waitFor(made[0]!.lost, 5);
  srv.close();
  await asyncio.waitFor(srv.waitClosed(), 5);
  print("wait_closed ok");
  rmdirSync(d);
}

await asyncio.run(async () => {
  await tcpClientCloses();
  await unixClientCloses();
  removeCerts();
});
