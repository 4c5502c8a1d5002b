# oracle: 3.13 — TLS handshake against a silent or plaintext peer, plaintext client to a TLS server
import asyncio

from _tls import show, server_ctx, client_ctx, remove_certs

async def main():
    loop = asyncio.get_running_loop()

    async def silent(r, w):
        await r.read()
        w.close()

    async def chatty(r, w):
        w.write(b"HTTP/1.0 400 Bad Request\r\n\r\n" * 4)
        await w.drain()
        w.close()

    for label, cb in [("silent", silent), ("plaintext", chatty)]:
        server = await asyncio.start_server(cb, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            await asyncio.open_connection("127.0.0.1", port, ssl=client_ctx(), ssl_handshake_timeout=0.3)
        except Exception as e:
            show(label + ":", e)
        server.close()
        await server.wait_closed()

    # a plaintext client on a TLS server
    errors = []
    loop.set_exception_handler(lambda l, c: errors.append(c["message"]))
    handled = []
    server = await asyncio.start_server(lambda r, w: handled.append(1), "127.0.0.1", 0,
                                        ssl=server_ctx(), ssl_handshake_timeout=0.3)
    port = server.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    w.write(b"GET / HTTP/1.0\r\n\r\n")
    data = await r.read()
    print("plain client read:", len(data) > 0, "| at_eof:", r.at_eof(), "| handled:", handled)
    w.close()
    r, w = await asyncio.open_connection("127.0.0.1", port)
    data = await r.read()
    print("silent plain client read:", data, "| handled:", handled)
    w.close()
    server.close()
    await server.wait_closed()
    print("errors:", errors)


asyncio.run(main())
remove_certs()
