# oracle: 3.13 — Unix server sockets are removed on close (3.13)
"""UDP endpoints (create_datagram_endpoint: callbacks, connected sendto, address checks,
error_received, close) and Unix domain sockets (start_unix_server/open_unix_connection:
addresses, the socket file removed on close, a stale socket file replaced)."""
import asyncio
import os
import socket
import tempfile


class Udp(asyncio.DatagramProtocol):
    def __init__(self, echo=False):
        self.echo = echo
        self.events = []
        self.transport = None
        self.got = asyncio.Queue()
        self.lost = asyncio.get_running_loop().create_future()

    def connection_made(self, transport):
        self.transport = transport
        self.events.append("connection_made")

    def datagram_received(self, data, addr):
        self.events.append(f"datagram_received {data!r}")
        if self.echo:
            self.transport.sendto(data.upper(), addr)
        self.got.put_nowait((data, addr))

    def error_received(self, exc):
        self.events.append(f"error_received {type(exc).__name__} errno={exc.errno}")
        self.got.put_nowait((None, exc))

    def connection_lost(self, exc):
        self.events.append(f"connection_lost {exc!r}")
        self.lost.set_result(exc)


async def main():
    loop = asyncio.get_running_loop()
    st, sp = await loop.create_datagram_endpoint(lambda: Udp(echo=True), local_addr=("127.0.0.1", 0))
    addr = st.get_extra_info("sockname")
    print("server sockname host:", addr[0], "| peername:", st.get_extra_info("peername"))
    ct, cp = await loop.create_datagram_endpoint(Udp, remote_addr=addr)
    print("client peername is the server:", ct.get_extra_info("peername") == addr,
          "| socket type:", ct.get_extra_info("socket").type)
    ct.sendto(b"ping")
    data, frm = await cp.got.get()
    print("echo:", data, "| from the server:", frm == addr)
    ct.sendto(b"again", addr)
    print("echo:", (await cp.got.get())[0])
    try:
        ct.sendto(b"x", ("127.0.0.1", 9))
    except ValueError as e:
        print("other address:", type(e).__name__, str(e) == f"Invalid address: must be None or {addr}")
    try:
        ct.sendto("text")
    except TypeError as e:
        print("sendto(str):", type(e).__name__, e)
    print("write buffer:", ct.get_write_buffer_size(), "| is_closing:", ct.is_closing())
    st.close()
    print("server lost:", repr(await sp.lost), "| server events:", sp.events)
    for _ in range(50):
        ct.sendto(b"anyone?")
        data, exc = await asyncio.wait_for(cp.got.get(), 1)
        if data is None:
            break
    print("after the server went away:", type(exc).__name__, exc.errno, "| still open:", not ct.is_closing())
    ct.close()
    print("client lost:", repr(await cp.lost))
    print("client events:", cp.events[:3], "...", cp.events[-2:])
    try:
        await loop.create_datagram_endpoint(Udp)
    except ValueError as e:
        print("no address:", type(e).__name__, e)

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "s.sock")
        seen = []

        async def handle(reader, writer):
            seen.append((writer.get_extra_info("sockname") == path, writer.get_extra_info("peername")))
            writer.write(await reader.readline())
            writer.close()

        server = await asyncio.start_unix_server(handle, path)
        print("unix server sockname is the path:", server.sockets[0].getsockname() == path,
              "| family:", server.sockets[0].family == socket.AF_UNIX)
        r, w = await asyncio.open_unix_connection(path)
        print("client peername is the path:", w.get_extra_info("peername") == path,
              "| sockname:", repr(w.get_extra_info("sockname")))
        w.write(b"unix line\n")
        print("echo:", await r.read(), "| server saw:", seen)
        w.close()
        await w.wait_closed()
        server.close()
        await server.wait_closed()
        print("socket file after close:", os.path.exists(path))
        s = socket.socket(socket.AF_UNIX)
        s.bind(path)
        s.close()
        print("stale socket file exists:", os.path.exists(path))
        server = await asyncio.start_unix_server(handle, path)
        print("server on the stale path serving:", server.is_serving())
        server.close()
        await server.wait_closed()
        try:
            await asyncio.open_unix_connection(path)
        except FileNotFoundError as e:
            print("connect to a removed path:", type(e).__name__, e)


asyncio.run(main())
