"""Context variables and tasks (catalogue 2.31, 19.5): a task runs in a copy of the context
taken when it was created; the creator's later changes are invisible to it and its changes
are invisible to the creator; create_task(context=ctx) runs in ctx and changes it; tasks
sharing one context see each other's changes; a directly awaited coroutine shares the
caller's context; callbacks run in the context of their scheduling (or context=). Runs
twice ([gen] and [async]); the TypeScript twin runs generator coroutines, then async
functions."""
import asyncio
import contextvars

var = contextvars.ContextVar("var", default="unset")


async def scenario(tag):
    loop = asyncio.get_running_loop()
    out = []
    var.set("main")

    async def reader(label, then_set=None):
        out.append(f"{label} sees {var.get()}")
        await asyncio.sleep(0)
        out.append(f"{label} after a step sees {var.get()}")
        if then_set is not None:
            var.set(then_set)
            out.append(f"{label} set {then_set}")

    t = asyncio.create_task(reader("t1", then_set="t1-value"))
    var.set("main-changed-after-create")
    await t
    out.append(f"main after t1 sees {var.get()}")

    ctx = contextvars.copy_context()
    ctx.run(var.set, "in-ctx")
    a = asyncio.create_task(reader("a", then_set="a-value"), context=ctx)
    await a
    out.append(f"ctx after a: {ctx[var]}")
    b = asyncio.create_task(reader("b"), context=ctx)
    await b
    out.append(f"main still sees {var.get()}")

    async def sets_directly():
        var.set("set-by-awaited-coroutine")
    await sets_directly()
    out.append(f"after a directly awaited coroutine: {var.get()}")

    var.set("before-call-soon")
    fut = loop.create_future()
    loop.call_soon(lambda: out.append(f"call_soon sees {var.get()}"))
    loop.call_soon(lambda: out.append(f"call_soon(context=ctx) sees {var.get()}"), context=ctx)
    fut.add_done_callback(lambda f: out.append(f"done callback sees {var.get()}"))
    var.set("after-call-soon")
    fut.set_result(None)
    await asyncio.sleep(0)
    await asyncio.sleep(0)

    async def child_sets_then_schedules():
        var.set("child-value")
        loop.call_soon(lambda: out.append(f"callback scheduled by a task sees {var.get()}"))
        await asyncio.sleep(0)
    await asyncio.create_task(child_sets_then_schedules())
    await asyncio.sleep(0)
    out.append(f"main at the end sees {var.get()}")
    print(f"[{tag}]", "\n  ".join(out))


async def main():
    for tag in ("gen", "async"):
        await asyncio.create_task(scenario(tag))
    print("top level after both:", var.get())

asyncio.run(main())
