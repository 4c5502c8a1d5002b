import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Deque } from "../src/deque.ts";

type Op =
  | { op: "push" | "unshift"; n: number; v: number }
  | { op: "shift" | "pop"; n: number }
  | { op: "remove"; v: number }
  | { op: "clear" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constantFrom("push" as const, "unshift" as const),
    n: fc.integer({ min: 1, max: 150 }),
    v: fc.integer({ min: 0, max: 9 }),
  }),
  fc.record({
    op: fc.constantFrom("shift" as const, "pop" as const),
    n: fc.integer({ min: 1, max: 150 }),
  }),
  fc.record({ op: fc.constant("remove" as const), v: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ op: fc.constant("clear" as const) }),
);

test("Deque behaves as an array used from both ends, across block boundaries", () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
      const d = new Deque<number>();
      const model: number[] = [];
      let k = 0;
      for (const o of ops) {
        switch (o.op) {
          case "push":
            for (let i = 0; i < o.n; i++, k++) {
              d.push(o.v * 1000 + k);
              model.push(o.v * 1000 + k);
            }
            break;
          case "unshift":
            for (let i = 0; i < o.n; i++, k++) {
              d.unshift(o.v * 1000 + k);
              model.unshift(o.v * 1000 + k);
            }
            break;
          case "shift":
            for (let i = 0; i < o.n; i++) assert.equal(d.shift(), model.shift());
            break;
          case "pop":
            for (let i = 0; i < o.n; i++) assert.equal(d.pop(), model.pop());
            break;
          case "remove": {
            const i = model.findIndex((x) => Math.floor(x / 1000) === o.v);
            const target = i >= 0 ? model[i]! : -1;
            assert.equal(d.remove(target), i >= 0);
            if (i >= 0) model.splice(i, 1);
            break;
          }
          case "clear":
            d.clear();
            model.length = 0;
            break;
        }
        assert.equal(d.length, model.length);
        assert.equal(d.peekFront(), model[0]);
        assert.equal(d.at(model.length >> 1), model[model.length >> 1]);
        assert.equal(d.at(-1), undefined);
        assert.equal(d.at(model.length), undefined);
      }
      assert.deepEqual(d.toArray(), model);
      assert.deepEqual([...d], model);
    }),
    { numRuns: 300 },
  );
});

test("an empty Deque answers undefined and reuses its block", () => {
  const d = new Deque<string>();
  assert.equal(d.shift(), undefined);
  assert.equal(d.pop(), undefined);
  assert.equal(d.peekFront(), undefined);
  assert.deepEqual(d.toArray(), []);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 200; i++) d.push(`x${i}`);
    for (let i = 0; i < 200; i++) assert.equal(d.shift(), `x${i}`);
    assert.equal(d.length, 0);
  }
  d.unshift("a");
  d.push("b");
  assert.deepEqual(d.toArray(), ["a", "b"]);
});
