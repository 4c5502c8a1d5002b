/** Twin of 70_pipes.py: connectReadPipe()/connectWritePipe() on a FIFO (made with mkfifo). */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const py = (b: boolean) => (b ? "True" : "False");

class Reader {
  done = asyncio.getRunningLoop().createFuture<void>();
  chunks: Buffer[] = [];
  got: asyncio.Future<void> | null = null;
  constructor(readonly name: string) {}
  connectionMade(t: asyncio.ReadTransport): void {
    print(this.name, "connection_made", py(t.isReading()), py(t.isClosing()));
  }
  dataReceived(data: Uint8Array): void {
    this.chunks.push(Buffer.from(data));
    if (this.got !== null && !this.got.done()) this.got.setResult();
  }
  eofReceived(): void {
    print(this.name, "eof_received", Buffer.concat(this.chunks));
  }
  connectionLost(exc: Error | null): void {
    print(this.name, "connection_lost", repr(exc));
    this.done.setResult();
  }
}

class Writer {
  done = asyncio.getRunningLoop().createFuture<void>();
  constructor(readonly name: string) {}
  connectionMade(t: asyncio.WriteTransport): void {
    print(this.name, "connection_made", py(t.canWriteEof()), t.getWriteBufferSize());
  }
  connectionLost(exc: Error | null): void {
    print(this.name, "connection_lost", repr(exc));
    this.done.setResult();
  }
}

function fifo(): [number, number] {
  const p = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fifo-")), "fifo");
  execFileSync("mkfifo", [p]);
  const r = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const w = fs.openSync(p, fs.constants.O_WRONLY);
  fs.rmSync(path.dirname(p), { recursive: true }); // both ends are open: the folder can go
  return [r, w];
}

function isClosed(fd: number): boolean {
  try {
    fs.fstatSync(fd);
    return false;
  } catch {
    return true;
  }
}

await asyncio.run(function* () {
  const loop = asyncio.getRunningLoop();

  // 1. data, then EOF when the write transport closes
  let [r, w] = fifo();
  const [rt, rp] = yield* loop.connectReadPipe(() => new Reader("r1"), r);
  print("read pipe:", rp.name, py(rt.getExtraInfo("pipe") === r), py(rt.getProtocol() === rp));
  const [wt, wp] = yield* loop.connectWritePipe(() => new Writer("w1"), w);
  print("write pipe:", wp.name, py(wt.isClosing()));
  rp.got = loop.createFuture<void>();
  wt.write(Buffer.from("hello "));
  wt.writelines([Buffer.from("pipe"), Buffer.from("s")]);
  yield* rp.got;
  rt.pauseReading();
  print("paused:", py(rt.isReading()));
  rt.pauseReading();
  rt.resumeReading();
  print("resumed:", py(rt.isReading()));
  wt.writeEof();
  print("after write_eof:", py(wt.isClosing()));
  yield* wp.done;
  yield* rp.done;
  print("closed:", py(rt.isClosing()), py(wt.isClosing()), py(isClosed(r)));

  // 2. the read transport closed by its owner
  [r, w] = fifo();
  const [rt2, rp2] = yield* loop.connectReadPipe(() => new Reader("r2"), r);
  rt2.close();
  print("close():", py(rt2.isClosing()), py(rt2.isReading()));
  rt2.close();
  yield* rp2.done;
  fs.closeSync(w);

  // 3. the write transport closed by its owner, with and without data; abort
  [r, w] = fifo();
  const [wt3, wp3] = yield* loop.connectWritePipe(() => new Writer("w3"), w);
  wt3.write(Buffer.from("x".repeat(10)));
  wt3.close();
  wt3.write(Buffer.from("more"));
  yield* wp3.done;
  const buf = Buffer.alloc(100);
  print("pipe has:", buf.subarray(0, fs.readSync(r, buf)));
  fs.closeSync(r);
  [r, w] = fifo();
  const [wt4, wp4] = yield* loop.connectWritePipe(() => new Writer("w4"), w);
  wt4.abort();
  yield* wp4.done;
  fs.closeSync(r);

  // 4. the reading end goes away under a write pipe, which then writes
  [r, w] = fifo();
  const [wt5, wp5] = yield* loop.connectWritePipe(() => new Writer("w5"), w);
  fs.closeSync(r);
  wt5.write(Buffer.from("data"));
  yield* wp5.done;

  // 5. bad pipes
  [r, w] = fifo();
  const [wt6, wp6] = yield* loop.connectWritePipe(() => new Writer("w6"), w);
  wt6.close();
  yield* wp6.done;
  fs.closeSync(r);
  const name = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "file-")), "f");
  fs.writeFileSync(name, "");
  for (const kind of ["read", "write"]) {
    const f = fs.openSync(name, kind === "read" ? "r" : "w");
    try {
      if (kind === "read") yield* loop.connectReadPipe(() => ({}), f);
      else yield* loop.connectWritePipe(() => ({}), f);
    } catch (e) {
      print(kind, "pipe on a file:", (e as Error).message);
    }
    fs.closeSync(f);
  }
  fs.rmSync(path.dirname(name), { recursive: true });
  print(
    "coroutine functions:",
    py(asyncio.isCoroutineFunction(loop.connectReadPipe)),
    py(asyncio.isCoroutineFunction(loop.connectWritePipe)),
  );
});
