# oracle: 3.13
"""A TLS transport paused at its read limits: after resume_reading(), the socket's reading resumes in a copy of the resumer's context, and later reads run there."""
import asyncio, contextvars
from _tls import server_ctx, client_ctx, remove_certs
var = contextvars.ContextVar("var", default="unset")
srv = []
class S(asyncio.Protocol):
    def connection_made(self, t): self.t = t; srv.append(self)
class C(asyncio.Protocol):
    def __init__(self): self.done = asyncio.get_running_loop().create_future()
    def data_received(self, d): print("data_received", d, "sees", var.get())
    def eof_received(self): print("eof_received sees", var.get())
    def connection_lost(self, exc): print("connection_lost sees", var.get(), exc); self.done.set_result(None)
async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(S, "127.0.0.1", 0, ssl=server_ctx())
    port = server.sockets[0].getsockname()[1]
    var.set("connector")
    t, p = await loop.create_connection(C, "127.0.0.1", port, ssl=client_ctx(), server_hostname="localhost")
    await asyncio.sleep(0.05)
    var.set("limiter")
    t.set_read_buffer_limits(high=1)
    var.set("pauser")
    t.pause_reading()
    var.set("main")
    srv[0].t.write(b"x1")
    await asyncio.sleep(0.1)
    var.set("resumer")
    t.resume_reading()
    var.set("main")
    await asyncio.sleep(0.1)
    srv[0].t.write(b"x2")
    await asyncio.sleep(0.1)
    srv[0].t.close()
    await p.done
    server.close()
    await server.wait_closed()
asyncio.run(main())
remove_certs()
