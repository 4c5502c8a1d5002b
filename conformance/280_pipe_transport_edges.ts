/**
 * Twin of 280_pipe_transport_edges.py: a write pipe's reading methods (NotImplementedError), its
 * write() of what is not bytes (AssertionError), a child's stdin too; a read pipe whose
 * dataReceived raises keeps reading; the names of the callbacks pipe transports schedule.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as asyncio from "../src/index.ts";
import { attempt, excStr, print, repr } from "./_py.ts";

const { PIPE } = asyncio;
const py = (b: boolean) => (b ? "True" : "False");
const tup = (a: unknown[]) => `(${a.map((x) => repr(x)).join(", ")})`;

function fifo(): [number, number] {
  const p = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fifo-")), "fifo");
  execFileSync("mkfifo", [p]);
  const r = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const w = fs.openSync(p, fs.constants.O_WRONLY);
  fs.rmSync(path.dirname(p), { recursive: true }); // both ends are open: the folder can go
  return [r, w];
}

const log: string[] = [];
const contexts: Record<string, unknown>[] = [];

function dump(label: string): void {
  print(label, log);
  for (const c of contexts) {
    print("  ctx:", c.message, excStr(c.exception), Object.keys(c).sort());
  }
  log.length = 0;
  contexts.length = 0;
}

class R extends asyncio.Protocol {
  lost = asyncio.getRunningLoop().createFuture<void>();
  constructor(readonly fail: string | null) {
    super();
  }
  override dataReceived(data: Buffer): void {
    log.push(`data ${repr(data)}`);
    if (this.fail === "data" && data.toString() === "one") {
      throw new asyncio.ValueError("data boom");
    }
  }
  override eofReceived(): undefined {
    log.push("eof");
    if (this.fail === "eof") throw new asyncio.ValueError("eof boom");
    return undefined;
  }
  override connectionLost(exc: Error | null): void {
    log.push(`lost ${repr(exc)}`);
    this.lost.setResult();
    if (this.fail === "lost") throw new asyncio.ValueError("lost boom");
  }
}

class RSub extends R {}

class W extends asyncio.Protocol {
  lost = asyncio.getRunningLoop().createFuture<void>();
  constructor(readonly fail: string | null) {
    super();
  }
  override connectionLost(exc: Error | null): void {
    log.push(`lost ${repr(exc)}`);
    this.lost.setResult();
    if (this.fail === "lost") throw new asyncio.ValueError("wlost boom");
  }
}

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  loop.setExceptionHandler((_l, c) => {
    contexts.push(c as Record<string, unknown>);
  });

  // 4, 5: a write pipe's reading methods, and write() of what is not bytes
  let [r, w] = fifo();
  let [wt, wp] = await loop.connectWritePipe(() => new W(null), w);
  print("Transport:", py(wt instanceof asyncio.Transport), py(wt instanceof asyncio.ReadTransport));
  attempt("is_reading()", () => wt.isReading());
  attempt("pause_reading()", () => wt.pauseReading());
  attempt("resume_reading()", () => wt.resumeReading());
  attempt("write('s')", () => wt.write("s" as never));
  attempt("write(None)", () => wt.write(null as never));
  attempt("write(5)", () => wt.write(5 as never));
  attempt("write(b'ok')", () => wt.write(Buffer.from("ok")));
  attempt("size", () => wt.getWriteBufferSize());
  wt.close();
  await wp.lost;
  const buf = Buffer.alloc(100);
  print("read back:", buf.subarray(0, fs.readSync(r, buf)));
  fs.closeSync(r);
  dump("write pipe");

  // 5: a child's stdin
  const proc = await asyncio.createSubprocessExec("cat", { stdin: PIPE, stdout: PIPE });
  attempt("stdin.write('text')", () => proc.stdin!.write("text" as never));
  attempt("stdin.write(None)", () => proc.stdin!.write(null as never));
  attempt("stdin.transport.is_reading()", () =>
    (proc.stdin!.transport as asyncio.Transport).isReading(),
  );
  attempt("stdin.write(b'data')", () => proc.stdin!.write(Buffer.from("data")));
  print("communicate:", tup(await proc.communicate()), proc.returncode);
  dump("stdin");

  // 6, 7: read pipes whose callbacks raise
  for (const fail of ["data", "eof", "lost", "eof (inherited)"]) {
    [r, w] = fifo();
    const factory = fail === "eof (inherited)" ? () => new RSub("eof") : () => new R(fail);
    const [rt, rp] = await loop.connectReadPipe(factory, r);
    fs.writeSync(w, Buffer.from("one"));
    await asyncio.sleep(0.05);
    log.push(`reading ${py(rt.isReading())}`);
    fs.writeSync(w, Buffer.from("two"));
    await asyncio.sleep(0.05);
    fs.closeSync(w);
    await rp.lost;
    await asyncio.sleep(0.01);
    log.push(`closing ${py(rt.isClosing())}`);
    dump(`read pipe, ${fail} raises:`);
  }

  // 7: a write pipe whose connection_lost raises
  [r, w] = fifo();
  [wt, wp] = await loop.connectWritePipe(() => new W("lost"), w);
  wt.write(Buffer.from("x"));
  wt.close();
  await wp.lost;
  await asyncio.sleep(0.01);
  fs.closeSync(r);
  dump("write pipe, connection_lost raises:");
});
