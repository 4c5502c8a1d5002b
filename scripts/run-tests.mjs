#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's test runner (Node 20's --test takes no globs).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
const files = find("test").filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)));
const reporter = process.env.CI ? ["--test-reporter=spec"] : [];
const r = spawnSync(
  process.execPath,
  [
    "--expose-gc",
    "--conditions=asyncio-ts-source",
    "--import",
    "tsx",
    "--test",
    "--test-concurrency=2",
    ...reporter,
    ...files,
  ],
  { stdio: "inherit" },
);
process.exit(r.status ?? 1);
