# oracle: 3.13
"""A datagram transport's connection_lost after close() (right after a sendto) runs in the closer's context."""
import asyncio, contextvars
var = contextvars.ContextVar("var", default="unset")
class P(asyncio.DatagramProtocol):
    def __init__(self): self.done = asyncio.get_running_loop().create_future()
    def error_received(self, exc): print("error_received", type(exc).__name__, "sees", var.get())
    def connection_lost(self, exc): print("connection_lost sees", var.get(), exc); self.done.set_result(None)
async def main():
    loop = asyncio.get_running_loop()
    var.set("maker")
    t, p = await loop.create_datagram_endpoint(P, local_addr=("127.0.0.1", 0))
    var.set("sender")
    t.sendto(b"x", ("127.0.0.1", 9))
    var.set("closer")
    t.close()
    var.set("main")
    await p.done
    var.set("maker")
    t, p = await loop.create_datagram_endpoint(P, remote_addr=("127.0.0.1", 9))
    var.set("sender")
    t.sendto(b"x")
    var.set("main")
    await asyncio.sleep(0.05)
    var.set("sender2")
    t.sendto(b"x")
    var.set("main")
    await asyncio.sleep(0.05)
    t.close()
    await p.done
asyncio.run(main())
