# oracle: 3.13 — same output as 3.11
"""Timer order (catalogue §0.2-0.4): timers run in deadline order, equal deadlines in binary-heap
order (heapq push/pop, TimerHandle compares `when` only), due timers go to the END of the ready
queue, and cancelled timers are pruned from the heap head, or all at once with heapify() when
more than half of over 100 scheduled timers are cancelled. Deadlines are in the past, so every
timer is due at once and the order is exactly heap order (no real waiting)."""
import asyncio

loop = asyncio.new_event_loop()
trace = []

def cb(tag):
    trace.append(tag)

def run_once():
    loop.stop()
    loop.run_forever()

def show(label):
    print(label, " ".join(str(t) for t in trace))
    trace.clear()

base = loop.time() - 100

# 1. twenty equal deadlines
for i in range(20):
    loop.call_at(base, cb, i)
run_once()
show("1. 20 equal deadlines:")

# 2. mixed deadlines, registered out of order, with ties
for i, d in enumerate([3, 1, 2, 1, 3, 0, 2, 1, 0, 3, 1, 2]):
    loop.call_at(base + d, cb, f"{d}:{i}")
run_once()
show("2. mixed deadlines:")

# 3. due timers are appended after callbacks already in the ready queue
loop.call_soon(cb, "soon-a")
loop.call_at(base, cb, "timer-x")
loop.call_at(base, cb, "timer-y")
loop.call_soon(cb, "soon-b")
run_once()
show("3. ready first:")

# 4. a cancelled head is pruned; the rest keep heap order
hs = [loop.call_at(base, cb, i) for i in range(10)]
hs[0].cancel(); hs[3].cancel(); hs[7].cancel()
run_once()
show("4. head pruning:")

# 5. more than 100 timers, more than half cancelled: heapify() rebuilds the heap
hs = [loop.call_at(base + (i % 4), cb, i) for i in range(150)]
for i, h in enumerate(hs):
    if i % 3 != 0 or i % 2 == 0 and i < 40:
        h.cancel()
run_once()
show("5. heapify path:")

# 6. exactly at the threshold (not more than half): only the head is pruned
hs = [loop.call_at(base + (i % 4), cb, i) for i in range(102)]
for i, h in enumerate(hs):
    if i % 2 == 1:
        h.cancel()
run_once()
show("6. at threshold:")

# 7. a timer callback scheduling call_at(past) and call_soon: both run next iteration, soon first
def spawner():
    trace.append("spawner")
    loop.call_at(base, cb, "child-timer")
    loop.call_soon(cb, "child-soon")
loop.call_at(base, spawner)
loop.call_at(base, cb, "sibling")
run_once()
show("7a. first iteration:")
run_once()
show("7b. next iteration:")

# 8. timers pushed across iterations interleave with leftovers by heap order
for i in range(5):
    loop.call_at(base + 1, cb, f"a{i}")
h = loop.call_at(base + 5, cb, "far")
for i in range(5):
    loop.call_at(base + 1, cb, f"b{i}")
h.cancel()
run_once()
show("8. two batches:")
# 9. the same pruning when the loop has to wait for the timers first (idle, then due)
when = loop.time() + 0.02
hs = [loop.call_at(when, cb, i) for i in range(120)]
for i, h in enumerate(hs):
    if i % 4 != 1:
        h.cancel()
loop.call_at(when + 0.001, loop.stop)
loop.run_forever()
show("9. after waiting:")
loop.close()
