# oracle: 3.13
import asyncio
class P(asyncio.SubprocessProtocol):
    def __init__(s, loop): s.ev=[]; s.done=loop.create_future()
    def connection_made(s, t): s.t = t
    def pipe_data_received(s, fd, d): s.ev.append(("data", fd, d))
    def pipe_connection_lost(s, fd, e): s.ev.append(("plost", fd))
    def process_exited(s): s.ev.append(("exited",))
    def connection_lost(s, e): s.done.set_result(None)
async def main():
    loop = asyncio.get_running_loop()
    t, p = await loop.subprocess_exec(lambda: P(loop), "sh", "-c", "echo out; echo err >&2")
    print("exec defaults pipes:", [t.get_pipe_transport(i) is not None for i in range(3)])
    t.get_pipe_transport(0).write(b"ignored")
    await p.done
    print("exec data:", sorted(e for e in p.ev if e[0] != "exited"))
    t.close()
    t, p = await loop.subprocess_shell(lambda: P(loop), "cat; echo err >&2")
    print("shell defaults pipes:", [t.get_pipe_transport(i) is not None for i in range(3)])
    t.get_pipe_transport(0).write(b"fed")
    t.get_pipe_transport(0).close()
    await p.done
    print("shell data:", sorted(e for e in p.ev if e[0] != "exited"))
    t.close()
    proc = await asyncio.create_subprocess_exec("true")
    print("create_subprocess_exec defaults:", proc.stdin, proc.stdout, proc.stderr, await proc.wait())
asyncio.run(main())
