/** Twin of 283_tls_in_tls_reprs.py: TLS inside TLS, TLS and coroutine reprs, stream asserts. */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";
import { clientCtx, msg, removeCerts, serverCtx } from "./_tls.ts";

const tuple = (...xs: unknown[]) => `(${xs.map((x) => repr(x)).join(", ")})`;
const b = (s: string) => Buffer.from(s);

await asyncio.run(async () => {
  const log: string[] = [];

  async function h(r: asyncio.StreamReader, w: asyncio.StreamWriter) {
    log.push(tuple("server got", await r.readline()));
    w.write(b("GO\n"));
    await w.drain();
    await w.startTls(serverCtx());
    log.push(tuple("server inner", await r.readline()));
    w.write(b("inner ok\n"));
    await w.drain();
    w.close();
    await w.waitClosed();
  }

  const srv = await asyncio.startServer(h, "127.0.0.1", 0, { ssl: serverCtx() });
  const port = srv.sockets[0]!.getsockname()[1];
  const [r, w] = await asyncio.openConnection("127.0.0.1", port, {
    ssl: clientCtx(),
    serverHostname: "localhost",
  });
  print("tls transport:", repr(w.transport));
  w.write(b("STARTTLS\n"));
  print("reply", await r.readline());
  const outer = w.transport;
  try {
    await asyncio.waitFor(w.startTls(clientCtx(), { serverHostname: "localhost" }), 5);
    print("upgraded:", w.transport !== outer, w.getExtraInfo("cipher") !== null);
    w.write(b("hello inside\n"));
    print("inner reply", await r.readline());
    print("eof", await r.read());
  } catch (e) {
    print("client start_tls", (e as Error).name, msg(e));
  }
  w.close();
  await w.waitClosed();
  srv.close();
  await srv.waitClosed();
  for (const x of log) print(" ", x);

  const coro = r.read();
  print("coroutine:", repr(coro));
  coro.return(undefined as never);
  const coro2 = asyncio.sleep(0);
  print("coroutine:", repr(coro2));
  coro2.return(undefined as never);

  const f = new asyncio.FlowControlMixin();
  for (const step of ["resumeWriting", "pauseWriting", "pauseWriting", "resumeWriting"] as const) {
    const py = step === "resumeWriting" ? "resume_writing" : "pause_writing";
    try {
      f[step]();
      print(py, "ok");
    } catch (e) {
      print(py, (e as Error).name, tuple(...((e as { args: unknown[] }).args ?? [])));
    }
  }
  try {
    new asyncio.StreamWriter(outer, f, {} as asyncio.StreamReader, asyncio.getRunningLoop());
  } catch (e) {
    print("StreamWriter(reader=object()):", (e as Error).name, tuple());
  }
});
removeCerts();
