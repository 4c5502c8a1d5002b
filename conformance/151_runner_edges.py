"""Runners, the less travelled paths: asyncio.run(123) still makes (and at the end unsets) the
current loop, as `with Runner()` does; a Runner with a loop_factory leaves the current loop alone;
debug=False/True; running on a runner whose loop was closed from outside, and closing it; close()
of an unused runner leaves it usable; the default executor after shutdown_default_executor()
(twice); tasks created by a task's cleanup during run() shutdown still run; main cancelling
itself, KeyboardInterrupt and SystemExit from main. The never-awaited warning of the
shutdown_asyncgens() coroutine that a closed loop refuses is Python-specific and filtered."""
import warnings
warnings.filterwarnings("ignore", "coroutine .* was never awaited")
import asyncio

def attempt(label, fn):
    try:
        print(f"{label}: returned {fn()!r}")
    except BaseException as e:
        print(f"{label}: {type(e).__name__}: {e!s}")

async def ret(x):
    return x

attempt("run(123)", lambda: asyncio.run(123))
attempt("get_event_loop after run(123)", lambda: type(asyncio.get_event_loop()).__name__)
asyncio.set_event_loop(asyncio.new_event_loop())
cur = asyncio.get_event_loop()
made = []
def factory():
    lp = asyncio.new_event_loop(); made.append(lp); return lp
r = asyncio.Runner(loop_factory=factory)
print("run with factory:", r.run(ret(1)))
print("current loop unchanged:", asyncio.get_event_loop() is cur, "| factory loop is runner's:", r.get_loop() is made[0])
print("debug default:", r.get_loop().get_debug())
r.close()
print("factory loop closed:", made[0].is_closed(), "| current still open:", not cur.is_closed())
attempt("get_event_loop after factory runner close", lambda: asyncio.get_event_loop() is cur)
r = asyncio.Runner(debug=False)
r.get_loop().set_debug(True)
print("debug after set:", r.get_loop().get_debug())
r.close()
r = asyncio.Runner(debug=True)
attempt("Runner(debug=True).run", lambda: r.run(ret(2)))
print("debug:", r.get_loop().get_debug())
r.get_loop().close()
c = ret(3)
attempt("run on closed loop", lambda: r.run(c))
c.close()
attempt("close runner with closed loop", r.close)
attempt("get_loop after", r.get_loop)
# close() on a never-used runner keeps it usable
r = asyncio.Runner()
r.close()
attempt("run after close of unused runner", lambda: r.run(ret(4)))
r.close()
# executor after shutdown
async def ex():
    loop = asyncio.get_running_loop()
    print("executor result:", await loop.run_in_executor(None, pow, 2, 5))
    await loop.shutdown_default_executor()
    await loop.shutdown_default_executor()
    try:
        await loop.run_in_executor(None, pow, 2, 5)
    except BaseException as e:
        print("run_in_executor after shutdown:", type(e).__name__, e)
    try:
        await asyncio.to_thread(pow, 2, 2)
    except BaseException as e:
        print("to_thread after shutdown:", type(e).__name__, e)
asyncio.run(ex())
# run() with a main that returns while a task is created in finally of a cancelled task
log = []
async def main2():
    async def child():
        try:
            await asyncio.sleep(10)
        finally:
            log.append("child cleanup")
            asyncio.get_running_loop().create_task(grandchild())
    async def grandchild():
        log.append("grandchild ran")
        await asyncio.sleep(0)
        log.append("grandchild finished")
    asyncio.create_task(child())
    await asyncio.sleep(0)
    return "main2"
print(asyncio.run(main2()), log)
# run() where main is cancelled from inside
async def selfcancel():
    asyncio.current_task().cancel("bye")
    await asyncio.sleep(0)
attempt("run(self-cancel)", lambda: asyncio.run(selfcancel()))
# KeyboardInterrupt raised in main
async def kbi():
    raise KeyboardInterrupt
attempt("run(kbi)", lambda: asyncio.run(kbi()))
async def sysexit():
    raise SystemExit(3)
attempt("run(sysexit)", lambda: asyncio.run(sysexit()))
