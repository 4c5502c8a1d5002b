# oracle: 3.13
"""A datagram transport's connection_lost after a fatal error in sendto() runs in the sender's context."""
import asyncio, contextvars
var = contextvars.ContextVar("var", default="unset")
class P(asyncio.DatagramProtocol):
    def connection_lost(self, exc): print("connection_lost sees", var.get(), type(exc).__name__)
async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda l, c: print("handler sees", var.get()))
    var.set("maker")
    t, p = await loop.create_datagram_endpoint(P, local_addr=("127.0.0.1", 0))
    var.set("sender")
    t.sendto(b"x", None)
    var.set("main")
    await asyncio.sleep(0.05)
asyncio.run(main())
