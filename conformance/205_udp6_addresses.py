# oracle: 3.13
import asyncio, socket
class D(asyncio.DatagramProtocol):
    def __init__(self): self.log = []; self.q = asyncio.Queue(); self.lost = asyncio.get_running_loop().create_future()
    def datagram_received(self, d, a): self.q.put_nowait((d, a))
    def error_received(self, e): self.log.append(("error", type(e).__name__, e.errno))
    def connection_lost(self, e): self.log.append(("lost", repr(e))); self.lost.set_result(None)
async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda l, c: print("handler:", c["message"], repr(c.get("exception"))))
    st, sp = await loop.create_datagram_endpoint(D, local_addr=("::1", 0))
    addr = st.get_extra_info("sockname")
    P = str(addr[1])
    print("v6 sockname", addr[0], len(addr), addr[2:], st.get_extra_info("socket").family == socket.AF_INET6)
    ct, cp = await loop.create_datagram_endpoint(D, local_addr=("::1", 0))
    ct.sendto(b"two-tuple", ("::1", addr[1]))
    d, a = await sp.q.get(); print("got", d, a[0], len(a))
    ct.sendto(b"four-tuple", ("::1", addr[1], 0, 0))
    d, a = await sp.q.get(); print("got", d)
    for bad in [("127.0.0.1", addr[1]), ("::1", addr[1], 0, 0, 0)]:
        try:
            ct.sendto(b"x", bad)
            await asyncio.sleep(0.02)
            print("sendto", repr(bad).replace(P, "PORT"), "->", cp.log)
        except Exception as e:
            print("sendto", repr(bad).replace(P, "PORT"), type(e).__name__, e)
    # connected v6
    t, p = await loop.create_datagram_endpoint(D, remote_addr=("::1", addr[1]))
    print("peername", repr(t.get_extra_info("peername")).replace(P, "PORT"))
    try:
        t.sendto(b"x", ("::1", addr[1]))
        print("connected 2-tuple same ok")
    except ValueError as e:
        print("connected 2-tuple", str(e).replace(P, "PORT"))
    try:
        t.sendto(b"x", ("::1", addr[1], 0, 0))
        print("connected 4-tuple same ok")
    except ValueError as e:
        print("connected 4-tuple", str(e).replace(P, "PORT"))
    for x in (t, ct, st): x.close()
    await asyncio.sleep(0.02)
asyncio.run(main())
