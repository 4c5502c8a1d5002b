# oracle: 3.13 — "has already been entered" wording and TaskGroup cancellation bookkeeping (cancelling() 0 after a nested failure) are 3.13's
"""TaskGroup edges (catalogue 9): repr through a group's life (fresh, entered with tasks,
errors and cancelling while aborting, after exit); create_task before entering, after exit
and while shutting down (messages carry the repr); str() of the ExceptionGroup; a body error
with children cancelled; the first child error cancels a later one; a child converting its
cancellation into another error is collected after the first error; nested groups;
children's results; an explicitly cancelled child; a child creating a task while the group
waits in __aexit__. The async-function variant of the twin gives the same trace."""
import asyncio

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

def eg(e):
    if isinstance(e, BaseExceptionGroup):
        return f"{type(e).__name__}({e.args[0]!r}, [{', '.join(eg(x) for x in e.exceptions)}])"
    return exc_str(e)

async def main():
    loop = asyncio.get_running_loop()
    async def fail(d, msg):
        await asyncio.sleep(d)
        raise ValueError(msg)
    async def ok(d, v):
        await asyncio.sleep(d)
        return v
    # repr during the life of a group; create_task after exit; while shutting down
    tg = asyncio.TaskGroup()
    print("repr fresh:", repr(tg))
    c = ok(0, 1)
    try:
        tg.create_task(c)
    except RuntimeError as e:
        print("not entered:", exc_str(e))
    async with tg:
        t = tg.create_task(ok(0.01, "a"), name="child")
        print("repr inside:", repr(tg))
    print("repr after:", repr(tg), t.result())
    c = ok(0, 1)
    try:
        tg.create_task(c)
    except RuntimeError as e:
        print("after exit:", exc_str(e))
    # shutting down
    tg2 = asyncio.TaskGroup()
    try:
        async with tg2:
            tg2.create_task(fail(0, "x"))
            tg2.create_task(ok(1, "slow"))
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                print("body cancelled; repr:", repr(tg2))
                try:
                    tg2.create_task(ok(0, 2))
                except RuntimeError as e:
                    print("while aborting:", exc_str(e))
                raise
    except ExceptionGroup as e:
        print("group:", eg(e), "| str:", str(e))
    print("repr after failure:", repr(tg2))
    # errors from several children and the body, order
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(fail(0.02, "late"))
            g.create_task(fail(0.01, "early"))
            raise ValueError("body")
    except ExceptionGroup as e:
        print("body error:", eg(e))
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(fail(0.02, "late"))
            g.create_task(fail(0.01, "early"))
    except ExceptionGroup as e:
        print("first child error cancels the other:", eg(e))
    # child that catches the cancel and raises another error
    async def stubborn():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            raise RuntimeError("converted")
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(stubborn())
            g.create_task(fail(0.01, "first"))
    except ExceptionGroup as e:
        print("converted cancellation:", eg(e))
    # nested groups, inner fails
    try:
        async with asyncio.TaskGroup() as outer:
            outer.create_task(ok(1, "x"))
            async with asyncio.TaskGroup() as inner:
                inner.create_task(fail(0.01, "inner"))
    except ExceptionGroup as e:
        print("nested:", eg(e))
    print("cancelling after:", asyncio.current_task().cancelling())
    # body returns while children still running, children results
    async with asyncio.TaskGroup() as g:
        ts = [g.create_task(ok(0.01 * (3 - i), i)) for i in range(3)]
    print("results:", [t.result() for t in ts])
    # a child cancelled explicitly, group fine
    async with asyncio.TaskGroup() as g:
        t = g.create_task(ok(1, "x"))
        g.create_task(ok(0, "y"))
        await asyncio.sleep(0)
        t.cancel()
    print("explicit child cancel:", t.cancelled())
    # create_task from a child while the group is exiting
    async with asyncio.TaskGroup() as g:
        async def spawner():
            await asyncio.sleep(0.01)
            g.create_task(ok(0.01, "grand"))
            return "spawned"
        t = g.create_task(spawner())
    print("spawned during exit:", t.result(), repr(g))

asyncio.run(main())
