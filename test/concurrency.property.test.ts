/**
 * Property test: random trees of gather / wait / waitFor / timeout / TaskGroup / shield /
 * asCompleted / explicit cancellation over leaves that sleep, fail, or swallow cancellation,
 * with a random outside cancellation of the root. Each tree runs three times on a virtual
 * clock: every node written with generator coroutines, every node with async functions, and a
 * random mix. For each run:
 *
 * - everything ends: after a long final sleep no task but the main one is left
 *   (`allTasks()`), and no live timer is left on the loop (`loop._scheduled`);
 * - no error is lost: every error a leaf raised was either delivered (caught by the tree's code,
 *   inside an ExceptionGroup, in `returnExceptions` results, or read from a done future), or is
 *   still held unretrieved by its future (so it is reported through the loop's exception handler
 *   when collected), or was passed to the exception handler, or was swallowed by one of
 *   CPython's two documented rules: gather marks later child errors retrieved, and shield
 *   marks the inner error retrieved when the outer was cancelled in the same iteration;
 * - the three runs produce the same event log, step for step (same virtual times, same order):
 *   the two syntaxes are interchangeable.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { awaitable, type Coroutine } from "../src/coroutines.ts";
import { NO_EXC } from "../src/futures.ts";
import * as asyncio from "../src/index.ts";
import { _callInTask } from "../src/tasks.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

type Style = "gen" | "async";

type Node =
  | {
      k: "leaf";
      id: string;
      style: Style;
      delay: number;
      fail: boolean;
      /** what the leaf does with a CancelledError: re-raise it, return a value, raise an error */
      onCancel: "propagate" | "swallow" | "raise";
    }
  | { k: "gather"; id: string; style: Style; catches: boolean; rx: boolean; children: Node[] }
  | {
      k: "wait";
      id: string;
      style: Style;
      when: asyncio.ReturnWhen;
      timeout: number | null;
      children: Node[];
    }
  | { k: "waitFor"; id: string; style: Style; catches: boolean; timeout: number; child: Node }
  | { k: "timeout"; id: string; style: Style; catches: boolean; delay: number | null; body: Node }
  | {
      k: "group";
      id: string;
      style: Style;
      catches: boolean;
      children: Node[];
      body: Node | null;
    }
  | { k: "shield"; id: string; style: Style; catches: boolean; child: Node }
  | { k: "asCompleted"; id: string; style: Style; timeout: number | null; children: Node[] }
  | { k: "cancel"; id: string; style: Style; after: number; child: Node };

// ---- generating trees --------------------------------------------------------------------

const delay = fc.constantFrom(0, 0.1, 0.2, 0.3, 0.5);
const style = fc.constantFrom<Style>("gen", "async");

const tree = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "medium", withCrossShrink: true },
    fc.record({
      k: fc.constant("leaf" as const),
      id: fc.constant(""),
      style,
      delay,
      fail: fc.boolean(),
      onCancel: fc.constantFrom<"propagate" | "swallow" | "raise">("propagate", "swallow", "raise"),
    }),
    fc.record({
      k: fc.constant("gather" as const),
      id: fc.constant(""),
      style,
      catches: fc.boolean(),
      rx: fc.boolean(),
      children: fc.array(tie("node"), { minLength: 0, maxLength: 3 }),
    }),
    fc.record({
      k: fc.constant("wait" as const),
      id: fc.constant(""),
      style,
      when: fc.constantFrom<asyncio.ReturnWhen>(
        asyncio.ALL_COMPLETED,
        asyncio.FIRST_COMPLETED,
        asyncio.FIRST_EXCEPTION,
      ),
      timeout: fc.option(delay, { nil: null }),
      children: fc.array(tie("node"), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      k: fc.constant("waitFor" as const),
      id: fc.constant(""),
      style,
      catches: fc.boolean(),
      timeout: delay,
      child: tie("node"),
    }),
    fc.record({
      k: fc.constant("timeout" as const),
      id: fc.constant(""),
      style,
      catches: fc.boolean(),
      delay: fc.option(delay, { nil: null }),
      body: tie("node"),
    }),
    fc.record({
      k: fc.constant("group" as const),
      id: fc.constant(""),
      style,
      catches: fc.boolean(),
      children: fc.array(tie("node"), { minLength: 0, maxLength: 3 }),
      body: fc.option(tie("node"), { nil: null }),
    }),
    fc.record({
      k: fc.constant("shield" as const),
      id: fc.constant(""),
      style,
      catches: fc.boolean(),
      child: tie("node"),
    }),
    fc.record({
      k: fc.constant("asCompleted" as const),
      id: fc.constant(""),
      style,
      timeout: fc.option(delay, { nil: null }),
      children: fc.array(tie("node"), { minLength: 0, maxLength: 3 }),
    }),
    fc.record({
      k: fc.constant("cancel" as const),
      id: fc.constant(""),
      style,
      after: delay,
      child: tie("node"),
    }),
  ),
}));

