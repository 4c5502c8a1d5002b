"""asyncio.shield(). Mirrors test_tasks test_shield_result, test_shield_exception,
test_shield_cancel_inner, test_shield_cancel_outer, test_shield_shortcut, test_shield_effect,
test_shield_gather, test_gather_shield, test_shield_coroutine_use_global_loop."""
import asyncio

log = []

async def main():
    loop = asyncio.get_running_loop()

    # 1. result and exception pass through; the outer future is a new plain Future
    inner = loop.create_future()
    outer = asyncio.shield(inner)
    print("1. outer is inner:", outer is inner, "| type:", type(outer).__name__)
    inner.set_result(42)
    print("1. result ->", await outer)
    inner = loop.create_future()
    outer = asyncio.shield(inner)
    inner.set_exception(KeyError("k"))
    try:
        await outer
    except KeyError as e:
        print("1. exception ->", repr(e))

    # 2. inner cancelled -> outer cancelled
    inner = loop.create_future()
    outer = asyncio.shield(inner)
    inner.cancel("inner msg")
    await asyncio.sleep(0)
    print("2. inner cancelled -> outer cancelled:", outer.cancelled())

    # 3. outer cancelled -> inner untouched; shield stops listening to it
    inner = loop.create_future()
    outer = asyncio.shield(inner)
    print("3. outer.cancel() ->", outer.cancel())
    await asyncio.sleep(0)
    print("3. inner cancelled:", inner.cancelled(), "| inner done:", inner.done())
    reported = []
    loop.set_exception_handler(lambda l, ctx: reported.append(ctx["message"]))
    inner.set_exception(ValueError("nobody listens"))
    await asyncio.sleep(0)
    del inner, outer
    import gc; gc.collect()
    print("3. an exception set on inner later is nobody's: reported when collected:", reported)
    reported.clear()

    # ... but an outcome that arrives in the same iteration as the cancel is marked retrieved
    inner = loop.create_future()
    outer = asyncio.shield(inner)
    inner.set_exception(ValueError("dropped"))
    outer.cancel()
    await asyncio.sleep(0)
    del inner, outer
    gc.collect()
    print("3. same-iteration outcome dropped silently (not reported):", reported)
    loop.set_exception_handler(None)

    # 4. shortcut: a done future is returned as is
    done = loop.create_future()
    done.set_result(1)
    print("4. shield(done) is done:", asyncio.shield(done) is done)

    # 5. cancelling the caller of `await shield(t)`: the caller gets CancelledError, t completes
    async def work():
        await asyncio.sleep(0.02)
        log.append("work completed")
        return "work result"
    t = asyncio.create_task(work())
    async def caller():
        return await asyncio.shield(t)
    c = asyncio.create_task(caller())
    await asyncio.sleep(0.01)
    c.cancel("caller msg")
    try:
        await c
    except asyncio.CancelledError as e:
        print("5. caller cancelled", e.args, "| t cancelled:", t.cancelled(), "| t done:", t.done())
    print("5. t result later:", await t, "| log:", log); log.clear()

    # 6. shield(coroutine) wraps it in a task; shield(gather(...)) keeps the gather running
    async def one(v):
        await asyncio.sleep(0.01)
        return v
    s = asyncio.shield(one("coro value"))
    print("6. shield(coroutine) type:", type(s).__name__, "->", await s)
    g = asyncio.gather(one(1), one(2))
    outer = asyncio.shield(g)
    outer.cancel()
    await asyncio.sleep(0)
    print("6. shield(gather): outer cancelled", outer.cancelled(), "| gather ->", await g)

    # 7. gather of shields: cancelling the gather cancels the shields, not the inner tasks
    t1 = asyncio.create_task(one("t1"))
    t2 = asyncio.create_task(one("t2"))
    g = asyncio.gather(asyncio.shield(t1), asyncio.shield(t2))
    await asyncio.sleep(0)
    print("7. gather.cancel() ->", g.cancel())
    try:
        await g
    except asyncio.CancelledError:
        print("7. gather raised CancelledError | inner tasks cancelled:", t1.cancelled(), t2.cancelled())
    print("7. inner results:", await t1, await t2)

asyncio.run(main())
