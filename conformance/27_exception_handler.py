# oracle: 3.13 — 3.13 shows callback args only in debug mode, and runs the exception handler in the failing callback's/task's context (gh-96704)
"""Loop exception handler API. Mirrors test_base_events
(test_default_exc_handler_callback, test_set_exc_handler_custom,
test_set_exc_handler_broken, test_default_exc_handler_broken,
test_set_task_factory_invalid ...), test_futures2.test_task_exc_handler_correct_context."""
import asyncio
import logging
import contextvars

records = []
class Capture(logging.Handler):
    def emit(self, record):
        first = record.getMessage().splitlines()[0]
        records.append(f"[asyncio logger {record.levelname}] {first.split(' at /')[0]}"
                       + (f" exc_info={record.exc_info[0].__name__}" if record.exc_info else ""))
logging.getLogger("asyncio").addHandler(Capture())
logging.getLogger("asyncio").propagate = False

def flush(label):
    print(label)
    for r in records:
        print("   ", r)
    records.clear()

loop = asyncio.new_event_loop()
print("default get_exception_handler():", loop.get_exception_handler())

def bad(*args):
    raise ZeroDivisionError("zde")

def run_briefly():
    loop.call_soon(loop.stop); loop.run_forever()

# 1. default handler logs "Exception in callback <callback repr>"
loop.call_soon(bad, 1, "x")
run_briefly()
flush("1. default handler:")

# 2. custom handler receives (loop, context)
seen = []
def handler(lp, ctx):
    seen.append((lp is loop, {k: (type(v).__name__ if k != "message" else v.split(" at /")[0]) for k, v in sorted(ctx.items())}))
loop.set_exception_handler(handler)
print("get_exception_handler() is handler:", loop.get_exception_handler() is handler)
loop.call_soon(bad)
run_briefly()
print("2. callback error context:", seen); seen.clear()

# 3. task exception never retrieved
async def fails():
    raise KeyError("k")
t = loop.create_task(fails())
run_briefly()
del t
import gc; gc.collect()
print("3. task exception context:", seen); seen.clear()

# 4. call_exception_handler directly, arbitrary keys pass through
loop.call_exception_handler({"message": "custom", "foo": 1})
print("4. direct call:", seen); seen.clear()

# 5. handler that raises -> default handler logs 'Unhandled error in exception handler'
def broken(lp, ctx):
    raise RuntimeError("handler broke")
loop.set_exception_handler(broken)
loop.call_exception_handler({"message": "original"})
flush("5. broken custom handler:")

# 6. reset to default
loop.set_exception_handler(None)
loop.call_exception_handler({"message": "no exception key", "extra": [1, 2]})
flush("6. default handler without 'exception' key (extra keys are logged as 'key: repr'):")
loop.default_exception_handler({"message": "", "exception": ValueError("v")})
flush("6b. empty message -> default text:")

# 7. bad handler type
try:
    loop.set_exception_handler(123)
except TypeError as e:
    print("7. set_exception_handler(123):", e)

# 8. handler runs in the context of the failing callback/task
var = contextvars.ContextVar("name", default="foo")
got = []
loop.set_exception_handler(lambda lp, ctx: got.append(var.get()))
def cb_sets():
    var.set("bar")
    1 / 0
loop.call_soon(cb_sets)
run_briefly()
async def task_sets():
    var.set("bar-task")
    1 / 0
t = loop.create_task(task_sets())
run_briefly()
del t; gc.collect()
print("8. contextvar seen by handler:", got)
loop.set_exception_handler(None)

# 9. exceptions escaping a Task step are stored, not sent to the handler
async def raising():
    raise ValueError("stored")
t = loop.create_task(raising())
run_briefly()
print("9. stored on task:", repr(t.exception()), "| logged:", records)
loop.close()
