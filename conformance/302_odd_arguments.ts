/**
 * Twin of 302_odd_arguments.py: gather() of a non-iterable, a task factory that makes no task,
 * a cancel message whose str() fails, IncompleteReadError with inf, writelines() over the
 * high-water mark to a reading peer.
 */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

class BadStr {
  toString(): string {
    throw new asyncio.ValueError("str boom");
  }
}

class Flow extends asyncio.Protocol {
  log: string[] = [];
  override pauseWriting(): void {
    this.log.push("pause");
  }
  override resumeWriting(): void {
    this.log.push("resume");
  }
}

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  for (const x of [5, null]) {
    try {
      asyncio.gather(x as never);
    } catch (e) {
      print("gather:", (e as Error).name, (e as Error).message);
    }
  }
  loop.setTaskFactory(() => null as never);
  try {
    loop.createTask(asyncio.sleep(0));
  } catch (e) {
    print("factory:", (e as Error).message);
  }
  loop.setTaskFactory(null);
  const msg = new BadStr();
  const t = asyncio.createTask(asyncio.sleep(10));
  await asyncio.sleep(0);
  t.cancel(msg);
  try {
    await t;
  } catch (e) {
    if (e instanceof asyncio.CancelledError) {
      print("cancelled:", t.cancelled(), (e as unknown as { args: unknown[] }).args[0] === msg);
    }
  }
  print(String(new asyncio.IncompleteReadError(Buffer.alloc(0), Number.POSITIVE_INFINITY).message));
  const server = await loop.createServer(() => new asyncio.Protocol(), "127.0.0.1", 0);
  const [, port] = server.sockets[0]!.getsockname() as [string, number];
  const [tr, p] = await loop.createConnection(() => new Flow(), "127.0.0.1", port);
  tr.writelines([Buffer.alloc(65536, 0x78), Buffer.alloc(65536, 0x78)]);
  await asyncio.sleep(0.05);
  print("writelines:", p.log, tr.getWriteBufferSize());
  tr.close();
  server.close();
  await server.waitClosed();
});
