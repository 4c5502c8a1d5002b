/**
 * Twin of 286_tls_protocol_edges.py: startTls cancelled by waitFor (no connectionLost, a
 * stream's reader gets no EOF), startTls with a context for the other side (SSLError(0, ...),
 * the transport untouched), a TLS protocol whose connectionMade raises (client and server),
 * peercert of an unverified certificate, a BufferedProtocol failing over TLS, the TLS
 * transport's write and read buffer limits, writelines() of an item that is not bytes-like,
 * abort() two iterations before connectionLost, and isReading() after close().
 */

import { customRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";
import { clientCtx, msg, portOf, removeCerts, serverCtx } from "./_tls.ts";

const { ssl } = asyncio;
asyncio.logger.addHandler((r) => print("log", r.levelname, r.message));

/** A Python tuple, as repr() shows it. */
function T(...items: unknown[]): unknown {
  const inner = items.map((x) => repr(x)).join(", ");
  return { [customRepr]: () => `(${inner}${items.length === 1 ? "," : ""})` };
}

function unverifiedCtx(): asyncio.ssl.SSLContext {
  const c = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  c.checkHostname = false;
  c.verifyMode = ssl.CERT_NONE;
  return c;
}

function exc(e: unknown): string {
  return `${(e as Error).name}(${repr(msg(e))})`;
}

class P extends asyncio.Protocol {
  tr: asyncio.Transport | null = null;
  received: asyncio.Future<Uint8Array> | null = null;
  constructor(
    readonly log: unknown[],
    readonly fail: string | null = null,
  ) {
    super();
  }
  override connectionMade(tr: asyncio.BaseTransport): void {
    this.tr = tr as asyncio.Transport;
    this.log.push("made");
    if (this.fail === "made") throw new asyncio.ValueError("boom made");
  }
  override dataReceived(d: Uint8Array): void {
    this.log.push(T("data", Buffer.from(d)));
    if (this.received !== null && !this.received.done()) this.received.setResult(d);
  }
  override eofReceived(): boolean | undefined {
    this.log.push("eof");
    return undefined;
  }
  override connectionLost(e: Error | null): void {
    this.log.push(T("lost", e ? exc(e) : null));
  }
}

class B extends asyncio.BufferedProtocol {
  buf = new Uint8Array(3);
  constructor(
    readonly log: unknown[],
    readonly fail: string,
  ) {
    super();
  }
  override connectionMade(): void {
    this.log.push("made");
  }
  override getBuffer(_n: number): Uint8Array {
    if (this.fail === "get_buffer") throw new asyncio.ValueError("boom get_buffer");
    if (this.fail === "str") return "abc" as unknown as Uint8Array;
    return this.buf;
  }
  override bufferUpdated(n: number): void {
    this.log.push(T("updated", Buffer.from(this.buf.subarray(0, n))));
    if (this.fail === "buffer_updated") throw new asyncio.ValueError("boom buffer_updated");
  }
  override connectionLost(e: Error | null): void {
    this.log.push(T("lost", e ? exc(e) : null));
  }
}

class Echo extends asyncio.Protocol {
  tr: asyncio.Transport | null = null;
  override connectionMade(tr: asyncio.BaseTransport): void {
    this.tr = tr as asyncio.Transport;
  }
  override dataReceived(d: Uint8Array): void {
    this.tr!.write(d);
  }
}

/** A TLS server protocol that says hello and keeps the connection. */
class Hello extends asyncio.Protocol {
  override connectionMade(tr: asyncio.BaseTransport): void {
    (tr as asyncio.Transport).write(Buffer.from("hello"));
  }
}

type TlsTransport = asyncio.Transport & {
  getReadBufferLimits(): [number, number];
  setReadBufferLimits(high?: number | null, low?: number | null): void;
  getReadBufferSize(): number;
};

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const msgs: unknown[] = [];
  loop.setExceptionHandler((_l, ctx) =>
    msgs.push(T(ctx.message, (ctx.exception as Error | undefined)?.name ?? "NoneType")),
  );
  const showMsgs = () => {
    print("  handler:", msgs);
    msgs.length = 0;
  };

  const echo = await loop.createServer(() => new Echo(), "127.0.0.1", 0);
  const echoPort = portOf(echo);
  const silent = await loop.createServer(() => new asyncio.Protocol(), "127.0.0.1", 0);
  const silentPort = portOf(silent);
  const hello = await loop.createServer(() => new Hello(), "127.0.0.1", 0, { ssl: serverCtx() });
  const helloPort = portOf(hello);
  const quiet = await loop.createServer(() => new asyncio.Protocol(), "127.0.0.1", 0, {
    ssl: serverCtx(),
  });
  const quietPort = portOf(quiet);

  print("-- a context for the other side");
  try {
    await loop.createConnection(() => new P([]), "127.0.0.1", echoPort, { ssl: serverCtx() });
  } catch (e) {
    print(
      "create_connection(ssl=server ctx):",
      (e as Error).name,
      (e as asyncio.OSError).errno,
      msg(e),
    );
  }
  {
    const log: unknown[] = [];
    const [tr, pr] = await loop.createConnection(() => new P(log), "127.0.0.1", echoPort);
    for (const [label, ctx, serverSide] of [
      ["server_side client ctx", clientCtx(), true],
      ["client side server ctx", serverCtx(), false],
    ] as const) {
      try {
        await loop.startTls(tr, pr, ctx, { serverSide });
      } catch (e) {
        print(`start_tls ${label}:`, (e as Error).name, (e as asyncio.OSError).errno, msg(e));
      }
      print("  is_closing:", tr.isClosing(), "| is_reading:", tr.isReading());
    }
    pr.received = loop.createFuture();
    tr.write(Buffer.from("still open"));
    print("  echoed:", Buffer.from(await pr.received));
    tr.close();
    await asyncio.sleep(0.05);
    print("  log:", log);
  }

  print("-- start_tls cancelled");
  {
    const log: unknown[] = [];
    const [tr, pr] = await loop.createConnection(() => new P(log), "127.0.0.1", silentPort);
    try {
      await asyncio.waitFor(
        loop.startTls(tr, pr, clientCtx(), { serverHostname: "localhost" }),
        0.2,
      );
    } catch (e) {
      if (!(e instanceof asyncio.TimeoutError)) throw e;
      print("loop.start_tls: TimeoutError | is_closing:", tr.isClosing());
    }
    await asyncio.sleep(0.1);
    print("  log:", log);
    const [r, w] = await asyncio.openConnection("127.0.0.1", silentPort);
    try {
      await asyncio.waitFor(w.startTls(clientCtx(), { serverHostname: "localhost" }), 0.2);
    } catch (e) {
      if (!(e instanceof asyncio.TimeoutError)) throw e;
      print("writer.start_tls: TimeoutError | is_closing:", w.isClosing());
    }
    await asyncio.sleep(0.1);
    print("  at_eof:", r.atEof(), "| exception:", r.exception());
    for (const [label, aw] of [
      ["read", r.read()],
      ["wait_closed", w.waitClosed()],
    ] as const) {
      try {
        await asyncio.waitFor(aw, 0.1);
        print(" ", label, "returned");
      } catch (e) {
        if (!(e instanceof asyncio.TimeoutError)) throw e;
        print(" ", `${label}: TimeoutError`);
      }
    }
  }

  print("-- connection_made raises");
  {
    const log: unknown[] = [];
    try {
      await loop.createConnection(() => new P(log, "made"), "127.0.0.1", helloPort, {
        ssl: clientCtx(),
        serverHostname: "localhost",
      });
    } catch (e) {
      print("client: create_connection raised", exc(e));
    }
    await asyncio.sleep(0.05);
    print("  log:", log);
    showMsgs();
    const slog: unknown[] = [];
    const srv = await loop.createServer(() => new P(slog, "made"), "127.0.0.1", 0, {
      ssl: serverCtx(),
    });
    const [r, w] = await asyncio.openConnection("127.0.0.1", portOf(srv), {
      ssl: clientCtx(),
      serverHostname: "localhost",
    });
    print("server: the client reads", Buffer.from(await r.read()));
    await asyncio.sleep(0.05);
    print("  server log:", slog);
    showMsgs();
    w.close();
    srv.close();
    await srv.waitClosed();
  }

  print("-- peercert");
  {
    const sides: asyncio.Transport[] = [];
    class Keep extends asyncio.Protocol {
      override connectionMade(tr: asyncio.BaseTransport): void {
        sides.push(tr as asyncio.Transport);
      }
    }
    const srv = await loop.createServer(() => new Keep(), "127.0.0.1", 0, { ssl: serverCtx() });
    for (const [label, ctx] of [
      ["CERT_NONE", unverifiedCtx()],
      ["verified", clientCtx()],
    ] as const) {
      const [tr] = await loop.createConnection(() => new P([]), "127.0.0.1", portOf(srv), {
        ssl: ctx,
        serverHostname: "localhost",
      });
      const cert = tr.getExtraInfo("peercert") as object | null;
      print(
        `${label}:`,
        cert !== null && Object.keys(cert).length === 0
          ? "{}"
          : cert
            ? "a certificate"
            : repr(cert),
      );
      tr.close();
    }
    await asyncio.sleep(0.05);
    print("server side (no client certificate):", sides[0]!.getExtraInfo("peercert"));
    srv.close();
    await srv.waitClosed();
  }

  print("-- BufferedProtocol over TLS");
  for (const fail of ["get_buffer", "str", "buffer_updated"]) {
    const log: unknown[] = [];
    const [tr] = await loop.createConnection(() => new B(log, fail), "127.0.0.1", helloPort, {
      ssl: clientCtx(),
      serverHostname: "localhost",
    });
    await asyncio.sleep(0.2);
    print(fail, "| log:", log, "| is_closing:", tr.isClosing());
    showMsgs();
  }

  print("-- buffer limits");
  {
    const log: unknown[] = [];
    const flow: unknown[] = [];
    class F extends P {
      override pauseWriting(): void {
        flow.push(T("pause", this.tr!.getWriteBufferSize()));
      }
      override resumeWriting(): void {
        flow.push(T("resume", this.tr!.getWriteBufferSize()));
      }
    }
    const [t] = await loop.createConnection(() => new F(log), "127.0.0.1", helloPort, {
      ssl: clientCtx(),
      serverHostname: "localhost",
    });
    const tr = t as TlsTransport;
    print("write limits:", T(...tr.getWriteBufferLimits()));
    for (const args of [[100], [null, 10], [0], [0, 0], [10, 100], [null]] as [
      number | null,
      number?,
    ][]) {
      try {
        tr.setWriteBufferLimits(...args);
        print(
          "set_write_buffer_limits",
          T(...args),
          "->",
          T(...tr.getWriteBufferLimits()),
          "| log",
          flow,
        );
      } catch (e) {
        print("set_write_buffer_limits", T(...args), exc(e));
      }
    }
    print("read limits:", T(...tr.getReadBufferLimits()), "| size:", tr.getReadBufferSize());
    for (const args of [[1000], [null, 10], [10, 100], [-1], []] as [number | null, number?][]) {
      try {
        tr.setReadBufferLimits(...args);
        print("set_read_buffer_limits", T(...args), "->", T(...tr.getReadBufferLimits()));
      } catch (e) {
        print("set_read_buffer_limits", T(...args), exc(e));
      }
    }
    tr.close();
    print("after close: is_closing", tr.isClosing(), "| is_reading", tr.isReading());
    for (let i = 0; i < 7; i++) tr.write(Buffer.from("x"));
    await asyncio.sleep(0.05);
  }

  print("-- writelines");
  {
    const log: unknown[] = [];
    const [tr] = await loop.createConnection(() => new P(log), "127.0.0.1", quietPort, {
      ssl: clientCtx(),
      serverHostname: "localhost",
    });
    tr.writelines([Buffer.from("a"), "b" as unknown as Uint8Array]);
    print("writelines([b'a', 'b']): no error | is_closing:", tr.isClosing());
    await asyncio.sleep(0.05);
    print("  log:", log, "| is_closing:", tr.isClosing());
    showMsgs();
  }

  print("-- abort");
  {
    const log: unknown[] = [];
    const [tr] = await loop.createConnection(() => new P(log), "127.0.0.1", helloPort, {
      ssl: clientCtx(),
      serverHostname: "localhost",
    });
    await asyncio.sleep(0.05);
    tr.abort();
    print("abort: is_closing", tr.isClosing(), "| log", log);
    await asyncio.sleep(0);
    print("  after 1 iteration:", log);
    await asyncio.sleep(0);
    print("  after 2 iterations:", log);
    for (let i = 0; i < 7; i++) tr.write(Buffer.from("x"));
    showMsgs();
  }

  for (const s of [echo, silent, hello, quiet]) {
    s.close();
    s.closeClients();
    await s.waitClosed();
  }
}

await asyncio.run(main);
removeCerts();
