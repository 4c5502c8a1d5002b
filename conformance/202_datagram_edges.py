# oracle: 3.13 — datagram transport edges on CPython 3.13 (empty datagrams, errors after close, sendto without an address)
import asyncio
import logging


class Show(logging.Handler):
    def emit(self, record):
        print("logged:", record.getMessage())


logging.getLogger("asyncio").addHandler(Show())
class D(asyncio.DatagramProtocol):
    def __init__(self): self.log=[]; self.lost=asyncio.get_running_loop().create_future()
    def connection_made(self, t): self.log.append("made")
    def datagram_received(self, d, a): self.log.append(f"dgram {d!r}")
    def error_received(self, e): self.log.append(f"error {type(e).__name__} {e}")
    def connection_lost(self, e): self.log.append(f"lost {e!r}"); self.lost.set_result(None)
async def main():
    loop = asyncio.get_running_loop()
    rt, rp = await loop.create_datagram_endpoint(D, local_addr=("127.0.0.1", 0))
    addr = rt.get_extra_info("sockname")
    t, p = await loop.create_datagram_endpoint(D, remote_addr=addr)
    t.sendto(b""); t.sendto(b"a"); t.sendto(bytearray(b"b"))
    for bad in ["s", 1]:
        try: t.sendto(bad)
        except Exception as e: print("sendto", repr(bad), type(e).__name__, e)
    try: t.sendto(b"x", ("127.0.0.1", 1))
    except ValueError as e: print("other addr ValueError", str(e).startswith("Invalid address: must be None or"))
    print("buffer", t.get_write_buffer_size(), "peername ok", t.get_extra_info("peername") == addr)
    loop.set_exception_handler(lambda l, ctx: print("handler:", ctx["message"], repr(ctx["exception"])))
    await asyncio.sleep(0.05)
    print("receiver", rp.log)
    rt.close()
    await rp.lost
    t.sendto(b"to closed")
    await asyncio.sleep(0.05)
    print("sender", p.log, t.is_closing())
    t.close(); await p.lost
    for i in range(7): t.sendto(b"x")
    print("sender end", p.log)
    t2, p2 = await loop.create_datagram_endpoint(D, local_addr=("127.0.0.1", 0))
    try: t2.sendto(b"x")
    except Exception as e: print("unconnected no addr", type(e).__name__, e)
    t2.abort(); await p2.lost; print("abort", p2.log)
asyncio.run(main())
