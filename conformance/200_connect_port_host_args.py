# oracle: 3.13 — create_connection/create_server/create_datagram_endpoint with a port outside 0-65535 or a non-str host
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    cases = [("127.0.0.1", "abc"), ("127.0.0.1", 70000), ("127.0.0.1", -1), ("127.0.0.1", None), (123, 80)]
    for host, port in cases:
        try:
            await loop.create_connection(asyncio.Protocol, host, port)
        except Exception as e:
            print("create_connection", repr((host, port)), type(e).__name__, e)
    for host, port in [("127.0.0.1", "abc"), ("127.0.0.1", 70000), ("127.0.0.1", -1), (123, 0)]:
        try:
            await loop.create_server(asyncio.Protocol, host, port)
        except Exception as e:
            print("create_server", repr((host, port)), type(e).__name__, e)
    for port in [70000, -1]:
        for kw in ("local_addr", "remote_addr"):
            try:
                await loop.create_datagram_endpoint(asyncio.DatagramProtocol, **{kw: ("127.0.0.1", port)})
            except Exception as e:
                print("create_datagram_endpoint", kw, port, type(e).__name__, e)


asyncio.run(main())
