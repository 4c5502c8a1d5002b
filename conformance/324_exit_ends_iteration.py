# oracle: 3.13
"""A task whose step raises SystemExit (or KeyboardInterrupt) ends the loop's iteration there:
run_forever() raises it, and what that iteration had not run yet (a callback queued before,
the task's done callbacks) stays queued and runs in the next iteration, with what was queued
in between. At the task's first step and after an await (the TypeScript twin runs the first
two with async functions, the last two with generator coroutines)."""
import asyncio


def scenario(exc, await_first):
    loop = asyncio.new_event_loop()

    async def a():
        print("a start")
        if await_first:
            await asyncio.sleep(0)
            print("a woke")
        raise exc("x")

    t = loop.create_task(a())
    t.add_done_callback(lambda t: print("a done callback"))
    loop.call_soon(print, "soon")
    for i in range(3):
        try:
            loop.run_forever()
            print("run returned")
        except BaseException as e:
            print(f"run raised {type(e).__name__}: {e}")
            break
    loop.call_soon(print, "scheduled between the runs")
    loop.stop()
    loop.run_forever()  # exactly one iteration
    print("after one iteration")
    loop.stop()
    loop.run_forever()
    print("after another iteration")
    print("task:", type(t.exception()).__name__)
    loop.close()


scenario(SystemExit, False)
scenario(KeyboardInterrupt, True)
scenario(SystemExit, True)
scenario(KeyboardInterrupt, False)