/** Gives every node a path id ("r", "r.0", "r.0.1", ...). */
function label(n: Node, id: string): void {
  n.id = id;
  const kids: Node[] =
    n.k === "leaf"
      ? []
      : n.k === "waitFor" || n.k === "shield" || n.k === "cancel"
        ? [n.child]
        : n.k === "timeout"
          ? [n.body]
          : n.k === "group"
            ? [...n.children, ...(n.body === null ? [] : [n.body])]
            : n.children;
  for (const [i, c] of kids.entries()) label(c, `${id}.${i}`);
}

function restyle(n: Node, pick: (n: Node) => Style): Node {
  const m = { ...n, style: pick(n) } as Node;
  if ("children" in m) m.children = m.children.map((c) => restyle(c, pick));
  if ("child" in m) m.child = restyle(m.child, pick);
  if (m.k === "timeout") m.body = restyle(m.body, pick);
  if (m.k === "group" && m.body !== null) m.body = restyle(m.body, pick);
  return m;
}

// ---- interpreting trees ------------------------------------------------------------------

class LeafError extends Error {
  override name = "LeafError";
}

interface Run {
  log: string[];
  thrown: Set<unknown>;
  delivered: Set<unknown>;
  reported: Set<unknown>;
  /** futures whose errors CPython may swallow: gather children, shield inners */
  absorbing: asyncio.Future<unknown>[];
  tasks: asyncio.Task<unknown>[];
  futures: asyncio.Future<unknown>[];
}

function short(e: unknown): string {
  if (e instanceof asyncio.BaseExceptionGroup) {
    return `${e.name}[${e.exceptions.map(short).join(",")}]`;
  }
  if (e instanceof LeafError) return `Leaf(${e.message})`;
  return (e as Error)?.name ?? String(e);
}

