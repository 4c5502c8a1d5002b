# oracle: 3.13 — as_completed() returns an iterator that is also an async iterator of the original futures, and rejects a single awaitable at once (gh-77714)
"""as_completed() (3.13: plain iterator of coroutines + async iterator of futures). Mirrors test_tasks
test_as_completed, test_as_completed_with_timeout, test_as_completed_with_unused_timeout,
test_as_completed_reverse_wait, test_as_completed_duplicate_coroutines,
test_as_completed_invalid_args."""
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    async def sleeper(d, v, exc=None):
        await asyncio.sleep(d)
        if exc:
            raise exc
        return v

    # completion order
    out = []
    for f in asyncio.as_completed([sleeper(0.03, "c"), sleeper(0.01, "a"), sleeper(0.02, "b")]):
        out.append(await f)
    print("completion order:", out)

    # exceptions are raised by the awaitable of the failing one, in completion order
    out = []
    for f in asyncio.as_completed([sleeper(0.02, "ok"), sleeper(0.01, None, ValueError("x"))]):
        try:
            out.append(await f)
        except ValueError as e:
            out.append(f"ValueError{e.args}")
    print("with exception:", out)

    # timeout: items not done by the deadline raise TimeoutError (one per remaining item)
    a = asyncio.create_task(sleeper(0.01, "a"))
    b = asyncio.create_task(sleeper(0.5, "b"))
    out = []
    for f in asyncio.as_completed([a, b], timeout=0.1):
        try:
            out.append(await f)
        except TimeoutError as e:
            out.append(f"TimeoutError{e.args}")
    print("timeout:", out, "| b cancelled by as_completed?", b.cancelled())
    b.cancel()

    # the yielded awaitables are not the input futures; results can be awaited out of order
    fs = {sleeper(0.01, "first"), sleeper(0.02, "second")}
    futs = list(asyncio.as_completed(fs))
    print("awaiting 2nd yielded first ->", await futs[1], "| then 1st ->", await futs[0])

    # duplicates are collapsed
    c = sleeper(0, "ham")
    out = [await f for f in asyncio.as_completed([c, c, sleeper(0, "spam")])]
    print("duplicates:", sorted(out), "count", len(out))

    # invalid args: 3.13 checks the argument at once (no lazy generator any more)
    fut = loop.create_future()
    print("type of as_completed([]):", type(asyncio.as_completed([])).__name__)
    for arg in (fut, sleeper(0, 0)):
        try:
            asyncio.as_completed(arg)
        except TypeError as e:
            print("as_completed(bad):", e)
        if asyncio.iscoroutine(arg):
            arg.close()
    fut.cancel()

    # empty input: empty iterator
    print("empty:", list(asyncio.as_completed([])))

    # 3.13: async iteration yields the original tasks/futures, in completion order
    x = asyncio.create_task(sleeper(0.02, "x"))
    y = asyncio.create_task(sleeper(0.01, "y"))
    f = loop.create_future()
    loop.call_later(0.03, f.set_result, "f")
    out = []
    async for done in asyncio.as_completed([x, y, f]):
        out.append((done is x, done is y, done is f, done.result()))
    print("async for yields the originals:", out)

    # async iteration of coroutines: the implicitly created tasks are yielded
    out = []
    async for done in asyncio.as_completed([sleeper(0.02, "two"), sleeper(0.01, "one")]):
        out.append((type(done).__name__, done.done(), done.result()))
    print("async for over coroutines:", out)

    # async iteration with a failing task: the task is yielded, awaiting it raises
    out = []
    async for done in asyncio.as_completed([sleeper(0.01, None, KeyError("k")), sleeper(0.02, "fine")]):
        try:
            out.append(await done)
        except KeyError as e:
            out.append(f"KeyError{e.args}")
    print("async for with exception:", out)

    # async iteration with timeout: TimeoutError raised by the async for itself
    slow = asyncio.create_task(sleeper(0.5, "slow"))
    quick = asyncio.create_task(sleeper(0.01, "quick"))
    out = []
    try:
        async for done in asyncio.as_completed([slow, quick], timeout=0.1):
            out.append(done.result())
    except TimeoutError as e:
        out.append(f"TimeoutError{e.args}")
    print("async for with timeout:", out, "| slow cancelled?", slow.cancelled())
    slow.cancel()

    # mixing: one plain step, then async steps share the same completion queue
    it = asyncio.as_completed([sleeper(0.01, "m1"), sleeper(0.02, "m2"), sleeper(0.03, "m3")])
    first = await next(it)
    rest = [d.result() async for d in it]
    print("mixed:", first, rest)

asyncio.run(main())
