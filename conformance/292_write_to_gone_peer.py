# oracle: 3.13
"""A write the kernel refuses at once (the peer has closed and answered an earlier write with a
reset) fails inside write(), as CPython's send() does: a close() right after it does not hide
the error (wait_closed() and connection_lost get BrokenPipeError), a drain() right after it
raises ConnectionResetError('Connection lost'), one after a pause the write's own error; the
same for writelines() and for a Protocol. 127.0.0.1, short real sleeps for the reset to arrive."""
import asyncio


def show(e):
    return f"{type(e).__name__}{e.args!r}"


class Client(asyncio.Protocol):
    def __init__(self):
        self.lost = asyncio.get_running_loop().create_future()

    def connection_made(self, t):
        self.t = t

    def data_received(self, d):
        print("protocol data", d)

    def eof_received(self):
        print("protocol eof")
        return True

    def connection_lost(self, exc):
        print("protocol lost", "None" if exc is None else show(exc))
        self.lost.set_result(None)


async def main():
    loop = asyncio.get_running_loop()

    async def closer(reader, writer):
        writer.write(b"hi")
        writer.close()

    server = await asyncio.start_server(closer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    for mode in ("close", "drain now", "drain later", "writelines"):
        r, w = await asyncio.open_connection("127.0.0.1", port)
        print(mode, "read", await r.read())
        w.write(b"x")  # the peer answers with a reset
        await asyncio.sleep(0.1)
        if mode == "writelines":
            w.writelines([b"y", b"z"])
        else:
            w.write(b"y")
        if mode == "drain later":
            await asyncio.sleep(0.05)
        if mode.startswith("drain"):
            try:
                await w.drain()
                print(mode, "drain ok")
            except Exception as e:
                print(mode, "drain", show(e))
        w.close()
        try:
            await w.wait_closed()
            print(mode, "wait_closed ok")
        except Exception as e:
            print(mode, "wait_closed", show(e))

    t, c = await loop.create_connection(Client, "127.0.0.1", port)
    await asyncio.sleep(0.1)
    t.write(b"x")
    await asyncio.sleep(0.1)
    print("protocol closing before the write", t.is_closing())
    t.write(b"y")
    print("protocol closing after it", t.is_closing())
    t.close()
    await asyncio.wait_for(c.lost, 5)
    server.close()
    await server.wait_closed()


asyncio.run(main())
