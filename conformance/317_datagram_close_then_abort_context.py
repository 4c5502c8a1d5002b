# oracle: 3.13
"""close() right after sendto(), then abort(): a datagram transport's connection_lost runs in the closer's context (close() scheduled it)."""
import asyncio, contextvars
var = contextvars.ContextVar("var", default="unset")
class P(asyncio.DatagramProtocol):
    def connection_lost(self, exc): print("connection_lost sees", var.get())
async def main():
    loop = asyncio.get_running_loop()
    t, p = await loop.create_datagram_endpoint(P, local_addr=("127.0.0.1", 0))
    t.sendto(b"x", ("127.0.0.1", 9))
    var.set("closer")
    t.close()
    var.set("aborter")
    t.abort()
    var.set("main")
    await asyncio.sleep(0.05)
asyncio.run(main())
