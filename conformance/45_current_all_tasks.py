"""current_task() and all_tasks() (catalogue 2.30): the running task, None in plain callbacks,
RuntimeError without a running loop, current_task(loop) of a loop that is not running,
all_tasks() holding only the not-done tasks of the loop. The in-loop part runs twice ([gen]
and [async]); the TypeScript twin runs it with generator coroutines, then async functions."""
import asyncio


def names(tasks):
    return sorted(t.get_name() for t in tasks)


async def scenario(tag):
    loop = asyncio.get_running_loop()
    out = []
    me = asyncio.current_task()
    out.append(f"main is current: {me.get_name() == 'main-' + tag}")

    async def child(n):
        out.append(f"{n} current is itself: {asyncio.current_task().get_name() == n}")
        await asyncio.sleep(0)
        out.append(f"{n} still itself after await: {asyncio.current_task().get_name() == n}")

    async def nested():
        return asyncio.current_task()

    out.append(f"directly awaited coroutine sees the caller: {(await nested()) is me}")
    loop.call_soon(lambda: out.append(f"in a call_soon callback: {asyncio.current_task()}"))
    t1 = asyncio.create_task(child("c1"), name="c1")
    t2 = asyncio.create_task(child("c2"), name="c2")
    t1.add_done_callback(lambda t: out.append(f"in a done callback: {asyncio.current_task()}"))
    out.append(f"all_tasks: {names(asyncio.all_tasks())}")
    await asyncio.sleep(0)
    await t1
    out.append(f"after c1 done: {names(asyncio.all_tasks())}")
    await t2
    await asyncio.sleep(0)
    out.append(f"after both: {names(asyncio.all_tasks())}")
    out.append(f"current_task(loop) is current_task(): {asyncio.current_task(loop) is me}")
    other = asyncio.new_event_loop()
    out.append(f"current_task(other loop): {asyncio.current_task(other)}")
    out.append(f"all_tasks(other loop): {asyncio.all_tasks(other)}")
    other.close()
    print(f"[{tag}]", "\n  ".join(out))


async def main():
    for tag in ("gen", "async"):
        await asyncio.create_task(scenario(tag), name=f"main-{tag}")

asyncio.run(main())

for label, fn in (("current_task()", asyncio.current_task), ("all_tasks()", asyncio.all_tasks)):
    try:
        fn()
    except RuntimeError as e:
        print(f"{label} with no running loop: RuntimeError: {e}")

loop = asyncio.new_event_loop()
async def later():
    pass
t = loop.create_task(later(), name="made-before-running")
print("current_task(loop) of a loop not running:", asyncio.current_task(loop))
print("all_tasks(loop) before it runs:", names(asyncio.all_tasks(loop)))
loop.run_until_complete(t)
print("all_tasks(loop) after:", names(asyncio.all_tasks(loop)))
loop.close()
