# oracle: 3.13 — Unix socket paths: a missing directory, a file on the way, the length limit for file paths (107 bytes) and abstract names (108)
import asyncio, logging, os, shutil, tempfile

d = tempfile.mkdtemp()


class Show(logging.Handler):
    def emit(self, record):
        print("logged:", record.getMessage().replace(d, "<d>"))


logging.getLogger("asyncio").addHandler(Show())


def show(label, e):
    print(label, type(e).__name__, getattr(e, "errno", None), str(e).replace(d, "<d>"), repr(getattr(e, "filename", None)))


async def handle(r, w):
    w.write(b"echo:" + await r.read())
    await w.drain()
    w.close()


async def roundtrip(path):
    r, w = await asyncio.open_unix_connection(path)
    w.write(b"hi")
    w.write_eof()
    data = await r.read()
    w.close()
    await w.wait_closed()
    return data


async def try_server(label, path):
    try:
        srv = await asyncio.start_unix_server(handle, path)
    except Exception as e:
        show("server " + label, e)
        return
    print("server " + label, "ok", await roundtrip(path))
    srv.close()
    await srv.wait_closed()


async def try_connect(label, path):
    try:
        await asyncio.open_unix_connection(path)
        print("connect " + label, "connected")
    except Exception as e:
        show("connect " + label, e)


async def main():
    open(os.path.join(d, "afile"), "w").close()
    await try_server("missing dir", os.path.join(d, "nodir", "s.sock"))
    await try_server("missing dirs", os.path.join(d, "a", "b", "s.sock"))
    await try_server("file on the way", os.path.join(d, "afile", "s.sock"))
    await try_connect("missing dir", os.path.join(d, "nodir", "s.sock"))
    await try_connect("file on the way", os.path.join(d, "afile", "s.sock"))
    base = os.path.join(d, "")
    for n in (107, 108, 109):
        p = base + "y" * (n - len(base))
        await try_server(f"path of {n} bytes", p)
        await try_connect(f"path of {n} bytes", p)
    # bytes, not characters: 'é' is two bytes
    p = base + "é" * ((108 - len(base)) // 2)
    p += "z" * (108 - len(p.encode()))
    print("fewer characters", len(p) < 108, "bytes", len(p.encode()))
    await try_server("108 bytes in fewer characters", p)
    for n in (107, 108, 109):
        name = "\0" + "asyncio-ts-253-" + "a" * (n - 16)
        assert len(name) == n
        await try_server(f"abstract name of {n} bytes", name)
        await try_connect(f"abstract name of {n} bytes", name)


asyncio.run(main())
shutil.rmtree(d)
