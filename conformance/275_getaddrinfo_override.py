# oracle: 3.13
"""From a hunt in the loop API: getaddrinfo override."""
import asyncio, socket
from socket import AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM

calls = []
PORTS = {}
def clean(s):
    s = str(s)
    for p, n in PORTS.items():
        s = s.replace(str(p), n)
    return s

class L(asyncio.SelectorEventLoop):
    async def getaddrinfo(self, host, port, *, family=0, type=0, proto=0, flags=0):
        calls.append(clean([host, port, int(family), int(type), proto, int(flags)]))
        if host == "multi.test":
            t = type or SOCK_STREAM
            return [(AF_INET, t, 6, "", ("127.0.0.2", port)),
                    (AF_INET, t, 6, "", ("127.0.0.3", port)),
                    (AF_INET6, t, 6, "", ("::1", port, 0, 0)),
                    (AF_INET, t, 6, "", ("127.0.0.4", port))]
        if host == "empty.test":
            return []
        if host == "one.test":
            return [(AF_INET, type or SOCK_STREAM, 17 if type == SOCK_DGRAM else 6, "", ("127.0.0.1", port))]
        return await super().getaddrinfo(host, port, family=family, type=type, proto=proto, flags=flags)

def show(label, e):
    print(f"{label}: {type(e).__name__}: {clean(e)}")

async def main():
    loop = asyncio.get_running_loop()
    print("loop", type(loop).__name__)
    s = socket.socket(); s.bind(("127.0.0.1", 0)); closed = s.getsockname()[1]; s.close()
    PORTS[closed] = "CLOSED"
    srv = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    PORTS[port] = "PORT"
    print("numeric host server: calls", calls); calls.clear()
    for label, kw in [("plain", {}), ("interleave=1", dict(interleave=1)), ("interleave=2", dict(interleave=2)),
                      ("happy", dict(happy_eyeballs_delay=0.05))]:
        try:
            await loop.create_connection(asyncio.Protocol, "multi.test", closed, **kw)
        except OSError as e:
            show("connect multi " + label, e)
        print("   calls", calls); calls.clear()
    try:
        await loop.create_connection(asyncio.Protocol, "empty.test", closed)
    except OSError as e:
        show("connect empty", e)
    print("   calls", calls); calls.clear()
    t, p = await loop.create_connection(asyncio.Protocol, "one.test", port, local_addr=("one.test", 0))
    print("connect one.test ok", t.get_extra_info("peername")[0], "calls", calls); calls.clear()
    t.close()
    r, w = await asyncio.open_connection("one.test", port)
    print("open_connection ok; calls", calls); calls.clear()
    w.close(); await w.wait_closed()
    try:
        await loop.create_connection(asyncio.Protocol, "one.test", port, local_addr=("empty.test", 0))
    except OSError as e:
        show("local empty", e)
    print("   calls", calls); calls.clear()
    srv2 = await loop.create_server(asyncio.Protocol, "one.test", 0)
    print("server one.test", srv2.sockets[0].getsockname()[0], "calls", calls); calls.clear()
    srv2.close()
    try:
        await loop.create_server(asyncio.Protocol, ["one.test", "empty.test"], 0)
    except OSError as e:
        show("server empty", e)
    print("   calls", calls); calls.clear()
    t, p = await loop.create_datagram_endpoint(asyncio.DatagramProtocol, local_addr=("one.test", 0))
    print("datagram one.test", t.get_extra_info("sockname")[0], "calls", calls); calls.clear()
    t.close()
    try:
        await loop.create_datagram_endpoint(asyncio.DatagramProtocol, remote_addr=("empty.test", 9))
    except OSError as e:
        show("datagram empty", e)
    print("   calls", calls); calls.clear()
    print("direct", clean([[int(f), int(t), p, c, list(a)] for f, t, p, c, a in await loop.getaddrinfo("one.test", 5)]))
    calls.clear()
    srv.close()

asyncio.run(main(), loop_factory=L)
