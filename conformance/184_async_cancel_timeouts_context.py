"""nested timeouts, wait_for on a task that swallows its cancellation, shield,
cancel messages through an await chain, uncancel, double cancel, context variables across
gathered tasks and a task given a context, wait_for timing out a coroutine, timeout reschedule."""
import asyncio
import contextvars

cv = contextvars.ContextVar("cv", default="unset")

async def slow(name, d):
    try:
        await asyncio.sleep(d)
        print(name, "finished")
        return name
    except asyncio.CancelledError as e:
        print(name, "cancelled", e.args, asyncio.current_task().cancelling())
        raise
    finally:
        print(name, "finally")

async def swallower():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("swallowed, cancelling =", asyncio.current_task().cancelling())
    await asyncio.sleep(0)
    print("swallower continues")
    return "swallower result"

async def uncancel_user():
    t = asyncio.current_task()
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("uncancel ->", t.uncancel())
    await asyncio.sleep(0.01)
    return "uncancelled ok"

async def ctx_task(v):
    print("task sees", cv.get())
    cv.set(v)
    await asyncio.sleep(0)
    print("task after set", cv.get())
    return cv.get()

async def main():
    loop = asyncio.get_running_loop()
    # nested timeouts: inner expires first
    try:
        async with asyncio.timeout(0.5) as outer:
            try:
                async with asyncio.timeout(0.1) as inner:
                    await slow("n1", 1)
            except TimeoutError:
                print("inner timeout", inner.expired(), outer.expired())
            await slow("n2", 1)
    except TimeoutError:
        print("outer timeout", outer.expired(), asyncio.current_task().cancelling())
    # wait_for on a task that swallows
    t = asyncio.create_task(swallower())
    try:
        r = await asyncio.wait_for(t, 0.05)
        print("wait_for returned", r)
    except TimeoutError:
        print("wait_for timeout", t.done())
    print("t:", t.result() if t.done() and not t.cancelled() else t)
    # shield: outer cancelled, inner keeps going
    inner = asyncio.create_task(slow("sh", 0.1))
    async def sh():
        return await asyncio.shield(inner)
    outer = asyncio.create_task(sh())
    await asyncio.sleep(0)
    outer.cancel("outer msg")
    try:
        await outer
    except asyncio.CancelledError as e:
        print("outer cancelled", e.args)
    print("inner result", await inner)
    # cancel message through a chain
    async def chain():
        return await slow("chain", 1)
    c = asyncio.create_task(chain())
    await asyncio.sleep(0.01)
    c.cancel("chain msg")
    try:
        await c
    except asyncio.CancelledError as e:
        print("chain cancelled", e.args)
    # uncancel
    u = asyncio.create_task(uncancel_user())
    await asyncio.sleep(0)
    u.cancel()
    print("u", await u, u.cancelling())
    # cancel twice, counts
    d = asyncio.create_task(slow("twice", 1))
    await asyncio.sleep(0)
    d.cancel("first"); d.cancel("second")
    print("cancelling", d.cancelling())
    try:
        await d
    except asyncio.CancelledError as e:
        print("twice", e.args)
    # contextvars
    cv.set("main")
    r = await asyncio.gather(ctx_task("t1"), ctx_task("t2"))
    print("gather ctx", r, "main still", cv.get())
    ctx = contextvars.copy_context()
    ctx.run(cv.set, "custom")
    r = await asyncio.create_task(ctx_task("t3"), context=ctx)
    print("custom ctx", r, ctx.get(cv), cv.get())
    # wait_for timeout on coroutine with cleanup
    try:
        await asyncio.wait_for(slow("wf", 1), 0.05)
    except TimeoutError as e:
        print("wait_for timed out", repr(e))
    # timeout reschedule
    async with asyncio.timeout(None) as cm:
        cm.reschedule(loop.time() + 5)
        await asyncio.sleep(0.01)
        print("reschedule ok", cm.expired())

asyncio.run(main())
