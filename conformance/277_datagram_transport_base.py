# oracle: 3.13
"""A UDP transport is a Transport: pause_reading/resume_reading/is_reading hold datagrams in order, write/writelines/write_eof/can_write_eof raise NotImplementedError; limits, sendto types, after close and loss."""
import asyncio
import logging


class Show(logging.Handler):
    def emit(self, record):
        print("log", record.levelname, record.getMessage(), flush=True)


logging.getLogger("asyncio").addHandler(Show())
logging.getLogger("asyncio").propagate = False

def attempt(label, fn):
    try:
        r = fn()
        print(f"{label}: returned {r!r}", flush=True)
    except BaseException as e:
        print(f"{label}: raised {type(e).__name__}{e.args!r}", flush=True)

async def main():
    loop = asyncio.get_running_loop()
    ctxs = []
    loop.set_exception_handler(lambda l, c: ctxs.append(c))
    class D(asyncio.DatagramProtocol):
        def __init__(self):
            self.log = []
            self.lost = loop.create_future()
        def datagram_received(self, d, a):
            self.log.append(f"dgram {d!r}")
        def error_received(self, e):
            self.log.append(f"error {e!r}")
        def connection_lost(self, exc):
            self.log.append(f"lost {exc!r}")
            self.lost.set_result(None)
    st, sp = await loop.create_datagram_endpoint(D, local_addr=("127.0.0.1", 0))
    addr = st.get_extra_info("sockname")
    t, p = await loop.create_datagram_endpoint(D, remote_addr=addr)
    print("isinstance:", isinstance(t, asyncio.DatagramTransport), isinstance(t, asyncio.Transport),
          isinstance(t, asyncio.ReadTransport), isinstance(t, asyncio.WriteTransport), isinstance(t, asyncio.BaseTransport))
    attempt("is_reading()", t.is_reading)
    attempt("st.pause_reading()", st.pause_reading)
    attempt("st.is_reading()", st.is_reading)
    attempt("st.pause_reading() again", st.pause_reading)
    attempt("write(b'x')", lambda: t.write(b"x"))
    attempt("writelines([b'x'])", lambda: t.writelines([b"x"]))
    attempt("write_eof()", t.write_eof)
    attempt("can_write_eof()", t.can_write_eof)
    attempt("get_write_buffer_limits()", t.get_write_buffer_limits)
    attempt("set_write_buffer_limits(high=10)", lambda: t.set_write_buffer_limits(high=10))
    attempt("get_write_buffer_limits()", t.get_write_buffer_limits)
    attempt("set_write_buffer_limits(high=1, low=5)", lambda: t.set_write_buffer_limits(high=1, low=5))
    attempt("get_write_buffer_size()", t.get_write_buffer_size)
    attempt("sendto(b'one')", lambda: t.sendto(b"one"))
    attempt("sendto(bytearray(b'two'))", lambda: t.sendto(bytearray(b"two")))
    attempt("sendto(memoryview(b'three'))", lambda: t.sendto(memoryview(b"three")))
    attempt("sendto(b'')", lambda: t.sendto(b""))
    attempt("sendto('s')", lambda: t.sendto("s"))
    attempt("sendto(None)", lambda: t.sendto(None))
    attempt("sendto(5)", lambda: t.sendto(5))
    await asyncio.sleep(0.05)
    print("paused server got:", sp.log)
    attempt("st.resume_reading()", st.resume_reading)
    attempt("st.is_reading()", st.is_reading)
    await asyncio.sleep(0.05)
    print("resumed server got:", sp.log)
    t.close()
    attempt("closed: is_reading()", t.is_reading)
    attempt("closed: is_closing()", t.is_closing)
    attempt("closed: sendto(b'x')", lambda: t.sendto(b"x"))
    attempt("closed: pause_reading()", t.pause_reading)
    attempt("closed: resume_reading()", t.resume_reading)
    await p.lost
    for i in range(6):
        attempt(f"lost: sendto #{i}", lambda: t.sendto(b"x"))
    attempt("lost: abort()", t.abort)
    attempt("lost: get_protocol()", t.get_protocol)
    print("client log:", p.log)
    st.abort()
    attempt("aborted: sendto(b'x', addr)", lambda: st.sendto(b"x", addr))
    await sp.lost
    print("server log:", sp.log)
    print("ctxs:", [c["message"] for c in ctxs])

asyncio.run(main())
