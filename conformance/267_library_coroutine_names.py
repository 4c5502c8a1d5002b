# oracle: 3.13
"""The qualified names of asyncio's own coroutines, as a task's repr shows them (coro=<...>):
sleep, Queue.get, Lock.acquire, Event.wait, StreamReader.read/readline, StreamWriter.drain,
wait_for, wait, open_connection, BaseEventLoop.create_connection, Server.wait_closed; and the
done callback of a connecting future."""
import asyncio
import re


def norm(s):
    s = re.sub(r" at 0x[0-9a-f]+", "", s)
    s = re.sub(r",? (defined )?at /[^ >]+:\d+", "", s)
    return s


async def main():
    loop = asyncio.get_running_loop()
    q = asyncio.Queue()
    lock = asyncio.Lock()
    await lock.acquire()
    ev = asyncio.Event()
    srv = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    makers = [
        lambda: asyncio.sleep(1),
        lambda: q.get(),
        lambda: lock.acquire(),
        lambda: ev.wait(),
        lambda: r.read(1),
        lambda: r.readline(),
        lambda: w.drain(),
        lambda: asyncio.wait_for(ev.wait(), 10),
        lambda: asyncio.wait([asyncio.ensure_future(ev.wait())]),
        lambda: asyncio.open_connection("127.0.0.1", port),
        lambda: loop.create_connection(asyncio.Protocol, "127.0.0.1", port),
        lambda: srv.wait_closed(),
    ]
    tasks = [asyncio.create_task(mk(), name=f"t{i}") for i, mk in enumerate(makers)]
    print("before the first step:")
    for t in tasks:
        print("  ", norm(repr(t)))
    await asyncio.sleep(0)
    print("after it:")
    for t in tasks:
        print("  ", norm(repr(t)))
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    w.close()
    srv.close()


asyncio.run(main())
