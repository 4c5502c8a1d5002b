# oracle: 3.13
"""loop.sendfile(): plain sockets (native), TLS and file objects without a descriptor
(fallback), offsets, counts, argument errors, writes during a transfer, unsupported transports."""
import asyncio, hashlib, io, os, re, socket, tempfile

from _tls import msg, server_ctx, client_ctx, remove_certs

DATA = bytes(range(256)) * 4000
tmpdir = tempfile.mkdtemp()
PATH = os.path.join(tmpdir, "data.bin")
EMPTY = os.path.join(tmpdir, "empty.bin")
with open(PATH, "wb") as f:
    f.write(DATA)
open(EMPTY, "wb").close()


def digest(b):
    return f"{len(b)} {hashlib.sha256(b).hexdigest()[:12]}"


def norm(s):
    """Objects without a repr of their own lose their module and address (docs/differences.md)."""
    s = re.sub(r"<[\w.]*?(\w+) object at 0x[0-9a-f]+>", r"<\1 object>", s)
    return re.sub(r"fd=\d+", "fd=N", s)


class Sink(asyncio.Protocol):
    """Server side: collects everything until EOF or close."""
    def __init__(self, done):
        self.buf = bytearray()
        self.done = done
    def connection_made(self, tr):
        self.tr = tr
    def data_received(self, data):
        self.buf += data
    def eof_received(self):
        self.tr.close()
    def connection_lost(self, exc):
        if not self.done.done():
            self.done.set_result(bytes(self.buf))


class Client(asyncio.Protocol):
    """No eof_received: a TLS close does not wait for the peer's close_notify (docs/differences.md)."""
    def __init__(self):
        self.events = []
    def connection_made(self, tr):
        self.events.append("made")
    def data_received(self, data):
        self.events.append(("data", data))
    def pause_writing(self):
        self.events.append("pause_writing")
    def resume_writing(self):
        self.events.append("resume_writing")
    def connection_lost(self, exc):
        self.events.append(("lost", type(exc).__name__ if exc else None))


async def pair(ssl=False):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    kw = dict(ssl=server_ctx()) if ssl else {}
    server = await loop.create_server(lambda: Sink(done), "127.0.0.1", 0, **kw)
    port = server.sockets[0].getsockname()[1]
    kw = dict(ssl=client_ctx()) if ssl else {}
    tr, proto = await loop.create_connection(Client, "127.0.0.1", port, **kw)
    return server, tr, proto, done


async def transfer(label, opener, *args, ssl=False, **kw):
    loop = asyncio.get_running_loop()
    server, tr, proto, done = await pair(ssl)
    f = opener()
    try:
        n = await loop.sendfile(tr, f, *args, **kw)
        print(label, "->", n, "tell", f.tell(), "reading", tr.is_reading(),
              "protocol is client", tr.get_protocol() is proto)
    except Exception as e:
        print(label, "->", type(e).__name__, norm(str(e)), "tell", f.tell())
    tr.write(b"!end")
    tr.write_eof() if tr.can_write_eof() else tr.close()
    got = await done
    print("   received", digest(got), "events", proto.events)
    tr.close()
    f.close()
    server.close()
    await server.wait_closed()


