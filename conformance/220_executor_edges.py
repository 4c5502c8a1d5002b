"""Executor edges: argument checks (max_workers, initializer, chunksize), map() with a timeout
(TimeoutError, the calls not started are cancelled), Future.result(timeout) on a pending
future, wait() and as_completed() running out of time with several futures unfinished,
shutdown(wait=False, cancel_futures=True) and what the queued futures become, a failing
initializer breaking a pool with queued work, errors from workers with several args."""
import concurrent.futures as cf
import logging
import threading
import time

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

def attempt(label, fn):
    try:
        r = fn()
        print(f"{label}: returned {r!r}", flush=True)
    except Exception as e:
        print(f"{label}: raised {exc_str(e)}", flush=True)

def square(x):
    return x * x

def bad_init():
    raise OSError("init failed")

RAN = []

def block(ev_name):
    RAN.append(ev_name)
    EVENTS[ev_name].wait(5)
    return ev_name

def multi():
    raise ValueError("a", 2)

class AppError(Exception):
    pass

def apperr():
    raise AppError("x", 1)

def grp():
    raise ExceptionGroup("many", [ValueError("v"), TypeError("t")])

EVENTS = {"gate": threading.Event(), "gate2": threading.Event()}

class PrintHandler(logging.Handler):
    def emit(self, record):
        print(f"log {record.name} {record.levelname}: {record.getMessage()}", flush=True)

if __name__ == "__main__":
    log = logging.getLogger("concurrent.futures")
    log.addHandler(PrintHandler())
    log.propagate = False
    attempt("Thread max_workers=-1", lambda: cf.ThreadPoolExecutor(max_workers=-1))
    attempt("Process max_workers=-1", lambda: cf.ProcessPoolExecutor(max_workers=-1))
    attempt("Thread initializer=5", lambda: cf.ThreadPoolExecutor(1, initializer=5))
    attempt("Process initializer=5", lambda: cf.ProcessPoolExecutor(1, initializer=5))
    with cf.ProcessPoolExecutor(1) as ex:
        attempt("Process map chunksize=0", lambda: ex.map(square, [1], chunksize=0))
        attempt("Process map chunksize=-1", lambda: ex.map(square, [1], chunksize=-1))

    ex = cf.ThreadPoolExecutor(max_workers=1)
    ex.submit(square, 0).result()  # the worker has started
    it = ex.map(block, ["gate", "gate2", "gate2"], timeout=0.2)
    try:
        next(it)
    except TimeoutError as e:
        print("map timeout:", exc_str(e))
    EVENTS["gate"].set()
    EVENTS["gate2"].set()
    ex.shutdown(wait=True)
    print("calls that ran:", RAN)
    EVENTS["gate"].clear(); EVENTS["gate2"].clear()

    ex = cf.ThreadPoolExecutor(max_workers=1)
    ex.submit(square, 0).result()
    running = ex.submit(block, "gate")
    while not running.running():
        time.sleep(0.001)
    queued = [ex.submit(square, n) for n in range(3)]
    attempt("result(timeout=0.05) pending", lambda: queued[0].result(timeout=0.05))
    attempt("exception(timeout=0.05) pending", lambda: queued[0].exception(timeout=0.05))
    done, not_done = cf.wait([running] + queued, timeout=0.05)
    print("wait timeout:", len(done), len(not_done))
    f_done = cf.Future(); f_done.set_result(1)
    got = []
    try:
        for f in cf.as_completed([f_done, running, queued[0]], timeout=0.05):
            got.append(f.result())
    except TimeoutError as e:
        print("as_completed timeout:", got, exc_str(e))
    ex.shutdown(wait=False, cancel_futures=True)
    print("after shutdown(wait=False, cancel_futures=True):",
          " ".join(f"{f.cancelled()}/{f.done()}" for f in queued), running.running())
    attempt("submit after shutdown", lambda: ex.submit(square, 1))
    EVENTS["gate"].set()
    print("running one finishes:", running.result())

    ex = cf.ThreadPoolExecutor(max_workers=1, initializer=bad_init)
    fs = [ex.submit(square, n) for n in range(3)]
    for f in fs:
        attempt("queued on broken pool", f.result)
    attempt("submit on broken pool", lambda: ex.submit(square, 1))
    ex.shutdown()

    for Pool in (cf.ThreadPoolExecutor, cf.ProcessPoolExecutor):
        with Pool(1) as ex:
            for fn in (multi, apperr):
                e = ex.submit(fn).exception()
                print(Pool.__name__, fn.__name__, exc_str(e), str(e))
            e = ex.submit(grp).exception()
            print(Pool.__name__, "group", type(e).__name__, str(e), [exc_str(x) for x in e.exceptions])
