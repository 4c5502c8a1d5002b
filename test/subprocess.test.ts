/**
 * Subprocesses: createSubprocessExec/Shell with PIPE/STDOUT/DEVNULL/file descriptors,
 * communicate() without deadlock on large outputs, returncode (negative signal numbers),
 * signals, concurrent waits, options (cwd, env, executable), errors, and loop.subprocessExec /
 * subprocessShell with a SubprocessProtocol, in both coroutine syntaxes. The CPython-traced
 * version is conformance/102_subprocess.
 */
import assert from "node:assert/strict";
import {
  chmodSync,
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { constants as osConstants, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import * as asyncio from "../src/index.ts";

const { PIPE, STDOUT, DEVNULL } = asyncio;

test("communicate: 8 MiB on stdout and stderr at once while 8 MiB go in (generator syntax)", async () => {
  await asyncio.run(function* () {
    const big = 8 * 1024 * 1024;
    const p = yield* asyncio.createSubprocessShell(
      `cat >/dev/null & head -c ${big} /dev/zero; head -c ${big} /dev/zero >&2; wait`,
      { stdin: PIPE, stdout: PIPE, stderr: PIPE },
    );
    const [out, err] = yield* p.communicate(Buffer.alloc(big, 1));
    assert.equal(out!.length, big);
    assert.equal(err!.length, big);
    assert.equal(p.returncode, 0);
  });
});

test("communicate round trip and returncode (async syntax)", async () => {
  await asyncio.run(async () => {
    const input = Buffer.from("hello\nworld\n");
    const p = await asyncio.createSubprocessExec("sh", "-c", "tr a-z A-Z; exit 3", {
      stdin: PIPE,
      stdout: PIPE,
    });
    assert.equal(typeof p.pid, "number");
    const [out, err] = await p.communicate(input);
    assert.equal(out!.toString(), "HELLO\nWORLD\n");
    assert.equal(err, null);
    assert.equal(p.returncode, 3);
    assert.equal(await p.wait(), 3, "wait() after exit returns at once");
    assert.equal(String(p), `<Process ${p.pid}>`);
  });
});

test("returncode is minus the signal number; signals by number or name", async () => {
  await asyncio.run(async () => {
    const cases: [string | number, number][] = [
      ["SIGKILL", -osConstants.signals.SIGKILL],
      [osConstants.signals.SIGTERM, -osConstants.signals.SIGTERM],
      ["SIGUSR1", -osConstants.signals.SIGUSR1],
    ];
    for (const [sig, expected] of cases) {
      const p = await asyncio.createSubprocessExec("sleep", "30");
      assert.equal(p.returncode, null);
      p.sendSignal(sig as NodeJS.Signals);
      assert.equal(await p.wait(), expected);
      assert.equal(p.returncode, expected);
      assert.throws(() => p.kill(), { name: "ProcessLookupError" });
    }
    const p = await asyncio.createSubprocessExec("sleep", "30");
    p.terminate();
    assert.equal(await p.wait(), -osConstants.signals.SIGTERM);
  });
});

test("several tasks wait for the same process; cancelling one wait leaves the others", async () => {
  await asyncio.run(function* () {
    const p = yield* asyncio.createSubprocessExec("sleep", "0.2");
    const w1 = asyncio.createTask(p.wait());
    const w2 = asyncio.createTask(p.wait());
    const w3 = asyncio.createTask(p.wait());
    yield* asyncio.sleep(0.01);
    w2.cancel();
    const [r1, r3] = yield* asyncio.gather([w1, w3]);
    assert.deepEqual([r1, r3], [0, 0]);
    assert.equal(w2.cancelled(), true);
  });
});

test("stderr=STDOUT merges into the stdout pipe, in order", async () => {
  await asyncio.run(async () => {
    const p = await asyncio.createSubprocessExec(
      "sh",
      "-c",
      "echo 1; echo 2 >&2; echo 3; echo 4 >&2",
      { stdout: PIPE, stderr: STDOUT },
    );
    const [out, err] = await p.communicate();
    assert.equal(out!.toString(), "1\n2\n3\n4\n");
    assert.equal(err, null);
    assert.equal(p.stderr, null);
    const q = await asyncio.createSubprocessShell("echo a; echo b >&2; exit 5", {
      stdout: PIPE,
      stderr: STDOUT,
    });
    assert.equal((await q.stdout!.read()).toString(), "a\nb\n");
    assert.equal(await q.wait(), 5);
  });
});

test("DEVNULL, a file descriptor for stdout, cwd, env and executable", async () => {
  const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-sub-"));
  try {
    await asyncio.run(async () => {
      const p = await asyncio.createSubprocessExec("cat", { stdin: DEVNULL, stdout: PIPE });
      assert.equal((await p.stdout!.read()).length, 0);
      assert.equal(await p.wait(), 0);
      const file = join(dir, "out.txt");
      const fd = openSync(file, "w");
      try {
        const q = await asyncio.createSubprocessShell("pwd; echo $GREETING", {
          stdout: fd,
          cwd: dir,
          env: { GREETING: "hi there", PATH: process.env.PATH },
        });
        assert.equal(await q.wait(), 0);
        assert.equal(q.stdout, null);
      } finally {
        closeSync(fd);
      }
      const [pwd, greeting] = readFileSync(file, "utf8").trim().split("\n");
      assert.equal(pwd, dir);
      assert.equal(greeting, "hi there");
      const r = await asyncio.createSubprocessExec("argv0-name", "-c", 'echo "$0"', {
        executable: "/bin/sh",
        stdout: PIPE,
      });
      const [out] = await r.communicate();
      assert.equal(out!.toString(), "argv0-name\n");
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("reading lines as they come, writing to stdin with drain and waitClosed", async () => {
  await asyncio.run(function* () {
    const p = yield* asyncio.createSubprocessExec("cat", { stdin: PIPE, stdout: PIPE });
    for (let i = 0; i < 20; i++) {
      p.stdin!.write(Buffer.from(`line ${i}\n`));
      yield* p.stdin!.drain();
      assert.equal((yield* p.stdout!.readline()).toString(), `line ${i}\n`);
    }
    assert.equal(p.stdin!.canWriteEof(), true);
    p.stdin!.close();
    yield* p.stdin!.waitClosed();
    assert.equal((yield* p.stdout!.read()).length, 0);
    assert.equal(yield* p.wait(), 0);
  });
});

test("a child that exits without reading stdin: communicate still returns", async () => {
  await asyncio.run(async () => {
    const p = await asyncio.createSubprocessShell("echo done", { stdin: PIPE, stdout: PIPE });
    const [out] = await p.communicate(Buffer.alloc(4 * 1024 * 1024, 0x61));
    assert.equal(out!.toString(), "done\n");
    assert.equal(p.returncode, 0);
  });
});

test("errors: missing program, not executable, bad arguments", async () => {
  await asyncio.run(async () => {
    await assert.rejects(
      async () => {
        await asyncio.createSubprocessExec("/nonexistent/program");
      },
      {
        name: "FileNotFoundError",
        message: "[Errno 2] No such file or directory: '/nonexistent/program'",
      },
    );
    await assert.rejects(
      async () => {
        await asyncio.createSubprocessExec(tmpdir());
      },
      { name: "PermissionError", message: `[Errno 13] Permission denied: '${tmpdir()}'` },
    );
    await assert.rejects(
      async () => {
        await asyncio.createSubprocessExec("echo", { stdout: PIPE, bufsize: 1 });
      },
      { name: "ValueError", message: "bufsize must be 0" },
    );
    await assert.rejects(
      async () => {
        await asyncio.createSubprocessExec("echo", { stdin: STDOUT });
      },
      // CPython: fd -2 given to the child, which fails to dup2 it
      { name: "OSError", message: "[Errno 9] Bad file descriptor" },
    );
    await assert.rejects(
      async () => {
        await asyncio.createSubprocessExec("echo", { stdout: STDOUT });
      },
      { name: "ValueError", message: "STDOUT can only be used for stderr" },
    );
    await assert.rejects(
      async () => {
        await asyncio.createSubprocessExec("echo", 42 as never);
      },
      { name: "TypeError", message: "expected str, bytes or os.PathLike object, not int" },
    );
  });
});

test("loop.subprocessShell with a SubprocessProtocol: callbacks and pipe transports", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const events: string[] = [];
    const chunks: Record<number, string> = { 1: "", 2: "" };
    const done = loop.createFuture<void>();
    class P extends asyncio.SubprocessProtocol {
      override connectionMade(t: asyncio.SubprocessTransport): void {
        events.push(`made pid=${typeof t.getPid()}`);
      }
      override pipeDataReceived(fd: number, data: Buffer): void {
        chunks[fd] += data.toString();
      }
      override pipeConnectionLost(fd: number): void {
        events.push(`pipe ${fd} lost`);
      }
      override processExited(): void {
        events.push("exited");
      }
      override connectionLost(exc: Error | null): void {
        events.push(`lost ${exc}`);
        done.setResult(undefined);
      }
    }
    const [transport] = await loop.subprocessShell(
      () => new P(),
      "read x; echo got $x; echo e >&2",
      {
        stdin: PIPE,
        stdout: PIPE,
        stderr: PIPE,
      },
    );
    const stdin = transport.getPipeTransport(0) as asyncio.WriteTransport;
    stdin.write(Buffer.from("value\n"));
    stdin.close();
    await done;
    assert.equal(events[0], "made pid=number");
    assert.equal(events[events.length - 1], "lost null");
    assert.deepEqual(events.slice(1, -1).sort(), [
      "exited",
      "pipe 0 lost",
      "pipe 1 lost",
      "pipe 2 lost",
    ]);
    assert.deepEqual(chunks, { 1: "got value\n", 2: "e\n" });
    assert.equal(transport.getReturncode(), 0);
    assert.match(String(transport), /^<_UnixSubprocessTransport pid=\d+ returncode=0/);
    transport.close();
  });
});

test("closing the transport of a running child kills it", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const [transport] = await loop.subprocessExec(
      () => new asyncio.SubprocessProtocol(),
      "sleep",
      "30",
    );
    const proc = transport.getExtraInfo("subprocess") as import("node:child_process").ChildProcess;
    const exited = new Promise<string | null>((resolve) =>
      proc.once("exit", (_c, s) => resolve(s)),
    );
    transport.close();
    assert.equal(await exited, "SIGKILL");
  });
});

test("SubprocessProtocol: output and the stdin pipe's loss come before processExited, as CPython orders them", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    for (let i = 0; i < 5; i++) {
      const events: string[] = [];
      const done = loop.createFuture();
      class P extends asyncio.SubprocessProtocol {
        override pipeDataReceived(fd: number): void {
          if (!events.includes(`data${fd}`)) events.push(`data${fd}`);
        }
        override pipeConnectionLost(fd: number): void {
          events.push(`lost${fd}`);
        }
        override processExited(): void {
          events.push("exited");
        }
        override connectionLost(): void {
          done.setResult(null);
        }
      }
      // No stdin/stdout/stderr given: the loop method pipes all three (CPython's defaults).
      const [t] = await loop.subprocessExec(() => new P(), "sh", "-c", "echo a; echo b >&2");
      assert.ok(t.getPipeTransport(0) !== null && t.getPipeTransport(2) !== null);
      await done;
      assert.ok(events.indexOf("lost0") < events.indexOf("exited"), events.join(","));
      assert.ok(events.indexOf("data1") < events.indexOf("exited"), events.join(","));
      assert.ok(events.indexOf("data2") < events.indexOf("exited"), events.join(","));
      t.close();
    }
  });
});

