/**
 * Twin of 295_connect_order_both_ends.py: the client's connect completes through the loop's
 * queue (CPython's writer callback), so create_connection/open_connection return after the
 * server's connection_made and its close; a FIN followed by a reset reads as EOF.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

let ticks = 0;
let first: number | null = null;
let ticker: asyncio.Handle | null = null;

function tick(loop: asyncio.AbstractEventLoop): void {
  ticks += 1;
  ticker = loop.callSoon(tick, loop);
}

function log(s: string, withTick = true): void {
  if (first === null) first = ticks;
  print(withTick ? `+${ticks - first} ${s}` : s);
}

class CloseAtOnce extends asyncio.Protocol {
  constructor() {
    super();
    log("S protocol made");
  }
  override connectionMade(t: asyncio.Transport): void {
    log("S connection_made -> close()");
    t.close();
  }
  override connectionLost(exc: Error | null): void {
    log(`S connection_lost ${repr(exc)}`);
  }
}

class Client extends asyncio.Protocol {
  readonly lost = asyncio.getRunningLoop().createFuture<void>();
  constructor(
    readonly ticked = true,
    readonly pause = false,
  ) {
    super();
    log("C protocol made", ticked);
  }
  override connectionMade(t: asyncio.Transport): void {
    log("C connection_made", this.ticked);
    if (this.pause) t.pauseReading();
  }
  override dataReceived(data: Buffer): void {
    log(`C data_received ${repr(data)}`, false);
  }
  override eofReceived(): void {
    log("C eof_received", false);
  }
  override connectionLost(exc: Error | null): void {
    log(`C connection_lost ${repr(exc)}`, false);
    this.lost.setResult();
  }
}

async function protocols(): Promise<void> {
  print("-- protocols: the server closes in connection_made, the client writes at once");
  const loop = asyncio.getRunningLoop();
  const srv = await loop.createServer(() => new CloseAtOnce(), "127.0.0.1", 0);
  const port = (srv.sockets[0]!.getsockname() as [string, number])[1];
  tick(loop);
  const [t, p] = await loop.createConnection(() => new Client(), "127.0.0.1", port);
  log("C create_connection returned -> write(b'x')");
  t.write(Buffer.from("x"));
  await p.lost;
  ticker!.cancel();
  srv.close();
  await srv.waitClosed();
}

async function streams(): Promise<void> {
  print("-- streams: a plain callback closes the writer, the client writes at once, then reads");
  const kept: asyncio.StreamWriter[] = [];
  const srv = await asyncio.startServer(
    (_reader, writer) => {
      print("S callback: close()");
      kept.push(writer);
      writer.close();
    },
    "127.0.0.1",
    0,
  );
  const port = (srv.sockets[0]!.getsockname() as [string, number])[1];
  print("C connecting");
  const [reader, writer] = await asyncio.openConnection("127.0.0.1", port);
  print("C connected: write(b'x')");
  writer.write(Buffer.from("x"));
  try {
    print("C read", await reader.read(100));
  } catch (e) {
    if (!(e instanceof asyncio.ConnectionError)) throw e;
    print("C read", repr(e));
  }
  writer.close();
  try {
    await writer.waitClosed();
    print("C wait_closed ok");
  } catch (e) {
    if (!(e instanceof asyncio.ConnectionError)) throw e;
    print("C wait_closed", repr(e));
  }
  srv.close();
  await srv.waitClosed();
}

async function finThenReset(): Promise<void> {
  print(
    "-- the server closes; the paused client writes (the server's kernel resets), then resumes",
  );
  const loop = asyncio.getRunningLoop();
  const srv = await loop.createServer(
    () =>
      new (class extends asyncio.Protocol {
        override connectionMade(t: asyncio.Transport): void {
          t.close();
        }
      })(),
    "127.0.0.1",
    0,
  );
  const port = (srv.sockets[0]!.getsockname() as [string, number])[1];
  const [t, p] = await loop.createConnection(() => new Client(false, true), "127.0.0.1", port);
  await asyncio.sleep(0.1);
  t.write(Buffer.from("x"));
  await asyncio.sleep(0.1);
  print("resume_reading");
  t.resumeReading();
  await p.lost;
  srv.close();
  await srv.waitClosed();
}

await asyncio.run(async () => {
  await protocols();
  await streams();
  await finThenReset();
});
