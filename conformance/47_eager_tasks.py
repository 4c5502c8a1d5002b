# oracle: 3.13 — eager tasks (eager_task_factory, Task(eager_start=True)) are 3.12+
"""Eager tasks (catalogue 20, 3.13 semantics): with eager_task_factory the coroutine runs
synchronously inside create_task until it first suspends; a task that finishes there is
returned done, is never scheduled, is not in all_tasks() and its get_coro() is None; the
rest of it runs like any task. The first part runs twice ([gen] and [async]); the
TypeScript twin runs generator coroutines, then async functions."""
import asyncio
import contextvars

var = contextvars.ContextVar("var", default="unset")


async def common(tag):
    # What an eager task does before it first suspends, and after
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    out = []
    me = asyncio.current_task()

    async def two_steps():
        out.append(f"step1 (eager), current is the new task: {asyncio.current_task() is not me}")
        await asyncio.sleep(0)
        out.append("step2")
        return "two"
    out.append("before create")
    t = asyncio.create_task(two_steps())
    out.append(f"after create: done={t.done()} in all_tasks={t in asyncio.all_tasks()} "
               f"has coro={t.get_coro() is not None} current is main again={asyncio.current_task() is me}")
    out.append(f"result {await t}")

    async def waits_forever():
        out.append("waits_forever step1")
        await loop.create_future()
    t = asyncio.create_task(waits_forever())
    out.append(f"pending eager task cancel() -> {t.cancel()}")
    try:
        await t
    except asyncio.CancelledError:
        out.append(f"cancelled={t.cancelled()}")

    var.set("creator")
    async def sets_var():
        out.append(f"eager step sees {var.get()}")
        var.set("eager-task")
        await asyncio.sleep(0)
    t = asyncio.create_task(sets_var())
    out.append(f"creator still sees {var.get()}")
    await t

    # an eager child created by a (lazy) task runs before its creator continues
    async def child(n):
        out.append(f"{n} step1")
        await asyncio.sleep(0)
        out.append(f"{n} step2")
    async def parent():
        out.append("parent before")
        c = asyncio.create_task(child("child"))
        out.append("parent after")
        await c
    loop.set_task_factory(None)
    p = asyncio.create_task(parent())
    loop.set_task_factory(asyncio.eager_task_factory)
    out.append("main after creating the lazy parent")
    await p
    loop.set_task_factory(None)
    print(f"[{tag}]", "\n  ".join(out))


async def finishes_eagerly():
    # A coroutine that never suspends completes inside create_task. (An async function's
    # promise settles only in a later microtask, so the TypeScript twin checks this with
    # generator coroutines only.)
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    out = []
    me = asyncio.current_task()

    async def quick(v):
        out.append(f"quick runs, current is itself: {asyncio.current_task() is not me}")
        return v

    out.append("before create")
    t = asyncio.create_task(quick(1), name="quick")
    out.append(f"after create: done={t.done()} result={t.result()} coro={t.get_coro()} "
               f"in all_tasks={t in asyncio.all_tasks()} current is main again={asyncio.current_task() is me}")
    out.append(f"awaiting it: {await t}")

    done_fut = loop.create_future()
    done_fut.set_result("ready")
    async def awaits_done():
        v = await done_fut
        return f"got {v} without suspending"
    t = asyncio.create_task(awaits_done())
    out.append(f"awaiting a done future: done={t.done()} result={t.result()}")

    async def fails():
        raise ValueError("eager failure")
    t = asyncio.create_task(fails())
    out.append(f"failing: done={t.done()} exception={t.exception()!r}")

    async def cancels_itself():
        asyncio.current_task().cancel()
        return "discarded"
    t = asyncio.create_task(cancels_itself())
    out.append(f"self-cancel then return: done={t.done()} cancelled={t.cancelled()}")
    loop.set_task_factory(None)

    # Task(..., eager_start=True) without the factory
    t = asyncio.Task(quick(2), loop=loop, eager_start=True)
    out.append(f"Task(eager_start=True): done={t.done()} result={t.result()}")

    # create_eager_task_factory with a Task subclass
    class MyTask(asyncio.Task):
        pass
    loop.set_task_factory(asyncio.create_eager_task_factory(MyTask))
    t = asyncio.create_task(quick(3), name="custom")
    out.append(f"custom factory: {type(t).__name__} name={t.get_name()} done={t.done()} result={t.result()}")
    loop.set_task_factory(None)
    print("[gen only]", "\n  ".join(out))


async def main():
    for tag in ("gen", "async"):
        await asyncio.create_task(common(tag))
    await asyncio.create_task(finishes_eagerly())

asyncio.run(main())

# eager_start on a loop that is not running: scheduled as usual
loop = asyncio.new_event_loop()
async def body():
    return "ran later"
t = asyncio.Task(body(), loop=loop, eager_start=True)
print("eager_start, loop not running: done =", t.done())
print("after run_until_complete:", loop.run_until_complete(t))
loop.close()
