# oracle: 3.13
"""close() of a suspended library coroutine (GeneratorExit at its await; in asyncio-ts the
generator's return(), which the library itself uses to close a stray call's coroutine): the
cleanup each primitive does, woken or not, and what a second waiter sees afterwards."""
import asyncio

def exc(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

def state(x):
    if isinstance(x, asyncio.Queue):
        return str(x)
    r = repr(x)
    return r[r.index("["):]

def start(coro):
    coro.send(None)
    return coro

def close(label, coro, *objs):
    try:
        coro.close()
        print(label, "closed:", *[state(o) for o in objs])
    except BaseException as e:
        print(label, "close raised", exc(e), *[state(o) for o in objs])

async def outcome(t, timeout=0.05):
    try:
        return repr(await asyncio.wait_for(t, timeout))
    except BaseException as e:
        return exc(e)

async def main():
    # Lock: not woken / woken
    lock = asyncio.Lock()
    await lock.acquire()
    a = start(lock.acquire())
    t = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    close("lock not woken", a, lock)
    lock.release()
    print(" next:", await outcome(t), state(lock))
    a = start(lock.acquire())
    t = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    lock.release()
    close("lock woken", a, lock)
    print(" next:", await outcome(t), state(lock))

    # Semaphore: woken
    sem = asyncio.Semaphore(0)
    a = start(sem.acquire())
    t = asyncio.create_task(sem.acquire())
    await asyncio.sleep(0)
    sem.release()
    close("sem woken", a, sem)
    print(" next:", await outcome(t), state(sem), sem._value)

    # Event
    ev = asyncio.Event()
    a = start(ev.wait())
    close("event", a, ev)

    # Condition: not notified / notified / wait_for
    for notified in (False, True):
        cond = asyncio.Condition()
        await cond.acquire()
        a = start(cond.wait())
        async def b():
            async with cond:
                await cond.wait()
                return "b woke"
        tb = asyncio.create_task(b())
        await asyncio.sleep(0)
        await cond.acquire()
        if notified:
            cond.notify(1)
        cond.release()
        close(f"cond notified={notified}", a, cond)
        print(" locked after close:", cond.locked())
        if cond.locked():
            cond.release()
        if not notified:
            async with cond:
                cond.notify()
        print(" b:", await outcome(tb), state(cond))
    cond = asyncio.Condition()
    await cond.acquire()
    a = start(cond.wait_for(lambda: False))
    close("cond wait_for", a, cond)
    print(" locked:", cond.locked())

    # Barrier
    barrier = asyncio.Barrier(3)
    a = start(barrier.wait())
    t = asyncio.create_task(barrier.wait())
    await asyncio.sleep(0)
    print("barrier before:", state(barrier), barrier._count)
    close("barrier", a, barrier, barrier._cond)
    print(" count:", barrier._count)
    t2 = asyncio.create_task(barrier.wait())
    t3 = asyncio.create_task(barrier.wait())
    print(" others:", await outcome(t), await outcome(t2), await outcome(t3), state(barrier))

    # Queue get woken / put woken / join
    q = asyncio.Queue()
    a = start(q.get())
    t = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    q.put_nowait(1)
    close("queue get woken", a, q)
    print(" next:", await outcome(t), state(q))
    q = asyncio.Queue(1)
    q.put_nowait(0)
    a = start(q.put(1))
    t = asyncio.create_task(q.put(2))
    await asyncio.sleep(0)
    q.get_nowait()
    close("queue put woken", a, q)
    print(" next:", await outcome(t), state(q))
    a = start(q.join())
    close("queue join", a, q, q._finished)

asyncio.run(main())
