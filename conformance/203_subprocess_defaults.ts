/** Twin of 203_subprocess_defaults.py: loop.subprocessExec/Shell pipe every stream by default; createSubprocess* inherit. */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

class P extends asyncio.SubprocessProtocol {
  ev: unknown[][] = [];
  done: asyncio.Future<null>;
  t: asyncio.SubprocessTransport | null = null;
  constructor(loop: asyncio.AbstractEventLoop) {
    super();
    this.done = loop.createFuture();
  }
  override connectionMade(t: asyncio.BaseTransport) {
    this.t = t as asyncio.SubprocessTransport;
  }
  override pipeDataReceived(fd: number, d: Buffer) {
    this.ev.push(["data", fd, d]);
  }
  override pipeConnectionLost(fd: number) {
    this.ev.push(["plost", fd]);
  }
  override processExited() {
    this.ev.push(["exited"]);
  }
  override connectionLost() {
    this.done.setResult(null);
  }
}
const T = (a: unknown[]) => `(${a.map((x) => repr(x)).join(", ")}${a.length === 1 ? "," : ""})`;
const S = (a: unknown[][]) =>
  `[${a
    .filter((e) => e[0] !== "exited")
    .map(T)
    .sort()
    .join(", ")}]`;
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  let [t, p] = await loop.subprocessExec(() => new P(loop), "sh", "-c", "echo out; echo err >&2");
  print(
    "exec defaults pipes:",
    [0, 1, 2].map((i) => t.getPipeTransport(i) !== null),
  );
  (t.getPipeTransport(0) as asyncio.WriteTransport | null)?.write(Buffer.from("ignored"));
  await p.done;
  print("exec data:", S(p.ev));
  t.close();
  [t, p] = await loop.subprocessShell(() => new P(loop), "cat; echo err >&2");
  print(
    "shell defaults pipes:",
    [0, 1, 2].map((i) => t.getPipeTransport(i) !== null),
  );
  (t.getPipeTransport(0) as asyncio.WriteTransport | null)?.write(Buffer.from("fed"));
  t.getPipeTransport(0)?.close();
  await p.done;
  print("shell data:", S(p.ev));
  t.close();
  const proc = await asyncio.createSubprocessExec("true");
  print(
    "create_subprocess_exec defaults:",
    proc.stdin,
    proc.stdout,
    proc.stderr,
    await proc.wait(),
  );
});
