# oracle: 3.13 — Semaphore.acquire() wakes every waiter the value allows (3.11 wakes one)
"""asyncio.Semaphore and BoundedSemaphore. Errors and reprs; strict FIFO (no barging even while
the value is above zero); waiters cancelled before being woken do not consume a release; a
waiter woken then cancelled gives its slot to the next one; release() above the initial value
(allowed for Semaphore, ValueError for BoundedSemaphore); a successful acquire() wakes every
waiter the value allows. Mirrors test_locks SemaphoreTests (test_initial_value_zero, test_repr,
test_semaphore_value, test_acquire, test_acquire_cancel, test_acquire_cancel_before_awoken,
test_acquire_hang, test_acquire_no_hang, test_release_not_acquired, test_release_no_waiters,
test_acquire_fifo_order, test_acquire_fifo_order_2/_3/_4). Reprs are printed from their '['."""
import asyncio


def state(x):
    r = repr(x)
    return r[r.index("["):]


async def gather_all(tasks):
    out = []
    for t in tasks:
        try:
            out.append(await t)
        except BaseException as e:
            out.append(type(e).__name__)
    return out


async def main():
    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        print("Semaphore(-1):", type(e).__name__, e)
    print("Semaphore(0):", asyncio.Semaphore(0).locked(), state(asyncio.Semaphore(0)))
    sem = asyncio.Semaphore()
    print("Semaphore():", state(sem), "| value", sem._value)
    print("acquire ->", await sem.acquire(), "|", state(sem))
    sem.release()
    print("released:", state(sem), "| locked", sem.locked())

    # test_acquire: three slots, four acquirers
    sem = asyncio.Semaphore(3)
    result = []
    await sem.acquire()
    await sem.acquire()
    print("two acquired: locked", sem.locked(), "|", state(sem))
    async def c(n):
        await sem.acquire()
        result.append(n)
        return True
    t1, t2, t3 = (asyncio.create_task(c(i)) for i in (1, 2, 3))
    await asyncio.sleep(0)
    print("after one iteration:", result, "| locked", sem.locked(), "| waiters", len(sem._waiters), "| value", sem._value, "|", state(sem))
    t4 = asyncio.create_task(c(4))
    sem.release()
    sem.release()
    print("two releases: value", sem._value)
    await asyncio.sleep(0)
    print("after one iteration:", result, "| waiters", len(sem._waiters), "| value", sem._value, "| done", [t.done() for t in (t1, t2, t3, t4)])
    sem.release()
    print("all:", await gather_all([t2, t3, t4]), result)

    # a waiter cancelled while waiting leaves no trace
    sem = asyncio.Semaphore()
    await sem.acquire()
    acq = asyncio.create_task(sem.acquire())
    asyncio.get_running_loop().call_soon(acq.cancel)
    try:
        await acq
    except asyncio.CancelledError:
        print("cancelled acquire: waiters", len(sem._waiters), "| value", sem._value)

    # test_acquire_cancel_before_awoken
    sem = asyncio.Semaphore(value=0)
    ts = [asyncio.create_task(sem.acquire()) for _ in range(4)]
    await asyncio.sleep(0)
    ts[0].cancel()
    ts[1].cancel()
    sem.release()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("cancel before awoken: done", [t.done() for t in ts], "| value", sem._value)
    ts[2].cancel()
    ts[3].cancel()
    await asyncio.sleep(0)

    # test_acquire_hang: the woken waiter is cancelled, the slot goes to the next one
    sem = asyncio.Semaphore(value=0)
    t1 = asyncio.create_task(sem.acquire())
    t2 = asyncio.create_task(sem.acquire())
    await asyncio.sleep(0)
    t1.cancel()
    sem.release()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("acquire hang: locked", sem.locked(), "| t1 cancelled", t1.cancelled(), "| t2 done", t2.done())

    # woken, then cancelled before it ran: the slot is handed on
    sem = asyncio.Semaphore(value=0)
    t1 = asyncio.create_task(sem.acquire())
    t2 = asyncio.create_task(sem.acquire())
    await asyncio.sleep(0)
    sem.release()
    t1.cancel()
    print("woken+cancelled: value", sem._value, "|", state(sem))
    await asyncio.sleep(0)
    print("next iteration: t1 cancelled", t1.cancelled(), "| t2 done", t2.done(), "| value", sem._value)
    await asyncio.sleep(0)
    print("one more: t2 done", t2.done(), "|", state(sem))

    # test_acquire_no_hang
    sem = asyncio.Semaphore(1)
    async def c1():
        async with sem:
            await asyncio.sleep(0)
        t2.cancel()
    async def c2():
        async with sem:
            print("never here")
    t1 = asyncio.create_task(c1())
    t2 = asyncio.create_task(c2())
    print("no hang:", await gather_all([t1, t2]), "| locked", sem.locked(), "|", state(sem))

    # release above the initial value
    sem = asyncio.Semaphore(1)
    sem.release()
    print("Semaphore released twice: value", sem._value, "|", state(sem))
    bsem = asyncio.BoundedSemaphore()
    try:
        bsem.release()
    except ValueError as e:
        print("BoundedSemaphore:", type(e).__name__, e)
    await bsem.acquire()
    bsem.release()
    print("BoundedSemaphore acquire+release:", state(bsem), "| is Semaphore", isinstance(bsem, asyncio.Semaphore))

    # test_acquire_fifo_order
    sem = asyncio.Semaphore(1)
    result = []
    async def coro(tag):
        await sem.acquire()
        result.append(f"{tag}_1")
        await asyncio.sleep(0.01)
        sem.release()
        await sem.acquire()
        result.append(f"{tag}_2")
        await asyncio.sleep(0.01)
        sem.release()
    await gather_all([asyncio.create_task(coro(f"c{i}")) for i in (1, 2, 3)])
    print("fifo order:", result)

    # test_acquire_fifo_order_2
    sem = asyncio.Semaphore(1)
    result = []
    async def f1():
        await sem.acquire()
        result.append(1)
        return True
    async def f2():
        await sem.acquire()
        result.append(2)
        sem.release()
        await sem.acquire()
        result.append(4)
        return True
    async def f3():
        await sem.acquire()
        result.append(3)
        return True
    tasks = [asyncio.create_task(f()) for f in (f1, f2, f3)]
    await asyncio.sleep(0)
    sem.release()
    sem.release()
    await gather_all(tasks)
    print("fifo order 2:", result)

    # test_acquire_fifo_order_3
    sem = asyncio.Semaphore(0)
    result = []
    async def g(n):
        await sem.acquire()
        result.append(n)
        return True
    tasks = [asyncio.create_task(g(i)) for i in (1, 2, 3)]
    await asyncio.sleep(0)
    tasks[0].cancel()
    await asyncio.sleep(0)
    sem.release()
    sem.release()
    print("fifo order 3:", await gather_all(tasks), result)

    # test_acquire_fifo_order_4: a successful acquire() wakes every waiter the value allows
    sem = asyncio.Semaphore(0)
    result = []
    t4 = None
    async def h1():
        result.append(f"h1 starts, value {sem._value}")
        await sem.acquire()
        result.append(f"h1 acquired, value {sem._value}")
        nonlocal t4
        t4 = asyncio.create_task(h4())
        result.append(1)
        return True
    async def h2():
        sem.release()
        sem.release()
        sem.release()
        result.append(f"h2 released 3, value {sem._value}, locked {sem.locked()}")
        await sem.acquire()
        result.append(2)
        return True
    async def h3():
        await sem.acquire()
        result.append(f"h3 acquired, locked {sem.locked()}")
        result.append(3)
        return True
    async def h4():
        result.append(4)
        return True
    tasks = [asyncio.create_task(f()) for f in (h1, h2, h3)]
    await asyncio.sleep(0)
    print("fifo order 4, after one iteration: value", sem._value, "| waiters", len(sem._waiters))
    await asyncio.sleep(0)
    await gather_all(tasks + [t4])
    print("fifo order 4:", result)

asyncio.run(main())
