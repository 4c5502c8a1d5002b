# oracle: 3.13
"""A failed start_tls() handshake: the protocol's connection_lost runs in a copy of the start_tls() caller's context."""
import asyncio, contextvars, ssl
from _tls import server_ctx, remove_certs
var = contextvars.ContextVar("var", default="unset")
srv = []
class S(asyncio.Protocol):
    def connection_made(self, t): srv.append(t)
class P(asyncio.Protocol):
    def connection_lost(self, exc): print("connection_lost sees", var.get(), type(exc).__name__)
async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(S, "127.0.0.1", 0)
    var.set("connector")
    t, _ = await loop.create_connection(asyncio.Protocol, *server.sockets[0].getsockname())
    await asyncio.sleep(0.05)
    async def up():
        var.set("upgrader")
        try:
            await loop.start_tls(t, P(), ssl.create_default_context(), server_hostname="localhost")
        except Exception as e:
            print("start_tls:", type(e).__name__)
    async def up_srv():
        try:
            await loop.start_tls(srv[0], asyncio.Protocol(), server_ctx(), server_side=True)
        except Exception:
            pass
    await asyncio.gather(up(), up_srv())
    await asyncio.sleep(0.05)
    server.close()
asyncio.run(main())
remove_certs()
