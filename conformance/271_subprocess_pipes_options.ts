/**
 * Twin of 271_subprocess_pipes_options.py: writes after close()/writeEof() on a child's stdin,
 * abort(), realtime signals, the context of connectionMade, user/group, a shell's executable.
 */
import { execFileSync } from "node:child_process";
import { userInfo } from "node:os";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const { PIPE, STDOUT } = asyncio;

asyncio.logger.addHandler((r) => print("log", r.levelname, r.message));

const v = new asyncio.ContextVar<string>("var", { default: "unset" });

const mask = (s: string) => s.replace(/fd=\d+/g, "fd=F");
const tup = (a: unknown[]) => `(${a.map((x) => repr(x)).join(", ")}${a.length === 1 ? "," : ""})`;

async function run(
  label: string,
  args: (string | Uint8Array)[],
  kw: asyncio.CreateSubprocessOptions = {},
  shell = false,
): Promise<void> {
  try {
    const p = shell
      ? await asyncio.createSubprocessShell(args[0]!, { stdout: PIPE, ...kw })
      : await asyncio.createSubprocessExec(args[0]!, ...args.slice(1), { stdout: PIPE, ...kw });
    const [out] = await p.communicate();
    print(label, out, p.returncode);
  } catch (e) {
    print(label, (e as Error).name, e);
  }
}

class P extends asyncio.SubprocessProtocol {
  seen: [string, string][] = [];
  done: asyncio.Future<void>;
  constructor(loop: asyncio.AbstractEventLoop) {
    super();
    this.done = loop.createFuture<void>();
  }
  private log(name: string): void {
    this.seen.push([name, v.get()]);
    v.set(`set-in-${name}`);
  }
  override connectionMade(): void {
    this.log("made");
  }
  override pipeDataReceived(): void {
    this.log("data");
  }
  override pipeConnectionLost(): void {
    this.log("plost");
  }
  override processExited(): void {
    this.log("exited");
  }
  override connectionLost(): void {
    this.log("lost");
    this.done.setResult(undefined);
  }
}

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  // 1. a big write, close(), then more writes: dropped, the buffer still flushes
  let p = await asyncio.createSubprocessExec("wc", "-c", { stdin: PIPE, stdout: PIPE });
  p.stdin!.write(Buffer.alloc(3_000_000, "a"));
  p.stdin!.close();
  for (let i = 0; i < 7; i++) {
    p.stdin!.write(Buffer.from("late"));
    print("1 late write", i);
  }
  await asyncio.waitFor(p.stdin!.waitClosed(), 10);
  let out = await asyncio.waitFor(p.stdout!.read(), 10);
  print("1 out", Buffer.from(out.toString().trim()), await p.wait());
  p = await asyncio.createSubprocessExec("wc", "-c", { stdin: PIPE, stdout: PIPE });
  let w = p.stdin!.transport as asyncio.WriteTransport;
  w.write(Buffer.alloc(3_000_000, "b"));
  w.writeEof();
  w.writelines([Buffer.from("x"), Buffer.from("y")]);
  print("1 write_eof", w.isClosing());
  out = await asyncio.waitFor(p.stdout!.read(), 10);
  print("1 out", Buffer.from(out.toString().trim()), await p.wait());
  print("1 pipe after", mask(repr(w)), w.getWriteBufferSize());
  p = await asyncio.createSubprocessExec("sleep", "30", { stdin: PIPE });
  p.stdin!.write(Buffer.alloc(3_000_000, "c"));
  p.stdin!.close();
  p.stdin!.write(Buffer.from("late"));
  p.kill();
  print("1 killed", await asyncio.waitFor(p.wait(), 10));

  // 2. abort() drops what is buffered
  p = await asyncio.createSubprocessExec("sh", "-c", "sleep 0.2; wc -c", {
    stdin: PIPE,
    stdout: PIPE,
  });
  w = p.stdin!.transport as asyncio.WriteTransport;
  w.write(Buffer.alloc(1_000_000, "d"));
  print("2 buffered", w.getWriteBufferSize() > 0);
  w.abort();
  print("2 after abort", w.getWriteBufferSize(), w.isClosing(), mask(repr(w)));
  out = await asyncio.waitFor(p.stdout!.read(), 10);
  print("2 child got less than all", Number(out.toString()) < 1_000_000, await p.wait());

  // 3. realtime signals
  for (const sig of [34, 64]) {
    p = await asyncio.createSubprocessExec("sleep", "30");
    p.sendSignal(sig);
    print("3 signal", sig, await p.wait());
  }
  p = await asyncio.createSubprocessExec(
    "sh",
    "-c",
    "trap 'exit 0' 34; echo ready; while :; do sleep 0.01; done",
    { stdout: PIPE },
  );
  await p.stdout!.readline();
  p.sendSignal(34);
  print("3 trapped 34", await p.wait());

  // 4. what connectionMade sets stays in its own context
  v.set("A");
  const [t, pr] = await loop.subprocessExec(() => new P(loop), "printf", "x", {
    stdin: null,
    stderr: null,
  });
  v.set("B");
  await pr.done;
  print("4 made", tup(pr.seen[0]!));
  print("4 later", [...new Set(pr.seen.slice(1).map(([, x]) => x))].sort(), pr.seen.length >= 4);
  print("4 task", v.get());
  t.close();

  // 5. user and group
  const uid = process.getuid!();
  const gid = process.getgid!();
  const me = userInfo().username;
  const myGroup = execFileSync("id", ["-gn"], { encoding: "utf8" }).trim();
  await run("5 user name", ["sh", "-c", `test $(id -u) = ${uid} && echo same`], { user: me });
  await run("5 group name", ["sh", "-c", `test $(id -g) = ${gid} && echo same`], {
    group: myGroup,
  });
  await run("5 user id", ["sh", "-c", `test $(id -u) = ${uid} && echo same`], { user: uid });
  await run("5 user nosuch", ["id"], { user: "nosuchuser_q" });
  await run("5 group nosuch", ["id"], { group: "nosuchgroup_q" });
  await run("5 user -5", ["id"], { user: -5 });
  await run("5 group -5", ["id"], { group: -5 });
  await run("5 user 1.5", ["id"], { user: 1.5 });
  await run("5 group 1.5", ["id"], { group: 1.5 });
  await run("5 group bytes", ["id"], { group: Buffer.from("root") as unknown as string });
  await run("5 user NUL", ["id"], { user: "ro\0ot" });
  await run("5 both", ["id"], { user: -1, group: -1 });
  try {
    await asyncio.createSubprocessExec("id", { user: "nosuchuser_q" });
  } catch (e) {
    if (e instanceof asyncio.KeyError) print("5 KeyError", repr(e), tup(e.args));
  }

  // 6. the shell's executable
  await run("6 shell executable", ["echo $0"], { executable: "/bin/bash" }, true);
  await run("6 shell executable name", ["echo $0"], { executable: "sh" }, true);
  await run(
    "6 shell executable merged",
    ["echo $0; echo err >&2"],
    { executable: "/bin/bash", stderr: STDOUT },
    true,
  );
  await run("6 shell executable missing", ["echo $0"], { executable: "/nonexistent/sh" }, true);
  await run("6 exec executable", ["myname", "-c", "echo $0"], { executable: "/bin/sh" });
});
