# oracle: 3.13
"""From a hunt in the loop API: datagram sock options."""
import asyncio, socket

PORTS = {}
def clean(s):
    s = str(s)
    for p, n in PORTS.items():
        s = s.replace(str(p), n)
    return s

class D(asyncio.DatagramProtocol):
    def __init__(self):
        self.got = asyncio.get_running_loop().create_future()
    def datagram_received(self, data, addr):
        if not self.got.done():
            self.got.set_result((data, addr[0]))
    def error_received(self, exc):
        print("   error_received", type(exc).__name__)

def fam(f):
    return {socket.AF_INET: "v4", socket.AF_INET6: "v6"}.get(f, f)

async def main():
    loop = asyncio.get_running_loop()
    rt, rp = await loop.create_datagram_endpoint(D, local_addr=("127.0.0.1", 0))
    rport = rt.get_extra_info("sockname")[1]
    PORTS[rport] = "RPORT"
    rt6, rp6 = await loop.create_datagram_endpoint(D, local_addr=("::1", 0))
    r6port = rt6.get_extra_info("sockname")[1]
    PORTS[r6port] = "R6PORT"
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    cases = [
        ("nothing", {}),
        ("family only v4", dict(family=socket.AF_INET)),
        ("family only v6", dict(family=socket.AF_INET6)),
        ("local v6 remote v4", dict(local_addr=("::1", 0), remote_addr=("127.0.0.1", rport))),
        ("local v4 remote v4", dict(local_addr=("127.0.0.1", 0), remote_addr=("127.0.0.1", rport))),
        ("local v4 remote v6", dict(local_addr=("127.0.0.1", 0), remote_addr=("::1", r6port))),
        ("remote v4 family v6", dict(remote_addr=("127.0.0.1", rport), family=socket.AF_INET6)),
        ("remote None host", dict(remote_addr=(None, r6port))),
        ("local None host", dict(local_addr=(None, 0))),
        ("local empty host", dict(local_addr=("", 0))),
        ("local localhost", dict(local_addr=("localhost", 0))),
        ("local v4 family v4", dict(local_addr=("127.0.0.1", 0), family=socket.AF_INET)),
        ("remote + family v4", dict(remote_addr=("127.0.0.1", rport), family=socket.AF_INET)),
        ("sock + local", dict(sock=s, local_addr=("127.0.0.1", 0))),
        ("sock + family + broadcast", dict(sock=s, family=socket.AF_INET, allow_broadcast=True)),
        ("sock + remote + flags + proto", dict(sock=s, remote_addr=("127.0.0.1", 1), flags=1, proto=17)),
        ("sock + reuse_port", dict(sock=s, reuse_port=True)),
        ("sock + falsy opts", dict(sock=s, reuse_port=False, allow_broadcast=False, family=0, local_addr=None)),
    ]
    for label, kw in cases:
        try:
            t, p = await loop.create_datagram_endpoint(D, **kw)
        except Exception as e:
            print(f"{label}: {type(e).__name__}: {clean(e)}")
            continue
        sn = t.get_extra_info("sockname")
        peer = t.get_extra_info("peername")
        print(f"{label}: ok sock={fam(t.get_extra_info('socket').family)} sockname={[sn[0], 'P' if sn[1] else 0] + list(sn[2:])} peer={clean(list(peer) if peer else peer)}")
        try:
            if peer:
                t.sendto(b"x")
            else:
                t.sendto(b"x", ("127.0.0.1", rport) if t.get_extra_info('socket').family == socket.AF_INET else ("::1", r6port))
            await asyncio.sleep(0.02)
            for name, rr in (("v4", rp), ("v6", rp6)):
                if rr.got.done():
                    print("   received by", name, rr.got.result()[0])
                    rr.got = loop.create_future()
            sn2 = t.get_extra_info("sockname")
            print("   sockname after send has port", sn2[1] != 0)
        except Exception as e:
            print(f"   send: {type(e).__name__}: {clean(e)}")
        t.close()
        await asyncio.sleep(0)
    rt.close(); rt6.close()

asyncio.run(main())
