# oracle: 3.13
"""wait_for() of an object with __await__ awaits it in the calling task (3.12+: `async with
timeout(t): return await fut`), so no Task-N is used; with a timeout <= 0 it goes through
ensure_future and runs in a task of its own."""
import asyncio

MAIN = None


class A:
    def __init__(self, delay, value):
        self.delay, self.value = delay, value

    def __await__(self):
        print("  in the caller's task:", asyncio.current_task() is MAIN)
        return (yield from asyncio.sleep(self.delay, self.value).__await__())


async def main():
    global MAIN
    MAIN = asyncio.current_task()
    print("result:", await asyncio.wait_for(A(0.01, "x"), 1))
    print("next task:", asyncio.create_task(asyncio.sleep(0)).get_name())
    try:
        await asyncio.wait_for(A(1, "y"), 0.01)
    except TimeoutError as e:
        print("timed out:", type(e).__name__, MAIN.cancelling())
    print("next task:", asyncio.create_task(asyncio.sleep(0)).get_name())
    print("timeout None:", await asyncio.wait_for(A(0, "z"), None))
    print("next task:", asyncio.create_task(asyncio.sleep(0)).get_name())
    try:
        print("timeout 0:", await asyncio.wait_for(A(0, "w"), 0))
    except TimeoutError as e:
        print("timeout 0:", type(e).__name__)
    print("next task:", asyncio.create_task(asyncio.sleep(0)).get_name())


asyncio.run(main())
