# oracle: 3.13
"""asyncio._register_task/_unregister_task/_enter_task/_leave_task: task objects of other classes in all_tasks() and current_task(), their errors, and a real Task unregistered and registered again."""
import asyncio

class FakeTask:
    def __init__(self, loop, name):
        self._loop = loop
        self.name = name
        self._done = False
    def get_loop(self):
        return self._loop
    def done(self):
        return self._done
    def __repr__(self):
        return f"<FakeTask {self.name}>"

class NoGetLoop:
    def __init__(self, loop):
        self._loop = loop
    def done(self):
        return False
    def __repr__(self):
        return "<NoGetLoop>"

def names(ts):
    return sorted(repr(t) if not isinstance(t, asyncio.Task) else t.get_name() for t in ts)

async def main():
    loop = asyncio.get_running_loop()
    other = asyncio.new_event_loop()
    a = FakeTask(loop, "a")
    b = FakeTask(other, "b")
    c = NoGetLoop(loop)
    print("before", names(asyncio.all_tasks()))
    asyncio._register_task(a)
    asyncio._register_task(b)
    asyncio._register_task(c)
    asyncio._register_task(a)
    print("registered", names(asyncio.all_tasks()))
    print("other loop", names(asyncio.all_tasks(other)))
    a._done = True
    print("a done", names(asyncio.all_tasks()))
    a._done = False
    asyncio._unregister_task(a)
    asyncio._unregister_task(a)
    print("a unregistered", names(asyncio.all_tasks()))
    asyncio._unregister_task(c)
    try:
        asyncio._enter_task(loop, a)
    except RuntimeError as e:
        print("enter in task:", str(e).split(" while")[0])
    try:
        asyncio._leave_task(loop, a)
    except RuntimeError as e:
        print("leave in task:", str(e).split(" does not")[0])
    seen = []
    def cb():
        print("cb current", asyncio.current_task())
        asyncio._enter_task(loop, a)
        print("cb entered", asyncio.current_task())
        try:
            asyncio._enter_task(loop, b)
        except RuntimeError as e:
            print("enter twice:", e)
        try:
            asyncio._leave_task(loop, b)
        except RuntimeError as e:
            print("leave other:", e)
        asyncio._leave_task(loop, a)
        print("cb left", asyncio.current_task())
        try:
            asyncio._leave_task(loop, a)
        except RuntimeError as e:
            print("leave again:", e)
        seen.append(1)
    loop.call_soon(cb)
    await asyncio.sleep(0)
    # a real task unregistered and registered again
    t = asyncio.create_task(asyncio.sleep(1), name="real")
    print("with real", names(asyncio.all_tasks()))
    asyncio._unregister_task(t)
    print("real unregistered", names(asyncio.all_tasks()))
    asyncio._register_task(t)
    print("real registered", names(asyncio.all_tasks()))
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("real cancelled")
    print("end", names(asyncio.all_tasks()))
    # entering on another loop object while this one runs
    asyncio._enter_task(other, b)
    print("current of other", asyncio.current_task(other))
    asyncio._leave_task(other, b)
    print("current of other after", asyncio.current_task(other))
    asyncio._unregister_task(b)
    other.close()

asyncio.run(main())
