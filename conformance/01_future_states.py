# oracle: 3.13 — set_exception(StopIteration()) is accepted (gh-112182); the MRO lines print portable subclass checks
"""Future state machine: result/exception/cancel, InvalidStateError messages, repr.
Mirrors test_futures.BaseFutureTests (test_initial_state, test_cancel, test_result,
test_exception, test_stop_iteration_exception, test_exception_class, test_future_repr)."""
import asyncio

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

def attempt(label, fn):
    try:
        r = fn()
        print(f"{label}: returned {r!r}")
    except BaseException as e:
        print(f"{label}: raised {exc_str(e)}")

loop = asyncio.new_event_loop()

f = loop.create_future()
print("new: done", f.done(), "cancelled", f.cancelled(), "repr", repr(f))
attempt("pending.result()", f.result)
attempt("pending.exception()", f.exception)
f.set_result(42)
print("after set_result: done", f.done(), "cancelled", f.cancelled(), "repr", repr(f))
attempt("result()", f.result)
attempt("exception()", f.exception)
attempt("set_result again", lambda: f.set_result(1))
attempt("set_exception after result", lambda: f.set_exception(ValueError()))
attempt("cancel() on done", f.cancel)

f = loop.create_future()
err = RuntimeError("boom")
f.set_exception(err)
print("exc future repr:", repr(f))
attempt("result() of exc future", f.result)
print("exception() is same object:", f.exception() is err)
attempt("cancel() on exc future", f.cancel)

f = loop.create_future()
print("cancel() ->", f.cancel(), "; second cancel() ->", f.cancel())
print("cancelled repr:", repr(f), "done", f.done(), "cancelled", f.cancelled())
attempt("result() of cancelled", f.result)
attempt("exception() of cancelled", f.exception)
attempt("set_result on cancelled", lambda: f.set_result(1))
attempt("set_exception on cancelled", lambda: f.set_exception(ValueError()))

# exception class is instantiated
f = loop.create_future()
f.set_exception(KeyError)
print("set_exception(KeyError class) -> exception():", exc_str(f.exception()))

# StopIteration cannot be stored
f = loop.create_future()
attempt("set_exception(StopIteration())", lambda: f.set_exception(StopIteration()))
print("future still pending after that:", not f.done())
f.cancel()

# set_exception with a non-exception
f = loop.create_future()
attempt("set_exception(42)", lambda: f.set_exception(42))
f.cancel()

# result can be None / falsy; exception() returns None after set_result(None)
f = loop.create_future()
f.set_result(None)
print("set_result(None): result", f.result(), "exception", f.exception(), "repr", repr(f))

# positional loop arg not accepted
attempt("Future(loop) positional", lambda: asyncio.Future(loop))
print("isfuture(Future):", asyncio.isfuture(loop.create_future()), "isfuture(1):", asyncio.isfuture(1))
print("get_loop is loop:", loop.create_future().get_loop() is loop)
# adapted: the MRO lists are Python-specific; print the subclass facts they show
print("InvalidStateError is an Exception:", issubclass(asyncio.InvalidStateError, Exception))
print("CancelledError is an Exception:", issubclass(asyncio.CancelledError, Exception),
      "| is a BaseException:", issubclass(asyncio.CancelledError, BaseException))
print("asyncio.TimeoutError is TimeoutError:", asyncio.TimeoutError is TimeoutError)
loop.close()
