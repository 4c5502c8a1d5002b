# oracle: 3.13 — async iteration of as_completed and Queue.shutdown are 3.13's
"""a TaskGroup inside a timeout with an inner timeout (child failure first,
inner timeout first, nothing failing), a group cancelled from outside, async iteration of
as_completed, wait(FIRST_COMPLETED), queue shutdown ending workers."""
import asyncio

cancelled = []

async def child(name, d, fail=False):
    try:
        await asyncio.sleep(d)
        if fail:
            raise ValueError(name)
        print("child", name, "done")
        return name
    except asyncio.CancelledError:
        cancelled.append(name)
        raise

async def group_in_timeout(fail_at):
    try:
        async with asyncio.timeout(0.5):
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child("a", 0.1))
                tg.create_task(child("b", fail_at, fail=True))
                tg.create_task(child("c", 1))
                async with asyncio.timeout(0.2):
                    await asyncio.sleep(1)
                print("body after inner timeout?")
    except BaseException as e:
        print("caught", type(e).__name__, [repr(x) for x in getattr(e, "exceptions", [])], asyncio.current_task().cancelling())
    print("cancelled children", sorted(cancelled))
    cancelled.clear()

async def cancelled_from_outside():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("x", 1))
            async with asyncio.timeout(5):
                await asyncio.sleep(1)
    finally:
        print("outside-cancelled finally", asyncio.current_task().cancelling())

async def main():
    await group_in_timeout(0.15)
    await group_in_timeout(0.3)
    await group_in_timeout(5)
    t = asyncio.create_task(cancelled_from_outside())
    await asyncio.sleep(0.05)
    t.cancel("outside")
    try:
        await t
    except asyncio.CancelledError as e:
        print("t cancelled", e.args, cancelled)
    cancelled.clear()
    # async iteration of as_completed (3.13)
    tasks = [asyncio.create_task(child(n, d)) for n, d in [("p", 0.03), ("q", 0.01), ("r", 0.02)]]
    async for t in asyncio.as_completed(tasks):
        print("as_completed task", t is tasks[0] or t is tasks[1] or t is tasks[2], await t)
    # wait FIRST_COMPLETED
    ts = [asyncio.create_task(child(n, d)) for n, d in [("w1", 0.02), ("w2", 0.01)]]
    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_COMPLETED)
    print("wait", [t.result() for t in done], len(pending))
    for p in pending:
        p.cancel()
    await asyncio.wait(pending)
    print("cancelled children", sorted(cancelled))
    # queue shutdown + consumers
    q = asyncio.Queue()
    async def worker(n):
        try:
            while True:
                item = await q.get()
                print("worker", n, "item", item)
                q.task_done()
        except asyncio.QueueShutDown:
            print("worker", n, "shutdown")
    ws = [asyncio.create_task(worker(i)) for i in range(2)]
    for i in range(3):
        q.put_nowait(i)
    await q.join()
    q.shutdown()
    await asyncio.gather(*ws)
    print("end")

asyncio.run(main())
