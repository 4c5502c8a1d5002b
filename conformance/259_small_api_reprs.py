# oracle: 3.13
"""Small API points: recursive future/task and ContextVar reprs, a library coroutine's name in a
task repr, SystemExit.code, the base BufferedProtocol.get_buffer, abstract Unix names as bytes,
a TCP socket refused by create_unix_server."""
import asyncio
import contextvars
import re
import socket


def strip(r):
    return re.sub(r" at (0x[0-9a-f]+|/[^>]*)", "", r)


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.set_result([fut])
    print(repr(fut))
    lst = []
    var = contextvars.ContextVar("a", default=lst)
    lst.append(var)
    print(strip(repr(var)))
    t = asyncio.ensure_future(asyncio.sleep(10))
    await asyncio.sleep(0)
    print(strip(re.sub(r" wait_for=.*", ">", repr(t))))
    t.cancel()
    for args in ((), (3,), ("bye",), (1, "x")):
        print("SystemExit", args, "code", repr(SystemExit(*args).code))
    print("get_buffer", asyncio.BufferedProtocol().get_buffer(100))

    name = "\0asyncio-ts-259"
    server = await asyncio.start_unix_server(lambda r, w: w.close(), name)
    print("sockname", server.sockets[0].getsockname())
    reader, writer = await asyncio.open_unix_connection(name)
    print("peername", writer.get_extra_info("peername"))
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen()
    try:
        await loop.create_unix_server(asyncio.Protocol, None, sock=tcp)
    except ValueError as e:
        print("ValueError", str(e).split(", got")[0])
    tcp.close()


asyncio.run(main())
