"""Remaining Future behaviours (catalogue 1.19-1.24, 1.26): which loop a Future() made
without one binds to (and the error with no current loop), stepping `yield from fut` by hand
twice, no unretrieved-exception report after cancel() of a failed future, reprs of results."""
import asyncio
import gc


def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
print("Future() outside a running loop binds to the current loop:", asyncio.Future().get_loop() is loop)
asyncio.set_event_loop(None)
try:
    asyncio.Future()
except RuntimeError as e:
    print("Future() with no current loop:", exc_str(e))
asyncio.set_event_loop(loop)


async def inside():
    return asyncio.Future().get_loop() is asyncio.get_running_loop()
print("Future() inside a running loop binds to it:", loop.run_until_complete(inside()))

# 1.21 `yield from fut` stepped by hand: the first yields the future, the second does not
fut = loop.create_future()
def gen():
    x = yield from fut
    y = yield from fut
    return x, y
g = gen()
print("first step yields the future:", next(g) is fut)
fut.set_result("v")
try:
    next(g)
except StopIteration as e:
    print("second step finishes without yielding:", e.value)

# 1.26 cancel() after set_exception() clears the report (and returns False)
events = []
loop.set_exception_handler(lambda lp, ctx: events.append(ctx["message"]))
def failed_then_cancelled():
    f = loop.create_future()
    f.set_exception(RuntimeError("boom"))
    return f.cancel()
print("cancel() after set_exception:", failed_then_cancelled())
gc.collect()
print("reported:", events)
def failed_and_dropped():
    f = loop.create_future()
    f.set_exception(RuntimeError("boom"))
failed_and_dropped()
gc.collect()
print("reported after dropping an unread failed future:", events)

# result reprs
for v in ("abc", [1, "two"], None, 1.5, True, "x" * 40):
    f = loop.create_future()
    f.set_result(v)
    print("repr:", repr(f))
f = loop.create_future()
f.set_exception(ValueError("multi", 2))
print("repr:", repr(f))
f.exception()
asyncio.set_event_loop(None)
loop.close()
