# oracle: 3.13
"""Library methods that call an overridable method (await self.acquire(), self.wait(),
self.readuntil(), self.readline(), self.read(), a queue's get(), to_thread()'s
loop.run_in_executor()) await what a subclass's
override returns: an async override works, a non-awaitable result is a TypeError."""
import asyncio


class L(asyncio.Lock):
    async def acquire(self):
        print("L.acquire")
        return await super().acquire()


class C(asyncio.Condition):
    async def wait(self):
        print("C.wait")
        return await super().wait()


class S(asyncio.Semaphore):
    async def acquire(self):
        print("S.acquire")
        return await super().acquire()


class Q(asyncio.Queue):
    async def get(self):
        v = await super().get()
        print("Q.get", v)
        return v


class R(asyncio.StreamReader):
    async def readuntil(self, separator=b"\n"):
        print("R.readuntil", separator)
        return await super().readuntil(separator)

    async def readline(self):
        print("R.readline")
        return await super().readline()

    async def read(self, n=-1):
        print("R.read", n)
        return await super().read(n)


class Bad(asyncio.Lock):
    def acquire(self):
        return True


async def items(q):
    while True:
        try:
            yield await q.get()
        except asyncio.QueueShutDown:
            return


async def main():
    lock = L()
    async with lock:
        print("in lock", lock.locked())

    cond = asyncio.Condition(lock)

    async def notifier():
        async with cond:
            cond.notify_all()

    async with cond:
        t = asyncio.create_task(notifier())
        print("wait", await cond.wait())
    await t

    c2 = C()
    flag = []

    async def setter():
        await asyncio.sleep(0)
        async with c2:
            flag.append(1)
            c2.notify_all()

    async with c2:
        t = asyncio.create_task(setter())
        print("wait_for", await c2.wait_for(lambda: flag))
    await t

    s = S(1)
    async with s:
        print("in sem", s.locked())

    q = Q()
    for i in range(2):
        q.put_nowait(i)
    q.shutdown()
    async for v in items(q):
        print("item", v)

    r = R(limit=4)
    r.feed_data(b"ab\ncd\nef")
    r.feed_eof()
    print("readline", await r.readline())
    print("anext", await r.__anext__())
    print("read", await r.read(-1))

    try:
        async with Bad():
            print("not reached")
    except TypeError as e:
        print("TypeError", e)


asyncio.run(main())


class MyLoop(asyncio.SelectorEventLoop):
    async def run_in_executor(self, executor, func, *args):
        print("MyLoop.run_in_executor")
        return await super().run_in_executor(executor, func, *args)


async def threads():
    print("to_thread", await asyncio.to_thread(sum, [1, 2, 3]))


asyncio.run(threads(), loop_factory=MyLoop)
