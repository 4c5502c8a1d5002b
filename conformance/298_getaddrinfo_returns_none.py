# oracle: 3.13
"""A getaddrinfo override that returns None (CPython's test_create_server_no_getaddrinfo): every
connecting or listening call raises OSError("... returned empty list"), as for an empty list."""
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    def gai_none(*args, **kwargs):
        f = loop.create_future()
        f.set_result(None)
        return f

    loop.getaddrinfo = gai_none
    calls = (
        ("create_server", lambda: loop.create_server(asyncio.Protocol, "python.org", 0)),
        ("create_connection", lambda: loop.create_connection(asyncio.Protocol, "python.org", 80)),
        ("open_connection", lambda: asyncio.open_connection("python.org", 80)),
        ("create_datagram_endpoint", lambda: loop.create_datagram_endpoint(
            asyncio.DatagramProtocol, remote_addr=("python.org", 80))),
    )
    for label, call in calls:
        try:
            await call()
        except Exception as e:
            print(label, type(e).__name__, e)


asyncio.run(main())
