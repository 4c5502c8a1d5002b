/**
 * Twin of 243_unix_paths.py: Unix stream servers on a path under a temp dir: a second server
 * on a live path takes it over, connecting to a missing path or a stale socket file, a regular
 * file at the path, a path too long, and when close() removes the socket file.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const d = mkdtempSync(join(tmpdir(), "asyncio-ts-243-"));

function show(label: string, e: unknown): void {
  const msg = String((e as Error).message).replaceAll(d, "<dir>");
  const errno = (e as { errno?: unknown }).errno;
  print(label, (e as Error).name, errno ?? null, msg);
}

function touch(p: string): void {
  closeSync(openSync(p, "w"));
}

async function main(): Promise<void> {
  const path = join(d, "s.sock");
  const handle = async (_r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
    w.write(Buffer.from("hi\n"));
    await w.drain();
    w.close();
  };

  let server = await asyncio.startUnixServer(handle, path);
  print("file exists:", existsSync(path));
  print("sockname is path:", server.sockets[0].getsockname() === path);
  let [r, w] = await asyncio.openUnixConnection(path);
  print(
    "client peername is path:",
    w.getExtraInfo("peername") === path,
    "| sockname:",
    repr(w.getExtraInfo("sockname")),
  );
  print("read:", await r.read());
  w.close();
  await w.waitClosed();
  let server2: asyncio.Server | null = null;
  try {
    server2 = await asyncio.startUnixServer(handle, path);
    print("in use: second server started");
  } catch (e) {
    show("in use:", e);
  }
  server.close();
  await server.waitClosed();
  print("first closed; exists:", existsSync(path));
  [r, w] = await asyncio.openUnixConnection(path);
  print("second serves:", await r.read());
  w.close();
  server2?.close();
  await server2?.waitClosed();
  print("after close exists:", existsSync(path));
  for (const p of [path, join(d, "nodir", "x.sock")]) {
    try {
      await asyncio.openUnixConnection(p);
    } catch (e) {
      show("missing:", e);
    }
  }
  // A stale socket file: a process that listened on it and was killed.
  spawnSync(process.execPath, [
    "-e",
    `require("net").createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, "SIGKILL"))`,
  ]);
  try {
    await asyncio.openUnixConnection(path);
  } catch (e) {
    show("stale:", e);
  }
  server = await asyncio.startUnixServer(handle, path);
  print("replaced stale:", existsSync(path));
  server.close();
  await server.waitClosed();
  touch(path);
  try {
    await asyncio.startUnixServer(handle, path);
  } catch (e) {
    show("regular file:", e);
  }
  print("regular file kept:", existsSync(path));
  unlinkSync(path);
  const long = join(d, "x".repeat(200));
  const calls: [string, () => Promise<unknown>][] = [
    ["server", async () => await asyncio.startUnixServer(handle, long)],
    ["connect", async () => await asyncio.openUnixConnection(long)],
  ];
  for (const [label, fn] of calls) {
    try {
      await fn();
    } catch (e) {
      show(`too long ${label}:`, e);
    }
  }
  server = await asyncio.startUnixServer(handle, path);
  unlinkSync(path);
  server.close();
  await server.waitClosed();
  print("close after unlink ok");
  server = await asyncio.startUnixServer(handle, path, { cleanupSocket: false });
  server.close();
  await server.waitClosed();
  print("cleanup_socket=False kept:", existsSync(path));
  server = await asyncio.startUnixServer(handle, path);
  unlinkSync(path);
  touch(path);
  server.close();
  await server.waitClosed();
  print("replaced file kept:", existsSync(path));
  unlinkSync(path);
  try {
    await asyncio.openUnixConnection();
  } catch (e) {
    show("no path:", e);
  }
  try {
    await asyncio.openUnixConnection(path, { ssl: null, serverHostname: "x" });
  } catch (e) {
    show("server_hostname without ssl:", e);
  }
}

await asyncio.run(main);
rmSync(d, { recursive: true, force: true });