async def main():
    loop = asyncio.get_running_loop()
    disk = lambda: open(PATH, "rb")
    mem = lambda: io.BytesIO(DATA)
    print("expected whole", digest(DATA + b"!end"), "part", digest(DATA[10:1010] + b"!end"),
          "tail", digest(DATA[1000000:] + b"!end"))

    await transfer("tcp whole", disk)
    await transfer("tcp offset+count", disk, 10, 1000)
    await transfer("tcp offset only", disk, 1000000)
    await transfer("tcp count past end", disk, 1000000, 10**9)
    await transfer("tcp offset past end", disk, 10**7)
    await transfer("tcp empty", lambda: open(EMPTY, "rb"))
    await transfer("tcp bytesio", mem)
    await transfer("tcp bytesio offset+count", mem, 10, 1000)
    await transfer("tcp bytesio no fallback", mem, fallback=False)
    for args in [(0, 0), (0, -1), (0, 1.5), (-1,), (1.5,), ("a",), (0, "b")]:
        await transfer(f"tcp args {args!r}", disk, *args)
    await transfer("tls whole", disk, ssl=True)
    await transfer("tls offset+count", disk, 10, 1000, ssl=True)
    await transfer("tls count 0", disk, 0, 0, ssl=True)
    await transfer("tls bytesio", mem, ssl=True)
    await transfer("tls no fallback", disk, fallback=False, ssl=True)

    # a file position that is not 0: native reads from offset, fallback from the position
    def moved():
        f = open(PATH, "rb"); f.seek(1000000); return f
    await transfer("tcp moved position", moved)
    await transfer("tls moved position", moved, ssl=True)

    # a closing transport
    server, tr, proto, done = await pair()
    tr.close()
    try:
        await loop.sendfile(tr, disk())
    except Exception as e:
        print("closing ->", type(e).__name__, e)
    await done
    server.close()

    # writes while a native transfer is going on; the protocol during a fallback one
    server, tr, proto, done = await pair()
    f = disk()
    t = asyncio.create_task(loop.sendfile(tr, f))
    await asyncio.sleep(0)
    for name, call in [("write", lambda: tr.write(b"x")), ("writelines", lambda: tr.writelines([b"x"]))]:
        try:
            call()
            print(name, "during native: ok")
        except Exception as e:
            print(name, "during native:", type(e).__name__, e)
    print("reading during native", tr.is_reading(), "size", tr.get_write_buffer_size())
    print("native result", await t, "reading after", tr.is_reading())
    tr.write(b"!end")
    tr.write_eof()
    print("   received", digest(await done))
    server.close()
    f.close()

    server, tr, proto, done = await pair()
    t = asyncio.create_task(loop.sendfile(tr, mem()))
    await asyncio.sleep(0)
    p = tr.get_protocol()
    print("fallback protocol", type(p).__name__, "reading", tr.is_reading())
    for name in ["connection_made", "data_received", "eof_received"]:
        try:
            getattr(p, name)(*([tr] if name == "connection_made" else [b"x"] if name == "data_received" else []))
        except Exception as e:
            print("  ", name, type(e).__name__, e)
    tr.write(b"<mid>")
    print("fallback result", await t, "protocol back", tr.get_protocol() is proto, "reading", tr.is_reading())
    tr.write_eof()
    got = await done
    print("   received", len(got), got.count(b"<mid>"))
    server.close()

    # a second sendfile while one runs (native)
    server, tr, proto, done = await pair()
    t1 = asyncio.create_task(loop.sendfile(tr, disk()))
    await asyncio.sleep(0)
    try:
        await loop.sendfile(tr, disk())
    except Exception as e:
        print("second native ->", type(e).__name__, e.args == (tr.get_extra_info("socket").fileno(),))
    print("first ->", await t1)
    tr.close()
    await done
    server.close()

    # cancelled in the middle (native): the transport is usable again
    server, tr, proto, done = await pair()
    f = disk()
    t = asyncio.create_task(loop.sendfile(tr, f))
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("cancelled; reading", tr.is_reading())
    tr.write(b"!end")
    tr.write_eof()
    got = await done
    print("   received a prefix and !end", got.endswith(b"!end") and DATA.startswith(got[:-4]))
    server.close()

    # unsupported transports
    r, w = os.pipe()
    wtr, _ = await loop.connect_write_pipe(asyncio.Protocol, os.fdopen(w, "wb"))
    dtr, _ = await loop.create_datagram_endpoint(asyncio.DatagramProtocol, local_addr=("127.0.0.1", 0))
    for label, t in [("pipe", wtr), ("datagram", dtr)]:
        try:
            await loop.sendfile(t, disk())
        except Exception as e:
            print(label, "->", type(e).__name__, norm(str(e)))
    wtr.close(); dtr.close(); os.close(r)

    # streams
    got = []
    async def handle(reader, writer):
        got.append(await reader.read())
        writer.write(b"bye")
        writer.close()
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"head")
    n = await loop.sendfile(writer.transport, disk(), 5, 100)
    writer.write(b"tail")
    writer.write_eof()
    print("streams ->", n, await reader.read(), digest(got and got[0] or b""), digest(b"head" + DATA[5:105] + b"tail"))
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
remove_certs()
os.remove(PATH); os.remove(EMPTY); os.rmdir(tmpdir)
