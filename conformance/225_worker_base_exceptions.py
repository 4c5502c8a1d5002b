"""SystemExit and KeyboardInterrupt raised by a call in a worker are the call's outcome (its
future's exception), in both pools, and the pool stays usable."""
import concurrent.futures as cf, sys
def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"
def bye(code):
    sys.exit(code)
def interrupt():
    raise KeyboardInterrupt("stop")
def square(x):
    return x * x
if __name__ == "__main__":
    for Pool in (cf.ThreadPoolExecutor, cf.ProcessPoolExecutor):
        with Pool(1) as ex:
            print(Pool.__name__, "SystemExit:", exc_str(ex.submit(bye, 3).exception()))
            print(Pool.__name__, "KeyboardInterrupt:", exc_str(ex.submit(interrupt).exception()))
            print(Pool.__name__, "still usable:", ex.submit(square, 4).result())
