# oracle: 3.13 — Timeout compares uncancel() with the cancelling() count taken on entry (gh-102780) and refuses re-entry
"""timeout() bookkeeping (3.12+): a cancellation swallowed before the block does not stop a
later timeout from becoming TimeoutError; a timeout nested in the finally of an expired one
raises its own TimeoutError; a real cancel() arriving together with the expiry is not eaten;
re-entering, rescheduling before entry or while expiring are RuntimeErrors; timeout around a
TaskGroup. Mirrors test_timeouts test_timeout_after_cancellation,
test_nested_timeout_in_finally, test_cancel_in_timeout_after_cancellation_handler,
test_timeout_taskgroup, test_reschedule, test_timeout_double_enter."""
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()

    # 1. the task swallowed a cancellation earlier (cancelling() stays 1): timeout still works
    me.cancel()
    try:
        await asyncio.sleep(0)
    except asyncio.CancelledError:
        print("1. swallowed a cancellation; cancelling() =", me.cancelling())
    try:
        async with asyncio.timeout(0.01):
            await asyncio.sleep(1)
    except TimeoutError:
        print("1. later timeout -> TimeoutError; cancelling() =", me.cancelling())
    me.uncancel()

    # 2. timeout inside the finally of an expired timeout
    try:
        async with asyncio.timeout(0.01):
            try:
                await asyncio.sleep(1)
            finally:
                try:
                    async with asyncio.timeout(0.01):
                        await asyncio.sleep(1)
                except TimeoutError:
                    print("2. inner timeout in finally -> TimeoutError")
    except TimeoutError:
        print("2. outer -> TimeoutError; cancelling() =", me.cancelling())

    # 3. an outside cancel() together with the expiry: CancelledError, not TimeoutError
    async def victim():
        async with asyncio.timeout(0.01):
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                asyncio.current_task().cancel("second")   # a new request while handling ours
                raise
    t = asyncio.create_task(victim())
    try:
        await t
    except asyncio.CancelledError as e:
        print("3. extra cancel() while expiring -> CancelledError", e.args, "| task cancelled:", t.cancelled())
    async def victim2():
        async with asyncio.timeout(0.01) as cm:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                print("3. inside: expired() =", cm.expired(), "| cancelling() =", asyncio.current_task().cancelling())
                raise
    t = asyncio.create_task(victim2())
    await asyncio.sleep(0)
    loop.call_later(0.01, t.cancel, "outside")   # same deadline as the timeout
    try:
        await t
        print("3. no error")
    except TimeoutError:
        print("3. expiry + outside cancel in one iteration -> TimeoutError | cancelling() =", t.cancelling())
    except asyncio.CancelledError as e:
        print("3. expiry + outside cancel in one iteration -> CancelledError", e.args)

    # 4. lifecycle errors
    cm = asyncio.timeout(1)
    try:
        cm.reschedule(5)
    except RuntimeError as e:
        print("4. reschedule before entering:", e)
    async with cm:
        try:
            async with cm:
                pass
        except RuntimeError as e:
            print("4. entering twice:", e)
    try:
        async with cm:
            pass
    except RuntimeError as e:
        print("4. re-entering after exit:", e)
    try:
        async with asyncio.timeout(0) as cm:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                try:
                    cm.reschedule(loop.time() + 10)
                except RuntimeError as e:
                    print("4. reschedule while expiring:", e, "| expired():", cm.expired())
                raise
    except TimeoutError:
        print("4. repr after:", repr(cm))
    cm = asyncio.timeout_at(None)
    print("4. timeout_at(None):", repr(cm), cm.when())

    # 5. the body catches the CancelledError and returns normally: no TimeoutError, still expired
    async with asyncio.timeout(0.01) as cm:
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print("5. body swallowed the timeout's CancelledError")
    print("5. after: expired() =", cm.expired(), "| repr:", repr(cm), "| cancelling() =", me.cancelling())

    # 6. timeout around a TaskGroup: children cancelled, TimeoutError outside
    log = []
    async def child(tag):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            log.append(f"{tag} cancelled")
            raise
    try:
        async with asyncio.timeout(0.01):
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child("c1"))
                tg.create_task(child("c2"))
    except TimeoutError:
        print("6. TaskGroup under timeout -> TimeoutError | log (sorted):", sorted(log), "| cancelling() =", me.cancelling())

    # 7. timeout inside a TaskGroup child: only that child times out
    async def limited():
        try:
            async with asyncio.timeout(0.01):
                await asyncio.sleep(1)
        except TimeoutError:
            return "child timed out"
    async with asyncio.TaskGroup() as tg:
        r = tg.create_task(limited())
    print("7.", r.result())

    # 8. rescheduling repeatedly, then exiting before the deadline
    async with asyncio.timeout(0.05) as cm:
        for i in range(3):
            cm.reschedule(loop.time() + 0.05)
            await asyncio.sleep(0.03)
    print("8. kept alive by reschedule: expired() =", cm.expired())

asyncio.run(main())
