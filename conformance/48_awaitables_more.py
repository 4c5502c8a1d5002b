# oracle: 3.13 — ensure_future wraps an awaitable in a coroutine that checks what __await__ returns
"""More of catalogue 17: ensure_future() on awaitables (including a broken one), on a loop
that is not running, loop mismatches for tasks; future-likes whose __await__ waits on a
Future, yields bare, or raises; iscoroutine / iscoroutinefunction / isfuture on various
objects. Mirrors test_tasks test_ensure_future_*, test_iscoroutinefunction."""
import asyncio
import functools


def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"


class NonIter:
    def __await__(self):
        return 123


class WaitsOn:
    def __init__(self, fut):
        self.fut = fut

    def __await__(self):
        v = yield from self.fut.__await__()
        return f"waited:{v}"


class BareYield:
    def __await__(self):
        yield
        return "after one bare yield"


class Raises:
    def __await__(self):
        raise ValueError("from __await__")
        yield


async def coro():
    return "coro-result"


async def main():
    loop = asyncio.get_running_loop()

    t = asyncio.ensure_future(NonIter())
    try:
        await t
    except TypeError as e:
        print("ensure_future(awaitable with a bad __await__) -> task fails:", exc_str(e))

    fut = loop.create_future()
    w = asyncio.ensure_future(WaitsOn(fut))
    await asyncio.sleep(0)
    print("future-like waiting on a future: task done?", w.done())
    fut.set_result(7)
    print("then:", await w)

    ticks = []
    loop.call_soon(ticks.append, 1)
    r = await BareYield()
    print("future-like with a bare yield:", r, "| callbacks that ran meanwhile:", ticks)

    try:
        await Raises()
    except ValueError as e:
        print("future-like raising:", exc_str(e))
    t = asyncio.ensure_future(Raises())
    try:
        await t
    except ValueError as e:
        print("ensure_future(raising future-like) -> task fails:", exc_str(e))

    other = asyncio.new_event_loop()
    task = asyncio.create_task(coro())
    try:
        asyncio.ensure_future(task, loop=other)
    except ValueError as e:
        print("ensure_future(task, loop=other):", exc_str(e))
    await task
    other.close()

    def plain():
        pass
    async def afn():
        pass
    c = coro()
    print("iscoroutine:", asyncio.iscoroutine(c), asyncio.iscoroutine(loop.create_future()),
          asyncio.iscoroutine(None), asyncio.iscoroutine(123), asyncio.iscoroutine(WaitsOn(fut)))
    print("iscoroutinefunction:", asyncio.iscoroutinefunction(afn),
          asyncio.iscoroutinefunction(plain), asyncio.iscoroutinefunction(lambda: None),
          asyncio.iscoroutinefunction(functools.partial(afn)), asyncio.iscoroutinefunction(c))
    print("isfuture:", asyncio.isfuture(task), asyncio.isfuture(fut), asyncio.isfuture(c),
          asyncio.isfuture(WaitsOn(fut)))
    await c

asyncio.run(main())

# ensure_future on a loop that is not running: a Task of that loop, run later
loop = asyncio.new_event_loop()
t = asyncio.ensure_future(coro(), loop=loop)
print("ensure_future(coro, loop=loop):", type(t).__name__, "| its loop:", t.get_loop() is loop,
      "| done before running:", t.done())
w = asyncio.ensure_future(BareYield(), loop=loop)
print("run_until_complete ->", loop.run_until_complete(t), "|", loop.run_until_complete(w))
loop.close()
