# oracle: 3.13
"""Pipe transport edges: loop.connect_read_pipe() / connect_write_pipe() on a FIFO, a child's stdin.

A write pipe is a Transport: is_reading(), pause_reading() and resume_reading() raise
NotImplementedError. Its write() asserts a bytes-like argument (AssertionError(repr(data))),
a child's stdin (the same transport, under a StreamWriter) too. A read pipe whose
data_received() raises: the error is the _read_ready callback's ("Exception in callback
_UnixReadPipeTransport._read_ready()") and reading goes on, then eof_received() and
connection_lost(None). The callbacks pipe transports schedule are named as CPython's bound
methods in reports: R.eof_received() (the class that defines it, for a subclass too),
_UnixReadPipeTransport._call_connection_lost(), _UnixWritePipeTransport._call_connection_lost().
"""
import asyncio, os, tempfile
from asyncio.subprocess import PIPE


def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"


def attempt(label, fn):
    try:
        r = fn()
        print(f"{label}: returned {r!r}")
    except BaseException as e:
        print(f"{label}: raised {exc_str(e)}")


def fifo():
    path = os.path.join(tempfile.mkdtemp(), "fifo")
    os.mkfifo(path)
    r = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    w = os.open(path, os.O_WRONLY)
    os.unlink(path)  # both ends are open: the scratch folder can go
    os.rmdir(os.path.dirname(path))
    return r, w


log = []
contexts = []


def dump(label):
    print(label, log)
    for c in contexts:
        print("  ctx:", c["message"], exc_str(c["exception"]), sorted(c))
    log.clear()
    contexts.clear()


class R(asyncio.Protocol):
    def __init__(self, fail):
        self.fail = fail
        self.lost = asyncio.get_running_loop().create_future()

    def data_received(self, data):
        log.append(f"data {data!r}")
        if self.fail == "data" and data == b"one":
            raise ValueError("data boom")

    def eof_received(self):
        log.append("eof")
        if self.fail == "eof":
            raise ValueError("eof boom")

    def connection_lost(self, exc):
        log.append(f"lost {exc!r}")
        self.lost.set_result(None)
        if self.fail == "lost":
            raise ValueError("lost boom")


class RSub(R):
    pass


class W(asyncio.Protocol):
    def __init__(self, fail):
        self.fail = fail
        self.lost = asyncio.get_running_loop().create_future()

    def connection_lost(self, exc):
        log.append(f"lost {exc!r}")
        self.lost.set_result(None)
        if self.fail == "lost":
            raise ValueError("wlost boom")


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda l, c: contexts.append(c))

    # 4, 5: a write pipe's reading methods, and write() of what is not bytes
    r, w = fifo()
    wt, wp = await loop.connect_write_pipe(lambda: W(None), os.fdopen(w, "wb", 0))
    print("Transport:", isinstance(wt, asyncio.Transport), isinstance(wt, asyncio.ReadTransport))
    attempt("is_reading()", wt.is_reading)
    attempt("pause_reading()", wt.pause_reading)
    attempt("resume_reading()", wt.resume_reading)
    attempt("write('s')", lambda: wt.write("s"))
    attempt("write(None)", lambda: wt.write(None))
    attempt("write(5)", lambda: wt.write(5))
    attempt("write(b'ok')", lambda: wt.write(b"ok"))
    attempt("size", wt.get_write_buffer_size)
    wt.close()
    await wp.lost
    print("read back:", os.read(r, 100))
    os.close(r)
    dump("write pipe")

    # 5: a child's stdin
    proc = await asyncio.create_subprocess_exec("cat", stdin=PIPE, stdout=PIPE)
    attempt("stdin.write('text')", lambda: proc.stdin.write("text"))
    attempt("stdin.write(None)", lambda: proc.stdin.write(None))
    attempt("stdin.transport.is_reading()", proc.stdin.transport.is_reading)
    attempt("stdin.write(b'data')", lambda: proc.stdin.write(b"data"))
    print("communicate:", await proc.communicate(), proc.returncode)
    dump("stdin")

    # 6, 7: read pipes whose callbacks raise
    for fail in ["data", "eof", "lost", "eof (inherited)"]:
        r, w = fifo()
        factory = (lambda: RSub("eof")) if fail == "eof (inherited)" else (lambda: R(fail))
        rt, rp = await loop.connect_read_pipe(factory, os.fdopen(r, "rb", 0))
        os.write(w, b"one")
        await asyncio.sleep(0.05)
        log.append(f"reading {rt.is_reading()}")
        os.write(w, b"two")
        await asyncio.sleep(0.05)
        os.close(w)
        await rp.lost
        await asyncio.sleep(0.01)
        log.append(f"closing {rt.is_closing()}")
        dump(f"read pipe, {fail} raises:")

    # 7: a write pipe whose connection_lost raises
    r, w = fifo()
    wt, wp = await loop.connect_write_pipe(lambda: W("lost"), os.fdopen(w, "wb", 0))
    wt.write(b"x")
    wt.close()
    await wp.lost
    await asyncio.sleep(0.01)
    os.close(r)
    dump("write pipe, connection_lost raises:")


asyncio.run(main())
