/**
 * Twin of 65_timer_heap_order.py: deadline order, equal deadlines in heap order, due timers after
 * ready callbacks, and the pruning of cancelled timers (head pops, or heapify when many).
 */
import * as asyncio from "../src/index.ts";
import { print, str } from "./_py.ts";

const loop = asyncio.newEventLoop() as asyncio.EventLoop;
const trace: unknown[] = [];

function cb(tag: unknown): void {
  trace.push(tag);
}

async function runOnce(): Promise<void> {
  loop.stop();
  await loop.runForever();
}

function show(label: string): void {
  print(label, trace.map((t) => str(t)).join(" "));
  trace.length = 0;
}

const base = loop.time() - 100;

// 1. twenty equal deadlines
for (let i = 0; i < 20; i++) loop.callAt(base, cb, i);
await runOnce();
show("1. 20 equal deadlines:");

// 2. mixed deadlines, registered out of order, with ties
[3, 1, 2, 1, 3, 0, 2, 1, 0, 3, 1, 2].forEach((d, i) => {
  loop.callAt(base + d, cb, `${d}:${i}`);
});
await runOnce();
show("2. mixed deadlines:");

// 3. due timers are appended after callbacks already in the ready queue
loop.callSoon(cb, "soon-a");
loop.callAt(base, cb, "timer-x");
loop.callAt(base, cb, "timer-y");
loop.callSoon(cb, "soon-b");
await runOnce();
show("3. ready first:");

// 4. a cancelled head is pruned; the rest keep heap order
let hs = Array.from({ length: 10 }, (_, i) => loop.callAt(base, cb, i));
hs[0]!.cancel();
hs[3]!.cancel();
hs[7]!.cancel();
await runOnce();
show("4. head pruning:");

// 5. more than 100 timers, more than half cancelled: heapify() rebuilds the heap
hs = Array.from({ length: 150 }, (_, i) => loop.callAt(base + (i % 4), cb, i));
hs.forEach((h, i) => {
  if (i % 3 !== 0 || (i % 2 === 0 && i < 40)) h.cancel();
});
await runOnce();
show("5. heapify path:");

// 6. exactly at the threshold (not more than half): only the head is pruned
hs = Array.from({ length: 102 }, (_, i) => loop.callAt(base + (i % 4), cb, i));
hs.forEach((h, i) => {
  if (i % 2 === 1) h.cancel();
});
await runOnce();
show("6. at threshold:");

// 7. a timer callback scheduling call_at(past) and call_soon: both run next iteration, soon first
function spawner(): void {
  trace.push("spawner");
  loop.callAt(base, cb, "child-timer");
  loop.callSoon(cb, "child-soon");
}
loop.callAt(base, spawner);
loop.callAt(base, cb, "sibling");
await runOnce();
show("7a. first iteration:");
await runOnce();
show("7b. next iteration:");

// 8. timers pushed across iterations interleave with leftovers by heap order
for (let i = 0; i < 5; i++) loop.callAt(base + 1, cb, `a${i}`);
const h = loop.callAt(base + 5, cb, "far");
for (let i = 0; i < 5; i++) loop.callAt(base + 1, cb, `b${i}`);
h.cancel();
await runOnce();
show("8. two batches:");
// 9. the same pruning when the loop has to wait for the timers first (idle, then due)
const when = loop.time() + 0.02;
hs = Array.from({ length: 120 }, (_, i) => loop.callAt(when, cb, i));
hs.forEach((h, i) => {
  if (i % 4 !== 1) h.cancel();
});
loop.callAt(when + 0.001, () => loop.stop());
await loop.runForever();
show("9. after waiting:");
loop.close();
