# oracle: 3.13 — loop_factory= (3.12+) observes the shutdown steps
"""asyncio.run() and Runner shutdown (catalogue §15.3-15.6): leftover tasks are cancelled and
waited for (their cleanup may await, may swallow the cancellation, may fail: failures reported
to the loop's handler), then async generators and the default executor are shut down, then the
loop is closed; the main task's exception comes out after that. A Runner keeps its loop, so a
task left by one run() goes on running in the next; Runner.run(context=...) uses that context."""
import asyncio
import contextvars

log = []


class LoggingLoop(asyncio.SelectorEventLoop):
    async def shutdown_asyncgens(self):
        log.append("shutdown_asyncgens")
        await super().shutdown_asyncgens()

    async def shutdown_default_executor(self, *args):
        log.append("shutdown_default_executor")
        await super().shutdown_default_executor(*args)

    def close(self):
        log.append(f"close (running={self.is_running()}, tasks left={len(asyncio.all_tasks(self))})")
        super().close()


def handler(loop, context):
    log.append(f"handler: {context['message']} / {type(context['exception']).__name__}"
               f" / {context['task'].get_name()}")


async def polite():
    try:
        await asyncio.sleep(10)
    finally:
        log.append("polite: cleanup")
        await asyncio.sleep(0)
        log.append("polite: cleanup done")


async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append("stubborn: swallows the cancellation")
    await asyncio.sleep(0.01)
    log.append("stubborn: finishes anyway")
    return "stubborn result"


async def failing():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append("failing: raises while cancelled")
        raise ValueError("cleanup failed")


async def main(fail):
    asyncio.get_running_loop().set_exception_handler(handler)
    asyncio.create_task(polite(), name="polite")
    asyncio.create_task(stubborn(), name="stubborn")
    asyncio.create_task(failing(), name="failing")
    await asyncio.sleep(0)
    log.append("main: done")
    if fail:
        raise ValueError("main failed")
    return "main result"


def show(label, result):
    # all_tasks() is a set: the leftovers are cancelled in an unspecified order, so the lines
    # logged while they are cancelled are shown sorted
    print(label, result)
    start = log.index("main: done") + 1 if "main: done" in log else len(log)
    end = start
    while end < len(log) and not log[end].startswith(("handler", "shutdown")):
        end += 1
    for line in log[:start] + sorted(log[start:end]) + log[end:]:
        print("   ", line)
    log.clear()


show("1. run(main()):", asyncio.run(main(False), loop_factory=LoggingLoop))
try:
    asyncio.run(main(True), loop_factory=LoggingLoop)
except ValueError as e:
    show("2. main raises: ValueError:", e)

# 3. a Runner: a task left by one run() keeps running in the next; close() cancels it
async def ticker():
    try:
        while True:
            log.append("tick")
            await asyncio.sleep(0)
    finally:
        log.append("ticker: cancelled at close()")

async def start_ticker():
    asyncio.create_task(ticker())
    await asyncio.sleep(0)
    return "started"

async def later():
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    return "later"

with asyncio.Runner(loop_factory=LoggingLoop) as runner:
    show("3. first run:", runner.run(start_ticker()))
    show("   second run:", runner.run(later()))
show("   after the with block:", "closed")

# 4. Runner.run(context=...) runs in that context instead of the runner's
var = contextvars.ContextVar("var", default="unset")
async def setvar(value):
    old = var.get()
    var.set(value)
    return old
with asyncio.Runner() as runner:
    ctx = contextvars.copy_context()
    print("4. run(context=ctx):", runner.run(setvar("a"), context=ctx), runner.run(setvar("b"), context=ctx),
          "| ctx:", ctx.get(var), "| runner's own context:", runner.run(setvar("c")))
