# oracle: 3.13
"""writelines() that leaves bytes buffered adds its writer again in its caller's context: connection_lost after close() runs there."""
import asyncio, contextvars
var = contextvars.ContextVar('var', default='unset')
srv = []
class Srv(asyncio.Protocol):
    def connection_made(self, t): self.t = t; t.pause_reading(); srv.append(self)
    def data_received(self, d): pass
class C(asyncio.Protocol):
    def __init__(self): self.done = asyncio.get_running_loop().create_future()
    def connection_lost(self, exc):
        print("connection_lost sees:", var.get(), exc); self.done.set_result(None)
async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Srv, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    t, p = await loop.create_connection(C, "127.0.0.1", port)
    t.set_write_buffer_limits(high=64 << 20)
    await asyncio.sleep(0.01)
    var.set('A')
    t.write(b"a" * (8 << 20))
    var.set('B')
    t.writelines([b"b" * (1 << 20)])
    print("buffered:", t.get_write_buffer_size() > 0)
    var.set('closer')
    t.close()
    var.set('main')
    srv[0].t.resume_reading()
    await p.done
    server.close()
asyncio.run(main())
