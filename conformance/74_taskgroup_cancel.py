# oracle: 3.13 — TaskGroup cancellation bookkeeping fixed in 3.13 (gh-116720): cancelling() back to 0 after a late child error, an outside cancel() together with a child error is kept, nested failing groups count 1 then 0
"""TaskGroup and cancellation. Mirrors test_taskgroups test_cancellation,
test_taskgroup_07/08/15/16/17/18/22/25, test_taskgroup_task_context,
test_taskgroup_context_manager_exit_raises, test_cancelling_level_preserved,
test_nested_groups_both_cancelled, test_error_and_cancel."""
import asyncio
import contextvars

def eg_desc(eg):
    parts = []
    for e in eg.exceptions:
        parts.append(eg_desc(e) if isinstance(e, BaseExceptionGroup) else f"{type(e).__name__}{e.args}")
    return f"{type(eg).__name__}({str(eg)!r}, [{', '.join(parts)}])"

class MyExc(Exception):
    pass

async def main():
    log = []
    async def foo(tag):
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            log.append(tag)
            raise

    # 1. the parent is cancelled from outside: children cancelled, CancelledError propagates
    async def runner():
        async with asyncio.TaskGroup() as g:
            for i in range(3):
                g.create_task(foo(f"child{i}"))
    r = asyncio.create_task(runner())
    await asyncio.sleep(0.1)
    r.cancel("test")
    try:
        await r
    except asyncio.CancelledError as e:
        print("1. CancelledError", e.args, "| r.cancelled():", r.cancelled(), "| cancelled children:", sorted(log))
    log.clear()

    # 2. ... and the body's await is cancelled too
    async def runner2():
        async with asyncio.TaskGroup() as g:
            for i in range(2):
                g.create_task(foo(f"child{i}"))
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                log.append("body")
                raise
    r = asyncio.create_task(runner2())
    await asyncio.sleep(0.1)
    r.cancel()
    try:
        await r
    except asyncio.CancelledError as e:
        print("2. CancelledError", e.args, "| cancelled:", sorted(log))
    log.clear()

    # 3. children crash while being cancelled: ExceptionGroup wins over CancelledError
    async def crash_on_cancel(i):
        try:
            await asyncio.sleep(10)
        finally:
            raise ZeroDivisionError(i)
    async def runner3():
        async with asyncio.TaskGroup() as g:
            for i in range(3):
                g.create_task(crash_on_cancel(i))
            await asyncio.sleep(10)
    r = asyncio.create_task(runner3())
    await asyncio.sleep(0.1)
    r.cancel()
    try:
        await r
    except ExceptionGroup as eg:
        # (the children are cancelled in the order of a set: CPython's is hash order)
        print("3.", repr(str(eg)), "| errors (sorted):", sorted(e.args[0] for e in eg.exceptions),
              "| r.cancelled():", r.cancelled())

    # 4. a child crashes while the body is handling the outside cancellation
    async def crash_soon():
        await asyncio.sleep(0.3)
        raise ZeroDivisionError("soon")
    async def runner4():
        async with asyncio.TaskGroup() as g1:
            g1.create_task(crash_soon())
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                await asyncio.sleep(0.5)
                raise
    r = asyncio.create_task(runner4())
    await asyncio.sleep(0.1)
    r.cancel()
    try:
        await r
    except ExceptionGroup as eg:
        print("4.", eg_desc(eg), "| r.cancelled():", r.cancelled())

    # 5. same, through an intermediate task
    async def runner5():
        t = asyncio.create_task(runner4())
        await t
    r = asyncio.create_task(runner5())
    await asyncio.sleep(0.1)
    r.cancel()
    try:
        await r
    except ExceptionGroup as eg:
        print("5.", eg_desc(eg))

    # 6. a group without children: the body's CancelledError propagates
    async def runner6():
        async with asyncio.TaskGroup():
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                log.append("body")
                raise
    r = asyncio.create_task(runner6())
    await asyncio.sleep(0.1)
    r.cancel()
    try:
        await r
    except asyncio.CancelledError:
        print("6. CancelledError | log:", log)
    log.clear()

    # 7. the body turns the cancellation into another exception: ExceptionGroup
    async def runner7():
        async with asyncio.TaskGroup():
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                raise MyExc("converted")
    r = asyncio.create_task(runner7())
    await asyncio.sleep(0.1)
    r.cancel()
    try:
        await r
    except ExceptionGroup as eg:
        print("7.", eg_desc(eg), "| r.cancelled():", r.cancelled())

    # 8. cancelled while __aexit__ waits for the children
    async def runner8():
        async with asyncio.TaskGroup() as g:
            g.create_task(foo("a"))
            g.create_task(foo("b"))
    r = asyncio.create_task(runner8())
    await asyncio.sleep(0.05)
    r.cancel()
    try:
        await r
    except asyncio.CancelledError:
        print("8. cancelled in __aexit__ -> CancelledError | children:", sorted(log))
    log.clear()

    # 9. hydra: children keep spawning until another child fails
    nhydras = 0
    async def hydra(g):
        nonlocal nhydras
        nhydras += 1
        await asyncio.sleep(0.01)
        g.create_task(hydra(g))
        g.create_task(hydra(g))
    async def hercules():
        while nhydras < 10:
            await asyncio.sleep(0.015)
        raise ZeroDivisionError("hercules")
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(hydra(g))
            g.create_task(hercules())
    except ExceptionGroup as eg:
        print("9.", eg_desc(eg), "| at least 10 hydras:", nhydras >= 10)

    # 10. create_task(context=...)
    cvar = contextvars.ContextVar("cvar")
    async def read():
        await asyncio.sleep(0)
        return cvar.get("unset")
    ctx = contextvars.copy_context()
    ctx.run(cvar.set, "in ctx")
    async with asyncio.TaskGroup() as g:
        t1 = g.create_task(read(), context=ctx)
        t2 = g.create_task(read())
    print("10. context:", t1.result(), "/", t2.result())

    # 11. an error from an inner context manager's exit joins the child's error
    async def raise_exc():
        raise MyExc("child")
    try:
        async with asyncio.TaskGroup() as tg:
            try:
                tg.create_task(raise_exc())
                await asyncio.sleep(1)
            finally:
                raise MyExc("exit")
    except ExceptionGroup as eg:
        print("11.", eg_desc(eg), "| cancelling():", asyncio.current_task().cancelling())

    # 12. 3.13: cancelling() back to 0 after a child failed while __aexit__ waited
    async def raise_after(t, e):
        await asyncio.sleep(t)
        raise e()
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(raise_after(0.0, RuntimeError))
    except ExceptionGroup as eg:
        print("12.", eg_desc(eg), "| cancelling() after:", asyncio.current_task().cancelling())

    # 13. 3.13: nested groups both failing
    try:
        async with asyncio.TaskGroup() as outer_tg:
            try:
                async with asyncio.TaskGroup() as inner_tg:
                    inner_tg.create_task(raise_after(0, RuntimeError))
                    outer_tg.create_task(raise_after(0, ValueError))
            except ExceptionGroup as eg:
                print("13. inner:", eg_desc(eg), "| cancelling():", asyncio.current_task().cancelling())
    except ExceptionGroup as eg:
        print("13. outer:", eg_desc(eg), "| cancelling():", asyncio.current_task().cancelling())

    # 14. 3.13: a child error and an outside cancel() together: the cancellation is kept
    started = asyncio.get_running_loop().create_future()
    async def raise_error():
        started.set_result(None)
        await asyncio.sleep(0)
        raise RuntimeError("child")
    async def inner():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(raise_error())
                await asyncio.sleep(1)
                print("14. not reached")
        except ExceptionGroup as eg:
            print("14. group:", eg_desc(eg), "| cancelling():", asyncio.current_task().cancelling())
        await asyncio.sleep(1)
        print("14. not reached either")
    t = asyncio.create_task(inner())
    await started
    print("14. cancelling() before:", t.cancelling())
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("14. task cancelled:", t.cancelled())

asyncio.run(main())
