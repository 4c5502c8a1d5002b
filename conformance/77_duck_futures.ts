/** Twin of 77_duck_futures.py: future-like objects (isFuture duck types) awaited by tasks, with getLoop() and _loop. */

import { customRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const clean = (s: string) =>
  s.replace(/ coro=<\S+ (running|done)[^>]*>/g, "").replace(/ at [^\]>,]+:\d+/g, "");
const targs = (err: unknown) => {
  const e = err as { args: unknown[] };
  return `(${e.args.map((x: unknown) => repr(x)).join(", ")}${e.args.length === 1 ? "," : ""})`;
};
const log: string[] = [];

class Duck {
  _asyncioFutureBlocking = false;
  _cbs: [(f: unknown) => void, asyncio.Context | undefined][] = [];
  _done = false;
  _res: unknown = null;
  _cancelled = false;
  constructor(
    readonly _lp: asyncio.AbstractEventLoop,
    readonly tag: string,
  ) {}
  get _loop() {
    return this._lp;
  } // workaround: asyncio-ts reads _loop, not getLoop()
  getLoop() {
    log.push(`${this.tag}.get_loop`);
    return this._lp;
  }
  addDoneCallback(fn: (f: unknown) => void, options?: { context?: asyncio.Context }) {
    log.push(
      `${this.tag}.add_done_callback(context given: ${repr(options?.context !== undefined)})`,
    );
    this._cbs.push([fn, options?.context]);
  }
  removeDoneCallback() {
    return 0;
  }
  cancel(msg?: unknown) {
    log.push(`${this.tag}.cancel(${repr(msg)})`);
    if (this._done) return false;
    this._cancelled = true;
    this._fire();
    return true;
  }
  cancelled() {
    return this._cancelled;
  }
  done() {
    return this._done || this._cancelled;
  }
  result() {
    log.push(`${this.tag}.result`);
    if (this._cancelled) throw new asyncio.CancelledError("duck-cancelled");
    return this._res;
  }
  exception() {
    return null;
  }
  *[Symbol.iterator](): Generator<unknown, unknown, unknown> {
    if (!this.done()) {
      this._asyncioFutureBlocking = true;
      yield this;
    }
    return this.result();
  }
  _fire() {
    for (const [fn, ctx] of this._cbs) {
      if (ctx) ctx.run(() => this._lp.callSoon(fn, this));
      else this._lp.callSoon(fn, this);
    }
  }
  set(v: unknown) {
    this._done = true;
    this._res = v;
    log.push(`${this.tag}.set`);
    this._fire();
  }
  [customRepr]() {
    return `<Duck ${this.tag}>`;
  }
}
const AW = asyncio.awaitable(function* aw(d: Duck): asyncio.Coroutine<unknown> {
  return yield* d;
});

function* w2Gen(d: Duck): asyncio.Coroutine<void> {
  try {
    const v = yield* d;
    log.push(`w2 got ${repr(v)}`);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) log.push(`w2 cancelled ${targs(e)}`);
    throw e;
  }
}
async function w2Async(d: Duck) {
  try {
    const v = await AW(d);
    log.push(`w2 got ${repr(v)}`);
  } catch (e) {
    if (e instanceof asyncio.CancelledError) log.push(`w2 cancelled ${targs(e)}`);
    throw e;
  }
}

function* scenGen(tag: string): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  const P = (...a: unknown[]) => print(`[${tag}]`, ...a);
  let d = new Duck(loop, "d1");
  P("isfuture(duck):", asyncio.isFuture(d));
  function* w(): asyncio.Coroutine<unknown> {
    const v = yield* d;
    log.push(`task got ${repr(v)}`);
    return v;
  }
  let t: asyncio.Task<unknown> = asyncio.createTask(w(), { name: "W" });
  yield* asyncio.sleep(0);
  P("1 after first step:", log, "| repr:", clean(repr(t)));
  log.length = 0;
  const dd = d;
  loop.callSoon(() => dd.set("duck-value"));
  log.push("before await t");
  const r = yield* t;
  P("1 result:", r, log);
  log.length = 0;

  d = new Duck(loop, "d2");
  t = asyncio.createTask(w2Gen(d), { name: "W2" });
  yield* asyncio.sleep(0);
  log.length = 0;
  P("2 cancel:", t.cancel("stop"));
  try {
    yield* t;
  } catch (e) {
    P("2 awaiter:", targs(e), log, t.cancelled());
  }
  log.length = 0;

  const other = asyncio.newEventLoop();
  d = new Duck(other, "d3");
  t = asyncio.createTask(w2Gen(d), { name: "W3" });
  try {
    yield* t;
  } catch (e) {
    P("3 other loop:", clean((e as Error).message), log);
  }
  log.length = 0;
  other.close();

  d = new Duck(loop, "d4");
  P("4 ensure_future(duck) is duck:", asyncio.ensureFuture(d as never) === (d as unknown), log);
  log.length = 0;
  d = new Duck(loop, "d5");
  const d5 = d;
  loop.callSoon(() => d5.set(55));
  log.length = 0;

  for (const [label, n, fn] of [
    [
      "6 wait",
      66,
      function* (x: Duck) {
        const [done, pending] = yield* asyncio.wait([x as never]);
        return `${done.size} ${pending.size} ${repr(done.has(x as never))}`;
      },
    ],
    [
      "7 shield",
      77,
      function* (x: Duck) {
        return yield* asyncio.shield(x as never);
      },
    ],
    [
      "8 wait_for",
      88,
      function* (x: Duck) {
        return yield* asyncio.waitFor(x as never, 1);
      },
    ],
    [
      "9 as_completed",
      99,
      function* (x: Duck) {
        const out: unknown[] = [];
        for (const f of asyncio.asCompleted([x as never])) out.push(yield* f);
        return repr(out);
      },
    ],
  ] as [string, number, (x: Duck) => asyncio.Coroutine<unknown>][]) {
    const dx = new Duck(loop, `d${n / 11}`);
    loop.callSoon(() => dx.set(n));
    try {
      const v = yield* asyncio.timeout(0.5, () => fn(dx));
      P(`${label}:`, typeof v === "string" ? v : repr(v));
    } catch (e) {
      P(`${label} raised:`, String(e).split("\n")[0]);
    }
  }
  log.length = 0;
}

