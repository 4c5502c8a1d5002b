/**
 * The documentation cannot lie: every ```ts block in docs/*.md and README.md that starts with an
 * `import` is a complete program, and must run without error.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const root = join(import.meta.dirname, "..");
const pages = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => join("docs", f)),
];
const tmp = mkdtempSync(join(root, "scratch-docs-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

for (const page of pages) {
  const text = readFileSync(join(root, page), "utf8");
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  blocks.forEach((code, i) => {
    if (!code.trimStart().startsWith("import")) return;
    test(`${page} example ${i + 1} runs`, () => {
      const file = join(tmp, `${page.replace(/[/.]/g, "_")}_${i}.ts`);
      writeFileSync(file, code);
      const r = spawnSync(
        process.execPath,
        ["--conditions=asyncio-ts-source", "--import", "tsx", file],
        {
          encoding: "utf8",
          timeout: 60_000,
          cwd: root,
        },
      );
      assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    });
  });
}
