# oracle: 3.13
"""sendto() with the host "<broadcast>": INADDR_BROADCAST for AF_INET (refused without
allow_broadcast: nothing is sent), "address family mismatched" for AF_INET6."""
import asyncio, socket
class P(asyncio.DatagramProtocol):
    def error_received(self, exc):
        print("error_received", type(exc).__name__, exc)
async def main():
    loop = asyncio.get_running_loop()
    for fam, host in ((socket.AF_INET, '127.0.0.1'), (socket.AF_INET6, '::1')):
        t, p = await loop.create_datagram_endpoint(P, local_addr=(host, 0), family=fam)
        t.sendto(b'aaaa', ('<broadcast>', 9))
        await asyncio.sleep(0.05)
        t.close()
asyncio.run(main())
