# oracle: 3.13
"""A socket given as sock= is checked as CPython's selector loop checks it: one that already
has a live transport is refused ("File descriptor ... is used by transport ..."), one that is
closed fails with OSError EBADF (create_connection and connect_accepted_socket)."""
import asyncio
import socket


class P(asyncio.Protocol):
    def __init__(self, n):
        self.n = n

    def connection_made(self, t):
        print(self.n, "made")

    def data_received(self, d):
        print(self.n, "data", d)

    def connection_lost(self, e):
        print(self.n, "lost", repr(e))


async def main():
    loop = asyncio.get_running_loop()

    async def handler(r, w):
        w.write(b"hi")
        await w.drain()

    srv = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    s = socket.create_connection(("127.0.0.1", port))
    s.setblocking(False)
    t1, _ = await loop.create_connection(lambda: P("A"), sock=s)
    try:
        await loop.create_connection(lambda: P("B"), sock=s)
        print("second: ok")
    except RuntimeError as e:
        msg = str(e)
        print("second:", msg.startswith("File descriptor"), "is used by transport" in msg)
    await asyncio.sleep(0.1)
    t1.close()
    await asyncio.sleep(0.05)
    for name in ["create_connection", "connect_accepted_socket"]:
        s = socket.create_connection(("127.0.0.1", port))
        s.setblocking(False)
        s.close()
        try:
            if name == "create_connection":
                t, _ = await loop.create_connection(lambda: P("C"), sock=s)
            else:
                t, _ = await loop.connect_accepted_socket(lambda: P("C"), s)
            print(name, "ok", t.is_closing())
        except OSError as e:
            print(name, type(e).__name__, e.errno, e.strerror)
    srv.close()
    await srv.wait_closed()


asyncio.run(main())
