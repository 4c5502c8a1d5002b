"""Executor.map with chunksize and a failing call: a process pool's chunk fails as a whole (the
results of its earlier calls are lost), a thread pool (CPython ignores chunksize there) yields
every result before the failed call, then raises; unequal iterables with chunks."""
import concurrent.futures as cf
def fail(x):
    if x == 3:
        raise ValueError(f"bad {x}")
    return x
def add(a, b):
    return a + b
def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"
if __name__ == "__main__":
    for Pool in (cf.ProcessPoolExecutor, cf.ThreadPoolExecutor):
        with Pool(2) as ex:
            for data, cs in (([1, 2, 3, 4, 5, 6], 3), ([0, 1, 2, 3, 4, 5], 3), ([0, 1, 2, 3, 4], 2), ([3], 5)):
                got = []
                try:
                    for x in ex.map(fail, data, chunksize=cs):
                        got.append(x)
                    print(Pool.__name__, data, cs, got)
                except ValueError as e:
                    print(Pool.__name__, data, cs, "got", got, "then", exc_str(e))
            print(Pool.__name__, list(ex.map(add, range(7), range(100, 105), chunksize=2)))
