# oracle: 3.13
import asyncio
class Duck:
    _asyncio_future_blocking = False
    def __init__(self, loop): self._lp = loop; self._cbs = []; self._done = False
    def get_loop(self): return self._lp
    def add_done_callback(self, fn, *, context=None): self._cbs.append(fn)
    def remove_done_callback(self, fn): return 0
    def cancel(self, msg=None): return False
    def cancelled(self): return False
    def done(self): return self._done
    def result(self): return "duck"
    def exception(self): return None
    def __await__(self):
        if not self._done:
            self._asyncio_future_blocking = True
            yield self
        return self.result()
    def set(self):
        self._done = True
        for fn in self._cbs: self._lp.call_soon(fn, self)

async def main():
    loop = asyncio.get_running_loop()
    d = Duck(loop)
    loop.call_soon(d.set)
    print("gather(duck):", await asyncio.gather(d))
    d = Duck(loop)
    loop.call_soon(d.set)
    print("shield(duck):", await asyncio.shield(d))
asyncio.run(main())
