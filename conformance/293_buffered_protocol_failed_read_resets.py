# oracle: 3.13
"""A BufferedProtocol whose get_buffer() fails (an empty buffer, or an exception) is a fatal
error; the bytes that arrived were never read from the socket (recv_into() was not called), so
the close resets the connection: the peer's read() raises ConnectionResetError instead of
seeing a clean EOF. 127.0.0.1."""
import asyncio


class Empty(asyncio.BufferedProtocol):
    def get_buffer(self, hint):
        return bytearray(0)

    def buffer_updated(self, n):
        pass


class Raises(asyncio.BufferedProtocol):
    def get_buffer(self, hint):
        raise ValueError("no buffer")

    def buffer_updated(self, n):
        pass


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(
        lambda l, ctx: print("handler:", ctx["message"], repr(ctx["exception"])))
    for proto in (Empty, Raises):
        server = await loop.create_server(proto, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write(b"abc")
        try:
            print(proto.__name__, "read", await r.read())
        except Exception as e:
            print(proto.__name__, "read:", type(e).__name__)
        w.close()
        try:
            await w.wait_closed()
        except Exception as e:
            print(proto.__name__, "wait_closed:", type(e).__name__)
        server.close()
        await server.wait_closed()


asyncio.run(main())
