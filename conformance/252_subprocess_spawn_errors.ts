/** Twin of 252_subprocess_spawn_errors.py: Popen's errors for a program that cannot start, its argument checks, shell line numbers, a cancelled start. */

import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const { PIPE, STDOUT, DEVNULL } = asyncio;
const d = mkdtempSync(join(tmpdir(), "tmp"));
for (const sub of ["noexec", "ok", "fifo", "isdir/prog"])
  mkdirSync(join(d, sub), { recursive: true });
writeFileSync(join(d, "noexec", "prog"), "#!/bin/sh\necho noexec\n");
writeFileSync(join(d, "ok", "prog"), '#!/bin/sh\necho "ok $0 $*"\necho err >&2\n');
chmodSync(join(d, "ok", "prog"), 0o755);
spawnSync("mkfifo", [join(d, "fifo", "prog")]);
writeFileSync(join(d, "afile"), "");
symlinkSync("loop", join(d, "loop"));

function clean(x: unknown): unknown {
  if (typeof x === "string") {
    let s = x.replaceAll(d, "<d>");
    if (s.length > 60) s = `${s.slice(0, 10)}...${s.length}`;
    return s;
  }
  return x;
}
const bytes = (b: Buffer | null) =>
  b === null
    ? b
    : b.length === 0
      ? b
      : Buffer.from(b.toString("latin1").replaceAll(d, "<d>"), "latin1");

function report(label: string, e: unknown): void {
  if (e instanceof asyncio.OSError) {
    print(label, e.name, e.errno, e.strerror, repr(clean(e.filename)));
  } else if (e instanceof Error) {
    print(label, e.name, clean(e.message));
  } else throw e;
}

