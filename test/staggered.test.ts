/**
 * src/staggered.ts: staggeredRace (CPython's asyncio.staggered.staggered_race), the race behind
 * happy eyeballs. The basics against CPython are conformance 299; these are the edges.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";

const loopFactory = () => new VirtualTimeLoop();
const names = (errors: unknown[]) => errors.map((e) => (e === null ? null : (e as Error).name));

test("staggeredRace under the eager task factory: the right winner, nothing left waiting (CPython's fix of gh-124309)", async () => {
  const out = await asyncio.run(
    async () => {
      asyncio.getRunningLoop().setTaskFactory(asyncio.eagerTaskFactory);
      const slow = async () => {
        await asyncio.sleep(0.3);
        return "slow";
      };
      const quick = async () => {
        await asyncio.sleep(0.01);
        return "quick";
      };
      const fail = async () => {
        throw new asyncio.ValueError("x");
      };
      const one = await asyncio.waitFor(asyncio.staggeredRace([async () => "ok0"], null), 1);
      const two = await asyncio.waitFor(asyncio.staggeredRace([slow, quick], 0.01), 1);
      const three = await asyncio.waitFor(
        asyncio.staggeredRace([fail, async () => "ok1"], null),
        1,
      );
      return [one, two, three].map(([r, i, errors]) => [r, i, names(errors)]);
    },
    { loopFactory },
  );
  assert.deepEqual(out, [
    ["ok0", 0, [null]],
    ["quick", 1, ["CancelledError", null]],
    ["ok1", 1, ["ValueError", null]],
  ]);
});

test("staggeredRace: a racer that swallows its cancellation and returns is a second winner: AssertionError, as CPython's assert", async () => {
  await asyncio.run(
    async () => {
      const stubborn = async () => {
        try {
          await asyncio.sleep(1);
        } catch {}
        return "stubborn";
      };
      await assert.rejects(
        async () => {
          await asyncio.staggeredRace([stubborn, async () => "quick"], 0.1);
        },
        { name: "AssertionError" },
      );
    },
    { loopFactory },
  );
});

test("staggeredRace: a racer function that returns something not awaitable fails as CPython's await does", async () => {
  const [r, i, errors] = await asyncio.run(
    () =>
      asyncio.staggeredRace(
        [
          () => 5 as unknown as Promise<string>,
          function* () {
            yield* asyncio.sleep(0);
            return "ok";
          },
        ],
        null,
      ),
    { loopFactory },
  );
  assert.deepEqual([r, i], ["ok", 1]);
  assert.equal((errors[0] as Error).name, "TypeError");
  assert.equal((errors[0] as Error).message, "object int can't be used in 'await' expression");
});

test("staggeredRace of something not iterable: CPython's TypeError", async () => {
  await asyncio.run(
    async () => {
      for (const [arg, type] of [
        [5, "int"],
        [null, "NoneType"],
      ] as const) {
        await assert.rejects(
          async () => {
            await asyncio.staggeredRace(arg as never, null);
          },
          { name: "TypeError", message: `'${type}' object is not iterable` },
        );
      }
    },
    { loopFactory },
  );
});
