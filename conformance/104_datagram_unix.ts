/**
 * Twin of 104_datagram_unix.py: UDP endpoints and Unix domain sockets. (The stale socket file
 * is made by a child process that exits without closing its listening socket.)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const b = (s: string) => Buffer.from(s, "latin1");
const sameAddr = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

class Udp extends asyncio.DatagramProtocol {
  events: string[] = [];
  transport: asyncio.DatagramTransport | null = null;
  got = new asyncio.Queue<[Buffer | null, unknown]>();
  lost = asyncio.getRunningLoop().createFuture<Error | null>();
  constructor(readonly echo = false) {
    super();
  }
  override connectionMade(transport: asyncio.DatagramTransport): void {
    this.transport = transport;
    this.events.push("connection_made");
  }
  override datagramReceived(data: Buffer, addr: asyncio.Address): void {
    this.events.push(`datagram_received ${repr(data)}`);
    if (this.echo) this.transport!.sendto(b(data.toString("latin1").toUpperCase()), addr);
    this.got.putNowait([data, addr]);
  }
  override errorReceived(exc: Error): void {
    this.events.push(`error_received ${exc.name} errno=${(exc as asyncio.OSError).errno}`);
    this.got.putNowait([null, exc]);
  }
  override connectionLost(exc: Error | null): void {
    this.events.push(`connection_lost ${repr(exc)}`);
    this.lost.setResult(exc);
  }
}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const [st, sp] = await loop.createDatagramEndpoint(() => new Udp(true), {
    localAddr: ["127.0.0.1", 0],
  });
  const addr = st.getExtraInfo("sockname") as [string, number];
  print("server sockname host:", addr[0], "| peername:", st.getExtraInfo("peername"));
  const [ct, cp] = await loop.createDatagramEndpoint(() => new Udp(), { remoteAddr: addr });
  print(
    "client peername is the server:",
    sameAddr(ct.getExtraInfo("peername"), addr),
    "| socket type:",
    (ct.getExtraInfo("socket") as asyncio.socket.TransportSocket).type,
  );
  ct.sendto(b("ping"));
  const [data, frm] = await cp.got.get();
  print("echo:", data, "| from the server:", sameAddr(frm, addr));
  ct.sendto(b("again"), addr);
  print("echo:", (await cp.got.get())[0]);
  try {
    ct.sendto(b("x"), ["127.0.0.1", 9]);
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print(
      "other address:",
      e.name,
      e.message === `Invalid address: must be None or ('127.0.0.1', ${addr[1]})`,
    );
  }
  try {
    ct.sendto("text" as never);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    print("sendto(str):", e.name, e.message);
  }
  print("write buffer:", ct.getWriteBufferSize(), "| is_closing:", ct.isClosing());
  st.close();
  print("server lost:", repr(await sp.lost), "| server events:", sp.events);
  let exc: unknown = null;
  for (let i = 0; i < 50; i++) {
    ct.sendto(b("anyone?"));
    const [d, e] = await asyncio.waitFor(cp.got.get(), 1);
    if (d === null) {
      exc = e;
      break;
    }
  }
  print(
    "after the server went away:",
    (exc as Error).name,
    (exc as asyncio.OSError).errno,
    "| still open:",
    !ct.isClosing(),
  );
  ct.close();
  print("client lost:", repr(await cp.lost));
  print("client events:", cp.events.slice(0, 3), "...", cp.events.slice(-2));
  try {
    await loop.createDatagramEndpoint(() => new Udp());
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print("no address:", e.name, e.message);
  }

  const d = mkdtempSync(join(tmpdir(), "asyncio-ts-104-"));
  try {
    const path = join(d, "s.sock");
    const seen: [boolean, unknown][] = [];
    const handle = async (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) => {
      seen.push([writer.getExtraInfo("sockname") === path, writer.getExtraInfo("peername")]);
      writer.write(await reader.readline());
      writer.close();
    };
    let server = await asyncio.startUnixServer(handle, path);
    print(
      "unix server sockname is the path:",
      server.sockets[0]!.getsockname() === path,
      "| family:",
      server.sockets[0]!.family === asyncio.socket.AF_UNIX,
    );
    const [r, w] = await asyncio.openUnixConnection(path);
    print(
      "client peername is the path:",
      w.getExtraInfo("peername") === path,
      "| sockname:",
      repr(w.getExtraInfo("sockname")),
    );
    w.write(b("unix line\n"));
    const echoed = await r.read();
    print(
      "echo:",
      echoed,
      "| server saw:",
      `[(${seen.map(([x, y]) => `${x ? "True" : "False"}, ${repr(y)}`).join("), (")})]`,
    );
    w.close();
    await w.waitClosed();
    server.close();
    await server.waitClosed();
    print("socket file after close:", existsSync(path));
    const script = `require("net").createServer().listen(${JSON.stringify(path)}, () => process.exit(0))`;
    spawnSync(process.execPath, ["-e", script]);
    print("stale socket file exists:", existsSync(path));
    server = await asyncio.startUnixServer(handle, path);
    print("server on the stale path serving:", server.isServing());
    server.close();
    await server.waitClosed();
    try {
      await asyncio.openUnixConnection(path);
    } catch (e) {
      if (!(e instanceof asyncio.FileNotFoundError)) throw e;
      print("connect to a removed path:", e.name, e.message);
    }
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

await asyncio.run(main);
