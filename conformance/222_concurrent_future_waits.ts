/**
 * Twin of 222_concurrent_future_waits.py: concurrent futures changed while they are waited on
 * (Python's other thread is a timer of the main thread here: the waits are asynchronous),
 * wait()/asCompleted() with no futures and negative timeouts, the reprs of every state.
 */
import * as cf from "../src/concurrent.ts";
import { ValueError } from "../src/index.ts";
import { excStr, print, repr } from "./_py.ts";

function norm(s: string): string {
  return s.replace(/0x[0-9a-f]+/g, "0x?");
}
function later(seconds: number, fn: () => unknown): void {
  setTimeout(fn, seconds * 1000);
}

let f = new cf.Future<unknown>();
later(0.05, () => f.cancel());
try {
  await f.result(5);
} catch (e) {
  if (!(e instanceof cf.CancelledError)) throw e;
  print("result() woken by cancel():", excStr(e));
}

f = new cf.Future();
later(0.05, () => f.cancel());
let [done, notDone] = await cf.wait([f], { timeout: 0.3 });
print("wait() over cancel() without notify:", done.size, notDone.size, f.cancelled());
f.setRunningOrNotifyCancel();
[done, notDone] = await cf.wait([f], { timeout: 0 });
print("after notify:", done.size, notDone.size);

f = new cf.Future();
let g = new cf.Future<unknown>();
function cancelAndNotify(): void {
  f.cancel();
  f.setRunningOrNotifyCancel();
}
later(0.05, cancelAndNotify);
later(0.3, () => g.setResult("g"));
[done, notDone] = await cf.wait([f, g], { returnWhen: cf.FIRST_EXCEPTION });
print("FIRST_EXCEPTION with a cancelled future waits for all:", done.size, notDone.size);

f = new cf.Future();
g = new cf.Future();
later(0.05, cancelAndNotify);
later(0.3, () => g.setException(new Error("k")));
[done, notDone] = await cf.wait([f, g], { returnWhen: cf.FIRST_COMPLETED });
print(
  "FIRST_COMPLETED woken by a cancelled future:",
  repr([...done].map((x) => x === f)),
  notDone.size,
);

f = new cf.Future();
later(0.05, () => f.cancel());
const got: unknown[] = [];
try {
  for await (const x of cf.asCompleted([f], { timeout: 0.3 })) got.push(x);
} catch (e) {
  if (!(e instanceof cf.TimeoutError)) throw e;
  print("as_completed over cancel() without notify:", got.length, excStr(e));
}

print("wait([]):", repr((await cf.wait([])).map((s) => s.size)));
const none: unknown[] = [];
for await (const x of cf.asCompleted([])) none.push(x);
print("as_completed([]):", repr(none));
const p = new cf.Future<unknown>();
print("wait(timeout=-1):", repr((await cf.wait([p], { timeout: -1 })).map((s) => s.size)));
try {
  for await (const _ of cf.asCompleted([p], { timeout: -1 })) {
  }
} catch (e) {
  print("as_completed(timeout=-1):", excStr(e));
}
try {
  await p.result(-1);
} catch (e) {
  print("result(timeout=-1):", excStr(e));
}

const states: cf.Future<unknown>[] = [];
const a = new cf.Future<unknown>();
states.push(a);
const b = new cf.Future<unknown>();
b.setRunningOrNotifyCancel();
states.push(b);
const c = new cf.Future<unknown>();
c.setResult([1, 2]);
states.push(c);
const d = new cf.Future<unknown>();
d.setResult(null);
states.push(d);
const e = new cf.Future<unknown>();
e.setException(new ValueError("v"));
states.push(e);
const h = new cf.Future<unknown>();
h.cancel();
states.push(h);
const i = new cf.Future<unknown>();
i.cancel();
i.setRunningOrNotifyCancel();
states.push(i);
for (const s of states) print(norm(repr(s)));
