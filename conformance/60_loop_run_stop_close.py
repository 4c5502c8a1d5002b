# oracle: 3.13 — same output as 3.11
"""Event loop run/stop/close (catalogue §13.5-13.12): stop() before run_forever() runs exactly one
iteration; stop() inside a callback finishes the iteration; run_until_complete results, errors
and "stopped before Future completed"; the errors inside a running loop; wrong arguments;
KeyboardInterrupt/SystemExit escaping run_forever with the loop reusable; a closed loop."""
import asyncio


def attempt(label, fn):
    try:
        print(f"{label}: returned {fn()!r}")
    except BaseException as e:
        print(f"{label}: {type(e).__name__}: {e}")


loop = asyncio.new_event_loop()
trace = []


def cb(tag):
    trace.append(tag)


def show(label):
    print(label, trace)
    trace.clear()


# 1. stop() before run_forever(): one iteration, including callbacks queued after stop()
loop.call_soon(cb, "queued-before-stop")
loop.stop()
loop.call_soon(cb, "queued-after-stop")
loop.call_soon(lambda: loop.call_soon(cb, "next-iteration"))
loop.run_forever()
show("1. stop() before run_forever():")
print("   is_running() after:", loop.is_running())
loop.stop()
loop.stop()
loop.run_forever()
show("   stop() twice, then run_forever():")
loop.stop()
loop.run_forever()
show("   an empty iteration:")

# 2. stop() inside a callback: the rest of the iteration runs, later callbacks wait
def stopper():
    trace.append("stopper")
    loop.stop()
    loop.call_soon(cb, "scheduled-by-stopper")
loop.call_soon(cb, "before")
loop.call_soon(stopper)
loop.call_soon(cb, "after-in-same-iteration")
loop.run_forever()
show("2. stop() in a callback:")
loop.call_soon(loop.stop)
loop.run_forever()
show("   next run_forever():")

# 2b. stop() from a timer: the other due timers still run, a later one waits for the next run
now = loop.time()
loop.call_at(now - 1, loop.stop)
loop.call_at(now - 1, cb, "due-timer")
loop.call_at(now + 0.3, cb, "later-timer")
loop.run_forever()
show("2b. stop() from a timer:")
loop.call_at(now + 0.3, loop.stop)
loop.run_forever()
show("    the later timer on the next run:")

# 3. run_until_complete: results and errors
async def coro_ok():
    await asyncio.sleep(0)
    return "ok"

async def coro_fail():
    await asyncio.sleep(0)
    raise ValueError("bad")

class Awaitable:
    def __await__(self):
        return coro_ok().__await__()

attempt("3. run_until_complete(coroutine)", lambda: loop.run_until_complete(coro_ok()))
attempt("   run_until_complete(failing coroutine)", lambda: loop.run_until_complete(coro_fail()))
fut = loop.create_future()
loop.call_soon(fut.set_result, "fut-result")
attempt("   run_until_complete(future)", lambda: loop.run_until_complete(fut))
attempt("   run_until_complete(done future)", lambda: loop.run_until_complete(fut))
fut = loop.create_future()
loop.call_soon(fut.cancel)
attempt("   run_until_complete(cancelled future)", lambda: loop.run_until_complete(fut))
attempt("   run_until_complete(awaitable)", lambda: loop.run_until_complete(Awaitable()))
task = loop.create_task(coro_ok())
attempt("   run_until_complete(task)", lambda: loop.run_until_complete(task))

# 4. the loop stops before the future is done
async def long():
    await asyncio.sleep(10)
task = loop.create_task(long())
loop.call_soon(loop.stop)
attempt("4. stopped first", lambda: loop.run_until_complete(task))
print("   task still pending:", not task.done())
task.cancel()
attempt("   after cancel()", lambda: loop.run_until_complete(task))

# 5. inside a running loop
other = asyncio.new_event_loop()
async def inside():
    fut = loop.create_future()
    attempt("5. run_until_complete inside", lambda: loop.run_until_complete(fut))
    attempt("   close() while running", loop.close)
    attempt("   another loop's run_until_complete", lambda: other.run_until_complete(other.create_future()))
    attempt("   another loop's run_forever", other.run_forever)
    print("   is_running() inside:", loop.is_running(), "| other:", other.is_running())
    # last: CPython 3.13.0's run_forever() resets the running loop's state when it refuses to run
    attempt("   run_forever inside", loop.run_forever)
loop.run_until_complete(inside())
other.close()

# 6. wrong arguments
attempt("6. run_until_complete(123)", lambda: loop.run_until_complete(123))
other = asyncio.new_event_loop()
fut_other = other.create_future()
attempt("   future of another loop", lambda: loop.run_until_complete(fut_other))
other.close()

# 7. KeyboardInterrupt / SystemExit escape run_forever; the loop is reusable
def kbi():
    trace.append("kbi")
    raise KeyboardInterrupt
loop.call_soon(kbi)
loop.call_soon(cb, "after-kbi")
attempt("7. KeyboardInterrupt in a callback", loop.run_forever)
print("   is_running():", loop.is_running())
show("   ran:")
loop.call_soon(loop.stop)
loop.run_forever()
show("   the rest of that iteration on the next run:")

async def sysexit():
    await asyncio.sleep(0)
    raise SystemExit(3)
task = loop.create_task(sysexit())
attempt("   SystemExit in a task", lambda: loop.run_until_complete(task))
print("   task done:", task.done(), "| exception:", repr(task.exception()))
attempt("   reused", lambda: loop.run_until_complete(coro_ok()))

async def kbi_in_waiter():
    fut = loop.create_future()
    loop.call_soon(fut.set_exception, KeyboardInterrupt())
    await fut
attempt("   KeyboardInterrupt delivered to a task", lambda: loop.run_until_complete(kbi_in_waiter()))
attempt("   reused again", lambda: loop.run_until_complete(coro_ok()))

# 8. state and close()
print("8. get_debug():", loop.get_debug(), "| slow_callback_duration:", loop.slow_callback_duration)
print("   is_closed() before:", loop.is_closed())
loop.call_soon(cb, "dropped")
loop.close()
loop.close()
print("   close() twice; is_closed():", loop.is_closed(), "| is_running():", loop.is_running())
attempt("   run_forever", loop.run_forever)
fut = loop.create_future()
print("   create_future() still works:", type(fut).__name__, fut.done())
attempt("   run_until_complete", lambda: loop.run_until_complete(fut))
coro = coro_ok()
attempt("   create_task", lambda: loop.create_task(coro))
coro.close()
loop.stop()
print("   stop() on a closed loop is allowed")
show("   never ran:")
