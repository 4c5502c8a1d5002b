"""concurrent.futures.Future on its own (no executor): states and reprs, cancel() and
set_running_or_notify_cancel(), InvalidStateError messages, result()/exception() with
timeout=0, synchronous done callbacks (a failing one is logged), wait() and as_completed()
with futures that are already done or never finish (timeout=0), and the CancelledError that
is not asyncio's."""
import asyncio
import concurrent.futures as cf
import logging
import re

def norm(s):
    return re.sub(r"Future \d+ in", "Future ? in", re.sub(r"0x[0-9a-f]+", "0x?", str(s)))

class PrintHandler(logging.Handler):
    def emit(self, record):
        print(f"log {record.name} {record.levelname}: {norm(record.getMessage())}", flush=True)

log = logging.getLogger("concurrent.futures")
log.addHandler(PrintHandler())
log.propagate = False

def exc_str(e):
    return f"{type(e).__name__}({', '.join(norm(repr(a)) for a in e.args)})"

def attempt(label, fn):
    try:
        r = fn()
        print(f"{label}: returned {norm(repr(r))}")
    except Exception as e:
        print(f"{label}: raised {exc_str(e)}")

f = cf.Future()
print("new:", norm(repr(f)), f.done(), f.running(), f.cancelled())
attempt("result(timeout=0) pending", lambda: f.result(timeout=0))
attempt("exception(timeout=0) pending", lambda: f.exception(timeout=0))
print("set_running_or_notify_cancel:", f.set_running_or_notify_cancel(), norm(repr(f)), f.running())
print("cancel running:", f.cancel(), f.cancelled())
attempt("set_running_or_notify_cancel again", f.set_running_or_notify_cancel)
f.set_result(42)
print("finished:", norm(repr(f)), f.done(), f.running(), f.result(), f.exception())
attempt("set_result again", lambda: f.set_result(1))
attempt("set_exception on finished", lambda: f.set_exception(ValueError("x")))
print("cancel finished:", f.cancel())

g = cf.Future()
g.set_exception(ValueError("bad"))
print("exception:", norm(repr(g)), repr(g.exception()))
attempt("result raises", g.result)

h = cf.Future()
print("cancel pending:", h.cancel(), h.cancel(), norm(repr(h)), h.done(), h.cancelled())
attempt("result cancelled", h.result)
attempt("exception cancelled", h.exception)
attempt("set_result cancelled", lambda: h.set_result(1))
print("notify cancel:", h.set_running_or_notify_cancel(), norm(repr(h)))
attempt("notify again", h.set_running_or_notify_cancel)
try:
    h.result()
except BaseException as e:
    print("CancelledError is asyncio's:", isinstance(e, asyncio.CancelledError),
          "| is concurrent's:", type(e) is cf.CancelledError,
          "| is Exception:", isinstance(e, Exception))
print("TimeoutError is the builtin:", cf.TimeoutError is TimeoutError)
print("BrokenExecutor is RuntimeError:", issubclass(cf.BrokenExecutor, RuntimeError))

# done callbacks: synchronous, in order, at once if done; errors logged
calls = []
k = cf.Future()
k.add_done_callback(lambda fut: calls.append(("a", fut.result())))
def bad(fut):
    raise RuntimeError("cb failed")
k.add_done_callback(bad)
k.add_done_callback(lambda fut: calls.append(("b", fut.result())))
print("before set_result:", calls)
k.set_result("v")
print("after set_result:", calls)
k.add_done_callback(lambda fut: calls.append(("late", fut.result())))
print("added late:", calls)
c2 = cf.Future()
c2.add_done_callback(lambda fut: calls.append(("cancel-cb", fut.cancelled())))
c2.cancel()
print("after cancel:", calls[-1])

# wait() / as_completed() without waiting
done1 = cf.Future(); done1.set_result(1)
failed = cf.Future(); failed.set_exception(KeyError("k"))
never = cf.Future()
cancelled = cf.Future(); cancelled.cancel()
notified = cf.Future(); notified.cancel(); notified.set_running_or_notify_cancel()
def show(label, res):
    done, not_done = res
    order = {id(done1): "done1", id(failed): "failed", id(never): "never",
             id(cancelled): "cancelled", id(notified): "notified"}
    print(label, sorted(order[id(x)] for x in done), sorted(order[id(x)] for x in not_done),
          "| named:", res.done is done, res.not_done is not_done)
show("wait FIRST_COMPLETED:", cf.wait([never, done1], return_when=cf.FIRST_COMPLETED))
show("wait FIRST_EXCEPTION:", cf.wait([never, done1, failed], return_when=cf.FIRST_EXCEPTION))
show("wait ALL_COMPLETED timeout=0:", cf.wait([never, done1], timeout=0))
show("wait all done:", cf.wait([done1, failed, done1]))
show("wait cancelled not notified:", cf.wait([cancelled, notified], timeout=0))
show("wait FIRST_EXCEPTION none failed:", cf.wait([done1, never], timeout=0, return_when=cf.FIRST_EXCEPTION))
attempt("wait bogus", lambda: cf.wait([never], timeout=0, return_when="bogus"))
attempt("wait bogus all done", lambda: len(cf.wait([done1], return_when="bogus").done))
got = []
try:
    for x in cf.as_completed([done1, never, failed], timeout=0):
        got.append("done1" if x is done1 else "failed" if x is failed else "?")
except TimeoutError as e:
    print("as_completed:", sorted(got), "then", exc_str(e))
got = [x.result() for x in cf.as_completed([done1, done1])]
print("as_completed duplicates:", got)
