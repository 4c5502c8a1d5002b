/**
 * Twin of 240_tls_argument_checks.py: the ValueError/TypeError messages for TLS arguments given
 * without `ssl`, non-positive handshake/shutdown timeouts, `ssl=True` for a server, `startTls`
 * without an SSLContext, and a port that is a float (truncated, as CPython's socket module does).
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const { ssl } = asyncio;

function show(label: string, e: unknown): void {
  print(label, (e as Error).name, (e as Error).message);
}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const proto = () => new asyncio.Protocol();
  const srv = await loop.createServer(proto, "127.0.0.1", 0);
  const port = (srv.sockets[0].getsockname() as [string, number])[1];
  const ctx = ssl.createDefaultContext();
  const cases: [string, Record<string, unknown>][] = [
    ["server_hostname no ssl", { serverHostname: "x" }],
    ["handshake_timeout no ssl", { sslHandshakeTimeout: 1 }],
    ["shutdown_timeout no ssl", { sslShutdownTimeout: 1 }],
    ["handshake_timeout 0", { ssl: ctx, sslHandshakeTimeout: 0 }],
    ["handshake_timeout -1", { ssl: ctx, sslHandshakeTimeout: -1 }],
    ["shutdown_timeout 0", { ssl: ctx, sslShutdownTimeout: 0 }],
    ["shutdown_timeout -2.5", { ssl: ctx, sslShutdownTimeout: -2.5 }],
  ];
  for (const [label, kw] of cases) {
    try {
      await loop.createConnection(proto, "127.0.0.1", port, kw);
      print(label, "connected");
    } catch (e) {
      show(`create_connection ${label}`, e);
    }
  }
  const serverCases: [string, Record<string, unknown>][] = [
    ["ssl=True", { ssl: true }],
    ["handshake_timeout no ssl", { sslHandshakeTimeout: 1 }],
    ["shutdown_timeout no ssl", { sslShutdownTimeout: 1 }],
    [
      "handshake_timeout 0",
      { ssl: new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER), sslHandshakeTimeout: 0 },
    ],
  ];
  for (const [label, kw] of serverCases) {
    try {
      const s = await loop.createServer(proto, "127.0.0.1", 0, kw);
      print("create_server", label, "served");
      s.close();
    } catch (e) {
      show(`create_server ${label}`, e);
    }
  }
  const calls: [string, () => Promise<unknown>][] = [
    [
      "open_connection server_hostname no ssl",
      async () => await asyncio.openConnection("127.0.0.1", port, { serverHostname: "x" }),
    ],
    [
      "start_server ssl=True",
      async () =>
        await asyncio.startServer(() => {}, "127.0.0.1", 0, {
          ssl: true as unknown as asyncio.ssl.SSLContext,
        }),
    ],
  ];
  for (const [label, fn] of calls) {
    try {
      await fn();
      print(label, "ok");
    } catch (e) {
      show(label, e);
    }
  }
  const [tr, pr] = await loop.createConnection(proto, "127.0.0.1", port);
  for (const [label, c] of [
    ["None", null],
    ["True", true],
    ["str", "ctx"],
  ] as [string, unknown][]) {
    try {
      await loop.startTls(tr, pr, c as asyncio.ssl.SSLContext);
    } catch (e) {
      show(`start_tls ${label}`, e);
    }
  }
  try {
    await loop.startTls(tr, pr, ctx, { serverHostname: "localhost", sslHandshakeTimeout: 0 });
  } catch (e) {
    show("start_tls timeout 0", e);
  }
  print("transport closing after failed start_tls:", tr.isClosing());
  tr.close();
  for (const p of [1.5, port + 0.7]) {
    try {
      const [t] = await loop.createConnection(proto, "127.0.0.1", p);
      print("create_connection port float", Math.trunc(p) === port, "connected");
      t.close();
    } catch (e) {
      show("create_connection port float", e);
    }
  }
  for (const [p, r] of [
    [0.5, "0.5"],
    [0, "0.0"],
  ] as [number, string][]) {
    try {
      const s = await loop.createServer(proto, "127.0.0.1", p);
      print("create_server port", r, "served");
      s.close();
    } catch (e) {
      show(`create_server port ${r}`, e);
    }
  }
  const more: [string, () => Promise<unknown>][] = [
    ["create_server None 1.5", async () => await loop.createServer(proto, null, 1.5)],
    ["getaddrinfo 1.5", async () => await loop.getaddrinfo("127.0.0.1", 1.5)],
  ];
  for (const [label, fn] of more) {
    try {
      await fn();
      print(label, "ok");
    } catch (e) {
      show(label, e);
    }
  }
  srv.close();
  await srv.waitClosed();
}

await asyncio.run(main);
