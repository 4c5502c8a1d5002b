"""asyncio.Barrier (3.11+). parties must be > 0; wait() returns arrival indices; states filling ->
draining -> filling with the repr and n_waiting along the way; a task cancelled while waiting
leaves the barrier; tasks arriving while it drains wait for the next round; reset() breaks the
current waiters (BrokenBarrierError, a RuntimeError) and the barrier is reusable; abort() breaks
it for good until reset(). Mirrors test_locks BarrierTests (test_barrier_parties, test_repr,
test_filling_one_task_twice, test_filling_task_by_task, test_filling_tasks_wait_twice,
test_draining_state, test_blocking_tasks_while_draining, test_filling_tasks_cancel_one,
test_reset_barrier*, test_abort_barrier*). Reprs are printed from their '['; a log records the
order of events."""
import asyncio

N = 5


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
    for p in (0, -4):
        try:
            asyncio.Barrier(p)
        except ValueError as e:
            print(f"Barrier({p}):", type(e).__name__, e)
    print("BrokenBarrierError is RuntimeError:", issubclass(asyncio.BrokenBarrierError, RuntimeError))

    # test_repr flow
    barrier = asyncio.Barrier(N)
    print("new:", state(barrier), "| parties", barrier.parties, "| n_waiting", barrier.n_waiting, "| broken", barrier.broken)
    waiters = [asyncio.create_task(barrier.wait()) for _ in range(2)]
    await asyncio.sleep(0)
    print("2 waiting:", state(barrier))
    waiters += [asyncio.create_task(barrier.wait()) for _ in range(barrier.parties - barrier.n_waiting)]
    await asyncio.sleep(0)
    print("all arrived:", state(barrier), "| n_waiting", barrier.n_waiting)
    waiters += [asyncio.create_task(barrier.wait()) for _ in range(2)]
    await asyncio.sleep(0)
    print("2 more while draining:", state(barrier))
    await barrier.reset()
    print("reset:", state(barrier))
    waiters += [asyncio.create_task(barrier.wait()) for _ in range(2)]
    await asyncio.sleep(0)
    await barrier.abort()
    print("abort:", state(barrier), "| broken", barrier.broken, "| n_waiting", barrier.n_waiting)
    print("results:", await gather_all(waiters))
    try:
        await barrier.wait()
    except asyncio.BrokenBarrierError as e:
        print("wait on broken:", type(e).__name__, e)
    await barrier.reset()
    print("reset after abort:", state(barrier), "| broken", barrier.broken)

    # filling task by task; indices in arrival order
    barrier = asyncio.Barrier(3)
    ts = []
    for k in range(3):
        ts.append(asyncio.create_task(barrier.wait()))
        await asyncio.sleep(0)
        print(f"after task {k}:", state(barrier), "| n_waiting", barrier.n_waiting, "| done", [t.done() for t in ts])
    await asyncio.sleep(0)
    print("indices:", await gather_all(ts), "|", state(barrier))

    # one party, twice
    barrier = asyncio.Barrier(1)
    t1 = asyncio.create_task(barrier.wait())
    await asyncio.sleep(0)
    t2 = asyncio.create_task(barrier.wait())
    await asyncio.sleep(0)
    print("one party:", t1.result(), t2.result(), "| n_waiting", barrier.n_waiting, "|", state(barrier))

    # the draining state seen from inside; waiting twice
    barrier = asyncio.Barrier(N)
    log = []
    async def coro(k):
        i = await barrier.wait()
        log.append((k, i, "draining" in repr(barrier)))
        j = await barrier.wait()
        log.append((k, j))
        return i
    print("draining:", await gather_all([asyncio.create_task(coro(k)) for k in range(N)]))
    print("log:", [list(x) for x in log], "|", state(barrier))

    # tasks arriving while draining wait for the next round
    rewait = 2
    barrier = asyncio.Barrier(N)
    barrier_nowaiting = asyncio.Barrier(N - rewait)
    rewait_n = rewait
    log = []
    async def coro2(k):
        nonlocal rewait_n
        await barrier.wait()
        if rewait_n > 0:
            rewait_n -= 1
            log.append(f"{k} rewaits")
            await barrier.wait()
        else:
            await barrier_nowaiting.wait()
            log.append(f"{k} passed the second barrier")
            await barrier.wait()
        log.append(f"{k} out")
    await gather_all([asyncio.create_task(coro2(k)) for k in range(N)])
    print("blocking while draining:", log)

    # a task cancelled while waiting leaves the barrier
    barrier = asyncio.Barrier(3)
    results = []
    async def coro3():
        await barrier.wait()
        results.append(True)
    t1 = asyncio.create_task(coro3())
    await asyncio.sleep(0)
    t2 = asyncio.create_task(coro3())
    await asyncio.sleep(0)
    print("cancel one: n_waiting", barrier.n_waiting)
    t1.cancel()
    await asyncio.sleep(0)
    print("after cancel: n_waiting", barrier.n_waiting, "|", await gather_all([t1]))
    t3 = asyncio.create_task(coro3())
    await asyncio.sleep(0)
    print("n_waiting", barrier.n_waiting)
    t4 = asyncio.create_task(coro3())
    await gather_all([t2, t3, t4])
    print("results:", results, "|", state(barrier))

    # reset with nobody waiting; reset while tasks wait
    barrier = asyncio.Barrier(1)
    asyncio.create_task(barrier.reset())
    await asyncio.sleep(0)
    print("reset empty:", state(barrier))
    barrier = asyncio.Barrier(N)
    log = []
    async def coro4(k):
        try:
            await barrier.wait()
        except asyncio.BrokenBarrierError as e:
            log.append(f"{k} {e}")
    tasks = [asyncio.create_task(coro4(k)) for k in range(N - 1)]
    await asyncio.sleep(0)
    asyncio.create_task(barrier.reset())
    await gather_all(tasks)
    print("reset while waiting:", log, "|", state(barrier))

    # reset when tasks are half draining
    barrier = asyncio.Barrier(N)
    log = []
    rest = N // 2
    async def coro5(k):
        try:
            await barrier.wait()
        except asyncio.BrokenBarrierError:
            log.append(f"{k} broken")
        else:
            log.append(f"{k} passed, count {barrier._count}")
            if rest == barrier._count:
                await barrier.reset()
                log.append(f"{k} reset")
    await gather_all([asyncio.create_task(coro5(k)) for k in range(N)])
    print("half draining:", log, "|", state(barrier))

    # reset when half draining, half blocking
    barrier = asyncio.Barrier(N)
    log = []
    count = 0
    blocking = N // 2
    async def coro6(k):
        nonlocal count
        try:
            await barrier.wait()
        except asyncio.BrokenBarrierError:
            log.append(f"{k} broken, waits again")
            await barrier.wait()
        else:
            count += 1
            if count > blocking:
                log.append(f"{k} resets")
                await barrier.reset()
                await barrier.wait()
            else:
                try:
                    await barrier.wait()
                except asyncio.BrokenBarrierError:
                    log.append(f"{k} never")
        log.append(f"{k} out")
    await gather_all([asyncio.create_task(coro6(k)) for k in range(N)])
    print("half draining half blocking:", log, "|", state(barrier))

    # reset while waiting, then waiting again
    barrier = asyncio.Barrier(N)
    log = []
    async def coro7(k):
        try:
            await barrier.wait()
        except asyncio.BrokenBarrierError:
            log.append(f"{k} broken")
        finally:
            await barrier.wait()
            log.append(f"{k} passed")
    async def coro8():
        i = await barrier.wait()
        log.append(f"late one passed with index {i}")
    tasks = [asyncio.create_task(coro7(k)) for k in range(N - 1)]
    asyncio.create_task(barrier.reset())
    await asyncio.sleep(0)
    asyncio.create_task(coro8())
    await gather_all(tasks)
    print("reset then wait again:", log, "|", state(barrier))

    # reset while draining
    barrier = asyncio.Barrier(N)
    log = []
    count = 0
    async def coro9(k):
        nonlocal count
        await barrier.wait()
        count += 1
        if count == N:
            await barrier.reset()
            log.append(f"{k} reset")
            await barrier.wait()
        else:
            try:
                await barrier.wait()
                log.append(f"{k} second wait passed")
            except Exception as e:
                log.append(f"{k} never {e!r}")
        await barrier.wait()
        log.append(f"{k} third wait passed")
    await gather_all([asyncio.create_task(coro9(k)) for k in range(N)])
    print("reset while draining:", log, "|", state(barrier))

    # abort with nobody waiting; abort when half draining, half blocking
    barrier = asyncio.Barrier(1)
    asyncio.create_task(barrier.abort())
    await asyncio.sleep(0)
    print("abort empty:", state(barrier), "| broken", barrier.broken)
    barrier = asyncio.Barrier(N)
    log = []
    count = 0
    async def coro10(k):
        nonlocal count
        try:
            await barrier.wait()
        except asyncio.BrokenBarrierError:
            log.append(f"{k} broken in first wait")
        else:
            count += 1
            if count > blocking:
                log.append(f"{k} aborts")
                await barrier.abort()
            else:
                try:
                    await barrier.wait()
                except asyncio.BrokenBarrierError:
                    log.append(f"{k} broken in second wait")
    await gather_all([asyncio.create_task(coro10(k)) for k in range(N)])
    print("abort half draining:", log, "|", state(barrier))

    # abort on an error, then reset through a second barrier
    barrier1 = asyncio.Barrier(N)
    barrier2 = asyncio.Barrier(N)
    log = []
    async def coro11(k):
        try:
            i = await barrier1.wait()
            if i == N // 2:
                raise RuntimeError("boom")
            await barrier1.wait()
            log.append(f"{k} never")
        except asyncio.BrokenBarrierError:
            log.append(f"{k} broken")
        except RuntimeError:
            log.append(f"{k} aborts")
            await barrier1.abort()
        i = await barrier2.wait()
        if i == N // 2:
            await barrier1.reset()
            log.append(f"{k} resets")
        await barrier2.wait()
        await barrier1.wait()
        log.append(f"{k} done")
    await gather_all([asyncio.create_task(coro11(k)) for k in range(N)])
    print("abort then reset:", log, "|", state(barrier1), state(barrier2))

asyncio.run(main())
