/** Twin of 263_fd_and_datagram_args.py: a bad standard-stream descriptor; non-string datagram hosts. */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  for (const fd of [999, -5]) {
    try {
      const p = await asyncio.createSubprocessExec("true", { stdin: fd as never });
      print("returncode", await p.wait());
    } catch (e) {
      const err = e as asyncio.OSError;
      print("stdin", fd, "->", err.name, err.message, "filename", repr(err.filename));
    }
  }

  loop.setExceptionHandler((_l, c) => {
    const e = c.exception as Error;
    print("handler:", c.message, e.name, e.message);
  });
  try {
    await loop.createDatagramEndpoint(() => new asyncio.DatagramProtocol(), {
      localAddr: [5 as never, 0],
    });
  } catch (e) {
    print("local_addr (5, 0) ->", (e as Error).name, (e as Error).message);
  }

  class P extends asyncio.DatagramProtocol {
    override connectionLost(exc: Error | null): void {
      print(
        "connection_lost",
        exc === null ? "NoneType" : exc.name,
        exc === null ? null : exc.message,
      );
    }
  }
  for (const addr of [
    [5, 9],
    [null, 9],
  ]) {
    const [t] = await loop.createDatagramEndpoint(() => new P(), { localAddr: ["127.0.0.1", 0] });
    t.sendto(Buffer.from("x"), addr as never);
    await asyncio.sleep(0.01);
    print("sendto", `(${addr.map((x) => repr(x)).join(", ")})`, "-> closing", t.isClosing());
  }
});
