# oracle: 3.13
"""Tasks asyncio makes for servers take Task-N names as user tasks do: create_server gathers one
task per host, each accepted connection is a task (_accept_connection2), so the handler tasks
and later tasks are numbered after them."""
import asyncio


async def main():
    names = []

    async def handler(reader, writer):
        names.append(asyncio.current_task().get_name())
        writer.close()

    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    for _ in range(2):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        await reader.read()
        writer.close()
    task = asyncio.create_task(asyncio.sleep(0))
    print("handlers:", names, "then:", task.get_name())
    await task
    server.close()
    await server.wait_closed()


asyncio.run(main())
