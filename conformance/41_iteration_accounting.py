"""Iteration cost of awaits (catalogue 0.6), measured with a self-rescheduling call_soon
ticker: plain coroutine, done future, finished task = 0; sleep(0) = 1; future resolved by a
call_soon'd set_result = 2; awaiting a new task that finishes in its first step = 2. Each
measurement runs twice ([gen] and [async]); the TypeScript twin runs generator coroutines
for the first and async functions for the second: the counts must be the same."""
import asyncio

ticks = 0
handle = None


def tick(loop):
    global ticks, handle
    ticks += 1
    handle = loop.call_soon(tick, loop)


async def plain():
    return "plain"


async def nested_sleeps(n):
    for _ in range(n):
        await asyncio.sleep(0)
    return n


async def quick():
    return "quick"


async def measure(tag):
    loop = asyncio.get_running_loop()
    out = []

    async def cost(label, make):
        await asyncio.sleep(0)  # start each measurement at the start of a step
        t0 = ticks
        r = await make()
        out.append(f"{label}={ticks - t0}")
        return r

    await cost("plain coroutine", plain)

    done = loop.create_future()
    done.set_result(1)
    await cost("done future", lambda: done)

    finished = asyncio.create_task(quick())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    await cost("finished task", lambda: finished)

    await cost("sleep(0)", lambda: asyncio.sleep(0))
    await cost("3 sleeps in a coroutine", lambda: nested_sleeps(3))

    def call_soon_future():
        f = loop.create_future()
        loop.call_soon(f.set_result, None)
        return f
    await cost("future set by call_soon", call_soon_future)

    def set_now_future():
        f = loop.create_future()
        f.set_result(None)
        return f
    await cost("future already set", set_now_future)

    await cost("new task finishing in first step", lambda: asyncio.create_task(quick()))
    await cost("new task with one sleep(0)", lambda: asyncio.create_task(nested_sleeps(1)))
    await cost("sleep(0.0) with result", lambda: asyncio.sleep(0, "r"))
    print(f"[{tag}]", ", ".join(out))


async def main():
    loop = asyncio.get_running_loop()
    tick(loop)
    for tag in ("gen", "async"):
        await measure(tag)
    handle.cancel()

asyncio.run(main())
