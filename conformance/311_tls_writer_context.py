# oracle: 3.13
"""A TLS write into an empty buffer takes its caller's context for the writer (resume_writing runs there), not an earlier write's whose bytes all went."""
import asyncio, contextvars
from _tls import server_ctx, client_ctx, remove_certs
var = contextvars.ContextVar("var", default="unset")
srv = []
class S(asyncio.Protocol):
    def connection_made(self, t): self.t = t; t.pause_reading(); srv.append(self)
    def data_received(self, d): pass
class C(asyncio.Protocol):
    def __init__(self): self.resumed = asyncio.get_running_loop().create_future()
    def pause_writing(self): print("pause_writing")
    def resume_writing(self): print("resume_writing sees", var.get()); self.resumed.set_result(None)
async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(S, "127.0.0.1", 0, ssl=server_ctx())
    port = server.sockets[0].getsockname()[1]
    t, p = await loop.create_connection(C, "127.0.0.1", port, ssl=client_ctx(), server_hostname="localhost")
    t.set_write_buffer_limits(high=64 << 20)
    await asyncio.sleep(0.05)
    var.set("A")
    t.write(b"a" * (8 << 20))
    var.set("main")
    srv[0].t.resume_reading()
    while t.get_write_buffer_size():
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.5)
    srv[0].t.pause_reading()
    await asyncio.sleep(0.05)
    t.set_write_buffer_limits(high=1 << 20)
    var.set("B")
    t.write(b"b" * (8 << 20))
    var.set("C")
    t.write(b"c" * (8 << 20))
    var.set("main")
    srv[0].t.resume_reading()
    await p.resumed
    t.close()
    server.close()
asyncio.run(main())
remove_certs()
