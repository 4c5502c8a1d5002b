# oracle: 3.13 — eager_task_factory is 3.12+
"""What an await costs in loop iterations (catalogue §0.1, §0.5-0.8), counted by a callback that
reschedules itself with call_soon (one run per iteration): a plain coroutine, a done future, a
finished task and an uncontended lock cost none; sleep(0) one; a future resolved by a callback,
a new task, Event.wait() and Queue.get() released by a callback two; an eager task that finishes
at once none. Then the lazy task start and how tasks interleave with their creator."""
import asyncio

ticks = 0
ticking = True


def ticker(loop):
    global ticks
    ticks += 1
    if ticking:
        loop.call_soon(ticker, loop)


async def plain():
    return 1


async def finishes_at_once():
    return 2


async def costs():
    global ticking
    loop = asyncio.get_running_loop()
    loop.call_soon(ticker, loop)
    await asyncio.sleep(0)  # the ticker is running
    out = []

    async def measure(label, make):
        start = ticks
        await make()
        out.append((label, ticks - start))

    await measure("plain coroutine", plain)

    done = loop.create_future()
    done.set_result(None)
    await measure("done future", lambda: done)

    finished = asyncio.create_task(plain())
    await finished
    await measure("finished task", lambda: finished)

    lock = asyncio.Lock()
    async def with_lock():
        async with lock:
            pass
    await measure("uncontended lock", with_lock)

    await measure("sleep(0)", lambda: asyncio.sleep(0))

    async def three_sleeps():
        for _ in range(3):
            await asyncio.sleep(0)
    await measure("3 x sleep(0)", three_sleeps)

    def resolved_by_callback():
        fut = loop.create_future()
        loop.call_soon(fut.set_result, None)
        return fut
    await measure("future set by call_soon", resolved_by_callback)

    await measure("new task", lambda: asyncio.create_task(finishes_at_once()))

    event = asyncio.Event()
    def event_wait():
        event.clear()
        loop.call_soon(event.set)
        return event.wait()
    await measure("Event.wait() set by call_soon", event_wait)

    queue = asyncio.Queue()
    def queue_get():
        loop.call_soon(queue.put_nowait, "item")
        return queue.get()
    await measure("Queue.get() fed by call_soon", queue_get)

    loop.set_task_factory(asyncio.eager_task_factory)
    await measure("eager task finishing at once", lambda: asyncio.create_task(finishes_at_once()))
    loop.set_task_factory(None)

    ticking = False
    await asyncio.sleep(0)
    return out


for label, n in asyncio.run(costs()):
    print(f"{label}: {n}")

# lazy start and interleaving with the creator
log = []
async def worker(tag, n):
    for i in range(n):
        log.append(f"{tag}{i}")
        await asyncio.sleep(0)

async def interleave():
    loop = asyncio.get_running_loop()
    a = asyncio.create_task(worker("a", 3))
    b = asyncio.create_task(worker("b", 3))
    loop.call_soon(log.append, "cs")
    log.append("main-after-create")
    await asyncio.sleep(0)
    log.append("main-1")
    await asyncio.sleep(0)
    log.append("main-2")
    await asyncio.gather(a, b)
    log.append("main-end")

asyncio.run(interleave())
print("interleaving:", " ".join(log))

# one iteration runs exactly the callbacks that were ready when it began
log.clear()
async def chains():
    loop = asyncio.get_running_loop()
    def chain(tag, n):
        log.append(f"{tag}{n}")
        if n < 2:
            loop.call_soon(chain, tag, n + 1)
    loop.call_soon(chain, "x", 0)
    loop.call_soon(chain, "y", 0)
    for i in range(3):
        log.append(f"main{i}")
        await asyncio.sleep(0)
asyncio.run(chains())
print("iterations:", " ".join(log))
