# oracle: 3.13
"""NaN deadlines, a handle that cancels itself and raises, TimerHandle order, runUntilComplete's callback name, signal handlers gone with the loop."""
import asyncio
import re
import signal

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

other = asyncio.new_event_loop()
a = other.call_at(10, print)
b = other.call_at(9, print)
print("a < b", a < b, "a > b", a > b, "b <= a", b <= a, "b >= a", b >= a)
other.close()

loop = asyncio.new_event_loop()
loop.set_exception_handler(lambda l, c: print("handler:", c["message"], exc_str(c["exception"])))

h = None
def cancels_itself():
    h.cancel()
    raise ValueError("x")
h = loop.call_soon(cancels_itself)
# With a callback ready, a NaN timer is due at once (it is not >= the end time).
loop.call_later(float("nan"), lambda: print("nan timer"))
loop.call_later(0.01, lambda: print("timer 0.01"))
loop.call_later(0.02, loop.stop)
loop.run_forever()

# With nothing ready, a NaN timer at the top of the heap fails the run.
loop.call_later(float("nan"), lambda: print("nan timer 2"))
loop.call_later(0.01, lambda: print("timer 0.01 (2)"))
try:
    loop.run_forever()
except ValueError as e:
    print("run_forever:", exc_str(e), loop.is_running())

f = loop.create_future()
loop.call_soon(lambda: print("future:", re.sub(r" at [^\]]*", "", repr(f))))
loop.call_soon(f.set_result, 1)
print("result:", loop.run_until_complete(f))

async def add_handler():
    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR2, print, "handler")
asyncio.run(add_handler())
print("SIGUSR2 back to default after close:", signal.getsignal(signal.SIGUSR2) is signal.SIG_DFL)
loop.close()
