/** Twin of 204_subprocess_lifecycle.py: subprocess lifecycle: reading limits, grandchildren holding pipes, wait/kill orders. */
import * as asyncio from "../src/index.ts";
import { print, repr } from "./_py.ts";

const { PIPE, DEVNULL } = asyncio;
const tup = (a: unknown[]) => `(${a.map((x) => repr(x)).join(", ")})`;
const now = () => performance.now() / 1000;
await asyncio.run(async () => {
  let p = await asyncio.createSubprocessExec("sh", "-c", "sleep 0.3 & echo hi", { stdout: PIPE });
  let t0 = now();
  await asyncio.sleep(0.1);
  print("rc while pipe open", p.returncode);
  const w = asyncio.createTask(p.wait());
  await asyncio.sleep(0.05);
  print("wait done while pipe open", w.done());
  print("wait ->", await w, now() - t0 >= 0.25);
  print("stdout", await p.stdout!.read());
  p = await asyncio.createSubprocessExec("sh", "-c", "sleep 0.05; sleep 0.3 & echo hi", {
    stdout: PIPE,
  });
  t0 = now();
  print("early wait ->", await p.wait(), now() - t0 >= 0.25, await p.stdout!.read());
  p = await asyncio.createSubprocessExec("sh", "-c", "sleep 0.3 & echo hi", { stdout: DEVNULL });
  t0 = now();
  print("devnull wait ->", await p.wait(), now() - t0 < 0.25);
  p = await asyncio.createSubprocessExec("sh", "-c", "echo partial; exec sleep 30", {
    stdout: PIPE,
  });
  try {
    await asyncio.waitFor(p.communicate(), 0.2);
  } catch (e) {
    print("communicate timeout", (e as Error).name, p.returncode);
  }
  p.kill();
  print("after kill communicate", tup(await p.communicate()), p.returncode);
  p = await asyncio.createSubprocessExec("sh", "-c", "exec sleep 30", {
    stdin: PIPE,
    stdout: PIPE,
  });
  const c = asyncio.createTask(p.communicate(Buffer.from("data")));
  await asyncio.sleep(0.05);
  c.cancel();
  try {
    await c;
  } catch (e) {
    if (e instanceof asyncio.CancelledError)
      print("communicate cancelled", p.returncode, p.stdin!.isClosing());
  }
  p.terminate();
  print("terminated", await p.wait());
  print("wait again", await p.wait(), await p.wait());
  p = await asyncio.createSubprocessExec("sh", "-c", "printf 'abc'; exec sleep 30", {
    stdout: PIPE,
  });
  print("first", await p.stdout!.readexactly(3));
  p.sendSignal(15);
  print("eof read", await p.stdout!.read(), await p.wait());
  p = await asyncio.createSubprocessExec("sh", "-c", "head -c 100000 /dev/zero", { stdout: PIPE });
  await asyncio.sleep(0.1);
  print("rc before read", p.returncode);
  print("read", (await p.stdout!.read()).length, await p.wait());
  p = await asyncio.createSubprocessExec("sh", "-c", "head -c 3000000 /dev/zero; echo done >&2", {
    stdout: PIPE,
    stderr: PIPE,
    limit: 1024,
  });
  await asyncio.sleep(0.1);
  print("stderr before stdout read", p.stderr!.atEof(), p.returncode);
  const out = await p.stdout!.read();
  print("out", out.length, await p.stderr!.read(), await p.wait());
});
