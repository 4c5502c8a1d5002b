"""asyncio and executors: run_in_executor with the default executor (created lazily, threads
named asyncio_N) and with an explicit one, set_default_executor's check, a closed loop,
shutdown_default_executor, cancelling a call that has not started through the asyncio
Future, to_thread's context copy (and that the thread's changes stay there), wrap_future
converting CancelledError, wrap_future's iteration cost, run_coroutine_threadsafe within the
loop's own thread."""
import asyncio
import concurrent.futures as cf
import contextvars
import threading
import time

request = contextvars.ContextVar("request", default="none")

def thread_name():
    return threading.current_thread().name

def snooze(seconds, value):
    time.sleep(seconds)
    return value

def set_and_read(value):
    before = request.get()
    request.set(value)
    return before, request.get()

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

async def main():
    loop = asyncio.get_running_loop()
    print("default executor before:", loop._default_executor is None)
    print("run_in_executor(None):", await loop.run_in_executor(None, thread_name))
    print("default executor after:", type(loop._default_executor).__name__)
    try:
        loop.set_default_executor(object())
    except TypeError as e:
        print("set_default_executor(object()):", e)

    # an explicit executor; cancelling a call that has not started
    ex = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="mine")
    first = loop.run_in_executor(ex, snooze, 0.2, "first")
    await asyncio.sleep(0.05)
    cfut = ex.submit(snooze, 0, "second")
    second = asyncio.wrap_future(cfut)
    print("second is asyncio Future:", isinstance(second, asyncio.Future), "| cf running:", cfut.running())
    second.cancel()
    await asyncio.sleep(0)
    print("cancelled asyncio side -> concurrent cancelled:", cfut.cancelled())
    print("first:", await first)
    try:
        await second
    except asyncio.CancelledError:
        print("second raised CancelledError")
    print("run_in_executor(ex):", await loop.run_in_executor(ex, thread_name))
    ex.shutdown()
    try:
        await loop.run_in_executor(ex, thread_name)
    except RuntimeError as e:
        print("after ex.shutdown():", e)

    # to_thread: the context is copied; what the thread sets stays there
    request.set("req-1")
    print("to_thread:", await asyncio.to_thread(set_and_read, "changed-in-thread"), "| main still:", request.get())
    print("run_in_executor sees:", await loop.run_in_executor(None, request.get))

    # wrap_future: concurrent CancelledError becomes asyncio's; iteration accounting
    c = cf.Future()
    a = asyncio.wrap_future(c)
    c.set_exception(cf.CancelledError("via exception"))
    try:
        await a
    except asyncio.CancelledError as e:
        print("converted:", type(e) is asyncio.CancelledError, e.args, "| asyncio future cancelled():", a.cancelled())
    c = cf.Future()
    a = asyncio.wrap_future(c)
    c.cancel()
    await asyncio.sleep(0)
    print("cancelled concurrent -> asyncio cancelled:", a.cancelled())
    order = []
    def ticker(n):
        order.append(f"tick{n}")
        if n < 4:
            loop.call_soon(ticker, n + 1)
    c = cf.Future()
    a = asyncio.wrap_future(c)
    loop.call_soon(c.set_result, "x")
    loop.call_soon(ticker, 0)
    order.append("await " + await a)
    print("wrap_future wake-up:", order)

    # run_coroutine_threadsafe in the loop's own thread
    async def coro():
        await asyncio.sleep(0)
        return "from coro"
    fut = asyncio.run_coroutine_threadsafe(coro(), loop)
    print("run_coroutine_threadsafe:", type(fut).__name__, "done:", fut.done(), "->", await asyncio.wrap_future(fut))
    async def sleeper():
        await asyncio.sleep(10)
    fut = asyncio.run_coroutine_threadsafe(sleeper(), loop)
    await asyncio.sleep(0)
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    print("cancel the concurrent future:", fut.cancel())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("task cancelled:", tasks[0].cancelled(), "| future:", fut.cancelled())

    await loop.shutdown_default_executor()
    try:
        loop.run_in_executor(None, thread_name)
    except RuntimeError as e:
        print("after shutdown_default_executor:", e)
    ex2 = cf.ThreadPoolExecutor(1)
    print("explicit executor still works:", await loop.run_in_executor(ex2, snooze, 0, "ok"))
    ex2.shutdown()

asyncio.run(main())
loop = asyncio.new_event_loop()
loop.close()
try:
    loop.run_in_executor(None, thread_name)
except RuntimeError as e:
    print("closed loop:", e)