function interpreter(run: Run) {
  const loop = () => asyncio.getRunningLoop();
  const log = (s: string) => run.log.push(`${loop().time().toFixed(2)} ${s}`);

  /** The tree's code saw `e`: every leaf error in it is delivered. */
  const deliver = (e: unknown): void => {
    if (e instanceof asyncio.BaseExceptionGroup) for (const x of e.exceptions) deliver(x);
    else run.delivered.add(e);
    const cause = (e as { cause?: unknown } | null)?.cause;
    if (cause !== undefined && cause !== null) deliver(cause);
  };

  /** A child to run as a task: a coroutine object or a function returning a promise. */
  const child = (n: Node): asyncio.TaskBody<string> => (n.style === "gen" ? G(n) : () => A(n));

  /** Runs `n` inline in a generator: the current task runs it as its own code. */
  function* inlineG(n: Node): Coroutine<string> {
    return n.style === "gen" ? yield* G(n) : yield* _callInTask(() => A(n));
  }
  /** Runs `n` inline in an async function. */
  const inlineA = async (n: Node): Promise<string> => (n.style === "gen" ? await G(n) : await A(n));

  const track = <F extends asyncio.Future<unknown>>(f: F): F => {
    run.futures.push(f);
    return f;
  };

  const leafError = (n: Node): LeafError => {
    const e = new LeafError(n.id);
    run.thrown.add(e);
    return e;
  };

  /** A leaf got `e` while sleeping: a value to return, or what to throw. */
  const onCancel = (n: Node & { k: "leaf" }, e: unknown): string => {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    log(`${n.id} cancelled`);
    if (n.onCancel === "swallow") return `${n.id}:swallowed`;
    if (n.onCancel === "raise") {
      log(`${n.id} fails while cancelled`);
      throw leafError(n);
    }
    throw e;
  };

  const describeWait = (n: Node, done: Set<asyncio.Future<unknown>>, pending: Set<unknown>) => {
    for (const f of done) {
      if (!f.cancelled() && f.exception() !== null) deliver(f.exception());
    }
    const r = `${n.id}:wait ${done.size}/${pending.size}`;
    log(r);
    return r;
  };

  const caught = (n: Node, e: unknown): string => {
    deliver(e);
    const r = `${n.id}:caught ${short(e)}`;
    log(r);
    return r;
  };

  const G = awaitable(function* G(n: Node): Coroutine<string> {
    log(`${n.id} ${n.k} start`);
    switch (n.k) {
      case "leaf": {
        try {
          yield* asyncio.sleep(n.delay);
        } catch (e) {
          return onCancel(n, e);
        }
        if (n.fail) {
          log(`${n.id} fails`);
          throw leafError(n);
        }
        log(`${n.id} ok`);
        return n.id;
      }
      case "gather": {
        const aws = n.children.map(child);
        try {
          const g = track(asyncio.gather(aws, { returnExceptions: n.rx }));
          if (g instanceof asyncio.Future && "_children" in g) {
            run.absorbing.push(
              ...(g as unknown as { _children: asyncio.Future<unknown>[] })._children,
            );
          }
          const r = yield* g;
          for (const x of r) if (x instanceof Error) deliver(x);
          const s = `${n.id}:[${r.map((x) => (x instanceof Error ? short(x) : String(x))).join(",")}]`;
          log(s);
          return s;
        } catch (e) {
          if (!n.catches) throw e;
          return caught(n, e);
        }
      }
      case "wait": {
        const tasks = n.children.map((c) => asyncio.createTask(child(c)));
        const [done, pending] = yield* asyncio.wait(tasks, {
          returnWhen: n.when,
          timeout: n.timeout,
        });
        return describeWait(n, done, pending);
      }
      case "waitFor": {
        try {
          const r =
            n.child.style === "gen"
              ? yield* asyncio.waitFor(G(n.child), n.timeout)
              : yield* asyncio.waitFor(() => A(n.child), n.timeout);
          log(`${n.id} -> ${r}`);
          return r;
        } catch (e) {
          if (!n.catches) throw e;
          return caught(n, e);
        }
      }
      case "timeout": {
        try {
          const r = yield* asyncio.timeout(n.delay, function* () {
            return yield* inlineG(n.body);
          });
          log(`${n.id} -> ${r}`);
          return r;
        } catch (e) {
          if (!n.catches) throw e;
          return caught(n, e);
        }
      }
      case "group": {
        try {
          const r = yield* new asyncio.TaskGroup().run(function* (tg) {
            for (const c of n.children) tg.createTask(child(c));
            return n.body === null ? "-" : yield* inlineG(n.body);
          });
          log(`${n.id} -> ${r}`);
          return r;
        } catch (e) {
          if (!n.catches) throw e;
          return caught(n, e);
        }
      }
      case "shield": {
        const inner = asyncio.createTask(child(n.child));
        run.absorbing.push(inner);
        try {
          const r = yield* track(asyncio.shield(inner));
          log(`${n.id} -> ${r}`);
          return r;
        } catch (e) {
          if (!n.catches) throw e;
          return caught(n, e);
        }
      }
      case "asCompleted": {
        const out: string[] = [];
        for (const next of asyncio.asCompleted(n.children.map(child), { timeout: n.timeout })) {
          try {
            out.push(yield* next);
          } catch (e) {
            if (e instanceof asyncio.CancelledError) throw e;
            deliver(e);
            out.push(short(e));
          }
        }
        const s = `${n.id}:{${out.join(",")}}`;
        log(s);
        return s;
      }
      case "cancel": {
        const t = asyncio.createTask(child(n.child));
        yield* asyncio.sleep(n.after);
        log(`${n.id} cancel -> ${t.cancel()}`);
        try {
          const r = yield* t;
          log(`${n.id} -> ${r}`);
          return r;
        } catch (e) {
          if (e instanceof asyncio.CancelledError && t.cancelled()) {
            log(`${n.id} child cancelled`);
            return `${n.id}:cancelled`;
          }
          return caught(n, e);
        }
      }
    }
  });

  async function A(n: Node): Promise<string> {
    log(`${n.id} ${n.k} start`);
    switch (n.k) {
      case "leaf": {
        try {
          await asyncio.sleep(n.delay);
        } catch (e) {
          return onCancel(n, e);
        }
        if (n.fail) {
          log(`${n.id} fails`);
          throw leafError(n);
        }
        log(`${n.id} ok`);
        return n.id;
      }
      case "gather": {
        const aws = n.children.map(child);
        try {
          const g = track(asyncio.gather(aws, { returnExceptions: n.rx }));
          if ("_children" in g) {
            run.absorbing.push(
              ...(g as unknown as { _children: asyncio.Future<unknown>[] })._children,
            );
          }
          const r = await g;
          for (const x of r) if (x instanceof Error) deliver(x);
          const s = `${n.id}:[${r.map((x) => (x instanceof Error ? short(x) : String(x))).join(",")}]`;
          log(s);
          return s;
        } catch (e) {
          if (!n.catches) throw e;
          return caught(n, e);
        }
      }
      case "wait": {
        const tasks = n.children.map((c) => asyncio.createTask(child(c)));
        const [done, pending] = await asyncio.wait(tasks, {
          returnWhen: n.when,
          timeout: n.timeout,
        });
        return describeWait(n, done, pending);
      }
      case "waitFor": {
        try {
          const r =
            n.child.style === "gen"
              ? await asyncio.waitFor(G(n.child), n.timeout)
              : await asyncio.waitFor(() => A(n.child), n.timeout);
          log(`${n.id} -> ${r}`);
          return r;
        } catch (e) {
          if (!n.catches) throw e;
          return caught(n, e);
        }
      }
      case "timeout": {
        try {
          const r = await asyncio.timeout(n.delay, async () => await inlineA(n.body));
          log(`${n.id} -> ${r}`);
          return r;
        } catch (e) {
          if (!n.catches) throw e;
          return caught(n, e);
        }
      }
      case "group": {
        try {
          const r = await new asyncio.TaskGroup().run(async (tg) => {
            for (const c of n.children) tg.createTask(child(c));
            return n.body === null ? "-" : await inlineA(n.body);
          });
          log(`${n.id} -> ${r}`);
          return r;
        } catch (e) {
          if (!n.catches) throw e;
          return caught(n, e);
        }
      }
      case "shield": {
        const inner = asyncio.createTask(child(n.child));
        run.absorbing.push(inner);
        try {
          const r = await track(asyncio.shield(inner));
          log(`${n.id} -> ${r}`);
          return r;
        } catch (e) {
          if (!n.catches) throw e;
          return caught(n, e);
        }
      }
      case "asCompleted": {
        const out: string[] = [];
        for (const next of asyncio.asCompleted(n.children.map(child), { timeout: n.timeout })) {
          try {
            out.push(await next);
          } catch (e) {
            if (e instanceof asyncio.CancelledError) throw e;
            deliver(e);
            out.push(short(e));
          }
        }
        const s = `${n.id}:{${out.join(",")}}`;
        log(s);
        return s;
      }
      case "cancel": {
        const t = asyncio.createTask(child(n.child));
        await asyncio.sleep(n.after);
        log(`${n.id} cancel -> ${t.cancel()}`);
        try {
          const r = await t;
          log(`${n.id} -> ${r}`);
          return r;
        } catch (e) {
          if (e instanceof asyncio.CancelledError && t.cancelled()) {
            log(`${n.id} child cancelled`);
            return `${n.id}:cancelled`;
          }
          return caught(n, e);
        }
      }
    }
  }

  return { G, A, child, deliver, log };
}

