# oracle: 3.13
"""Runner.close() with nothing left to do has closed the loop when it returns (a port that
does not wait for it, as Python's close() is written, can run the next loop at once); with a
task left pending it cancels it; a ready callback and a due timer run before the loop closes;
a second close() does nothing."""
import asyncio

async def main():
    return "a"

runner = asyncio.Runner()
print(runner.run(main()))
loop = runner.get_loop()
runner.close()
print("closed", loop.is_closed())
print(asyncio.run(main()))
runner.close()
print("second close ok")

# a task left pending is cancelled by close()
log = []
async def forever():
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        log.append("cancelled")
        raise

async def start():
    return asyncio.create_task(forever())

runner = asyncio.Runner()
t = runner.run(start())
runner.run(asyncio.sleep(0))
runner.close()
print(log, t.cancelled())

# a callback and a due timer left behind run in close()'s iterations
runner = asyncio.Runner()
runner.run(main())
lp = runner.get_loop()
lp.call_soon(print, "ready callback ran")
lp.call_later(0, print, "due timer ran")
lp.call_later(3600, print, "late timer ran")
runner.close()
print("closed", lp.is_closed())

# a task factory sees close()'s two shutdown tasks; task names go on from there
calls = []
def factory(loop, coro, **kw):
    calls.append(type(coro).__name__)
    return asyncio.Task(coro, loop=loop, **kw)

runner = asyncio.Runner()
runner.run(main())
runner.get_loop().set_task_factory(factory)
runner.close()
print("factory calls", calls)

async def name():
    return asyncio.current_task().get_name()

first = asyncio.run(name())
second = asyncio.run(name())
print("names step by", int(second.split("-")[1]) - int(first.split("-")[1]))
