# oracle: 3.13
"""gather() with long argument lists that repeat the same awaitables: every repeat is awaited
once and its result appears at each of its positions; a done future among them; a failing
repeated future; cancelling the gather; a TypeError part-way through the arguments leaves the
futures usable by the next gather; a gather started by an eager task inside another gather's
set-up, over the same futures."""
import asyncio

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

async def main():
    loop = asyncio.get_running_loop()
    runs = []
    async def job(i):
        runs.append(i)
        await asyncio.sleep(0.01 * (i % 3))
        return i * 10
    futs = [loop.create_future() for _ in range(20)]
    coros = [job(i) for i in range(5)]
    done = loop.create_future(); done.set_result("done")
    args = futs + coros + [done] + futs[::-1] + coros + [done]
    g = asyncio.gather(*args)
    loop.call_later(0.05, lambda: [f.set_result(i) for i, f in enumerate(futs)])
    res = await g
    print("results:", res)
    print("runs:", sorted(runs), "| args:", len(args), "results:", len(res))

    # a repeated future fails (no return_exceptions): the gather fails once
    futs = [loop.create_future() for _ in range(18)]
    g = asyncio.gather(*(futs + futs))
    futs[3].set_exception(ValueError("bad"))
    try:
        await g
    except ValueError as e:
        print("failing repeat:", exc_str(e))
    for i, f in enumerate(futs):
        if not f.done():
            f.set_result(i)
    await asyncio.sleep(0)
    # with return_exceptions
    futs = [loop.create_future() for _ in range(18)]
    g = asyncio.gather(*(futs + futs), return_exceptions=True)
    for i, f in enumerate(futs):
        if i == 4:
            f.set_exception(KeyError("k"))
        elif i == 5:
            f.cancel("msg")
        else:
            f.set_result(i)
    res = await g
    print("return_exceptions:", [exc_str(r) if isinstance(r, BaseException) else r for r in res])

    # cancelling the gather cancels each distinct child once
    futs = [loop.create_future() for _ in range(17)]
    g = asyncio.gather(*(futs + futs + futs[:3]))
    print("cancel:", g.cancel("stop"), "| children cancelled:", sum(f.cancelled() for f in futs))
    try:
        await g
    except asyncio.CancelledError as e:
        print("gather cancelled:", exc_str(e), g.cancelled())

    # a TypeError part-way: the futures already seen are usable by the next gather
    futs = [loop.create_future() for _ in range(20)]
    try:
        asyncio.gather(*futs[:10], 42, *futs)
    except TypeError as e:
        print("bad argument:", exc_str(e))
    g = asyncio.gather(*(futs + futs))
    for i, f in enumerate(futs[10:], 10):
        f.set_result(-i)
    await asyncio.sleep(0)
    print("half of them set, gather done:", g.done())
    for i, f in enumerate(futs[:10]):
        f.set_result(-i)
    res = await g
    print("after the error:", res[:3], res[20:23], len(res))

    # an eager task's first step gathers the same futures during the outer gather's set-up
    loop.set_task_factory(asyncio.eager_task_factory)
    futs = [loop.create_future() for _ in range(20)]
    inner = []
    async def starter():
        inner.append(asyncio.gather(*futs, *futs))
        return "started"
    outer = asyncio.gather(*futs, starter(), *futs)
    loop.call_later(0.01, lambda: [f.set_result(i) for i, f in enumerate(futs)])
    res = await outer
    await asyncio.sleep(0)
    print("outer:", res[18:23], len(res), "| inner done:", inner[0].done(), inner[0].result()[18:22])
    loop.set_task_factory(None)

asyncio.run(main())
