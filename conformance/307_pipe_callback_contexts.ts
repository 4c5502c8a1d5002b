/**
 * Twin of 307_pipe_callback_contexts.py: each pipe protocol callback gets its own context copy,
 * a buffered write pipe's connectionLost runs in the context of the write() that filled the
 * empty buffer, and so does the BrokenPipeError of a write to a pipe whose reader is gone.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const cvar = new asyncio.ContextVar<string>("var", { default: "unset" });

function readNB(fd: number): Buffer | null {
  const buf = Buffer.alloc(1 << 20);
  try {
    return buf.subarray(0, fs.readSync(fd, buf));
  } catch (e) {
    if ((e as { code?: string }).code === "EAGAIN") return null;
    throw e;
  }
}

function fifoPair(): [number, number] {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "pipe-ctx-"));
  const fifo = path.join(folder, "fifo");
  execFileSync("mkfifo", [fifo]);
  const r = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const w = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  fs.rmSync(folder, { recursive: true });
  return [r, w];
}

class Leaky extends asyncio.Protocol {
  done = asyncio.getRunningLoop().createFuture<void>();
  override connectionMade(): void {
    cvar.set("set in connection_made");
  }
  override dataReceived(): void {
    print("  data_received sees:", cvar.get());
  }
  override eofReceived(): undefined {
    cvar.set("set in eof_received");
    return undefined;
  }
  override connectionLost(): void {
    print("  connection_lost sees:", cvar.get());
    this.done.setResult(undefined);
  }
}

class Lost extends asyncio.Protocol {
  done = asyncio.getRunningLoop().createFuture<void>();
  override connectionLost(exc: Error | null): void {
    print("  connection_lost sees:", cvar.get(), exc === null ? "NoneType" : exc.name);
    this.done.setResult(undefined);
  }
}

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();

  print("read pipe");
  let [r, w] = fifoPair();
  cvar.set("at connect");
  const [, leaky] = await loop.connectReadPipe(() => new Leaky(), r);
  fs.writeSync(w, Buffer.from("x"));
  await asyncio.sleep(0.05);
  fs.closeSync(w);
  await leaky.done;

  for (const how of ["close", "writeEof"] as const) {
    const pyHow = how === "close" ? "close" : "write_eof";
    print("write pipe, buffered, then", pyHow);
    [r, w] = fifoPair();
    cvar.set("at connect");
    const [t, p] = await loop.connectWritePipe(() => new Lost(), w);
    cvar.set("at write");
    t.write(Buffer.alloc(200000, 120)); // more than the pipe holds: buffered
    cvar.set(`at ${pyHow}`);
    t[how]();
    cvar.set(`after ${pyHow}`);
    print("  buffered:", t.getWriteBufferSize() > 0);
    await asyncio.sleep(0.05);
    const buf = Buffer.alloc(1 << 20);
    for (;;) {
      // drain the reader so that the buffer flushes
      try {
        if (fs.readSync(r, buf) === 0) break;
      } catch (e) {
        if ((e as { code?: string }).code !== "EAGAIN") throw e;
        if (p.done.done()) break;
        await asyncio.sleep(0.01);
      }
    }
    await p.done;
    fs.closeSync(r);
  }

  print("write pipe, buffered in A, drained, buffered again in B, closed");
  {
    const [r2, w2] = fifoPair();
    const [t2, p2] = await loop.connectWritePipe(() => new Lost(), w2);
    t2.setWriteBufferLimits(1 << 20); // no pauseWriting
    cvar.set("A");
    t2.write(Buffer.alloc(200000, 97)); // more than the pipe holds: buffered
    cvar.set("main");
    while (readNB(r2) !== null || t2.getWriteBufferSize() > 0) await asyncio.sleep(0.01);
    cvar.set("B");
    t2.write(Buffer.alloc(100000, 98)); // buffered again
    cvar.set("closer");
    t2.close();
    cvar.set("main");
    while (!p2.done.done()) {
      readNB(r2);
      await asyncio.sleep(0.01);
    }
    fs.closeSync(r2);
  }

  print("write pipe, reader gone");
  [r, w] = fifoPair();
  cvar.set("at connect");
  const [t, p] = await loop.connectWritePipe(() => new Lost(), w);
  fs.closeSync(r);
  cvar.set("at write");
  t.write(Buffer.from("x"));
  cvar.set("after write");
  await p.done;
});
