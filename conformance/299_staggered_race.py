# oracle: 3.13
"""staggered_race (happy eyeballs' race): staggered starts, the next racer started at a failure or
after the delay, the winner's result and index, the others cancelled (their CancelledError in the
exceptions), no winner, an empty list, delay None (one after the other), the tasks it runs."""
import asyncio
from asyncio.staggered import staggered_race

log = []

def racer(name, delay, fail=False):
    async def run():
        log.append(f"start {name}")
        try:
            await asyncio.sleep(delay)
        except asyncio.CancelledError:
            log.append(f"cancelled {name}")
            raise
        if fail:
            log.append(f"fail {name}")
            raise ValueError(name)
        log.append(f"win {name}")
        return name.upper()
    return run

def show(res):
    result, index, excs = res
    print("result", repr(result), "index", index)
    print("exceptions", [type(e).__name__ if e is not None else None for e in excs])
    print("log", log)
    log.clear()

async def main():
    show(await staggered_race([racer("a", 1.0), racer("b", 0, fail=True), racer("c", 0.1)], 0.5))
    show(await staggered_race([racer("a", 0.05, fail=True), racer("b", 0.05, fail=True)], 10))
    show(await staggered_race([], 0.1))
    show(await staggered_race([racer("a", 0.05, fail=True), racer("b", 0.05)], None))
    show(await staggered_race(iter([racer("a", 0.3), racer("b", 0.05)]), 0.1))
    # the race runs in tasks of its own, each waiting for the one before it
    seen = []
    async def peek():
        await asyncio.sleep(0.02)
        seen.extend(sorted(t.get_coro().__qualname__ for t in asyncio.all_tasks() if t is not asyncio.current_task()))
        return "peeked"
    show(await staggered_race([peek, racer("z", 1.0)], 0.01))
    print("tasks", seen)
    # cancelling the caller cancels every racer
    t = asyncio.create_task(staggered_race([racer("a", 1.0), racer("b", 1.0)], 0.05))
    await asyncio.sleep(0.1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("caller cancelled")
    await asyncio.sleep(0)
    print("log", log)

asyncio.run(main())
