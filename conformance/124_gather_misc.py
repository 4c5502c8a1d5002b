# oracle: 3.13 — as_completed() rejects a non-iterable at once and is an async iterator; wait_for() awaits its argument inside timeout() (so a non-awaitable is "can't be used in 'await' expression")
"""gather/shield/wait_for/ensure_future/as_completed odds and ends (catalogue 3, 5, 6, 7, 17):
gather of already-done futures completes at once (also with an exception), its type, empty
gather; TypeError messages for non-awaitables (wait_for's is the await expression's);
as_completed async iteration with a timeout, a failing item, exhaustion, empty input; shield
of a cancelled inner; gather cancelled with a message under return_exceptions=True; a child
cancelled with a message; wait_for on done futures with timeout 0, in time, and timing out."""
import asyncio

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

async def main():
    loop = asyncio.get_running_loop()
    async def ok(d, v):
        await asyncio.sleep(d)
        return v
    async def fail(d, msg):
        await asyncio.sleep(d)
        raise ValueError(msg)
    # gather of already-done futures completes at once
    f1 = loop.create_future(); f1.set_result(1)
    f2 = loop.create_future(); f2.set_exception(ValueError("e"))
    g = asyncio.gather(f1, f1)
    print("gather of done futures:", g.done(), g.result())
    g = asyncio.gather(f1, f2, return_exceptions=True)
    print("with exception, return_exceptions:", g.done(), g.result())
    g = asyncio.gather(f1, f2)
    print("with exception:", g.done(), exc_str(g.exception()))
    print("type:", type(g).__name__, "| cancel done gather:", g.cancel())
    # gather() empty
    g = asyncio.gather()
    print("empty:", g.done(), g.result(), type(g).__name__)
    # bad args
    for bad in (1, None, "s"):
        try:
            asyncio.gather(bad)
        except TypeError as e:
            print(f"gather({bad!r}):", exc_str(e))
    for bad in (1, None):
        try:
            asyncio.shield(bad)
        except TypeError as e:
            print(f"shield({bad!r}):", exc_str(e))
        try:
            await asyncio.wait_for(bad, 1)
        except TypeError as e:
            print(f"wait_for({bad!r}):", exc_str(e))
        try:
            asyncio.ensure_future(bad)
        except TypeError as e:
            print(f"ensure_future({bad!r}):", exc_str(e))
    try:
        asyncio.as_completed(5)
    except TypeError as e:
        print("as_completed(5):", exc_str(e))
    try:
        for x in asyncio.as_completed([1]):
            pass
    except TypeError as e:
        print("as_completed([1]):", exc_str(e))
    # as_completed async iteration with a timeout
    t1 = asyncio.create_task(ok(0.01, "a"))
    t2 = asyncio.create_task(ok(1, "b"))
    got = []
    try:
        async for t in asyncio.as_completed([t1, t2], timeout=0.1):
            got.append(t.result())
    except TimeoutError as e:
        print("async as_completed timeout:", exc_str(e), got, t2.done())
    t2.cancel()
    # as_completed: iterating past the end / failing
    t1 = asyncio.create_task(fail(0.01, "x"))
    it = asyncio.as_completed([t1])
    try:
        await next(it)
    except ValueError as e:
        print("as_completed failing:", exc_str(e))
    print("exhausted:", next(it, "END"))
    it = asyncio.as_completed([])
    print("empty as_completed:", list(it))
    # shield of a cancelled inner
    inner = loop.create_future()
    outer = asyncio.shield(inner)
    inner.cancel("inner msg")
    try:
        await outer
    except asyncio.CancelledError as e:
        print("shield inner cancelled:", exc_str(e), outer.cancelled())
    # gather: cancel with message while children pending, return_exceptions=True
    a = asyncio.create_task(ok(1, "a"))
    b = asyncio.create_task(ok(1, "b"))
    g = asyncio.gather(a, b, return_exceptions=True)
    await asyncio.sleep(0)
    print("cancel gather:", g.cancel("stop"))
    try:
        await g
    except asyncio.CancelledError as e:
        print("gather cancelled:", exc_str(e), g.cancelled(), a.cancelled())
    # gather: child cancelled with message, return_exceptions=False
    a = asyncio.create_task(ok(1, "a"))
    b = asyncio.create_task(ok(0.01, "b"))
    g = asyncio.gather(a, b)
    await asyncio.sleep(0)
    a.cancel("child msg")
    try:
        await g
    except asyncio.CancelledError as e:
        print("child cancelled:", exc_str(e), g.cancelled(), b.done())
    await b
    # wait_for a done future with timeout 0
    print("wait_for done, timeout 0:", await asyncio.wait_for(f1, 0))
    try:
        await asyncio.wait_for(f2, 0)
    except ValueError as e:
        print("wait_for failed done, timeout 0:", exc_str(e))
    # wait_for with a timeout on a future that gets a result just as it times out
    fut = loop.create_future()
    loop.call_later(0.01, fut.set_result, "in time")
    print("wait_for:", await asyncio.wait_for(fut, 1))
    fut = loop.create_future()
    try:
        await asyncio.wait_for(fut, 0.01)
    except TimeoutError as e:
        print("wait_for timeout:", exc_str(e), fut.cancelled(), type(e.__cause__).__name__)

asyncio.run(main())
