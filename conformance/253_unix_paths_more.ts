/** Twin of 253_unix_paths_more.py: Unix socket paths in a missing directory, through a file, at the length limits of file paths and abstract names. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as asyncio from "../src/index.ts";
import { print, repr, str } from "./_py.ts";

const d = mkdtempSync(join(tmpdir(), "tmp"));
asyncio.logger.addHandler((r) => print("logged:", r.message.replaceAll(d, "<d>")));

function show(label: string, e: unknown): void {
  if (!(e instanceof Error)) throw e;
  const o = e as Error & { errno?: unknown; filename?: unknown };
  print(label, e.name, o.errno ?? null, str(e).replaceAll(d, "<d>"), repr(o.filename ?? null));
}

async function handle(r: asyncio.StreamReader, w: asyncio.StreamWriter): Promise<void> {
  w.write(Buffer.concat([Buffer.from("echo:"), await r.read()]));
  await w.drain();
  w.close();
}

async function roundtrip(path: string): Promise<Buffer> {
  const [r, w] = await asyncio.openUnixConnection(path);
  w.write(Buffer.from("hi"));
  w.writeEof();
  const data = await r.read();
  w.close();
  await w.waitClosed();
  return data;
}

async function tryServer(label: string, path: string): Promise<void> {
  let srv: asyncio.Server;
  try {
    srv = await asyncio.startUnixServer(handle, path);
  } catch (e) {
    show(`server ${label}`, e);
    return;
  }
  print(`server ${label}`, "ok", await roundtrip(path));
  srv.close();
  await srv.waitClosed();
}

async function tryConnect(label: string, path: string): Promise<void> {
  try {
    await asyncio.openUnixConnection(path);
    print(`connect ${label}`, "connected");
  } catch (e) {
    show(`connect ${label}`, e);
  }
}

await asyncio.run(async () => {
  writeFileSync(join(d, "afile"), "");
  await tryServer("missing dir", join(d, "nodir", "s.sock"));
  await tryServer("missing dirs", join(d, "a", "b", "s.sock"));
  await tryServer("file on the way", join(d, "afile", "s.sock"));
  await tryConnect("missing dir", join(d, "nodir", "s.sock"));
  await tryConnect("file on the way", join(d, "afile", "s.sock"));
  const base = `${d}/`;
  for (const n of [107, 108, 109]) {
    const p = base + "y".repeat(n - base.length);
    await tryServer(`path of ${n} bytes`, p);
    await tryConnect(`path of ${n} bytes`, p);
  }
  // bytes, not characters: 'é' is two bytes
  let p = base + "é".repeat(Math.floor((108 - base.length) / 2));
  p += "z".repeat(108 - Buffer.byteLength(p));
  print("fewer characters", p.length < 108, "bytes", Buffer.byteLength(p));
  await tryServer("108 bytes in fewer characters", p);
  for (const n of [107, 108, 109]) {
    const name = `\0asyncio-ts-253-${"a".repeat(n - 16)}`;
    await tryServer(`abstract name of ${n} bytes`, name);
    await tryConnect(`abstract name of ${n} bytes`, name);
  }
});
rmSync(d, { recursive: true, force: true });
