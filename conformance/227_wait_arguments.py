"""wait() and as_completed() given something that is not an iterable: the TypeError of set(fs)."""
import concurrent.futures as cf

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

for label, call in (("wait(5)", lambda: cf.wait(5)),
                    ("wait(None)", lambda: cf.wait(None, timeout=0)),
                    ("as_completed(5)", lambda: list(cf.as_completed(5))),
                    ("as_completed(None)", lambda: list(cf.as_completed(None, timeout=0)))):
    try:
        call()
    except TypeError as e:
        print(label, exc_str(e))
