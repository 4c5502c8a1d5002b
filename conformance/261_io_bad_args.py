# oracle: 3.13
"""Bad arguments to the I/O and executor APIs: a None callback (reported, the loop goes on),
send_signal(None / 15.5 / 'TERM'), a socket of the wrong kind for create_connection and
create_datagram_endpoint, a local_addr port out of range, StreamReader.read/readexactly sizes
that are not ints, set_exception with a non-exception, Executor.map with a str timeout."""
import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor


def show(label, e):
    print(label, "->", type(e).__name__, e)


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(
        lambda l, c: print("handler:", c["message"], type(c["exception"]).__name__)
    )
    h = loop.call_soon(None)
    print("repr", h)
    await asyncio.sleep(0)
    print("the loop goes on")

    p = await asyncio.create_subprocess_exec("sleep", "5")
    for s in [None, 15.5, "TERM"]:
        try:
            p.send_signal(s)
            print("sent", s)
        except TypeError as e:
            show(f"send_signal({s!r})", e)
    p.kill()
    print("returncode", await p.wait())

    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        await loop.create_connection(asyncio.Protocol, sock=udp)
    except ValueError as e:
        print("create_connection(sock=UDP) -> ValueError", str(e).split(",")[0])
    udp.close()
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        await loop.create_datagram_endpoint(asyncio.DatagramProtocol, sock=tcp)
    except ValueError as e:
        print("create_datagram_endpoint(sock=TCP) -> ValueError", str(e).split(",")[0])
    tcp.close()

    server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        await asyncio.open_connection("127.0.0.1", port, local_addr=("127.0.0.1", 70000))
    except OverflowError as e:
        show("local_addr port 70000", e)
    server.close()
    await server.wait_closed()

    for label, call in [
        ("read(None)", lambda r: r.read(None)),
        ("read('5')", lambda r: r.read("5")),
        ("readexactly(None)", lambda r: r.readexactly(None)),
        ("read(1.5)", lambda r: r.read(1.5)),
        ("read(inf)", lambda r: r.read(float("inf"))),
        ("readexactly(1.5)", lambda r: r.readexactly(1.5)),
        ("read(True)", lambda r: r.read(True)),
    ]:
        r = asyncio.StreamReader()
        r.feed_data(b"abcdef")
        try:
            print(label, "->", await call(r))
        except TypeError as e:
            show(label, e)

    r = asyncio.StreamReader()
    r.set_exception("boom")
    try:
        await r.read(1)
    except TypeError as e:
        show("read after set_exception('boom')", e)
    r = asyncio.StreamReader()
    waiting = asyncio.ensure_future(r.read(1))
    await asyncio.sleep(0)
    try:
        r.set_exception("boom")
    except TypeError as e:
        show("set_exception('boom') with a reader waiting", e)
    print("  the reader still waits", not waiting.done())
    waiting.cancel()

    with ThreadPoolExecutor(1) as ex:
        try:
            ex.map(abs, [1], timeout="x")
        except TypeError as e:
            show("map(timeout='x')", e)


asyncio.run(main())
