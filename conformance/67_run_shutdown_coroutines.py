# oracle: 3.13 — the runner's shutdown steps are coroutines, each run as a Task
"""loop.shutdown_asyncgens() and loop.shutdown_default_executor() are coroutines (async def):
create_task() and ensure_future() take them and name their tasks; asyncio.run() runs each as a
task of its own at shutdown, so a second run's main task is Task-(N+5), not Task-(N+3)."""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    print("main task:", asyncio.current_task().get_name())
    c = loop.shutdown_asyncgens()
    print("coroutine:", asyncio.iscoroutine(c), asyncio.iscoroutinefunction(loop.shutdown_default_executor))
    t = loop.create_task(c)
    print(type(t).__name__, t.get_name(), await t)
    t = asyncio.ensure_future(loop.shutdown_default_executor())
    print(type(t).__name__, t.get_name(), await t)


asyncio.run(main())
asyncio.run(main())
