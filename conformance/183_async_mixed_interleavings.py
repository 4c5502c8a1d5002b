"""step order of tasks awaiting helpers, nested coroutines, an Event, a Future,
a Lock, a Condition and a Semaphore; the twin runs one task as a generator among async functions."""
import asyncio

trace = []
def log(*a):
    print(*a)

async def helper(name, n):
    for i in range(n):
        await asyncio.sleep(0)
        log(name, "helper step", i)
    return n

async def deep(name, depth):
    if depth == 0:
        await asyncio.sleep(0)
        log(name, "deep bottom")
        return 0
    r = await deep(name, depth - 1)
    log(name, "deep up", depth)
    return r + 1

async def worker_a(ev, fut):
    log("A start")
    await helper("A", 2)
    log("A after helper")
    await ev.wait()
    log("A event seen")
    v = await fut
    log("A fut", v)
    await deep("A", 3)
    log("A end")
    return "A"

async def worker_b(ev, fut):
    log("B start")
    await asyncio.sleep(0)
    log("B set event")
    ev.set()
    await asyncio.sleep(0)
    log("B set fut")
    fut.set_result(42)
    r = await deep("B", 2)
    log("B deep", r)
    await helper("B", 1)
    log("B end")
    return "B"

async def worker_c(lock, name):
    async with lock:
        log(name, "locked")
        await asyncio.sleep(0)
        await helper(name, 1)
        log(name, "unlocking")
    log(name, "after lock")

async def main():
    loop = asyncio.get_running_loop()
    ev = asyncio.Event()
    fut = loop.create_future()
    lock = asyncio.Lock()
    ta = asyncio.create_task(worker_a(ev, fut))
    tb = asyncio.create_task(worker_b(ev, fut))
    tcs = [asyncio.create_task(worker_c(lock, f"C{i}")) for i in range(3)]
    loop.call_soon(log, "callback 1")
    for i in range(12):
        await asyncio.sleep(0)
        log("main tick", i)
    print(await asyncio.gather(ta, tb, *tcs))
    # cond / semaphore
    cond = asyncio.Condition()
    sem = asyncio.Semaphore(2)
    items = []
    async def cons(n):
        async with cond:
            await cond.wait_for(lambda: len(items) > 0)
            log("cons", n, "takes", items.pop(0))
    async def prod():
        for i in range(3):
            async with cond:
                items.append(i)
                cond.notify()
            await asyncio.sleep(0)
    async def limited(n):
        async with sem:
            log("sem in", n)
            await asyncio.sleep(0)
            log("sem out", n)
    await asyncio.gather(*(cons(i) for i in range(3)), prod(), *(limited(i) for i in range(4)))
    log("done")

asyncio.run(main())
