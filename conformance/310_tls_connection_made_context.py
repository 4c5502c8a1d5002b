# oracle: 3.13
"""A TLS protocol's connection_made runs in the context its reads then run in: a value set there is seen by data_received."""
import asyncio, contextvars
from _tls import server_ctx, client_ctx, remove_certs
var = contextvars.ContextVar("var", default="unset")
class C(asyncio.Protocol):
    def connection_made(self, t): var.set("set in connection_made")
    def data_received(self, d): print("data_received sees", var.get())
async def main():
    loop = asyncio.get_running_loop()
    async def h(r, w):
        w.write(b"hi"); await w.drain(); w.close()
    server = await asyncio.start_server(h, "127.0.0.1", 0, ssl=server_ctx())
    port = server.sockets[0].getsockname()[1]
    t, p = await loop.create_connection(C, "127.0.0.1", port, ssl=client_ctx(), server_hostname="localhost")
    await asyncio.sleep(0.1)
    t.close()
    server.close()
    await server.wait_closed()
asyncio.run(main())
remove_certs()
