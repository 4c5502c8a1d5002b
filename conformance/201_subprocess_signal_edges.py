# oracle: 3.13 — 3.13 subprocess and signal-handler semantics (stdin/stdout=STDOUT errors, early-exit communicate)
import asyncio, signal, sys


async def main():
    loop = asyncio.get_running_loop()
    # signals
    def cb(): pass
    async def coro(): pass
    for sig, fn in [(0, cb), (65, cb), (-1, cb), (signal.SIGKILL, cb), (signal.SIGSTOP, cb), (signal.SIGUSR1, coro), (signal.SIGUSR1, 42), (1.5, cb)]:
        try:
            loop.add_signal_handler(sig, fn)
            print("add", int(sig), "ok")
            print("remove", loop.remove_signal_handler(sig))
        except Exception as e:
            print("add", repr(sig if isinstance(sig, (str, float)) else int(sig)), type(e).__name__, e)
    for sig in [0, 65, signal.SIGUSR2, signal.SIGKILL]:
        try:
            print("remove", repr(sig if isinstance(sig, str) else int(sig)), loop.remove_signal_handler(sig))
        except Exception as e:
            print("remove", repr(sig if isinstance(sig, str) else int(sig)), type(e).__name__, e)
    # subprocess
    p = await asyncio.create_subprocess_exec("sh", "-c", "exit 0", stdin=asyncio.subprocess.PIPE)
    out = await p.communicate(b"x" * 1_000_000)
    print("early exit communicate", out, p.returncode)
    p = await asyncio.create_subprocess_exec("sleep", "10")
    p.send_signal(signal.SIGUSR1)
    print("SIGUSR1 ->", await p.wait())
    p = await asyncio.create_subprocess_exec("sleep", "10")
    p.terminate()
    print("terminate ->", await p.wait(), await p.wait())
    for m in ("kill", "terminate"):
        try:
            getattr(p, m)()
        except ProcessLookupError as e:
            print(m, "after exit", type(e).__name__, e)
    try:
        p.send_signal(0)
    except ProcessLookupError as e:
        print("send_signal(0) after exit", type(e).__name__, e)
    p = await asyncio.create_subprocess_exec("sh", "-c", "echo out; echo err >&2; exit 3",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
    print("devnull", await p.communicate(), p.returncode)
    p = await asyncio.create_subprocess_shell("cat", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    print("cat", await p.communicate(b"hi"), p.returncode)
    try:
        await p.communicate(b"again")
    except Exception as e:
        print("communicate twice", type(e).__name__, e)
    else:
        print("communicate twice ok")
    p = await asyncio.create_subprocess_exec("sh", "-c", "exit 0")
    print("communicate no pipes", await p.communicate(), await p.communicate(b"in"))
    print("stdin/stdout none", p.stdin, p.stdout, p.stderr)
    for kw in [dict(stdin=asyncio.subprocess.STDOUT), dict(stdout=asyncio.subprocess.STDOUT)]:
        try:
            await asyncio.create_subprocess_exec("true", **kw)
        except Exception as e:
            print(kw, type(e).__name__, e)
    try:
        await asyncio.create_subprocess_exec("/nonexistent/prog")
    except Exception as e:
        print("missing", type(e).__name__, e.errno, e.filename, e)
    try:
        await asyncio.create_subprocess_exec("/tmp")
    except Exception as e:
        print("dir", type(e).__name__, e.errno, e)
    p = await asyncio.create_subprocess_exec("sh", "-c", "kill -9 $$")
    print("self-kill", await p.wait())
    p = await asyncio.create_subprocess_exec("sh", "-c", "head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    o, e = await p.communicate()
    print("large", len(o), len(e))
    p = await asyncio.create_subprocess_exec("sleep", "10", stdin=asyncio.subprocess.PIPE)
    p.stdin.write(b"x")
    p.kill()
    print("kill then communicate", await p.communicate(b"more"), p.returncode)

asyncio.run(main())
