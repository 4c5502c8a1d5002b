"""gather() and cancellation: a cancelled child with return_exceptions=False ends the gather
with that CancelledError as an *exception* (outer.cancelled() is False) and leaves the other
children running; return_exceptions=True puts CancelledError(msg) in the results; cancelling
the gather cancels the unfinished children (returns True if any accepted) and always ends it
with CancelledError (also with return_exceptions=True and when a child swallows the
cancellation, issue 32684); cancel() from the last child's done callback loses (bpo-26923);
cancelling the task that awaits a gather cancels the children; futures of two loops are a
ValueError. Mirrors test_tasks GatherTestsBase test_one_cancellation,
test_result_exception_one_cancellation, test_cancellation_broadcast, test_cancel_gather_1/2,
test_exception_marking, test_constructor_heterogenous_futures."""
import asyncio

log = []

async def child(tag, d, swallow=False):
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError as e:
        log.append(f"{tag} cancelled{e.args}")
        if swallow:
            return f"{tag} swallowed"
        raise
    log.append(f"{tag} done")
    return tag

async def main():
    loop = asyncio.get_running_loop()

    # 1. a cancelled child, return_exceptions=False
    a = asyncio.create_task(child("a", 0.01))
    b = asyncio.create_task(child("b", 0.05))
    g = asyncio.gather(a, b)
    await asyncio.sleep(0)
    a.cancel("child msg")
    try:
        await g
    except asyncio.CancelledError as e:
        print("1. gather raised CancelledError", e.args, "| g.cancelled():", g.cancelled(),
              "| g.done():", g.done(), "| b still running:", not b.done())
    print("1. g.exception():", repr(g.exception()))
    print("1. b result later:", await b, "| log:", log); log.clear()

    # 2. a cancelled child, return_exceptions=True: CancelledError in the results
    f1 = loop.create_future()
    f2 = loop.create_future()
    f3 = loop.create_future()
    g = asyncio.gather(f1, f2, f3, return_exceptions=True)
    f1.set_result(1)
    f2.cancel("fut msg")
    f3.cancel()
    print("2. results:", await g)
    t = asyncio.create_task(child("t", 1))
    await asyncio.sleep(0)
    t.cancel("task msg")
    print("2. a cancelled task contributes:", await asyncio.gather(t, return_exceptions=True), "| log:", log); log.clear()

    # 3. outer.cancel(msg) broadcasts to the children that are not done
    a = asyncio.create_task(child("a", 0.01))
    b = asyncio.create_task(child("b", 1))
    done_fut = loop.create_future()
    done_fut.set_result("early")
    g = asyncio.gather(a, b, done_fut)
    await asyncio.sleep(0.02)
    print("3. a done before cancel:", a.done(), "| cancel('outer msg') ->", g.cancel("outer msg"))
    try:
        await g
    except asyncio.CancelledError as e:
        print("3. await gather -> CancelledError", e.args, "| g.cancelled():", g.cancelled(),
              "| a cancelled:", a.cancelled(), "| b cancelled:", b.cancelled())
    print("3. cancel() again ->", g.cancel(), "| log:", log); log.clear()

    # 4. all children already done: cancel() returns False, gather keeps its result
    f = loop.create_future()
    g = asyncio.gather(f)
    f.set_result(7)
    print("4. cancel() with every child done ->", g.cancel(), "| result:", await g)

    # 5. return_exceptions=True: cancelling the gather still raises CancelledError (32684)
    a = asyncio.create_task(child("a", 1))
    g = asyncio.gather(a, return_exceptions=True)
    await asyncio.sleep(0)
    print("5. cancel() ->", g.cancel("rx msg"))
    try:
        print("5. returned", await g)
    except asyncio.CancelledError as e:
        print("5. return_exceptions=True still raises CancelledError", e.args, "| g.cancelled():", g.cancelled())
    log.clear()

    # 6. a child swallows the cancellation: the request is remembered
    a = asyncio.create_task(child("a", 1, swallow=True))
    b = asyncio.create_task(child("b", 1, swallow=True))
    g = asyncio.gather(a, b, return_exceptions=True)
    await asyncio.sleep(0)
    print("6. cancel() ->", g.cancel("swallowed msg"))
    try:
        print("6. returned", await g)
    except asyncio.CancelledError as e:
        print("6. still CancelledError", e.args, "| children results:", a.result(), "/", b.result())
    a = asyncio.create_task(child("a", 1, swallow=True))
    g = asyncio.gather(a)
    await asyncio.sleep(0)
    g.cancel("m")
    try:
        print("6. returned", await g)
    except asyncio.CancelledError as e:
        print("6. return_exceptions=False, swallowed:", "CancelledError", e.args, "| log:", log)
    log.clear()

    # 7. bpo-26923: gather.cancel() from the done callback of the last child
    fut = loop.create_future()
    g = asyncio.gather(fut)
    results = []
    fut.add_done_callback(lambda f: results.append(("cancel in callback ->", g.cancel())))
    fut.set_result(42)
    print("7. result:", await g, results)

    # 8. cancelling the task that awaits a gather cancels the children
    a = asyncio.create_task(child("a", 1))
    b = asyncio.create_task(child("b", 1))
    async def waiter():
        return await asyncio.gather(a, b)
    w = asyncio.create_task(waiter())
    await asyncio.sleep(0.01)
    w.cancel("waiter msg")
    try:
        await w
    except asyncio.CancelledError as e:
        print("8. waiter cancelled", e.args, "| children cancelled:", a.cancelled(), b.cancelled(), "| log:", log)
    log.clear()

    # 9. first error wins; a later cancellation of a sibling changes nothing
    a = asyncio.create_task(child("a", 0.01))
    b = asyncio.create_task(child("b", 1))
    async def boom():
        await asyncio.sleep(0)
        raise ValueError("boom")
    g = asyncio.gather(a, boom(), b)
    try:
        await g
    except ValueError as e:
        print("9. ValueError", e.args, "| a done:", a.done(), "| b done:", b.done())
    print("9. cancel() after the gather is done ->", g.cancel(), "| b cancelled:", b.cancelled())
    b.cancel()
    await asyncio.sleep(0.02)
    log.clear()

    # 10. futures of two loops
    other = asyncio.new_event_loop()
    try:
        asyncio.gather(loop.create_future(), other.create_future())
    except ValueError as e:
        print("10. two loops:", e)
    other.close()

asyncio.run(main())
