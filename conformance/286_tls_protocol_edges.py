# oracle: 3.13
"""TLS protocol edges.

start_tls cancelled by wait_for: the connection is closed, the protocol gets no connection_lost
(a stream's reader no EOF: read() and wait_closed() do not finish); start_tls with a context
for the other side raises SSLError(0, ...) before touching the transport (still open, usable);
a TLS protocol whose connection_made raises (client: create_connection raises it; server: the
client reads b''); peercert of an unverified certificate is {}; a BufferedProtocol failing over
TLS; the TLS transport's write and read buffer limits; writelines() of an item that is not
bytes-like is a fatal error; abort() loses the connection two iterations later and later
writes are counted; is_reading() after close().
"""
import asyncio, logging, ssl

from _tls import msg, server_ctx, client_ctx, remove_certs


class Show(logging.Handler):
    def emit(self, record):
        print("log", record.levelname, record.getMessage())


logging.getLogger("asyncio").addHandler(Show())
logging.getLogger("asyncio").propagate = False


def unverified_ctx():
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    return c


def exc(e):
    return "%s(%s)" % (type(e).__name__, repr(msg(e)))


class P(asyncio.Protocol):
    def __init__(self, log, fail=None):
        self.log = log
        self.fail = fail
        self.received = None

    def connection_made(self, tr):
        self.tr = tr
        self.log.append("made")
        if self.fail == "made":
            raise ValueError("boom made")

    def data_received(self, d):
        self.log.append(("data", d))
        if self.received is not None and not self.received.done():
            self.received.set_result(d)

    def eof_received(self):
        self.log.append("eof")

    def connection_lost(self, e):
        self.log.append(("lost", exc(e) if e else None))


class B(asyncio.BufferedProtocol):
    def __init__(self, log, fail):
        self.log = log
        self.fail = fail
        self.buf = bytearray(3)

    def connection_made(self, tr):
        self.log.append("made")

    def get_buffer(self, n):
        if self.fail == "get_buffer":
            raise ValueError("boom get_buffer")
        if self.fail == "str":
            return "abc"
        return self.buf

    def buffer_updated(self, n):
        self.log.append(("updated", bytes(self.buf[:n])))
        if self.fail == "buffer_updated":
            raise ValueError("boom buffer_updated")

    def connection_lost(self, e):
        self.log.append(("lost", exc(e) if e else None))


class Echo(asyncio.Protocol):
    def connection_made(self, tr):
        self.tr = tr

    def data_received(self, d):
        self.tr.write(d)


class Hello(asyncio.Protocol):
    """A TLS server protocol that says hello and keeps the connection."""

    def connection_made(self, tr):
        tr.write(b"hello")


