# oracle: 3.13 — Server.close_clients() and wait_closed() waiting for connections (3.12.1+/3.13)
"""Transports and protocols over TCP on 127.0.0.1: callback order, half-close with write_eof,
write-side flow control (pause_writing/resume_writing, set_write_buffer_limits), read-side
pause_reading/resume_reading, BufferedProtocol, get_extra_info, errors raised by write(),
a protocol callback that raises, abort versus close, and Server.wait_closed/close_clients.
Each side keeps its own log: only the order within one side is deterministic."""
import asyncio


class Proto(asyncio.Protocol):
    def __init__(self, name, keep_open=False, reply=None):
        self.name = name
        self.log = []
        self.keep_open = keep_open
        self.reply = reply
        self.transport = None
        self.lost = asyncio.get_running_loop().create_future()
        self.got = asyncio.get_running_loop().create_future()
        self.paused = self.resumed = 0

    def connection_made(self, transport):
        self.transport = transport
        self.log.append("connection_made")

    def data_received(self, data):
        self.log.append(f"data_received {data!r}")
        if self.reply is not None:
            self.transport.write(data.upper())
        if not self.got.done():
            self.got.set_result(data)

    def eof_received(self):
        self.log.append(f"eof_received -> {self.keep_open}")
        if self.keep_open:
            self.transport.write(b"bye")
            self.transport.close()
        return self.keep_open

    def connection_lost(self, exc):
        self.log.append(f"connection_lost {exc!r}")
        if not self.lost.done():
            self.lost.set_result(exc)

    def pause_writing(self):
        self.paused += 1

    def resume_writing(self):
        self.resumed += 1


def dump(label, proto):
    print(label)
    for line in proto.log:
        print("   ", line)


