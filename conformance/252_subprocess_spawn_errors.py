# oracle: 3.13 — a program that cannot start raises Popen's OSError (PATH search, cwd, merged stderr), argument checks, shell line numbers, a cancelled start kills the child
import asyncio, os, shutil, tempfile
from asyncio.subprocess import PIPE, STDOUT, DEVNULL

d = tempfile.mkdtemp()
for sub in ("noexec", "ok", "fifo", "isdir/prog"):
    os.makedirs(os.path.join(d, sub))
with open(os.path.join(d, "noexec", "prog"), "w") as f:
    f.write("#!/bin/sh\necho noexec\n")
with open(os.path.join(d, "ok", "prog"), "w") as f:
    f.write("#!/bin/sh\necho \"ok $0 $*\"\necho err >&2\n")
os.chmod(os.path.join(d, "ok", "prog"), 0o755)
os.mkfifo(os.path.join(d, "fifo", "prog"))
open(os.path.join(d, "afile"), "w").close()
os.symlink("loop", os.path.join(d, "loop"))


def clean(x):
    if isinstance(x, str):
        x = x.replace(d, "<d>")
        if len(x) > 60:
            x = x[:10] + "..." + str(len(x))
    return x


async def run(label, *args, **kw):
    try:
        p = await asyncio.create_subprocess_exec(*args, **kw)
        out, err = await p.communicate()
        print(label, "started", out.replace(d.encode(), b"<d>") if out else out, err, p.returncode)
    except OSError as e:
        print(label, type(e).__name__, e.errno, e.strerror, repr(clean(e.filename)))
    except Exception as e:
        print(label, type(e).__name__, clean(str(e)))


async def shell(label, cmd, **kw):
    try:
        p = await asyncio.create_subprocess_shell(cmd, **kw)
        print(label, await p.communicate(), p.returncode)
    except OSError as e:
        print(label, type(e).__name__, e.errno, e.strerror, repr(clean(e.filename)))
    except Exception as e:
        print(label, type(e).__name__, clean(str(e)))


