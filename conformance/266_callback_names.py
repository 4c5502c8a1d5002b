# oracle: 3.13
"""The names of asyncio's own done callbacks in Future and Task reprs: as_completed, shield, wait,
wrap_future, TaskGroup children, run_coroutine_threadsafe tasks."""
import asyncio, concurrent.futures, re
def r(x):
    return re.sub(r" at /[^],>]*", "", repr(x))
def tail(t):
    return r(t).split('coro=')[1].split('>', 1)[1]
async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    asyncio.as_completed([f])
    print('as_completed:', r(f)); f.set_result(1)
    f2 = loop.create_future()
    outer = asyncio.shield(f2)
    print('shield inner:', r(f2))
    print('shield outer:', r(outer))
    f3 = loop.create_future()
    t3 = asyncio.create_task(asyncio.wait([f3])); await asyncio.sleep(0)
    print('wait:', r(f3))
    c = concurrent.futures.Future()
    w = asyncio.wrap_future(c)
    print('wrap_future:', r(w))
    async with asyncio.TaskGroup() as tg:
        ct = tg.create_task(asyncio.sleep(0))
        print('tg child:', tail(ct))
    cf = asyncio.run_coroutine_threadsafe(asyncio.sleep(0.01), loop)
    await asyncio.sleep(0)
    t = [x for x in asyncio.all_tasks() if x is not asyncio.current_task() and x is not t3][0]
    print('rcts task:', tail(t))
    c.set_result(1); await w; await asyncio.wrap_future(cf)
    outer.cancel(); t3.cancel(); await asyncio.sleep(0)
asyncio.run(main())
