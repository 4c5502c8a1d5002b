# oracle: 3.13
"""A started call (TS: an async function called without await, or a Promise.all member; Python:
ensure_future, gather) whose body runs under a lock / semaphore / condition / timeout while the
task itself awaits something else."""
import asyncio

async def main():
    lock = asyncio.Lock()
    sem = asyncio.Semaphore(2)
    cond = asyncio.Condition()
    async def work(prim, d, name):
        async with prim:
            if d >= 0:
                await asyncio.sleep(d)
            return f"{name} {d}"
    for prim, name in ((lock, "lock"), (sem, "sem"), (cond, "cond")):
        for d, main_d in ((-1, 0), (0.01, 0.05), (0.05, 0.01), (0, 0)):
            p = asyncio.ensure_future(work(prim, d, name))
            await asyncio.sleep(main_d)
            print("main slept", name, d, main_d)
            print("result", await p, prim.locked())
    async def via_timeout():
        async with asyncio.timeout(1):
            await asyncio.sleep(0.01)
            return "timeout body"
    p = asyncio.ensure_future(via_timeout())
    await asyncio.sleep(0.05)
    print("result", await p)
    async def failing():
        async with lock:
            raise ValueError("body error")
    try:
        print(await asyncio.wait_for(failing(), 1))
    except ValueError as e:
        print("wait_for raised", repr(e), lock.locked())
    async def fine():
        async with lock:
            return "fine"
    print("wait_for", await asyncio.wait_for(fine(), 1))
    async def sleeper_then_raise():
        await asyncio.sleep(0)
        raise KeyError("k")
    try:
        print(await asyncio.wait_for(sleeper_then_raise(), 1))
    except KeyError as e:
        print("wait_for raised", repr(e))
    async def one(v):
        async with lock:
            return v
    print("all", await asyncio.gather(one(1), one(2)))
    print("all", await asyncio.gather(one(3), asyncio.sleep(0, 4)))
    print("end")

asyncio.run(main())