async def main():
    P = lambda *dirs: {"PATH": ":".join(os.path.join(d, x) for x in dirs)}
    for merged in (False, True):
        kw = dict(stdout=PIPE, stderr=STDOUT if merged else PIPE)
        m = "merged" if merged else "split"
        print("--", m)
        await run(m + " missing", "/nonexistent/prog", "a", **kw)
        await run(m + " missing in PATH", "no_such_prog_xyz", **kw)
        await run(m + " not executable", os.path.join(d, "noexec", "prog"), **kw)
        await run(m + " directory", d, **kw)
        await run(m + " fifo", os.path.join(d, "fifo", "prog"), **kw)
        await run(m + " through a file", os.path.join(d, "afile", "x"), **kw)
        await run(m + " trailing slash", os.path.join(d, "ok", "prog") + "/", **kw)
        await run(m + " symlink loop", os.path.join(d, "loop"), **kw)
        await run(m + " name -x", "-x", **kw)
        await run(m + " empty name", "", **kw)
        await run(m + " PATH noexec, missing", "prog", env=P("noexec", "nope"), **kw)
        await run(m + " PATH missing, noexec", "prog", env=P("nope", "noexec"), **kw)
        await run(m + " PATH noexec, ok", "prog", "x", env=P("noexec", "ok"), **kw)
        await run(m + " PATH missing, file", "prog", env=P("nope", "afile"), **kw)
        await run(m + " PATH file, missing", "prog", env=P("afile", "nope"), **kw)
        await run(m + " PATH dir, noexec", "prog", env=P("isdir", "noexec"), **kw)
        await run(m + " PATH empty entry", "prog", env={"PATH": ""}, cwd=os.path.join(d, "ok"), **kw)
        await run(m + " PATH relative", "prog", env={"PATH": "ok"}, cwd=d, **kw)
        await run(m + " no PATH in env", "sh", "-c", "echo $0 ${PATH:-unset}", env={}, **kw)
        await run(m + " ./rel in cwd", "./prog", cwd=os.path.join(d, "noexec"), **kw)
        await run(m + " ./rel runs", "./prog", cwd=os.path.join(d, "ok"), **kw)
        await run(m + " executable missing", "name", executable="/nonexistent/exe", **kw)
        await run(m + " executable not in PATH", "name", executable="nosuch_q", **kw)
        await run(m + " executable runs", "name", "-c", "echo ran", executable="sh", **kw)
        await run(m + " cwd missing", "/nonexistent/p", cwd="/nonexistent/dir", **kw)
        await run(m + " cwd a file", "true", cwd=os.path.join(d, "afile"), **kw)
        await run(m + " cwd empty", "true", cwd="", **kw)
        await run(m + " E2BIG", "echo", "x" * 3_000_000, **kw)
        await run(m + " E2BIG env", "true", env={"A": "x" * 3_000_000}, **kw)
        await run(m + " long path", "/" + "x" * 5000, **kw)
        await run(m + " long name", "x" * 300, **kw)
        await run(m + " long cwd", "true", cwd="/" + "x" * 5000, **kw)
        await run(m + " env PWD", "sh", "-c", 'echo "${PWD-unset}"', env={"PATH": os.environ["PATH"]}, cwd=d, **kw)
        await run(m + " env stale PWD", "printenv", "PWD", env={"PATH": os.environ["PATH"], "PWD": "/stale"}, cwd=d, **kw)
        await run(m + " env no PWD", "printenv", "PWD", env={"PATH": os.environ["PATH"]}, cwd=d, **kw)
        await run(m + " env IFS PPID OPTIND", "printenv", "IFS", "PPID", "OPTIND", env={"PATH": os.environ["PATH"], "IFS": "x", "PPID": "5", "OPTIND": "3"}, **kw)
    print("-- checks")
    await run("NUL in program", "ec\0ho")
    await run("NUL in path", "/bin/ec\0ho")
    await run("NUL in path, cwd", "/bin/ec\0ho", cwd="/")
    await run("NUL in path, merged", "/bin/ec\0ho", stdout=PIPE, stderr=STDOUT)
    await run("NUL in path, merged to inherited", "/bin/ec\0ho", stderr=STDOUT)
    await run("NUL in path, stdin=0", "/bin/ec\0ho", stdin=0)
    await run("NUL in path, DEVNULL", "/bin/ec\0ho", stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL)
    await run("NUL in path, new session", "/bin/ec\0ho", start_new_session=True)
    await run("NUL in executable", "echo", executable="/bin/ec\0ho")
    await run("NUL in args[0] with executable", "ec\0ho", executable="/bin/echo")
    await run("NUL in argument", "echo", "a\0b")
    await run("NUL in argument, path", "/bin/echo", "a\0b")
    await run("NUL in env value", "true", env={"A": "x\0y"})
    await run("NUL in env key", "true", env={"A\0": "x"})
    await run("NUL in cwd", "true", cwd="/tm\0p")
    await run("env int value", "true", env={"A": 1})
    await run("env None value", "true", env={"A": None})
    await run("env = in key", "true", env={"A=B": "c"})
    await run("env key starting with =", "true", env={"=A": "c"})
    await run("env key starting with =, path", "/usr/bin/env", env={"=A": "c"}, stdout=PIPE)
    await run("env empty key", "env", env={"": "v"}, stdout=PIPE)
    await run("env empty key, path", "/usr/bin/env", env={"": "v"}, stdout=PIPE)
    await run("env bytes value", "sh", "-c", "echo $A", env={"A": b"xy"}, stdout=PIPE)
    await run("env = key and NUL program", "ec\0ho", env={"A=B": "x"})
    await run("env = key and NUL path", "/bin/ec\0ho", env={"A=B": "x"})
    await run("env int and NUL argument, path", "/bin/echo", "a\0", env={"A": 1})
    await run("env int and NUL argument", "echo", "a\0", env={"A": 1})
    await run("empty args[0] with executable path", "", "x", executable="/bin/echo")
    await run("empty args[0] with executable path, cwd", "", "x", executable="/bin/echo", cwd="/", stdout=PIPE)
    await run("cwd int", "true", cwd=5)
    await shell("shell NUL", "echo\0x")
    await shell("shell NUL merged", "echo\0x", stdout=PIPE, stderr=STDOUT)
    await shell("shell cwd missing", "echo", cwd="/nonexistent")
    print("-- shell line numbers")
    for merged in (False, True):
        kw = dict(stdout=PIPE, stderr=STDOUT if merged else PIPE)
        m = "merged" if merged else "split"
        await shell(m + " lineno", 'echo "$LINENO $0"', **kw)
        await shell(m + " error line", "echo a; nosuchcmd_q 2>&1 | sed 's/^[^:]*: //'", **kw)
        await shell(m + " syntax error", "if then fi 2>/dev/null", **kw)
        await shell(m + " not found", "nosuchcmd_q", **kw)
        p = await asyncio.create_subprocess_shell("echo $$ >&2", **kw)
        out, err = await p.communicate()
        print(m + " pid is the shell's", (err or out).strip() == str(p.pid).encode())
    print("-- argv[0]")
    await run("executable: argv[0]", "name", "-c", 'echo "$0"', executable="sh", stdout=PIPE)
    await run("name: argv[0]", "sh", "-c", 'echo "$0"', stdout=PIPE, stderr=STDOUT)
    await run("path: argv[0]", "/bin/sh", "-c", 'echo "$0"', stdout=PIPE, stderr=STDOUT)
    print("-- cancelled start")
    marker = os.path.join(d, "marker")
    t = asyncio.create_task(asyncio.create_subprocess_exec("sh", "-c", f"sleep 0.3; touch {marker}", stdout=PIPE))
    asyncio.get_running_loop().call_soon(t.cancel)
    try:
        await t
        print("not cancelled")
    except asyncio.CancelledError:
        print("start cancelled")
    await asyncio.sleep(0.6)
    print("marker exists", os.path.exists(marker))


asyncio.run(main())
shutil.rmtree(d)
