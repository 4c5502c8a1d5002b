"""asyncio.run() and asyncio.Runner (3.11). Mirrors test_runners RunTests
(test_asyncio_run_return, _raises, _only_coro, _debug, _from_running_loop,
_cancels_hanging_tasks, _reports_hanging_tasks_errors,
_closes_gens_after_hanging_tasks_errors, _set_event_loop) and RunnerTests
(test_run, test_run_non_coro, test_run_future, test_explicit_close, test_double_close,
test_second_with_block_raises, test_run_keeps_context, test_recursive_run)."""
import asyncio
import contextvars

def attempt(label, fn):
    try:
        print(f"{label}: returned {fn()!r}")
    except BaseException as e:
        print(f"{label}: {type(e).__name__}: {str(e).split(' at 0x')[0]}")

async def ret42():
    await asyncio.sleep(0)
    return 42
attempt("run(ret42())", lambda: asyncio.run(ret42()))

async def raises():
    await asyncio.sleep(0)
    raise ValueError("spam")
attempt("run(raises())", lambda: asyncio.run(raises()))
attempt("run(1)", lambda: asyncio.run(1))
# adapted: asyncio-ts takes a function returning a coroutine, so run(None) stands for a non-coroutine
attempt("run(None)", lambda: asyncio.run(None))
loop_for_fut = asyncio.new_event_loop()
attempt("run(future)", lambda: asyncio.run(loop_for_fut.create_future()))
loop_for_fut.close()

async def nested():
    c = ret42()
    try:
        asyncio.run(c)
    except RuntimeError as e:
        return str(e)
    finally:
        c.close()
print("nested run:", asyncio.run(nested()))

async def dbg(expected):
    return asyncio.get_running_loop().get_debug()
print("debug default / debug=True:", asyncio.run(dbg(False)), asyncio.run(dbg(True), debug=True))

# leftover tasks are cancelled, their cleanup runs, errors during cleanup reported
events = []
lo_task = None
async def leftover():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        events.append("leftover cancelled")
        1 / 0
async def main_leaves_task():
    global lo_task
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda l, ctx: events.append(
        f"handler: {ctx['message']} / {type(ctx['exception']).__name__} / task is leftover: {ctx['task'] is lo_task}"))
    lo_task = asyncio.create_task(leftover())
    await asyncio.sleep(0)
    return 123
print("run returns before leftovers:", asyncio.run(main_leaves_task()), "| leftover done:", lo_task.done(), "|", events)
events.clear()

# adapted: the async-generator part (shutdown_asyncgens closing an open async generator) is left
# out: JavaScript has no hook that tells the loop an async generator started

# loop is closed afterwards and the current loop is reset
captured = {}
async def grab():
    captured["loop"] = asyncio.get_running_loop()
asyncio.run(grab())
print("loop closed after run:", captured["loop"].is_closed())
# adapted: instead of the policy's private _local._loop, ask get_event_loop() (set_event_loop(None) was called)
attempt("get_event_loop() after run()", asyncio.get_event_loop)

# Runner
with asyncio.Runner() as runner:
    print("Runner.run:", runner.run(ret42()))
    loop = runner.get_loop()
    print("same loop across runs:", runner.run(grab()) is None and captured["loop"] is loop)
print("Runner loop closed after with:", loop.is_closed())
attempt("get_loop() after close", runner.get_loop)
# adapted: __enter__ has no TypeScript counterpart; run() on the closed runner checks the same state
c = ret42()
attempt("run() on closed runner", lambda: runner.run(c))
c.close()
with asyncio.Runner() as r2:
    attempt("Runner.run(123)", lambda: r2.run(123))
    fut = r2.get_loop().create_future()
    attempt("Runner.run(future)", lambda: r2.run(fut))

r3 = asyncio.Runner()
lp = r3.get_loop()
r3.close(); r3.close()
print("explicit close twice ok; loop closed:", lp.is_closed())

# context is kept across Runner.run calls
cvar = contextvars.ContextVar("cvar", default=-1)
async def f(val):
    old = cvar.get()
    await asyncio.sleep(0)
    cvar.set(val)
    return old
with asyncio.Runner() as r4:
    print("context kept across runs:", r4.run(f(1)), r4.run(f(2)), r4.run(f(3)))
print("outer context untouched:", cvar.get())

# recursive Runner.run
with asyncio.Runner() as r5:
    async def g():
        pass
    async def outer():
        c = g()
        try:
            r5.run(c)
        except RuntimeError as e:
            c.close()
            return str(e)
    print("recursive Runner.run:", r5.run(outer()))

# main task cancelled -> run() raises CancelledError
async def cancels_self():
    asyncio.current_task().cancel()
    await asyncio.sleep(1)
attempt("run(task that gets cancelled)", lambda: asyncio.run(cancels_self()))
