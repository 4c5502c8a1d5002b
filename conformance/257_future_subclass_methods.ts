/** Twin of 257_future_subclass_methods.py: a Future subclass's own methods, called where CPython calls them; a future that starts when a callback is added. */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const log: string[] = [];

class MyFut<T> extends asyncio.Future<T> {
  override addDoneCallback(
    fn: (f: this) => unknown,
    options?: { context?: asyncio.Context },
  ): void {
    log.push("adc");
    super.addDoneCallback(fn, options);
  }
  override result(): T {
    log.push("result()");
    return super.result();
  }
  override done(): boolean {
    log.push("done()");
    return super.done();
  }
  override exception(): unknown {
    log.push("exception()");
    return super.exception();
  }
  override cancelled(): boolean {
    log.push("cancelled()");
    return super.cancelled();
  }
}

function settledSoon(): MyFut<number> {
  const f = new MyFut<number>();
  asyncio.getRunningLoop().callSoon(() => f.setResult(1));
  return f;
}

function show(tag: string, r: unknown): void {
  print(tag, r, repr(log));
  log.length = 0;
}

await asyncio.run(async () => {
  show("await", await settledSoon());
  show("wait_for", await asyncio.waitFor(settledSoon(), 1));
  show("gather", repr(await asyncio.gather([settledSoon()])));
  show("shield", await asyncio.shield(settledSoon()));
  const [done] = await asyncio.wait([settledSoon()]);
  show("wait", done.size);
  const f = new MyFut<number>();
  f.setResult(2);
  show("await done", await f);
});

await asyncio.run(function* () {
  show("gen await", yield* settledSoon());
});

class LazyFut extends asyncio.Future<string> {
  started = false;
  override addDoneCallback(
    fn: (f: this) => unknown,
    options?: { context?: asyncio.Context },
  ): void {
    if (!this.started) {
      this.started = true;
      this.getLoop().callLater(0.01, () => this.setResult("lazy-done"));
    }
    super.addDoneCallback(fn, options);
  }
}

await asyncio.run(function* () {
  print("await:", yield* new LazyFut());
  print("wait_for:", yield* asyncio.waitFor(new LazyFut(), 1));
  try {
    yield* asyncio.timeout(1, function* () {
      print("in timeout:", yield* new LazyFut());
    });
  } catch (e) {
    if (!(e instanceof asyncio.TimeoutError)) throw e;
    print("timeout!");
  }
});
