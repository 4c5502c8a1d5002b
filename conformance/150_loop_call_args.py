# oracle: 3.13 — Handle reprs show the callback arguments only in debug mode, and Handle.get_context() is 3.12+
"""Loop scheduling arguments and handle reprs: call_later() with a non-number delay (TypeError from
the addition), an infinite delay (when=inf), Handle / TimerHandle reprs live and cancelled (printed
without the source location), the repr of a non-callable callback, cancel() after the callback ran,
the debug-mode callback checks (call_later reports call_at), what still works on a closed loop
and the order of the None checks against the closed check."""
import asyncio

def attempt(label, fn):
    try:
        print(f"{label}: returned {fn()!r}")
    except BaseException as e:
        print(f"{label}: {type(e).__name__}: {e!s}")

def short(h):
    return repr(h).split(' at ')[0].rstrip('>') + '>'

def cb(*a): pass

loop = asyncio.new_event_loop()
attempt("call_later str", lambda: loop.call_later("x", cb))
attempt("call_later 1e400", lambda: short(loop.call_later(float('inf'), cb)) )
h = loop.call_soon(cb, 1, "x")
print("handle", short(h))
h.cancel()
print("cancelled handle", repr(h))
th = loop.call_at(5, cb, 2)
print("timer", short(th), th.when())
th.cancel()
print("cancelled timer", repr(th))
th2 = loop.call_at(7, cb)
h = loop.call_soon(123)
print("noncallable", short(h))
h.cancel()
h = loop.call_soon(cb)
print("get_context type", type(h.get_context()).__name__)
loop.call_soon(loop.stop)
loop.run_forever()
print("after run h.cancelled", h.cancelled())
h.cancel()
print("cancel after run", h.cancelled())
loop.set_debug(True)
attempt("debug call_soon 123", lambda: loop.call_soon(123))
attempt("debug call_later 123", lambda: loop.call_later(0, 123))
attempt("debug call_at 123", lambda: loop.call_at(0, 123))
attempt("debug call_soon_threadsafe 123", lambda: loop.call_soon_threadsafe(123))
async def co(): pass
attempt("debug call_soon coroutinefn", lambda: loop.call_soon(co))
attempt("debug call_later coroutinefn", lambda: loop.call_later(1, co))
attempt("debug call_soon None", lambda: loop.call_soon(None))
loop.set_debug(False)
print("slow_callback_duration", loop.slow_callback_duration)
loop.slow_callback_duration = 0.5
print("slow_callback_duration", loop.slow_callback_duration)
print("repr", repr(loop).split(' ', 1)[1])
loop.close()
attempt("closed call_later None", lambda: loop.call_later(None, cb))
attempt("closed call_at None", lambda: loop.call_at(None, cb))
attempt("closed call_soon 123", lambda: loop.call_soon(123))
attempt("closed time", lambda: type(loop.time()).__name__)
attempt("closed stop", loop.stop)
attempt("closed close", loop.close)
attempt("closed set_debug", lambda: loop.set_debug(True))
attempt("closed get_debug", loop.get_debug)
attempt("closed create_future", lambda: type(loop.create_future()).__name__)
attempt("closed is_running", loop.is_running)
print("repr", repr(loop).split(' ', 1)[1])
attempt("closed set_exception_handler", lambda: loop.set_exception_handler(None))