async def main():
    loop = asyncio.get_running_loop()

    # A. callback order and half-close
    servers = []
    server = await loop.create_server(
        lambda: servers.append(Proto("server", keep_open=True, reply=True)) or servers[-1],
        "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()
    transport, client = await loop.create_connection(lambda: Proto("client"), host, port)
    print("create_connection returned after connection_made:", client.log == ["connection_made"])
    transport.write(b"hello")
    await client.got
    transport.write_eof()
    print("after write_eof: is_closing", transport.is_closing(), "can_write_eof", transport.can_write_eof())
    try:
        transport.write(b"more")
    except RuntimeError as e:
        print("write after write_eof:", type(e).__name__, e)
    await client.lost
    await servers[0].lost
    dump("client log:", client)
    dump("server log:", servers[0])

    # B. errors from write() and the write-buffer limits
    transport, client = await loop.create_connection(lambda: Proto("client"), host, port)
    try:
        transport.write("text")
    except TypeError as e:
        print("write(str):", type(e).__name__, e)
    print("limits default:", transport.get_write_buffer_limits())
    transport.set_write_buffer_limits(high=4096)
    print("limits high=4096:", transport.get_write_buffer_limits())
    transport.set_write_buffer_limits(low=100)
    print("limits low=100:", transport.get_write_buffer_limits())
    try:
        transport.set_write_buffer_limits(high=1, low=2)
    except ValueError as e:
        print("bad limits:", type(e).__name__, e)
    print("is_reading:", transport.is_reading())
    transport.pause_reading()
    transport.pause_reading()
    print("after pause_reading:", transport.is_reading())
    transport.resume_reading()
    print("after resume_reading:", transport.is_reading())
    info = transport.get_extra_info("socket")
    print("extra: peername is server:", transport.get_extra_info("peername") == (host, port),
          "| sockname host:", transport.get_extra_info("sockname")[0],
          "| socket family/type:", info.family, info.type,
          "| missing:", transport.get_extra_info("nope", "dflt"))
    transport.close()
    print("after close: is_closing", transport.is_closing(), "is_reading", transport.is_reading())
    transport.close()
    print("connection_lost after close:", repr(await client.lost))
    print("write after close is silently dropped:", transport.write(b"x"))

    # C. write flow control against a peer that does not read
    stalled = []

    class Stall(Proto):
        def connection_made(self, t):
            super().connection_made(t)
            t.pause_reading()
            stalled.append(self)

    stall_server = await loop.create_server(lambda: Stall("stall"), "127.0.0.1", 0)
    sport = stall_server.sockets[0].getsockname()[1]
    transport, client = await loop.create_connection(lambda: Proto("writer"), "127.0.0.1", sport)
    transport.set_write_buffer_limits(high=64 * 1024, low=16 * 1024)
    chunk = b"x" * 65536
    for _ in range(200):
        if client.paused:
            break
        transport.write(chunk)
    print("pause_writing called once:", client.paused == 1,
          "| buffer over high:", transport.get_write_buffer_size() > 64 * 1024)
    transport.write(chunk)
    print("still paused once after more writes:", client.paused == 1)
    while not stalled:
        await asyncio.sleep(0.01)
    stalled[0].transport.resume_reading()
    while not client.resumed:
        await asyncio.sleep(0.01)
    print("resume_writing called once:", client.resumed == 1,
          "| buffer at or below low:", transport.get_write_buffer_size() <= 16 * 1024)
    transport.close()
    await client.lost
    stall_server.close()
    stall_server.close_clients()
    await stall_server.wait_closed()

    # D. BufferedProtocol
    class Buffered(asyncio.BufferedProtocol):
        def __init__(self):
            self.buf = bytearray(100)
            self.hints = set()
            self.total = bytearray()
            self.lost = loop.create_future()

        def connection_made(self, t):
            t.write(b"a" * 1000)
            t.write_eof()

        def get_buffer(self, sizehint):
            self.hints.add(sizehint)
            return self.buf

        def buffer_updated(self, nbytes):
            self.total += self.buf[:nbytes]

        def eof_received(self):
            return False

        def connection_lost(self, exc):
            self.lost.set_result(exc)

    echo = await asyncio.start_server(echo_handler, "127.0.0.1", 0)
    eport = echo.sockets[0].getsockname()[1]
    transport, bp = await loop.create_connection(Buffered, "127.0.0.1", eport)
    print("BufferedProtocol: connection_lost", repr(await bp.lost),
          "| received", len(bp.total), "bytes, all b'a':", bytes(bp.total) == b"a" * 1000,
          "| sizehints:", sorted(bp.hints))

    # E. a protocol callback that raises
    contexts = []
    loop.set_exception_handler(lambda l, ctx: contexts.append(ctx))
    boom = RuntimeError("boom")

    class Raising(Proto):
        def data_received(self, data):
            raise boom

    transport, rp = await loop.create_connection(lambda: Raising("raising"), host, port)
    transport.write(b"ping")
    exc = await rp.lost
    print("data_received raised: connection_lost got it:", exc is boom,
          "| handler message:", contexts[0]["message"],
          "| exception is it:", contexts[0]["exception"] is boom,
          "| transport key:", contexts[0]["transport"] is transport)
    loop.set_exception_handler(None)

    # F. abort
    transport, ap = await loop.create_connection(lambda: Proto("abort"), "127.0.0.1", eport)
    transport.write(b"x" * 100000)
    transport.abort()
    print("abort: is_closing", transport.is_closing(), "| buffer dropped:",
          transport.get_write_buffer_size() == 0, "| connection_lost", repr(await ap.lost))
    transport.abort()

    # G. refused connection
    try:
        await loop.create_connection(asyncio.Protocol, "127.0.0.1", sport)
    except OSError as e:
        print("connect to closed port:", type(e).__name__, e.errno,
              str(e).startswith(f"[Errno {e.errno}] Connect call failed ('127.0.0.1', "))

    # H. wait_closed waits for connections; close_clients
    transport, cp = await loop.create_connection(lambda: Proto("c"), host, port)
    await asyncio.sleep(0.01)
    server.close()
    waiter = asyncio.create_task(server.wait_closed())
    await asyncio.sleep(0.05)
    print("server closed, client still connected: wait_closed done:", waiter.done(),
          "| is_serving:", server.is_serving(), "| sockets:", server.sockets)
    server.close_clients()
    await waiter
    print("after close_clients: wait_closed done:", waiter.done(), "| client lost:", repr(await cp.lost))
    echo.close()
    await echo.wait_closed()


async def echo_handler(reader, writer):
    data = await reader.read()
    writer.write(data)
    await writer.drain()
    writer.close()


asyncio.run(main())
