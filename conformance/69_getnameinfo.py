# oracle: 3.13
"""loop.getnameinfo(): names and services of numeric addresses, flags, and argument errors."""
import asyncio
import socket


async def main():
    loop = asyncio.get_running_loop()
    NH, NS, NOFQDN, NAMEREQD, DGRAM = (
        socket.NI_NUMERICHOST, socket.NI_NUMERICSERV, socket.NI_NOFQDN,
        socket.NI_NAMEREQD, socket.NI_DGRAM,
    )
    print("flags", NH, NS, NOFQDN, NAMEREQD, DGRAM)
    cases = [
        (("127.0.0.1", 80), 0),
        (("127.0.0.1", 80), NH),
        (("127.0.0.1", 80), NS),
        (("127.0.0.1", 80), NH | NS),
        (("127.0.0.1", 514), 0),
        (("127.0.0.1", 514), DGRAM),
        (("127.0.0.1", 54321), 0),
        (("127.0.0.1", 0), NH),
        (("127.0.0.1", 65535), NH),
        (("127.0.0.1", 70000), NH),
        (("127.0.0.1", 80), NOFQDN),
        (("127.0.0.1", 80), NH | NAMEREQD),
        (("::1", 443, 0, 0), NH),
        (("::1", 443), NH),
        (("::1", 443, 0, 5), NH),
        (("127.0.0.1", -1), 0),
        (("localhost", 80), 0),
        (("127.0.0.1", 80, 0, 0), 0),
        (("127.0.0.1", 80, 1), 0),
        (("127.0.0.1",), 0),
        ((None, 80), 0),
        (("127.0.0.1", "80"), 0),
        (("127.0.0.1", 1.5), 0),
        (("127.0.0.1", 80), "x"),
        (("127.0.0.1", 80), 1.5),
    ]
    for sockaddr, flags in cases:
        try:
            print(sockaddr, flags, "->", await loop.getnameinfo(sockaddr, flags))
        except Exception as e:
            print(sockaddr, flags, "->", type(e).__name__, e)
    print("coroutine function:", asyncio.iscoroutinefunction(loop.getnameinfo))


asyncio.run(main())
