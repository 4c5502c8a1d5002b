# oracle: 3.13 — ssl_shutdown_timeout checks and TLS argument messages of 3.13
import asyncio, ssl


def show(label, e):
    print(label, type(e).__name__, e)


async def main():
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    ctx = ssl.create_default_context()
    cases = [
        ("server_hostname no ssl", dict(server_hostname="x")),
        ("handshake_timeout no ssl", dict(ssl_handshake_timeout=1)),
        ("shutdown_timeout no ssl", dict(ssl_shutdown_timeout=1)),
        ("handshake_timeout 0", dict(ssl=ctx, ssl_handshake_timeout=0)),
        ("handshake_timeout -1", dict(ssl=ctx, ssl_handshake_timeout=-1)),
        ("shutdown_timeout 0", dict(ssl=ctx, ssl_shutdown_timeout=0)),
        ("shutdown_timeout -2.5", dict(ssl=ctx, ssl_shutdown_timeout=-2.5)),
    ]
    for label, kw in cases:
        try:
            await loop.create_connection(asyncio.Protocol, "127.0.0.1", port, **kw)
            print(label, "connected")
        except Exception as e:
            show("create_connection " + label, e)
    for label, kw in [
        ("ssl=True", dict(ssl=True)),
        ("handshake_timeout no ssl", dict(ssl_handshake_timeout=1)),
        ("shutdown_timeout no ssl", dict(ssl_shutdown_timeout=1)),
        ("handshake_timeout 0", dict(ssl=ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER), ssl_handshake_timeout=0)),
    ]:
        try:
            s = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0, **kw)
            print("create_server", label, "served")
            s.close()
        except Exception as e:
            show("create_server " + label, e)
    for label, fn in [
        ("open_connection server_hostname no ssl", lambda: asyncio.open_connection("127.0.0.1", port, server_hostname="x")),
        ("start_server ssl=True", lambda: asyncio.start_server(lambda r, w: None, "127.0.0.1", 0, ssl=True)),
    ]:
        try:
            await fn()
            print(label, "ok")
        except Exception as e:
            show(label, e)
    # start_tls argument checks on a plain connection
    tr, pr = await loop.create_connection(asyncio.Protocol, "127.0.0.1", port)
    for label, c in [("None", None), ("True", True), ("str", "ctx")]:
        try:
            await loop.start_tls(tr, pr, c)
        except Exception as e:
            show("start_tls " + label, e)
    try:
        await loop.start_tls(tr, pr, ctx, server_hostname="localhost", ssl_handshake_timeout=0)
    except Exception as e:
        show("start_tls timeout 0", e)
    print("transport closing after failed start_tls:", tr.is_closing())
    tr.close()
    # non-integer port
    for p in [1.5, port + 0.7]:
        try:
            t, _ = await loop.create_connection(asyncio.Protocol, "127.0.0.1", p)
            print("create_connection port float", int(p) == port, "connected")
            t.close()
        except Exception as e:
            show("create_connection port float", e)
    for p in [0.5, 0.0]:
        try:
            s = await loop.create_server(asyncio.Protocol, "127.0.0.1", p)
            print("create_server port", p, "served")
            s.close()
        except Exception as e:
            show("create_server port %r" % p, e)
    for label, fn in [
        ("create_server None 1.5", lambda: loop.create_server(asyncio.Protocol, None, 1.5)),
        ("getaddrinfo 1.5", lambda: loop.getaddrinfo("127.0.0.1", 1.5)),
    ]:
        try:
            await fn()
            print(label, "ok")
        except Exception as e:
            show(label, e)
    srv.close()
    await srv.wait_closed()


asyncio.run(main())
