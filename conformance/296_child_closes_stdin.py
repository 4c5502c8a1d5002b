# oracle: 3.13
"""A child that closes its stdin and keeps running: the stdin transport sees the hang-up at once
(CPython watches the socket pair with a reader), not when the child exits; a write and drain()
after it fail with ConnectionResetError; communicate() with input the child never reads."""
import asyncio
from asyncio.subprocess import PIPE


class P(asyncio.SubprocessProtocol):
    def __init__(self, log, t0):
        self.log, self.t0 = log, t0
        self.done = asyncio.get_running_loop().create_future()

    def pipe_connection_lost(self, fd, exc):
        early = asyncio.get_running_loop().time() - self.t0 < 0.2
        self.log.append(f"pipe_connection_lost fd={fd} {exc!r} before 0.2s: {early}")

    def process_exited(self):
        self.log.append("process_exited")

    def connection_lost(self, exc):
        self.done.set_result(None)


async def main():
    loop = asyncio.get_running_loop()
    log = []
    t, p = await loop.subprocess_exec(lambda: P(log, loop.time()), "sh", "-c",
                                      "exec 0<&-; sleep 0.3", stdout=None, stderr=None)
    await asyncio.sleep(0.1)
    print("at 0.1s:", log, "stdin closing:", t.get_pipe_transport(0).is_closing())
    await p.done
    print("end:", log)

    proc = await asyncio.create_subprocess_exec("sh", "-c", "exec 0<&-; sleep 0.2", stdin=PIPE)
    await asyncio.sleep(0.1)
    try:
        proc.stdin.write(b"y" * 10)
        await proc.stdin.drain()
        print("write to closed stdin: drain ok")
    except Exception as e:
        print("write to closed stdin:", type(e).__name__, e)
    print("rc:", await proc.wait())

    proc = await asyncio.create_subprocess_exec("sh", "-c", "exec 0<&-; echo done",
                                                stdin=PIPE, stdout=PIPE)
    print("communicate:", await proc.communicate(b"z" * 300000), proc.returncode)


asyncio.run(main())
