/**
 * ExceptionGroup / BaseExceptionGroup as PEP 654 and CPython 3.13's builtins define them:
 * matchers, the recursive split through derive(), argument checks.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pyRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";

const { ExceptionGroup, ValueError, RuntimeError } = asyncio;
const BAD_MATCHER =
  "expected an exception type, a tuple of exception types, or a callable (other than a class)";

test("split/subgroup take an error class, an array of them or a predicate; anything else is CPython's TypeError", () => {
  const eg = new ExceptionGroup("top", [new ValueError("a"), new TypeError("b")]);
  for (const bad of [
    42,
    null,
    "x",
    Number,
    Object,
    [ValueError, 1],
    [ValueError, () => true],
    [[ValueError]],
  ]) {
    assert.throws(() => eg.split(bad as never), { name: "TypeError", message: BAD_MATCHER });
    assert.throws(() => eg.subgroup(bad as never), { name: "TypeError", message: BAD_MATCHER });
  }
  // the empty tuple matches nothing; a predicate's result counts by Python's truth
  assert.deepEqual(eg.split([]), [null, eg]);
  assert.equal(
    eg.subgroup(() => 1 as unknown as boolean),
    eg,
  );
  const [m, r] = eg.split(function isValue(e) {
    return e instanceof ValueError;
  });
  assert.deepEqual(
    [m?.exceptions.map(String), r?.exceptions.map(String)],
    [["ValueError: a"], ["TypeError: b"]],
  );
});

test("split recurses through derive() only, checks what it returns, and subgroup builds no rest", () => {
  const calls: string[] = [];
  class Counted extends ExceptionGroup {
    override derive<F>(excs: (F | asyncio.BaseExceptionGroup<F>)[]): asyncio.BaseExceptionGroup<F> {
      calls.push(this.message);
      return new Counted(this.message, excs) as asyncio.BaseExceptionGroup<F>;
    }
    override split(): never {
      throw new RuntimeError("a nested group's own split() is not called");
    }
  }
  const inner = new Counted("in", [new ValueError("2"), new TypeError("x")]);
  const top = new ExceptionGroup("top", [new ValueError("1"), inner, new TypeError("y")]);
  const sub = top.subgroup(TypeError);
  assert.deepEqual(calls, ["in"]);
  assert.equal(String(sub), "top (2 sub-exceptions)");
  class Bad extends ExceptionGroup {
    override derive<F>(): asyncio.BaseExceptionGroup<F> {
      return new ValueError("x") as never;
    }
  }
  const bad = new Bad("b", [new ValueError("1"), new TypeError("t")]);
  assert.throws(() => bad.split(ValueError), {
    name: "TypeError",
    message: "derive must return an instance of BaseExceptionGroup",
  });
  class Raising extends ExceptionGroup {
    override derive<F>(): asyncio.BaseExceptionGroup<F> {
      throw new RuntimeError("boom");
    }
  }
  // nothing matches: no group is derived at all
  assert.equal(new Raising("r", [new ValueError("1")]).subgroup(TypeError), null);
});

test("argument counts and read-only fields, as Python's", () => {
  const G = ExceptionGroup as unknown as new (...a: unknown[]) => asyncio.ExceptionGroup;
  for (const args of [[], ["m"], ["m", [new ValueError()], 3]]) {
    assert.throws(() => new G(...args), {
      name: "TypeError",
      message: `BaseExceptionGroup.__new__() takes exactly 2 arguments (${args.length} given)`,
    });
  }
  const eg = new ExceptionGroup("m", [new ValueError("v")]);
  assert.throws(() => (eg.derive as () => unknown)(), {
    message: "BaseExceptionGroup.derive() takes exactly one argument (0 given)",
  });
  assert.throws(() => eg.derive(5 as never), {
    message: "second argument (exceptions) must be a sequence",
  });
  assert.throws(() => {
    (eg as { message: string }).message = "x";
  }, TypeError);
  assert.equal(String(eg), "m (1 sub-exception)");
});

test("OSError(errno, strerror) is the errno's subclass, as Python's OSError.__new__ picks it", () => {
  const cases: [number, new (...args: unknown[]) => Error][] = [
    [2, asyncio.FileNotFoundError],
    [13, asyncio.PermissionError],
    [32, asyncio.BrokenPipeError],
    [104, asyncio.ConnectionResetError],
    [111, asyncio.ConnectionRefusedError],
    [110, asyncio.TimeoutError],
  ];
  for (const [errno, cls] of cases) {
    const e = new asyncio.OSError(errno, "msg");
    assert.ok(e instanceof cls, `${errno}: ${e.name}`);
    assert.equal(pyRepr(e), `${cls.name}(${errno}, 'msg')`);
    assert.equal(e.errno, errno);
  }
  const withFile = new asyncio.OSError(2, "No such file or directory", "/nope");
  assert.ok(withFile instanceof asyncio.FileNotFoundError);
  assert.equal(String(withFile.message), "[Errno 2] No such file or directory: '/nope'");
  // no subclass for EIO, nor for a subclass's own constructor or a single argument
  assert.equal(new asyncio.OSError(5, "msg").constructor, asyncio.OSError);
  assert.equal(new asyncio.ConnectionError(2, "msg").constructor, asyncio.ConnectionError);
  assert.equal(new asyncio.OSError(2).constructor, asyncio.OSError);
});

test("a user's subclass of a library exception is named by its own class (Python's type(e).__name__), unless it sets a name", () => {
  class MyErr extends asyncio.ValueError {}
  class Stop extends asyncio.SystemExit {}
  class Named extends asyncio.RuntimeError {
    constructor(...args: unknown[]) {
      super(...args);
      this.name = "CustomName";
    }
  }
  assert.equal(pyRepr(new MyErr("x")), "MyErr('x')");
  assert.equal(new MyErr("x").name, "MyErr");
  assert.equal(String(new MyErr("x").stack).split("\n")[0], "MyErr: x");
  assert.equal(pyRepr(new Stop("m")), "Stop('m')");
  assert.equal(new Named("n").name, "CustomName");
  // the library's own classes keep their Python names
  assert.equal(new asyncio.ValueError("v").name, "ValueError");
  assert.equal(new asyncio.IncompleteReadError(Buffer.from(""), 3).name, "IncompleteReadError");
  assert.equal(new asyncio.CancelledError().name, "CancelledError");
});
