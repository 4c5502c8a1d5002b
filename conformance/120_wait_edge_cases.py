"""wait() argument checks and bookkeeping (catalogue 4.7, 3.13 source): a falsy argument
(None, 0, '') is 'empty' (ValueError) before it is iterated; iteration counts with done,
pending and timeout=0/-1; FIRST_EXCEPTION reads each completed future's exception() (so it is
marked retrieved and never reported at GC), FIRST_COMPLETED does not."""
import asyncio
import gc

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

async def main():
    loop = asyncio.get_running_loop()
    reports = []
    loop.set_exception_handler(lambda l, ctx: reports.append(ctx["message"]))
    for label, arg in [("None", None), ("0", 0), ("''", ""), ("5", 5), ("fut", loop.create_future())]:
        try:
            await asyncio.wait(arg)
        except Exception as e:
            print(f"wait({label}):", exc_str(e))
    c = asyncio.sleep(0)
    try:
        await asyncio.wait([c])
    except Exception as e:
        print("wait([coro]):", exc_str(e))
    c.close()
    # ticker to count iterations
    ticks = [0]
    def tick():
        ticks[0] += 1
        h[0] = loop.call_soon(tick)
    h = [loop.call_soon(tick)]
    f = loop.create_future(); f.set_result(1)
    t0 = ticks[0]
    done, pending = await asyncio.wait([f])
    print("wait on done future: iterations", ticks[0] - t0, len(done), len(pending))
    t0 = ticks[0]
    done, pending = await asyncio.wait([f], timeout=0)
    print("wait timeout=0 on done: iterations", ticks[0] - t0, len(done), len(pending))
    g = loop.create_future()
    t0 = ticks[0]
    done, pending = await asyncio.wait([g], timeout=0)
    print("wait timeout=0 on pending: iterations", ticks[0] - t0, len(done), len(pending))
    t0 = ticks[0]
    done, pending = await asyncio.wait([g], timeout=-1)
    print("wait timeout=-1 on pending: iterations", ticks[0] - t0, len(done), len(pending))
    h[0].cancel()
    # FIRST_EXCEPTION marks the exception retrieved
    async def fail():
        raise ValueError("boom")
    async def slow():
        await asyncio.sleep(0.01)
    t1 = asyncio.create_task(fail())
    t2 = asyncio.create_task(slow())
    done, pending = await asyncio.wait([t1, t2], return_when=asyncio.FIRST_EXCEPTION)
    print("FIRST_EXCEPTION:", len(done), len(pending))
    await t2
    del t1, done, pending
    gc.collect()
    await asyncio.sleep(0)
    print("reports after FIRST_EXCEPTION:", reports)
    # FIRST_COMPLETED does not
    t1 = asyncio.create_task(fail())
    t2 = asyncio.create_task(slow())
    done, pending = await asyncio.wait([t1, t2], return_when=asyncio.FIRST_COMPLETED)
    await t2
    del t1, done, pending
    gc.collect()
    await asyncio.sleep(0)
    print("reports after FIRST_COMPLETED:", reports)
    reports.clear()
    # ALL_COMPLETED does not
    t1 = asyncio.create_task(fail())
    t2 = asyncio.create_task(slow())
    t3 = asyncio.create_task(fail())
    done, pending = await asyncio.wait([t1, t2, t3], return_when=asyncio.FIRST_EXCEPTION)
    print("FIRST_EXCEPTION with two failing:", len(done), len(pending))
    await t2
    del t1, t3, done, pending
    gc.collect()
    await asyncio.sleep(0)
    print("reports:", reports)

asyncio.run(main())
