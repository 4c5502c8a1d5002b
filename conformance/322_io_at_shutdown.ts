/**
 * Twin of 322_io_at_shutdown.py: what a peer sent just before main returned still reaches the
 * protocols during asyncio.run()'s shutdown (which lets Node poll for I/O while the loop runs,
 * as CPython's shutdown iterations do), and a stream handler still reading is cancelled first.
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

class P extends asyncio.Protocol {
  constructor(readonly tag: string) {
    super();
  }
  override connectionMade(): void {
    print(this.tag, "made");
  }
  override dataReceived(data: Uint8Array): void {
    print(this.tag, "data", data);
  }
  override eofReceived(): void {
    print(this.tag, "eof");
  }
  override connectionLost(exc: Error | null): void {
    print(this.tag, "lost", exc);
  }
}

function portOf(srv: asyncio.Server): number {
  return (srv.sockets[0]!.getsockname() as [string, number])[1];
}

async function closeAtEnd(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const srv = await loop.createServer(() => new P("server-side"), "127.0.0.1", 0);
  const [tr] = await loop.createConnection(() => new P("client"), "127.0.0.1", portOf(srv));
  await asyncio.sleep(0.05);
  tr.write(Buffer.from("last words"));
  tr.close();
  srv.close();
  print("main returns");
}

async function closedEarlier(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const srv = await loop.createServer(() => new P("server-side 2"), "127.0.0.1", 0);
  const [tr] = await loop.createConnection(() => new P("client 2"), "127.0.0.1", portOf(srv));
  await asyncio.sleep(0.05);
  tr.close();
  await asyncio.sleep(0);
  await asyncio.sleep(0);
  srv.close();
  print("main 2 returns");
}

function* streamHandlerReading(): asyncio.Coroutine<void> {
  function* handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
    try {
      print("handler read", yield* reader.read(100));
      print("handler read", yield* reader.read(100));
    } catch (e) {
      if (e instanceof asyncio.CancelledError) print("handler cancelled");
      throw e;
    } finally {
      writer.close();
    }
  }
  const srv = yield* asyncio.startServer(handler, "127.0.0.1", 0);
  const [, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(srv));
  writer.write(Buffer.from("hello"));
  yield* asyncio.sleep(0.05);
  writer.close();
  srv.close();
  print("main 3 returns");
}

await asyncio.run(closeAtEnd);
print("after run");
await asyncio.run(closedEarlier);
print("after run 2");
await asyncio.run(streamHandlerReading);
print("after run 3");
