/**
 * Twin of 244_tls_bad_peers.py: a TLS client against a silent server (handshake timeout) and a
 * plaintext one (WRONG_VERSION_NUMBER), and plaintext clients of a TLS server.
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";
import { clientCtx, portOf, removeCerts, serverCtx, show } from "./_tls.ts";

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
removeCerts();
