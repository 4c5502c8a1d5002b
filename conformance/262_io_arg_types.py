# oracle: 3.13
"""Argument types for transports and servers: set_write_buffer_limits with inf, strings and
bad orders; Unix socket paths that are not str (bytes work); a listen backlog that is not an
int."""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    t, _ = await loop.create_connection(asyncio.Protocol, "127.0.0.1", port)
    cases = [
        (float("inf"), None), (None, None), (100, 10), (10, 100), ("x", None), ("x", 1),
        (None, "x"), (1, "x"), (-1, None), (None, 5), (float("nan"), 1),
    ]
    for high, low in cases:
        try:
            t.set_write_buffer_limits(high, low)
            lo, hi = t.get_write_buffer_limits()
            print("limits", repr(high), repr(low), "->", lo, hi)
        except (TypeError, ValueError) as e:
            print("limits", repr(high), repr(low), "->", type(e).__name__, e)
    t.close()
    srv.close()
    await srv.wait_closed()

    for p in [5, None]:
        try:
            await asyncio.open_unix_connection(p)
        except (TypeError, ValueError) as e:
            print("open_unix_connection", repr(p), "->", type(e).__name__, e)
    try:
        await asyncio.start_unix_server(lambda r, w: None, 5)
    except TypeError as e:
        print("start_unix_server 5 ->", type(e).__name__, e)
    path = b"/tmp/asyncio-ts-262.sock"
    usrv = await asyncio.start_unix_server(lambda r, w: w.close(), path)
    r, w = await asyncio.open_unix_connection(path)
    print("a bytes path works:", await r.read())
    w.close()
    usrv.close()
    await usrv.wait_closed()
    for backlog in [1.5, None, "x"]:
        try:
            s = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0, backlog=backlog)
            print("backlog", repr(backlog), "served")
            s.close()
        except TypeError as e:
            print("backlog", repr(backlog), "->", type(e).__name__, e)

    # `if ssl:` -- a falsy value is no TLS
    s = await asyncio.start_server(lambda r, w: (w.write(b"hi"), w.close()), "127.0.0.1", 0, ssl=0)
    r, w = await asyncio.open_connection("127.0.0.1", s.sockets[0].getsockname()[1], ssl="")
    print("ssl=0 / ssl='': plain connection,", await r.read())
    w.close()
    s.close()
    await s.wait_closed()


asyncio.run(main())
