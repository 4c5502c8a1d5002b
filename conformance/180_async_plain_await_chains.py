"""async functions awaiting plain async functions (no suspension inside) many times between two
suspensions: a recursion 200 deep, a loop of 40 awaits of a validator. CPython runs them all
within the task's step, so the tasks interleave at their sleep(0)s only. The twin writes every
coroutine as a TypeScript async function."""
import asyncio

async def pure(n):
    if n == 0:
        return 0
    return 1 + await pure(n - 1)

async def validate(x):
    return x * 2

async def parse(items):
    out = []
    for i in items:
        out.append(await validate(i))
    return out

async def worker(name, depth):
    for step in range(3):
        v = await pure(depth)
        print(name, "step", step, v)
        await asyncio.sleep(0)

async def batch(name):
    for step in range(2):
        r = await parse(range(40))
        print(name, "batch", step, sum(r))
        await asyncio.sleep(0)

async def main():
    ts = [asyncio.create_task(worker(f"w{d}", d)) for d in (0, 5, 30, 200)]
    ts += [asyncio.create_task(batch("b"))]
    for i in range(4):
        print("main", i)
        await asyncio.sleep(0)
    await asyncio.gather(*ts)

asyncio.run(main())
