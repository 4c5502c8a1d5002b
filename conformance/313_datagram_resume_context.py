# oracle: 3.13
"""A datagram transport's reads after resume_reading() run in the resumer's context."""
import asyncio, contextvars
var = contextvars.ContextVar("var", default="unset")
class P(asyncio.DatagramProtocol):
    def datagram_received(self, d, a): print("datagram_received", d, "sees", var.get())
async def main():
    loop = asyncio.get_running_loop()
    rt, rp = await loop.create_datagram_endpoint(P, local_addr=("127.0.0.1", 0))
    st, sp = await loop.create_datagram_endpoint(asyncio.DatagramProtocol, remote_addr=rt.get_extra_info("sockname"))
    rt.pause_reading()
    st.sendto(b"x")
    await asyncio.sleep(0.05)
    var.set("resumer")
    rt.resume_reading()
    var.set("main")
    await asyncio.sleep(0.05)
    rt.close(); st.close()
asyncio.run(main())
