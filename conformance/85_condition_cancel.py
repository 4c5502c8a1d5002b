# oracle: 3.13 — a failed Condition.wait() notifies another waiter and re-raises its own CancelledError (3.11 raises a new one)
"""Condition and cancellation. A wait cancelled while contesting the lock; cancelled right after
notify (bpo-32841); the CancelledError that leaves wait() is the very instance that was raised
(when waiting and when re-acquiring); a waiter cancelled as it is notified passes the wake-up to
another waiter (no lost wake-up), while waiting for the wake-up and while re-acquiring the lock;
notify() skips waiters already cancelled; reprs; a lock or condition bound to another loop.
Mirrors test_locks ConditionTests (test_wait_cancel_contested, test_wait_cancel_after_notify,
test_cancelled_error_wakeup, test_cancelled_error_re_aquire, test_cancelled_wakeup,
test_cancelled_wakeup_relock, test_repr, test_ambiguous_loops) and EventTests.test_repr."""
import asyncio


def state(x):
    r = repr(x)
    return r[r.index("["):]


async def main():
    cond = asyncio.Condition()
    print("repr:", state(cond))
    await cond.acquire()
    print("acquired:", state(cond))
    w = asyncio.create_task(cond.wait())
    await asyncio.sleep(0)
    print("one waiter:", state(cond), "| lock", state(cond._lock))
    w.cancel()
    await asyncio.sleep(0)
    print("cancelled waiter holds the lock:", state(cond), "| cancelled", w.cancelled())
    cond.release()

    ev = asyncio.Event()
    ew = asyncio.create_task(ev.wait())
    await asyncio.sleep(0)
    print("Event:", state(ev))
    ev.set()
    print("Event set:", state(ev))
    await ew
    print("Event waiter done:", state(ev))

    # test_wait_cancel_contested: notified, lock contested, cancel arrives too late to matter
    await cond.acquire()
    wait_task = asyncio.create_task(cond.wait())
    await asyncio.sleep(0)
    print("contested: locked while waiting", cond.locked())
    await cond.acquire()
    cond.notify()
    loop = asyncio.get_running_loop()
    loop.call_soon(wait_task.cancel)
    loop.call_soon(cond.release)
    try:
        print("contested: wait() ->", await wait_task)
    except asyncio.CancelledError:
        print("contested: cancelled")
    print("contested: locked", cond.locked())
    cond.release()

    # test_wait_cancel_after_notify (bpo-32841)
    waited = False
    async def wait_on_cond():
        nonlocal waited
        async with cond:
            waited = True
            await cond.wait()
    waiter = asyncio.create_task(wait_on_cond())
    await asyncio.sleep(0)
    await cond.acquire()
    cond.notify()
    await asyncio.sleep(0)
    waiter.cancel()
    await asyncio.sleep(0)
    cond.release()
    await asyncio.sleep(0)
    print("cancel after notify: cancelled", waiter.cancelled(), "| waited", waited, "| locked", cond.locked())

    # test_cancelled_error_wakeup / test_cancelled_error_re_aquire: the same CancelledError
    for phase in ("waiting", "re-acquiring"):
        wake = False
        raised = None
        cond = asyncio.Condition()
        async def func():
            nonlocal raised
            async with cond:
                try:
                    await cond.wait_for(lambda: wake)
                except asyncio.CancelledError as e:
                    raised = e
                    raise
        task = asyncio.create_task(func())
        await asyncio.sleep(0)
        if phase == "re-acquiring":
            await cond.acquire()
            wake = True
            cond.notify()
            await asyncio.sleep(0)
            task.cancel(msg="foo")
            cond.release()
        else:
            task.cancel(msg="foo")
        try:
            await task
        except asyncio.CancelledError as e:
            print(f"cancelled while {phase}: args", e.args, "| same instance", e is raised, "| locked", cond.locked())

    # test_cancelled_wakeup / test_cancelled_wakeup_relock: no lost wake-up
    for relock in (False, True):
        condition = asyncio.Condition()
        st = 0
        log = []
        async def consumer(k):
            nonlocal st
            try:
                async with condition:
                    while True:
                        await condition.wait_for(lambda: st != 0)
                        if st < 0:
                            log.append(f"c{k} exits")
                            return
                        st -= 1
                        log.append(f"c{k} consumed")
            except asyncio.CancelledError:
                log.append(f"c{k} cancelled")
                raise
        c = [asyncio.create_task(consumer(k)) for k in range(2)]
        await asyncio.sleep(0)
        async with condition:
            st += 1
            condition.notify(1)
            if relock:
                await asyncio.sleep(0)
            c[0].cancel()
            try:
                async with asyncio.timeout(0.01):
                    await condition.wait_for(lambda: st == 0)
            except TimeoutError:
                log.append("timed out")
            log.append(f"state {st}")
            st = -1
            condition.notify_all()
        await c[1]
        print("relock" if relock else "wakeup", "cancelled as notified:", log)

    # notify() skips a waiter whose wait was cancelled but has not run yet
    cond = asyncio.Condition()
    got = []
    async def w2(k):
        async with cond:
            await cond.wait()
            got.append(k)
    ws = [asyncio.create_task(w2(k)) for k in range(3)]
    await asyncio.sleep(0)
    ws[0].cancel()
    async with cond:
        cond.notify(1)
    for t in ws[:2]:
        try:
            await t
        except asyncio.CancelledError:
            pass
    print("notify skips the cancelled waiter, whose exit notifies the next:", got, "| cancelled", [t.cancelled() for t in ws], "|", state(cond))
    async with cond:
        cond.notify_all()
    await ws[2]

    return True


asyncio.run(main())


async def ambiguous_loops():
    other = asyncio.new_event_loop()
    lock = asyncio.Lock()
    lock._loop = other
    async with lock:
        cond = asyncio.Condition(lock)
        try:
            await cond.acquire()
        except RuntimeError as e:
            print("lock of another loop:", str(e).endswith("is bound to a different event loop"))
    lock = asyncio.Lock()
    async with lock:
        cond = asyncio.Condition(lock)
        cond._loop = other
        try:
            await cond.wait()
        except RuntimeError as e:
            print("condition of another loop:", str(e).endswith("is bound to a different event loop"), "| locked", lock.locked())
    other.close()

asyncio.run(ambiguous_loops())
