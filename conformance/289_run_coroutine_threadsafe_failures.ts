import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const norm = (s: string) => s.replace(/ at \/\S+:\d+/g, "").replace(/0x[0-9a-f]+/g, "0x?");
const excStr = (e: unknown) => {
  const err = e as Error & { args?: unknown[] };
  return `${err.name}(${(err.args ?? [err.message]).map((a) => norm(repr(a))).join(", ")})`;
};
function* co(): asyncio.Coroutine<number> {
  yield* asyncio.sleep(0);
  return 1;
}
type Factory = Parameters<asyncio.AbstractEventLoop["setTaskFactory"]>[0];

const loop = asyncio.newEventLoop();
loop.setExceptionHandler((_l, ctx) => {
  const e = ctx.exception;
  print(
    "  handler:",
    norm(ctx.message as string),
    "|",
    e ? excStr(e) : "None",
    "| keys:",
    repr(Object.keys(ctx).sort()),
  );
});
async function spin(lp: asyncio.AbstractEventLoop) {
  const fut = lp.createFuture();
  lp.callLater(0.01, () => fut.setResult(null));
  await lp.runUntilComplete(fut);
}
const badFactory = ((_l: unknown, coro: asyncio.Coroutine<unknown>) => {
  coro.return(undefined);
  throw new asyncio.ValueError("no tasks today");
}) as unknown as Factory;
loop.setTaskFactory(badFactory);
let f = asyncio.runCoroutineThreadsafe(co(), loop);
print("1. pending before the loop runs:", f.done(), f.running());
await spin(loop);
print("   after:", f.done(), excStr(f.exception()));

loop.setTaskFactory(badFactory);
f = asyncio.runCoroutineThreadsafe(co(), loop);
f.cancel();
await spin(loop);
print("3. cancelled before the callback ran:", f.cancelled());
loop.setTaskFactory(null);

const other = asyncio.newEventLoop();
loop.setTaskFactory(
  ((_l: unknown, coro: asyncio.Coroutine<unknown>) =>
    new asyncio.Task(coro, { loop: other })) as unknown as Factory,
);
f = asyncio.runCoroutineThreadsafe(co(), loop);
await spin(loop);
loop.setTaskFactory(null);
const t = [...asyncio.allTasks(other)][0] as asyncio.Task<unknown>;
print("4. task on other loop:", t.getLoop() === other, "| f done:", f.done());
f.cancel();
print("   f.cancel() -> task cancelling now:", t.cancelling());
await spin(other);
print("   after other ran:", t.cancelled());
await spin(loop);
print("   f:", f.cancelled());
other.close();

const c5 = co();
f = asyncio.runCoroutineThreadsafe(c5, loop);
loop.close();
c5.return(0);
print("5. closed with the callback queued:", f.done(), f.running());
