/**
 * A program bundled and minified with the library inside it (esbuild, which tsx brings): the
 * library's classes keep their Python names in reprs and errors, and the core loads as
 * CommonJS too. (Pools need asyncio-ts outside the bundle: docs/threads.md.)
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const esbuild = await import("esbuild").catch(() => null);
const SRC = join(import.meta.dirname, "..", "src", "index.ts");

const PROGRAM = `
import * as asyncio from ${JSON.stringify(SRC)};
await asyncio.run(async () => {
  const t = asyncio.createTask(asyncio.sleep(1));
  const lock = new asyncio.Lock();
  console.log(String(t), String(asyncio.getRunningLoop().createFuture()), String(lock));
  t.cancel();
  try {
    await asyncio.waitFor(asyncio.sleep(1), 0.001);
  } catch (e) {
    console.log(e.name, e instanceof asyncio.TimeoutError);
  }
  const eg = new asyncio.ExceptionGroup("x", [new asyncio.ValueError("v")]);
  console.log(eg.name, new asyncio.ConnectionResetError().name);
});
`;

test("a minified bundle keeps the library's class names (ESM and CommonJS)", {
  skip: esbuild === null,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-bundle-"));
  try {
    const entry = join(dir, "entry.ts");
    writeFileSync(entry, PROGRAM);
    for (const format of ["esm", "cjs"] as const) {
      const outfile = join(dir, format === "esm" ? "out.mjs" : "out.cjs");
      // CommonJS has no top-level await: wrap the program in an async function.
      const source =
        format === "esm" ? PROGRAM : `(async () => {${PROGRAM.replace(/^import .*$/m, "")}})();`;
      const input =
        format === "esm"
          ? entry
          : (() => {
              const f = join(dir, "entry_cjs.ts");
              writeFileSync(f, `import * as asyncio from ${JSON.stringify(SRC)};\n${source}`);
              return f;
            })();
      esbuild!.buildSync({
        entryPoints: [input],
        bundle: true,
        minify: true,
        platform: "node",
        format,
        outfile,
        logLevel: "silent",
      });
      const r = spawnSync(process.execPath, [outfile], { encoding: "utf8", timeout: 30_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(r.stdout.trim().split("\n"), [
        "<Task pending name='Task-2' coro=<sleep() running>> <Future pending> <Lock [unlocked]>",
        "TimeoutError true",
        "ExceptionGroup ConnectionResetError",
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
