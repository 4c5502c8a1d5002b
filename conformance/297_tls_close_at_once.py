# oracle: 3.13
"""TLS (1.3) closes right after the handshake. A client that closes at once: the server reads a
clean EOF, not a reset (the client reads on until the server's own close, so the session
tickets the server sent do not sit unread when its socket closes). Over a Unix socket, a server
that wrote in connection_made and a client that closes at once: the server's connection is
lost cleanly and wait_closed() returns (it hung)."""
import asyncio
import os
import tempfile

from _tls import client_ctx, remove_certs, server_ctx


async def tcp_client_closes():
    done = asyncio.get_running_loop().create_future()

    async def handler(r, w):
        try:
            print("S read", await r.read())
        except Exception as e:
            print("S read raised", type(e).__name__, e.args)
        w.close()
        done.set_result(None)

    srv = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=server_ctx())
    port = srv.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port, ssl=client_ctx(),
                                         server_hostname="localhost")
    w.close()
    await w.wait_closed()
    await done
    srv.close()
    await srv.wait_closed()


class Writer(asyncio.Protocol):
    def __init__(self):
        self.lost = asyncio.get_running_loop().create_future()

    def connection_made(self, t):
        t.write(b"hi")
        print("S wrote")

    def eof_received(self):
        print("S eof_received")

    def connection_lost(self, exc):
        print("S connection_lost", repr(exc))
        self.lost.set_result(None)


async def unix_client_closes():
    loop = asyncio.get_running_loop()
    d = tempfile.mkdtemp()
    path = os.path.join(d, "s.sock")
    made = []
    srv = await loop.create_unix_server(lambda: made.append(Writer()) or made[-1], path,
                                        ssl=server_ctx())
    t, _ = await loop.create_unix_connection(asyncio.Protocol, path, ssl=client_ctx(),
                                             server_hostname="localhost")
    t.close()
    await asyncio.wait_for(made[0].lost, 5)
    srv.close()
    await asyncio.wait_for(srv.wait_closed(), 5)
    print("wait_closed ok")
    os.rmdir(d)


async def main():
    await tcp_client_closes()
    await unix_client_closes()
    remove_certs()


asyncio.run(main())
