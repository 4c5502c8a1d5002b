# oracle: 3.13
"""Contexts of pipe protocol callbacks: each callback gets its own copy (a value set in
connection_made or eof_received does not leak into later callbacks), a buffered write pipe's
connection_lost runs in the context of the write() that filled the empty buffer, and so does
the BrokenPipeError of a write to a pipe whose reader is gone."""
import asyncio, contextvars, os, shutil, tempfile

var = contextvars.ContextVar('var', default='unset')


def read_nb(fd, n=1 << 20):
    try:
        return os.read(fd, n)
    except BlockingIOError:
        return None


def fifo_pair():
    folder = tempfile.mkdtemp()
    fifo = os.path.join(folder, "fifo")
    os.mkfifo(fifo)
    r = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    w = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    shutil.rmtree(folder)
    return r, w


class Leaky(asyncio.Protocol):
    def __init__(self):
        self.done = asyncio.get_running_loop().create_future()

    def connection_made(self, t):
        var.set('set in connection_made')

    def data_received(self, d):
        print("  data_received sees:", var.get())

    def eof_received(self):
        var.set('set in eof_received')

    def connection_lost(self, exc):
        print("  connection_lost sees:", var.get())
        self.done.set_result(None)


class Lost(asyncio.Protocol):
    def __init__(self):
        self.done = asyncio.get_running_loop().create_future()

    def connection_lost(self, exc):
        print("  connection_lost sees:", var.get(), type(exc).__name__)
        self.done.set_result(None)


async def main():
    loop = asyncio.get_running_loop()

    print("read pipe")
    r, w = fifo_pair()
    var.set('at connect')
    t, p = await loop.connect_read_pipe(Leaky, os.fdopen(r, 'rb'))
    os.write(w, b"x")
    await asyncio.sleep(0.05)
    os.close(w)
    await p.done

    for how in ("close", "write_eof"):
        print("write pipe, buffered, then", how)
        r, w = fifo_pair()
        var.set('at connect')
        t, p = await loop.connect_write_pipe(Lost, os.fdopen(w, 'wb'))
        var.set('at write')
        t.write(b"x" * 200000)  # more than the pipe holds: buffered
        var.set(f'at {how}')
        getattr(t, how)()
        var.set(f'after {how}')
        print("  buffered:", t.get_write_buffer_size() > 0)
        await asyncio.sleep(0.05)
        while True:  # drain the reader so that the buffer flushes
            try:
                if not os.read(r, 1 << 20):
                    break
            except BlockingIOError:
                if p.done.done():
                    break
                await asyncio.sleep(0.01)
        await p.done
        os.close(r)

    print("write pipe, buffered in A, drained, buffered again in B, closed")
    r, w = fifo_pair()
    t, p = await loop.connect_write_pipe(Lost, os.fdopen(w, 'wb'))
    t.set_write_buffer_limits(high=1 << 20)  # no pause_writing
    var.set('A')
    t.write(b"a" * 200000)  # more than the pipe holds: buffered
    var.set('main')
    while read_nb(r) is not None or t.get_write_buffer_size():  # drain it all
        await asyncio.sleep(0.01)
    var.set('B')
    t.write(b"b" * 100000)  # buffered again
    var.set('closer')
    t.close()
    var.set('main')
    while not p.done.done():
        read_nb(r)
        await asyncio.sleep(0.01)
    os.close(r)

    print("write pipe, reader gone")
    r, w = fifo_pair()
    var.set('at connect')
    t, p = await loop.connect_write_pipe(Lost, os.fdopen(w, 'wb'))
    os.close(r)
    var.set('at write')
    t.write(b"x")
    var.set('after write')
    await p.done


asyncio.run(main())