async function scenAsync(tag: string) {
  const loop = asyncio.getRunningLoop();
  const P = (...a: unknown[]) => print(`[${tag}]`, ...a);
  let d = new Duck(loop, "d1");
  P("isfuture(duck):", asyncio.isFuture(d));
  async function w() {
    const v = await AW(d);
    log.push(`task got ${repr(v)}`);
    return v;
  }
  let t: asyncio.Task<unknown> = asyncio.createTask(w, { name: "W" });
  await asyncio.sleep(0);
  P("1 after first step:", log, "| repr:", clean(repr(t)));
  log.length = 0;
  const dd = d;
  loop.callSoon(() => dd.set("duck-value"));
  log.push("before await t");
  const r = await t;
  P("1 result:", r, log);
  log.length = 0;

  d = new Duck(loop, "d2");
  const d2 = d;
  t = asyncio.createTask(() => w2Async(d2), { name: "W2" });
  await asyncio.sleep(0);
  log.length = 0;
  P("2 cancel:", t.cancel("stop"));
  try {
    await t;
  } catch (e) {
    P("2 awaiter:", targs(e), log, t.cancelled());
  }
  log.length = 0;

  const other = asyncio.newEventLoop();
  d = new Duck(other, "d3");
  const d3 = d;
  t = asyncio.createTask(() => w2Async(d3), { name: "W3" });
  try {
    await t;
  } catch (e) {
    P("3 other loop:", clean((e as Error).message), log);
  }
  log.length = 0;
  other.close();

  d = new Duck(loop, "d4");
  P("4 ensure_future(duck) is duck:", asyncio.ensureFuture(d as never) === (d as unknown), log);
  log.length = 0;
  d = new Duck(loop, "d5");
  const d5 = d;
  loop.callSoon(() => d5.set(55));
  log.length = 0;

  for (const [label, n, fn] of [
    [
      "6 wait",
      66,
      function* (x: Duck) {
        const [done, pending] = yield* asyncio.wait([x as never]);
        return `${done.size} ${pending.size} ${repr(done.has(x as never))}`;
      },
    ],
    [
      "7 shield",
      77,
      function* (x: Duck) {
        return yield* asyncio.shield(x as never);
      },
    ],
    [
      "8 wait_for",
      88,
      function* (x: Duck) {
        return yield* asyncio.waitFor(x as never, 1);
      },
    ],
    [
      "9 as_completed",
      99,
      function* (x: Duck) {
        const out: unknown[] = [];
        for (const f of asyncio.asCompleted([x as never])) out.push(yield* f);
        return repr(out);
      },
    ],
  ] as [string, number, (x: Duck) => asyncio.Coroutine<unknown>][]) {
    const dx = new Duck(loop, `d${n / 11}`);
    loop.callSoon(() => dx.set(n));
    try {
      const v = await asyncio.timeout(0.5, () => fn(dx));
      P(`${label}:`, typeof v === "string" ? v : repr(v));
    } catch (e) {
      P(`${label} raised:`, String(e).split("\n")[0]);
    }
  }
  log.length = 0;
}
const h = (l: asyncio.AbstractEventLoop) =>
  l.setExceptionHandler((_l, c) =>
    print("HANDLER:", c.message, String(c.exception).split("\n")[0]),
  );
await asyncio.run(function* () {
  h(asyncio.getRunningLoop());
  yield* scenGen("gen");
});
await asyncio.run(async () => {
  h(asyncio.getRunningLoop());
  await scenAsync("async");
});
