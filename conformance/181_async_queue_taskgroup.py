"""producer/consumer with a bounded queue (gathered producers, cancelled
consumers with a message, try/finally cleanup), then TaskGroups: failing children with a sibling
whose finally awaits, and a body failing after its first await."""
import asyncio

async def producer(q, n, name):
    for i in range(n):
        await q.put(f"{name}{i}")
        print("put", name, i)
    print("producer done", name)
    return name

async def consumer(q, name):
    try:
        while True:
            item = await q.get()
            print("consumer", name, "got", item)
            await asyncio.sleep(0.01)
            q.task_done()
    except asyncio.CancelledError as e:
        print("consumer", name, "cancelled", e.args)
        raise
    finally:
        print("consumer", name, "finally")

async def failing(delay, msg):
    await asyncio.sleep(delay)
    raise ValueError(msg)

async def cleanup():
    try:
        await asyncio.sleep(1)
    finally:
        print("cleanup finally")
        await asyncio.sleep(0)
        print("cleanup after sleep in finally")

async def main():
    q = asyncio.Queue(maxsize=2)
    cons = [asyncio.create_task(consumer(q, f"c{i}")) for i in range(2)]
    r = await asyncio.gather(producer(q, 3, "a"), producer(q, 2, "b"))
    print("gathered", r)
    await q.join()
    print("joined")
    cons[0].cancel("stop")
    cons[1].cancel()
    res = await asyncio.gather(*cons, return_exceptions=True)
    print("results", [type(r).__name__ for r in res])
    try:
        async with asyncio.TaskGroup() as tg:
            t1 = tg.create_task(failing(0.01, "one"))
            t2 = tg.create_task(failing(0.02, "two"))
            t3 = tg.create_task(asyncio.sleep(1))
            t4 = tg.create_task(cleanup())
            print("body end")
    except* ValueError as eg:
        print("eg", [str(e) for e in eg.exceptions])
    print(t1.done(), t2.cancelled(), t3.cancelled(), t4.cancelled())
    # body failing
    try:
        async with asyncio.TaskGroup() as tg:
            t5 = tg.create_task(cleanup())
            await asyncio.sleep(0)
            raise KeyError("body")
    except* KeyError as eg:
        print("eg2", [repr(e) for e in eg.exceptions], t5.cancelled())

asyncio.run(main())
