import * as cf from "../src/concurrent.ts";
import * as asyncio from "../src/index.ts";
import { print, pyTuple, repr } from "./_py.ts";

const norm = (s: string) => s.replace(/ at \/\S+:\d+/g, "").replace(/0x[0-9a-f]+/g, "0x?");
const loop = asyncio.newEventLoop() as asyncio.EventLoop;
loop.setExceptionHandler((_lp, ctx) => {
  const exc = ctx.exception as Error | undefined;
  print("  handler:", norm(ctx.message), "|", exc?.name ?? "NoneType", norm(repr(exc)));
});
const modOf = (e: unknown) =>
  e instanceof asyncio.CancelledError || e instanceof asyncio.InvalidStateError
    ? "asyncio.exceptions"
    : "concurrent.futures._base";

function* main(): asyncio.Coroutine<void> {
  let c = new cf.Future<unknown>();
  let a = asyncio.wrapFuture(c);
  a.setResult("mine");
  c.setResult("theirs");
  print("1. set by hand first; after set_result on cf:", a.result(), c.result());
  yield* asyncio.sleep(0);
  print("   one iteration later");
  yield* asyncio.sleep(0);

  c = new cf.Future();
  a = asyncio.wrapFuture(c);
  a.setException(new asyncio.ValueError("a"));
  c.setException(new asyncio.KeyError("k"));
  yield* asyncio.sleep(0);
  print("2. asyncio side failed first:", repr(a.exception()), repr(c.exception()));

  c = new cf.Future();
  a = asyncio.wrapFuture(c);
  print("3. cancel asyncio side:", a.cancel("why"), "| cf cancelled at once:", c.cancelled());
  yield* asyncio.sleep(0);
  print("   after one iteration:", c.cancelled(), c.done());

  c = new cf.Future();
  a = asyncio.wrapFuture(c);
  print("4. cancel cf:", c.cancel(), "| asyncio cancelled at once:", a.cancelled());
  yield* asyncio.sleep(0);
  print("   after one iteration:", a.cancelled());
  try {
    a.result();
  } catch (err) {
    const e = err as Error & { args?: unknown[] };
    print("   result():", modOf(e), e.name, pyTuple(e.args ?? []));
  }

  c = new cf.Future();
  const order: string[] = [];
  c.addDoneCallback(() => order.push("before"));
  a = asyncio.wrapFuture(c);
  a.addDoneCallback(() => order.push("asyncio side"));
  c.addDoneCallback(() => order.push("after"));
  c.setResult(1);
  order.push("set_result returned");
  yield* asyncio.sleep(0);
  order.push("iteration 1");
  yield* asyncio.sleep(0);
  order.push("iteration 2");
  print("5. order:", repr(order));

  c = new cf.Future();
  a = asyncio.wrapFuture(c);
  c.setException(new cf.InvalidStateError("bad"));
  try {
    yield* a;
  } catch (err) {
    const e = err as Error & { args?: unknown[] };
    print("6. InvalidStateError:", modOf(e), e.name, pyTuple(e.args ?? []));
  }

  c = new cf.Future();
  a = asyncio.wrapFuture(c);
  c.setException(new cf.CancelledError("cc"));
  try {
    yield* a;
  } catch (err) {
    const e = err as Error & { args?: unknown[] };
    print(
      "7. concurrent CancelledError set as exception:",
      modOf(e),
      e.name,
      pyTuple(e.args ?? []),
      "| a.cancelled():",
      a.cancelled(),
    );
  }

  c = new cf.Future();
  c.setResult(3);
  a = asyncio.wrapFuture(c);
  print("8. wrap of done cf: done at once:", a.done());
  yield* asyncio.sleep(0);
  print("   after one iteration:", a.done(), a.result());

  c = new cf.Future();
  c.cancel();
  a = asyncio.wrapFuture(c);
  yield* asyncio.sleep(0);
  print("9. wrap of cancelled cf:", a.cancelled());

  c = new cf.Future();
  c.setRunningOrNotifyCancel();
  a = asyncio.wrapFuture(c);
  a.cancel();
  yield* asyncio.sleep(0);
  print("10. running cf, asyncio cancelled:", c.cancelled(), c.running(), c.done());
  c.setException(new asyncio.ValueError("late"));
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  print("    late exception dropped:", a.cancelled());

  c = new cf.Future();
  const other = asyncio.newEventLoop();
  a = asyncio.wrapFuture(c, { loop: other });
  c.setResult("x");
  yield* asyncio.sleep(0);
  print("11. wrapped on another loop (not running):", a.done(), a.getLoop() === other);
  other.close();
  c = new cf.Future();
  a = asyncio.wrapFuture(c, { loop: other });
  print("12. wrap_future on a closed loop: returned", a.constructor.name);
  c.setResult(1);
  print("    after set_result:", a.done());
}
await loop.runUntilComplete(main());
loop.close();