test("a start cancelled before Node's 'spawn' event kills the child at once (CPython's Popen has the pid already)", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const started = performance.now();
    for (const merged of [false, true]) {
      const t = asyncio.createTask(
        asyncio.createSubprocessExec("sleep", "20", {
          stdout: PIPE,
          stderr: merged ? STDOUT : PIPE,
        }),
      );
      loop.callSoon(() => t.cancel());
      await assert.rejects(
        async () => {
          await t;
        },
        { name: "CancelledError" },
      );
    }
    assert.ok(performance.now() - started < 5000, "the cancel waited for the child");
  });
});

test("stderr=STDOUT: a program that cannot run raises at once, as without stderr=STDOUT", async () => {
  const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-sub-"));
  try {
    await asyncio.run(async () => {
      const merged = { stdout: PIPE, stderr: STDOUT };
      for (const opts of [{ stdout: PIPE }, merged]) {
        await assert.rejects(
          async () => {
            await asyncio.createSubprocessExec("no-such-program-xyz", opts);
          },
          {
            name: "FileNotFoundError",
            message: "[Errno 2] No such file or directory: 'no-such-program-xyz'",
          },
        );
        await assert.rejects(
          async () => {
            await asyncio.createSubprocessExec("-x", opts);
          },
          { name: "FileNotFoundError", message: "[Errno 2] No such file or directory: '-x'" },
        );
        await assert.rejects(
          async () => {
            await asyncio.createSubprocessExec("name", { executable: "/nonexistent/exe", ...opts });
          },
          {
            name: "FileNotFoundError",
            message: "[Errno 2] No such file or directory: '/nonexistent/exe'",
          },
        );
      }
      // A program named -x that exists is run, not taken as an option.
      const prog = join(dir, "-x");
      writeFileSync(prog, '#!/bin/sh\necho "dash $0 $1"; echo err >&2\n');
      chmodSync(prog, 0o755);
      const p = await asyncio.createSubprocessExec("-x", "arg", {
        env: { PATH: `${dir}:${process.env.PATH}` },
        ...merged,
      });
      const [out] = await p.communicate();
      assert.equal(out!.toString(), `dash ${prog} arg\nerr\n`);
      // The environment reaches the program as given (dash would export PWD, reset IFS).
      const q = await asyncio.createSubprocessExec("env", {
        env: { A: "1", IFS: "x" },
        cwd: dir,
        ...merged,
      });
      const [env] = await q.communicate();
      assert.deepEqual(env!.toString().trim().split("\n").sort(), ["A=1", "IFS=x"]);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("pipe transport reprs show the fd and the state as _UnixRead/WritePipeTransport's do", async () => {
  await asyncio.run(async () => {
    const proc = await asyncio.createSubprocessExec("sleep", "5", {
      stdin: PIPE,
      stdout: PIPE,
      stderr: DEVNULL,
    });
    const t = (proc as unknown as { _transport: asyncio.SubprocessTransport })._transport;
    const stdin = String(t.getPipeTransport(0));
    const stdout = String(t.getPipeTransport(1));
    assert.match(stdin, /^<_UnixWritePipeTransport fd=\d+ idle bufsize=0>$/);
    assert.match(stdout, /^<_UnixReadPipeTransport fd=\d+ polling>$/);
    proc.kill();
    await proc.wait();
    t.close();
    assert.match(
      String(t.getPipeTransport(0) ?? "<none>"),
      /^<_UnixWritePipeTransport closed fd=\d+ closed>$|^<none>$/,
    );
  });
});
