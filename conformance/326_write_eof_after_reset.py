# oracle: 3.13
"""write_eof() on a plain socket whose peer reset it (our write reached its closed socket)
raises OSError ENOTCONN at once, as the socket's shutdown() does."""
import asyncio


async def write_eof_after_reset():
    accepted = asyncio.Queue()
    srv = await asyncio.start_server(lambda r, w: accepted.put_nowait(w), "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    sw = await accepted.get()
    sw.transport.abort()
    print("read:", await r.read())
    w.write(b"data")  # the peer's closed socket answers with a reset
    await asyncio.sleep(0.1)
    try:
        w.write_eof()
        print("write_eof: ok")
    except OSError as e:
        print("write_eof:", type(e).__name__, e.errno, e)
    print("is_closing:", w.is_closing())
    w.close()
    srv.close()
    await srv.wait_closed()


asyncio.run(write_eof_after_reset())
