# oracle: 3.13
"""The context a pipe transport's connection_lost runs in: the close() / write_eof() / abort()
caller's (CPython's call_soon there), for read and write pipes and a child's stdin, whose
pipe_connection_lost follows it."""
import asyncio, contextvars, os, shutil, tempfile

cvar = contextvars.ContextVar('cvar', default='outer')


class P(asyncio.Protocol):
    def __init__(self):
        self.done = asyncio.get_running_loop().create_future()

    def connection_lost(self, exc):
        print("  connection_lost sees", cvar.get())
        self.done.set_result(None)


class SP(asyncio.SubprocessProtocol):
    def __init__(self):
        self.log = []
        self.done = asyncio.get_running_loop().create_future()

    def pipe_connection_lost(self, fd, exc):
        self.log.append(f"pipe_lost{fd}={cvar.get()}")

    def process_exited(self):
        self.log.append(f"exited={cvar.get()}")
        self.done.set_result(None)


async def main():
    loop = asyncio.get_running_loop()
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, 'fifo')
    for label, write, how in [("read pipe", False, "close"), ("write pipe", True, "close"),
                              ("write pipe", True, "write_eof"), ("write pipe", True, "abort")]:
        os.mkfifo(path)
        rfd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        wfd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        cvar.set('at connect')
        if write:
            t, p = await loop.connect_write_pipe(P, os.fdopen(wfd, 'wb'))
            os.close(rfd)
        else:
            t, p = await loop.connect_read_pipe(P, os.fdopen(rfd, 'rb'))
            os.close(wfd)
        os.remove(path)
        cvar.set(f'at {how}')
        print(label, how)
        getattr(t, how)()
        await p.done
    shutil.rmtree(folder)

    for how in ("write_eof", "close"):
        cvar.set('at subprocess_exec')
        tr, proto = await loop.subprocess_exec(SP, 'sleep', '0.1', stdout=None, stderr=None)
        cvar.set(f'at {how}')
        getattr(tr.get_pipe_transport(0), how)()
        await proto.done
        await asyncio.sleep(0.05)
        tr.close()
        print("stdin", how, proto.log)


asyncio.run(main())
