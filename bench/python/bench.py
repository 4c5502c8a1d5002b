"""CPython contender of the asyncio-ts benchmark suite (stock asyncio, or uvloop).

    python3.11 bench/python/bench.py <workload> <scale> [--uvloop] [--no-warmup] [--warmup-passes=N]

Prints one JSON line: {"workload": ..., "value": ..., "unit": ..., "check": ...}.
Sizes come from bench/workloads.json and are computed exactly like
bench/lib/workloads.ts (paramsFor); the metric like valueFrom there. Only the
timed section inside the event loop is measured, after untimed warm-up passes
at warmup_fraction of the scale (warmup_passes of them unless
--warmup-passes=N; none for the memory workload).
"""

import asyncio
import gc
import json
import math
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

UNITS = {
    "spawn": "tasks/s",
    "pingpong": "round trips/s",
    "callsoon": "callbacks/s",
    "timers": "timers/s",
    "tree": "s",
    "cancel": "tasks/s",
    "echo": "requests/s",
    "memory": "bytes/task",
}
WORKLOADS = [
    "spawn",
    "pingpong",
    "callsoon",
    "timers",
    "tree_none",
    "tree_io",
    "tree_memoization",
    "tree_cpu_io_mixed",
    "cancel",
    "echo_streams_1k",
    "echo_streams_100",
    "echo_proto_1k",
    "echo_proto_100",
    "memory",
]


def load_sizes():
    with open(os.path.join(HERE, "..", "workloads.json"), encoding="utf-8") as f:
        return json.load(f)


SIZES = load_sizes()


def round_half_up(x):
    return int(math.floor(x + 0.5))


def family_of(workload):
    return workload.split("_")[0]


def params_for(workload, scale):
    """Mirror of paramsFor() in bench/lib/workloads.ts."""
    fam = family_of(workload)
    p = {"workload": workload, "family": fam, "scale": scale}
    if fam in ("spawn", "pingpong", "callsoon", "cancel", "memory", "timers"):
        s = SIZES[fam]
        p["n"] = max(s["min_n"], round_half_up(s["n"] * scale))
        if fam == "callsoon":
            p["chains"] = s["chains"]
        if fam == "timers":
            p["max_delay"] = s["max_delay"]
            p["seed"] = s["seed"]
    elif fam == "tree":
        t = SIZES["tree"]
        p.update(
            variant=workload[len("tree_"):],
            branches=t["branches"],
            io_sleep=t["io_sleep"],
            memoizable_percentage=t["memoizable_percentage"],
            cpu_probability=t["cpu_probability"],
            factorial_n=t["factorial_n"],
            seed=t["seed"],
        )
        p["levels"] = max(
            t["min_levels"],
            round_half_up(t["levels"] + math.log(scale) / math.log(t["branches"])),
        )
        p["n"] = t["branches"] ** p["levels"]
    elif fam == "echo":
        e = SIZES["echo"]
        _, api, size = workload.split("_")
        p.update(
            api=api,
            size=1024 if size == "1k" else int(size),
            clients=e["clients"],
            n=max(e["min_n"], round_half_up(e["n"] * scale)),
        )
    else:
        raise ValueError(f"unknown workload {workload!r}")
    return p


def value_from(p, m):
    fam = p["family"]
    if fam == "memory":
        return m["bytes"] / p["n"]
    if fam == "tree":
        return m["elapsed"]
    if fam == "echo":
        return p["clients"] * p["n"] / m["elapsed"]
    return p["n"] / m["elapsed"]


now = time.perf_counter


