# oracle: 3.13
"""From a hunt in the loop API: connect accepted socket more."""
import asyncio, socket

class P(asyncio.Protocol):
    def __init__(self):
        self.log = []
        self.lost = asyncio.get_running_loop().create_future()
    def connection_made(self, t):
        self.t = t
        self.log.append("made")
    def data_received(self, d):
        self.log.append(["data", d])
    def eof_received(self):
        self.log.append("eof")
        self.t.write(b"bye")
        self.t.close()
    def connection_lost(self, exc):
        self.log.append(["lost", repr(exc)])
        self.lost.set_result(None)

made = []
def factory():
    made.append(1)
    return P()

async def accept_one(loop, lsock):
    conn, _ = await loop.sock_accept(lsock)
    return conn

async def main():
    loop = asyncio.get_running_loop()
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen()
    lsock.setblocking(False)
    port = lsock.getsockname()[1]

    r, w = await asyncio.open_connection("127.0.0.1", port)
    conn = await accept_one(loop, lsock)
    t, p = await loop.connect_accepted_socket(factory, conn)
    print("made", p.log, "peer is client", t.get_extra_info("peername") == w.get_extra_info("sockname"))
    print("sockname port", t.get_extra_info("sockname")[1] == port, "closing", t.is_closing())
    w.write(b"hello")
    w.write_eof()
    print("client read", await r.read())
    await p.lost
    print("server log", p.log)
    w.close()
    await w.wait_closed()

    for label, kw in [("hs timeout no ssl", dict(ssl_handshake_timeout=1)),
                      ("shutdown timeout no ssl", dict(ssl_shutdown_timeout=1)),
                      ("hs timeout ssl=False", dict(ssl=False, ssl_handshake_timeout=1)),
                      ("ssl=True", dict(ssl=True)),
                      ("ssl=0 plain", dict(ssl=0)),
                      ]:
        r, w = await asyncio.open_connection("127.0.0.1", port)
        conn = await accept_one(loop, lsock)
        made.clear()
        try:
            t, p = await loop.connect_accepted_socket(factory, conn, **kw)
            print(label, "ok", p.log)
            t.close()
        except Exception as e:
            print(label, type(e).__name__, e, "factory called", len(made))
        w.close()
        await w.wait_closed()
        conn.close()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        await loop.connect_accepted_socket(factory, u)
    except ValueError as e:
        print("udp", str(e).split(",")[0].split(" <")[0])
    u.close()
    lsock.close()

asyncio.run(main())
