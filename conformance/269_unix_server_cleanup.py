# oracle: 3.13
"""Unix servers keep or remove their socket file as CPython 3.13 does (cleanup_socket, sock=,
a path replaced or moved), create_server(sock=) never removes it, and bad paths fail as there."""
import asyncio, os, socket, tempfile, shutil

d = tempfile.mkdtemp()

def ex(p):
    return os.path.exists(p)

def kind(p):
    import stat
    try:
        m = os.lstat(p).st_mode
    except FileNotFoundError:
        return "missing"
    return "sock" if stat.S_ISSOCK(m) else "link" if stat.S_ISLNK(m) else "dir" if stat.S_ISDIR(m) else "file"

def listening(p):
    s = socket.socket(socket.AF_UNIX)
    s.bind(p)
    s.listen()
    return s

async def serve(r, w):
    w.close()

async def main():
    addr = os.path.join(d, "a.sock")
    srv = await asyncio.start_unix_server(serve, addr)
    srv.close()
    print("default: exists right after close", ex(addr))
    await srv.wait_closed()

    # already bound (listening) socket given as sock
    sock = listening(addr)
    srv = await asyncio.start_unix_server(serve, sock=sock)
    print("sock=: sockname is addr", srv.sockets[0].getsockname() == addr)
    srv.close()
    print("sock=: exists after close", ex(addr))
    await srv.wait_closed()

    sock = listening(addr)
    srv = await asyncio.start_unix_server(serve, sock=sock, cleanup_socket=False)
    srv.close()
    print("sock= cleanup_socket=False: exists after close", ex(addr), kind(addr))
    await srv.wait_closed()
    os.unlink(addr)

    sock = listening(addr)
    srv = await asyncio.start_unix_server(serve, sock=sock)
    os.unlink(addr)
    srv.close()
    print("sock= gone: ok", ex(addr))
    await srv.wait_closed()

    sock = listening(addr)
    srv = await asyncio.start_unix_server(serve, sock=sock)
    os.unlink(addr)
    open(addr, "w").close()
    srv.close()
    print("sock= replaced by file: kind", kind(addr))
    await srv.wait_closed()
    os.unlink(addr)

    # path given, replaced by another listening socket
    srv = await asyncio.start_unix_server(serve, addr)
    os.unlink(addr)
    other = listening(addr)
    srv.close()
    print("replaced by socket: kind", kind(addr))
    await srv.wait_closed()
    # the other one still works
    r, w = await asyncio.open_unix_connection(addr)
    print("other still connectable")
    w.close()
    other.close()
    os.unlink(addr)

    # path given, replaced by a directory
    srv = await asyncio.start_unix_server(serve, addr)
    os.unlink(addr)
    os.mkdir(addr)
    srv.close()
    print("replaced by dir: kind", kind(addr))
    await srv.wait_closed()
    os.rmdir(addr)

    # cleanup_socket=False then a new server on the same path (stale socket removed)
    srv = await asyncio.start_unix_server(serve, addr, cleanup_socket=False)
    srv.close()
    await srv.wait_closed()
    print("kept:", kind(addr))
    srv = await asyncio.start_unix_server(serve, addr)
    print("restarted on kept socket file", kind(addr))
    srv.close()
    await srv.wait_closed()
    print("after:", kind(addr))

    # renamed away: the server's file is now elsewhere
    srv = await asyncio.start_unix_server(serve, addr)
    moved = os.path.join(d, "moved.sock")
    os.rename(addr, moved)
    srv.close()
    print("renamed: moved kind", kind(moved), "addr", kind(addr))
    await srv.wait_closed()
    if ex(moved):
        os.unlink(moved)

    # a hard link to the socket at the path
    srv = await asyncio.start_unix_server(serve, addr)
    link = os.path.join(d, "hard.sock")
    os.link(addr, link)
    srv.close()
    print("hard link: addr", kind(addr), "link", kind(link))
    await srv.wait_closed()
    if ex(link):
        os.unlink(link)

    # bytes path
    baddr = os.fsencode(os.path.join(d, "b.sock"))
    srv = await asyncio.start_unix_server(serve, baddr)
    print("bytes path: sockname", type(srv.sockets[0].getsockname()).__name__, srv.sockets[0].getsockname() == os.fsdecode(baddr))
    srv.close()
    print("bytes path exists after close", ex(baddr))
    await srv.wait_closed()

    # create_server(sock=) never removes the file
    s = listening(addr)
    srv = await asyncio.start_server(serve, sock=s)
    srv.close()
    print("start_server(sock=unix): after close", kind(addr))
    await srv.wait_closed()
    os.unlink(addr)

    # bad paths
    for p in [os.path.join(d, "a\0b"), os.path.join(d, "t.sock") + "/", os.path.join(d, "no", "x.sock"), ""]:
        try:
            srv = await asyncio.start_unix_server(serve, p)
            print("served on", repr(p))
            srv.close()
        except OSError as e:
            print("bad path", repr(p.replace(d, "<d>")), type(e).__name__, e.errno, e.strerror)
        except Exception as e:
            print("bad path", repr(p.replace(d, "<d>")), type(e).__name__, e)
    try:
        await asyncio.open_unix_connection("")
    except OSError as e:
        print("connect to '':", type(e).__name__, e.errno, e.strerror)

asyncio.run(main())
shutil.rmtree(d)
