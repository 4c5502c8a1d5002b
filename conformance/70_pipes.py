# oracle: 3.13
"""loop.connect_read_pipe() / connect_write_pipe() on a FIFO: callbacks, EOF, flow, close, errors."""
import asyncio
import os
import tempfile


class Reader(asyncio.Protocol):
    def __init__(self, name):
        self.name = name
        self.done = asyncio.get_running_loop().create_future()
        self.chunks = []
        self.got = None

    def connection_made(self, transport):
        print(self.name, "connection_made", transport.is_reading(), transport.is_closing())

    def data_received(self, data):
        self.chunks.append(data)
        if self.got is not None and not self.got.done():
            self.got.set_result(None)

    def eof_received(self):
        print(self.name, "eof_received", b"".join(self.chunks))

    def connection_lost(self, exc):
        print(self.name, "connection_lost", repr(exc))
        self.done.set_result(None)


class Writer(asyncio.BaseProtocol):
    def __init__(self, name):
        self.name = name
        self.done = asyncio.get_running_loop().create_future()

    def connection_made(self, transport):
        print(self.name, "connection_made", transport.can_write_eof(), transport.get_write_buffer_size())

    def connection_lost(self, exc):
        print(self.name, "connection_lost", repr(exc))
        self.done.set_result(None)


def fifo():
    path = os.path.join(tempfile.mkdtemp(), "fifo")
    os.mkfifo(path)
    r = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    w = os.open(path, os.O_WRONLY)
    os.unlink(path)  # both ends are open: the scratch folder can go
    os.rmdir(os.path.dirname(path))
    return path, r, w


async def main():
    loop = asyncio.get_running_loop()

    # 1. data, then EOF when the write transport closes
    path, r, w = fifo()
    rpipe = os.fdopen(r, "rb", 0)
    rt, rp = await loop.connect_read_pipe(lambda: Reader("r1"), rpipe)
    print("read pipe:", rp.name, rt.get_extra_info("pipe") is rpipe, rt.get_protocol() is rp)
    wt, wp = await loop.connect_write_pipe(lambda: Writer("w1"), os.fdopen(w, "wb", 0))
    print("write pipe:", wp.name, wt.is_closing())
    rp.got = loop.create_future()
    wt.write(b"hello ")
    wt.writelines([b"pipe", b"s"])
    await rp.got
    rt.pause_reading()
    print("paused:", rt.is_reading())
    rt.pause_reading()
    rt.resume_reading()
    print("resumed:", rt.is_reading())
    wt.write_eof()
    print("after write_eof:", wt.is_closing())
    await wp.done
    await rp.done
    print("closed:", rt.is_closing(), wt.is_closing(), rpipe.closed)

    # 2. the read transport closed by its owner
    path, r, w = fifo()
    rt, rp = await loop.connect_read_pipe(lambda: Reader("r2"), os.fdopen(r, "rb", 0))
    rt.close()
    print("close():", rt.is_closing(), rt.is_reading())
    rt.close()
    await rp.done
    os.close(w)

    # 3. the write transport closed by its owner, with and without data; abort
    path, r, w = fifo()
    wt, wp = await loop.connect_write_pipe(lambda: Writer("w3"), os.fdopen(w, "wb", 0))
    wt.write(b"x" * 10)
    wt.close()
    wt.write(b"more")
    await wp.done
    print("pipe has:", os.read(r, 100))
    os.close(r)
    path, r, w = fifo()
    wt, wp = await loop.connect_write_pipe(lambda: Writer("w4"), os.fdopen(w, "wb", 0))
    wt.abort()
    await wp.done
    os.close(r)

    # 4. the reading end goes away under a write pipe, which then writes
    path, r, w = fifo()
    wt, wp = await loop.connect_write_pipe(lambda: Writer("w5"), os.fdopen(w, "wb", 0))
    os.close(r)
    wt.write(b"data")
    await wp.done

    # 5. bad pipes
    path, r, w = fifo()
    wt, wp = await loop.connect_write_pipe(lambda: Writer("w6"), os.fdopen(w, "wb", 0))
    wt.close()
    await wp.done
    os.close(r)
    fd, name = tempfile.mkstemp()
    for kind in ("read", "write"):
        f = open(name, "rb" if kind == "read" else "wb", buffering=0)
        meth = loop.connect_read_pipe if kind == "read" else loop.connect_write_pipe
        try:
            await meth(asyncio.Protocol, f)
        except ValueError as e:
            print(kind, "pipe on a file:", e)
        f.close()
    os.close(fd)
    os.unlink(name)
    print("coroutine functions:", asyncio.iscoroutinefunction(loop.connect_read_pipe),
          asyncio.iscoroutinefunction(loop.connect_write_pipe))


asyncio.run(main())
