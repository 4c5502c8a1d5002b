# oracle: 3.13 — TimeoutError's __cause__ is the CancelledError (3.12+)
"""Timeout edges (catalogue 8, 10): repr rounds `when` like Python's round(x, 3) (exact ties to
even: 1.0625 -> 1.062) and prints a float repr (1.0000000000000002e+16); reschedule() before
entering, into the past, while expiring and after finishing; re-entering; reschedule(None)
disables; a body that swallows the timeout's cancellation ends normally with cancelling() 0;
an exception raised while expiring wins; timeout(-1) with and without an await; sleep() with
-inf, nan, a str, None, and inf (cancelled)."""
import asyncio
import math

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

async def main():
    loop = asyncio.get_running_loop()
    # repr rounding
    for when in (1.0625, 2.0005, 0.0004, 1e16 + 2.5, 123.4567):
        cm = asyncio.timeout_at(when)
        async with cm:
            print("repr:", repr(cm))
    cm = asyncio.timeout_at(None)
    print("repr created:", repr(cm), cm.when())
    # reschedule before entering / after
    try:
        cm.reschedule(1)
    except RuntimeError as e:
        print("reschedule before:", exc_str(e))
    async with cm:
        cm.reschedule(loop.time() - 1)
        print("rescheduled to the past; expired yet:", cm.expired(), repr(cm).split(" when")[0])
        try:
            await asyncio.sleep(0)
        except asyncio.CancelledError as e:
            print("body sees", exc_str(e), "| expired:", cm.expired(), repr(cm))
            try:
                cm.reschedule(None)
            except RuntimeError as e2:
                print("reschedule while expiring:", exc_str(e2))
            raise
    print("never printed")

async def main2():
    loop = asyncio.get_running_loop()
    try:
        await main()
    except TimeoutError as e:
        print("outer:", exc_str(e), type(e.__cause__).__name__)
    # reschedule after finishing and after expiry
    async with asyncio.timeout(10) as cm:
        pass
    try:
        cm.reschedule(1)
    except RuntimeError as e:
        print("after finished:", exc_str(e), repr(cm))
    try:
        async with cm:
            pass
    except RuntimeError as e:
        print("re-enter:", exc_str(e))
    # timeout(None) then reschedule to later, no fire
    async with asyncio.timeout(None) as cm:
        print(repr(cm))
        cm.reschedule(loop.time() + 100)
        cm.reschedule(None)
        await asyncio.sleep(0.01)
    print("disabled:", repr(cm), cm.when())
    # timeout cm swallowed cancellation in body: body catches CancelledError and returns
    async with asyncio.timeout(0.01) as cm:
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print("body swallowed the cancellation")
    print("after swallow:", repr(cm), cm.expired(), asyncio.current_task().cancelling())
    # the swallowed cancellation: does the next await get cancelled? no: uncancel'd
    await asyncio.sleep(0)
    print("next await fine")
    # exception in body after expiry
    try:
        async with asyncio.timeout(0.01) as cm:
            try:
                await asyncio.sleep(1)
            finally:
                raise ValueError("cleanup failed")
    except ValueError as e:
        print("foreign:", exc_str(e), cm.expired())
    # sleep edge cases
    for d in (-math.inf, float("nan"), "1", None):
        try:
            print("sleep", repr(d), "->", await asyncio.sleep(d, "r"))
        except Exception as e:
            print("sleep", repr(d), "->", exc_str(e))
    t = asyncio.create_task(asyncio.sleep(math.inf, "r"))
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("sleep(inf) cancelled")
    # timeout with negative delay, no await
    async with asyncio.timeout(-1) as cm:
        pass
    print("negative no await:", repr(cm), cm.expired())
    try:
        async with asyncio.timeout(-1) as cm:
            await asyncio.sleep(0)
    except TimeoutError:
        print("negative sleep(0): TimeoutError", repr(cm))

asyncio.run(main2())
