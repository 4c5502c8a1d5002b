# oracle: 3.13
import asyncio, contextvars

def ea(e):
    return f"{type(e).__name__}{e.args!r}"

def attempt(label, fn):
    try:
        print(f"{label}: returned {fn()!r}")
    except BaseException as e:
        print(f"{label}: raised {ea(e)}")

class Named:
    def __str__(self):
        return "str-of-Named"

async def scen(tag):
    P = lambda *a: print(f"[{tag}]", *a)
    async def body():
        await asyncio.sleep(0)
        return 1
    t = asyncio.create_task(body(), name="first")
    for v in [42, None, 2.5, True, [1, "a"], {"k": 1}, "", "it's", Named()]:
        t.set_name(v)
        P("set_name", "->", repr(t.get_name()), "| repr name part:", repr(t).split(" coro=")[0])
    for v in [7, [1], "", Named()]:
        t2 = asyncio.create_task(body(), name=v)
        P("create_task name=", repr(t2.get_name()))
        await t2
    await t
    ctx = contextvars.copy_context()
    t3 = asyncio.create_task(body(), context=ctx)
    P("get_context is ctx:", t3.get_context() is ctx)
    await t3
    P("get_context after done is ctx:", t3.get_context() is ctx)
    loop = asyncio.get_running_loop()
    P("current_task(loop) is current_task():", asyncio.current_task(loop) is asyncio.current_task())
    P("all_tasks(loop) == all_tasks():", asyncio.all_tasks(loop) == asyncio.all_tasks())

asyncio.run(scen("gen"))
asyncio.run(scen("async"))

# futures of a closed loop: scheduling callbacks fails
loop = asyncio.new_event_loop()
f = loop.create_future()
f.add_done_callback(lambda _: None)
g = loop.create_future()
h = loop.create_future()
h.add_done_callback(lambda _: None)
k = loop.create_future()
k.add_done_callback(lambda _: None)
loop.set_exception_handler(lambda l, c: None)
loop.close()
attempt("set_result on closed loop's future with a callback", lambda: f.set_result(1))
print("  done after:", f.done(), f.cancelled())
attempt("set_result on closed loop's future, no callback", lambda: g.set_result(1))
attempt("add_done_callback on done future of closed loop", lambda: g.add_done_callback(lambda _: None))
attempt("cancel() on closed loop's future with a callback", lambda: h.cancel())
print("  done after:", h.done(), h.cancelled())
attempt("set_exception on closed loop's future with a callback", lambda: k.set_exception(ValueError("z")))
attempt("create_future on closed loop", lambda: type(loop.create_future()).__name__)

async def c():
    return 1
coro = c()
attempt("Task(coro, loop=closed)", lambda: asyncio.Task(coro, loop=loop))
coro.close()
print("all_tasks(closed loop):", asyncio.all_tasks(loop))
coro = c()
attempt("loop.create_task on closed loop", lambda: loop.create_task(coro))
coro.close()
coro2 = c()
attempt("ensure_future(coro, loop=closed)", lambda: asyncio.ensure_future(coro2, loop=loop))
coro2.close()
