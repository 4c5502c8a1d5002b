# oracle: 3.13
"""From a hunt in the loop API: foreign socket half close."""
import asyncio, socket

class Server(asyncio.Protocol):
    def __init__(self, log):
        self.log = log
        self.lost = asyncio.get_running_loop().create_future()
    def connection_made(self, t):
        self.t = t
        t.write(b"hi")
        t.write_eof()
        self.log.append("S made")
    def data_received(self, d):
        self.log.append(f"S data {d!r}")
        self.t.close()
    def eof_received(self):
        self.log.append("S eof")
    def connection_lost(self, exc):
        self.log.append(f"S lost {exc!r}")
        self.lost.set_result(None)

class Client(asyncio.Protocol):
    def __init__(self, log, keep):
        self.log = log
        self.keep = keep
        self.lost = asyncio.get_running_loop().create_future()
    def connection_made(self, t):
        self.t = t
        self.log.append("C made")
    def data_received(self, d):
        self.log.append(f"C data {d!r}")
    def eof_received(self):
        self.log.append(f"C eof closing={self.t.is_closing()}")
        self.t.write(b"reply")
        self.log.append(f"C after write closing={self.t.is_closing()} buf={self.t.get_write_buffer_size()}")
        return self.keep
    def connection_lost(self, exc):
        self.log.append(f"C lost {exc!r}")
        self.lost.set_result(None)

async def main():
    loop = asyncio.get_running_loop()
    for keep in (True, None):
        slog, clog = [], []
        servers = []
        srv = await loop.create_server(lambda: servers.append(Server(slog)) or servers[-1], "127.0.0.1", 0)
        port = srv.sockets[0].getsockname()[1]
        sock = socket.create_connection(("127.0.0.1", port))
        t, p = await loop.create_connection(lambda: Client(clog, keep), sock=sock)
        while not servers:
            await asyncio.sleep(0.01)
        await servers[0].lost
        clog.append(f"C closing={t.is_closing()}")
        t.close()
        await p.lost
        print("keep", keep)
        print("  client", clog)
        print("  server", slog)
        srv.close()
        await srv.wait_closed()

asyncio.run(main())
