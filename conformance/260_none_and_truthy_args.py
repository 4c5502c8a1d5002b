# oracle: 3.13
"""Arguments given as None or as Python truth values: the setters that take None, Runner's
debug=None, gather's return_exceptions and the eager_start flag by truthiness, wait's
return_when=None, bools as numbers for Semaphore and Barrier, all_tasks of a non-loop, and
ensure_future closing a coroutine a closed loop refuses."""
import asyncio


def attempt(label, fn):
    try:
        print(label, "->", fn())
    except BaseException as e:
        print(label, "->", type(e).__name__, e)


async def main():
    loop = asyncio.get_running_loop()
    attempt("set_exception_handler(None)", lambda: loop.set_exception_handler(None))
    print("  handler", loop.get_exception_handler())
    attempt("set_task_factory(None)", lambda: loop.set_task_factory(None))
    print("  factory", loop.get_task_factory())
    fut = loop.create_future()
    fut.set_exception(ValueError("k"))
    print("gather return_exceptions='yes'", await asyncio.gather(fut, return_exceptions="yes"))
    fut2 = loop.create_future()
    fut2.set_exception(ValueError("j"))
    try:
        await asyncio.gather(fut2, return_exceptions=[])
    except ValueError as e:
        print("gather return_exceptions=[] raised", repr(e))
    t = loop.create_task(asyncio.sleep(0))
    try:
        await asyncio.wait([t], return_when=None)
    except ValueError as e:
        print("wait return_when=None:", e)
    await t
    steps = []

    async def eager():
        steps.append("ran")

    et = asyncio.Task(eager(), loop=loop, eager_start="yes")
    print("eager_start='yes': ran at once", steps == ["ran"], et.done())

    sem = asyncio.Semaphore(False)
    print("Semaphore(False) locked", sem.locked())
    waiter = asyncio.ensure_future(sem.acquire())
    await asyncio.sleep(0)
    print("  acquire waits", not waiter.done())
    sem.release()
    await waiter
    print("  after release, acquired", waiter.result())
    barrier = asyncio.Barrier(True)
    print("Barrier(True) wait ->", await barrier.wait(), await barrier.wait())
    print("all_tasks(123)", asyncio.all_tasks(123))


asyncio.run(main())

closed = asyncio.new_event_loop()
closed.close()
log = []


async def body():
    try:
        await asyncio.Future(loop=closed)
    finally:
        log.append("finally")


coro = body()
coro.send(None)  # suspended in its try, so close() runs the finally
attempt("ensure_future(coro, loop=closed)", lambda: asyncio.ensure_future(coro, loop=closed))
print("  closed the coroutine", log)

for label, value in [("None", None), ("False", False)]:
    runner_loop = asyncio.new_event_loop()
    runner_loop.set_debug(True)
    with asyncio.Runner(debug=value, loop_factory=lambda: runner_loop) as r:
        print(f"Runner(debug={label}): the loop debug", r.get_loop().get_debug())
asyncio.set_event_loop(None)
asyncio.set_event_loop_policy(None)
print("set_event_loop(None), set_event_loop_policy(None): ok")
