# oracle: 3.13 — uncancel() reaching 0 withdraws a pending cancellation (gh-116720), case 12
"""Task.cancel() semantics in 3.11. Mirrors test_tasks: test_cancel,
test_cancel_yield, test_cancel_inner_future, test_cancel_both_task_and_inner_future,
test_cancel_task_catching, test_cancel_task_ignoring, test_cancel_current_task,
test_cancel_at_end, test_cancel_awaited_task, test_cancelling, test_uncancel,
test_baseexception_during_cancel."""
import asyncio

def state(t):
    return f"done={t.done()} cancelled={t.cancelled()} cancelling={t.cancelling()}"

def repr_state(t):
    return repr(t).split(" name=")[0]   # '<Task pending' / '<Task cancelling' / ...

async def main():
    loop = asyncio.get_running_loop()
    ran = []

    # 1. cancel before the first step: body never runs
    async def body():
        ran.append("body started")
        return 1
    t = asyncio.create_task(body())
    print("1. cancel() ->", t.cancel(), "|", repr_state(t), "|", state(t))
    try:
        await t
    except asyncio.CancelledError as e:
        print("1. await -> CancelledError", e.args, "| body ran:", ran, "|", state(t))
    print("1. cancel() after done ->", t.cancel())

    # 2. cancel while waiting on a future: the future itself is cancelled synchronously
    fut = loop.create_future()
    async def waits():
        await fut
    t = asyncio.create_task(waits())
    await asyncio.sleep(0)
    print("2. cancel() ->", t.cancel(), "| inner fut cancelled immediately:", fut.cancelled(), "| task done yet:", t.done())
    await asyncio.sleep(0)
    print("2. after one iteration:", state(t))

    # 3. catching CancelledError and returning a value: task NOT cancelled
    f1 = loop.create_future()
    async def catches():
        try:
            await f1
        except asyncio.CancelledError:
            return 42
    t = asyncio.create_task(catches())
    await asyncio.sleep(0)
    t.cancel()
    print("3. swallowed:", await t, "|", state(t))

    # 4. catching, then waiting on something else: that later wait is NOT cancelled
    f2, f3 = loop.create_future(), loop.create_future()
    async def ignores():
        try:
            await f2
        except asyncio.CancelledError:
            pass
        return await f3
    t = asyncio.create_task(ignores())
    await asyncio.sleep(0)
    t.cancel()
    await asyncio.sleep(0)
    print("4. f2 cancelled:", f2.cancelled(), "f3 cancelled:", f3.cancelled())
    f3.set_result("f3-result")
    print("4. result:", await t, "|", state(t))

    # 5. task cancels itself, then awaits: next await raises immediately
    async def self_cancel():
        asyncio.current_task().cancel()
        print("5. still running after self-cancel; cancelling =", asyncio.current_task().cancelling())
        await asyncio.sleep(100)
        return "unreachable"
    t = asyncio.create_task(self_cancel())
    try:
        await t
    except asyncio.CancelledError:
        print("5.", state(t))

    # 6. task cancels itself and returns without awaiting: still ends cancelled
    async def cancel_at_end():
        asyncio.current_task().cancel()
        return 12
    t = asyncio.create_task(cancel_at_end())
    try:
        print("6. result", await t)
    except asyncio.CancelledError:
        print("6. cancel-at-end ->", state(t))

    # 7. cancelling a task blocked on another task cancels the inner task too
    inner_fut = loop.create_future()
    async def nested():
        await inner_fut
    async def outer():
        n = asyncio.create_task(nested())
        await asyncio.sleep(0)
        try:
            await n
        finally:
            print("7. nested cancelled:", n.cancelled(), "inner_fut cancelled:", inner_fut.cancelled())
    t = asyncio.create_task(outer())
    await asyncio.sleep(0); await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("7.", state(t))

    # 8. cancelling() counts cancel() calls; uncancel() decrements and returns the new count
    async def sleeper():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            me = asyncio.current_task()
            print("8. in handler cancelling =", me.cancelling(), "uncancel() ->", me.uncancel(), "-> cancelling =", me.cancelling())
            await asyncio.sleep(0)
            return "recovered"
    t = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    print("8. cancel() ->", t.cancel(), "; cancel() again ->", t.cancel(), "; cancelling =", t.cancelling(), "|", repr_state(t))
    print("8. result:", await t, "|", state(t))

    # 9. uncancel() never goes below 0
    async def noop():
        pass
    t = asyncio.create_task(noop())
    print("9. uncancel() on fresh task ->", t.uncancel())
    await t

    # 10. raising CancelledError yourself (not via cancel()) also marks the task cancelled
    async def raiser():
        raise asyncio.CancelledError("self-raised")
    t = asyncio.create_task(raiser())
    try:
        await t
    except asyncio.CancelledError as e:
        print("10. self-raised:", e.args, "|", state(t))

    # 11. converting CancelledError to another exception -> task has that exception
    async def converts():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            raise ValueError("converted")
    t = asyncio.create_task(converts())
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except ValueError as e:
        print("11. converted:", e.args, "|", state(t), "| __context__:", type(e.__context__).__name__)

    # 12. cancel() then uncancel() before the next await: in 3.11 the pending cancellation
    #     (_must_cancel) is NOT rescinded -> the next await still raises. 3.13+ rescinds it
    #     when the count reaches 0 (gh-116720 / PR 117407).
    async def cancel_then_uncancel():
        me = asyncio.current_task()
        me.cancel()
        print("12. after cancel(): cancelling =", me.cancelling(), "| uncancel() ->", me.uncancel())
        try:
            await asyncio.sleep(0)
            return "no CancelledError (3.13+ behaviour)"
        except asyncio.CancelledError:
            return "CancelledError at next await (3.11/3.12 behaviour)"
    print("12.", await asyncio.create_task(cancel_then_uncancel()))

asyncio.run(main())
