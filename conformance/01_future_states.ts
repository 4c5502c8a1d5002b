/**
 * Twin of 01_future_states.py: the Future state machine (result/exception/cancel),
 * InvalidStateError messages, reprs, exception classes, isFuture, getLoop.
 */
import { TimeoutError as BuiltinTimeoutError, isBaseExceptionOnly } from "../src/exceptions.ts";
import * as asyncio from "../src/index.ts";
import { attempt, excStr, print, repr } from "./_py.ts";

/** A user error class, for `setException(Class)` (Python: `KeyError`). */
class KeyError extends Error {
  override name = "KeyError";
  args: unknown[] = [];
}

/**
 * JavaScript iterators do not end with an exception, so there is no StopIteration to protect:
 * an error of that name is stored like any other (the outcome 3.13 prints: accepted, done).
 */
class StopIteration extends Error {
  override name = "StopIteration";
  args: unknown[] = [];
}

const loop = asyncio.newEventLoop() as asyncio.EventLoop;

let f = loop.createFuture<unknown>();
print("new: done", f.done(), "cancelled", f.cancelled(), "repr", repr(f));
attempt("pending.result()", () => f.result());
attempt("pending.exception()", () => f.exception());
f.setResult(42);
print("after set_result: done", f.done(), "cancelled", f.cancelled(), "repr", repr(f));
attempt("result()", () => f.result());
attempt("exception()", () => f.exception());
attempt("set_result again", () => f.setResult(1));
attempt("set_exception after result", () => f.setException(new asyncio.ValueError()));
attempt("cancel() on done", () => f.cancel());

f = loop.createFuture();
const err = new asyncio.RuntimeError("boom");
f.setException(err);
print("exc future repr:", repr(f));
attempt("result() of exc future", () => f.result());
print("exception() is same object:", f.exception() === err);
attempt("cancel() on exc future", () => f.cancel());

f = loop.createFuture();
print("cancel() ->", f.cancel(), "; second cancel() ->", f.cancel());
print("cancelled repr:", repr(f), "done", f.done(), "cancelled", f.cancelled());
attempt("result() of cancelled", () => f.result());
attempt("exception() of cancelled", () => f.exception());
attempt("set_result on cancelled", () => f.setResult(1));
attempt("set_exception on cancelled", () => f.setException(new asyncio.ValueError()));

// exception class is instantiated
f = loop.createFuture();
f.setException(KeyError);
print("set_exception(KeyError class) -> exception():", excStr(f.exception()));

// StopIteration (see the class above)
f = loop.createFuture();
attempt("set_exception(StopIteration())", () => f.setException(new StopIteration()));
print("future still pending after that:", !f.done());
f.cancel();

// set_exception with a non-exception
f = loop.createFuture();
attempt("set_exception(42)", () => f.setException(42));
f.cancel();

// result can be None / falsy; exception() returns None after set_result(None)
f = loop.createFuture();
f.setResult(null);
print("set_result(None): result", f.result(), "exception", f.exception(), "repr", repr(f));

// positional loop arg not accepted
attempt(
  "Future(loop) positional",
  () => new asyncio.Future(loop as unknown as { loop?: asyncio.AbstractEventLoop }),
);
print(
  "isfuture(Future):",
  asyncio.isFuture(loop.createFuture()),
  "isfuture(1):",
  asyncio.isFuture(1),
);
print("get_loop is loop:", loop.createFuture().getLoop() === loop);
// Python's Exception vs BaseException: CancelledError is "BaseException only".
print("InvalidStateError is an Exception:", !isBaseExceptionOnly(new asyncio.InvalidStateError()));
const ce = new asyncio.CancelledError();
print(
  "CancelledError is an Exception:",
  !isBaseExceptionOnly(ce),
  "| is a BaseException:",
  ce instanceof Error,
);
print("asyncio.TimeoutError is TimeoutError:", asyncio.TimeoutError === BuiltinTimeoutError);
loop.close();
