# oracle: 3.13
"""Contexts across threads. A concurrent Future's done callback runs in the thread that completes
the future (a pool's worker thread, a process pool's manager thread), whose context is empty in
3.13: it sees the defaults, whatever the submitting task set, and what it sets stays there.
(A worker thread's context keeps what a callback set there.) A future completed by set_result()
in the loop's thread calls back in the caller's context.
call_soon_threadsafe / run_coroutine_threadsafe from a worker thread: the worker's context."""
import asyncio
import concurrent.futures as cf
import contextvars
import time

v = contextvars.ContextVar("v", default="default")
out = []


def snooze(s, x):
    time.sleep(s)
    return x


def read_v(tag):
    return f"{tag} sees v={v.get()}"


async def coro_read_v(tag):
    await asyncio.sleep(0)
    return read_v(tag)


def poke(loop):
    a = cf.Future()
    loop.call_soon_threadsafe(lambda: a.set_result(read_v("call_soon_threadsafe callback")))
    b = asyncio.run_coroutine_threadsafe(coro_read_v("run_coroutine_threadsafe task"), loop)
    return [a.result(5), b.result(5)]


def cb(tag):
    return lambda f: out.append(f"{tag}: callback sees v={v.get()} result={f.result()}")


def top_level():
    v.set("top-level")
    with cf.ThreadPoolExecutor(max_workers=1) as ex:
        f = ex.submit(snooze, 0.02, 1)
        f.add_done_callback(cb("thread pool, top level"))
        f.result()
        time.sleep(0.02)
    with cf.ProcessPoolExecutor(max_workers=1) as px:
        f = px.submit(snooze, 0.02, 2)
        f.add_done_callback(cb("process pool, top level"))
        f.result()
        time.sleep(0.02)


async def main():
    ex = cf.ThreadPoolExecutor(max_workers=1)

    async def writer():
        v.set("writer-task")
        f = ex.submit(snooze, 0.01, 3)
        f.add_done_callback(lambda f: v.set("set-by-callback"))
        await asyncio.wrap_future(f)
        out.append(f"writer task after its future's callback set v: {v.get()}")

    async def later():
        v.set("later-task")
        f = ex.submit(snooze, 0.03, 4)
        f.add_done_callback(cb("submitted by another task"))
        await asyncio.sleep(0.01)
        v.set("later-task-changed")
        await asyncio.wrap_future(f)
        out.append(f"later task after await sees v={v.get()}")

    await asyncio.create_task(writer())
    await asyncio.create_task(later())
    g = cf.Future()
    g.add_done_callback(cb("set_result by main"))
    v.set("main-task")
    g.set_result(5)
    g.add_done_callback(cb("already done"))
    ex.shutdown()
    # a fresh worker (the one above has the callback's value in its context)
    with cf.ThreadPoolExecutor(max_workers=1) as ex2:
        out.append(str(await asyncio.wrap_future(ex2.submit(poke, asyncio.get_running_loop()))))
    out.append(f"main after the worker's calls sees v={v.get()}")


if __name__ == "__main__":
    top_level()
    asyncio.run(main())
    for line in out:
        print(line)
