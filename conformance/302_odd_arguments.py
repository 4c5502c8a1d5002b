# oracle: 3.13
"""Arguments a port can get wrong: gather(*x) of something not iterable, a task factory that
makes no task, a cancel message whose str() fails (the task still ends cancelled, the message
kept in args), an IncompleteReadError expecting inf bytes, and writelines() over the
high-water mark to a peer that reads (no pause_writing: nothing stays buffered)."""
import asyncio


class BadStr:
    def __str__(self):
        raise ValueError("str boom")


class Flow(asyncio.Protocol):
    def __init__(self):
        self.log = []

    def pause_writing(self):
        self.log.append("pause")

    def resume_writing(self):
        self.log.append("resume")


async def main():
    loop = asyncio.get_running_loop()
    for x in (5, None):
        try:
            asyncio.gather(*x)
        except TypeError as e:
            print("gather:", type(e).__name__, e)
    loop.set_task_factory(lambda loop, coro, **kw: None)
    coro = asyncio.sleep(0)
    try:
        loop.create_task(coro)
    except Exception as e:
        print("factory:", e)
    coro.close()
    loop.set_task_factory(None)
    msg = BadStr()
    t = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    t.cancel(msg)
    try:
        await t
    except asyncio.CancelledError as e:
        print("cancelled:", t.cancelled(), e.args[0] is msg)
    print(asyncio.IncompleteReadError(b"", float("inf")))
    server = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    tr, p = await loop.create_connection(Flow, "127.0.0.1", port)
    tr.writelines([b"x" * 65536, b"x" * 65536])
    await asyncio.sleep(0.05)
    print("writelines:", p.log, tr.get_write_buffer_size())
    tr.close()
    server.close()
    await server.wait_closed()


asyncio.run(main())
