# oracle: 3.13 — TimeoutError's __cause__ is the CancelledError, and a timeout nested in the finally of an expired one raises its own TimeoutError (gh-102780); __context__ (no JavaScript counterpart) is not printed
"""asyncio.timeout()/timeout_at()/Timeout (new in 3.11). Mirrors test_timeouts.py:
test_timeout_basic, test_timeout_at_basic, test_nested_timeouts, test_waiter_cancelled,
test_timeout_not_called, test_timeout_disabled, test_timeout_zero, test_timeout_zero_sleep_zero,
test_timeout_in_the_past_sleep_zero, test_foreign_exception_passed,
test_foreign_exception_on_timeout, test_foreign_cancel_doesnt_timeout_if_not_expired,
test_outer_task_is_not_cancelled, test_reschedule, test_repr_*, test_nested_timeout_in_finally,
test_timeout_exception_cause."""
import asyncio
import re

def r(cm):
    return re.sub(r"when=\d+\.\d*", "when=<float>", repr(cm))

async def main():
    loop = asyncio.get_running_loop()

    try:
        async with asyncio.timeout(0.01) as cm:
            print("1. inside:", r(cm), "| expired:", cm.expired())
            await asyncio.sleep(10)
    except TimeoutError as e:
        print("1. TimeoutError args", e.args, "| expired:", cm.expired(), "| repr after:", r(cm),
              "| __cause__:", type(e.__cause__).__name__)
    print("1. current task cancelling() after:", asyncio.current_task().cancelling())

    deadline = loop.time() + 0.01
    try:
        async with asyncio.timeout_at(deadline) as cm:
            await asyncio.sleep(10)
    except TimeoutError:
        print("2. timeout_at expired:", cm.expired(), "| when()==deadline:", cm.when() == deadline)

    # nested with same deadline: only the outermost raises TimeoutError
    seen = []
    try:
        async with asyncio.timeout_at(deadline := loop.time() + 0.01) as cm1:
            try:
                async with asyncio.timeout_at(deadline) as cm2:
                    await asyncio.sleep(10)
            except asyncio.CancelledError:
                seen.append("inner block saw CancelledError")
                raise
    except TimeoutError:
        seen.append("outer raised TimeoutError")
    print("3. nested same deadline:", seen, "| both expired:", cm1.expired(), cm2.expired())

    # inner timeout fires first: inner raises TimeoutError, outer untouched
    async with asyncio.timeout(10) as outer_cm:
        try:
            async with asyncio.timeout(0.01):
                await asyncio.sleep(10)
        except TimeoutError:
            print("4. inner TimeoutError caught; outer expired:", outer_cm.expired())

    async with asyncio.timeout(10) as cm:
        await asyncio.sleep(0)
    print("5. not expired:", cm.expired(), "| repr after exit:", r(cm))

    async with asyncio.timeout(None) as cm:
        print("6. timeout(None):", r(cm), "| when:", cm.when())
        await asyncio.sleep(0.01)
    print("6. after: expired", cm.expired())

    for delay in (0, -11):
        try:
            async with asyncio.timeout(delay) as cm:
                await asyncio.sleep(0)
            print(f"7. timeout({delay}) + sleep(0): no error")
        except TimeoutError:
            print(f"7. timeout({delay}) + sleep(0): TimeoutError, expired={cm.expired()}")

    # timeout(0) with no await inside: body completes, no TimeoutError
    async with asyncio.timeout(0) as cm:
        pass
    print("8. timeout(0) without await: expired", cm.expired(), "| repr", r(cm))

    try:
        async with asyncio.timeout(0.01) as cm:
            raise KeyError("k")
    except KeyError:
        print("9. foreign exception passes, expired:", cm.expired())

    async def crash():
        try:
            await asyncio.sleep(1)
        finally:
            1 / 0
    try:
        async with asyncio.timeout(0.01):
            await crash()
    except ZeroDivisionError:
        print("10. exception during timeout-cancellation wins over TimeoutError")

    async def foreign_cancel():
        async with asyncio.timeout(10) as cm:
            asyncio.current_task().cancel()
            await asyncio.sleep(10)
    t = asyncio.create_task(foreign_cancel())
    try:
        await t
    except asyncio.CancelledError:
        print("11. foreign cancel -> CancelledError, task cancelled:", t.cancelled())

    # reschedule
    fut = loop.create_future()
    d1 = loop.time() + 10
    async def f():
        async with asyncio.timeout_at(d1) as cm:
            fut.set_result(cm)
            await asyncio.sleep(50)
    t = asyncio.create_task(f())
    cm = await fut
    cm.reschedule(d1 + 20)
    print("12. reschedule -> when moved:", cm.when() == d1 + 20)
    cm.reschedule(None)
    print("12. reschedule(None) -> when:", cm.when(), "| repr:", r(cm))
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("12. cancelled, expired:", cm.expired(), "| repr:", r(cm))
    try:
        cm.reschedule(loop.time() + 1)
    except RuntimeError as e:
        print("12. reschedule after exit:", e)

    # reschedule into the past fires on the next iteration
    try:
        async with asyncio.timeout(10) as cm:
            cm.reschedule(loop.time() - 1)
            await asyncio.sleep(1)
    except TimeoutError:
        print("13. reschedule to the past -> TimeoutError")

    # outside a task
    cmx = asyncio.timeout(1)
    print("14. repr before enter:", r(cmx))
    def in_callback():
        async def use():
            async with cmx:
                pass
        co = use()
        try:
            co.send(None)
        except RuntimeError as e:
            print("14. used outside a task:", e)
        except StopIteration:
            print("14. no error")
    loop.call_soon(in_callback)
    await asyncio.sleep(0)

    # timeout cancel inside finally of another timeout
    try:
        async with asyncio.timeout(0.01):
            try:
                await asyncio.sleep(1)
            finally:
                try:
                    async with asyncio.timeout(0.01):
                        await asyncio.sleep(10)
                except TimeoutError:
                    print("15. nested timeout in finally raised its own TimeoutError")
    except TimeoutError:
        print("15. outer TimeoutError too")

    # timeout() outside of a running loop
try:
    asyncio.timeout(1)
except RuntimeError as e:
    print("0. asyncio.timeout() with no running loop:", e)
asyncio.run(main())
