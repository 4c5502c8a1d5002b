# oracle: 3.13 — callback arguments are shown in debug mode; 3.13's source-location format
"""Debug mode (catalogue §14.6, §13.12): slow callbacks and slow task steps logged at WARNING,
slow_callback_duration, "created at" in the reprs of handles, timers, futures and tasks, the
extra keys the default handler logs, "Close <loop>" at DEBUG, run(debug=True).
Adapted for a port: source locations are reduced to the script's name (a TypeScript twin cannot
say where a function is defined, so the callback's own " at file:line" is dropped), durations and
deadlines are masked, the loop's class name is shown as EventLoop."""
import asyncio
import gc
import logging
import re
import time

loop = asyncio.new_event_loop()


def normalize(text):
    text = re.sub(r"created at (?:\S*/)?([^/\s]+?)\.(?:py|ts):\d+", r"created at \1", text)
    text = re.sub(r"\) at \S+:\d+", ")", text)
    text = re.sub(r"coro=<[^>]*>", "coro=<...>", text)
    text = re.sub(r"took \d+\.\d{3} seconds", "took <t> seconds", text)
    text = re.sub(r"when=[\d.e+-]+", "when=<t>", text)
    return [line for line in text.splitlines() if not line.startswith(" ")]


records = []
class Capture(logging.Handler):
    def emit(self, record):
        lines = normalize(record.getMessage())
        exc = f" exc_info={record.exc_info[0].__name__}" if record.exc_info else ""
        records.append(f"[{record.levelname}] {lines[0]}{exc}")
        records.extend(f"    {line}" for line in lines[1:])
logger = logging.getLogger("asyncio")
logger.addHandler(Capture())
logger.propagate = False


def flush(label):
    print(label)
    for r in records:
        print("   ", r)
    if not records:
        print("    (nothing logged)")
    records.clear()


def run_briefly():
    loop.call_soon(loop.stop)
    loop.run_forever()


def busy(seconds):
    time.sleep(seconds)


print("1. get_debug() by default:", loop.get_debug(), "| slow_callback_duration:", loop.slow_callback_duration)
loop.set_debug(True)
print("   after set_debug(True):", loop.get_debug())

# 2. a slow callback is logged with its handle; a fast one is not
loop.call_soon(busy, 0.15)
run_briefly()
flush("2. slow callback:")
loop.call_soon(busy, 0)
run_briefly()
flush("   fast callback:")

# 3. slow_callback_duration is the threshold
loop.slow_callback_duration = 0.05
loop.call_soon(busy, 0.08)
run_briefly()
flush("3. slow_callback_duration = 0.05, a 0.08 s callback:")
loop.slow_callback_duration = 0.1

# 4. a slow task step is logged as the task
async def slow_task():
    time.sleep(0.15)
task = loop.create_task(slow_task())
run_briefly()
flush("4. slow task step:")

# 5. reprs record where things were created
def cb(*args):
    pass
h = loop.call_soon(cb, 1, "two")
print("5. handle:", normalize(repr(h))[0])
th = loop.call_later(10, cb)
print("   timer:", normalize(repr(th))[0])
th.cancel()
print("   cancelled timer:", normalize(repr(th))[0])
fut = asyncio.Future(loop=loop)
print("   future:", normalize(repr(fut))[0])
fut.set_result(3)
print("   done future:", normalize(repr(fut))[0])
run_briefly()

# 6. an exception in a callback: the message shows the arguments; the handle and where it was made
def bad(x):
    raise ZeroDivisionError("division by zero")
loop.call_soon(bad, 1)
run_briefly()
flush("6. exception in a callback:")

# 7. an exception never retrieved: where the future was created
fut = asyncio.Future(loop=loop)
fut.set_exception(ValueError("lost"))
del fut
gc.collect()
flush("7. exception never retrieved:")

# 8. close() logs "Close <loop>" at DEBUG, once the logger lets DEBUG through
other = asyncio.new_event_loop()
other.set_debug(True)
other.close()
flush("8. close() with the logger at its default level:")
logger.setLevel(logging.DEBUG)
loop.close()
flush("   close() with the logger at DEBUG:")
loop.close()
flush("   close() again:")
logger.setLevel(logging.NOTSET)

# 9. run(debug=...) and Runner(debug=...)
async def get_debug():
    return asyncio.get_running_loop().get_debug()
print("9. run(debug=True):", asyncio.run(get_debug(), debug=True), "| run():", asyncio.run(get_debug()))
with asyncio.Runner(debug=True) as r:
    print("   Runner(debug=True):", r.run(get_debug()), "| get_loop().get_debug():", r.get_loop().get_debug())
