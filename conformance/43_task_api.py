# oracle: 3.13 — Task.get_context() is 3.12+
"""Task identity and API (catalogue 2.1-2.11, 2.28): lazy creation, auto names Task-<n>,
name=/set_name, get_coro/get_context, argument checks, set_result/set_exception refused,
awaiting itself, Task is a Future, reprs in every state (coro part stripped: it carries file
paths), and KeyboardInterrupt inside a task escaping the loop. Mirrors test_tasks
(test_task_repr*, test_task_set_methods, test_task_awaits_on_itself, test_get_coro,
test_get_context, test_baseexception_during_cancel)."""
import asyncio
import contextvars
import re


def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"


def r(t):
    s = re.sub(r" coro=<\S+ (running|done)[^>]*>", "", repr(t))
    return re.sub(r" at [^\]>,]+:\d+", "", s)


async def main():
    loop = asyncio.get_running_loop()

    async def body(v="abc"):
        return v

    # 2.1-2.3 creation, names, get_coro, get_context
    c = body()
    t1 = asyncio.create_task(c)
    t2 = asyncio.create_task(body())
    n1, n2 = t1.get_name(), t2.get_name()
    print("auto names:", bool(re.fullmatch(r"Task-\d+", n1)), "| consecutive:",
          int(n2.split("-")[1]) == int(n1.split("-")[1]) + 1, "| done right after create:", t1.done())
    print("get_coro() is the coroutine:", t1.get_coro() is c)
    t3 = asyncio.create_task(body(), name="named")
    print("name=:", t3.get_name())
    t3.set_name(42)
    print("set_name(42):", repr(t3.get_name()))
    ctx = contextvars.copy_context()
    t4 = asyncio.create_task(body(), context=ctx)
    print("get_context() is the context given:", t4.get_context() is ctx,
          "| default context is a Context:", isinstance(t1.get_context(), contextvars.Context))
    for t in (t1, t2, t3, t4):
        await t

    # 2.4 argument checks
    try:
        asyncio.create_task(123)
    except TypeError as e:
        print("create_task(123):", exc_str(e))

    # 2.5 set_result / set_exception are refused
    t = asyncio.create_task(body())
    for label, fn in (("set_result", lambda: t.set_result(1)),
                      ("set_exception", lambda: t.set_exception(ValueError()))):
        try:
            fn()
        except RuntimeError as e:
            print(f"task.{label}:", exc_str(e))
    await t

    # 2.6 awaiting itself
    async def self_await():
        await asyncio.current_task()
    t = asyncio.create_task(self_await(), name="me")
    try:
        await t
    except RuntimeError as e:
        print("awaiting itself:", r(str(e)))

    # 2.10 Task is a Future
    t = asyncio.create_task(body())
    print("Task is a Future:", issubclass(asyncio.Task, asyncio.Future), isinstance(t, asyncio.Future))
    try:
        t.result()
    except asyncio.InvalidStateError as e:
        print("pending task result():", exc_str(e))
    await t

    # 2.11 reprs
    fut = loop.create_future()
    async def waits():
        return await fut
    t = asyncio.create_task(waits(), name="T")
    print("repr new:", r(t))
    await asyncio.sleep(0)
    print("repr waiting:", r(t))
    t.cancel()
    print("repr after cancel():", r(t))
    try:
        await t
    except asyncio.CancelledError:
        pass
    print("repr cancelled:", r(t))
    t = asyncio.create_task(body(), name="T")
    await t
    print("repr finished:", r(t))
    async def fails():
        raise ValueError("x")
    t = asyncio.create_task(fails(), name="T")
    try:
        await t
    except ValueError:
        pass
    print("repr failed:", r(t))
    t = asyncio.create_task(body("a" * 40), name="T")
    await t
    print("repr long result:", r(t))


asyncio.run(main())

# 2.28 KeyboardInterrupt in a task: stored in the task and raised out of the loop
loop = asyncio.new_event_loop()
async def interrupted():
    await asyncio.sleep(0)
    raise KeyboardInterrupt("stop")
async def main2():
    global t
    t = asyncio.create_task(interrupted())
    await asyncio.sleep(1)
    return "main2 finished"
m = loop.create_task(main2())
try:
    loop.run_until_complete(m)
except KeyboardInterrupt as e:
    print("run_until_complete raised:", exc_str(e), "| task done:", t.done(),
          "| task.exception():", exc_str(t.exception()), "| main task done:", m.done())
m.cancel()
try:
    loop.run_until_complete(m)
except asyncio.CancelledError:
    print("the loop runs again afterwards; main task cancelled:", m.cancelled())
loop.close()
