# oracle: 3.13 — Unix sockets: path in use, too long, missing, stale file, removal on close
import asyncio, os, shutil, socket, tempfile

d = tempfile.mkdtemp()


def show(label, e):
    msg = str(e).replace(d, "<dir>")
    print(label, type(e).__name__, getattr(e, "errno", None), msg)


async def main():
    path = os.path.join(d, "s.sock")

    async def handle(r, w):
        w.write(b"hi\n")
        await w.drain()
        w.close()

    server = await asyncio.start_unix_server(handle, path)
    print("file exists:", os.path.exists(path))
    print("sockname is path:", server.sockets[0].getsockname() == path)
    r, w = await asyncio.open_unix_connection(path)
    print("client peername is path:", w.get_extra_info("peername") == path,
          "| sockname:", repr(w.get_extra_info("sockname")))
    print("read:", await r.read())
    w.close()
    await w.wait_closed()
    # path in use by a listening server
    try:
        server2 = await asyncio.start_unix_server(handle, path)
        print("in use: second server started")
    except Exception as e:
        show("in use:", e)
    server.close()
    await server.wait_closed()
    print("first closed; exists:", os.path.exists(path))
    r, w = await asyncio.open_unix_connection(path)
    print("second serves:", await r.read())
    w.close()
    server2.close()
    await server2.wait_closed()
    print("after close exists:", os.path.exists(path))
    # missing path
    for p in [path, os.path.join(d, "nodir", "x.sock")]:
        try:
            await asyncio.open_unix_connection(p)
        except Exception as e:
            show("missing:", e)
    # stale socket file (bound, not listening): refused, then start_unix_server replaces it
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.close()
    try:
        await asyncio.open_unix_connection(path)
    except Exception as e:
        show("stale:", e)
    server = await asyncio.start_unix_server(handle, path)
    print("replaced stale:", os.path.exists(path))
    server.close()
    await server.wait_closed()
    # a regular file at the path
    open(path, "w").close()
    try:
        await asyncio.start_unix_server(handle, path)
    except Exception as e:
        show("regular file:", e)
    print("regular file kept:", os.path.exists(path))
    os.unlink(path)
    # path too long
    long = os.path.join(d, "x" * 200)
    for label, fn in [("server", lambda: asyncio.start_unix_server(handle, long)),
                      ("connect", lambda: asyncio.open_unix_connection(long))]:
        try:
            await fn()
        except Exception as e:
            show("too long " + label + ":", e)
    # server removed file by hand before close: close does not fail
    server = await asyncio.start_unix_server(handle, path)
    os.unlink(path)
    server.close()
    await server.wait_closed()
    print("close after unlink ok")
    # cleanup_socket=False keeps the file
    server = await asyncio.start_unix_server(handle, path, cleanup_socket=False)
    server.close()
    await server.wait_closed()
    print("cleanup_socket=False kept:", os.path.exists(path))
    # file replaced by another before close: not removed
    server = await asyncio.start_unix_server(handle, path)
    os.unlink(path)
    open(path, "w").close()
    server.close()
    await server.wait_closed()
    print("replaced file kept:", os.path.exists(path))
    os.unlink(path)
    # host/port style args
    try:
        await asyncio.open_unix_connection()
    except Exception as e:
        show("no path:", e)
    try:
        await asyncio.open_unix_connection(path, ssl=None, server_hostname="x")
    except Exception as e:
        show("server_hostname without ssl:", e)


asyncio.run(main())
shutil.rmtree(d)
