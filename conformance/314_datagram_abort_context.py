# oracle: 3.13
"""A datagram transport's connection_lost after abort() runs in the aborter's context."""
import asyncio, contextvars
var = contextvars.ContextVar("var", default="unset")
class P(asyncio.DatagramProtocol):
    def __init__(self): self.done = asyncio.get_running_loop().create_future()
    def connection_lost(self, exc): print("connection_lost sees", var.get(), exc); self.done.set_result(None)
async def main():
    loop = asyncio.get_running_loop()
    var.set("maker")
    t, p = await loop.create_datagram_endpoint(P, local_addr=("127.0.0.1", 0))
    var.set("aborter")
    t.abort()
    var.set("main")
    await p.done
asyncio.run(main())