def rss():
    """Resident set size in bytes (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# ------------------------------------------------------------------ spawn
async def bench_spawn(p):
    async def child(i):
        await asyncio.sleep(0)
        return i

    t0 = now()
    tasks = [asyncio.create_task(child(i)) for i in range(p["n"])]
    results = await asyncio.gather(*tasks)
    elapsed = now() - t0
    return {"elapsed": elapsed, "check": sum(results)}


# ------------------------------------------------------------------ pingpong
async def bench_pingpong(p):
    n = p["n"]
    q1 = asyncio.Queue(maxsize=1)
    q2 = asyncio.Queue(maxsize=1)

    async def ping():
        v = 0
        for _ in range(n):
            await q1.put(v)
            v = await q2.get()
        return v

    async def pong():
        for _ in range(n):
            v = await q1.get()
            await q2.put(v + 1)

    t0 = now()
    v, _ = await asyncio.gather(asyncio.create_task(ping()), asyncio.create_task(pong()))
    return {"elapsed": now() - t0, "check": v}


# ------------------------------------------------------------------ callsoon
async def bench_callsoon(p):
    # n callbacks in `chains` concurrent chains: each callback schedules the next one
    # with call_soon until n have been scheduled (a steady state of `chains` pending
    # handles, rather than a million at once).
    n = p["n"]
    loop = asyncio.get_running_loop()
    call_soon = loop.call_soon
    done = loop.create_future()
    count = 0
    scheduled = min(n, p["chains"])

    def cb():
        nonlocal count, scheduled
        count += 1
        if scheduled < n:
            scheduled += 1
            call_soon(cb)
        elif count == n:
            done.set_result(None)

    t0 = now()
    for _ in range(scheduled):
        call_soon(cb)
    await done
    return {"elapsed": now() - t0, "check": count}


# ------------------------------------------------------------------ timers
async def bench_timers(p):
    n = p["n"]
    rng = random.Random(p["seed"])
    delays = [rng.uniform(0, p["max_delay"]) for _ in range(n)]
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    count = 0

    def cb():
        nonlocal count
        count += 1
        if count == n:
            done.set_result(None)

    t0 = now()
    call_later = loop.call_later
    for d in delays:
        call_later(d, cb)
    await done
    return {"elapsed": now() - t0, "check": count}


# ------------------------------------------------------------------ async tree
class AsyncTree:
    """pyperformance's bm_async_tree (gather flavour), parameterised by workloads.json."""

    def __init__(self, p):
        self.p = p
        self.cache = {}
        self.random = random.Random(p["seed"])
        self.leaves = 0
        self.io_calls = 0
        self.workload_func = {
            "none": self.none_leaf,
            "io": self.mock_io_call,
            "memoization": self.memoization_leaf,
            "cpu_io_mixed": self.cpu_io_mixed_leaf,
        }[p["variant"]]

    async def mock_io_call(self):
        self.io_calls += 1
        await asyncio.sleep(self.p["io_sleep"])

    async def none_leaf(self):
        return

    async def memoization_leaf(self):
        data = self.random.randint(1, 100)
        if data <= self.p["memoizable_percentage"]:
            if self.cache.get(data):
                return data
            self.cache[data] = True
        await self.mock_io_call()
        return data

    async def cpu_io_mixed_leaf(self):
        if self.random.random() < self.p["cpu_probability"]:
            return math.factorial(self.p["factorial_n"])
        return await self.memoization_leaf()

    async def recurse(self, level):
        if level == 0:
            self.leaves += 1
            await self.workload_func()
            return
        await asyncio.gather(*[self.recurse(level - 1) for _ in range(self.p["branches"])])


async def bench_tree(p):
    tree = AsyncTree(p)
    t0 = now()
    await tree.recurse(p["levels"])
    elapsed = now() - t0
    return {"elapsed": elapsed, "check": tree.leaves if p["variant"] == "none" else tree.io_calls}


# ------------------------------------------------------------------ cancel storm
async def bench_cancel(p):
    loop = asyncio.get_running_loop()

    async def blocked(fut):
        await fut

    futures = [loop.create_future() for _ in range(p["n"])]
    tasks = [asyncio.create_task(blocked(f)) for f in futures]
    await asyncio.sleep(0)  # every task is now blocked on its future
    t0 = now()
    for t in tasks:
        t.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = now() - t0
    cancelled = sum(1 for r in results if isinstance(r, asyncio.CancelledError))
    return {"elapsed": elapsed, "check": cancelled}


# ------------------------------------------------------------------ echo
async def echo_streams(p):
    size, n = p["size"], p["n"]

    async def handle(reader, writer):
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    conns = [await asyncio.open_connection("127.0.0.1", port) for _ in range(p["clients"])]
    message = b"a" * size

    async def client(reader, writer):
        total = 0
        for _ in range(n):
            writer.write(message)
            await writer.drain()
            total += len(await reader.readexactly(size))
        return total

    t0 = now()
    totals = await asyncio.gather(*[client(r, w) for r, w in conns])
    elapsed = now() - t0
    for _, w in conns:
        w.close()
    for _, w in conns:
        await w.wait_closed()
    server.close()
    await server.wait_closed()
    return {"elapsed": elapsed, "check": sum(totals)}


class EchoServerProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


class EchoClientProtocol(asyncio.Protocol):
    def __init__(self, message, n, done):
        self.message = message
        self.size = len(message)
        self.n = n
        self.done = done
        self.got = 0
        self.total = 0
        self.sent = 0
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def start(self):
        self.sent = 1
        self.transport.write(self.message)

    def data_received(self, data):
        self.got += len(data)
        if self.got < self.size:
            return
        self.total += self.got
        self.got = 0
        if self.sent == self.n:
            self.done.set_result(self.total)
        else:
            self.sent += 1
            self.transport.write(self.message)

    def connection_lost(self, exc):
        if not self.done.done():
            self.done.set_exception(exc or ConnectionError("connection closed"))


async def echo_proto(p):
    loop = asyncio.get_running_loop()
    server = await loop.create_server(EchoServerProtocol, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    message = b"a" * p["size"]
    clients = []
    for _ in range(p["clients"]):
        done = loop.create_future()
        _, proto = await loop.create_connection(
            lambda done=done: EchoClientProtocol(message, p["n"], done), "127.0.0.1", port
        )
        clients.append(proto)
    t0 = now()
    for c in clients:
        c.start()
    totals = await asyncio.gather(*[c.done for c in clients])
    elapsed = now() - t0
    for c in clients:
        c.transport.close()
    server.close()
    await server.wait_closed()
    return {"elapsed": elapsed, "check": sum(totals)}


async def bench_echo(p):
    return await (echo_streams(p) if p["api"] == "streams" else echo_proto(p))


# ------------------------------------------------------------------ memory
async def bench_memory(p):
    loop = asyncio.get_running_loop()

    async def blocked(fut):
        await fut

    await asyncio.sleep(0)
    gc.collect()
    before = rss()
    futures = [loop.create_future() for _ in range(p["n"])]
    tasks = [asyncio.create_task(blocked(f)) for f in futures]
    await asyncio.sleep(0)  # every task is now suspended on its future
    gc.collect()
    after = rss()
    pending = sum(1 for t in tasks if not t.done())
    for f in futures:
        f.set_result(None)
    await asyncio.gather(*tasks)
    return {"bytes": after - before, "check": pending}


BENCHES = {
    "spawn": bench_spawn,
    "pingpong": bench_pingpong,
    "callsoon": bench_callsoon,
    "timers": bench_timers,
    "tree": bench_tree,
    "cancel": bench_cancel,
    "echo": bench_echo,
    "memory": bench_memory,
}


async def main_async(workload, scale, passes):
    fam = family_of(workload)
    bench = BENCHES[fam]
    for _ in range(passes if fam != "memory" else 0):
        await bench(params_for(workload, scale * SIZES["warmup_fraction"]))
    p = params_for(workload, scale)
    m = await bench(p)
    return p, m


def main(argv):
    positional = [a for a in argv if not a.startswith("--")]
    flags = {a for a in argv if a.startswith("--")}
    passes = 0 if "--no-warmup" in flags else SIZES["warmup_passes"]
    for f in flags:
        if f.startswith("--warmup-passes="):
            text = f.split("=", 1)[1]
            passes = int(text) if text.isdigit() else -1
    if len(positional) != 2 or positional[0] not in WORKLOADS or passes < 0:
        print(
            "usage: bench.py <workload> <scale> [--uvloop] [--no-warmup] [--warmup-passes=N];"
            " workloads: "
            + ", ".join(WORKLOADS),
            file=sys.stderr,
        )
        return 2
    workload, scale = positional[0], float(positional[1])
    loop_factory = None
    if "--uvloop" in flags:
        import uvloop

        loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        p, m = runner.run(main_async(workload, scale, passes))
    out = {
        "workload": workload,
        "value": value_from(p, m),
        "unit": UNITS[p["family"]],
        "check": m["check"],
        "elapsed": m.get("elapsed"),
        "bytes": m.get("bytes"),
        "n": p["n"],
    }
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
