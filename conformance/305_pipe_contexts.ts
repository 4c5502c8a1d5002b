/**
 * Twin of 305_pipe_contexts.py: a pipe transport's connectionLost runs in the context of the
 * close() / writeEof() / abort() caller, for read and write pipes and a child's stdin, whose
 * pipeConnectionLost follows it.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const cvar = new asyncio.ContextVar<string>("cvar", { default: "outer" });

class P extends asyncio.Protocol {
  done = asyncio.getRunningLoop().createFuture<void>();
  override connectionLost(): void {
    print("  connection_lost sees", cvar.get());
    this.done.setResult(undefined);
  }
}

class SP extends asyncio.SubprocessProtocol {
  log: string[] = [];
  done = asyncio.getRunningLoop().createFuture<void>();
  override pipeConnectionLost(fd: number): void {
    this.log.push(`pipe_lost${fd}=${cvar.get()}`);
  }
  override processExited(): void {
    this.log.push(`exited=${cvar.get()}`);
    this.done.setResult(undefined);
  }
}

const pyName = { close: "close", writeEof: "write_eof", abort: "abort" } as const;

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "pipe-ctx-"));
  const fifo = path.join(folder, "fifo");
  for (const [label, write, how] of [
    ["read pipe", false, "close"],
    ["write pipe", true, "close"],
    ["write pipe", true, "writeEof"],
    ["write pipe", true, "abort"],
  ] as const) {
    execFileSync("mkfifo", [fifo]);
    const rfd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const wfd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    cvar.set("at connect");
    let t: asyncio.BaseTransport;
    let p: P;
    if (write) {
      [t, p] = await loop.connectWritePipe(() => new P(), wfd);
      fs.closeSync(rfd);
    } else {
      [t, p] = await loop.connectReadPipe(() => new P(), rfd);
      fs.closeSync(wfd);
    }
    fs.rmSync(fifo);
    cvar.set(`at ${pyName[how]}`);
    print(label, pyName[how]);
    (t as unknown as Record<string, () => void>)[how]!();
    await p.done;
  }
  fs.rmSync(folder, { recursive: true });

  for (const how of ["writeEof", "close"] as const) {
    cvar.set("at subprocess_exec");
    const [tr, proto] = await loop.subprocessExec(() => new SP(), "sleep", "0.1", {
      stdout: null,
      stderr: null,
    });
    cvar.set(`at ${pyName[how]}`);
    (tr.getPipeTransport(0) as unknown as Record<string, () => void>)[how]!();
    await proto.done;
    await asyncio.sleep(0.05);
    tr.close();
    print("stdin", pyName[how], proto.log);
  }
});
