"""Task scheduling (catalogue 0.5, 0.7, 0.8): create_task runs nothing until the creator
suspends; round robin of tasks doing sleep(0); interleaving with the creator and a call_soon
callback; a task's first step comes after callbacks already scheduled. Each scenario runs
twice ([gen] and [async]): the TypeScript twin runs it once with generator coroutines and
once with async functions, which must give the same order."""
import asyncio


async def lazy_start(tag):
    log = []
    async def body():
        log.append("body")
        return 1
    t = asyncio.create_task(body())
    log.append(f"created done={t.done()}")
    log.append("creator still running")
    await asyncio.sleep(0)
    log.append(f"after sleep(0) done={t.done()}")
    r = await t
    log.append(f"result={r}")
    print(f"[{tag}] 0.5 lazy start:", " ".join(log))


async def round_robin(tag):
    log = []
    async def w(name, n):
        for i in range(n):
            log.append(f"{name}{i}")
            await asyncio.sleep(0)
        return name
    ts = [asyncio.create_task(w(n, 3)) for n in "ABC"]
    rs = [await t for t in ts]
    print(f"[{tag}] 0.7 round robin:", " ".join(log), "| results", rs)


async def interleave(tag):
    log = []
    loop = asyncio.get_running_loop()
    async def w(name, n):
        for i in range(n):
            log.append(f"{name}{i}")
            await asyncio.sleep(0)
    a = asyncio.create_task(w("a", 3))
    b = asyncio.create_task(w("b", 3))
    loop.call_soon(log.append, "cs")
    log.append("main-after-create")
    await asyncio.sleep(0)
    log.append("main-1")
    await asyncio.sleep(0)
    log.append("main-2")
    await a
    await b
    print(f"[{tag}] 0.8 interleave:", " ".join(log))


async def first_step_order(tag):
    # callbacks scheduled before create_task run before the task's first step, those after
    # it run after; a task created by a task starts in the next iteration
    log = []
    loop = asyncio.get_running_loop()
    async def child(name):
        log.append(f"{name}-step1")
        await asyncio.sleep(0)
        log.append(f"{name}-step2")
    async def parent():
        log.append("parent-step1")
        asyncio.create_task(child("grandchild"))
        loop.call_soon(log.append, "cb-from-parent")
        await asyncio.sleep(0)
        log.append("parent-step2")
    loop.call_soon(log.append, "cb-before")
    t1 = asyncio.create_task(child("c1"))
    t2 = asyncio.create_task(parent())
    loop.call_soon(log.append, "cb-after")
    await asyncio.sleep(0)
    log.append("main-1")
    await asyncio.sleep(0)
    log.append("main-2")
    await asyncio.sleep(0)
    log.append("main-3")
    await t1
    await t2
    print(f"[{tag}] first steps:", " ".join(log))


async def future_wakeup_order(tag):
    # tasks waiting on one future wake in the order they started waiting
    log = []
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    async def w(name):
        v = await fut
        log.append(f"{name}:{v}")
    ts = [asyncio.create_task(w(n)) for n in ("w1", "w2", "w3")]
    await asyncio.sleep(0)
    loop.call_soon(log.append, "cb")
    fut.set_result("x")
    loop.call_soon(log.append, "cb2")
    log.append("set")
    for t in ts:
        await t
    print(f"[{tag}] future wake-up order:", " ".join(log))


async def main():
    for tag in ("gen", "async"):
        await lazy_start(tag)
        await round_robin(tag)
        await interleave(tag)
        await first_step_order(tag)
        await future_wakeup_order(tag)

asyncio.run(main())
