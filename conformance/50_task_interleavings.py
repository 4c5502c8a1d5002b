"""Random task programs (catalogue 0, 2): each program is a few tasks, each a list of steps
(sleep(0), a future set by call_soon, a done future, awaiting an earlier task, spawning a
child, cancelling a task, awaiting a coroutine that sleeps); the log is the exact order of
events. The programs are in 50_task_interleavings.json (chosen from random ones for their
length). Each runs twice ([gen] and [async]); the TypeScript twin runs them with generator
coroutines, then with async functions."""
import asyncio
import json
import os

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "50_task_interleavings.json")) as fh:
    PROGRAMS = json.load(fh)


async def lib():
    await asyncio.sleep(0)
    return 1


async def run_one(idx, ops, tasks, log):
    loop = asyncio.get_running_loop()
    try:
        for i, op in enumerate(ops):
            k = op["k"]
            log.append(f"{idx}.{i}:{k}")
            if k == "sleep0":
                await asyncio.sleep(0)
            elif k == "futsoon":
                f = loop.create_future()
                loop.call_soon(lambda f=f: f.done() or f.set_result(1))
                await f
            elif k == "futdone":
                f = loop.create_future()
                f.set_result(1)
                await f
            elif k == "await":
                t = op["t"]
                if t < len(tasks) and t < idx:
                    try:
                        await tasks[t]
                    except asyncio.CancelledError:
                        if asyncio.current_task().cancelling() > 0:
                            raise
                        log.append(f"{idx}: awaited cancelled")
            elif k == "spawn":
                async def child(i=i):
                    log.append(f"{idx}.{i}: child")
                    await asyncio.sleep(0)
                    log.append(f"{idx}.{i}: child end")
                await asyncio.create_task(child())
            elif k == "cancel":
                t = op["t"]
                if t < len(tasks):
                    log.append(f"cancel {t} -> {tasks[t].cancel()}")
            elif k == "lib":
                await lib()
        log.append(f"{idx}: end")
    except BaseException as e:
        log.append(f"{idx}: {type(e).__name__}")
        raise


async def program(progs):
    log = []
    tasks = []
    for idx, ops in enumerate(progs):
        tasks.append(asyncio.create_task(run_one(idx, ops, tasks, log)))
    for t in tasks:
        try:
            await t
        except BaseException:
            pass
    return log


for tag in ("gen", "async"):
    for n, progs in enumerate(PROGRAMS):
        print(f"[{tag}] {n}:", " ".join(asyncio.run(program(progs))))
