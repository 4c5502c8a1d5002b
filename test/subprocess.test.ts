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
import { constants as osConstants, tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pyRepr, pyStr } from "../src/format.ts";
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

test("options inherited through the prototype count (createSubprocessExec, loop.subprocessShell)", async () => {
  await asyncio.run(async () => {
    const p = await asyncio.createSubprocessExec(
      "sh",
      "-c",
      "echo $PWD",
      Object.create({ stdout: PIPE, cwd: "/tmp" }),
    );
    const [out] = await p.communicate();
    assert.equal(out!.toString(), "/tmp\n");
    const loop = asyncio.getRunningLoop();
    const got: string[] = [];
    const [transport] = await loop.subprocessShell(
      () =>
        new (class extends asyncio.SubprocessProtocol {
          override pipeDataReceived(_fd: number, data: Uint8Array): void {
            got.push(Buffer.from(data).toString());
          }
        })(),
      "echo $PWD",
      Object.create({ cwd: "/tmp", stdin: null, stderr: null }),
    );
    while (transport.getReturncode() === null) await asyncio.sleep(0.01);
    await asyncio.sleep(0.01);
    assert.equal(got.join(""), "/tmp\n");
    transport.close();
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

test("writes after close()/writeEof() on stdin are dropped: the buffer still flushes, the pipe closes, kill() ends wait()", async () => {
  await asyncio.run(async () => {
    let p = await asyncio.createSubprocessExec("wc", "-c", { stdin: PIPE, stdout: PIPE });
    p.stdin!.write(Buffer.alloc(3_000_000, "a"));
    p.stdin!.close();
    p.stdin!.write(Buffer.from("late"));
    await asyncio.waitFor(p.stdin!.waitClosed(), 10);
    let out = await asyncio.waitFor(p.stdout!.read(), 10);
    assert.equal(out.toString().trim(), "3000000");
    assert.equal(await asyncio.waitFor(p.wait(), 10), 0);

    p = await asyncio.createSubprocessExec("wc", "-c", { stdin: PIPE, stdout: PIPE });
    const w = p.stdin!.transport as asyncio.WriteTransport;
    w.write(Buffer.alloc(3_000_000, "b"));
    w.writeEof();
    w.writelines([Buffer.from("x"), Buffer.from("y")]);
    out = await asyncio.waitFor(p.stdout!.read(), 10);
    assert.equal(out.toString().trim(), "3000000");
    assert.equal(await asyncio.waitFor(p.wait(), 10), 0);
    assert.match(String(w), /^<_UnixWritePipeTransport closed fd=\d+ closed>$/);

    p = await asyncio.createSubprocessExec("sleep", "30", { stdin: PIPE });
    p.stdin!.write(Buffer.alloc(3_000_000, "c"));
    p.stdin!.close();
    p.stdin!.write(Buffer.from("late"));
    p.kill();
    assert.equal(await asyncio.waitFor(p.wait(), 10), -osConstants.signals.SIGKILL);
  });
});

test("the 'pipe closed by peer' warning comes from the 6th write dropped after close, as CPython's", async () => {
  const warnedAt: number[] = [];
  let current = -1;
  const h = (r: asyncio.LogRecord) => {
    if (r.message.startsWith("pipe closed by peer")) warnedAt.push(current);
  };
  asyncio.logger.addHandler(h);
  try {
    await asyncio.run(async () => {
      let p = await asyncio.createSubprocessExec("cat", { stdin: PIPE, stdout: PIPE });
      p.stdin!.close();
      for (current = 0; current < 8; current++) p.stdin!.write(Buffer.from("x"));
      assert.deepEqual(await p.communicate(), [Buffer.alloc(0), null]);
      assert.deepEqual(warnedAt, [5, 6, 7]);
      // The child's exit closes the pipe: the same count.
      warnedAt.length = 0;
      p = await asyncio.createSubprocessExec("sh", "-c", "exit 0", { stdin: PIPE });
      await p.wait();
      for (current = 0; current < 7; current++) p.stdin!.write(Buffer.from("y"));
      assert.deepEqual(warnedAt, [5, 6]);
    });
  } finally {
    asyncio.logger.removeHandler(h);
  }
});

test("abort() of a stdin pipe drops what is buffered (the child does not get it)", async () => {
  await asyncio.run(async () => {
    const lost: unknown[] = [];
    const p = await asyncio.createSubprocessExec("sh", "-c", "sleep 0.2; wc -c", {
      stdin: PIPE,
      stdout: PIPE,
    });
    const w = p.stdin!.transport as asyncio.WriteTransport;
    w.write(Buffer.alloc(1_000_000, "d"));
    assert.ok(w.getWriteBufferSize() > 0);
    const proto = w.getProtocol() as asyncio.BaseProtocol;
    const connectionLost = proto.connectionLost.bind(proto);
    proto.connectionLost = (exc: Error | null) => {
      lost.push(exc);
      connectionLost(exc);
    };
    w.abort();
    assert.equal(w.getWriteBufferSize(), 0);
    assert.equal(w.isClosing(), true);
    assert.match(String(w), /^<_UnixWritePipeTransport closing fd=\d+ idle bufsize=0>$/);
    assert.deepEqual(lost, [], "connectionLost comes in the next iteration");
    await asyncio.sleep(0);
    assert.deepEqual(lost, [null]);
    w.abort(); // a second abort does nothing
    await asyncio.sleep(0);
    assert.deepEqual(lost, [null]);
    const out = await asyncio.waitFor(p.stdout!.read(), 10);
    assert.ok(Number(out.toString()) < 1_000_000, `the child got ${out}`);
    assert.equal(await p.wait(), 0);
  });
});

test("a child killed by a realtime signal sendSignal sent has minus its number as returncode", async () => {
  await asyncio.run(async () => {
    for (const sig of [34, 50, 64]) {
      const p = await asyncio.createSubprocessExec("sleep", "30");
      p.sendSignal(sig);
      assert.equal(await asyncio.waitFor(p.wait(), 10), -sig);
    }
    // A child that catches (or ignores) the signal is not killed by it: its own status.
    const p = await asyncio.createSubprocessExec(
      "sh",
      "-c",
      "trap 'exit 0' 34; trap '' 35; echo ready; while :; do sleep 0.01; done",
      { stdout: PIPE },
    );
    await p.stdout!.readline();
    p.sendSignal(35);
    await asyncio.sleep(0.1);
    assert.equal(p.returncode, null);
    p.sendSignal(34);
    assert.equal(await asyncio.waitFor(p.wait(), 10), 0);
  });
});

test("a context variable set in a SubprocessProtocol's connectionMade stays in that callback", async () => {
  const v = new asyncio.ContextVar<string>("v", { default: "unset" });
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const seen: [string, string][] = [];
    const done = loop.createFuture<void>();
    const log = (name: string) => {
      seen.push([name, v.get()]);
      v.set(`set-in-${name}`);
    };
    class P extends asyncio.SubprocessProtocol {
      override connectionMade(): void {
        log("made");
      }
      override pipeDataReceived(): void {
        log("data");
      }
      override pipeConnectionLost(): void {
        log("plost");
      }
      override processExited(): void {
        log("exited");
      }
      override connectionLost(): void {
        log("lost");
        done.setResult(undefined);
      }
    }
    v.set("A");
    const [t] = await loop.subprocessExec(() => new P(), "printf", "x", {
      stdin: null,
      stderr: null,
    });
    v.set("B");
    await done;
    assert.ok(seen.length >= 5, String(seen));
    assert.deepEqual(
      seen.map(([, x]) => x),
      seen.map(() => "A"),
    );
    assert.equal(v.get(), "B");
    t.close();
  });
});

test("user and group: names looked up, ids checked, bad values raise as Popen", async () => {
  const uid = process.getuid!();
  const gid = process.getgid!();
  const me = userInfo().username;
  const myGroup = readFileSync("/etc/group", "utf8")
    .split("\n")
    .map((l) => l.split(":"))
    .find((f) => f[2] === String(gid))?.[0];
  await asyncio.run(async () => {
    const idOf = async (flag: string, opts: asyncio.CreateSubprocessOptions) => {
      const p = await asyncio.createSubprocessExec("id", flag, { stdout: PIPE, ...opts });
      const [out] = await p.communicate();
      return Number(out!.toString());
    };
    assert.equal(await idOf("-u", { user: me }), uid);
    assert.equal(await idOf("-u", { user: uid }), uid);
    if (myGroup !== undefined) assert.equal(await idOf("-g", { group: myGroup }), gid);
    assert.equal(await idOf("-g", { group: gid }), gid);
    const raises = async (opts: Record<string, unknown>, cls: unknown, message: string) => {
      await assert.rejects(
        async () => {
          await asyncio.createSubprocessExec("id", opts as asyncio.CreateSubprocessOptions);
        },
        (e: Error) => {
          assert.ok(e instanceof (cls as typeof Error), `${e.name}: ${e.message}`);
          assert.equal(pyStr(e), message);
          return true;
        },
      );
    };
    await raises(
      { user: "nosuchuser_q" },
      asyncio.KeyError,
      `"getpwnam(): name not found: 'nosuchuser_q'"`,
    );
    await raises(
      { group: "nosuchgroup_q" },
      asyncio.KeyError,
      `"getgrnam(): name not found: 'nosuchgroup_q'"`,
    );
    await raises({ user: -5 }, asyncio.ValueError, "User ID cannot be negative, got -5");
    await raises({ group: -5 }, asyncio.ValueError, "Group ID cannot be negative, got -5");
    await raises({ user: 1.5 }, TypeError, "User must be a string or an integer");
    await raises(
      { group: 1.5 },
      TypeError,
      "Group must be a string or an integer, not <class 'float'>",
    );
    await raises(
      { group: Buffer.from("root") },
      TypeError,
      "Group must be a string or an integer, not <class 'bytes'>",
    );
    await raises({ user: "ro\0ot" }, asyncio.ValueError, "embedded null byte");
    // Popen checks the group first.
    await raises(
      { user: -1, group: -1 },
      asyncio.ValueError,
      "Group ID cannot be negative, got -1",
    );
    await raises({ user: 2 ** 32 }, asyncio.OverflowError, "uid is less than minimum");
  });
  const e = new asyncio.KeyError("k");
  assert.equal(e.message, "'k'");
  assert.equal(pyRepr(e), "KeyError('k')");
});

test("createSubprocessShell / subprocessShell run [executable, '-c', cmd] with executable", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const shellOut = async (cmd: string, opts: asyncio.CreateSubprocessOptions) => {
      const p = await asyncio.createSubprocessShell(cmd, { stdout: PIPE, ...opts });
      const [out] = await p.communicate();
      return out!.toString();
    };
    assert.equal(await shellOut("echo $0", { executable: "/bin/bash" }), "/bin/bash\n");
    assert.equal(await shellOut("echo $0", { executable: "sh" }), "sh\n");
    assert.equal(await shellOut("echo $0", {}), "/bin/sh\n");
    assert.equal(
      await shellOut("echo $0; echo err >&2", { executable: "/bin/bash", stderr: STDOUT }),
      "/bin/bash\nerr\n",
    );
    await assert.rejects(
      async () => {
        await asyncio.createSubprocessShell("echo $0", { executable: "/nonexistent/sh" });
      },
      (e: Error) =>
        e instanceof asyncio.FileNotFoundError &&
        e.message === "[Errno 2] No such file or directory: '/nonexistent/sh'",
    );
    const done = loop.createFuture<void>();
    let out = "";
    class P extends asyncio.SubprocessProtocol {
      override pipeDataReceived(_fd: number, data: Buffer): void {
        out += data.toString();
      }
      override connectionLost(): void {
        done.setResult(undefined);
      }
    }
    const [t] = await loop.subprocessShell(() => new P(), "echo $0", {
      executable: "/bin/bash",
      stdin: null,
      stderr: null,
    });
    await done;
    assert.equal(out, "/bin/bash\n");
    t.close();
  });
});

