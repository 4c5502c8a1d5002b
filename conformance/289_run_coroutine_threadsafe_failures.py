# oracle: 3.13
"""run_coroutine_threadsafe when making the task fails in the loop (a task factory that raises): the concurrent future gets the error and the loop's exception
handler sees the callback fail, by its name; the same on a loop that is then closed before the
callback runs; the thread-safe cancel crossing when the task's loop differs."""
import asyncio, re
import concurrent.futures as cf

def norm(s):
    return re.sub(r" at /\S+:\d+", "", re.sub(r"0x[0-9a-f]+", "0x?", str(s)))
def exc_str(e):
    return f"{type(e).__name__}({', '.join(norm(repr(a)) for a in e.args)})"

async def co():
    await asyncio.sleep(0)
    return 1

def handler(loop, ctx):
    e = ctx.get("exception")
    print("  handler:", norm(ctx["message"]), "|", exc_str(e) if e else None,
          "| keys:", sorted(ctx))

loop = asyncio.new_event_loop()
loop.set_exception_handler(handler)

def spin(lp):
    fut = lp.create_future()
    lp.call_later(0.01, fut.set_result, None)
    lp.run_until_complete(fut)

def bad_factory(loop, coro, **kw):
    coro.close()
    raise ValueError("no tasks today")
loop.set_task_factory(bad_factory)
f = asyncio.run_coroutine_threadsafe(co(), loop)
print("1. pending before the loop runs:", f.done(), f.running())
spin(loop)
print("   after:", f.done(), exc_str(f.exception()))

loop.set_task_factory(bad_factory)
f = asyncio.run_coroutine_threadsafe(co(), loop)
f.cancel()
spin(loop)
print("3. cancelled before the callback ran:", f.cancelled())
loop.set_task_factory(None)

# 4. a task factory that makes the task on ANOTHER loop
other = asyncio.new_event_loop()
def other_factory(lp, coro, **kw):
    return asyncio.Task(coro, loop=other)
loop.set_task_factory(other_factory)
f = asyncio.run_coroutine_threadsafe(co(), loop)
spin(loop)
loop.set_task_factory(None)
t = list(asyncio.all_tasks(other))[0]
print("4. task on other loop:", t.get_loop() is other, "| f done:", f.done())
f.cancel()
print("   f.cancel() -> task cancelling now:", t.cancelling())
spin(other)
print("   after other ran:", t.cancelled())
spin(loop)
print("   f:", f.cancelled())
other.close()

# 5. the loop is closed with the callback still queued
c5 = co()
f = asyncio.run_coroutine_threadsafe(c5, loop)
loop.close()
c5.close()
print("5. closed with the callback queued:", f.done(), f.running())
