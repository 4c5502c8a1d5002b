# oracle: 3.13 — Task.get_context() and eager_task_factory are 3.12+
"""Context variables and asyncio (catalogue §19.5, §2.31, §13.4): the ContextVar/Token/Context
API and its errors; callbacks run in a copy of the context they were scheduled in; each task runs
in a copy taken at creation (or in the context= it was given, which it mutates); gather children
are isolated; a directly awaited coroutine shares its caller's context; done callbacks; eager
tasks; asyncio.run() runs main in a copy of the caller's context.
Adapted for a port: object addresses are dropped from reprs ("<_contextvars.Context object>" is
shown as "<Context object>")."""
import asyncio
import contextvars
import re


def clean(s):
    return re.sub(r" at 0x[0-9a-f]+", "", s).replace("_contextvars.Context object", "Context object")


def attempt(label, fn):
    try:
        print(f"{label}: returned {fn()!r}")
    except BaseException as e:
        print(f"{label}: {type(e).__name__}: {clean(str(e))}")


v = contextvars.ContextVar("v", default="default")
nodef = contextvars.ContextVar("nodef")

# 1. the API
print("1.", clean(repr(v)), clean(repr(nodef)), "| name:", v.name)
attempt("   nodef.get()", nodef.get)
print("   get(default):", nodef.get("fallback"), v.get("argument-wins"), "| v.get():", v.get())
tok = v.set("one")
print("   set():", clean(repr(tok)), "| var is v:", tok.var is v, "| old_value is MISSING:", tok.old_value is contextvars.Token.MISSING)
tok2 = v.set("two")
print("   second set(): old_value", repr(tok2.old_value), "| get():", v.get())
v.reset(tok2)
print("   reset(tok2):", v.get())
attempt("   reset(tok2) again", lambda: v.reset(tok2))
v.reset(tok)
print("   reset(tok):", v.get())
other_tok = nodef.set(1)
attempt("   reset(a token of another var)", lambda: v.reset(other_tok))
nodef.reset(other_tok)
ctx = contextvars.copy_context()
tok3 = ctx.run(v.set, "in-ctx")
attempt("   reset in another context", lambda: v.reset(tok3))
attempt("   reset('s')", lambda: v.reset("s"))
attempt("   ContextVar(1)", lambda: contextvars.ContextVar(1))
print("   ctx.get(v):", ctx.get(v), "| v in ctx:", v in ctx, "| nodef in ctx:", nodef in ctx,
      "| ctx.get(nodef, 'none'):", ctx.get(nodef, "none"), "| outside:", v.get())
print("   ctx.run(f, 1, 2):", ctx.run(lambda a, b: a + b, 1, 2))
attempt("   ctx.run inside ctx.run", lambda: ctx.run(lambda: ctx.run(lambda: None)))
nested = ctx.run(contextvars.copy_context)
print("   a copy made inside ctx.run:", nested.get(v), "| len:", len(nested) == len(ctx))
def set_then_fail():
    v.set("set-before-error")
    raise ValueError("v-err")
attempt("   ctx.run(fn that raises)", lambda: ctx.run(set_then_fail))
print("   its set() stays in ctx:", ctx.get(v))

loop = asyncio.new_event_loop()
trace = []

def run_briefly():
    loop.call_soon(loop.stop)
    loop.run_forever()

# 2. callbacks: a copy of the context current when scheduled
def read(tag):
    trace.append(f"{tag}={v.get()}")
def write(tag):
    v.set(tag)
    trace.append(f"{tag} set")
tok = v.set("scheduler")
loop.call_soon(read, "cb1")
loop.call_soon(write, "cb2")
loop.call_soon(read, "cb3")
v.set("changed-after-scheduling")
run_briefly()
print("2. callbacks:", trace, "| scheduler now sees:", v.get())
trace.clear()
ctx.run(loop.call_soon, read, "in-ctx")
run_briefly()
print("   scheduled inside ctx.run():", trace)
trace.clear()
v.reset(tok)

# 3. tasks
async def child(tag, value=None):
    trace.append(f"{tag} starts with {v.get()}")
    if value is not None:
        v.set(value)
    await asyncio.sleep(0)
    trace.append(f"{tag} ends with {v.get()}")
    return v.get()

async def tasks_main():
    v.set("creator-before")
    t = asyncio.create_task(child("t", "set-by-task"))
    v.set("creator-after")
    await t
    trace.append(f"creator sees {v.get()}")
    print("3a. copy at creation:", trace)
    print("    task.get_context():", t.get_context().get(v))
    trace.clear()

    shared = contextvars.copy_context()
    a = asyncio.create_task(child("a", "set-by-a"), context=shared)
    b = asyncio.create_task(child("b"), context=shared)
    await asyncio.gather(a, b)
    print("3b. context= shared:", trace, "| shared now:", shared.get(v), "| creator:", v.get())
    print("    get_context() is shared:", a.get_context() is shared, b.get_context() is shared)
    trace.clear()

    results = await asyncio.gather(child("g1", "one"), child("g2"), child("g3", "three"))
    print("3c. gather children:", trace, results, "| creator:", v.get())
    trace.clear()

    async def setter():
        v.set("set-by-awaited-coroutine")
        await asyncio.sleep(0)
        return v.get()
    r = await setter()
    print("3d. directly awaited coroutine:", r, "| caller sees:", v.get())

    fut = loop.create_future()
    fut.add_done_callback(lambda f: trace.append(f"done-cb sees {v.get()}"))
    v.set("changed-before-set_result")
    cbctx = contextvars.copy_context()
    fut.add_done_callback(lambda f: v.set("set-by-done-cb"), context=cbctx)
    fut.set_result(None)
    await asyncio.sleep(0)
    print("3e. done callbacks:", trace, "| cbctx:", cbctx.get(v), "| task:", v.get())
    trace.clear()

    loop.set_task_factory(asyncio.eager_task_factory)
    v.set("eager-creator")
    e = asyncio.create_task(child("eager", "set-by-eager"))
    trace.append(f"creator right after create_task sees {v.get()}")
    await e
    loop.set_task_factory(None)
    print("3f. eager task:", trace)
    trace.clear()

loop.run_until_complete(tasks_main())
print("    outside the loop:", v.get())
loop.close()

# 4. asyncio.run(): main runs in a copy of the caller's context
v.set("before-run")
async def run_main():
    seen = v.get()
    v.set("set-in-run")
    return seen
print("4. run() main saw:", asyncio.run(run_main()), "| after run():", v.get())
