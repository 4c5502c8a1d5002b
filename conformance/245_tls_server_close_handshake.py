# oracle: 3.13 — a TLS server's connections still in their handshake: wait_closed() waits for
# them, close_clients()/abort_clients() drop them
import asyncio

from _tls import server_ctx, remove_certs


async def main():
    loop = asyncio.get_running_loop()
    for how in ["close", "close+close_clients", "close+abort_clients"]:
        srv = await asyncio.start_server(lambda r, w: print("handled"), "127.0.0.1", 0,
                                         ssl=server_ctx(), ssl_handshake_timeout=0.5)
        port = srv.sockets[0].getsockname()[1]
        r, w = await asyncio.open_connection("127.0.0.1", port)  # plain client, never speaks
        await asyncio.sleep(0.05)
        t0 = loop.time()
        srv.close()
        if how == "close+close_clients":
            srv.close_clients()
        elif how == "close+abort_clients":
            srv.abort_clients()
        await srv.wait_closed()
        print(how, ": wait_closed took >= 0.4 s:", loop.time() - t0 >= 0.4)
        t0 = loop.time()
        print("  client read:", await r.read(), "after >= 0.4 s:", loop.time() - t0 >= 0.4)
        w.close()


try:
    asyncio.run(main())
finally:
    remove_certs()
