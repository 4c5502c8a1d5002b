# oracle: 3.13 — Task.get_context() is 3.12+
"""contextvars beyond the basics: an empty Context and one filled by run(); its mapping methods;
get() with a missing variable; keys that are not ContextVars (TypeError from get() and `in`);
copies are independent; Token.var / old_value / MISSING and its repr; reset() inside a copied
context; nested runs of different contexts; get()'s default argument over the variable's
default; call_soon(context=) (the twin schedules inside ctx.run()) and create_task(context=)."""
import asyncio, contextvars

def show(label, e):
    print(f"{label}: {type(e).__name__}: {e}")

a = contextvars.ContextVar("a", default=0)
b = contextvars.ContextVar("b")
ctx = contextvars.Context()
print("empty:", len(ctx), list(ctx), a in ctx)
def setter():
    a.set(1); b.set(2)
    return "r"
# (iteration order is the HAMT's, so it is sorted here)
print("run:", ctx.run(setter), len(ctx), sorted(v.name for v in ctx), sorted(ctx[v] for v in ctx))
print("keys/values/items:", sorted(k.name for k in ctx.keys()), sorted(ctx.values()), sorted([k.name, v] for k, v in ctx.items()))
print("get:", ctx.get(a), ctx.get(contextvars.ContextVar("zz")), ctx.get(contextvars.ContextVar("zz"), "d"))
for bad in (1, "a"):
    try:
        ctx.get(bad)
    except TypeError as e:
        show(f"ctx.get({bad!r})", e)
    try:
        bad in ctx
    except TypeError as e:
        show(f"{bad!r} in ctx", e)
print("outside:", a.get(), b.get("none"))
c2 = ctx.copy()
c2.run(a.set, 5)
print("copy independent:", ctx[a], c2[a])
# token attributes
t = a.set(7)
print("token:", t.var is a, t.old_value is contextvars.Token.MISSING, repr(contextvars.Token.MISSING))
t2 = a.set(8)
print("token2 old:", t2.old_value)
a.reset(t2); a.reset(t)
print("after resets:", a.get())
# reset in a copy where var was set outside
t3 = a.set(9)
try:
    contextvars.copy_context().run(a.reset, t3)
except ValueError as e:
    print("reset in a copied context: ValueError", str(e).endswith("was created in a different Context"))
a.reset(t3)
# run with kwargs and raising
def f(x, *, y):
    return x + y
print("run kwargs:", ctx.run(f, 1, y=2))
# nested runs of different contexts
def inner():
    return a.get()
def outer():
    a.set(100)
    return [contextvars.copy_context().run(inner), c2.run(inner)]
print("nested runs:", ctx.run(outer), "ctx now:", ctx[a])
# get default precedence
print("get with default arg vs var default:", a.get(42), b.get(43))
try:
    b.get()
except LookupError as e:
    print("b.get(): LookupError", type(e) is LookupError, str(e).startswith("<ContextVar name='b'"))
print("ContextVar name:", a.name, b.name)
# Context.run in tasks and callbacks with asyncio
async def main():
    loop = asyncio.get_running_loop()
    seen = []
    ctx3 = contextvars.copy_context()
    ctx3.run(a.set, 33)
    loop.call_soon(lambda: seen.append(a.get()), context=ctx3)
    loop.call_soon(lambda: seen.append(a.get()))
    await asyncio.sleep(0)
    print("call_soon context=:", seen)
    t = asyncio.create_task(asyncio.sleep(0, a.get()), context=ctx3)
    print("task context is ctx3:", t.get_context() is ctx3, await t)
asyncio.run(main())
