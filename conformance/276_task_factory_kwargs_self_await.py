# oracle: 3.13
"""Task factories get context only when it is not None; create_eager_task_factory takes any
callable and passes name/context always; a task that awaited itself keeps its
_asyncio_future_blocking flag set, so awaiting it later fails."""
import asyncio

log = []
def factory(loop, coro, **kw):
    log.append(sorted(kw))
    return asyncio.Task(coro, loop=loop, **kw)
async def noop(): pass
async def main_e19():
    loop = asyncio.get_running_loop()
    loop.set_task_factory(factory)
    await asyncio.create_task(noop(), context=None)
    await loop.create_task(noop(), context=None)
    await asyncio.create_task(noop(), name=None, context=None)
    async with asyncio.TaskGroup() as tg:
        tg.create_task(noop(), context=None)
    t = asyncio.create_task(noop(), name=None)
    print("name=None via factory ->", repr(t.get_name()))
    await t
    loop.set_task_factory(None)
    print(log)
asyncio.run(main_e19())


made = []
async def body(): return asyncio.current_task().get_name()
async def main_e22():
    loop = asyncio.get_running_loop()
    ctor = lambda coro, **kw: (made.append(sorted(kw)), asyncio.Task(coro, **kw))[1]
    loop.set_task_factory(asyncio.create_eager_task_factory(ctor))
    t = asyncio.create_task(body())
    print("lambda ctor:", t.done(), t.result().startswith("Task-"), type(t).__name__)
    def bound_method_ctor(coro, **kw):
        return asyncio.Task(coro, **kw)
    loop.set_task_factory(asyncio.create_eager_task_factory(bound_method_ctor))
    t = asyncio.create_task(body())
    print("def ctor:", t.done())
    print("ctor kwargs:", made)
    loop.set_task_factory(None)
asyncio.run(main_e22())


async def selfish():
    try:
        await asyncio.current_task()
    except RuntimeError as e:
        print("selfish caught:", str(e).split(":")[0])
    await asyncio.sleep(0)
    return "selfish done"

async def main_e11():
    t = asyncio.create_task(selfish())
    await asyncio.sleep(0)          # t's first step: awaits itself
    print("flag after self-await:", t._asyncio_future_blocking, "done:", t.done())
    try:
        print("await t ->", await t)
    except RuntimeError as e:
        print("await t raised RuntimeError:", e)
    await asyncio.sleep(0.01)
    print("t:", t.done(), t.result() if t.done() else None)
    # eager variant
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    t = asyncio.create_task(selfish())
    print("eager flag after create:", t._asyncio_future_blocking, "done:", t.done())
    try:
        print("await t ->", await t)
    except RuntimeError as e:
        print("await t raised RuntimeError:", e)
    await asyncio.sleep(0.01)
    print("t:", t.done(), t.result() if t.done() else None)
    loop.set_task_factory(None)

asyncio.run(main_e11())
