# oracle: 3.13
"""A Future subclass that overrides add_done_callback/result/exception/cancelled/done: which of its methods await, wait_for, gather, shield and wait call (CPython takes its shortcuts for exact Futures only); a future that starts its work when a callback is added."""
import asyncio
log = []
class MyFut(asyncio.Future):
    def add_done_callback(self, fn, *, context=None):
        log.append("adc"); return super().add_done_callback(fn, context=context)
    def result(self):
        log.append("result()"); return super().result()
    def done(self):
        log.append("done()"); return super().done()
    def exception(self):
        log.append("exception()"); return super().exception()
    def cancelled(self):
        log.append("cancelled()"); return super().cancelled()

async def main():
    loop = asyncio.get_running_loop()
    f = MyFut(); loop.call_soon(f.set_result, 1)
    r = await f
    print("await", r, log); log.clear()
    f = MyFut(); loop.call_soon(f.set_result, 1)
    r = await asyncio.wait_for(f, 1)
    print("wait_for", r, log); log.clear()
    f = MyFut(); loop.call_soon(f.set_result, 1)
    r = await asyncio.gather(f)
    print("gather", r, log); log.clear()
    f = MyFut(); loop.call_soon(f.set_result, 1)
    r = await asyncio.shield(f)
    print("shield", r, log); log.clear()
    f = MyFut(); loop.call_soon(f.set_result, 1)
    d, p = await asyncio.wait([f])
    print("wait", len(d), log); log.clear()
    f = MyFut(); f.set_result(2)
    r = await f
    print("await done", r, log); log.clear()
asyncio.run(main())
async def gmain():
    loop = asyncio.get_running_loop()
    f = MyFut(); loop.call_soon(f.set_result, 1)
    r = await f
    print("gen await", r, log); log.clear()
asyncio.run(gmain())
class LazyFut(asyncio.Future):
    started = False
    def add_done_callback(self, fn, *, context=None):
        if not self.started:
            self.started = True
            self.get_loop().call_later(0.01, self.set_result, "lazy-done")
        return super().add_done_callback(fn, context=context)

async def lazy_main():
    print("await:", await LazyFut())
    print("wait_for:", await asyncio.wait_for(LazyFut(), 1))
    try:
        async with asyncio.timeout(1):
            print("in timeout:", await LazyFut())
    except TimeoutError:
        print("timeout!")
asyncio.run(lazy_main())
