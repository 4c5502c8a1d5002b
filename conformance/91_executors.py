"""ThreadPoolExecutor and ProcessPoolExecutor with real threads and processes: submit, map
(ordered, several iterables, chunksize, an error stops it), errors with their type and message,
argument checks, cancelling work that has not started, shutdown (wait, cancel_futures, then
submit), wait()/as_completed() on running work, a failing initializer and a dying worker
breaking the pool."""
import concurrent.futures as cf
import logging
import os
import re
import time

def norm(s):
    return re.sub(r"0x[0-9a-f]+", "0x?", str(s))

class PrintHandler(logging.Handler):
    def emit(self, record):
        print(f"log {record.name} {record.levelname}: {norm(record.getMessage())}", flush=True)

def exc_str(e):
    return f"{type(e).__name__}({', '.join(norm(repr(a)) for a in e.args)})"

def attempt(label, fn):
    try:
        r = fn()
        print(f"{label}: returned {norm(repr(r))}", flush=True)
    except Exception as e:
        print(f"{label}: raised {exc_str(e)}", flush=True)

def square(x):
    return x * x

def add(a, b):
    return a + b

def fail(x):
    if x == 3:
        raise ValueError(f"bad {x}")
    return x

def snooze(seconds, value=None):
    time.sleep(seconds)
    return value if value is not None else seconds

def bad_init(*args):
    raise OSError("init failed")

def die(code):
    os._exit(code)

def wait_running(f):
    while not f.running():
        time.sleep(0.001)

def run(kind, Pool):
    print(f"== {kind}", flush=True)
    with Pool(max_workers=2) as ex:
        cf.wait([ex.submit(snooze, 0.1), ex.submit(snooze, 0.1)])  # both workers started
        f = ex.submit(square, 7)
        print("submit:", f.result(), norm(repr(f)))
        print("map:", list(ex.map(square, range(6))))
        print("map two iterables (shortest wins):", list(ex.map(add, [1, 2, 3], [10, 20])))
        print("map chunksize=3:", list(ex.map(square, range(8), chunksize=3)))
        it = ex.map(fail, range(5))
        got = []
        try:
            for x in it:
                got.append(x)
        except ValueError as e:
            print("map error after", got, exc_str(e))
        attempt("error from result", ex.submit(fail, 3).result)
        print("exception():", exc_str(ex.submit(fail, 3).exception()))
        attempt("map chunksize=0", lambda: type(ex.map(square, [1], chunksize=0)).__name__)
        fs = [ex.submit(snooze, 1.5, "slow"), ex.submit(snooze, 0.05, "fast")]
        done, not_done = cf.wait(fs, return_when=cf.FIRST_COMPLETED)
        print("wait FIRST_COMPLETED:", [x.result() for x in done], len(not_done))
        print("as_completed:", [x.result() for x in cf.as_completed(fs)])
        fs = [ex.submit(snooze, 0.3), ex.submit(fail, 3)]
        done, not_done = cf.wait(fs, return_when=cf.FIRST_EXCEPTION)
        print("wait FIRST_EXCEPTION:", [exc_str(x.exception()) for x in done], len(not_done))
        cf.wait(fs)
    attempt("submit after shutdown", lambda: ex.submit(square, 1))
    ex.shutdown()

    # cancelling work that has not started
    ex = Pool(max_workers=1)
    f1 = ex.submit(snooze, 0.2, "first")
    wait_running(f1)
    f2 = ex.submit(square, 5)
    f3 = ex.submit(square, 6)
    print("cancel running:", f1.cancel(), "| cancel queued:", f2.cancel(), norm(repr(f2)))
    print("results:", f1.result(), f3.result(), f2.cancelled())
    f4 = ex.submit(snooze, 0.2, "running")
    wait_running(f4)
    # (CPython's process pool marks up to max_workers + 1 queued calls running early: look at the last)
    queued = [ex.submit(square, n) for n in range(4)]
    ex.shutdown(wait=True, cancel_futures=True)
    print("shutdown(cancel_futures=True):", f4.result(), queued[-1].cancelled())
    ex = Pool(max_workers=1)
    f6 = ex.submit(snooze, 0.1, "a")
    f7 = ex.submit(snooze, 0.1, "b")
    ex.shutdown(wait=False)
    print("shutdown(wait=False) still runs the queue:", f6.result(), f7.result())

    attempt("max_workers=0", lambda: Pool(max_workers=0))

def broken():
    print("== broken pools", flush=True)
    ex = cf.ThreadPoolExecutor(max_workers=1, initializer=bad_init, initargs=(1,))
    f = ex.submit(square, 2)
    attempt("thread initializer failed", f.result)
    attempt("submit after", lambda: ex.submit(square, 2))
    ex.shutdown()
    ex = cf.ProcessPoolExecutor(max_workers=1, initializer=bad_init)
    f = ex.submit(square, 2)
    attempt("process initializer failed", f.result)
    attempt("submit after", lambda: ex.submit(square, 2))
    ex.shutdown()
    ex = cf.ProcessPoolExecutor(max_workers=2)
    f1 = ex.submit(snooze, 3.0)  # long enough for the other worker to start and die, even on a loaded machine
    f2 = ex.submit(die, 3)
    attempt("running beside the dead worker", f1.result)
    attempt("the dead worker's future", f2.result)
    attempt("submit after", lambda: ex.submit(square, 2))
    ex.shutdown()
    attempt("max_tasks_per_child=0", lambda: cf.ProcessPoolExecutor(1, max_tasks_per_child=0))
    with cf.ProcessPoolExecutor(1, max_tasks_per_child=2) as ex:
        pids = [ex.submit(os.getpid).result() for _ in range(4)]
        print("max_tasks_per_child=2, distinct workers:", len(set(pids)), "pattern:",
              [pids.index(p) for p in pids])

if __name__ == "__main__":
    log = logging.getLogger("concurrent.futures")
    log.addHandler(PrintHandler())
    log.propagate = False
    run("ThreadPoolExecutor", cf.ThreadPoolExecutor)
    run("ProcessPoolExecutor", cf.ProcessPoolExecutor)
    broken()
