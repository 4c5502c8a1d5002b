# oracle: 3.13
"""Subprocess pipes and Popen options.

Writes to a child's stdin after close() / write_eof() are dropped while what was buffered still
flushes and the pipe closes (the "pipe closed by peer" warning comes at the 6th dropped write);
abort() drops what is buffered; a child killed by a realtime signal has minus that number as
its returncode; a context variable set in connection_made stays in that callback; `user` and
`group` are resolved and checked as Popen does; a shell's `executable` runs the command.
"""
import asyncio, contextvars, grp, logging, os, pwd, re
from asyncio.subprocess import PIPE, DEVNULL, STDOUT


class Show(logging.Handler):
    def emit(self, record):
        print("log", record.levelname, record.getMessage())


logging.getLogger("asyncio").addHandler(Show())
logging.getLogger("asyncio").propagate = False

var = contextvars.ContextVar("var", default="unset")


def mask(s):
    return re.sub(r"fd=\d+", "fd=F", s)


async def run(label, *args, shell=False, **kw):
    try:
        if shell:
            p = await asyncio.create_subprocess_shell(args[0], stdout=PIPE, **kw)
        else:
            p = await asyncio.create_subprocess_exec(*args, stdout=PIPE, **kw)
        out, _ = await p.communicate()
        print(label, out, p.returncode)
    except Exception as e:
        print(label, type(e).__name__, e)


class P(asyncio.SubprocessProtocol):
    def __init__(self, loop):
        self.seen = []
        self.done = loop.create_future()

    def _log(self, name):
        self.seen.append((name, var.get()))
        var.set(f"set-in-{name}")

    def connection_made(self, t):
        self._log("made")

    def pipe_data_received(self, fd, data):
        self._log("data")

    def pipe_connection_lost(self, fd, exc):
        self._log("plost")

    def process_exited(self):
        self._log("exited")

    def connection_lost(self, exc):
        self._log("lost")
        self.done.set_result(None)


async def main():
    loop = asyncio.get_running_loop()
    # 1. a big write, close(), then more writes: dropped, the buffer still flushes
    p = await asyncio.create_subprocess_exec("wc", "-c", stdin=PIPE, stdout=PIPE)
    p.stdin.write(b"a" * 3_000_000)
    p.stdin.close()
    for i in range(7):
        p.stdin.write(b"late")
        print("1 late write", i)
    await asyncio.wait_for(p.stdin.wait_closed(), 10)
    print("1 out", (await asyncio.wait_for(p.stdout.read(), 10)).strip(), await p.wait())
    # the same through the pipe transport: write_eof() then writelines()
    p = await asyncio.create_subprocess_exec("wc", "-c", stdin=PIPE, stdout=PIPE)
    w = p.stdin.transport
    w.write(b"b" * 3_000_000)
    w.write_eof()
    w.writelines([b"x", b"y"])
    print("1 write_eof", w.is_closing())
    print("1 out", (await asyncio.wait_for(p.stdout.read(), 10)).strip(), await p.wait())
    print("1 pipe after", mask(repr(w)), w.get_write_buffer_size())
    # kill() still ends a child whose stdin was closed with data pending
    p = await asyncio.create_subprocess_exec("sleep", "30", stdin=PIPE)
    p.stdin.write(b"c" * 3_000_000)
    p.stdin.close()
    p.stdin.write(b"late")
    p.kill()
    print("1 killed", await asyncio.wait_for(p.wait(), 10))

    # 2. abort() drops what is buffered
    p = await asyncio.create_subprocess_exec("sh", "-c", "sleep 0.2; wc -c", stdin=PIPE, stdout=PIPE)
    w = p.stdin.transport
    w.write(b"d" * 1_000_000)
    print("2 buffered", w.get_write_buffer_size() > 0)
    w.abort()
    print("2 after abort", w.get_write_buffer_size(), w.is_closing(), mask(repr(w)))
    out = await asyncio.wait_for(p.stdout.read(), 10)
    print("2 child got less than all", int(out) < 1_000_000, await p.wait())

    # 3. realtime signals
    for sig in (34, 64):
        p = await asyncio.create_subprocess_exec("sleep", "30")
        p.send_signal(sig)
        print("3 signal", sig, await p.wait())
    p = await asyncio.create_subprocess_exec(
        "sh", "-c", "trap 'exit 0' 34; echo ready; while :; do sleep 0.01; done", stdout=PIPE)
    await p.stdout.readline()
    p.send_signal(34)
    print("3 trapped 34", await p.wait())

    # 4. what connection_made sets stays in its own context
    var.set("A")
    t, pr = await loop.subprocess_exec(lambda: P(loop), "printf", "x", stdin=None, stderr=None)
    var.set("B")
    await pr.done
    print("4 made", pr.seen[0])
    print("4 later", sorted({v for _, v in pr.seen[1:]}), len(pr.seen) >= 4)
    print("4 task", var.get())
    t.close()

    # 5. user and group
    me = pwd.getpwuid(os.getuid()).pw_name
    mygroup = grp.getgrgid(os.getgid()).gr_name
    await run("5 user name", "sh", "-c", f"test $(id -u) = {os.getuid()} && echo same", user=me)
    await run("5 group name", "sh", "-c", f"test $(id -g) = {os.getgid()} && echo same", group=mygroup)
    await run("5 user id", "sh", "-c", f"test $(id -u) = {os.getuid()} && echo same", user=os.getuid())
    await run("5 user nosuch", "id", user="nosuchuser_q")
    await run("5 group nosuch", "id", group="nosuchgroup_q")
    await run("5 user -5", "id", user=-5)
    await run("5 group -5", "id", group=-5)
    await run("5 user 1.5", "id", user=1.5)
    await run("5 group 1.5", "id", group=1.5)
    await run("5 group bytes", "id", group=b"root")
    await run("5 user NUL", "id", user="ro\0ot")
    await run("5 both", "id", user=-1, group=-1)
    try:
        await asyncio.create_subprocess_exec("id", user="nosuchuser_q")
    except KeyError as e:
        print("5 KeyError", repr(e), e.args)

    # 6. the shell's executable
    await run("6 shell executable", "echo $0", shell=True, executable="/bin/bash")
    await run("6 shell executable name", "echo $0", shell=True, executable="sh")
    await run("6 shell executable merged", "echo $0; echo err >&2", shell=True,
              executable="/bin/bash", stderr=STDOUT)
    await run("6 shell executable missing", "echo $0", shell=True, executable="/nonexistent/sh")
    await run("6 exec executable", "myname", "-c", "echo $0", executable="/bin/sh")


asyncio.run(main())
