/**
 * Twin of 90_concurrent_future.py: the concurrent Future's states, reprs, cancel and
 * setRunningOrNotifyCancel, InvalidStateError messages, result/exception with timeout 0,
 * synchronous done callbacks (a failing one logged), wait() and asCompleted() on futures that
 * are done or never finish, and the concurrent CancelledError.
 */
import * as cf from "../src/concurrent.ts";
import { isBaseExceptionOnly } from "../src/exceptions.ts";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function norm(s: unknown): string {
  return String(s)
    .replace(/0x[0-9a-f]+/g, "0x?")
    .replace(/Future \d+ in/g, "Future ? in");
}

cf.LOGGER.addHandler((record) => {
  print(`log ${record.name} ${record.levelname}: ${norm(record.message)}`);
});

function excStr(e: unknown): string {
  const err = e as Error & { args?: unknown[] };
  return `${err.name}(${(err.args ?? []).map((a) => norm(repr(a))).join(", ")})`;
}

function attempt(label: string, fn: () => unknown): void {
  try {
    const r = fn();
    print(`${label}: returned ${norm(repr(r))}`);
  } catch (e) {
    print(`${label}: raised ${excStr(e)}`);
  }
}

function tuple(items: unknown[]): string {
  return `(${items.map((a) => repr(a)).join(", ")})`;
}

const f = new cf.Future<number>();
print("new:", norm(repr(f)), f.done(), f.running(), f.cancelled());
attempt("result(timeout=0) pending", () => f.result(0));
attempt("exception(timeout=0) pending", () => f.exception(0));
print("set_running_or_notify_cancel:", f.setRunningOrNotifyCancel(), norm(repr(f)), f.running());
print("cancel running:", f.cancel(), f.cancelled());
attempt("set_running_or_notify_cancel again", () => f.setRunningOrNotifyCancel());
f.setResult(42);
print("finished:", norm(repr(f)), f.done(), f.running(), f.result(), f.exception());
attempt("set_result again", () => f.setResult(1));
attempt("set_exception on finished", () => f.setException(new asyncio.ValueError("x")));
print("cancel finished:", f.cancel());

const g = new cf.Future<number>();
g.setException(new asyncio.ValueError("bad"));
print("exception:", norm(repr(g)), repr(g.exception()));
attempt("result raises", () => g.result());

const h = new cf.Future<number>();
print("cancel pending:", h.cancel(), h.cancel(), norm(repr(h)), h.done(), h.cancelled());
attempt("result cancelled", () => h.result());
attempt("exception cancelled", () => h.exception());
attempt("set_result cancelled", () => h.setResult(1));
print("notify cancel:", h.setRunningOrNotifyCancel(), norm(repr(h)));
attempt("notify again", () => h.setRunningOrNotifyCancel());
try {
  h.result();
} catch (e) {
  print(
    "CancelledError is asyncio's:",
    e instanceof asyncio.CancelledError,
    "| is concurrent's:",
    (e as Error).constructor === cf.CancelledError,
    "| is Exception:",
    !isBaseExceptionOnly(e),
  );
}
print("TimeoutError is the builtin:", cf.TimeoutError === asyncio.TimeoutError);
print(
  "BrokenExecutor is RuntimeError:",
  cf.BrokenExecutor.prototype instanceof asyncio.RuntimeError,
);

// done callbacks: synchronous, in order, at once if done; errors logged
const calls: string[] = [];
const k = new cf.Future<string>();
k.addDoneCallback((fut) => calls.push(tuple(["a", fut.result()])));
k.addDoneCallback(() => {
  throw new asyncio.RuntimeError("cb failed");
});
k.addDoneCallback((fut) => calls.push(tuple(["b", fut.result()])));
print("before set_result:", `[${calls.join(", ")}]`);
k.setResult("v");
print("after set_result:", `[${calls.join(", ")}]`);
k.addDoneCallback((fut) => calls.push(tuple(["late", fut.result()])));
print("added late:", `[${calls.join(", ")}]`);
const c2 = new cf.Future<string>();
c2.addDoneCallback((fut) => calls.push(tuple(["cancel-cb", fut.cancelled()])));
c2.cancel();
print("after cancel:", calls[calls.length - 1]);

// wait() / asCompleted() without waiting
const done1 = new cf.Future<unknown>();
done1.setResult(1);
const failed = new cf.Future<unknown>();
failed.setException(Object.assign(new Error("'k'"), { name: "KeyError", args: ["k"] }));
const never = new cf.Future<unknown>();
const cancelled = new cf.Future<unknown>();
cancelled.cancel();
const notified = new cf.Future<unknown>();
notified.cancel();
notified.setRunningOrNotifyCancel();
const names = new Map<unknown, string>([
  [done1, "done1"],
  [failed, "failed"],
  [never, "never"],
  [cancelled, "cancelled"],
  [notified, "notified"],
]);
function sortedNames(set: Set<unknown>): string {
  return repr([...set].map((x) => names.get(x)!).sort());
}
function show(label: string, res: cf.DoneAndNotDoneFutures<unknown>): void {
  const [done, notDone] = res;
  print(
    label,
    sortedNames(done),
    sortedNames(notDone),
    "| named:",
    res.done === done,
    res.notDone === notDone,
  );
}
show("wait FIRST_COMPLETED:", await cf.wait([never, done1], { returnWhen: cf.FIRST_COMPLETED }));
show(
  "wait FIRST_EXCEPTION:",
  await cf.wait([never, done1, failed], { returnWhen: cf.FIRST_EXCEPTION }),
);
show("wait ALL_COMPLETED timeout=0:", await cf.wait([never, done1], { timeout: 0 }));
show("wait all done:", await cf.wait([done1, failed, done1]));
show("wait cancelled not notified:", await cf.wait([cancelled, notified], { timeout: 0 }));
show(
  "wait FIRST_EXCEPTION none failed:",
  await cf.wait([done1, never], { timeout: 0, returnWhen: cf.FIRST_EXCEPTION }),
);
async function attemptAsync(label: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    const r = await fn();
    print(`${label}: returned ${norm(repr(r))}`);
  } catch (e) {
    print(`${label}: raised ${excStr(e)}`);
  }
}
await attemptAsync("wait bogus", () =>
  cf.wait([never], { timeout: 0, returnWhen: "bogus" as cf.ReturnWhen }),
);
await attemptAsync(
  "wait bogus all done",
  async () => (await cf.wait([done1], { returnWhen: "bogus" as cf.ReturnWhen })).done.size,
);
const got: string[] = [];
try {
  for await (const x of cf.asCompleted([done1, never, failed], { timeout: 0 })) {
    got.push(x === done1 ? "done1" : x === failed ? "failed" : "?");
  }
} catch (e) {
  if (!(e instanceof asyncio.TimeoutError)) throw e;
  print("as_completed:", repr(got.sort()), "then", excStr(e));
}
const results: unknown[] = [];
for await (const x of cf.asCompleted([done1, done1])) results.push(x.result());
print("as_completed duplicates:", repr(results));
