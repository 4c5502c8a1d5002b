# oracle: 3.13
"""A handler that returns without closing its writer: the writer, once garbage-collected, closes the connection (3.13)."""
import asyncio, gc

async def main():
    async def h(r, w):
        w.write(b"hi")
        # returns without closing: the writer is dropped
    srv = await asyncio.start_server(h, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    await asyncio.sleep(0.05)
    gc.collect()
    try:
        print("client read:", await asyncio.wait_for(r.read(), 1.0))
    except TimeoutError:
        print("client read: timed out, connection left open")
    w.close()
    srv.close()
    try:
        await asyncio.wait_for(srv.wait_closed(), 1.0)
        print("server wait_closed ok")
    except TimeoutError:
        print("server wait_closed timed out")

asyncio.run(main())
