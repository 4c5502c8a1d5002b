# oracle: 3.13 — eager tasks are 3.12+
"""An eager task cancelled right after create_task returned, and the callbacks its first step
schedules (catalogue 20, 3.13 semantics). The TypeScript twin writes the task bodies as async
functions, whose first step goes on after createTask has returned (a first await is registered
in a microtask): its callbacks still run where CPython queued them, before the creator's later
ones, and a cancel() made right after createTask cancels the future the task waits on then
(first message), passes each request on to a gather it waits on (last message), and lands on a
bare yield's step (last message). cancelling() inside the first step does not count those
requests; an eager task started by that rest of the step belongs to it. Each section prints
one line."""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)

    # 1. waiting on a future (an Event), cancelled twice: the first message, woken next iteration
    ev = asyncio.Event()
    log = []

    async def waits_event():
        try:
            await ev.wait()
        except asyncio.CancelledError as e:
            log.append(f"got {e.args} cancelling={asyncio.current_task().cancelling()}")
            raise

    t = asyncio.create_task(waits_event())
    t.cancel("a")
    t.cancel("b")
    await asyncio.sleep(0)
    log.append(f"after one iteration cancelled={t.cancelled()}")
    print(1, log)

    # 2. a bare yield (sleep(0)): the last message
    log = []

    async def yields():
        try:
            await asyncio.sleep(0)
        except asyncio.CancelledError as e:
            log.append(f"got {e.args}")
            raise

    t = asyncio.create_task(yields())
    t.cancel("a")
    t.cancel("b")
    await asyncio.sleep(0)
    log.append(f"cancelled={t.cancelled()}")
    print(2, log)

    # 3. a gather of two tasks: each request reaches the children, the last message wins
    log = []

    async def child(name):
        try:
            await asyncio.sleep(0)
            await asyncio.sleep(0)
        except asyncio.CancelledError as e:
            log.append(f"{name} got {e.args}")
            raise

    async def gathers(kids):
        try:
            await asyncio.gather(*kids)
        except asyncio.CancelledError as e:
            log.append(f"outer got {e.args} cancelling={asyncio.current_task().cancelling()}")
            raise

    kids = [asyncio.create_task(child("c1")), asyncio.create_task(child("c2"))]
    t = asyncio.create_task(gathers(kids))
    log.append(f"cancel {t.cancel('a')} {t.cancel('b')}")
    await asyncio.wait([t])
    print(3, log, [k.cancelled() for k in kids])

    # 4. what the first step schedules runs before what the creator schedules after create_task
    log = []
    lock = asyncio.Lock()

    async def schedules():
        async with lock:  # does not suspend
            loop.call_soon(log.append, "child's callback")
            fut = loop.create_future()
            loop.call_soon(fut.set_result, None)
            await fut
        log.append("child resumed")

    t = asyncio.create_task(schedules())
    loop.call_soon(log.append, "creator's callback")
    await t
    print(4, log)

    # 5. timeout(0) entered in the first step, the task cancelled right after create_task:
    # the timeout does not count that request (it came later), so it is not a TimeoutError
    log = []

    async def times_out():
        try:
            async with asyncio.timeout(0) as cm:
                await asyncio.sleep(0)
                await asyncio.sleep(0)
        except BaseException as e:
            log.append(f"{type(e).__name__} expired={cm.expired()} "
                       f"cancelling={asyncio.current_task().cancelling()}")
            raise

    t = asyncio.create_task(times_out())
    t.cancel()
    await asyncio.wait([t])
    print(5, log, t.cancelled())

    # 6. uncancel() after the early cancel: CPython had already cancelled the awaited future
    log = []
    ev = asyncio.Event()

    async def waits_again():
        try:
            await ev.wait()
        except asyncio.CancelledError:
            log.append(f"cancelled anyway, cancelling={asyncio.current_task().cancelling()}")
            return "swallowed"

    t = asyncio.create_task(waits_again())
    t.cancel()
    log.append(f"uncancel -> {t.uncancel()}")
    log.append(f"result {await t}")
    print(6, log)

    # 7. an eager task started inside that rest of a first step (a TaskGroup body): what its
    # own first step schedules belongs there too
    log = []

    async def kid():
        loop.call_soon(log.append, "kid's callback")
        fut = loop.create_future()
        fut.add_done_callback(lambda f: log.append("kid's future done callback"))
        fut.set_result(None)
        await asyncio.sleep(0)

    async def with_group():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(kid())
            await asyncio.sleep(0)

    t = asyncio.create_task(with_group())
    loop.call_soon(log.append, "creator's callback")
    await t
    print(7, log)


asyncio.run(main())
