# oracle: 3.13
"""A client_connected_cb that returns a Future (not a coroutine): CPython ignores the Future, and its failure reaches no handler."""
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    calls = []
    loop.set_exception_handler(lambda l, c: calls.append((c["message"], type(c.get("exception")).__name__)))
    futs = []
    def cb(r, w):
        f = loop.create_future()
        futs.append((f, w))
        return f
    srv = await asyncio.start_server(cb, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    await asyncio.sleep(0.05)
    f, sw = futs[0]
    f.set_exception(ValueError("future failed"))
    f.exception()  # retrieve, so no "never retrieved" noise
    await asyncio.sleep(0.05)
    print("handler calls", calls, "server writer closing", sw.is_closing())
    f2 = loop.create_future()
    w.close()
    sw.close()
    srv.close()
    await srv.wait_closed()

asyncio.run(main())