test("a child exiting with stdin data pending: drain() raises BrokenPipeError() (the hang-up, not a failed write); argument checks in CPython's order", async () => {
  await asyncio.run(async () => {
    const p = await asyncio.createSubprocessExec("sh", "-c", "sleep 0.1; exit 3", {
      stdin: asyncio.PIPE,
    });
    p.stdin!.write(Buffer.alloc(2_000_000, 0x7a));
    await assert.rejects(
      async () => await p.stdin!.drain(),
      (e) => e instanceof asyncio.BrokenPipeError && (e as { args: unknown[] }).args.length === 0,
    );
    assert.equal(await p.wait(), 3);
    // bufsize is checked before text, as CPython does
    await assert.rejects(
      async () =>
        await asyncio
          .getRunningLoop()
          .subprocessExec(() => new asyncio.SubprocessProtocol(), "true", {
            bufsize: 1,
            text: true,
          }),
      { name: "ValueError", message: "bufsize must be 0" },
    );
  });
});

test("sendSignal checks its argument even once the child has exited (its transport not finished)", async () => {
  await asyncio.run(async () => {
    // a grandchild keeps stdout open: the transport outlives the child
    const p = await asyncio.createSubprocessExec("sh", "-c", "sleep 0.3 & exit 3", {
      stdout: asyncio.PIPE,
    });
    while (p.returncode === null) await asyncio.sleep(0.01);
    assert.throws(() => p.sendSignal(1.5 as never), {
      name: "TypeError",
      message: "'float' object cannot be interpreted as an integer",
    });
    p.sendSignal(1); // gone: ignored
    await p.communicate();
  });
});

