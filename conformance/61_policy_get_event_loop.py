"""Event loop policy and get_event_loop() with 3.11's behaviour (catalogue §16): the main thread
gets a loop on demand, set_event_loop(None) turns that off, a running loop always wins, type
checks, a fresh default policy, the functions that need a current loop, and threads (no loop
unless set; asyncio.run() works there; each thread runs its own loop)."""
import asyncio
import re
import threading


def attempt(label, fn):
    try:
        r = fn()
        print(f"{label}: returned {type(r).__name__ if r is not None else None}")
    except BaseException as e:
        msg = re.sub(r"thread '(?!MainThread)[^']*'", "thread '<worker>'", str(e))
        print(f"{label}: {type(e).__name__}: {msg}")


# 1. no running loop
attempt("1. get_running_loop()", asyncio.get_running_loop)

# 2. main thread, nothing set: get_event_loop() creates, sets and returns one loop
l1 = asyncio.get_event_loop()
print("2. a loop:", isinstance(l1, asyncio.AbstractEventLoop), "| same on each call:", asyncio.get_event_loop() is l1)
print("   the policy's current loop:", asyncio.get_event_loop_policy().get_event_loop() is l1)
print("   not running, not closed:", l1.is_running(), l1.is_closed())
l1.close()
print("   still returned after close():", asyncio.get_event_loop() is l1, "| closed:", l1.is_closed())

# 3. set_event_loop(None): no more loops on demand
asyncio.set_event_loop(None)
attempt("3. get_event_loop() after set_event_loop(None)", asyncio.get_event_loop)
attempt("   policy.get_event_loop()", asyncio.get_event_loop_policy().get_event_loop)

# 4. new_event_loop() does not become current; set_event_loop() makes it so
l2 = asyncio.new_event_loop()
attempt("4. get_event_loop() after new_event_loop()", asyncio.get_event_loop)
asyncio.set_event_loop(l2)
print("   after set_event_loop(l2):", asyncio.get_event_loop() is l2)

# 5. inside a running loop get_event_loop() is the running loop, whatever the policy says
l3 = asyncio.new_event_loop()
async def inside():
    running = asyncio.get_running_loop()
    return (running is l3, asyncio.get_event_loop() is l3,
            asyncio.get_event_loop_policy().get_event_loop() is l2)
print("5. inside l3 (running is l3, get_event_loop() is l3, policy's is l2):", l3.run_until_complete(inside()))
print("   current loop after the run is still l2:", asyncio.get_event_loop() is l2)
l3.close()

# 6. type checks
class NotALoop:
    pass
try:
    asyncio.set_event_loop(NotALoop())
except TypeError as e:
    print("6. set_event_loop(NotALoop()):", e)
print("   current loop unchanged:", asyncio.get_event_loop() is l2)
try:
    asyncio.set_event_loop_policy(NotALoop())
except TypeError as e:
    print("   set_event_loop_policy(NotALoop()):", e)

# 7. set_event_loop_policy(None) restores a fresh default policy (a loop on demand again)
p1 = asyncio.get_event_loop_policy()
asyncio.set_event_loop_policy(None)
p2 = asyncio.get_event_loop_policy()
print("7. a new policy:", p2 is not p1, "| default:", isinstance(p2, asyncio.DefaultEventLoopPolicy),
      "| is the current one:", asyncio.get_event_loop_policy() is p2)
l4 = asyncio.get_event_loop()
print("   get_event_loop() makes a new loop:", l4 is not l2, "| same again:", asyncio.get_event_loop() is l4)
l4.close()
l2.close()
class MyPolicy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        loop = super().new_event_loop()
        loop.made_by_my_policy = True
        return loop
asyncio.set_event_loop_policy(MyPolicy())
l5 = asyncio.new_event_loop()
print("   a custom policy's new_event_loop():", getattr(l5, "made_by_my_policy", False))
l5.close()
asyncio.set_event_loop_policy(None)

# 8. what needs a current loop fails without one
asyncio.set_event_loop(None)
attempt("8. Future()", asyncio.Future)
async def coro():
    pass
c = coro()
attempt("   ensure_future(coroutine)", lambda: asyncio.ensure_future(c))
c.close()
attempt("   gather()", asyncio.gather)
lp = asyncio.new_event_loop()
attempt("   Future(loop=lp)", lambda: asyncio.Future(loop=lp))
lp.close()

# 9. threads: no loop unless one is set; asyncio.run() works there; each thread runs its own loop
results = []
def worker():
    attempt("9. get_event_loop() in a thread", asyncio.get_event_loop)
    attempt("   get_running_loop() in a thread", asyncio.get_running_loop)
    async def main():
        await asyncio.sleep(0.01)
        return asyncio.get_running_loop() is not outer_loop
    results.append(asyncio.run(main()))
    lw = asyncio.new_event_loop()
    asyncio.set_event_loop(lw)
    print("   after set_event_loop() in the thread:", asyncio.get_event_loop() is lw)
    lw.close()

outer_loop = asyncio.new_event_loop()
async def outer():
    t = threading.Thread(target=worker)
    t.start()
    while t.is_alive():
        await asyncio.sleep(0.01)
    return asyncio.get_running_loop() is outer_loop
ok = outer_loop.run_until_complete(outer())
outer_loop.close()
print("   asyncio.run() in the thread while the main thread's loop ran:", results, "| main loop was running:", ok)
attempt("   main thread after the thread: get_event_loop()", asyncio.get_event_loop)
