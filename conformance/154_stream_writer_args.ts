/**
 * Twin of 154_stream_writer_args.py: StreamWriter.write()/writelines() argument errors (a
 * memoryview is a DataView here), abort() and what follows it.
 */

import { pyStr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

function show(label: string, e: unknown): void {
  print(`${label}: ${(e as Error).name}: ${pyStr(e)}`);
}
async function main(): Promise<void> {
  const got: unknown[] = [];
  const srv = await asyncio.startServer(
    async (r, w) => {
      got.push(await r.read());
      w.close();
    },
    "127.0.0.1",
    0,
  );
  const port = (srv.sockets[0]!.getsockname() as [string, number])[1];
  const [, w] = await asyncio.openConnection("127.0.0.1", port);
  const cases: [string, () => void][] = [
    ["write(str)", () => w.write("text" as never)],
    ["write(int)", () => w.write(5 as never)],
    ["write(None)", () => w.write(null as never)],
    ["writelines([str])", () => w.writelines(["a"] as never)],
    ["writelines(b'ab')", () => w.writelines(Buffer.from("ab") as never)],
    ["writelines([b'ok', str])", () => w.writelines([Buffer.from("ok"), "s"] as never)],
    ["write(b'')", () => w.write(Buffer.alloc(0))],
    ["write(memoryview)", () => w.write(new DataView(new Uint8Array([109, 118]).buffer) as never)],
  ];
  for (const [label, fn] of cases) {
    try {
      fn();
      print(label, "ok");
    } catch (e) {
      show(label, e);
    }
  }
  print(
    "can_write_eof:",
    w.canWriteEof(),
    "buffer size:",
    (w.transport as asyncio.Transport).getWriteBufferSize(),
  );
  await w.drain();
  w.writeEof();
  while (got.length === 0) await asyncio.sleep(0.005);
  print("server got:", got);
  (w.transport as asyncio.Transport).abort();
  await asyncio.sleep(0);
  print("after abort is_closing:", w.isClosing());
  try {
    w.write(Buffer.from("x"));
    print("write after abort ok");
  } catch (e) {
    show("write after abort", e);
  }
  try {
    await w.drain();
    print("drain after abort ok");
  } catch (e) {
    show("drain after abort", e);
  }
  await w.waitClosed();
  print("wait_closed after abort ok");
  srv.close();
  await srv.waitClosed();
}
await asyncio.run(main);
