# oracle: 3.13
"""get_extra_info reads only the transport's own keys (not 'constructor' or 'toString'), on TCP, stream writers and UDP."""
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    async def h(r, w):
        print("server writer extra constructor:", w.get_extra_info("constructor"), w.get_extra_info("toString", "dflt"))
        w.close()
    srv = await asyncio.start_server(h, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    t = w.transport
    for key in ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__", "isPrototypeOf", "propertyIsEnumerable"]:
        print(key, t.get_extra_info(key), t.get_extra_info(key, 0), w.get_extra_info(key, "d"))
    print("known:", sorted(k for k in ["peername", "sockname", "socket", "pipe", "sslcontext", "peercert", "cipher", "compression", "ssl_object", "subprocess"] if t.get_extra_info(k) is not None))
    await r.read()
    w.close()
    await w.wait_closed()
    print("after close:", t.get_extra_info("peername")[1] == port, t.get_extra_info("constructor", 1))
    tr, pr = await loop.create_datagram_endpoint(asyncio.DatagramProtocol, local_addr=("127.0.0.1", 0))
    print("udp:", tr.get_extra_info("constructor"), tr.get_extra_info("toString", 2))
    tr.close()
    srv.close()
    await srv.wait_closed()

asyncio.run(main())
