# oracle: 3.13
"""A server made with start_serving=False accepts its connections in a copy of the context
current at start_serving() (CPython's add_reader then), and a stream server's handler task in
the one at serve_forever(); a subprocess transport takes a Task-N name (CPython runs its
_connect_pipes as a task), so later default names are CPython's."""
import asyncio
import contextvars

var = contextvars.ContextVar("var", default="unset")


async def main():
    loop = asyncio.get_running_loop()
    made = loop.create_future()

    class S(asyncio.Protocol):
        def connection_made(self, t):
            made.set_result(var.get())
            t.close()

    var.set("at create_server")
    server = await loop.create_server(S, "127.0.0.1", 0, start_serving=False)
    var.set("at start_serving")
    await server.start_serving()
    var.set("at connect")
    tr, _ = await loop.create_connection(asyncio.Protocol, *server.sockets[0].getsockname())
    print("connection_made sees", repr(await made))
    tr.close()
    server.close()
    await server.wait_closed()

    seen = loop.create_future()

    async def handler(reader, writer):
        seen.set_result(var.get())
        writer.close()

    var.set("at start_server")
    srv = await asyncio.start_server(handler, "127.0.0.1", 0, start_serving=False)

    async def serve():
        var.set("in serve_forever task")
        await srv.serve_forever()

    serving = asyncio.create_task(serve())
    await asyncio.sleep(0)
    r, w = await asyncio.open_connection(*srv.sockets[0].getsockname())
    print("handler sees", repr(await seen))
    w.close()
    serving.cancel()
    try:
        await serving
    except asyncio.CancelledError:
        pass

    print("before:", asyncio.create_task(asyncio.sleep(0)).get_name())
    tr, _ = await loop.subprocess_exec(asyncio.SubprocessProtocol, "true")
    print("after subprocess_exec:", asyncio.create_task(asyncio.sleep(0)).get_name())
    proc = await asyncio.create_subprocess_exec("true")
    print("after create_subprocess_exec:", asyncio.create_task(asyncio.sleep(0)).get_name())
    await proc.wait()
    await asyncio.sleep(0.05)
    tr.close()


asyncio.run(main())