test("passFds keeps descriptors open in the child under their numbers; Popen options Node cannot honour are refused, a bad env is a TypeError", async () => {
  const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-sub-"));
  const file = join(dir, "passed.txt");
  writeFileSync(file, "through the fd\n");
  const fd = openSync(file, "r");
  try {
    await asyncio.run(async () => {
      const p = await asyncio.createSubprocessExec(
        "/bin/sh",
        "-c",
        `test -e /proc/self/fd/${fd} && echo open || echo closed`,
        { stdout: PIPE, passFds: [fd] },
      );
      assert.equal(Buffer.from((await p.communicate())[0]!).toString(), "open\n");
      const q = await asyncio.createSubprocessExec(
        "/bin/sh",
        "-c",
        `test -e /proc/self/fd/${fd} && echo open || echo closed`,
        { stdout: PIPE, closeFds: true },
      );
      assert.equal(Buffer.from((await q.communicate())[0]!).toString(), "closed\n");
      const refused: [Record<string, unknown>, string][] = [
        [{ umask: 0o77 }, "umask is not supported: Node cannot set a child's umask"],
        [
          { preexecFn: () => {} },
          "preexec_fn is not supported: Node runs no code in the child before exec",
        ],
        [
          { processGroup: 0 },
          "process_group is not supported: Node cannot set a child's process group (start_new_session can)",
        ],
        [
          { closeFds: false },
          "close_fds=False is not supported: Node closes every descriptor not in stdio or pass_fds",
        ],
        [
          { restoreSignals: false },
          "restore_signals=False is not supported: Node always restores the signals' default actions",
        ],
        [
          { extraGroups: [0] },
          "extra_groups is not supported: Node cannot set a child's supplementary groups",
        ],
        [{ pipesize: 4096 }, "pipesize is not supported: Node cannot size a child's pipes"],
        [{ passFds: [-1] }, "bad value(s) in fds_to_keep"],
      ];
      for (const [options, message] of refused) {
        await assert.rejects(async () => await asyncio.createSubprocessExec("true", options), {
          name: "ValueError",
          message,
        });
      }
      for (const env of [5, true, "ab", ["A=1"]]) {
        await assert.rejects(
          async () => await asyncio.createSubprocessExec("true", { env: env as never }),
          {
            name: "TypeError",
            message: "posix_spawn: environment must be a mapping object or None",
          },
        );
      }
      // A Map is a mapping, as a dict is.
      const m = await asyncio.createSubprocessExec("/bin/sh", "-c", "echo $A", {
        stdout: PIPE,
        env: new Map([["A", "from a map"]]) as never,
      });
      assert.equal(Buffer.from((await m.communicate())[0]!).toString(), "from a map\n");
    });
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});
