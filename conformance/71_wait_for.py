# oracle: 3.13 — wait_for() is `async with timeout(t): return await aw` (3.12+): the coroutine runs in the caller's task and the TimeoutError's __cause__ is the CancelledError
"""asyncio.wait_for() (3.12+ semantics). Mirrors test_waitfor: test_wait_for,
test_wait_for_blocking, test_wait_for_timeout_less_then_0_or_0_future_done,
test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started,
test_wait_for_timeout_less_then_0_or_0, test_wait_for_cancellation_race_condition,
test_wait_for_waits_for_task_cancellation, test_wait_for_reraises_exception_during_cancellation,
test_cancel_wait_for, test_wait_for_race_condition, test_wait_for_self_cancellation,
test_wait_for_cancel_suppressed."""
import asyncio

log = []

async def main():
    loop = asyncio.get_running_loop()

    # 1. timeout: the inner coroutine is cancelled and awaited (its finally runs) first
    async def slow():
        try:
            await asyncio.sleep(10)
        finally:
            log.append("slow finally ran")
    t0 = loop.time()
    try:
        await asyncio.wait_for(slow(), 0.1)
    except TimeoutError as e:
        print("1. TimeoutError", e.args, "| __cause__:", type(e.__cause__).__name__,
              "| log:", log, "| took ~0.1s:", round(loop.time() - t0, 1))
    log.clear()

    # a task argument is cancelled too
    t = asyncio.create_task(slow())
    try:
        await asyncio.wait_for(t, 0.01)
    except TimeoutError:
        print("1. task argument cancelled:", t.cancelled(), "| log:", log)
    log.clear()

    # 2. timeout=None: a plain await
    print("2. timeout=None ->", await asyncio.wait_for(asyncio.sleep(0.01, "plain"), None))

    # 3. timeout <= 0 and the argument already done: result at once
    for timeout in (0, -1):
        f = loop.create_future()
        f.set_result("done already")
        print(f"3. timeout={timeout}, done future ->", await asyncio.wait_for(f, timeout))

    # 4. timeout <= 0 with a coroutine: wrapped in a task, cancelled before it starts
    started = []
    async def body():
        started.append(True)
        return "never"
    for timeout in (0, -1):
        try:
            await asyncio.wait_for(body(), timeout)
        except TimeoutError as e:
            print(f"4. timeout={timeout}: TimeoutError, body started: {bool(started)}",
                  "| __cause__:", type(e.__cause__).__name__)
    # ... and a pending future is cancelled
    f = loop.create_future()
    try:
        await asyncio.wait_for(f, 0)
    except TimeoutError:
        print("4. pending future with timeout=0 cancelled:", f.cancelled())

    # 5. the inner coroutine swallows the cancellation and returns a value: it is returned
    async def swallow():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            return "swallowed value"
    print("5. swallowed ->", await asyncio.wait_for(swallow(), 0.01))
    t = asyncio.create_task(swallow())
    print("5. swallowed (task) ->", await asyncio.wait_for(t, 0.01), "| task cancelled:", t.cancelled())

    # 6. the inner coroutine needs time to clean up: wait_for waits for it
    async def slow_cleanup():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log.append("cleanup starts")
            await asyncio.sleep(0.05)
            log.append("cleanup ends")
            raise
    t0 = loop.time()
    try:
        await asyncio.wait_for(slow_cleanup(), 0.01)
    except TimeoutError:
        print("6. TimeoutError after the cleanup:", loop.time() - t0 >= 0.059, "| log:", log)
    log.clear()

    # 7. the inner coroutine raises another exception while being cancelled: it propagates
    async def fails_on_cancel():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            raise ZeroDivisionError("while cancelling")
    try:
        await asyncio.wait_for(fails_on_cancel(), 0.01)
    except ZeroDivisionError as e:
        print("7. other exception wins:", type(e).__name__, e.args)

    # 8. cancelling the task awaiting wait_for cancels the inner task
    inner = asyncio.create_task(slow())
    async def waiter():
        return await asyncio.wait_for(inner, 10)
    w = asyncio.create_task(waiter())
    await asyncio.sleep(0.01)
    w.cancel("outer msg")
    try:
        await w
    except asyncio.CancelledError as e:
        print("8. waiter cancelled", e.args, "| inner cancelled:", inner.cancelled(), "| log:", log)
    log.clear()

    # 9. result before the deadline
    print("9. fast result ->", await asyncio.wait_for(asyncio.sleep(0.01, "fast"), 1))
    async def fails():
        await asyncio.sleep(0)
        raise KeyError("k")
    try:
        await asyncio.wait_for(fails(), 1)
    except KeyError as e:
        print("9. error before the deadline passes through:", repr(e))

    # 10. the coroutine runs in the caller's task (3.12+)
    async def which_task():
        return asyncio.current_task()
    print("10. coroutine runs in the caller's task:", await asyncio.wait_for(which_task(), 1) is asyncio.current_task())
    print("10. caller cancelling() after a timeout:", asyncio.current_task().cancelling())

    # 11. a result arriving in the same iteration as the timeout
    f = loop.create_future()
    loop.call_later(0.01, f.set_result, "raced")
    try:
        print("11. race ->", await asyncio.wait_for(f, 0.01))
    except TimeoutError:
        print("11. race -> TimeoutError, future cancelled:", f.cancelled())

    # 12. the task cancels itself inside wait_for: CancelledError, not TimeoutError
    async def self_cancel():
        asyncio.current_task().cancel("self")
        await asyncio.sleep(10)
    async def runs_it():
        await asyncio.wait_for(self_cancel(), 1)
    t = asyncio.create_task(runs_it())
    try:
        await t
    except asyncio.CancelledError as e:
        print("12. self-cancel -> CancelledError", e.args, "| task cancelled:", t.cancelled())

    # 13. a thenable-free awaitable: wait_for on a gather
    print("13. wait_for(gather) ->", await asyncio.wait_for(asyncio.gather(asyncio.sleep(0.01, 1), asyncio.sleep(0.02, 2)), 1))
    g = asyncio.gather(asyncio.sleep(1, 1))
    try:
        await asyncio.wait_for(g, 0.01)
    except TimeoutError:
        print("13. timed-out gather: done", g.done(), "| cancelled()", g.cancelled())

asyncio.run(main())
