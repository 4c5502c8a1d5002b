/**
 * The networking examples run as a person would run them: the echo server in one process, the
 * echo client in another; then Ctrl-C (SIGINT) stops the server. Also the chat server with two
 * raw clients.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import * as net from "node:net";
import { join } from "node:path";
import { test } from "node:test";

const root = join(import.meta.dirname, "..");
const node = (file: string, args: string[]) =>
  spawn(
    process.execPath,
    ["--conditions=asyncio-ts-source", "--import", "tsx", join(root, "examples", file), ...args],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );

/** Resolves with the first stdout line matching `re`. */
function waitFor(child: ChildProcess, re: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(re);
      if (m !== null) {
        child.stdout!.off("data", onData);
        resolve(m);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`exited with ${code} before ${re}: ${out}`)));
  });
}

test("examples/echo_server.ts and examples/echo_client.ts talk to each other", async () => {
  const server = node("echo_server.ts", ["127.0.0.1", "0"]);
  let stderr = "";
  server.stderr!.on("data", (d) => (stderr += d));
  try {
    const [, port] = await waitFor(server, /serving on 127\.0\.0\.1:(\d+)/);
    const client = spawnSync(
      process.execPath,
      [
        "--conditions=asyncio-ts-source",
        "--import",
        "tsx",
        join(root, "examples", "echo_client.ts"),
        port!,
        "127.0.0.1",
        "first",
        "second line",
      ],
      { cwd: root, encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(client.status, 0, client.stderr);
    assert.equal(
      client.stdout,
      'sent "first", got back "first"\nsent "second line", got back "second line"\n',
    );
    const exited = once(server, "exit");
    server.kill("SIGINT");
    const [code] = await exited;
    assert.equal(code, 0, stderr);
  } finally {
    server.kill("SIGKILL");
  }
});

test("examples/chat_server.ts relays lines between clients", async () => {
  const server = node("chat_server.ts", ["0"]);
  try {
    const [, port] = await waitFor(server, /chat on 127\.0\.0\.1:(\d+)/);
    const connect = async (name: string) => {
      const s = net.connect(Number(port), "127.0.0.1");
      s.setEncoding("utf8");
      let text = "";
      s.on("data", (d: string) => (text += d));
      await once(s, "connect");
      s.write(`${name}\n`);
      return { s, text: () => text };
    };
    const alice = await connect("alice");
    while (!alice.text().includes("hello alice")) await new Promise((r) => setTimeout(r, 10));
    const bob = await connect("bob");
    while (!alice.text().includes("* bob joined")) await new Promise((r) => setTimeout(r, 10));
    bob.s.write("hi alice\n");
    while (!alice.text().includes("<bob> hi alice")) await new Promise((r) => setTimeout(r, 10));
    bob.s.write("/quit\n");
    while (!alice.text().includes("* bob left")) await new Promise((r) => setTimeout(r, 10));
    alice.s.destroy();
    bob.s.destroy();
  } finally {
    server.kill("SIGKILL");
  }
});

test("the guided tour (npm start) runs and shows every part", () => {
  const r = spawnSync(
    process.execPath,
    ["--conditions=asyncio-ts-source", "--import", "tsx", join(root, "examples", "tour.ts")],
    { cwd: root, encoding: "utf8", timeout: 60_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  for (let part = 1; part <= 8; part++) assert.match(r.stdout, new RegExp(`== ${part}\\. `));
  assert.match(r.stdout, /round robin: g0 a0 g1 a1 g2 a2/);
  assert.match(r.stdout, /asCompleted -> first, second, third/);
});

test("examples/db_job.ts reads MariaDB, caches in Redis, reports progress", {
  skip: process.env.MYSQL_URL && process.env.REDIS_URL ? false : "MYSQL_URL / REDIS_URL not set",
}, () => {
  const r = spawnSync(
    process.execPath,
    [
      "--conditions=asyncio-ts-source",
      "--import",
      "tsx",
      join(root, "examples", "db_job.ts"),
      "300",
    ],
    { cwd: root, encoding: "utf8", timeout: 60_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  const expected = Array.from({ length: 300 }, (_, i) => (i + 1) * (((i + 1) % 7) + 1)).reduce(
    (a, b) => a + b,
  );
  assert.match(
    r.stdout,
    new RegExp(
      `first pass: 300 customers, total ${expected} \\(expected ${expected}\\), 300 database queries, 0 cache hits`,
    ),
  );
  assert.match(
    r.stdout,
    new RegExp(
      `second pass: 300 customers, total ${expected} .* 0 database queries, 300 cache hits`,
    ),
  );
});
