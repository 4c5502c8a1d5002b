"""Cancellation messages and forwarding (catalogue 2.24, 2.26, 2.27): the message reaches the
awaited future, the task body, and the awaiters; cancel() forwarded through awaited tasks;
nested tasks cancelled with the outer one (also after a self-cancel, bpo-34872); a second
cancel() while the first is in flight. Each scenario runs twice ([gen] and [async]): the
TypeScript twin runs generator coroutines, then async functions."""
import asyncio


def args(e):
    return repr(e.args)


async def scenarios(tag):
    loop = asyncio.get_running_loop()
    out = []

    # message reaches the awaited future, the body and the awaiter
    fut = loop.create_future()
    async def waits():
        try:
            await fut
        except asyncio.CancelledError as e:
            out.append(f"body sees {args(e)}")
            raise
    t = asyncio.create_task(waits())
    await asyncio.sleep(0)
    t.cancel("msg-1")
    out.append(f"future cancelled: {fut.cancelled()}")
    try:
        await t
    except asyncio.CancelledError as e:
        out.append(f"awaiter sees {args(e)}")
    for label, fn in (("result()", t.result), ("exception()", t.exception)):
        try:
            fn()
        except asyncio.CancelledError as e:
            out.append(f"{label} {args(e)}")
    print(f"[{tag}] message:", " | ".join(out))
    out.clear()

    # cancel before the first step, with a message
    async def never():
        out.append("never runs")
    t = asyncio.create_task(never())
    t.cancel("early")
    try:
        await t
    except asyncio.CancelledError as e:
        out.append(f"awaiter sees {args(e)}")
    print(f"[{tag}] before first step:", " | ".join(out))
    out.clear()

    # forwarded through a chain of tasks: outer -> middle -> inner -> future
    inner_fut = loop.create_future()
    async def inner():
        try:
            await inner_fut
        except asyncio.CancelledError as e:
            out.append(f"inner {args(e)}")
            raise
    async def middle():
        t = asyncio.create_task(inner())
        try:
            await t
        except asyncio.CancelledError as e:
            out.append(f"middle {args(e)} inner.cancelled={t.cancelled()}")
            raise
    async def outer():
        t = asyncio.create_task(middle())
        try:
            await t
        except asyncio.CancelledError as e:
            out.append(f"outer {args(e)} middle.cancelled={t.cancelled()}")
            raise
    t = asyncio.create_task(outer())
    for _ in range(3):
        await asyncio.sleep(0)
    t.cancel("chain")
    try:
        await t
    except asyncio.CancelledError as e:
        out.append(f"awaiter {args(e)} outer cancelling={t.cancelling()}")
    print(f"[{tag}] chain:", " | ".join(out), "| inner_fut cancelled:", inner_fut.cancelled())
    out.clear()

    # self-cancel, then await a nested task: the nested task is cancelled too (bpo-34872)
    async def sleeper():
        await asyncio.sleep(10)
    async def self_cancel_then_await():
        nested = asyncio.create_task(sleeper())
        await asyncio.sleep(0)
        asyncio.current_task().cancel()
        try:
            await nested
        finally:
            out.append(f"nested cancelled={nested.cancelled()}")
    t = asyncio.create_task(self_cancel_then_await())
    try:
        await t
    except asyncio.CancelledError:
        out.append(f"task cancelled={t.cancelled()}")
    print(f"[{tag}] self-cancel then await nested:", " | ".join(out))
    out.clear()

    # two cancel() calls while waiting: the future gets the first message, the second call
    # finds it already cancelled and is remembered; one CancelledError with the first message
    fut = loop.create_future()
    async def waits2():
        try:
            await fut
        except asyncio.CancelledError as e:
            out.append(f"body sees {args(e)}")
            raise
    t = asyncio.create_task(waits2())
    await asyncio.sleep(0)
    out.append(f"cancel(a)={t.cancel('a')} cancel(b)={t.cancel('b')} cancelling={t.cancelling()}")
    try:
        await t
    except asyncio.CancelledError as e:
        out.append(f"awaiter sees {args(e)}")
    print(f"[{tag}] two cancels:", " | ".join(out))
    out.clear()

    # the body replaces the CancelledError with its own: that one is the task's
    async def replaces():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            raise asyncio.CancelledError("replaced")
    t = asyncio.create_task(replaces())
    await asyncio.sleep(0)
    t.cancel("original")
    try:
        await t
    except asyncio.CancelledError as e:
        out.append(f"awaiter sees {args(e)} cancelled={t.cancelled()}")
    print(f"[{tag}] replaced:", " | ".join(out))
    out.clear()

    # cancelling the awaited future (not the task) also ends the task cancelled, with its message
    fut = loop.create_future()
    async def waits3():
        await fut
    t = asyncio.create_task(waits3())
    await asyncio.sleep(0)
    fut.cancel("from-future")
    try:
        await t
    except asyncio.CancelledError as e:
        out.append(f"awaiter sees {args(e)} cancelled={t.cancelled()} cancelling={t.cancelling()}")
    print(f"[{tag}] future cancelled:", " | ".join(out))
    out.clear()


async def main():
    for tag in ("gen", "async"):
        await scenarios(tag)

asyncio.run(main())
