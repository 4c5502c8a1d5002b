# oracle: 3.13
"""A swallowed cancellation keeps its counter; stop() runs what is queued; sync/queue error texts."""
import asyncio

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

async def swallow():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        print("caught", exc_str(e))
    return "swallowed"

async def main():
    t = asyncio.create_task(swallow())
    await asyncio.sleep(0)
    t.cancel("m1")
    t.cancel("m2")
    print("cancelling", t.cancelling())
    r = await t
    print(r, t.cancelled(), t.cancelling(), t.uncancel(), t.cancelling())
    t2 = asyncio.create_task(swallow())
    t2.cancel()
    try:
        await t2
    except asyncio.CancelledError as e:
        print("t2", exc_str(e), t2.cancelled())
    q = asyncio.Queue()
    try:
        q.task_done()
    except ValueError as e:
        print(exc_str(e))
    q.put_nowait(1)
    q.shutdown(True)
    print("qsize", q.qsize())
    await q.join()
    b = asyncio.Barrier(3)
    w = asyncio.create_task(b.wait())
    await asyncio.sleep(0)
    await b.abort()
    try:
        await w
    except asyncio.BrokenBarrierError as e:
        print(exc_str(e), b.broken, b.n_waiting)
    c = asyncio.Condition()
    for label, call in (("wait", c.wait), ("notify", c.notify)):
        try:
            r = call()
            if asyncio.iscoroutine(r):
                await r
        except RuntimeError as e:
            print(label, exc_str(e))
    async with c:
        print("wait_for", await c.wait_for(lambda: 7))

asyncio.run(main())
log = []
loop = asyncio.new_event_loop()
def a():
    log.append("a")
    loop.stop()
    loop.call_soon(lambda: log.append("c"))
loop.call_soon(a)
loop.call_soon(lambda: log.append("b"))
loop.run_forever()
log.append("stopped")
loop.call_soon(loop.stop)
loop.run_forever()
log.append("stopped2")
loop.call_soon(lambda: log.append("dropped"))
loop.close()
print(log, loop.is_closed())
