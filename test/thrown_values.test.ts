/**
 * Values JavaScript can throw and Python cannot (a revoked Proxy, an Error whose `name`,
 * `stack` or `message` getter throws, a plain object): the loop goes on, tasks end, reports say
 * what was thrown. From a hunt with hostile values.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as asyncio from "../src/index.ts";
import type { LogRecord } from "../src/log.ts";

function revoked(): object {
  const p = Proxy.revocable({}, {});
  p.revoke();
  return p.proxy;
}

function withGetter(prop: "name" | "stack" | "message"): Error {
  const e = new Error("odd");
  Object.defineProperty(e, prop, {
    get() {
      throw new Error(`${prop} getter`);
    },
  });
  return e;
}

test("a revoked Proxy thrown by a callback is reported and the loop goes on", async () => {
  const loop = asyncio.newEventLoop();
  const seen: string[] = [];
  loop.setExceptionHandler((_l, ctx) => seen.push(String(ctx.message)));
  loop.callSoon(function bad() {
    throw revoked();
  });
  loop.callSoon(() => seen.push("next"));
  loop.callSoon(() => loop.stop());
  await loop.runForever();
  loop.close();
  assert.deepEqual(seen, ["Exception in callback bad()", "next"]);
});

test("a task whose body throws a revoked Proxy ends with the TypeError testing it gives (both syntaxes)", async () => {
  for (const body of [
    // biome-ignore lint/correctness/useYield: a body that throws before any await
    function* () {
      throw revoked();
    },
    async () => {
      throw revoked();
    },
  ]) {
    await assert.rejects(asyncio.run(body), {
      name: "TypeError",
      message: /proxy that has been revoked/,
    });
  }
});

test("an Error whose name, stack or message getter throws fails its task like any error (both syntaxes)", async () => {
  for (const prop of ["name", "stack", "message"] as const) {
    for (const style of ["gen", "async"]) {
      const err = withGetter(prop);
      const got = await asyncio.run(async () => {
        const t =
          style === "gen"
            ? // biome-ignore lint/correctness/useYield: a body that throws before any await
              asyncio.createTask(function* () {
                throw err;
              })
            : asyncio.createTask(async () => {
                throw err;
              });
        try {
          await t;
        } catch (e) {
          return [e, t.done()];
        }
        return null;
      });
      assert.deepEqual(got, [err, true], `${prop} ${style}`);
    }
  }
});

test("cancel(msg) with a msg whose str() fails: the task ends cancelled, args keep msg (as CPython)", async () => {
  const msg = {
    toString(): string {
      throw new asyncio.ValueError("str boom");
    },
  };
  await asyncio.run(async () => {
    const t = asyncio.createTask(asyncio.sleep(10));
    await asyncio.sleep(0);
    t.cancel(msg);
    await assert.rejects(
      (async () => {
        await t;
      })(),
      (e: unknown) =>
        e instanceof asyncio.CancelledError && (e as { args: unknown[] }).args[0] === msg,
    );
    assert.ok(t.cancelled());
  });
});

test("a callback whose name is not a string is shown as <callback>", async () => {
  const loop = asyncio.newEventLoop();
  const seen: string[] = [];
  loop.setExceptionHandler((_l, ctx) => seen.push(String(ctx.message)));
  const cb = Object.defineProperty(
    () => {
      throw new Error("x");
    },
    "name",
    { value: 42 },
  );
  const h = loop.callSoon(cb);
  assert.equal(String(h), "<Handle <callback>()>");
  loop.callSoon(() => loop.stop());
  await loop.runForever();
  loop.close();
  assert.deepEqual(seen, ["Exception in callback <callback>()"]);
});

test("the logger prints a thrown non-Error as Python would, and says so when it cannot", async () => {
  const loop = asyncio.newEventLoop();
  const records: LogRecord[] = [];
  const h = (r: LogRecord) => records.push(r);
  asyncio.logger.addHandler(h);
  try {
    loop.callSoon(function plain() {
      throw { code: 42 };
    });
    loop.callSoon(function stackless() {
      throw withGetter("stack");
    });
    loop.callSoon(() => loop.stop());
    await loop.runForever();
  } finally {
    asyncio.logger.removeHandler(h);
    loop.close();
  }
  assert.deepEqual(
    records.map((r) => r.message.split("\n")[0]),
    ["Exception in callback plain()", "Exception in callback stackless()"],
  );
  assert.deepEqual(records[0]!.excInfo, { code: 42 });
});

test("gather() of something that is not iterable is a TypeError, as gather(*x) in Python", async () => {
  await asyncio.run(async () => {
    for (const [x, type] of [
      [5, "int"],
      [{ a: 1 }, "dict"],
      [null, "NoneType"],
    ] as const) {
      assert.throws(() => asyncio.gather(x as never), {
        name: "TypeError",
        message: `asyncio.tasks.gather() argument after * must be an iterable, not ${type}`,
      });
    }
  });
});

test("a worker function throwing a revoked Proxy or a frozen ReferenceError does not break the pool", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const call = async (fn: () => unknown) => await loop.runInExecutor(null, fn);
    await assert.rejects(
      call(() => {
        const p = Proxy.revocable({}, {});
        p.revoke();
        throw p.proxy;
      }),
      { name: "TypeError", message: /cannot be sent back/ },
    );
    await assert.rejects(
      call(() => {
        throw Object.freeze(new ReferenceError("foo is not defined"));
      }),
      { name: "ReferenceError", message: "foo is not defined" },
    );
    assert.equal(await loop.runInExecutor(null, (a: number) => a + 1, 1), 2);
    // a function whose name is not a string still goes as its source text
    const odd = Object.defineProperty((a: number) => a * 2, "name", { value: 42 });
    assert.equal(await loop.runInExecutor(null, odd, 21), 42);
  });
});
