/**
 * Twin of 153_contextvars_mapping.py: Context as a mapping, bad keys, tokens and Token.MISSING,
 * nested runs, call_soon and create_task with a context. `ctx.run(f, 1, y=2)` becomes a plain
 * two-argument call; `call_soon(cb, context=ctx)` becomes scheduling inside `ctx.run()`.
 */

import { pyStr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

function show(label: string, e: unknown): void {
  print(`${label}: ${(e as Error).name}: ${pyStr(e)}`);
}
const a = new asyncio.ContextVar<number>("a", { default: 0 });
const b = new asyncio.ContextVar<number>("b");
const ctx = new asyncio.Context();
print("empty:", ctx.size, [...ctx], ctx.has(a));
print(
  "run:",
  ctx.run(() => {
    a.set(1);
    b.set(2);
    return "r";
  }),
  ctx.size,
  [...ctx].map((v) => v.name).sort(),
  [...ctx].map((v) => ctx.get(v)).sort(),
);
print(
  "keys/values/items:",
  [...ctx.keys()].map((k) => k.name).sort(),
  [...ctx.values()].sort(),
  [...ctx.entries()].map(([k, v]) => [k.name, v]).sort(),
);
print(
  "get:",
  ctx.get(a),
  ctx.get(new asyncio.ContextVar("zz")) ?? null,
  ctx.get(new asyncio.ContextVar<string>("zz"), "d"),
);
for (const bad of [1, "a"]) {
  try {
    ctx.get(bad as never);
    print(`ctx.get(${repr(bad)}): no error`);
  } catch (e) {
    show(`ctx.get(${repr(bad)})`, e);
  }
  try {
    ctx.has(bad as never);
    print(`${repr(bad)} in ctx: no error`);
  } catch (e) {
    show(`${repr(bad)} in ctx`, e);
  }
}
print("outside:", a.get(), b.get("none" as unknown as number));
const c2 = ctx.copy();
c2.run(() => a.set(5));
print("copy independent:", ctx.get(a), c2.get(a));
const t = a.set(7);
print("token:", t.var === a, t.oldValue === asyncio.Token.MISSING, repr(asyncio.Token.MISSING));
const t2 = a.set(8);
print("token2 old:", t2.oldValue);
a.reset(t2);
a.reset(t);
print("after resets:", a.get());
const t3 = a.set(9);
try {
  asyncio.copyContext().run(() => a.reset(t3));
} catch (e) {
  print(
    "reset in a copied context: ValueError",
    pyStr(e).endsWith("was created in a different Context"),
  );
}
a.reset(t3);
print(
  "run kwargs:",
  ctx.run((x: number, y: number) => x + y, 1, 2),
);
const inner = () => a.get();
print(
  "nested runs:",
  ctx.run(() => {
    a.set(100);
    return [asyncio.copyContext().run(inner), c2.run(inner)];
  }),
  "ctx now:",
  ctx.get(a),
);
print("get with default arg vs var default:", a.get(42), b.get(43));
try {
  b.get();
} catch (e) {
  print(
    "b.get(): LookupError",
    e instanceof asyncio.LookupError,
    pyStr(e).startsWith("<ContextVar name='b'"),
  );
}
print("ContextVar name:", a.name, b.name);
await asyncio.run(
  (function* () {
    const loop = asyncio.getRunningLoop();
    const seen: number[] = [];
    const ctx3 = asyncio.copyContext();
    ctx3.run(() => a.set(33));
    ctx3.run(() => loop.callSoon(() => seen.push(a.get())));
    loop.callSoon(() => seen.push(a.get()));
    yield* asyncio.sleep(0);
    print("call_soon context=:", seen);
    const tk = asyncio.createTask(asyncio.sleep(0, a.get()), { context: ctx3 });
    print("task context is ctx3:", tk.getContext() === ctx3, yield* tk);
  })(),
);
