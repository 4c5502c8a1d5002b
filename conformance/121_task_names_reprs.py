# oracle: 3.13 — uncancel() back to 0 withdraws a cancellation not yet delivered
"""Task names and small Future/Task API edges: name= and set_name() store str(value) (None ->
'None', True -> 'True', [1, 2] -> '[1, 2]'); future reprs of several results; result() and
exception() of a cancelled task (the first await gets the message, later calls a fresh
CancelledError()); two cancel() calls (the first message wins once the waiter is cancelled,
the last one before the first step); cancel()+uncancel() before the first step lets the body
run (3.13); set_exception() with a non-exception."""
import asyncio
import re

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

def r(t):
    s = re.sub(r" coro=<\S+ (running|done)[^>]*>", "", repr(t))
    return re.sub(r" at [^\]>,]+:\d+", "", s)

async def noop():
    return None

async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(noop(), name=None)
    print("name=None auto:", t.get_name().startswith("Task-"))
    for v in (None, True, False, [1, 2], 1.5, 10**20, "x"):
        t.set_name(v)
        print("set_name", repr(v), "->", repr(t.get_name()))
    t2 = asyncio.create_task(noop(), name=True)
    print("name=True:", repr(t2.get_name()))
    t3 = asyncio.create_task(noop(), name=[1, 2])
    print("name=[1,2]:", repr(t3.get_name()))
    await asyncio.gather(t, t2, t3)
    # future reprs
    f = loop.create_future()
    f.set_exception(ValueError("a", 1))
    print(r(f)); f.exception()
    f = loop.create_future(); f.set_result(None); print(r(f))
    f = loop.create_future(); f.set_result([1] * 100); print(r(f))
    f = loop.create_future(); f.set_result("x" * 100); print(r(f))
    f = loop.create_future(); f.set_result({"a": 1, "b": [1, 2]}); print(r(f))
    f = loop.create_future(); f.set_result(True); print(r(f))
    f = loop.create_future(); f.cancel("msg"); print(r(f))
    f = loop.create_future(); f.set_exception(asyncio.CancelledError("c")); print(r(f), f.cancelled())
    try:
        f.result()
    except asyncio.CancelledError as e:
        print("result() of future with CancelledError exception:", exc_str(e))
    # task cancel then result/exception errors
    t = asyncio.create_task(noop(), name="T")
    t.cancel("why")
    print(r(t), t.cancelling())
    try:
        t.result()
    except asyncio.InvalidStateError as e:
        print("result() while cancelling:", exc_str(e))
    try:
        await t
    except asyncio.CancelledError as e:
        print("await cancelled task:", exc_str(e))
    for m in ("result", "exception"):
        try:
            getattr(t, m)()
        except asyncio.CancelledError as e:
            print(f"{m}() of cancelled task:", exc_str(e))
    print(r(t))
    # cancel() with non-string message
    t = asyncio.create_task(noop())
    t.cancel(5)
    try:
        await t
    except asyncio.CancelledError as e:
        print("cancel(5):", exc_str(e))
    # uncancel on done task
    print("uncancel on done:", t.uncancel(), t.cancelling())
    # cancel message from second cancel wins?
    async def waiter():
        await asyncio.sleep(10)
    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    print(t.cancel("first"), t.cancel("second"), t.cancelling())
    try:
        await t
    except asyncio.CancelledError as e:
        print("two cancels:", exc_str(e))
    t = asyncio.create_task(waiter())
    print(t.cancel("first"), t.cancel("second"), t.cancelling())
    try:
        await t
    except asyncio.CancelledError as e:
        print("two cancels before start:", exc_str(e))
    # cancel then uncancel before start: body runs (3.13)
    async def body():
        print("  body ran; cancelling:", asyncio.current_task().cancelling())
        return "ok"
    t = asyncio.create_task(body())
    t.cancel(); print("uncancel ->", t.uncancel())
    print("result:", await t)
    # cancel, cancel, uncancel: still cancelled
    t = asyncio.create_task(body())
    t.cancel(); t.cancel(); print("uncancel ->", t.uncancel())
    try:
        await t
    except asyncio.CancelledError as e:
        print("cancel x2 uncancel x1:", exc_str(e), t.cancelled())
    # exceptions
    f = loop.create_future()
    for bad in (42, "str", None):
        try:
            f.set_exception(bad)
        except TypeError as e:
            print(f"set_exception({bad!r}):", exc_str(e))


asyncio.run(main())
