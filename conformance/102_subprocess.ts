/**
 * Twin of 102_subprocess.py: createSubprocessExec/Shell, communicate, returncode, signals,
 * stdin writer, errors, and loop.subprocessExec with a SubprocessProtocol.
 */
import { constants } from "node:os";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const { DEVNULL, PIPE, STDOUT } = asyncio;
const b = (s: string) => Buffer.from(s, "latin1");

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();

  let p = await asyncio.createSubprocessExec("echo", "hello", "world", { stdout: PIPE });
  print(
    "returncode while running or exited, before wait:",
    p.returncode === null || p.returncode === 0,
  );
  let [out, err] = await p.communicate();
  print("echo:", out, err, p.returncode, "| repr:", repr(p).startsWith("<Process "));

  const unit = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) unit[i] = i;
  const data = Buffer.concat(Array.from({ length: 4096 }, () => unit)); // 1 MiB
  p = await asyncio.createSubprocessExec("cat", { stdin: PIPE, stdout: PIPE });
  [out] = await p.communicate(data);
  print("cat 1 MiB round trip:", out!.length, out!.equals(data), p.returncode);

  p = await asyncio.createSubprocessShell(
    "head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2; exit 7",
    { stdout: PIPE, stderr: PIPE },
  );
  [out, err] = await p.communicate();
  print("both pipes 300000/200000:", out!.length, err!.length, "| returncode:", p.returncode);

  p = await asyncio.createSubprocessShell("echo out; echo err >&2", {
    stdout: PIPE,
    stderr: STDOUT,
  });
  [out, err] = await p.communicate();
  print("stderr=STDOUT:", out, err, "| p.stderr:", p.stderr);

  p = await asyncio.createSubprocessExec("sh", "-c", "echo to-stderr >&2", {
    stdout: PIPE,
    stderr: STDOUT,
  });
  print("exec with stderr=STDOUT:", await p.stdout!.read(), await p.wait());

  p = await asyncio.createSubprocessExec("echo", "hidden", { stdout: DEVNULL, stderr: DEVNULL });
  print("DEVNULL: wait ->", await p.wait(), "| stdout:", p.stdout);

  p = await asyncio.createSubprocessExec("printf", "a\\nbb\\nccc", { stdout: PIPE });
  const lines: Buffer[] = [];
  for await (const line of p.stdout!) lines.push(line);
  print("lines:", lines, await p.wait());

  p = await asyncio.createSubprocessExec("cat", { stdin: PIPE, stdout: PIPE });
  p.stdin!.write(b("line one\n"));
  await p.stdin!.drain();
  print("cat echoes a line:", await p.stdout!.readline());
  p.stdin!.write(b("tail"));
  p.stdin!.close();
  print("stdin is_closing:", p.stdin!.isClosing());
  await p.stdin!.waitClosed();
  print("rest after stdin closed:", await p.stdout!.read(), await p.wait());

  p = await asyncio.createSubprocessExec("sleep", "30");
  p.kill();
  print("kill ->", await p.wait(), "== -SIGKILL:", p.returncode === -constants.signals.SIGKILL);
  p = await asyncio.createSubprocessExec("sleep", "30");
  p.terminate();
  print("terminate ->", await p.wait());
  p = await asyncio.createSubprocessExec("sleep", "30");
  p.sendSignal(constants.signals.SIGINT);
  print("send_signal(SIGINT) ->", await p.wait());
  try {
    p.sendSignal(constants.signals.SIGTERM);
    print("send_signal after exit: no error");
  } catch (e) {
    if (!(e instanceof asyncio.ProcessLookupError)) throw e;
    print("send_signal after exit:", e.name, repr(e));
  }

  p = await asyncio.createSubprocessShell("exit 0", { stdin: PIPE });
  [out, err] = await p.communicate(Buffer.alloc(1000000, "z"));
  print("child ignores its stdin, communicate ->", out, err, p.returncode);

  try {
    await asyncio.createSubprocessExec("/nonexistent/program", "arg");
  } catch (e) {
    if (!(e instanceof asyncio.FileNotFoundError)) throw e;
    print("missing program:", e.name, e.errno, e.message);
  }
  try {
    await asyncio.createSubprocessShell(["echo"] as unknown as string);
  } catch (e) {
    if (!(e instanceof asyncio.ValueError || e instanceof TypeError)) throw e;
    print("shell with a list:", e.name, e.message);
  }
  try {
    await asyncio.createSubprocessExec("echo", { stdout: PIPE, text: true });
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    print("text=True:", e.name, e.message);
  }

  class Proto extends asyncio.SubprocessProtocol {
    events: string[] = [];
    out: Buffer[] = [];
    done = loop.createFuture<void>();
    override connectionMade(): void {
      this.events.push("connection_made");
    }
    override pipeDataReceived(_fd: number, data: Buffer): void {
      this.out.push(data);
    }
    override pipeConnectionLost(fd: number, exc: Error | null): void {
      this.events.push(`pipe_connection_lost(${fd}, ${repr(exc)})`);
    }
    override processExited(): void {
      this.events.push("process_exited");
    }
    override connectionLost(exc: Error | null): void {
      this.events.push(`connection_lost(${repr(exc)})`);
      this.done.setResult(undefined);
    }
  }
  const [transport, proto] = await loop.subprocessExec(
    () => new Proto(),
    "sh",
    "-c",
    "printf protocol; exit 4",
    { stdin: null, stdout: PIPE, stderr: null },
  );
  print(
    "subprocess_exec: pid is int:",
    Number.isInteger(transport.getPid()),
    "| pipe transports:",
    transport.getPipeTransport(0) === null,
    transport.getPipeTransport(1) !== null,
  );
  await proto.done;
  print(
    "  first:",
    proto.events[0],
    "| last:",
    proto.events[proto.events.length - 1],
    "| middle:",
    proto.events.slice(1, -1).sort(),
  );
  print("  data:", Buffer.concat(proto.out), "| returncode:", transport.getReturncode());
  transport.close();
}

await asyncio.run(main);
