# oracle: 3.13
import asyncio, time
from asyncio.subprocess import PIPE, DEVNULL, STDOUT

async def main():
    loop = asyncio.get_running_loop()
    # grandchild holds stdout open
    p = await asyncio.create_subprocess_exec("sh", "-c", "sleep 0.3 & echo hi", stdout=PIPE)
    t0 = time.monotonic()
    await asyncio.sleep(0.1)
    print("rc while pipe open", p.returncode)
    w = asyncio.create_task(p.wait())
    await asyncio.sleep(0.05)
    print("wait done while pipe open", w.done())
    print("wait ->", await w, time.monotonic() - t0 >= 0.25)
    print("stdout", await p.stdout.read())
    p = await asyncio.create_subprocess_exec("sh", "-c", "sleep 0.05; sleep 0.3 & echo hi", stdout=PIPE)
    t0 = time.monotonic()
    print("early wait ->", await p.wait(), time.monotonic() - t0 >= 0.25, await p.stdout.read())
    # grandchild holds stdout open, DEVNULL: wait immediate
    p = await asyncio.create_subprocess_exec("sh", "-c", "sleep 0.3 & echo hi", stdout=DEVNULL)
    t0 = time.monotonic()
    print("devnull wait ->", await p.wait(), time.monotonic() - t0 < 0.25)
    # timeout on communicate then kill
    p = await asyncio.create_subprocess_exec("sh", "-c", "echo partial; exec sleep 30", stdout=PIPE)
    try:
        await asyncio.wait_for(p.communicate(), 0.2)
    except TimeoutError as e:
        print("communicate timeout", type(e).__name__, p.returncode)
    p.kill()
    print("after kill communicate", await p.communicate(), p.returncode)
    # cancel communicate with stdin
    p = await asyncio.create_subprocess_exec("sh", "-c", "exec sleep 30", stdin=PIPE, stdout=PIPE)
    c = asyncio.create_task(p.communicate(b"data"))
    await asyncio.sleep(0.05)
    c.cancel()
    try:
        await c
    except asyncio.CancelledError:
        print("communicate cancelled", p.returncode, p.stdin.is_closing())
    p.terminate()
    print("terminated", await p.wait())
    # wait after process exited and pipes drained multiple times
    print("wait again", await p.wait(), await p.wait())
    # stdout read after kill with pending data
    p = await asyncio.create_subprocess_exec("sh", "-c", "printf 'abc'; exec sleep 30", stdout=PIPE)
    print("first", await p.stdout.readexactly(3))
    p.send_signal(15)
    print("eof read", await p.stdout.read(), await p.wait())
    # process exits with data never read, then read
    p = await asyncio.create_subprocess_exec("sh", "-c", "head -c 100000 /dev/zero", stdout=PIPE)
    await asyncio.sleep(0.1)
    print("rc before read", p.returncode)
    print("read", len(await p.stdout.read()), await p.wait())
    # large output with only wait() (no read) would deadlock; 3 MB outgrow any pipe or socket pair buffer, so the child is still blocked after 0.1 s
    p = await asyncio.create_subprocess_exec("sh", "-c", "head -c 3000000 /dev/zero; echo done >&2", stdout=PIPE, stderr=PIPE, limit=1024)
    await asyncio.sleep(0.1)
    print("stderr before stdout read", p.stderr.at_eof(), p.returncode)
    out = await p.stdout.read()
    print("out", len(out), await p.stderr.read(), await p.wait())

asyncio.run(main())