async def main():
    loop = asyncio.get_running_loop()
    msgs = []
    loop.set_exception_handler(
        lambda l, ctx: msgs.append((ctx["message"], type(ctx.get("exception")).__name__)))

    def show_msgs():
        print("  handler:", msgs)
        msgs.clear()

    echo = await loop.create_server(Echo, "127.0.0.1", 0)
    echo_port = echo.sockets[0].getsockname()[1]
    silent = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0)
    silent_port = silent.sockets[0].getsockname()[1]
    hello = await loop.create_server(Hello, "127.0.0.1", 0, ssl=server_ctx())
    hello_port = hello.sockets[0].getsockname()[1]
    quiet = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0, ssl=server_ctx())
    quiet_port = quiet.sockets[0].getsockname()[1]

    print("-- a context for the other side")
    try:
        await loop.create_connection(lambda: P([]), "127.0.0.1", echo_port, ssl=server_ctx())
    except ssl.SSLError as e:
        print("create_connection(ssl=server ctx):", type(e).__name__, e.errno, msg(e))
    log = []
    tr, pr = await loop.create_connection(lambda: P(log), "127.0.0.1", echo_port)
    for label, ctx, server_side in [("server_side client ctx", client_ctx(), True),
                                    ("client side server ctx", server_ctx(), False)]:
        try:
            await loop.start_tls(tr, pr, ctx, server_side=server_side)
        except ssl.SSLError as e:
            print("start_tls", label + ":", type(e).__name__, e.errno, msg(e))
        print("  is_closing:", tr.is_closing(), "| is_reading:", tr.is_reading())
    pr.received = loop.create_future()
    tr.write(b"still open")
    print("  echoed:", await pr.received)
    tr.close()
    await asyncio.sleep(0.05)
    print("  log:", log)

    print("-- start_tls cancelled")
    log = []
    tr, pr = await loop.create_connection(lambda: P(log), "127.0.0.1", silent_port)
    try:
        await asyncio.wait_for(loop.start_tls(tr, pr, client_ctx(), server_hostname="localhost"),
                               0.2)
    except TimeoutError:
        print("loop.start_tls: TimeoutError | is_closing:", tr.is_closing())
    await asyncio.sleep(0.1)
    print("  log:", log)
    r, w = await asyncio.open_connection("127.0.0.1", silent_port)
    try:
        await asyncio.wait_for(w.start_tls(client_ctx(), server_hostname="localhost"), 0.2)
    except TimeoutError:
        print("writer.start_tls: TimeoutError | is_closing:", w.is_closing())
    await asyncio.sleep(0.1)
    print("  at_eof:", r.at_eof(), "| exception:", r.exception())
    for label, aw in [("read", r.read()), ("wait_closed", w.wait_closed())]:
        try:
            await asyncio.wait_for(aw, 0.1)
            print(" ", label, "returned")
        except TimeoutError:
            print(" ", label + ": TimeoutError")

    print("-- connection_made raises")
    log = []
    try:
        await loop.create_connection(lambda: P(log, "made"), "127.0.0.1", hello_port,
                                     ssl=client_ctx(), server_hostname="localhost")
    except ValueError as e:
        print("client: create_connection raised", exc(e))
    await asyncio.sleep(0.05)
    print("  log:", log)
    show_msgs()
    slog = []
    srv = await loop.create_server(lambda: P(slog, "made"), "127.0.0.1", 0, ssl=server_ctx())
    r, w = await asyncio.open_connection("127.0.0.1", srv.sockets[0].getsockname()[1],
                                         ssl=client_ctx(), server_hostname="localhost")
    print("server: the client reads", await r.read())
    await asyncio.sleep(0.05)
    print("  server log:", slog)
    show_msgs()
    w.close()
    srv.close()
    await srv.wait_closed()

    print("-- peercert")
    sides = []

    class Keep(asyncio.Protocol):
        def connection_made(self, tr):
            sides.append(tr)

    srv = await loop.create_server(Keep, "127.0.0.1", 0, ssl=server_ctx())
    port = srv.sockets[0].getsockname()[1]
    for label, ctx in [("CERT_NONE", unverified_ctx()), ("verified", client_ctx())]:
        tr, pr = await loop.create_connection(lambda: P([]), "127.0.0.1", port, ssl=ctx,
                                              server_hostname="localhost")
        cert = tr.get_extra_info("peercert")
        print(label + ":", "{}" if cert == {} else "a certificate" if cert else repr(cert))
        tr.close()
    await asyncio.sleep(0.05)
    print("server side (no client certificate):", sides[0].get_extra_info("peercert"))
    srv.close()
    await srv.wait_closed()

    print("-- BufferedProtocol over TLS")
    for fail in ["get_buffer", "str", "buffer_updated"]:
        log = []
        tr, pr = await loop.create_connection(lambda: B(log, fail), "127.0.0.1", hello_port,
                                              ssl=client_ctx(), server_hostname="localhost")
        await asyncio.sleep(0.2)
        print(fail, "| log:", log, "| is_closing:", tr.is_closing())
        show_msgs()

    print("-- buffer limits")
    log, flow = [], []

    class F(P):
        def pause_writing(self):
            flow.append(("pause", self.tr.get_write_buffer_size()))

        def resume_writing(self):
            flow.append(("resume", self.tr.get_write_buffer_size()))

    tr, pr = await loop.create_connection(lambda: F(log), "127.0.0.1", hello_port,
                                          ssl=client_ctx(), server_hostname="localhost")
    print("write limits:", tr.get_write_buffer_limits())
    for args in [(100,), (None, 10), (0,), (0, 0), (10, 100), (None,)]:
        try:
            tr.set_write_buffer_limits(*args)
            print("set_write_buffer_limits", args, "->", tr.get_write_buffer_limits(),
                  "| log", flow)
        except ValueError as e:
            print("set_write_buffer_limits", args, exc(e))
    print("read limits:", tr.get_read_buffer_limits(), "| size:", tr.get_read_buffer_size())
    for args in [(1000,), (None, 10), (10, 100), (-1,), ()]:
        try:
            tr.set_read_buffer_limits(*args)
            print("set_read_buffer_limits", args, "->", tr.get_read_buffer_limits())
        except ValueError as e:
            print("set_read_buffer_limits", args, exc(e))
    tr.close()
    print("after close: is_closing", tr.is_closing(), "| is_reading", tr.is_reading())
    for i in range(7):
        tr.write(b"x")
    await asyncio.sleep(0.05)

    print("-- writelines")
    log = []
    tr, pr = await loop.create_connection(lambda: P(log), "127.0.0.1", quiet_port,
                                          ssl=client_ctx(), server_hostname="localhost")
    tr.writelines([b"a", "b"])
    print("writelines([b'a', 'b']): no error | is_closing:", tr.is_closing())
    await asyncio.sleep(0.05)
    print("  log:", log, "| is_closing:", tr.is_closing())
    show_msgs()

    print("-- abort")
    log = []
    tr, pr = await loop.create_connection(lambda: P(log), "127.0.0.1", hello_port,
                                          ssl=client_ctx(), server_hostname="localhost")
    await asyncio.sleep(0.05)
    tr.abort()
    print("abort: is_closing", tr.is_closing(), "| log", log)
    await asyncio.sleep(0)
    print("  after 1 iteration:", log)
    await asyncio.sleep(0)
    print("  after 2 iterations:", log)
    for i in range(7):
        tr.write(b"x")
    show_msgs()

    for s in (echo, silent, hello, quiet):
        s.close()
        s.close_clients()
        await s.wait_closed()


asyncio.run(main())
remove_certs()
