# oracle: 3.13
"""An accepted connection's _accept_connection2 task stays pending until the protocol's
connection_made() has run (it awaits the transport's waiter), then ends before the data."""
import asyncio
import re


def accept_tasks(loop):
    out = []
    for t in asyncio.all_tasks(loop):
        m = re.search(r"coro=<([^(\s]+)\(", repr(t))
        if m and "accept" in m[1]:
            out.append((t.get_name(), m[1], t.done()))
    return sorted(out)


async def main():
    loop = asyncio.get_running_loop()
    order = []

    class P(asyncio.Protocol):
        def connection_made(self, t):
            order.append(("connection_made", asyncio.current_task() is None, accept_tasks(loop)))
            loop.call_soon(lambda: order.append(("cb after connection_made", accept_tasks(loop))))

        def data_received(self, d):
            order.append(("data", d, accept_tasks(loop)))

        def connection_lost(self, exc):
            order.append(("lost", exc))

    srv = await loop.create_server(P, "127.0.0.1", 0)
    host, port = srv.sockets[0].getsockname()
    print("before:", accept_tasks(loop))
    r, w = await asyncio.open_connection(host, port)
    w.write(b"hello")
    await asyncio.sleep(0.05)
    for o in order:
        print(" ", o)
    w.close()
    await asyncio.sleep(0.02)
    print("last:", order[-1])
    srv.close()
    await srv.wait_closed()

    seen = []

    async def handler(reader, writer):
        seen.append(("handler first step", accept_tasks(loop)))
        await asyncio.sleep(0)
        seen.append(("handler second step", accept_tasks(loop)))
        writer.close()

    srv = await asyncio.start_server(handler, "127.0.0.1", 0)
    host, port = srv.sockets[0].getsockname()
    r, w = await asyncio.open_connection(host, port)
    print("read:", await r.read())
    for s in seen:
        print(" ", s)
    w.close()
    srv.close()
    await srv.wait_closed()
    print("after:", accept_tasks(loop))


asyncio.run(main())
