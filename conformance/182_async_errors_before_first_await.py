# oracle: 3.13 — eager_task_factory is 3.12+
"""coroutines raising before their first await: awaited tasks, gather (with and
without return_exceptions), TaskGroup and timeout bodies, wait_for, a task cancelled before it
starts, eager tasks (the body runs inside create_task), shield, as_completed."""
import asyncio

async def boom(msg):
    raise ValueError(msg)

async def ok(v):
    print("ok runs", v)
    return v

async def main():
    loop = asyncio.get_running_loop()
    # 1. error before the first await, awaited directly
    t = asyncio.create_task(boom("a"))
    print("created", t.done())
    try:
        await t
    except ValueError as e:
        print("caught", repr(e), t.done())
    # 2. in gather with return_exceptions
    r = await asyncio.gather(boom("b"), ok(1), return_exceptions=True)
    print("gather", r)
    # 3. gather without return_exceptions: first error propagates, sibling still runs
    try:
        await asyncio.gather(ok(2), boom("c"), ok(3))
    except ValueError as e:
        print("gather raised", repr(e))
    await asyncio.sleep(0)
    # 4. TaskGroup body raising before its first await
    try:
        async with asyncio.TaskGroup() as tg:
            c = tg.create_task(ok(4))
            raise ValueError("body")
    except* ValueError as eg:
        print("tg", [repr(e) for e in eg.exceptions], c.cancelled())
    # 5. timeout body raising before its first await
    try:
        async with asyncio.timeout(1):
            raise ValueError("tmo")
    except ValueError as e:
        print("timeout body", repr(e))
    # 6. wait_for of a coroutine failing at once
    try:
        await asyncio.wait_for(boom("wf"), 1)
    except ValueError as e:
        print("wait_for", repr(e))
    # 7. cancelled before its first step: body never runs
    t = asyncio.create_task(ok(5))
    t.cancel("early")
    try:
        await t
    except asyncio.CancelledError as e:
        print("cancelled before start", e.args)
    # 8. eager tasks
    loop.set_task_factory(asyncio.eager_task_factory)
    t = asyncio.create_task(boom("eager"))
    print("after create_task")
    try:
        await t
    except ValueError as e:
        print("eager caught", repr(e))
    t = asyncio.create_task(ok(6))
    print("after create_task")
    print("eager result", await t)
    loop.set_task_factory(None)
    # 9. shield of a failing coroutine
    try:
        await asyncio.shield(boom("sh"))
    except ValueError as e:
        print("shield", repr(e))
    # 10. as_completed
    ts = [asyncio.create_task(boom("ac")), asyncio.create_task(ok(7))]
    for f in asyncio.as_completed(ts):
        try:
            print("as_completed", await f)
        except ValueError as e:
            print("as_completed err", repr(e))

asyncio.run(main())
