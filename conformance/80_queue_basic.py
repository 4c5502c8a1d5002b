"""Queue basics. Order of Queue / LifoQueue / PriorityQueue; PriorityQueue compares items like
Python (tuples element by element; equal items come out in heap order, not FIFO); maxsize, full()
(also with a float maxsize) and the maxsize property; QueueEmpty / QueueFull; put() blocking while
full; str() of queues (getters, putters, unfinished tasks); a put_nowait() whose comparison fails
raises TypeError and leaves the item in the heap, uncounted; the number of loop iterations a
get()/put() hand-off costs. Mirrors test_queues QueueBasicTests (test_repr, test_str, test_order,
test_maxsize, test_float_maxsize, test_empty, test_full, test_nonblocking_get_exception,
test_nonblocking_put_exception), QueueGetTests.test_blocking_get_wait, PriorityQueueTests.
Tuples are printed as lists so that the output is the same in both languages."""
import asyncio


class Job:
    """Ordered by priority only, like a compare function (the name does not take part)."""
    def __init__(self, p, name):
        self.p, self.name = p, name

    def __lt__(self, other):
        return self.p < other.p


async def main():
    for cls in (asyncio.Queue, asyncio.LifoQueue, asyncio.PriorityQueue):
        q = cls()
        for i in (1, 3, 2):
            q.put_nowait(i)
        print(cls.__name__, "order:", [q.get_nowait() for _ in range(3)], "| str", str(q))

    pq = asyncio.PriorityQueue()
    for item in ((3, 'a'), (1, 'z'), (2, 'b'), (1, 'a'), (2, 'a', 0), (2, 'a')):
        pq.put_nowait(item)
    print("PriorityQueue tuples:", [list(pq.get_nowait()) for _ in range(pq.qsize())])

    pq = asyncio.PriorityQueue()
    for i in range(8):
        pq.put_nowait(Job(0, f"at{i}"))
    print("equal priorities, heap order:", [pq.get_nowait().name for _ in range(8)])
    for i, p in enumerate((5, 1, 4, 1, 5, 9, 2, 6)):
        pq.put_nowait(Job(p, f"j{i}"))
    print("mixed priorities:", [pq.get_nowait().name for _ in range(8)])

    # maxsize, full(), empty(), qsize()
    q = asyncio.Queue(maxsize=2)
    print("maxsize", q.maxsize, "| full", q.full(), "| empty", q.empty(), "| qsize", q.qsize())
    q.put_nowait(1)
    q.put_nowait(2)
    print("after 2 puts: full", q.full(), "| empty", q.empty(), "| qsize", q.qsize())
    try:
        q.put_nowait(3)
    except asyncio.QueueFull as e:
        print("put_nowait on full:", type(e).__name__, "| args", len(e.args), "| Exception", isinstance(e, Exception))
    q.get_nowait()
    q.get_nowait()
    try:
        q.get_nowait()
    except asyncio.QueueEmpty as e:
        print("get_nowait on empty:", type(e).__name__, "| args", len(e.args), "| Exception", isinstance(e, Exception))
    for size in (0, -1):
        q = asyncio.Queue(size)
        for i in range(100):
            q.put_nowait(i)
        print(f"maxsize {size}: 100 items, full", q.full(), "| qsize", q.qsize())
    q = asyncio.Queue(maxsize=1.3)
    q.put_nowait(1)
    full1 = q.full()
    q.put_nowait(2)
    print("maxsize 1.3: full after 1", full1, "| after 2", q.full(), "| str", str(q))

    # put() blocks while the queue is full
    q = asyncio.Queue(maxsize=2)
    have = []
    async def putter():
        for i in range(3):
            await q.put(i)
            have.append(i)
    t = asyncio.create_task(putter())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("putter has put", have, "|", str(q))
    print("get ->", await q.get(), "|", str(q))
    await asyncio.sleep(0)
    print("after one get and one iteration:", have, "|", str(q))
    await t

    # str() shows waiting getters and unfinished tasks
    q = asyncio.Queue(5)
    q.put_nowait(1)
    print(str(q))
    q.get_nowait()
    print(str(q))
    getters = [asyncio.create_task(q.get()) for _ in range(2)]
    await asyncio.sleep(0)
    print(str(q))
    q.put_nowait("x")
    print("after put_nowait (one getter popped):", str(q))
    q.put_nowait("y")
    print("got", [await g for g in getters], "|", str(q))

    # a failing comparison: TypeError, the item stays in the heap but is not counted
    pq = asyncio.PriorityQueue()
    pq.put_nowait(1)
    try:
        pq.put_nowait("a")
    except TypeError as e:
        print("TypeError:", e)
    print("after failed put:", str(pq), "| qsize", pq.qsize())
    print("get_nowait ->", pq.get_nowait(), "|", str(pq))
    for bad in ((1, 2), None):
        pq = asyncio.PriorityQueue()
        pq.put_nowait((1, 'a'))
        try:
            pq.put_nowait(bad)
        except TypeError as e:
            print("TypeError:", str(e).replace("'tuple'", "'list'"))

    # iterations: a get() that waits costs 2 iterations when a callback puts the item
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

    q = asyncio.Queue()
    async def get_ready():
        q.put_nowait(1)
        await q.get()
    await measure("get() with an item ready", get_ready)
    async def get_from_callback():
        loop.call_soon(q.put_nowait, 2)
        await q.get()
    await measure("get() released by call_soon(put_nowait)", get_from_callback)
    q1 = asyncio.Queue(1)
    async def put_from_callback():
        q1.put_nowait(0)
        loop.call_soon(q1.get_nowait)
        await q1.put(1)
    await measure("put() released by call_soon(get_nowait)", put_from_callback)
    async def join_from_callback():
        q1.get_nowait()
        q1.task_done()
        loop.call_soon(q1.task_done)
        await q1.join()
    await measure("join() released by call_soon(task_done)", join_from_callback)

asyncio.run(main())