// biome-ignore lint/suspicious/noExplicitAny: scenario passes odd values on purpose
async function run(label: string, ...args: any[]): Promise<void> {
  try {
    const p = await asyncio.createSubprocessExec(...(args as [string]));
    const [out, err] = await p.communicate();
    print(label, "started", bytes(out), err, p.returncode);
  } catch (e) {
    report(label, e);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: scenario passes odd values on purpose
async function shell(label: string, cmd: string, kw: any = {}): Promise<void> {
  try {
    const p = await asyncio.createSubprocessShell(cmd, kw);
    const [out, err] = await p.communicate();
    print(label, `(${repr(out)}, ${repr(err)})`, p.returncode);
  } catch (e) {
    report(label, e);
  }
}

await asyncio.run(async () => {
  const P = (...dirs: string[]) => ({ PATH: dirs.map((x) => join(d, x)).join(":") });
  const PATH = process.env.PATH!;
  for (const merged of [false, true]) {
    const kw = { stdout: PIPE, stderr: merged ? STDOUT : PIPE };
    const m = merged ? "merged" : "split";
    print("--", m);
    await run(`${m} missing`, "/nonexistent/prog", "a", kw);
    await run(`${m} missing in PATH`, "no_such_prog_xyz", kw);
    await run(`${m} not executable`, join(d, "noexec", "prog"), kw);
    await run(`${m} directory`, d, kw);
    await run(`${m} fifo`, join(d, "fifo", "prog"), kw);
    await run(`${m} through a file`, join(d, "afile", "x"), kw);
    await run(`${m} trailing slash`, `${join(d, "ok", "prog")}/`, kw);
    await run(`${m} symlink loop`, join(d, "loop"), kw);
    await run(`${m} name -x`, "-x", kw);
    await run(`${m} empty name`, "", kw);
    await run(`${m} PATH noexec, missing`, "prog", { env: P("noexec", "nope"), ...kw });
    await run(`${m} PATH missing, noexec`, "prog", { env: P("nope", "noexec"), ...kw });
    await run(`${m} PATH noexec, ok`, "prog", "x", { env: P("noexec", "ok"), ...kw });
    await run(`${m} PATH missing, file`, "prog", { env: P("nope", "afile"), ...kw });
    await run(`${m} PATH file, missing`, "prog", { env: P("afile", "nope"), ...kw });
    await run(`${m} PATH dir, noexec`, "prog", { env: P("isdir", "noexec"), ...kw });
    await run(`${m} PATH empty entry`, "prog", { env: { PATH: "" }, cwd: join(d, "ok"), ...kw });
    await run(`${m} PATH relative`, "prog", { env: { PATH: "ok" }, cwd: d, ...kw });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
    await run(`${m} no PATH in env`, "sh", "-c", "echo $0 ${PATH:-unset}", { env: {}, ...kw });
    await run(`${m} ./rel in cwd`, "./prog", { cwd: join(d, "noexec"), ...kw });
    await run(`${m} ./rel runs`, "./prog", { cwd: join(d, "ok"), ...kw });
    await run(`${m} executable missing`, "name", { executable: "/nonexistent/exe", ...kw });
    await run(`${m} executable not in PATH`, "name", { executable: "nosuch_q", ...kw });
    await run(`${m} executable runs`, "name", "-c", "echo ran", { executable: "sh", ...kw });
    await run(`${m} cwd missing`, "/nonexistent/p", { cwd: "/nonexistent/dir", ...kw });
    await run(`${m} cwd a file`, "true", { cwd: join(d, "afile"), ...kw });
    await run(`${m} cwd empty`, "true", { cwd: "", ...kw });
    await run(`${m} E2BIG`, "echo", "x".repeat(3_000_000), kw);
    await run(`${m} E2BIG env`, "true", { env: { A: "x".repeat(3_000_000) }, ...kw });
    await run(`${m} long path`, `/${"x".repeat(5000)}`, kw);
    await run(`${m} long name`, "x".repeat(300), kw);
    await run(`${m} long cwd`, "true", { cwd: `/${"x".repeat(5000)}`, ...kw });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
    await run(`${m} env PWD`, "sh", "-c", 'echo "${PWD-unset}"', { env: { PATH }, cwd: d, ...kw });
    await run(`${m} env stale PWD`, "printenv", "PWD", {
      env: { PATH, PWD: "/stale" },
      cwd: d,
      ...kw,
    });
    await run(`${m} env no PWD`, "printenv", "PWD", { env: { PATH }, cwd: d, ...kw });
    await run(`${m} env IFS PPID OPTIND`, "printenv", "IFS", "PPID", "OPTIND", {
      env: { PATH, IFS: "x", PPID: "5", OPTIND: "3" },
      ...kw,
    });
  }
  print("-- checks");
  await run("NUL in program", "ec\0ho");
  await run("NUL in path", "/bin/ec\0ho");
  await run("NUL in path, cwd", "/bin/ec\0ho", { cwd: "/" });
  await run("NUL in path, merged", "/bin/ec\0ho", { stdout: PIPE, stderr: STDOUT });
  await run("NUL in path, merged to inherited", "/bin/ec\0ho", { stderr: STDOUT });
  await run("NUL in path, stdin=0", "/bin/ec\0ho", { stdin: 0 });
  await run("NUL in path, DEVNULL", "/bin/ec\0ho", {
    stdin: DEVNULL,
    stdout: DEVNULL,
    stderr: DEVNULL,
  });
  await run("NUL in path, new session", "/bin/ec\0ho", { startNewSession: true });
  await run("NUL in executable", "echo", { executable: "/bin/ec\0ho" });
  await run("NUL in args[0] with executable", "ec\0ho", { executable: "/bin/echo" });
  await run("NUL in argument", "echo", "a\0b");
  await run("NUL in argument, path", "/bin/echo", "a\0b");
  await run("NUL in env value", "true", { env: { A: "x\0y" } });
  await run("NUL in env key", "true", { env: { "A\0": "x" } });
  await run("NUL in cwd", "true", { cwd: "/tm\0p" });
  await run("env int value", "true", { env: { A: 1 } });
  await run("env None value", "true", { env: { A: null } });
  await run("env = in key", "true", { env: { "A=B": "c" } });
  await run("env key starting with =", "true", { env: { "=A": "c" } });
  await run("env key starting with =, path", "/usr/bin/env", { env: { "=A": "c" }, stdout: PIPE });
  await run("env empty key", "env", { env: { "": "v" }, stdout: PIPE });
  await run("env empty key, path", "/usr/bin/env", { env: { "": "v" }, stdout: PIPE });
  await run("env bytes value", "sh", "-c", "echo $A", {
    env: { A: Buffer.from("xy") },
    stdout: PIPE,
  });
  await run("env = key and NUL program", "ec\0ho", { env: { "A=B": "x" } });
  await run("env = key and NUL path", "/bin/ec\0ho", { env: { "A=B": "x" } });
  await run("env int and NUL argument, path", "/bin/echo", "a\0", { env: { A: 1 } });
  await run("env int and NUL argument", "echo", "a\0", { env: { A: 1 } });
  await run("empty args[0] with executable path", "", "x", { executable: "/bin/echo" });
  await run("empty args[0] with executable path, cwd", "", "x", {
    executable: "/bin/echo",
    cwd: "/",
    stdout: PIPE,
  });
  await run("cwd int", "true", { cwd: 5 });
  await shell("shell NUL", "echo\0x");
  await shell("shell NUL merged", "echo\0x", { stdout: PIPE, stderr: STDOUT });
  await shell("shell cwd missing", "echo", { cwd: "/nonexistent" });
  print("-- shell line numbers");
  for (const merged of [false, true]) {
    const kw = { stdout: PIPE, stderr: merged ? STDOUT : PIPE };
    const m = merged ? "merged" : "split";
    await shell(`${m} lineno`, 'echo "$LINENO $0"', kw);
    await shell(`${m} error line`, "echo a; nosuchcmd_q 2>&1 | sed 's/^[^:]*: //'", kw);
    await shell(`${m} syntax error`, "if then fi 2>/dev/null", kw);
    await shell(`${m} not found`, "nosuchcmd_q", kw);
    const p = await asyncio.createSubprocessShell("echo $$ >&2", kw);
    const [out, err] = await p.communicate();
    print(`${m} pid is the shell's`, (err ?? out)!.toString().trim() === String(p.pid));
  }
  print("-- argv[0]");
  await run("executable: argv[0]", "name", "-c", 'echo "$0"', { executable: "sh", stdout: PIPE });
  await run("name: argv[0]", "sh", "-c", 'echo "$0"', { stdout: PIPE, stderr: STDOUT });
  await run("path: argv[0]", "/bin/sh", "-c", 'echo "$0"', { stdout: PIPE, stderr: STDOUT });
  print("-- cancelled start");
  const marker = join(d, "marker");
  const t = asyncio.createTask(
    asyncio.createSubprocessExec("sh", "-c", `sleep 0.3; touch ${marker}`, { stdout: PIPE }),
  );
  asyncio.getRunningLoop().callSoon(() => t.cancel());
  try {
    await t;
    print("not cancelled");
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("start cancelled");
  }
  await asyncio.sleep(0.6);
  print("marker exists", existsSync(marker));
});
rmSync(d, { recursive: true, force: true });
