/**
 * The public types infer what API.md promises under a plain `target: ES2022` lib too (no ESNext
 * lib, as in many projects): test/types/inference.ts compiles only if every checked type is
 * exactly right.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

const root = join(import.meta.dirname, "..");

test("public types: exact result types with the ES2022 lib (test/types/inference.ts)", () => {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", join(root, "test", "types", "tsconfig.json")], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});
