# oracle: 3.13
"""A standard-stream descriptor the child cannot use (EBADF, no filename), and datagram
addresses whose host is not a string: local_addr's TypeError at the call, sendto()'s as a fatal
write error that closes the transport."""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    for fd in [999, -5]:
        try:
            p = await asyncio.create_subprocess_exec("true", stdin=fd)
            print("returncode", await p.wait())
        except OSError as e:
            print("stdin", fd, "->", type(e).__name__, e, "filename", repr(e.filename))

    loop.set_exception_handler(
        lambda l, c: print("handler:", c["message"], type(c["exception"]).__name__, c["exception"])
    )
    try:
        await loop.create_datagram_endpoint(asyncio.DatagramProtocol, local_addr=(5, 0))
    except TypeError as e:
        print("local_addr (5, 0) ->", type(e).__name__, e)

    class P(asyncio.DatagramProtocol):
        def connection_lost(self, exc):
            print("connection_lost", type(exc).__name__, exc)

    for addr in [(5, 9), (None, 9)]:
        t, _ = await loop.create_datagram_endpoint(P, local_addr=("127.0.0.1", 0))
        t.sendto(b"x", addr)
        await asyncio.sleep(0.01)
        print("sendto", addr, "-> closing", t.is_closing())


asyncio.run(main())