// ---- one run -----------------------------------------------------------------------------

function isErrorOf(e: unknown, set: Set<unknown>): boolean {
  return set.has(e);
}

/** Every leaf error held in `e` (walking groups and causes). */
function leaves(e: unknown, out: unknown[] = []): unknown[] {
  if (e instanceof asyncio.BaseExceptionGroup) for (const x of e.exceptions) leaves(x, out);
  else if (e instanceof LeafError) out.push(e);
  const cause = (e as { cause?: unknown } | null)?.cause;
  if (cause !== undefined && cause !== null) leaves(cause, out);
  return out;
}

async function runTree(root: Node, cancelAt: number | null): Promise<Run> {
  const run: Run = {
    log: [],
    thrown: new Set(),
    delivered: new Set(),
    reported: new Set(),
    absorbing: [],
    tasks: [],
    futures: [],
  };
  const it = interpreter(run);
  await asyncio.run(
    function* main() {
      const loop = asyncio.getRunningLoop() as asyncio.EventLoop;
      loop.setExceptionHandler((_l, ctx) => {
        for (const e of leaves(ctx.exception)) run.reported.add(e);
        run.log.push(`handler: ${String(ctx.message)}`);
      });
      loop.setTaskFactory((l, coro, options) => {
        const t = new asyncio.Task(coro, { loop: l, ...(options ?? {}) });
        run.tasks.push(t as asyncio.Task<unknown>);
        return t;
      });
      const top = asyncio.createTask(it.child(root));
      const outside =
        cancelAt === null
          ? null
          : loop.callLater(cancelAt, () => it.log(`outside cancel -> ${top.cancel("outside")}`));
      try {
        const r = yield* top;
        it.log(`root -> ${r}`);
      } catch (e) {
        it.deliver(e);
        it.log(`root raised ${short(e)}`);
      }
      outside?.cancel();
      // Wait for whatever the tree left running (gather siblings, wait's pending tasks, shielded
      // tasks...): it must all end, and then nothing may be left on the loop.
      const me = asyncio.currentTask();
      for (;;) {
        const others = [...asyncio.allTasks()].filter((t) => t !== me);
        if (others.length === 0) break;
        const [, pending] = yield* asyncio.wait(others, { timeout: 1000 });
        assert.equal(pending.size, 0, `tasks that never end:\n${run.log.join("\n")}`);
      }
      const left = [...asyncio.allTasks()].filter((t) => t !== me);
      assert.deepEqual(
        left.map((t) => String(t)),
        [],
        "tasks left",
      );
      const timers = loop._scheduled.filter((h) => !h.cancelled());
      assert.equal(timers.length, 0, `live timers left: ${timers.map(String).join(", ")}`);
      loop.setTaskFactory(null);
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );

  // No error was lost.
  const held = new Set<unknown>();
  for (const f of [...run.tasks, ...run.futures]) {
    if (!f.cancelled() && f._exception !== NO_EXC && f._logToken !== null) {
      for (const e of leaves(f._exception)) held.add(e);
    }
  }
  const absorbed = new Set<unknown>();
  for (const f of run.absorbing) {
    if (!f.cancelled() && f._exception !== NO_EXC) {
      for (const e of leaves(f._exception)) absorbed.add(e);
    }
  }
  for (const e of run.thrown) {
    assert.ok(
      isErrorOf(e, run.delivered) ||
        isErrorOf(e, held) ||
        isErrorOf(e, run.reported) ||
        isErrorOf(e, absorbed),
      `error ${(e as Error).message} was lost\n${run.log.join("\n")}`,
    );
  }
  return run;
}

test("random trees of gather/wait/waitFor/timeout/TaskGroup/shield/asCompleted", async () => {
  const details = await fc.check(
    fc.asyncProperty(
      tree.node,
      fc.option(fc.constantFrom(0, 0.05, 0.1, 0.25, 0.4), { nil: null }),
      fc.infiniteStream(style),
      async (node, cancelAt, styles) => {
        label(node, "r");
        const gen = await runTree(
          restyle(node, () => "gen"),
          cancelAt,
        );
        const asy = await runTree(
          restyle(node, () => "async"),
          cancelAt,
        );
        const mixed = await runTree(
          restyle(node, () => styles.next().value as Style),
          cancelAt,
        );
        assert.deepEqual(asy.log, gen.log, "async functions behave like generators");
        assert.deepEqual(mixed.log, gen.log, "mixed syntaxes behave like generators");
      },
    ),
    { numRuns: 100, seed: 20240613, endOnFailure: process.env.SHRINK === undefined },
  );
  if (details.failed) {
    const tree = JSON.stringify(details.counterexample?.[0]);
    const error = (details.errorInstance as Error | undefined)?.message ?? "";
    assert.fail(`${fc.defaultReportMessage(details)}\n${error}\ntree: ${tree}`);
  }
});
