/**
 * Twin of 201_subprocess_signal_edges.py: signal-handler argument checks, negative return codes,
 * ProcessLookupError after exit, communicate() edge cases, stdin/stdout=STDOUT errors.
 */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const { PIPE, DEVNULL, STDOUT } = asyncio;
const b = (s: string) => Buffer.from(s, "latin1");
const tup = (pair: unknown[]) => `(${pair.map((x) => repr(x)).join(", ")})`;
const err = (e: unknown) => [(e as Error).name, (e as Error).message];

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const cb = () => {};
  async function coro() {}
  for (const [sig, fn] of [
    [0, cb],
    [65, cb],
    [-1, cb],
    [9, cb],
    [19, cb],
    [10, coro],
    [10, 42],
    [1.5, cb],
  ] as [number, unknown][]) {
    try {
      loop.addSignalHandler(sig, fn as () => void);
      print("add", sig, "ok");
      print("remove", loop.removeSignalHandler(sig));
    } catch (e) {
      print("add", repr(sig), ...err(e));
    }
  }
  for (const sig of [0, 65, 12, 9]) {
    try {
      print("remove", repr(sig), loop.removeSignalHandler(sig));
    } catch (e) {
      print("remove", repr(sig), ...err(e));
    }
  }
  let p = await asyncio.createSubprocessExec("sh", "-c", "exit 0", { stdin: PIPE });
  const out = await p.communicate(Buffer.alloc(1_000_000, "x"));
  print("early exit communicate", tup(out), p.returncode);
  p = await asyncio.createSubprocessExec("sleep", "10");
  p.sendSignal(10);
  print("SIGUSR1 ->", await p.wait());
  p = await asyncio.createSubprocessExec("sleep", "10");
  p.terminate();
  print("terminate ->", await p.wait(), await p.wait());
  for (const m of ["kill", "terminate"] as const) {
    try {
      p[m]();
    } catch (e) {
      print(m, "after exit", ...err(e));
    }
  }
  try {
    p.sendSignal(0);
  } catch (e) {
    print("send_signal(0) after exit", ...err(e));
  }
  p = await asyncio.createSubprocessExec("sh", "-c", "echo out; echo err >&2; exit 3", {
    stdout: PIPE,
    stderr: DEVNULL,
  });
  print("devnull", tup(await p.communicate()), p.returncode);
  p = await asyncio.createSubprocessShell("cat", { stdin: PIPE, stdout: PIPE });
  print("cat", tup(await p.communicate(b("hi"))), p.returncode);
  try {
    await p.communicate(b("again"));
    print("communicate twice ok");
  } catch (e) {
    print("communicate twice", ...err(e));
  }
  p = await asyncio.createSubprocessExec("sh", "-c", "exit 0");
  print("communicate no pipes", tup(await p.communicate()), tup(await p.communicate(b("in"))));
  print("stdin/stdout none", p.stdin, p.stdout, p.stderr);
  for (const kw of [{ stdin: STDOUT }, { stdout: STDOUT }]) {
    try {
      await asyncio.createSubprocessExec("true", kw);
    } catch (e) {
      print(kw, ...err(e));
    }
  }
  try {
    await asyncio.createSubprocessExec("/nonexistent/prog");
  } catch (e) {
    const x = e as asyncio.OSError & { filename?: unknown };
    print("missing", x.name, x.errno, x.filename, x.message);
  }
  try {
    await asyncio.createSubprocessExec("/tmp");
  } catch (e) {
    const x = e as asyncio.OSError;
    print("dir", x.name, x.errno, x.message);
  }
  p = await asyncio.createSubprocessExec("sh", "-c", "kill -9 $$");
  print("self-kill", await p.wait());
  p = await asyncio.createSubprocessExec(
    "sh",
    "-c",
    "head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2",
    { stdout: PIPE, stderr: PIPE },
  );
  const [o, e2] = await p.communicate();
  print("large", o!.length, e2!.length);
  p = await asyncio.createSubprocessExec("sleep", "10", { stdin: PIPE });
  p.stdin!.write(b("x"));
  p.kill();
  print("kill then communicate", tup(await p.communicate(b("more"))), p.returncode);
});
