/**
 * The benchmark suite (bench/) at tiny sizes: every workload runs once for every contender and
 * reports a sane value and the expected check (counts of leaves, round trips, cancelled tasks,
 * echoed bytes...). No timing is asserted. CPython and uvloop are skipped, with the reason,
 * where they are not installed; the Node-based contenders are always there.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { factorial } from "../bench/lib/child.ts";
import { runSanity } from "../bench/sanity.ts";

test("every workload runs for every contender and gives a sane result", async () => {
  const entries = await runSanity();
  const problems = entries
    .filter((e) => e.status === "error")
    .map((e) => `${e.workload}/${e.contender}: ${e.problems.join("; ")}`);
  assert.deepEqual(problems, []);
  for (const e of entries) {
    if (e.contender === "node" || e.contender === "ts-gen" || e.contender === "ts-async") {
      assert.equal(e.status, "ok", `${e.workload}/${e.contender} was skipped: ${e.reason}`);
    } else if (e.status === "skipped") {
      assert.ok(e.reason, `${e.workload}/${e.contender} skipped without a reason`);
    }
    if (e.status === "ok") assert.equal(e.check, e.expectedCheck, `${e.workload}/${e.contender}`);
  }
  const workloads = new Set(entries.map((e) => e.workload));
  assert.equal(workloads.size, 14);
});

test("factorial(), the CPU leaf of tree_cpu_io_mixed, is exact", () => {
  let f = 1n;
  for (let n = 0; n <= 600; n++) {
    if (n > 1) f *= BigInt(n);
    assert.equal(factorial(n), f, `${n}!`);
  }
});

test("children take --warmup-passes=N (0 or more untimed passes) and reject a bad count", () => {
  const child = (extra: string) =>
    spawnSync(
      process.execPath,
      [
        "--expose-gc",
        "--conditions=asyncio-ts-source",
        "--import",
        "tsx",
        "bench/asyncio-ts/pingpong.ts",
        "pingpong",
        "0.01",
        extra,
      ],
      { encoding: "utf8" },
    );
  for (const extra of ["--warmup-passes=0", "--warmup-passes=3"]) {
    const r = child(extra);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).check, 2000);
  }
  const bad = child("--warmup-passes=-1");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--warmup-passes=N/);
});
