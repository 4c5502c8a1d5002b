# oracle: 3.13
"""Both ends of a 127.0.0.1 connection in one loop. The client's connect completes in a writer
callback, and create_connection/open_connection return one iteration later, after the
server's connection_made (and its close) has run. A peer that closed (FIN) and then reset
(our write reached its closed socket) is read as EOF: the kernel gives the FIN first."""
import asyncio

ticks = 0
first = None
ticker = None


def tick(loop):
    global ticks, ticker
    ticks += 1
    ticker = loop.call_soon(tick, loop)


def log(s, with_tick=True):
    global first
    if first is None:
        first = ticks
    print(f"+{ticks - first} {s}" if with_tick else s, flush=True)


class CloseAtOnce(asyncio.Protocol):
    def __init__(self):
        log("S protocol made")

    def connection_made(self, t):
        log("S connection_made -> close()")
        t.close()

    def connection_lost(self, exc):
        log(f"S connection_lost {exc!r}")


class Client(asyncio.Protocol):
    def __init__(self, ticked=True, pause=False):
        self.ticked = ticked
        self.pause = pause
        self.lost = asyncio.get_running_loop().create_future()
        log("C protocol made", ticked)

    def connection_made(self, t):
        log("C connection_made", self.ticked)
        if self.pause:
            t.pause_reading()

    def data_received(self, data):
        log(f"C data_received {data!r}", False)

    def eof_received(self):
        log("C eof_received", False)

    def connection_lost(self, exc):
        log(f"C connection_lost {exc!r}", False)
        self.lost.set_result(None)


async def protocols():
    print("-- protocols: the server closes in connection_made, the client writes at once")
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(CloseAtOnce, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    tick(loop)
    t, p = await loop.create_connection(Client, "127.0.0.1", port)
    log("C create_connection returned -> write(b'x')")
    t.write(b"x")
    await p.lost
    ticker.cancel()
    srv.close()
    await srv.wait_closed()


async def streams():
    print("-- streams: a plain callback closes the writer, the client writes at once, then reads")
    kept = []

    def on_client(reader, writer):
        print("S callback: close()")
        kept.append(writer)
        writer.close()

    srv = await asyncio.start_server(on_client, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    print("C connecting")
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    print("C connected: write(b'x')")
    writer.write(b"x")
    try:
        print("C read", await reader.read(100))
    except ConnectionError as e:
        print("C read", repr(e))
    writer.close()
    try:
        await writer.wait_closed()
        print("C wait_closed ok")
    except ConnectionError as e:
        print("C wait_closed", repr(e))
    srv.close()
    await srv.wait_closed()


async def fin_then_reset():
    print("-- the server closes; the paused client writes (the server's kernel resets), then resumes")
    loop = asyncio.get_running_loop()

    class Quiet(asyncio.Protocol):
        def connection_made(self, t):
            t.close()

    srv = await loop.create_server(Quiet, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    t, p = await loop.create_connection(
        lambda: Client(ticked=False, pause=True), "127.0.0.1", port)
    await asyncio.sleep(0.1)
    t.write(b"x")
    await asyncio.sleep(0.1)
    print("resume_reading")
    t.resume_reading()
    await p.lost
    srv.close()
    await srv.wait_closed()


async def main():
    await protocols()
    await streams()
    await fin_then_reset()


asyncio.run(main())
