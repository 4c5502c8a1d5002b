# oracle: 3.13 — 'has already been entered' (3.11: 'has been already entered'); a KeyboardInterrupt out of a group leaves the parent's cancellation pending, which 3.13's re-cancel then delivers, so case 8 prints and withdraws it; case 9 uses a BaseExceptionGroup (JavaScript cannot define a new BaseException-only class)
"""asyncio.TaskGroup (3.11). Mirrors test_taskgroups: test_taskgroup_01/02/03/04,
test_cancel_children_on_child_error, test_taskgroup_09/10 (error in body),
test_taskgroup_13/14 (nesting), test_taskgroup_19/20/20a/21a, test_taskgroup_task_name,
test_taskgroup_already_entered, test_taskgroup_double_enter, test_taskgroup_finished,
test_taskgroup_not_entered, test_taskgroup_no_create_task_after_failure."""
import asyncio

def eg_desc(eg):
    parts = []
    for e in eg.exceptions:
        parts.append(eg_desc(e) if isinstance(e, BaseExceptionGroup) else f"{type(e).__name__}{e.args}")
    return f"{type(eg).__name__}({str(eg)!r}, [{', '.join(parts)}])"

async def main():
    log = []
    async def work(tag, d, exc=None):
        try:
            await asyncio.sleep(d)
        except asyncio.CancelledError:
            log.append(f"{tag} cancelled")
            raise
        if exc:
            log.append(f"{tag} raising")
            raise exc
        log.append(f"{tag} done")
        return tag

    # 1. waits for all children
    async with asyncio.TaskGroup() as tg:
        t1 = tg.create_task(work("a", 0.02))
        t2 = tg.create_task(work("b", 0.01), name="named-b")
        print("1. task name:", t2.get_name(), "| repr tg:", repr(tg))
    print("1. results:", t1.result(), t2.result(), "| log:", log, "| repr after:", repr(tg)); log.clear()

    # 2. explicit cancel of one child does not affect the group
    async with asyncio.TaskGroup() as tg:
        t1 = tg.create_task(work("a", 1))
        t2 = tg.create_task(work("b", 0.01))
        await asyncio.sleep(0)
        t1.cancel()
    print("2. t1 cancelled:", t1.cancelled(), "t2:", t2.result(), "| log:", log); log.clear()

    # 3. first failing child cancels siblings AND the body; errors raised as ExceptionGroup
    body = []
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(work("bad", 0.01, ZeroDivisionError("zde")))
            sib = tg.create_task(work("sibling", 1))
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                body.append("body cancelled by group")
                raise
        body.append("after block (unreachable)")
    except ExceptionGroup as eg:
        print("3.", eg_desc(eg), "| sibling cancelled:", sib.cancelled(), "| body:", body, "| log:", log)
    print("3. parent task cancelling() after the group:", asyncio.current_task().cancelling()); log.clear()

    # 4. several children failing "at once": every error collected
    try:
        async with asyncio.TaskGroup() as tg:
            for i in range(3):
                tg.create_task(work(f"f{i}", 0.01, ValueError(i)))
    except ExceptionGroup as eg:
        print("4.", eg_desc(eg)); log.clear()

    # 5. exception in the body: children cancelled, body exception included in the group
    try:
        async with asyncio.TaskGroup() as tg:
            c1 = tg.create_task(work("c1", 1))
            1 / 0
    except ExceptionGroup as eg:
        print("5.", eg_desc(eg), "| c1 cancelled:", c1.cancelled()); log.clear()

    # 6. body exception + child exception raised during cancellation
    async def fails_on_cancel():
        try:
            await asyncio.sleep(10)
        finally:
            raise KeyError("from finally")
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fails_on_cancel())
            await asyncio.sleep(0)
            raise ValueError("body")
    except ExceptionGroup as eg:
        print("6.", eg_desc(eg))

    # 7. nested groups: inner group error surfaces as nested ExceptionGroup in the outer group
    try:
        async with asyncio.TaskGroup() as g1:
            g1.create_task(work("outer-child", 10))
            async with asyncio.TaskGroup() as g2:
                g2.create_task(work("inner-child", 0.01, ValueError("inner")))
    except ExceptionGroup as eg:
        print("7.", eg_desc(eg)); log.clear()

    # 8. KeyboardInterrupt/SystemExit in the body are re-raised bare (not grouped)
    async def crash_soon():
        await asyncio.sleep(0.01)
        1 / 0
    async def nested_ki():
        try:
            await asyncio.sleep(10)
        finally:
            raise KeyboardInterrupt
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(crash_soon())
            await nested_ki()
    except KeyboardInterrupt:
        print("8. KeyboardInterrupt propagated bare")
    # the group's own cancel() of the parent was not withdrawn (KeyboardInterrupt is re-raised first)
    print("8. parent cancelling() after:", asyncio.current_task().cancelling(), "-> uncancel():", asyncio.current_task().uncancel())

    # 9. other BaseExceptions (here a BaseExceptionGroup) -> BaseExceptionGroup
    async def nested_base():
        try:
            await asyncio.sleep(10)
        finally:
            raise BaseExceptionGroup("base", [KeyboardInterrupt()])
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(crash_soon())
            await nested_base()
    except BaseExceptionGroup as eg:
        print("9.", eg_desc(eg))

    # 10. lifecycle errors
    tg = asyncio.TaskGroup()
    c = asyncio.sleep(0)
    try:
        tg.create_task(c)
    except RuntimeError as e:
        print("10. not entered:", str(e).replace(repr(tg), "<TG>"))
    c.close()
    async with tg:
        try:
            async with tg:
                pass
        except RuntimeError as e:
            print("10. entered twice:", str(e).replace(repr(tg), "<TG>"))
    c = asyncio.sleep(0)
    try:
        tg.create_task(c)
    except RuntimeError as e:
        print("10. after exit:", str(e).replace(repr(tg), "<TG>"))
    c.close()
    try:
        async with tg:
            pass
    except RuntimeError as e:
        print("10. re-enter after exit:", str(e).replace(repr(tg), "<TG>"))

    # 11. create_task while the group is aborting
    async def tries_to_spawn(g):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            c = asyncio.sleep(0)
            try:
                g.create_task(c)
            except RuntimeError as e:
                print("11. while shutting down:", str(e).replace(repr(g), "<TG>"))
            c.close()
            raise
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(work("x", 0.01, ZeroDivisionError()))
            g.create_task(tries_to_spawn(g))
    except ExceptionGroup:
        pass
    log.clear()

    # 12. children may add more children while the group is exiting (still allowed)
    async def root(g):
        await asyncio.sleep(0.01)
        g.create_task(work("grandchild", 0.01))
    async with asyncio.TaskGroup() as g:
        g.create_task(root(g))
    print("12. grandchild added during __aexit__ ran:", log)

    # 13. TaskGroup needs a current task
    def cb():
        co = asyncio.TaskGroup().__aenter__()
        try:
            co.send(None)
        except RuntimeError as e:
            print("13. no parent task:", e.args[0].split("<TaskGroup")[0] + "<TaskGroup...>" + e.args[0].split(">")[-1])
    asyncio.get_running_loop().call_soon(cb)
    await asyncio.sleep(0)

asyncio.run(main())
