/**
 * Twin of 301_serving_context_subprocess_names.py: the context of connections to a server that
 * starts serving later, and the Task-N name a subprocess transport takes.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const v = new asyncio.ContextVar<string>("var", { default: "unset" });

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const made = loop.createFuture<string>();

  class S extends asyncio.Protocol {
    override connectionMade(t: asyncio.BaseTransport): void {
      made.setResult(v.get());
      t.close();
    }
  }

  v.set("at create_server");
  const server = await loop.createServer(() => new S(), "127.0.0.1", 0, { startServing: false });
  v.set("at start_serving");
  await server.startServing();
  v.set("at connect");
  const [host, port] = server.sockets[0]!.getsockname();
  const [tr] = await loop.createConnection(() => new asyncio.Protocol(), host, port);
  print("connection_made sees", repr(await made));
  tr.close();
  server.close();
  await server.waitClosed();

  const seen = loop.createFuture<string>();
  v.set("at start_server");
  const srv = await asyncio.startServer(
    async (_reader, writer) => {
      seen.setResult(v.get());
      writer.close();
    },
    "127.0.0.1",
    0,
    { startServing: false },
  );
  const serving = asyncio.createTask(async () => {
    v.set("in serve_forever task");
    await srv.serveForever();
  });
  await asyncio.sleep(0);
  const [, w] = await asyncio.openConnection(
    ...(srv.sockets[0]!.getsockname() as [string, number]),
  );
  print("handler sees", repr(await seen));
  w.close();
  serving.cancel();
  try {
    await serving;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
  }

  print("before:", asyncio.createTask(asyncio.sleep(0)).getName());
  const [sub] = await loop.subprocessExec(() => new asyncio.SubprocessProtocol(), "true");
  print("after subprocess_exec:", asyncio.createTask(asyncio.sleep(0)).getName());
  const proc = await asyncio.createSubprocessExec("true");
  print("after create_subprocess_exec:", asyncio.createTask(asyncio.sleep(0)).getName());
  await proc.wait();
  await asyncio.sleep(0.05);
  sub.close();
});
