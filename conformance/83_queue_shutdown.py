# oracle: 3.13 — Queue.shutdown() and QueueShutDown are new in 3.13
"""Queue.shutdown(immediate=False/True) for Queue, LifoQueue and PriorityQueue. After shutdown,
put()/put_nowait() raise QueueShutDown; get() returns the items left and raises once the queue
is empty; blocked putters and getters are woken and raise; join() still needs task_done() unless
shutdown(immediate=True) drained the queue (each drained item counts as done). str() ends with
'shutdown'. A consumer loop ends on QueueShutDown. Mirrors test_queues _QueueShutdownTestMixin
(test_format, test_shutdown_empty, test_shutdown_nonempty, test_shutdown_immediate,
test_shutdown_immediate_with_unfinished)."""
import asyncio


async def outcome(aw):
    try:
        return repr(await aw)
    except BaseException as e:
        return type(e).__name__


def outcome_now(fn, *args):
    try:
        return repr(fn(*args))
    except BaseException as e:
        return type(e).__name__


async def check_closed(q):
    print("  put:", await outcome(q.put("data")), "| put_nowait:", outcome_now(q.put_nowait, "data"),
          "| get:", await outcome(q.get()), "| get_nowait:", outcome_now(q.get_nowait))


async def main():
    for cls in (asyncio.Queue, asyncio.LifoQueue, asyncio.PriorityQueue):
        print(cls.__name__)
        q = cls()
        q.shutdown()
        print("  str after shutdown:", str(q), "| QueueShutDown is Exception", issubclass(asyncio.QueueShutDown, Exception))

        # test_shutdown_empty
        q = cls()
        get_task = asyncio.create_task(q.get())
        await asyncio.sleep(0)
        print("  blocked getter:", str(q))
        q.shutdown(immediate=False)
        print("  shutdown: qsize", q.qsize(), "|", str(q), "| getter done", get_task.done())
        await q.join()
        await asyncio.sleep(0)
        print("  getter:", get_task.done(), await outcome(get_task))
        await check_closed(q)

        # test_shutdown_nonempty
        q = cls(maxsize=1)
        q.put_nowait("data")
        join_task = asyncio.create_task(q.join())
        put_task = asyncio.create_task(q.put("data2"))
        await asyncio.sleep(0)
        print("  blocked putter:", put_task.done(), str(q))
        q.shutdown(immediate=False)
        print("  shutdown: qsize", q.qsize(), "|", str(q))
        await asyncio.sleep(0)
        print("  putter:", put_task.done(), await outcome(put_task))
        print("  get:", await q.get())
        await asyncio.sleep(0)
        print("  join done", join_task.done())
        await check_closed(q)
        q.task_done()
        await asyncio.sleep(0)
        print("  after task_done: join done", join_task.done(), "| extra task_done:", outcome_now(q.task_done))

        # test_shutdown_immediate
        q = cls()
        q.put_nowait("data")
        join_task = asyncio.create_task(q.join())
        q.shutdown(immediate=True)
        print("  immediate: qsize", q.qsize(), "|", str(q))
        await asyncio.sleep(0)
        print("  join done", join_task.done())
        await check_closed(q)
        print("  task_done:", outcome_now(q.task_done))

        # test_shutdown_immediate_with_unfinished
        q = cls()
        q.put_nowait("data")
        q.put_nowait("data")
        join_task = asyncio.create_task(q.join())
        print("  get:", await q.get())
        q.shutdown(immediate=True)
        print("  immediate with unfinished: qsize", q.qsize(), "|", str(q))
        await asyncio.sleep(0)
        print("  join done", join_task.done())
        await check_closed(q)
        print("  task_done:", outcome_now(q.task_done), "| again:", outcome_now(q.task_done))
        await asyncio.sleep(0)
        print("  join done", join_task.done())

    # several blocked getters and putters are all woken, in order
    q = asyncio.Queue(maxsize=1)
    q.put_nowait(0)
    log = []
    async def putter(i):
        try:
            await q.put(i)
            log.append(f"put {i}")
        except asyncio.QueueShutDown:
            log.append(f"putter {i} shut down")
    ps = [asyncio.create_task(putter(i)) for i in (1, 2)]
    await asyncio.sleep(0)
    q.shutdown()
    await asyncio.gather(*ps)
    print("putters:", log, "| get", q.get_nowait())
    q = asyncio.Queue()
    log = []
    async def getter(i):
        try:
            log.append(f"getter {i} got {await q.get()}")
        except asyncio.QueueShutDown:
            log.append(f"getter {i} shut down")
    gs = [asyncio.create_task(getter(i)) for i in (1, 2, 3)]
    await asyncio.sleep(0)
    q.put_nowait("x")
    q.shutdown()
    await asyncio.gather(*gs)
    print("getters:", log)

    # a consumer loop that stops at shutdown, after the items left
    q = asyncio.Queue()
    seen = []
    async def consumer():
        while True:
            try:
                item = await q.get()
            except asyncio.QueueShutDown:
                break
            seen.append(item)
            q.task_done()
        seen.append("stop")
    c = asyncio.create_task(consumer())
    for i in range(3):
        await q.put(i)
    await asyncio.sleep(0)
    q.put_nowait(3)
    q.put_nowait(4)
    q.shutdown()
    await c
    await q.join()
    print("consumer saw:", seen)

asyncio.run(main())
