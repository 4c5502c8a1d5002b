# oracle: 3.13
"""What is left at exit is reported then: a Future and a Task whose exceptions nobody
retrieved, and a task still pending when its loop stopped (run_until_complete, not
asyncio.run, which would cancel it). CPython finalizes them at interpreter shutdown, here the
newest first; V8 does not collect at exit, so asyncio-ts reports them on the process's 'exit',
newest first."""
import asyncio
import re


def handler(loop, ctx):
    obj = ctx.get("future") or ctx.get("task")
    name = re.search(r"name='([^']*)'", repr(obj))
    what = name.group(1) if name else repr(obj)
    print(f"handler: {ctx['message']} | {what} done={obj.done()} | {ctx.get('exception')!r}", flush=True)


async def fail():
    raise ValueError("task failed")


async def hang():
    await asyncio.sleep(3600)


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    fut = loop.create_future()
    fut.set_exception(KeyError("never seen"))
    t = asyncio.create_task(fail(), name="failing")
    await asyncio.sleep(0)
    print("task done:", t.done(), flush=True)
    return [fut, t]


keep = asyncio.run(main())
print("after run", flush=True)

loop2 = asyncio.new_event_loop()
loop2.set_exception_handler(handler)


async def leave_pending():
    return asyncio.create_task(hang(), name="left pending")


pending = loop2.run_until_complete(leave_pending())
print("pending task:", pending.done(), flush=True)
print("end of program", flush=True)
