/**
 * Twin of 242_tls_start_tls.py: upgrading a plain connection with StreamWriter.startTls (both
 * ends) and loop.startTls (no server_hostname: no host name check), a certificate that does not
 * verify during the upgrade, and what the old transport looks like afterwards.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";
import { clientCtx, msg, portOf, removeCerts, serverCtx } from "./_tls.ts";

const { ssl } = asyncio;
function tuple(items: unknown[]): string {
  return `(${items.map((x) => repr(x)).join(", ")})`;
}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const log: string[] = [];

  const handle = async (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) => {
    const line = await reader.readline();
    log.push(tuple(["server got", line]));
    writer.write(Buffer.from("GO\n"));
    await writer.drain();
    try {
      await writer.startTls(serverCtx());
    } catch (e) {
      log.push(tuple(["server start_tls failed", (e as Error).name]));
      writer.close();
      return;
    }
    log.push(
      tuple([
        "server upgraded, peercert",
        writer.getExtraInfo("peercert"),
        "cipher",
        writer.getExtraInfo("cipher") !== null && writer.getExtraInfo("cipher") !== undefined,
      ]),
    );
    const l2 = await reader.readline();
    writer.write(Buffer.from(l2.toString().toUpperCase()));
    await writer.drain();
    log.push(tuple(["server rest", await reader.read()]));
    writer.close();
    await writer.waitClosed();
  };

  const server = await asyncio.startServer(handle, "127.0.0.1", 0);
  const port = portOf(server);
  let [r, w] = await asyncio.openConnection("127.0.0.1", port);
  print("before: cipher", w.getExtraInfo("cipher") ?? null, "| can_write_eof", w.canWriteEof());
  const old = w.transport;
  w.write(Buffer.from("STARTTLS\n"));
  print("reply:", await r.readline());
  await w.startTls(clientCtx(), { serverHostname: "localhost" });
  print(
    "after: same transport:",
    w.transport === old,
    "| old closing:",
    old.isClosing(),
    "| cipher:",
    w.getExtraInfo("cipher") !== null && w.getExtraInfo("cipher") !== undefined,
    "| can_write_eof",
    w.canWriteEof(),
    "| peername ok:",
    (w.getExtraInfo("peername") as [string, number])[1] === port,
  );
  w.write(Buffer.from("secret\n"));
  print("echo:", await r.readline());
  w.write(Buffer.from("end"));
  w.close();
  await w.waitClosed();
  await asyncio.sleep(0.05);
  for (const e of log) print("  ", e);

  log.length = 0;
  [r, w] = await asyncio.openConnection("127.0.0.1", port);
  w.write(Buffer.from("STARTTLS\n"));
  await r.readline();
  try {
    await w.startTls(ssl.createDefaultContext(), { serverHostname: "localhost" });
  } catch (e) {
    print("start_tls bad cert:", (e as Error).name, msg(e));
  }
  print("transport closing:", w.transport.isClosing());
  w.close();
  await asyncio.sleep(0.1);
  for (const e of log) print("  ", e);

  class P extends asyncio.Protocol {
    got: Buffer[] = [];
    done = loop.createFuture<null>();
    override connectionMade(): void {
      print("P.connection_made");
    }
    override dataReceived(data: Buffer): void {
      this.got.push(data);
      if (data.includes(10) && !this.done.done()) this.done.setResult(null);
    }
    override eofReceived(): undefined {
      // Not printed: see the .py (CPython calls it during its TLS shutdown wait).
      return undefined;
    }
    override connectionLost(exc: Error | null): void {
      print("P.connection_lost", exc);
    }
  }

  const [tr, p] = await loop.createConnection(() => new P(), "127.0.0.1", port);
  tr.write(Buffer.from("STARTTLS\n"));
  await p.done;
  print("plain got:", Buffer.concat(p.got));
  p.got = [];
  p.done = loop.createFuture<null>();
  const tls = await loop.startTls(tr, p, clientCtx(), { serverHostname: null });
  print(
    "tls transport is new:",
    tls !== tr,
    "| old closing:",
    tr.isClosing(),
    "| tls.can_write_eof:",
    tls.canWriteEof(),
    "| protocol:",
    tls.getProtocol() === p,
  );
  tls.write(Buffer.from("proto\n"));
  await p.done;
  print("tls got:", Buffer.concat(p.got));
  tls.close();
  print("closing:", tls.isClosing());
  await asyncio.sleep(0.1);
  server.close();
  await server.waitClosed();
  print("done");
}

await asyncio.run(main);
removeCerts();
