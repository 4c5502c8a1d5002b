# oracle: 3.13
import asyncio, re

def clean(s):
    s = re.sub(r" coro=<\S+ (running|done)[^>]*>", "", s)
    return re.sub(r" at [^\]>,]+:\d+", "", s)

log = []

class Duck:
    _asyncio_future_blocking = False
    def __init__(self, loop, tag):
        self._lp = loop; self._cbs = []; self._done = False; self._res = None; self.tag = tag; self._cancelled = False
    def get_loop(self):
        log.append(f"{self.tag}.get_loop")
        return self._lp
    def add_done_callback(self, fn, *, context=None):
        log.append(f"{self.tag}.add_done_callback(context given: {context is not None})")
        self._cbs.append((fn, context))
    def remove_done_callback(self, fn):
        return 0
    def cancel(self, msg=None):
        log.append(f"{self.tag}.cancel({msg!r})")
        if self._done:
            return False
        self._cancelled = True
        self._fire()
        return True
    def cancelled(self):
        return self._cancelled
    def done(self):
        return self._done or self._cancelled
    def result(self):
        log.append(f"{self.tag}.result")
        if self._cancelled:
            raise asyncio.CancelledError("duck-cancelled")
        return self._res
    def exception(self):
        return None
    def __await__(self):
        if not self.done():
            self._asyncio_future_blocking = True
            yield self
        return self.result()
    def _fire(self):
        for fn, ctx in self._cbs:
            self._lp.call_soon(fn, self, context=ctx)
    def set(self, v):
        self._done = True; self._res = v
        log.append(f"{self.tag}.set")
        self._fire()
    def __repr__(self):
        return f"<Duck {self.tag}>"

async def scen(tag):
    loop = asyncio.get_running_loop()
    P = lambda *a: print(f"[{tag}]", *a)
    d = Duck(loop, "d1")
    P("isfuture(duck):", asyncio.isfuture(d))
    async def w():
        v = await d
        log.append(f"task got {v!r}")
        return v
    t = asyncio.create_task(w(), name="W")
    await asyncio.sleep(0)
    P("1 after first step:", log, "| repr:", clean(repr(t)))
    log.clear()
    loop.call_soon(d.set, "duck-value")
    log.append("before await t")
    r = await t
    P("1 result:", r, log)
    log.clear()

    # cancel a task waiting on a duck
    d = Duck(loop, "d2")
    t = asyncio.create_task(w2(d), name="W2")
    await asyncio.sleep(0)
    log.clear()
    P("2 cancel:", t.cancel("stop"))
    try:
        await t
    except asyncio.CancelledError as e:
        P("2 awaiter:", repr(e.args), log, t.cancelled())
    log.clear()

    # duck of another loop
    other = asyncio.new_event_loop()
    d = Duck(other, "d3")
    t = asyncio.create_task(w2(d), name="W3")
    try:
        await t
    except RuntimeError as e:
        P("3 other loop:", clean(str(e)), log)
    log.clear()
    other.close()

    # ensure_future(duck) returns it as is
    d = Duck(loop, "d4")
    P("4 ensure_future(duck) is duck:", asyncio.ensure_future(d) is d, log)
    log.clear()
    # wait_for / gather with a duck
    d = Duck(loop, "d5")
    loop.call_soon(d.set, 55)
    await d
    log.clear()
    d = Duck(loop, "d6")
    loop.call_soon(d.set, 66)
    done, pending = await asyncio.wait([d])
    P("6 wait:", len(done), len(pending), d in done)
    d = Duck(loop, "d7")
    loop.call_soon(d.set, 77)
    P("7 shield:", await asyncio.shield(d))
    d = Duck(loop, "d8")
    loop.call_soon(d.set, 88)
    P("8 wait_for:", await asyncio.wait_for(d, 1))
    d = Duck(loop, "d9")
    loop.call_soon(d.set, 99)
    P("9 as_completed:", [await f for f in asyncio.as_completed([d])])
    log.clear()

async def w2(d):
    try:
        v = await d
        log.append(f"w2 got {v!r}")
    except asyncio.CancelledError as e:
        log.append(f"w2 cancelled {e.args!r}")
        raise

asyncio.run(scen("gen"))
asyncio.run(scen("async"))
