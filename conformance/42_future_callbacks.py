# oracle: 3.13 — a failing callback is reported as "bad()" (3.11 adds the future argument)
"""Future done callbacks (catalogue 1.12-1.18, 1.27): never called synchronously, FIFO with
other call_soon work, add_done_callback on a done future still deferred, remove_done_callback
removes every registration and returns the count, a raising callback goes to the exception
handler and does not stop the others, the context a callback runs in, isfuture duck typing,
the repr of a future with callbacks. Mirrors test_futures BaseFutureDoneCallbackTests."""
import asyncio
import contextvars
import re

var = contextvars.ContextVar("var", default="default")


def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"


def strip_at(s):
    # callback reprs carry ' at file:line' in CPython
    return re.sub(r" at [^\]>,]+:\d+", "", s)


loop = asyncio.new_event_loop()
log = []


def run_once():
    loop.call_soon(loop.stop)
    loop.run_forever()


def cb(tag):
    def f(fut):
        log.append(f"{tag}:{fut.result() if not fut.cancelled() else 'cancelled'}")
    f.__name__ = f.__qualname__ = tag
    return f


# 1.12 never synchronous
f = loop.create_future()
f.add_done_callback(cb("a"))
f.add_done_callback(cb("b"))
f.set_result(1)
print("right after set_result:", log)
run_once()
print("after one iteration:", log)
log.clear()

# 1.13 FIFO with other call_soon work
f = loop.create_future()
f.add_done_callback(cb("cb"))
loop.call_soon(log.append, "s1")
f.set_result(7)
loop.call_soon(log.append, "s2")
run_once()
print("interleaving:", log)
log.clear()

# 1.14 add_done_callback on a done future is deferred too
f.add_done_callback(cb("late"))
print("late callback before iteration:", log)
run_once()
print("late callback after iteration:", log)
log.clear()

# cancel() and set_exception() schedule the callbacks the same way
f = loop.create_future()
f.add_done_callback(cb("on-cancel"))
f.cancel()
print("after cancel (sync):", log)
run_once()
print("after cancel (iteration):", log)
log.clear()

f = loop.create_future()
f.add_done_callback(lambda fut: log.append(f"exc:{exc_str(fut.exception())}"))
f.set_exception(ValueError("v"))
run_once()
print("after set_exception:", log)
log.clear()

# 1.15 remove_done_callback removes all registrations, returns the count
f = loop.create_future()
c1, c2 = cb("c1"), cb("c2")
f.add_done_callback(c1)
f.add_done_callback(c2)
f.add_done_callback(c1)
print("remove c1 ->", f.remove_done_callback(c1), "; again ->", f.remove_done_callback(c1))
print("remove unknown ->", f.remove_done_callback(cb("zz")))
f.set_result(3)
run_once()
print("remaining callbacks ran:", log)
log.clear()

# 1.16 removing callbacks before completion
f = loop.create_future()
r = []
def c17(fut): r.append(17)
def c100(fut): r.append(100)
def cfirst(fut): r.append(1)
f.add_done_callback(cfirst)
f.add_done_callback(c17)
f.add_done_callback(c100)
f.remove_done_callback(cfirst)
f.remove_done_callback(cfirst)
f.set_result("x")
run_once()
print("after removing the first:", r)

# removing from a done future: callbacks already scheduled still run
f = loop.create_future()
f.add_done_callback(cb("scheduled"))
f.set_result(0)
print("remove after set_result ->", f.remove_done_callback(cb("scheduled")))
run_once()
print("scheduled before removal still ran:", log)
log.clear()

# 1.17 a raising callback: exception handler gets {exception, future?, handle, message}
contexts = []
def handler(lp, ctx):
    contexts.append(ctx)
loop.set_exception_handler(handler)
f = loop.create_future()
def bad(fut):
    raise RuntimeError("bad callback")
f.add_done_callback(bad)
f.add_done_callback(cb("after-bad"))
f.set_result(1)
run_once()
ctx = contexts[0]
print("raising callback: keys", sorted(ctx), "| message", strip_at(ctx["message"]),
      "| exception", exc_str(ctx["exception"]), "| later callback ran:", log)
log.clear()
loop.set_exception_handler(None)

# 1.18 callback context: the context current at add_done_callback, or context=
def show_var(tag):
    def f(fut):
        log.append(f"{tag}={var.get()}")
    return f
f = loop.create_future()
ctx = contextvars.copy_context()
ctx.run(var.set, "explicit")
def add_in_ctx():
    var.set("at-add")
    f.add_done_callback(show_var("implicit"))
contextvars.copy_context().run(add_in_ctx)
f.add_done_callback(show_var("explicit"), context=ctx)
f.add_done_callback(show_var("none"))
f.set_result(None)
run_once()
print("callback contexts:", log)
log.clear()

# a callback changing a variable does not change the caller's context
f = loop.create_future()
f.add_done_callback(lambda fut: var.set("changed-in-callback"))
f.set_result(None)
run_once()
print("after a callback set the var:", var.get())

# repr with callbacks
f = loop.create_future()
print("repr no callbacks:", repr(f))
f.add_done_callback(cb("one"))
print("repr 1 callback:", strip_at(repr(f)))
f.add_done_callback(cb("two"))
f.add_done_callback(cb("three"))
f.add_done_callback(cb("four"))
print("repr 4 callbacks:", strip_at(repr(f)))
f.cancel()
run_once()
log.clear()

# 1.27 isfuture duck typing
class Duck:
    _asyncio_future_blocking = False
class NotDuck:
    _asyncio_future_blocking = None
print("isfuture(Future class):", asyncio.isfuture(asyncio.Future),
      "| isfuture(duck):", asyncio.isfuture(Duck()),
      "| isfuture(blocking=None):", asyncio.isfuture(NotDuck()),
      "| isfuture(None):", asyncio.isfuture(None))

# _asyncio_future_blocking while a task waits
async def main():
    fut = loop.create_future()
    print("blocking flag on a new future:", fut._asyncio_future_blocking)
    async def w():
        await fut
    t = loop.create_task(w())
    await asyncio.sleep(0)
    print("after the task took it:", fut._asyncio_future_blocking)
    fut.set_result(None)
    await t
loop.run_until_complete(main())
loop.close()
