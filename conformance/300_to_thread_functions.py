# oracle: 3.13
"""to_thread and run_in_executor with plain module-level functions and lambdas, as a port would
pass them: results, arguments, a function printing in its thread, a TypeError raised there and
caught by the awaiting task, a ProcessPoolExecutor given a module-level function, the loop
running meanwhile."""
import asyncio
import concurrent.futures


def blocking_io(n):
    total = 0
    for i in range(n):
        total += i
    print(f"in thread: summed {n} numbers")
    return total


def fails(x):
    raise TypeError(f"bad value {x}")


def square(x):
    return x * x


async def ticker(log):
    for i in range(3):
        log.append(f"tick {i}")
        await asyncio.sleep(0)


async def main():
    log = []
    t = asyncio.create_task(ticker(log))
    print("result", await asyncio.to_thread(blocking_io, 1000))
    await t
    print(log)
    print("lambda", await asyncio.to_thread(lambda a, b: a * b, 6, 7))
    try:
        await asyncio.to_thread(fails, 3)
    except TypeError as e:
        print("caught", type(e).__name__, e)
    loop = asyncio.get_running_loop()
    print("executor", await loop.run_in_executor(None, square, 12))
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = await asyncio.gather(*(loop.run_in_executor(pool, square, i) for i in range(5)))
        print("pool", results)
        print("map", list(pool.map(square, [1, 2, 3])))
    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:
        print("process", await loop.run_in_executor(pool, square, 9))


if __name__ == "__main__":
    asyncio.run(main())
