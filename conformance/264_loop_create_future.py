# oracle: 3.13
"""A loop subclass supplies its own Future class through create_future(): which asyncio APIs
call it (and create_task) how many times; a Task made on a loop that is not running yet; a
task factory's task class."""
import asyncio, contextvars

counts = {}
def bump(k):
    counts[k] = counts.get(k, 0) + 1

class MyFuture(asyncio.Future):
    pass

class MyTask(asyncio.Task):
    pass

class MyLoop(asyncio.EventLoop):
    def create_future(self):
        bump("create_future")
        return MyFuture(loop=self)
    def create_task(self, coro, **kw):
        bump("create_task")
        return super().create_task(coro, **kw)

def flush(label):
    print(label, dict(sorted(counts.items())))
    counts.clear()

async def child(x):
    await asyncio.sleep(0)
    return x

async def main():
    loop = asyncio.get_running_loop()
    print("loop type:", type(loop).__name__, isinstance(loop, asyncio.AbstractEventLoop))
    flush("start")
    await asyncio.sleep(0)
    flush("sleep(0)")
    await asyncio.sleep(0.001)
    flush("sleep(0.001)")
    t = asyncio.create_task(child(1))
    flush("create_task")
    await t
    flush("await task")
    print(await asyncio.gather(child(1), child(2)))
    flush("gather(2 coros)")
    print(await asyncio.gather())
    flush("gather()")
    await asyncio.wait_for(child(3), 1)
    flush("wait_for")
    async with asyncio.timeout(1):
        await child(4)
    flush("timeout")
    await asyncio.wait([asyncio.ensure_future(child(5))])
    flush("wait")
    await asyncio.shield(child(6))
    flush("shield")
    q = asyncio.Queue()
    loop.call_soon(q.put_nowait, 1)
    await q.get()
    flush("queue.get blocking")
    lock = asyncio.Lock()
    await lock.acquire()
    loop.call_soon(lock.release)
    await lock.acquire()
    flush("lock contention")
    ev = asyncio.Event()
    loop.call_soon(ev.set)
    await ev.wait()
    flush("event.wait")
    async with asyncio.TaskGroup() as tg:
        tg.create_task(child(7))
    flush("taskgroup")
    for f in asyncio.as_completed([child(8)]):
        await f
    flush("as_completed")
    ctx = contextvars.copy_context()
    t = MyTask(child(9), loop=loop, name="custom", context=ctx)
    print("MyTask:", t.get_name(), t.get_context() is ctx, t in asyncio.all_tasks(), await t)
    flush("MyTask")
    f = asyncio.Future(loop=loop)
    print("Future(loop=) get_loop:", f.get_loop() is loop)
    f.cancel()

asyncio.run(main(), loop_factory=MyLoop)

# Task on a not-yet-running loop
loop = asyncio.new_event_loop()
async def who():
    return type(asyncio.current_task()).__name__, asyncio.current_task().get_name()
t = asyncio.Task(who(), loop=loop, name="pre")
print("before run:", t.get_loop() is loop, t in asyncio.all_tasks(loop), t.done())
print(loop.run_until_complete(t))
loop.set_task_factory(lambda l, c, **kw: MyTask(c, loop=l, **kw))
print(loop.run_until_complete(who()))
loop.close()
