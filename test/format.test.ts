/**
 * Python-style reprs (format.ts): the text CPython's messages and reprs are built from.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { inspect } from "node:util";
import { pyFloatRepr, pyRepr, pyRound, pyStr, pyTypeName, reprlibRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

test("strings: quotes chosen as Python does, non-printable characters escaped", () => {
  assert.equal(pyRepr("abc"), "'abc'");
  assert.equal(pyRepr("it's"), `"it's"`);
  assert.equal(pyRepr(`a"b'c`), `'a"b\\'c'`);
  assert.equal(pyRepr("\n\r\t\\"), "'\\n\\r\\t\\\\'");
  assert.equal(pyRepr("\x00\x1f\x7f\x85\xa0"), "'\\x00\\x1f\\x7f\\x85\\xa0'");
  assert.equal(pyRepr("\u2028\u200b\u{E0001}"), "'\\u2028\\u200b\\U000e0001'");
  assert.equal(pyRepr("é😀 "), "'é😀 '");
});

test("other values", () => {
  assert.equal(pyRepr(null), "None");
  assert.equal(pyRepr(undefined), "None");
  assert.equal(pyRepr(true), "True");
  assert.equal(pyRepr(Number.NaN), "nan");
  assert.equal(pyRepr(Number.NEGATIVE_INFINITY), "-inf");
  assert.equal(pyRepr([1, "a", [null]]), "[1, 'a', [None]]");
  assert.equal(pyRepr(new Set()), "set()");
  assert.equal(pyRepr({ a: 1 }), "{'a': 1}");
  assert.equal(pyRepr(new Uint8Array([104, 105, 0, 39])), `b"hi\\x00'"`);
  assert.equal(pyRepr(new asyncio.ValueError("bad", 2)), "ValueError('bad', 2)");
  assert.equal(pyStr(new asyncio.ValueError("bad")), "bad");
  assert.equal(pyStr(new asyncio.CancelledError()), "");
  // OSError(errno, strerror[, filename]) reads as Python's str does, not as its args tuple.
  assert.equal(pyStr(new asyncio.OSError(2, "No such file", "x")), "[Errno 2] No such file: 'x'");
  assert.equal(pyStr(new asyncio.OSError("a", "b")), "('a', 'b')");
  assert.equal(pyRepr(-0), "0"); // -i for i = 0 in a port of Python's integer code
  assert.equal(pyTypeName(1), "int");
  assert.equal(pyTypeName(1.5), "float");
  assert.equal(pyTypeName(null), "NoneType");
  assert.equal(pyTypeName(class Loop {}), "type");
  assert.equal(
    pyTypeName(() => 1),
    "function",
  );
});

test("reprlibRepr limits sizes as reprlib.repr does", () => {
  assert.equal(reprlibRepr([0, 1, 2, 3, 4, 5, 6]), "[0, 1, 2, 3, 4, 5, ...]");
  assert.equal(
    reprlibRepr({ b: 1, a: 2, c: 3, d: 4, e: 5 }),
    "{'a': 2, 'b': 1, 'c': 3, 'd': 4, ...}",
  );
  assert.equal(
    reprlibRepr(
      new Map<unknown, unknown>([
        [1, "a"],
        ["b", 2],
      ]),
    ),
    "{1: 'a', 'b': 2}",
  );
  assert.equal(reprlibRepr(new Set([3, 1, 2])), "{1, 2, 3}");
  assert.equal(reprlibRepr(10n ** 50n), "100000000000000000...0000000000000000000");
  assert.equal(reprlibRepr("x".repeat(40)), "'xxxxxxxxxxxx...xxxxxxxxxxxxx'");
  assert.equal(reprlibRepr("short"), "'short'");
  assert.equal(reprlibRepr([[[[[[[1]]]]]]]), "[[[[[[[...]]]]]]]");
  assert.equal(reprlibRepr(new Uint8Array(40).fill(120)), "b'xxxxxxxxxxx...xxxxxxxxxxxxx'");
  assert.equal(reprlibRepr({}), "{}");
  assert.equal(reprlibRepr([]), "[]");
});

test("pyRound/pyFloatRepr: Python's round(x, n) (exact ties to even) and float repr", () => {
  // Values checked against CPython 3.13: repr(round(x, 3)).
  const cases: [number, string][] = [
    [1.0625, "1.062"],
    [0.1875, "0.188"],
    [-1.0625, "-1.062"],
    [2.0005, "2.001"],
    [0.0004, "0.0"],
    [1e16 + 2.5, "1.0000000000000002e+16"],
    [123.4567, "123.457"],
    [1e22, "1e+22"],
    [7, "7.0"],
    [-0.0001, "-0.0"],
  ];
  for (const [x, want] of cases) assert.equal(pyFloatRepr(pyRound(x, 3)), want, String(x));
  assert.equal(pyFloatRepr(1.5e-5), "1.5e-05");
  assert.equal(pyFloatRepr(Number.POSITIVE_INFINITY), "inf");
  assert.equal(pyRound(2.5, 0), 2);
  assert.equal(pyRound(0.5, 0), 0);
});

test("floats in reprs as Python writes them; bytes, Map and Set named bytes, dict, set", () => {
  assert.equal(
    [1e-5, 1e-6, 1e-7, 2.5e-8, 0.5, 123456.789, 3, Number.NaN].map((x) => pyRepr(x)).join(" "),
    "1e-05 1e-06 1e-07 2.5e-08 0.5 123456.789 3 nan",
  );
  assert.equal(pyRepr([1e-7, "a"]), "[1e-07, 'a']");
  assert.equal(pyTypeName(new Uint8Array(1)), "bytes");
  assert.equal(pyTypeName(new Map()), "dict");
  assert.equal(pyTypeName(new Set()), "set");
  const q = new asyncio.PriorityQueue<unknown>();
  q.putNowait("a");
  assert.throws(() => q.putNowait(new Uint8Array([97])), {
    name: "TypeError",
    message: "'<' not supported between instances of 'bytes' and 'str'",
  });
});

test("TimeoutError is an OSError, as Python's built-in; exception groups pick their class and split by a list of classes", () => {
  const t = new asyncio.TimeoutError();
  assert.ok(t instanceof asyncio.OSError);
  assert.equal(t.name, "TimeoutError");
  assert.equal(pyRepr(t), "TimeoutError()");
  const te = new asyncio.TimeoutError(110, "Connection timed out");
  assert.equal(te.errno, 110);
  assert.equal(te.message, "[Errno 110] Connection timed out");

  const g = new asyncio.BaseExceptionGroup("m", [new asyncio.ValueError("v")]);
  assert.ok(g instanceof asyncio.ExceptionGroup, "only ordinary errors: an ExceptionGroup");
  const b = new asyncio.BaseExceptionGroup("m", [new asyncio.CancelledError()]);
  assert.ok(!(b instanceof asyncio.ExceptionGroup));
  const eg = new asyncio.ExceptionGroup("e", [
    new asyncio.ValueError("a"),
    new asyncio.TimeoutError(),
    new asyncio.RuntimeError("r"),
  ]);
  const [match, rest] = eg.split([asyncio.ValueError, asyncio.TimeoutError]);
  assert.equal(match?.exceptions.length, 2);
  assert.equal(rest?.exceptions.length, 1);
  assert.equal(eg.subgroup([asyncio.RuntimeError])?.exceptions.length, 1);
});

test("an exception's message is Python's str(exc): str() of its one argument, else the repr of the arguments' tuple", () => {
  const msg = (...args: unknown[]) =>
    new (asyncio.CancelledError as unknown as new (...a: unknown[]) => Error)(...args).message;
  assert.equal(msg(false), "False");
  assert.equal(msg(Number.NaN), "nan");
  assert.equal(msg(null), "None");
  assert.equal(msg([]), "[]");
  assert.equal(msg(1, "a"), "(1, 'a')");
  assert.equal(msg("plain"), "plain");
});

test("an async generator object is Python's async_generator; an anonymous class's instance an object", () => {
  async function* agen(): AsyncGenerator<number> {
    yield 1;
  }
  assert.equal(pyRepr(agen()), "<async_generator object>");
  assert.equal(pyTypeName(agen()), "async_generator");
  const anonymous = new (class {})();
  assert.equal(pyRepr(anonymous), "<object object>");
  assert.equal(pyTypeName(anonymous), "object");
});

test("console.log shows Python's repr of the library's objects", async () => {
  const loop = new VirtualTimeLoop();
  try {
    await loop.runUntilComplete(async () => {
      const fut = loop.createFuture<number>();
      fut.setResult(42);
      const handle = loop.callLater(5, () => {});
      const objects: object[] = [
        fut,
        asyncio.currentTask()!,
        handle,
        loop,
        new asyncio.Lock(),
        new asyncio.Queue(3),
        new asyncio.ContextVar("v"),
      ];
      for (const obj of objects) assert.equal(inspect(obj), String(obj));
      assert.equal(inspect(fut), "<Future finished result=42>");
      assert.equal(inspect([fut]), "[ <Future finished result=42> ]");
      handle.cancel();
    });
  } finally {
    loop.close();
  }
});

test("an error of the user's own class is shown by its class's name, as type(e).__name__", () => {
  class MyError extends Error {}
  class Named extends Error {
    override name = "Custom";
  }
  class MyValue extends asyncio.ValueError {}
  assert.equal(pyRepr(new MyError("boom")), "MyError('boom')");
  assert.equal(pyRepr(new Named("x")), "Custom('x')");
  assert.equal(pyRepr(new MyValue("v")), "MyValue('v')");
  assert.equal(pyRepr(new TypeError("t")), "TypeError('t')");
  const renamed = new MyError("r");
  renamed.name = "Other";
  assert.equal(pyRepr(renamed), "Other('r')");
});

test("a whole number prints every digit of its value, as a Python int, however large", () => {
  assert.equal(pyRepr(2 ** 60), "1152921504606846976");
  assert.equal(pyRepr(-(2 ** 53)), "-9007199254740992");
  assert.equal(pyRepr(1e21), "1000000000000000000000");
  assert.equal(pyRepr(2 ** 53 - 1), "9007199254740991");
  assert.equal(pyRepr(1.5e300 / 1e300), "1.5");
  assert.equal(pyRepr(Number.MAX_VALUE).length, 309);
});
