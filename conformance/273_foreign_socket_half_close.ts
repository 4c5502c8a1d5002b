/** Twin of 273_foreign_socket_half_close.py. */
// biome-ignore-all lint/suspicious/noExplicitAny: a scenario twin, written as loosely as the Python it mirrors
import * as net from "node:net";
import { pyRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const B = (s: string) => Buffer.from(s);
const r = (x: unknown) => pyRepr(x ?? null);

class Server extends asyncio.Protocol {
  t: any;
  lost = asyncio.getRunningLoop().createFuture();
  constructor(public log: string[]) {
    super();
  }
  override connectionMade(t: any) {
    this.t = t;
    t.write(B("hi"));
    t.writeEof();
    this.log.push("S made");
  }
  override dataReceived(d: Uint8Array) {
    this.log.push(`S data ${r(Buffer.from(d))}`);
    this.t.close();
  }
  override eofReceived() {
    this.log.push("S eof");
    return undefined;
  }
  override connectionLost(exc: unknown) {
    this.log.push(`S lost ${r(exc)}`);
    this.lost.setResult(null);
  }
}
class Client extends asyncio.Protocol {
  t: any;
  lost = asyncio.getRunningLoop().createFuture();
  constructor(
    public log: string[],
    public keep: boolean | null,
  ) {
    super();
  }
  override connectionMade(t: any) {
    this.t = t;
    this.log.push("C made");
  }
  override dataReceived(d: Uint8Array) {
    this.log.push(`C data ${r(Buffer.from(d))}`);
  }
  override eofReceived() {
    this.log.push(`C eof closing=${this.t.isClosing() ? "True" : "False"}`);
    this.t.write(B("reply"));
    this.log.push(
      `C after write closing=${this.t.isClosing() ? "True" : "False"} buf=${this.t.getWriteBufferSize()}`,
    );
    return this.keep ?? undefined;
  }
  override connectionLost(exc: unknown) {
    this.log.push(`C lost ${r(exc)}`);
    this.lost.setResult(null);
  }
}
async function main() {
  const loop = asyncio.getRunningLoop();
  for (const keep of [true, null]) {
    const slog: string[] = [],
      clog: string[] = [];
    const servers: Server[] = [];
    const srv = await loop.createServer(
      () => {
        const s = new Server(slog);
        servers.push(s);
        return s;
      },
      "127.0.0.1",
      0,
    );
    const port = srv.sockets[0]!.getsockname()[1];
    const sock = await new Promise<net.Socket>((res) => {
      const s = net.connect({ host: "127.0.0.1", port }, () => res(s));
    });
    const [t, p] = (await loop.createConnection(() => new Client(clog, keep), null, null, {
      sock,
    })) as [any, Client];
    while (servers.length === 0) await asyncio.sleep(0.01);
    await servers[0]!.lost;
    clog.push(`C closing=${t.isClosing() ? "True" : "False"}`);
    t.close();
    await p.lost;
    print("keep", keep === null ? "None" : "True");
    print("  client", clog);
    print("  server", slog);
    srv.close();
    await srv.waitClosed();
  }
}
await asyncio.run(main);
