/**
 * Twin of 63_contextvars.py: the ContextVar/Token/Context API, callbacks in a copy of the
 * scheduling context, tasks in a copy taken at creation or in an explicit shared context, gather
 * children isolated, awaited coroutines sharing the caller's context, done callbacks, eager
 * tasks, asyncio.run().
 */
import * as asyncio from "../src/index.ts";
import { print, repr, str } from "./_py.ts";

function attempt(label: string, fn: () => unknown): void {
  try {
    print(`${label}: returned ${repr(fn())}`);
  } catch (e) {
    print(`${label}: ${(e as Error).name}: ${str(e)}`);
  }
}

const v = new asyncio.ContextVar<string>("v", { default: "default" });
const nodef = new asyncio.ContextVar<number | string>("nodef");

// 1. the API
print("1.", repr(v), repr(nodef), "| name:", v.name);
attempt("   nodef.get()", () => nodef.get());
print("   get(default):", nodef.get("fallback"), v.get("argument-wins"), "| v.get():", v.get());
let tok = v.set("one");
print(
  "   set():",
  repr(tok),
  "| var is v:",
  tok.var === v,
  "| old_value is MISSING:",
  tok.oldValue === asyncio.Token.MISSING,
);
const tok2 = v.set("two");
print("   second set(): old_value", repr(tok2.oldValue), "| get():", v.get());
v.reset(tok2);
print("   reset(tok2):", v.get());
attempt("   reset(tok2) again", () => v.reset(tok2));
v.reset(tok);
print("   reset(tok):", v.get());
const otherTok = nodef.set(1);
attempt("   reset(a token of another var)", () =>
  v.reset(otherTok as unknown as asyncio.Token<string>),
);
nodef.reset(otherTok);
const ctx = asyncio.copyContext();
const tok3 = ctx.run(() => v.set("in-ctx"));
attempt("   reset in another context", () => v.reset(tok3));
attempt("   reset('s')", () => v.reset("s" as unknown as asyncio.Token<string>));
attempt("   ContextVar(1)", () => new asyncio.ContextVar(1 as unknown as string));
print(
  "   ctx.get(v):",
  ctx.get(v),
  "| v in ctx:",
  ctx.has(v),
  "| nodef in ctx:",
  ctx.has(nodef),
  "| ctx.get(nodef, 'none'):",
  ctx.get(nodef, "none"),
  "| outside:",
  v.get(),
);
print(
  "   ctx.run(f, 1, 2):",
  ctx.run((a: number, b: number) => a + b, 1, 2),
);
attempt("   ctx.run inside ctx.run", () => ctx.run(() => ctx.run(() => undefined)));
const nested = ctx.run(asyncio.copyContext);
print("   a copy made inside ctx.run:", nested.get(v), "| len:", nested.size === ctx.size);
function setThenFail(): never {
  v.set("set-before-error");
  throw new asyncio.ValueError("v-err");
}
attempt("   ctx.run(fn that raises)", () => ctx.run(setThenFail));
print("   its set() stays in ctx:", ctx.get(v));

const loop = asyncio.newEventLoop() as asyncio.EventLoop;
const trace: string[] = [];

async function runBriefly(): Promise<void> {
  loop.callSoon(() => loop.stop());
  await loop.runForever();
}

// 2. callbacks: a copy of the context current when scheduled
function read(tag: string): void {
  trace.push(`${tag}=${v.get()}`);
}
function write(tag: string): void {
  v.set(tag);
  trace.push(`${tag} set`);
}
tok = v.set("scheduler");
loop.callSoon(read, "cb1");
loop.callSoon(write, "cb2");
loop.callSoon(read, "cb3");
v.set("changed-after-scheduling");
await runBriefly();
print("2. callbacks:", trace, "| scheduler now sees:", v.get());
trace.length = 0;
ctx.run(() => loop.callSoon(read, "in-ctx"));
await runBriefly();
print("   scheduled inside ctx.run():", trace);
trace.length = 0;
v.reset(tok);

// 3. tasks
function* child(tag: string, value?: string): asyncio.Coroutine<string> {
  trace.push(`${tag} starts with ${v.get()}`);
  if (value !== undefined) v.set(value);
  yield* asyncio.sleep(0);
  trace.push(`${tag} ends with ${v.get()}`);
  return v.get();
}

function* tasksMain(): asyncio.Coroutine<void> {
  v.set("creator-before");
  const t = asyncio.createTask(child("t", "set-by-task"));
  v.set("creator-after");
  yield* t;
  trace.push(`creator sees ${v.get()}`);
  print("3a. copy at creation:", trace);
  print("    task.get_context():", t.getContext().get(v));
  trace.length = 0;

  const shared = asyncio.copyContext();
  const a = asyncio.createTask(child("a", "set-by-a"), { context: shared });
  const b = asyncio.createTask(child("b"), { context: shared });
  yield* asyncio.gather([a, b]);
  print("3b. context= shared:", trace, "| shared now:", shared.get(v), "| creator:", v.get());
  print("    get_context() is shared:", a.getContext() === shared, b.getContext() === shared);
  trace.length = 0;

  const results = yield* asyncio.gather([child("g1", "one"), child("g2"), child("g3", "three")]);
  print("3c. gather children:", trace, results, "| creator:", v.get());
  trace.length = 0;

  function* setter(): asyncio.Coroutine<string> {
    v.set("set-by-awaited-coroutine");
    yield* asyncio.sleep(0);
    return v.get();
  }
  const r = yield* setter();
  print("3d. directly awaited coroutine:", r, "| caller sees:", v.get());

  const fut = loop.createFuture<void>();
  fut.addDoneCallback(() => {
    trace.push(`done-cb sees ${v.get()}`);
  });
  v.set("changed-before-set_result");
  const cbctx = asyncio.copyContext();
  fut.addDoneCallback(() => v.set("set-by-done-cb"), { context: cbctx });
  fut.setResult();
  yield* asyncio.sleep(0);
  print("3e. done callbacks:", trace, "| cbctx:", cbctx.get(v), "| task:", v.get());
  trace.length = 0;

  loop.setTaskFactory(asyncio.eagerTaskFactory as asyncio.TaskFactory);
  v.set("eager-creator");
  const e = asyncio.createTask(child("eager", "set-by-eager"));
  trace.push(`creator right after create_task sees ${v.get()}`);
  yield* e;
  loop.setTaskFactory(null);
  print("3f. eager task:", trace);
  trace.length = 0;
}

await loop.runUntilComplete(tasksMain());
print("    outside the loop:", v.get());
loop.close();

// 4. asyncio.run(): main runs in a copy of the caller's context
v.set("before-run");
// biome-ignore lint/correctness/useYield: a coroutine without an await, like an `async def` without one
function* runMain(): asyncio.Coroutine<string> {
  const seen = v.get();
  v.set("set-in-run");
  return seen;
}
print("4. run() main saw:", await asyncio.run(runMain()), "| after run():", v.get());
