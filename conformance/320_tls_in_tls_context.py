# oracle: 3.13
"""TLS started inside TLS: the inner transport's callbacks run in the outer connection's reader context, not the upgrader's."""
import asyncio, contextvars
from _tls import server_ctx, client_ctx, remove_certs
var = contextvars.ContextVar("var", default="unset")
srv = []
class S(asyncio.Protocol):
    def connection_made(self, t): srv.append(t)
class P(asyncio.Protocol):
    def data_received(self, d): print("inner data_received sees", var.get())
async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(S, "127.0.0.1", 0, ssl=server_ctx())
    var.set("connector")
    t, _ = await loop.create_connection(asyncio.Protocol, *server.sockets[0].getsockname(), ssl=client_ctx(), server_hostname="localhost")
    await asyncio.sleep(0.05)
    async def up():
        var.set("upgrader")
        return await loop.start_tls(t, P(), client_ctx(), server_hostname="localhost")
    ct, st = await asyncio.gather(up(), loop.start_tls(srv[0], asyncio.Protocol(), server_ctx(), server_side=True))
    st.write(b"hello")
    await asyncio.sleep(0.05)
    ct.abort(); st.abort()
    server.close()
asyncio.run(main())
remove_certs()
