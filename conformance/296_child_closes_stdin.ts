/**
 * Twin of 296_child_closes_stdin.py: a child that closes its stdin and keeps running; the stdin
 * transport sees the hang-up at once, a later write and drain() fail.
 */
import * as asyncio from "../src/index.ts";
import { print, pyTuple, repr } from "./_py.ts";

const { PIPE } = asyncio;

class P extends asyncio.SubprocessProtocol {
  readonly done = asyncio.getRunningLoop().createFuture<void>();
  constructor(
    readonly log: string[],
    readonly t0: number,
  ) {
    super();
  }
  override pipeConnectionLost(fd: number, exc: Error | null): void {
    const early = asyncio.getRunningLoop().time() - this.t0 < 0.2;
    this.log.push(`pipe_connection_lost fd=${fd} ${repr(exc)} before 0.2s: ${repr(early)}`);
  }
  override processExited(): void {
    this.log.push("process_exited");
  }
  override connectionLost(): void {
    this.done.setResult();
  }
}

await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const log: string[] = [];
  const [t, p] = await loop.subprocessExec(
    () => new P(log, loop.time()),
    "sh",
    "-c",
    "exec 0<&-; sleep 0.3",
    { stdout: null, stderr: null },
  );
  await asyncio.sleep(0.1);
  print("at 0.1s:", log, "stdin closing:", t.getPipeTransport(0)!.isClosing());
  await p.done;
  print("end:", log);

  let proc = await asyncio.createSubprocessExec("sh", "-c", "exec 0<&-; sleep 0.2", {
    stdin: PIPE,
  });
  await asyncio.sleep(0.1);
  try {
    proc.stdin!.write(Buffer.alloc(10, "y"));
    await proc.stdin!.drain();
    print("write to closed stdin: drain ok");
  } catch (e) {
    print("write to closed stdin:", (e as Error).name, (e as Error).message);
  }
  print("rc:", await proc.wait());

  proc = await asyncio.createSubprocessExec("sh", "-c", "exec 0<&-; echo done", {
    stdin: PIPE,
    stdout: PIPE,
  });
  const out = await proc.communicate(Buffer.alloc(300000, "z"));
  print("communicate:", pyTuple(out), proc.returncode);
});
