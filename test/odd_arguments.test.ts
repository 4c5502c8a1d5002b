/**
 * Arguments only JavaScript has (inherited option keys, -0, Infinity, iterators without
 * throw()), from a hunt with hostile arguments: CPython's behaviour where it has one.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pyRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";

test("a future-like whose iterator has no throw() is cancelled and fails as CPython's (ensureFuture, gather, waitFor)", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const nextOnly = (fut: asyncio.Future<unknown>) => ({
      [Symbol.iterator]() {
        const it = fut[Symbol.iterator]();
        return { next: (v?: unknown) => (it.next as (x?: unknown) => IteratorResult<unknown>)(v) };
      },
    });
    const f1 = loop.createFuture();
    const t = asyncio.ensureFuture(nextOnly(f1) as never) as asyncio.Task<unknown>;
    await asyncio.sleep(0);
    t.cancel();
    await assert.rejects((async () => await t)(), (e) => e instanceof asyncio.CancelledError);
    assert.ok(t.cancelled());
    const f2 = loop.createFuture();
    const g = asyncio.gather([nextOnly(f2) as never]);
    await asyncio.sleep(0);
    f2.setException(new asyncio.ValueError("boom"));
    await assert.rejects((async () => await g)(), { name: "ValueError", message: "boom" });
    await assert.rejects(
      (async () => await asyncio.waitFor(nextOnly(loop.createFuture()) as never, 0.01))(),
      { name: "TimeoutError" },
    );
    // and its result, when it has one
    const f3 = loop.createFuture<string>();
    loop.callSoon(() => f3.setResult("ok"));
    assert.equal(await asyncio.ensureFuture(nextOnly(f3) as never), "ok");
  });
});

test("a task factory that makes no task: CPython's AttributeError text (a TypeError here)", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    for (const [made, type] of [
      [null, "NoneType"],
      [5, "int"],
    ] as const) {
      loop.setTaskFactory(() => made as never);
      assert.throws(() => asyncio.createTask(asyncio.sleep(0)), {
        name: "TypeError",
        message: `'${type}' object has no attribute 'set_name'`,
      });
    }
    loop.setTaskFactory(null);
  });
});

test("Infinity is Python's inf in messages; -0 is the int 0 (JavaScript's -x of 0 is -0)", () => {
  assert.equal(pyRepr(-0), "0");
  assert.equal(
    new asyncio.IncompleteReadError(Buffer.alloc(0), Number.POSITIVE_INFINITY).message,
    "0 bytes read on a total of inf expected bytes",
  );
});

test("options given by a class's getters count (limit, stdout), as inherited keys do", async () => {
  class Options {
    stdout = asyncio.PIPE;
    get limit(): number {
      return 5;
    }
  }
  await asyncio.run(async () => {
    const p = await asyncio.createSubprocessExec("echo", "hello world", new Options());
    await assert.rejects((async () => await p.stdout!.readline())(), {
      name: "ValueError",
      message: "Separator is found, but chunk is longer than limit",
    });
    await p.wait();
  });
});

test("an anonymous subclass is shown by the nearest named class it extends", async () => {
  await asyncio.run(async () => {
    const t = new (class extends asyncio.Task<void> {})(asyncio.sleep(0));
    assert.match(String(t), /^<Task pending name='Task-\d+' coro=<sleep\(\) running>>$/);
    assert.equal(String(new (class extends asyncio.Lock {})()), "<Lock [unlocked]>");
    await t;
  });
});
