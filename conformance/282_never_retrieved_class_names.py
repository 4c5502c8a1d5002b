# oracle: 3.13
"""'... exception was never retrieved' names the future's class (type(self).__name__): a Future
or Task subclass, asyncio's own _GatheringFuture; loop_factory may be a loop class."""
import asyncio
import gc


class MyFut(asyncio.Future):
    pass


class MyTask(asyncio.Task):
    pass


async def bad():
    raise KeyError("k")


async def main():
    loop = asyncio.get_running_loop()
    messages = []
    loop.set_exception_handler(lambda l, c: messages.append(c["message"]))

    def make():
        MyFut(loop=loop).set_exception(ValueError("sub"))
        asyncio.Future(loop=loop).set_exception(ValueError("plain"))
        MyTask(bad(), loop=loop)
        asyncio.gather(bad())

    make()
    for _ in range(3):
        await asyncio.sleep(0)
    gc.collect()
    await asyncio.sleep(0.01)
    for m in sorted(messages):
        print(m)


asyncio.run(main())
print("loop class as factory:", asyncio.run(asyncio.sleep(0, "ok"), loop_factory=asyncio.EventLoop))
