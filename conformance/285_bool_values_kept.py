# oracle: 3.13
"""Semaphore/BoundedSemaphore/Barrier keep a bool value as given (repr value:True, parties True)."""
import asyncio
def state(x):
    r = repr(x); return r[r.index("["):]
async def main():
    s = asyncio.Semaphore(True); print(state(s), s._value)
    await s.acquire(); print(state(s)); s.release(); print(state(s))
    s = asyncio.Semaphore(False); print(state(s))
    b = asyncio.BoundedSemaphore(True); print(state(b))
    try: b.release()
    except ValueError as e: print(e)
    print(state(asyncio.Barrier(True)), asyncio.Barrier(True).parties)
    q = asyncio.Queue(True); print(str(q), q.maxsize); q.put_nowait(1); print(q.full())
    c = asyncio.Condition(); await c.acquire()
    async def w():
        async with c:
            await c.wait()
    c.release()
    ws = [asyncio.create_task(w()) for _ in range(3)]
    await asyncio.sleep(0)
    await c.acquire()
    c.notify(True); print(state(c)); c.notify(1.5); print(state(c)); c.release()
    await asyncio.sleep(0); await asyncio.sleep(0); await asyncio.sleep(0); print([w.done() for w in ws])
asyncio.run(main())
