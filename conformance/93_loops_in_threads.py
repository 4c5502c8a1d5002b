"""Loops in other threads: a thread runs its own loop with asyncio.run (get_event_loop() there
raises when no loop is set, before and after); the main thread hands it work with
run_coroutine_threadsafe and call_soon_threadsafe and gets concurrent futures back (results,
errors and cancellation cross); once that loop is closed, handing it work raises."""
import asyncio
import concurrent.futures as cf
import re
import threading

notes = []

def norm(s):
    return re.sub(r"thread '[^']*'", "thread '<name>'", str(s))

async def job(x):
    await asyncio.sleep(0.01)
    return x * 2, threading.current_thread() is threading.main_thread()

async def failing():
    await asyncio.sleep(0)
    raise ValueError("in the other loop")

async def forever():
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        notes.append("forever cancelled")
        raise

def note(msg):
    notes.append(f"{msg} (main thread: {threading.current_thread() is threading.main_thread()})")

async def get_notes():
    return list(notes)

def thread_main(ready, finished):
    try:
        asyncio.get_event_loop()
        before = "no error"
    except RuntimeError as e:
        before = norm(e)
    async def serve():
        stop = asyncio.Event()
        ready.set_result((asyncio.get_running_loop(), stop, before))
        await stop.wait()
        return "served"
    result = asyncio.run(serve())
    try:
        asyncio.get_event_loop()
        after = "no error"
    except RuntimeError as e:
        after = norm(e)
    finished.set_result((result, after))

async def main():
    ready, finished = cf.Future(), cf.Future()
    t = threading.Thread(target=thread_main, args=(ready, finished))
    t.start()
    other, stop, before = await asyncio.wrap_future(ready)
    print("in the thread, get_event_loop() before asyncio.run:", before)
    f = asyncio.run_coroutine_threadsafe(job(21), other)
    print("future:", type(f).__module__, type(f).__name__)
    print("result:", await asyncio.wrap_future(f))
    f = asyncio.run_coroutine_threadsafe(failing(), other)
    try:
        await asyncio.wrap_future(f)
    except ValueError as e:
        print("error crosses:", repr(e))
    other.call_soon_threadsafe(note, "hello")
    f = asyncio.run_coroutine_threadsafe(forever(), other)
    await asyncio.sleep(0.05)
    print("cancel:", f.cancel(), f.cancelled())
    print("notes:", await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(get_notes(), other)))
    other.call_soon_threadsafe(stop.set)
    print("thread finished:", await asyncio.wrap_future(finished))
    await asyncio.to_thread(t.join)
    c = job(1)
    try:
        asyncio.run_coroutine_threadsafe(c, other)
    except RuntimeError as e:
        print("after that loop closed:", e)
    c.close()

asyncio.run(main())
