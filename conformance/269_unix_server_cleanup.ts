/** Twin of 269_unix_server_cleanup.py: Unix servers' socket files, create_server(sock=), bad paths. */
import {
  closeSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmdirSync,
  rmSync,
  type Stats,
  unlinkSync,
} from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pyStr, pyTypeName, pyRepr as repr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const d = mkdtempSync(join(tmpdir(), "asyncio-ts-269-"));
const ex = (p: string) => existsSync(p);
function kind(p: string): string {
  let st: Stats;
  try {
    st = lstatSync(p);
  } catch {
    return "missing";
  }
  return st.isSocket() ? "sock" : st.isSymbolicLink() ? "link" : st.isDirectory() ? "dir" : "file";
}
function listening(p: string): Promise<net.Server> {
  return new Promise((res) => {
    const s = net.createServer();
    s.listen(p, () => res(s));
  });
}
const touch = (p: string) => closeSync(openSync(p, "w"));
function serve(_r: asyncio.StreamReader, w: asyncio.StreamWriter) {
  w.close();
}

await asyncio.run(async () => {
  const addr = join(d, "a.sock");
  let srv = await asyncio.startUnixServer(serve, addr);
  srv.close();
  print("default: exists right after close", ex(addr));
  await srv.waitClosed();

  let sock = await listening(addr);
  srv = await asyncio.startUnixServer(serve, null, { sock });
  print("sock=: sockname is addr", srv.sockets[0]!.getsockname() === addr);
  srv.close();
  print("sock=: exists after close", ex(addr));
  await srv.waitClosed();

  sock = await listening(addr);
  srv = await asyncio.startUnixServer(serve, null, { sock, cleanupSocket: false });
  srv.close();
  print("sock= cleanup_socket=False: exists after close", ex(addr), kind(addr));
  await srv.waitClosed();
  if (ex(addr)) unlinkSync(addr);

  sock = await listening(addr);
  srv = await asyncio.startUnixServer(serve, null, { sock });
  unlinkSync(addr);
  srv.close();
  print("sock= gone: ok", ex(addr));
  await srv.waitClosed();

  sock = await listening(addr);
  srv = await asyncio.startUnixServer(serve, null, { sock });
  unlinkSync(addr);
  touch(addr);
  srv.close();
  print("sock= replaced by file: kind", kind(addr));
  await srv.waitClosed();
  if (ex(addr)) unlinkSync(addr);

  srv = await asyncio.startUnixServer(serve, addr);
  unlinkSync(addr);
  const other = await listening(addr);
  srv.close();
  print("replaced by socket: kind", kind(addr));
  await srv.waitClosed();
  const [, w] = await asyncio.openUnixConnection(addr);
  print("other still connectable");
  w.close();
  other.close();
  if (ex(addr)) unlinkSync(addr);

  srv = await asyncio.startUnixServer(serve, addr);
  unlinkSync(addr);
  mkdirSync(addr);
  srv.close();
  print("replaced by dir: kind", kind(addr));
  await srv.waitClosed();
  rmdirSync(addr);

  srv = await asyncio.startUnixServer(serve, addr, { cleanupSocket: false });
  srv.close();
  await srv.waitClosed();
  print("kept:", kind(addr));
  srv = await asyncio.startUnixServer(serve, addr);
  print("restarted on kept socket file", kind(addr));
  srv.close();
  await srv.waitClosed();
  print("after:", kind(addr));

  srv = await asyncio.startUnixServer(serve, addr);
  const moved = join(d, "moved.sock");
  renameSync(addr, moved);
  srv.close();
  print("renamed: moved kind", kind(moved), "addr", kind(addr));
  await srv.waitClosed();
  if (ex(moved)) unlinkSync(moved);

  srv = await asyncio.startUnixServer(serve, addr);
  const link = join(d, "hard.sock");
  linkSync(addr, link);
  srv.close();
  print("hard link: addr", kind(addr), "link", kind(link));
  await srv.waitClosed();
  if (ex(link)) unlinkSync(link);

  const baddr = Buffer.from(join(d, "b.sock"));
  srv = await asyncio.startUnixServer(serve, baddr);
  const sn = srv.sockets[0]!.getsockname();
  print("bytes path: sockname", typeof sn === "string" ? "str" : "bytes", sn === baddr.toString());
  srv.close();
  print("bytes path exists after close", ex(baddr.toString()));
  await srv.waitClosed();
  // create_server(sock=) never removes the file
  sock = await listening(addr);
  srv = await asyncio.startServer(serve, null, null, { sock });
  srv.close();
  print("start_server(sock=unix): after close", kind(addr));
  await srv.waitClosed();
  unlinkSync(addr);

  // bad paths
  for (const p of [join(d, "a\0b"), `${join(d, "t.sock")}/`, join(d, "no", "x.sock"), ""]) {
    try {
      srv = await asyncio.startUnixServer(serve, p);
      print("served on", repr(p));
      srv.close();
    } catch (e) {
      const shown = repr(p.replace(d, "<d>"));
      if (e instanceof asyncio.OSError)
        print("bad path", shown, pyTypeName(e), e.errno, e.strerror);
      else print("bad path", shown, pyTypeName(e), pyStr(e));
    }
  }
  try {
    await asyncio.openUnixConnection("");
  } catch (e) {
    const err = e as asyncio.OSError;
    print("connect to '':", pyTypeName(e), err.errno, err.strerror);
  }
});
rmSync(d, { recursive: true, force: true });
