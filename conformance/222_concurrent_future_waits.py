"""concurrent futures being waited on while another thread changes them: cancel() without
set_running_or_notify_cancel() wakes result() (CancelledError) but not wait()/as_completed()
(they learn of it only when notified); FIRST_EXCEPTION ignores a cancelled future; wait() and
as_completed() with no futures, a negative timeout; the reprs of every state."""
import concurrent.futures as cf
import re
import threading

def norm(s):
    return re.sub(r"0x[0-9a-f]+", "0x?", str(s))

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

def later(seconds, fn, *args):
    t = threading.Timer(seconds, fn, args)
    t.start()
    return t

f = cf.Future()
later(0.05, f.cancel)
try:
    f.result(timeout=5)
except cf.CancelledError as e:
    print("result() woken by cancel():", exc_str(e))

f = cf.Future()
later(0.05, f.cancel)
done, not_done = cf.wait([f], timeout=0.3)
print("wait() over cancel() without notify:", len(done), len(not_done), f.cancelled())
f.set_running_or_notify_cancel()
done, not_done = cf.wait([f], timeout=0)
print("after notify:", len(done), len(not_done))

f = cf.Future()
g = cf.Future()
def cancel_and_notify():
    f.cancel()
    f.set_running_or_notify_cancel()
later(0.05, cancel_and_notify)
later(0.3, g.set_result, "g")
done, not_done = cf.wait([f, g], return_when=cf.FIRST_EXCEPTION)
print("FIRST_EXCEPTION with a cancelled future waits for all:", len(done), len(not_done))

f = cf.Future()
g = cf.Future()
later(0.05, cancel_and_notify)
later(0.3, g.set_exception, KeyError("k"))
done, not_done = cf.wait([f, g], return_when=cf.FIRST_COMPLETED)
print("FIRST_COMPLETED woken by a cancelled future:", [x is f for x in done], len(not_done))

f = cf.Future()
later(0.05, f.cancel)
got = []
try:
    for x in cf.as_completed([f], timeout=0.3):
        got.append(x)
except TimeoutError as e:
    print("as_completed over cancel() without notify:", len(got), exc_str(e))

print("wait([]):", [len(s) for s in cf.wait([])])
print("as_completed([]):", list(cf.as_completed([])))
p = cf.Future()
print("wait(timeout=-1):", [len(s) for s in cf.wait([p], timeout=-1)])
try:
    list(cf.as_completed([p], timeout=-1))
except TimeoutError as e:
    print("as_completed(timeout=-1):", exc_str(e))
try:
    p.result(timeout=-1)
except TimeoutError as e:
    print("result(timeout=-1):", exc_str(e))

states = []
a = cf.Future(); states.append(a)
b = cf.Future(); b.set_running_or_notify_cancel(); states.append(b)
c = cf.Future(); c.set_result([1, 2]); states.append(c)
d = cf.Future(); d.set_result(None); states.append(d)
e = cf.Future(); e.set_exception(ValueError("v")); states.append(e)
h = cf.Future(); h.cancel(); states.append(h)
i = cf.Future(); i.cancel(); i.set_running_or_notify_cancel(); states.append(i)
for s in states:
    print(norm(repr(s)))
