# oracle: 3.13
"""What a peer sent just before main() returned still reaches the protocols during
asyncio.run()'s shutdown, whose iterations poll for I/O: the server side sees the client's
data, its EOF and connection_lost; a stream handler still reading is cancelled first."""
import asyncio


class P(asyncio.Protocol):
    def __init__(self, tag):
        self.tag = tag

    def connection_made(self, t):
        print(self.tag, "made")

    def data_received(self, data):
        print(self.tag, "data", data)

    def eof_received(self):
        print(self.tag, "eof")

    def connection_lost(self, exc):
        print(self.tag, "lost", exc)


async def close_at_end():
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(lambda: P("server-side"), "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    tr, _ = await loop.create_connection(lambda: P("client"), "127.0.0.1", port)
    await asyncio.sleep(0.05)
    tr.write(b"last words")
    tr.close()
    srv.close()
    print("main returns")


async def closed_earlier():
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(lambda: P("server-side 2"), "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    tr, _ = await loop.create_connection(lambda: P("client 2"), "127.0.0.1", port)
    await asyncio.sleep(0.05)
    tr.close()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    srv.close()
    print("main 2 returns")


async def stream_handler_reading():
    async def handler(reader, writer):
        try:
            print("handler read", await reader.read(100))
            print("handler read", await reader.read(100))
        except asyncio.CancelledError:
            print("handler cancelled")
            raise
        finally:
            writer.close()

    srv = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"hello")
    await asyncio.sleep(0.05)
    writer.close()
    srv.close()
    print("main 3 returns")


asyncio.run(close_at_end())
print("after run")
asyncio.run(closed_earlier())
print("after run 2")
asyncio.run(stream_handler_reading())
print("after run 3")
