# oracle: 3.13 — contexts of I/O callbacks, signal handlers and getaddrinfo on CPython 3.13
"""Which context I/O callbacks run in (connection_made, data_received, a server's
client_connected_cb task, a signal handler), add_signal_handler/remove_signal_handler and their
errors, and loop.getaddrinfo for numeric hosts."""
import asyncio
import contextvars
import os
import signal
import socket

var = contextvars.ContextVar("var", default="unset")


async def main():
    loop = asyncio.get_running_loop()
    seen = []

    class P(asyncio.Protocol):
        def connection_made(self, t):
            seen.append(f"connection_made sees {var.get()!r}")
            var.set("set in connection_made")

        def data_received(self, d):
            seen.append(f"data_received sees {var.get()!r}")

        def connection_lost(self, exc):
            seen.append(f"connection_lost sees {var.get()!r}")

    async def handler(reader, writer):
        seen.append(f"client_connected_cb sees {var.get()!r}")
        var.set("set in the handler task")
        writer.write(b"x")
        await writer.drain()
        await reader.read()
        writer.close()

    var.set("before start_server")
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    var.set("before create_connection")
    transport, _ = await loop.create_connection(P, *server.sockets[0].getsockname())
    await asyncio.sleep(0.05)
    var.set("before close")
    transport.close()
    await asyncio.sleep(0.05)
    print("main task still sees:", repr(var.get()))
    for line in seen:
        print("  ", line)
    server.close()
    await server.wait_closed()

    got = loop.create_future()

    def on_signal(*args):
        got.set_result((args, var.get(), asyncio.current_task()))

    var.set("when the handler was added")
    loop.add_signal_handler(signal.SIGUSR1, on_signal, "a", 1)
    var.set("after adding it")
    os.kill(os.getpid(), signal.SIGUSR1)
    args, seen_value, task = await got
    print("signal handler args:", args, "| context:", repr(seen_value), "| task:", task)
    print("remove_signal_handler:", loop.remove_signal_handler(signal.SIGUSR1),
          loop.remove_signal_handler(signal.SIGUSR1))
    for bad, label in ((signal.SIGKILL, "SIGKILL"), (0, "0"), (65536, "65536"), ("x", "'x'")):
        try:
            loop.add_signal_handler(bad, on_signal)
        except (RuntimeError, ValueError, TypeError) as e:
            print(f"add_signal_handler({label}):", type(e).__name__, e)

    async def coro():
        pass
    try:
        loop.add_signal_handler(signal.SIGUSR1, coro)
    except TypeError as e:
        print("coroutine function:", type(e).__name__, e)

    def plain(infos):  # enum reprs are Python-specific: print the numbers
        return [(int(f), int(t), p, c, a) for f, t, p, c, a in infos]

    print(plain(await loop.getaddrinfo("127.0.0.1", 8080, type=socket.SOCK_STREAM)))
    print(plain(await loop.getaddrinfo("::1", "443", type=socket.SOCK_DGRAM)))
    print(len(await loop.getaddrinfo("127.0.0.1", 80)), "entries without a type")
    try:
        await loop.getaddrinfo("nonexistent.invalid", 80)
    except socket.gaierror as e:
        print("unknown name:", type(e).__name__, e.errno, e)


asyncio.run(main())
