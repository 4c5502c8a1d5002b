# oracle: 3.13 — create_task(name=) with a task factory: the 3.13 behaviour (changed in 3.14)
"""With a task factory, CPython 3.13's create_task() calls factory(loop, coro) (plus context=
when one is given) and then task.set_name(name) even when name is None: an eager task runs its
first step under its default name, and an unnamed task ends up named 'None'."""
import asyncio


async def body(tag):
    print(tag, "first step:", asyncio.current_task().get_name())
    await asyncio.sleep(0)


def logging_factory(loop, coro, **kwargs):
    print("factory called with", sorted(kwargs))
    return asyncio.Task(coro, loop=loop, **kwargs)


async def main():
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    a = asyncio.create_task(body("a"), name="A")
    b = asyncio.create_task(body("b"))
    print(repr(a.get_name()), repr(b.get_name()))
    await asyncio.gather(a, b)
    loop.set_task_factory(logging_factory)
    c = loop.create_task(body("c"), name="C")
    d = loop.create_task(body("d"), context=asyncio.current_task().get_context())
    print(repr(c.get_name()), repr(d.get_name()))
    await asyncio.gather(c, d)


asyncio.run(main())
