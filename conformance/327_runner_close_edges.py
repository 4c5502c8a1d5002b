# oracle: 3.13
"""Runner.close() is only done once its loop is closed: called inside the runner's own run()
it fails (the loop is running) and leaves the runner usable, so a later close() closes the
loop; get_loop() still answers while close() runs the leftover tasks' cleanup; closing an idle
runner from inside another running loop fails, with that runner's loop closed."""
import asyncio
import warnings

# That last close() leaves CPython's shutdown_asyncgens() coroutine never awaited: a
# RuntimeWarning asyncio-ts gives in debug mode only (docs/differences.md).
warnings.simplefilter("ignore", RuntimeWarning)

r = asyncio.Runner()
lp = r.get_loop()


async def main():
    try:
        r.close()
    except RuntimeError as e:
        print("close inside:", e)


try:
    r.run(main())
except asyncio.CancelledError:
    print("run: CancelledError")
try:
    print("get_loop:", r.get_loop() is lp)
except RuntimeError as e:
    print("get_loop:", e)
try:
    r.close()
    print("close after: ok")
except RuntimeError as e:
    print("close after:", e)
print("loop closed:", lp.is_closed())

r = asyncio.Runner()


async def leftover():
    try:
        await asyncio.sleep(10)
    finally:
        print("get_loop in cleanup:", r.get_loop() is asyncio.get_running_loop())


async def spawn():
    asyncio.create_task(leftover())
    await asyncio.sleep(0)


r.run(spawn())
r.close()


async def close_other():
    other = asyncio.Runner()
    other_loop = other.get_loop()
    try:
        other.close()
        print("close: ok")
    except RuntimeError as e:
        print("close:", e)
    print("its loop closed:", other_loop.is_closed())


asyncio.run(close_other())
