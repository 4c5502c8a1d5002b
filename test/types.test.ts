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

test("declaration files read by TypeScript before 5.7: no Uint8Array<...> printed from inferred types", async () => {
  const { mkdtempSync, readdirSync, readFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const out = mkdtempSync(join(tmpdir(), "asyncio-ts-dts-"));
  try {
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const r = spawnSync(
      process.execPath,
      [tsc, "-p", join(root, "tsconfig.build.json"), "--outDir", out, "--emitDeclarationOnly"],
      { encoding: "utf8" },
    );
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
    const generic: string[] = [];
    for (const f of readdirSync(out, { recursive: true }) as string[]) {
      if (!f.endsWith(".d.ts")) continue;
      const lines = readFileSync(join(out, f), "utf8").split("\n");
      lines.forEach((line, i) => {
        // comments may name it; declarations must not use it
        if (/Uint8Array<|Buffer<ArrayBufferLike>/.test(line) && !/^\s*(\*|\/\/)/.test(line)) {
          generic.push(`${f}:${i + 1}`);
        }
      });
    }
    assert.deepEqual(generic, [], "give these exports explicit types (see StrOrBytes)");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
