"""asyncio and threads, edges: a custom Executor (submit only) with run_in_executor and the
base class's map(); wrap_future when the concurrent future is already running (cancel() cannot
stop it; its later result is dropped) and when it fails; run_coroutine_threadsafe with a
timeout from a worker thread (TimeoutError, then cancelling the future cancels the task);
to_thread uses the default executor set with set_default_executor, and fails after
shutdown_default_executor; asyncio.run shuts that executor down; call_soon_threadsafe and
run_coroutine_threadsafe on a closed loop."""
import asyncio
import concurrent.futures as cf
import threading

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

def thread_name():
    return threading.current_thread().name

def double(x):
    return x * 2

def add(a, b):
    return a + b

class InlineExecutor(cf.Executor):
    def __init__(self):
        self.calls = 0
    def submit(self, fn, /, *args):
        self.calls += 1
        f = cf.Future()
        f.set_running_or_notify_cancel()
        try:
            f.set_result(fn(*args))
        except BaseException as e:
            f.set_exception(e)
        return f

async def sleeper(notes):
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        notes.append("sleeper cancelled")
        raise

def ask_with_timeout(loop, sleeper_notes):
    notes = []
    fut = asyncio.run_coroutine_threadsafe(sleeper(sleeper_notes), loop)
    try:
        fut.result(timeout=0.05)
    except TimeoutError as e:
        notes.append("result(timeout): " + exc_str(e))
    notes.append(f"cancel: {fut.cancel()}")
    try:
        fut.result(timeout=5)
    except cf.CancelledError as e:
        notes.append("then result(): " + exc_str(e))
    return notes, fut.cancelled()

kept = []

async def main():
    loop = asyncio.get_running_loop()
    inline = InlineExecutor()
    print("custom executor:", await loop.run_in_executor(inline, double, 21), "calls:", inline.calls)
    print("base Executor.map:", list(inline.map(add, [1, 2, 3], [9, 10])), "calls:", inline.calls)
    with inline:
        pass
    print("custom executor after with:", await loop.run_in_executor(inline, double, 1))

    c = cf.Future()
    c.set_running_or_notify_cancel()
    a = asyncio.wrap_future(c)
    print("cancel asyncio side:", a.cancel())
    await asyncio.sleep(0)
    print("concurrent still running:", c.running(), c.cancelled())
    c.set_result("late")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("asyncio side stays cancelled:", a.cancelled(), "| concurrent:", c.result())

    c = cf.Future()
    a = asyncio.wrap_future(c)
    err = ValueError("boom", 1)
    c.set_exception(err)
    await asyncio.sleep(0)
    print("exception crosses:", exc_str(a.exception()), a.exception() is err)

    sleeper_notes = []
    notes, cancelled = await loop.run_in_executor(None, ask_with_timeout, loop, sleeper_notes)
    print("run_coroutine_threadsafe with timeout:", notes, "| future cancelled:", cancelled)
    for _ in range(100):
        if sleeper_notes:
            break
        await asyncio.sleep(0.01)
    print("in the loop:", sleeper_notes)

    mine = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="mine")
    kept.append(mine)
    loop.set_default_executor(mine)
    print("to_thread uses the set default:", await asyncio.to_thread(thread_name))
    await loop.shutdown_default_executor()
    await loop.shutdown_default_executor()
    try:
        await asyncio.to_thread(thread_name)
    except RuntimeError as e:
        print("to_thread after shutdown_default_executor:", exc_str(e))
    try:
        mine.submit(thread_name)
    except RuntimeError as e:
        print("the default executor itself:", exc_str(e))
    fresh = cf.ThreadPoolExecutor(max_workers=1)
    loop.set_default_executor(fresh)
    try:
        loop.run_in_executor(None, thread_name)
    except RuntimeError as e:
        print("set_default_executor after shutdown:", exc_str(e))
    fresh.shutdown()

async def main2():
    ex = cf.ThreadPoolExecutor(max_workers=1)
    kept.append(ex)
    asyncio.get_running_loop().set_default_executor(ex)
    return await asyncio.to_thread(double, 2)

asyncio.run(main())
print("asyncio.run:", asyncio.run(main2()))
try:
    kept[-1].submit(double, 1)
except RuntimeError as e:
    print("after asyncio.run, its default executor:", exc_str(e))

loop = asyncio.new_event_loop()
loop.close()
try:
    loop.call_soon_threadsafe(print, "x")
except RuntimeError as e:
    print("call_soon_threadsafe on a closed loop:", exc_str(e))
async def nothing():
    pass
c = nothing()
try:
    asyncio.run_coroutine_threadsafe(c, loop)
except RuntimeError as e:
    print("run_coroutine_threadsafe on a closed loop:", exc_str(e))
c.close()
