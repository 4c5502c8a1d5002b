# oracle: 3.13 — gather() of done futures completes at once (3.12), wait_for() runs the coroutine in the caller (3.12), as_completed() is async-iterable (3.13)
"""How many loop iterations the concurrency helpers cost, measured with a self-rescheduling
call_soon ticker (as in 34_iteration_accounting): gather, wait, wait_for, timeout, TaskGroup,
as_completed, shield. Each scenario is printed twice, as "gen" and "async": the TypeScript twin
runs it once with generator coroutines and once with async functions, which must agree."""
import asyncio

async def main():
    loop = asyncio.get_running_loop()

    async def measure(label, make):
        ticks = 0
        stop = False
        def tick():
            nonlocal ticks
            if not stop:
                ticks += 1
                loop.call_soon(tick)
        loop.call_soon(tick)
        result = await make()
        stop = True
        await asyncio.sleep(0)
        print(f"{label}: {ticks} iteration(s) -> {result!r}")

    def done_future(v):
        f = loop.create_future()
        f.set_result(v)
        return f

    async def immediate(v):
        return v

    async def sleep0(v):
        await asyncio.sleep(0)
        return v

    async def gather_done():
        return await asyncio.gather(done_future(1), done_future(2))

    async def gather_immediate():
        return await asyncio.gather(immediate(1))

    async def gather_sleep0():
        return await asyncio.gather(sleep0(1), sleep0(2))

    async def wait_done_task():
        t = asyncio.create_task(immediate(1))
        await asyncio.sleep(0)
        done, pending = await asyncio.wait([t])
        return len(done), len(pending)

    async def wait_first_completed():
        a = asyncio.create_task(sleep0("a"))
        b = asyncio.create_task(asyncio.sleep(1, "b"))
        done, pending = await asyncio.wait([a, b], return_when=asyncio.FIRST_COMPLETED)
        b.cancel()
        return len(done), len(pending)

    async def wait_for_immediate():
        return await asyncio.wait_for(immediate("x"), 1)

    async def wait_for_sleep0():
        return await asyncio.wait_for(sleep0("y"), 1)

    async def wait_for_done_zero():
        return await asyncio.wait_for(done_future("z"), 0)

    async def wait_for_zero_coro():
        try:
            return await asyncio.wait_for(immediate("never"), 0)
        except TimeoutError:
            return "TimeoutError"

    async def timeout_no_await():
        async with asyncio.timeout(1):
            return "no await"

    async def timeout_sleep0():
        async with asyncio.timeout(1):
            await asyncio.sleep(0)
            return "sleep0"

    async def timeout_zero_sleep0():
        try:
            async with asyncio.timeout(0):
                await asyncio.sleep(0)
        except TimeoutError:
            return "TimeoutError"

    async def taskgroup_empty():
        async with asyncio.TaskGroup():
            return "empty"

    async def taskgroup_immediate_child():
        async with asyncio.TaskGroup() as tg:
            t = tg.create_task(immediate(5))
        return t.result()

    async def taskgroup_sleep0_both():
        async with asyncio.TaskGroup() as tg:
            t = tg.create_task(sleep0(6))
            await asyncio.sleep(0)
        return t.result()

    async def taskgroup_failing_child():
        async def fail():
            raise ValueError("v")
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(fail())
                await asyncio.sleep(1)
        except ExceptionGroup as eg:
            return repr(eg.exceptions)

    async def as_completed_plain():
        out = []
        for f in asyncio.as_completed([done_future(1), done_future(2)]):
            out.append(await f)
        return sorted(out)

    async def as_completed_async():
        out = []
        async for f in asyncio.as_completed([done_future(1), done_future(2)]):
            out.append(f.result())
        return sorted(out)

    async def shield_call_soon():
        f = loop.create_future()
        loop.call_soon(f.set_result, "shielded")
        return await asyncio.shield(f)

    for name, make in [
        ("gather of 2 done futures", gather_done),
        ("gather of an immediate coroutine", gather_immediate),
        ("gather of 2 sleep(0) coroutines", gather_sleep0),
        ("wait on a finished task", wait_done_task),
        ("wait FIRST_COMPLETED", wait_first_completed),
        ("wait_for(immediate coroutine, 1)", wait_for_immediate),
        ("wait_for(sleep(0) coroutine, 1)", wait_for_sleep0),
        ("wait_for(done future, 0)", wait_for_done_zero),
        ("wait_for(coroutine, 0)", wait_for_zero_coro),
        ("timeout(1) without await", timeout_no_await),
        ("timeout(1) with sleep(0)", timeout_sleep0),
        ("timeout(0) with sleep(0)", timeout_zero_sleep0),
        ("TaskGroup without children", taskgroup_empty),
        ("TaskGroup with an immediate child", taskgroup_immediate_child),
        ("TaskGroup, body and child sleep(0)", taskgroup_sleep0_both),
        ("TaskGroup with a failing child", taskgroup_failing_child),
        ("as_completed, plain, 2 done futures", as_completed_plain),
        ("as_completed, async for, 2 done futures", as_completed_async),
        ("shield of a call_soon future", shield_call_soon),
    ]:
        for syntax in ("gen", "async"):
            await measure(f"{name} [{syntax}]", make)

    # interleaving: two tasks, each running a TaskGroup whose children sleep(0) twice
    trace = []
    async def child(tag):
        for i in range(2):
            trace.append(f"{tag}{i}")
            await asyncio.sleep(0)
    async def group(tag):
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child(tag + "1"))
            tg.create_task(child(tag + "2"))
            trace.append(f"{tag}-body")
        trace.append(f"{tag}-after")
    for syntax in ("gen", "async"):
        trace.clear()
        await asyncio.gather(group("A"), group("B"))
        print(f"interleaving [{syntax}]:", " ".join(trace))

    # interleaving of timeout bodies with a ticker
    for syntax in ("gen", "async"):
        trace.clear()
        async def timed(tag):
            async with asyncio.timeout(1):
                for i in range(3):
                    trace.append(f"{tag}{i}")
                    await asyncio.sleep(0)
            trace.append(f"{tag}-exit")
        async def ticker():
            for i in range(4):
                trace.append(f"t{i}")
                await asyncio.sleep(0)
        await asyncio.gather(timed("x"), ticker(), timed("y"))
        print(f"timeout bodies [{syntax}]:", " ".join(trace))

asyncio.run(main())
