# oracle: 3.13
"""start_tls() on a TLS connection (TLS inside TLS, as through an HTTPS proxy); a TLS
transport's repr is object's (normalized to <Class object>); library coroutines' reprs carry
their qualified names; FlowControlMixin and StreamWriter keep CPython's asserts."""
import asyncio
import re

from _tls import client_ctx, msg, remove_certs, server_ctx


def norm(text):
    text = re.sub(r"<[\w.]*?(\w+) object at 0x[0-9a-f]+>", r"<\1 object>", text)
    return re.sub(r" at 0x[0-9a-f]+>", ">", text)


async def main():
    log = []

    async def h(r, w):
        log.append(("server got", await r.readline()))
        w.write(b"GO\n")
        await w.drain()
        await w.start_tls(server_ctx())
        log.append(("server inner", await r.readline()))
        w.write(b"inner ok\n")
        await w.drain()
        w.close()
        await w.wait_closed()

    srv = await asyncio.start_server(h, "127.0.0.1", 0, ssl=server_ctx())
    port = srv.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port, ssl=client_ctx(), server_hostname="localhost")
    print("tls transport:", norm(repr(w.transport)))
    w.write(b"STARTTLS\n")
    print("reply", await r.readline())
    outer = w.transport
    try:
        await asyncio.wait_for(w.start_tls(client_ctx(), server_hostname="localhost"), 5)
        print("upgraded:", w.transport is not outer, w.get_extra_info("cipher") is not None)
        w.write(b"hello inside\n")
        print("inner reply", await r.readline())
        print("eof", await r.read())
    except Exception as e:
        print("client start_tls", type(e).__name__, msg(e))
    w.close()
    await w.wait_closed()
    srv.close()
    await srv.wait_closed()
    for x in log:
        print(" ", x)

    coro = r.read()
    print("coroutine:", norm(repr(coro)))
    coro.close()
    coro = asyncio.sleep(0)
    print("coroutine:", norm(repr(coro)))
    coro.close()

    f = asyncio.streams.FlowControlMixin()
    for step in ["resume_writing", "pause_writing", "pause_writing", "resume_writing"]:
        try:
            getattr(f, step)()
            print(step, "ok")
        except AssertionError as e:
            print(step, "AssertionError", e.args)
    try:
        asyncio.StreamWriter(outer, f, object(), asyncio.get_running_loop())
    except AssertionError as e:
        print("StreamWriter(reader=object()): AssertionError", e.args)


asyncio.run(main())
remove_certs()
