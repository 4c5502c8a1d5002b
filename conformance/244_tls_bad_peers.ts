/**
 * Twin of 244_tls_bad_peers.py: a TLS client against a silent server (handshake timeout) and a
 * plaintext one (WRONG_VERSION_NUMBER), and plaintext clients of a TLS server.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const { ssl } = asyncio;
const d = mkdtempSync(join(tmpdir(), "asyncio-ts-244-"));

function makeCert(name: string, cn: string, san: string): [string, string] {
  const cert = join(d, `${name}.pem`);
  const key = join(d, `${name}.key`);
  const r = spawnSync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-keyout",
    key,
    "-out",
    cert,
    "-subj",
    `/CN=${cn}`,
    "-addext",
    `subjectAltName=${san}`,
  ]);
  if (r.status !== 0) throw new Error(String(r.stderr));
  return [cert, key];
}

const [CERT, KEY] = makeCert("server", "localhost", "DNS:localhost,IP:127.0.0.1");

function msg(e: unknown): string {
  return String((e as Error).message).replace(/ \(_ssl\.c:\d+\)$/, "");
}

function show(label: string, e: unknown): void {
  print(label, (e as Error).name, msg(e));
}

function serverCtx(): asyncio.ssl.SSLContext {
  const c = ssl.createDefaultContext(ssl.Purpose.CLIENT_AUTH);
  c.loadCertChain(CERT, KEY);
  return c;
}

function clientCtx(): asyncio.ssl.SSLContext {
  return ssl.createDefaultContext(ssl.Purpose.SERVER_AUTH, { cafile: CERT });
}

function portOf(server: asyncio.Server): number {
  return (server.sockets[0].getsockname() as [string, number])[1];
}

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const silent = async (r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
    await r.read();
    w.close();
  };
  const chatty = async (_r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
    w.write(Buffer.from("HTTP/1.0 400 Bad Request\r\n\r\n".repeat(4)));
    await w.drain();
    w.close();
  };
  for (const [label, cb] of [
    ["silent", silent],
    ["plaintext", chatty],
  ] as const) {
    const server = await asyncio.startServer(cb, "127.0.0.1", 0);
    const port = portOf(server);
    try {
      await asyncio.openConnection("127.0.0.1", port, {
        ssl: clientCtx(),
        sslHandshakeTimeout: 0.3,
      });
    } catch (e) {
      show(`${label}:`, e);
    }
    server.close();
    await server.waitClosed();
  }

  const errors: unknown[] = [];
  loop.setExceptionHandler((_l, c) => {
    errors.push(c.message);
  });
  const handled: number[] = [];
  const server = await asyncio.startServer(
    () => {
      handled.push(1);
    },
    "127.0.0.1",
    0,
    { ssl: serverCtx(), sslHandshakeTimeout: 0.3 },
  );
  const port = portOf(server);
  let [r, w] = await asyncio.openConnection("127.0.0.1", port);
  w.write(Buffer.from("GET / HTTP/1.0\r\n\r\n"));
  let data = await r.read();
  print("plain client read:", data.length > 0, "| at_eof:", r.atEof(), "| handled:", handled);
  w.close();
  [r, w] = await asyncio.openConnection("127.0.0.1", port);
  data = await r.read();
  print("silent plain client read:", data, "| handled:", handled);
  w.close();
  server.close();
  await server.waitClosed();
  print("errors:", errors);
}

await asyncio.run(main);
rmSync(d, { recursive: true, force: true });
