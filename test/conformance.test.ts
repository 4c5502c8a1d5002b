/**
 * Oracle tests: every conformance/NAME.ts twin must print exactly conformance/NAME.out, the
 * recorded output of CPython running conformance/NAME.py.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const dir = join(import.meta.dirname, "..", "conformance");
const twins = readdirSync(dir)
  .filter((f) => /^\d\d.*\.ts$/.test(f))
  .sort();

/** Twins that make TLS certificates (through ./_tls.ts) run `openssl`, as test/tls.test.ts does: skipped without it. */
const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;

for (const twin of twins) {
  const name = twin.slice(0, -3);
  const needsOpenssl = readFileSync(join(dir, twin), "utf8").includes('"./_tls.ts"');
  const skip = needsOpenssl && !hasOpenssl ? "openssl is not installed" : false;
  test(`oracle ${name}`, { skip }, () => {
    const expectedPath = join(dir, `${name}.out`);
    assert.ok(existsSync(expectedPath), `${name}.out is missing`);
    assert.ok(existsSync(join(dir, `${name}.py`)), `${name}.py is missing`);
    const r = spawnSync(
      process.execPath,
      ["--expose-gc", "--conditions=asyncio-ts-source", "--import", "tsx", join(dir, twin)],
      {
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    const actual = r.stdout + r.stderr;
    assert.equal(actual, readFileSync(expectedPath, "utf8"));
  });
}
