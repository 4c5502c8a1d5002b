# oracle: 3.13
"""Eager tasks that ask for the context of the owner running around them (their parent task, the callback that made them, an eager middle task) before anyone wrote a variable: each keeps writing into its own context, as in CPython."""
import asyncio, contextvars, re
def clean(s):
    return re.sub(r" at 0x[0-9a-f]+", "", s).replace("_contextvars.Context object", "Context object")
v = contextvars.ContextVar("v", default="unset")
out = []

async def main():
    loop = asyncio.get_running_loop()
    parent = asyncio.current_task()
    # 1. an eager child that asks for its parent's context before writing anything
    async def child1():
        pc = parent.get_context()
        out.append(f"1 child got parent ctx, v={pc.get(v)}")
        v.set("child1")
        out.append(f"1 child sees {v.get()}")
        await asyncio.sleep(0)
        out.append(f"1 child later sees {v.get()}")
    loop.set_task_factory(asyncio.eager_task_factory)
    t = asyncio.create_task(child1())
    loop.set_task_factory(None)
    out.append(f"1 parent sees {v.get()} | parent ctx {parent.get_context().get(v)}")
    await t
    out.append(f"1 child ctx {t.get_context().get(v)} | parent after {v.get()}")

    # 2. a callback whose eager task asks for the callback handle's context
    hs = []
    def cb():
        async def child2():
            hc = hs[0].get_context()
            v.set("child2")
            out.append(f"2 child sees {v.get()}, handle ctx has {hc.get(v)}")
        loop.set_task_factory(asyncio.eager_task_factory)
        asyncio.create_task(child2())
        loop.set_task_factory(None)
        out.append(f"2 callback sees {v.get()}")
    hs.append(loop.call_soon(cb))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    out.append(f"2 handle ctx after: {hs[0].get_context().get(v)}")

    # 3. eager child reads parent's context after the parent wrote; child writes; parent reads
    async def inner():
        v.set("main3")
        async def child3():
            out.append(f"3 child starts with {v.get()}")
            pc = parent_task.get_context()
            out.append(f"3 parent ctx is current? {pc is contextvars.copy_context()}")
            v.set("child3")
            out.append(f"3 child sees {v.get()} parent ctx {pc.get(v)}")
        loop.set_task_factory(asyncio.eager_task_factory)
        parent_task = asyncio.current_task()
        c = asyncio.create_task(child3())
        loop.set_task_factory(None)
        out.append(f"3 inner sees {v.get()}")
        await c
    await asyncio.create_task(inner())

    # 4. an eager child of an eager child, the middle one not written
    async def grand():
        mid_ctx = mid_task[0].get_context()
        v.set("grand")
        out.append(f"4 grand sees {v.get()} mid ctx {mid_ctx.get(v)}")
    mid_task = []
    async def mid():
        mid_task.append(asyncio.current_task())
        g = asyncio.create_task(grand())
        out.append(f"4 mid sees {v.get()}")
        v.set("mid")
        out.append(f"4 mid after set {v.get()}")
        await g
    loop.set_task_factory(asyncio.eager_task_factory)
    m = asyncio.create_task(mid())
    loop.set_task_factory(None)
    await m
    out.append(f"4 main sees {v.get()}")

asyncio.run(main())
for l in out:
    print(l)
