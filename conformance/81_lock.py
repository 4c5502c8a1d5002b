"""asyncio.Lock. repr states; release() when unlocked; strict FIFO hand-off (and locked() is
False between release() and the woken waiter running); no barging by a newcomer while a woken
waiter has not run; a cancelled waiter leaves the queue; a waiter woken then cancelled passes
the lock on; the cancel/release races of bpo-32734; `async with` releases on error; the loop
binding; iteration costs. Mirrors test_locks LockTests (test_repr, test_lock, test_acquire,
test_acquire_cancel, test_cancel_race, test_cancel_release_race, test_finished_waiter_cancelled,
test_release_not_acquired, test_context_manager). The repr is printed from its '[' on: the
part before it holds the module path and an address."""
import asyncio


def state(x):
    r = repr(x)
    return r[r.index("["):]


async def main():
    lock = asyncio.Lock()
    print("repr:", state(lock), "| locked", lock.locked())
    try:
        lock.release()
    except RuntimeError as e:
        print("release unlocked:", type(e).__name__, e)
    print("acquire ->", await lock.acquire(), "|", state(lock))
    waiters = [asyncio.create_task(lock.acquire()) for _ in range(2)]
    await asyncio.sleep(0)
    print("two waiters:", state(lock))
    lock.release()
    print("just released:", state(lock), "| locked", lock.locked())
    await asyncio.sleep(0)
    print("first waiter ran:", state(lock), "| done", [w.done() for w in waiters])
    lock.release()
    await asyncio.sleep(0)
    lock.release()
    print("all done:", [w.result() for w in waiters], state(lock))

    # FIFO hand-off (test_acquire)
    result = []
    await lock.acquire()
    async def c(n):
        if await lock.acquire():
            result.append(n)
        return True
    t1 = asyncio.create_task(c(1))
    t2 = asyncio.create_task(c(2))
    await asyncio.sleep(0)
    print("fifo, nobody yet:", result)
    lock.release()
    await asyncio.sleep(0)
    print("fifo, after 1st release:", result)
    await asyncio.sleep(0)
    print("fifo, one more iteration:", result)
    t3 = asyncio.create_task(c(3))
    lock.release()
    await asyncio.sleep(0)
    print("fifo, after 2nd release:", result)
    lock.release()
    await asyncio.sleep(0)
    print("fifo, after 3rd release:", result, "| tasks done", t1.done(), t2.done(), t3.done())
    lock.release()

    # no barging: a newcomer queues behind a woken waiter that has not run yet
    order = []
    await lock.acquire()
    async def user(name):
        await lock.acquire()
        order.append(name)
        lock.release()
    w = asyncio.create_task(user("waiter"))
    await asyncio.sleep(0)
    lock.release()
    b = asyncio.create_task(user("barger"))
    await w
    await b
    print("no barging:", order)

    # cancelled waiter is removed (test_acquire_cancel)
    await lock.acquire()
    task = asyncio.create_task(lock.acquire())
    asyncio.get_running_loop().call_soon(task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        print("cancelled waiter:", task.cancelled(), "| waiters", len(lock._waiters), "|", state(lock))
    lock.release()

    # woken, then cancelled before running: the next waiter gets the lock
    await lock.acquire()
    tb = asyncio.create_task(lock.acquire())
    tc = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    lock.release()
    tb.cancel()
    await asyncio.sleep(0)
    print("woken+cancelled: tb cancelled", tb.cancelled(), "| tc done", tc.done(), "| locked", lock.locked())
    await asyncio.sleep(0)
    print("one iteration later: tc done", tc.done(), "| locked", lock.locked())
    lock.release()

    # test_finished_waiter_cancelled: a second waiter created after the first was woken
    await lock.acquire()
    tb = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    tc = asyncio.create_task(lock.acquire())
    tb.cancel()
    lock.release()
    await asyncio.sleep(0)
    print("finished waiter cancelled: locked", lock.locked(), "| tb cancelled", tb.cancelled())
    await tc
    print("tc acquired:", tc.result())
    lock.release()

    # test_cancel_race: B cancelled while A releases; C still gets the lock
    async def lockit(name, blocker):
        await lock.acquire()
        try:
            if blocker is not None:
                await blocker
        finally:
            lock.release()
    fa = asyncio.get_running_loop().create_future()
    ta = asyncio.create_task(lockit("A", fa))
    await asyncio.sleep(0)
    tb = asyncio.create_task(lockit("B", None))
    await asyncio.sleep(0)
    tc = asyncio.create_task(lockit("C", None))
    await asyncio.sleep(0)
    print("cancel race: waiters", len(lock._waiters))
    fa.set_result(None)
    tb.cancel()
    await asyncio.sleep(0)
    print("cancel race: locked", lock.locked(), "| A done", ta.done(), "| B cancelled", tb.cancelled())
    await asyncio.sleep(0)
    print("cancel race: C done", tc.done(), "| locked", lock.locked())

    # test_cancel_release_race (bpo-32734): exactly one of the remaining acquirers wins
    lock_count = 0
    call_count = 0
    async def lockit2():
        nonlocal lock_count, call_count
        call_count += 1
        await lock.acquire()
        lock_count += 1
    await lock.acquire()
    t1 = asyncio.create_task(lockit2())
    t2 = asyncio.create_task(lockit2())
    t3 = asyncio.create_task(lockit2())
    await asyncio.sleep(0)
    def trigger():
        t1.cancel()
        lock.release()
    asyncio.get_running_loop().call_soon(trigger)
    try:
        await t1
    except asyncio.CancelledError:
        pass
    print("cancel/release race: lock_count", lock_count, "| call_count", call_count,
          "| t1 cancelled", t1.cancelled(), "| t2 done", t2.done())
    t3.cancel()
    await asyncio.sleep(0)
    print("t3 cancelled", t3.cancelled(), "|", state(lock))
    lock.release()

    # async with: held inside, released after, also when the body raises
    async with lock:
        print("in async with:", lock.locked())
    print("after async with:", lock.locked())
    try:
        async with lock:
            raise ValueError("boom")
    except ValueError as e:
        print("body raised", repr(e), "| locked", lock.locked())

    # iterations: uncontended async with costs none; a hand-off costs one
    loop = asyncio.get_running_loop()
    counter = {"n": 0, "on": False}
    def tick():
        if counter["on"]:
            counter["n"] += 1
            loop.call_soon(tick)
    async def measure(label, fn):
        counter["n"], counter["on"] = 0, True
        loop.call_soon(tick)
        await fn()
        counter["on"] = False
        print(f"{label}: {counter['n']} iterations")
        await asyncio.sleep(0)
    async def uncontended():
        async with lock:
            pass
    await measure("uncontended async with", uncontended)
    async def handoff():
        await lock.acquire()
        loop.call_soon(lock.release)
        await lock.acquire()
        lock.release()
    await measure("acquire released by call_soon(release)", handoff)

    return lock

lock = asyncio.run(main())

# a lock that has waited in one loop is bound to it
async def other_loop():
    await lock.acquire()
    t = asyncio.create_task(lock.acquire())
    try:
        await t
    except RuntimeError as e:
        print("other loop:", type(e).__name__, str(e).endswith("is bound to a different event loop"))
asyncio.run(other_loop())
