# oracle: 3.13
"""wrap_future / _chain_future edges: the asyncio side completed by hand before the concurrent
future (the copy fails in a callback: what the exception handler gets), cancellation crossing
in both directions and when, done callback order on the concurrent future, a concurrent
InvalidStateError converted."""
import asyncio, re
import concurrent.futures as cf

def norm(s):
    return re.sub(r" at /\S+:\d+", "", re.sub(r"0x[0-9a-f]+", "0x?", str(s)))

loop = asyncio.new_event_loop()
def handler(lp, ctx):
    exc = ctx.get("exception")
    print("  handler:", norm(ctx["message"]), "|", type(exc).__name__, norm(repr(exc)))
loop.set_exception_handler(handler)

async def main():
    c = cf.Future(); a = asyncio.wrap_future(c)
    a.set_result("mine"); c.set_result("theirs")
    print("1. set by hand first; after set_result on cf:", a.result(), c.result())
    await asyncio.sleep(0)
    print("   one iteration later")
    await asyncio.sleep(0)

    c = cf.Future(); a = asyncio.wrap_future(c)
    a.set_exception(ValueError("a"))
    c.set_exception(KeyError("k"))
    await asyncio.sleep(0)
    print("2. asyncio side failed first:", repr(a.exception()), repr(c.exception()))

    c = cf.Future(); a = asyncio.wrap_future(c)
    print("3. cancel asyncio side:", a.cancel("why"), "| cf cancelled at once:", c.cancelled())
    await asyncio.sleep(0)
    print("   after one iteration:", c.cancelled(), c.done())

    c = cf.Future(); a = asyncio.wrap_future(c)
    print("4. cancel cf:", c.cancel(), "| asyncio cancelled at once:", a.cancelled())
    await asyncio.sleep(0)
    print("   after one iteration:", a.cancelled())
    try:
        a.result()
    except asyncio.CancelledError as e:
        print("   result():", type(e).__module__, type(e).__name__, e.args)

    c = cf.Future()
    order = []
    c.add_done_callback(lambda f: order.append("before"))
    a = asyncio.wrap_future(c)
    a.add_done_callback(lambda f: order.append("asyncio side"))
    c.add_done_callback(lambda f: order.append("after"))
    c.set_result(1)
    order.append("set_result returned")
    await asyncio.sleep(0)
    order.append("iteration 1")
    await asyncio.sleep(0)
    order.append("iteration 2")
    print("5. order:", order)

    c = cf.Future(); a = asyncio.wrap_future(c)
    c.set_exception(cf.InvalidStateError("bad"))
    try:
        await a
    except BaseException as e:
        print("6. InvalidStateError:", type(e).__module__, type(e).__name__, e.args)

    c = cf.Future(); a = asyncio.wrap_future(c)
    c.set_exception(cf.CancelledError("cc"))
    try:
        await a
    except BaseException as e:
        print("7. concurrent CancelledError set as exception:", type(e).__module__, type(e).__name__, e.args, "| a.cancelled():", a.cancelled())

    c = cf.Future(); c.set_result(3)
    a = asyncio.wrap_future(c)
    print("8. wrap of done cf: done at once:", a.done())
    await asyncio.sleep(0)
    print("   after one iteration:", a.done(), a.result())

    c = cf.Future(); c.cancel()
    a = asyncio.wrap_future(c)
    await asyncio.sleep(0)
    print("9. wrap of cancelled cf:", a.cancelled())

    c = cf.Future()
    c.set_running_or_notify_cancel()
    a = asyncio.wrap_future(c)
    a.cancel()
    await asyncio.sleep(0)
    print("10. running cf, asyncio cancelled:", c.cancelled(), c.running(), c.done())
    c.set_exception(ValueError("late"))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("    late exception dropped:", a.cancelled())

    c = cf.Future()
    other = asyncio.new_event_loop()
    a = asyncio.wrap_future(c, loop=other)
    c.set_result("x")
    await asyncio.sleep(0)
    print("11. wrapped on another loop (not running):", a.done(), a.get_loop() is other)
    other.close()
    c = cf.Future()
    a = asyncio.wrap_future(c, loop=other)
    print("12. wrap_future on a closed loop: returned", type(a).__name__)
    c.set_result(1)
    print("    after set_result:", a.done())

loop.run_until_complete(main())
loop.close()
