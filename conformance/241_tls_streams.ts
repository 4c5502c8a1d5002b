/**
 * Twin of 241_tls_streams.py: TLS streams on 127.0.0.1 with a self-signed certificate made by
 * openssl: the verification errors (class, message, verify_code), server_hostname rules, the
 * portable part of get_extra_info, can_write_eof/write_eof, EOF and close over TLS.
 */
import * as net from "node:net";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";
import { clientCtx, msg, portOf, removeCerts, serverCtx, show } from "./_tls.ts";

const { ssl } = asyncio;
async function main(): Promise<void> {
  const events: string[] = [];

  const handle = async (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) => {
    events.push(`('server peercert', ${repr(writer.getExtraInfo("peercert"))})`);
    const line = await reader.readline();
    writer.write(Buffer.from(line.toString().toUpperCase()));
    await writer.drain();
    const rest = await reader.read();
    events.push(`('server rest', ${repr(rest)}, ${repr(reader.atEof())})`);
    writer.close();
    await writer.waitClosed();
  };

  let server = await asyncio.startServer(handle, "127.0.0.1", 0, { ssl: serverCtx() });
  let port = portOf(server);

  const cases: [string, Record<string, unknown>][] = [
    ["ssl=True", { ssl: true }],
    ["default ctx", { ssl: ssl.createDefaultContext() }],
    ["wrong hostname", { ssl: clientCtx(), serverHostname: "wrong.example" }],
  ];
  for (const [label, kw] of cases) {
    try {
      await asyncio.openConnection("127.0.0.1", port, kw);
      print(label, "connected");
    } catch (e) {
      if (e instanceof ssl.SSLCertVerificationError) {
        print(
          label,
          e.name,
          "is SSLError:",
          e instanceof ssl.SSLError,
          "is OSError:",
          e instanceof asyncio.OSError,
          "| verify_code:",
          e.verifyCode,
          "| reason:",
          e.reason,
          "| library:",
          e.library,
        );
        print("  ", msg(e));
        print("   verify_message:", e.verifyMessage);
      } else {
        show(label, e);
      }
    }
  }

  const s = net.connect({ host: "127.0.0.1", port });
  await new Promise((resolve) => s.once("connect", resolve));
  try {
    await asyncio.openConnection(null, null, { sock: s, ssl: clientCtx() });
  } catch (e) {
    show("sock without server_hostname", e);
  }
  s.destroy();

  const hostCases: [string, Record<string, unknown>][] = [
    ["hostname localhost", { serverHostname: "localhost" }],
    ["hostname = host ip", {}],
    ["hostname '' (no check)", { serverHostname: "" }],
  ];
  for (const [label, kw] of hostCases) {
    const ctx = clientCtx();
    if (label.startsWith("hostname ''")) ctx.checkHostname = false;
    const [r, w] = await asyncio.openConnection("127.0.0.1", port, { ssl: ctx, ...kw });
    const cipher = w.getExtraInfo("cipher") as unknown[];
    const t = (v: unknown) => (typeof v === "number" ? "int" : typeof v === "string" ? "str" : "?");
    print(
      label,
      "| can_write_eof:",
      w.canWriteEof(),
      "| cipher:",
      Array.isArray(cipher) ? "tuple" : typeof cipher,
      cipher.length,
      t(cipher[0]),
      t(cipher[1]),
      t(cipher[2]),
      "| sslcontext is ctx:",
      w.getExtraInfo("sslcontext") === ctx,
      "| ssl_object:",
      w.getExtraInfo("ssl_object") !== null && w.getExtraInfo("ssl_object") !== undefined,
      "| peercert:",
      Boolean(w.getExtraInfo("peercert")),
      "| compression:",
      w.getExtraInfo("compression"),
      "| socket:",
      w.getExtraInfo("socket") !== null && w.getExtraInfo("socket") !== undefined,
      "| peername port ok:",
      (w.getExtraInfo("peername") as [string, number])[1] === port,
    );
    try {
      w.writeEof();
      print("  write_eof: ok");
    } catch (e) {
      show("  write_eof:", e);
    }
    w.write(Buffer.from("hello\n"));
    print("  echo:", await r.readline());
    w.write(Buffer.from("tail"));
    w.close();
    print("  is_closing:", w.isClosing());
    await w.waitClosed();
    print("  wait_closed ok; at_eof:", r.atEof());
    await asyncio.sleep(0.05);
    try {
      w.write(Buffer.from("x"));
      await w.drain();
      print("  write after close: no error");
    } catch (e) {
      show("  write after close:", e);
    }
  }
  for (const e of events) print("  ", e);
  server.close();
  await server.waitClosed();
  print("server closed");

  const closer = (_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) => {
    writer.write(Buffer.from("bye"));
    writer.close();
  };
  server = await asyncio.startServer(closer, "127.0.0.1", 0, { ssl: serverCtx() });
  port = portOf(server);
  const [r, w] = await asyncio.openConnection("127.0.0.1", port, { ssl: clientCtx() });
  print("client read:", await r.read(), "| at_eof:", r.atEof());
  w.close();
  await w.waitClosed();
  server.close();
  await server.waitClosed();
}

await asyncio.run(main);
removeCerts();
