# oracle: 3.13 — 3.13 subprocess semantics (wait() after the pipes close; ProcessLookupError after exit)
"""Subprocesses: create_subprocess_exec/shell with PIPE, STDOUT, DEVNULL; communicate() with
large input and output on both pipes (no deadlock); returncode (negative signal number when
killed); send_signal/terminate/kill; stdin writer drain/close/wait_closed; reading lines;
errors; loop.subprocess_exec with a SubprocessProtocol. Uses only sh, cat, echo, printf,
head, sleep."""
import asyncio
import signal
from asyncio.subprocess import DEVNULL, PIPE, STDOUT


async def main():
    loop = asyncio.get_running_loop()

    p = await asyncio.create_subprocess_exec("echo", "hello", "world", stdout=PIPE)
    print("returncode while running or exited, before wait:", p.returncode in (None, 0))
    out, err = await p.communicate()
    print("echo:", out, err, p.returncode, "| repr:", repr(p).startswith("<Process "))

    data = bytes(range(256)) * 4096  # 1 MiB
    p = await asyncio.create_subprocess_exec("cat", stdin=PIPE, stdout=PIPE)
    out, _ = await p.communicate(data)
    print("cat 1 MiB round trip:", len(out), out == data, p.returncode)

    p = await asyncio.create_subprocess_shell(
        "head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2; exit 7",
        stdout=PIPE, stderr=PIPE)
    out, err = await p.communicate()
    print("both pipes 300000/200000:", len(out), len(err), "| returncode:", p.returncode)

    p = await asyncio.create_subprocess_shell("echo out; echo err >&2", stdout=PIPE, stderr=STDOUT)
    out, err = await p.communicate()
    print("stderr=STDOUT:", out, err, "| p.stderr:", p.stderr)

    p = await asyncio.create_subprocess_exec("sh", "-c", "echo to-stderr >&2", stdout=PIPE, stderr=STDOUT)
    print("exec with stderr=STDOUT:", await p.stdout.read(), await p.wait())

    p = await asyncio.create_subprocess_exec("echo", "hidden", stdout=DEVNULL, stderr=DEVNULL)
    print("DEVNULL: wait ->", await p.wait(), "| stdout:", p.stdout)

    p = await asyncio.create_subprocess_exec("printf", "a\\nbb\\nccc", stdout=PIPE)
    print("lines:", [line async for line in p.stdout], await p.wait())

    p = await asyncio.create_subprocess_exec("cat", stdin=PIPE, stdout=PIPE)
    p.stdin.write(b"line one\n")
    await p.stdin.drain()
    print("cat echoes a line:", await p.stdout.readline())
    p.stdin.write(b"tail")
    p.stdin.close()
    print("stdin is_closing:", p.stdin.is_closing())
    await p.stdin.wait_closed()
    print("rest after stdin closed:", await p.stdout.read(), await p.wait())

    p = await asyncio.create_subprocess_exec("sleep", "30")
    p.kill()
    print("kill ->", await p.wait(), "== -SIGKILL:", p.returncode == -signal.SIGKILL)
    p = await asyncio.create_subprocess_exec("sleep", "30")
    p.terminate()
    print("terminate ->", await p.wait())
    p = await asyncio.create_subprocess_exec("sleep", "30")
    p.send_signal(signal.SIGINT)
    print("send_signal(SIGINT) ->", await p.wait())
    try:
        p.send_signal(signal.SIGTERM)
        print("send_signal after exit: no error")
    except ProcessLookupError as e:
        print("send_signal after exit:", type(e).__name__, repr(e))

    p = await asyncio.create_subprocess_shell("exit 0", stdin=PIPE)
    out, err = await p.communicate(b"z" * 1000000)
    print("child ignores its stdin, communicate ->", out, err, p.returncode)

    try:
        await asyncio.create_subprocess_exec("/nonexistent/program", "arg")
    except FileNotFoundError as e:
        print("missing program:", type(e).__name__, e.errno, e)
    try:
        await asyncio.create_subprocess_shell(["echo"])
    except (ValueError, TypeError) as e:
        print("shell with a list:", type(e).__name__, e)
    try:
        await asyncio.create_subprocess_exec("echo", stdout=PIPE, text=True)
    except ValueError as e:
        print("text=True:", type(e).__name__, e)

    class Proto(asyncio.SubprocessProtocol):
        def __init__(self):
            self.events = []
            self.out = bytearray()
            self.done = loop.create_future()

        def connection_made(self, transport):
            self.events.append("connection_made")

        def pipe_data_received(self, fd, data):
            self.out += data

        def pipe_connection_lost(self, fd, exc):
            self.events.append(f"pipe_connection_lost({fd}, {exc!r})")

        def process_exited(self):
            self.events.append("process_exited")

        def connection_lost(self, exc):
            self.events.append(f"connection_lost({exc!r})")
            self.done.set_result(None)

    transport, proto = await loop.subprocess_exec(Proto, "sh", "-c", "printf protocol; exit 4",
                                                  stdin=None, stdout=PIPE, stderr=None)
    print("subprocess_exec: pid is int:", isinstance(transport.get_pid(), int),
          "| pipe transports:", transport.get_pipe_transport(0) is None,
          transport.get_pipe_transport(1) is not None)
    await proto.done
    print("  first:", proto.events[0], "| last:", proto.events[-1],
          "| middle:", sorted(proto.events[1:-1]))
    print("  data:", bytes(proto.out), "| returncode:", transport.get_returncode())
    transport.close()


asyncio.run(main())
