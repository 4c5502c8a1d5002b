# oracle: 3.13
"""readuntil() separators that are not bytes (errors and when they come), feed_data() of what is not bytes."""
import asyncio

def show(label, e):
    print(f"{label}: {type(e).__name__}: {e}")

async def main():
    loop = asyncio.get_running_loop()
    cases = [("readuntil(str)", "\r\n"), ("readuntil(str1)", "x"), ("readuntil(empty str)", ""),
             ("readuntil(int)", 5), ("readuntil(None)", None), ("readuntil([b'a', str])", (b"a", "b")),
             ("readuntil([])", ()), ("readuntil([b''])", (b"",)), ("readuntil(b'')", b""),
             ("readuntil([b'', b'x'])", (b"", b"x")), ("readuntil(bytearray)", bytearray(b"c")),
             ("readuntil(memoryview)", memoryview(b"c")), ("readuntil((bytearray,))", (bytearray(b"c"),))]
    for label, sep in cases:
        # with data buffered
        r = asyncio.StreamReader()
        r.feed_data(b"abc\r\nxyz")
        try:
            print(label, "buffered ->", await r.readuntil(sep))
        except Exception as e:
            show(label + " buffered", e)
        # with an empty buffer: when is the error raised?
        r = asyncio.StreamReader()
        t = asyncio.create_task(r.readuntil(sep))
        await asyncio.sleep(0)
        print(label, "empty: done after one step", t.done())
        if not t.done():
            r.feed_data(b"q")
            await asyncio.sleep(0)
            print(label, "  after feed: done", t.done())
            if not t.done():
                r.feed_eof()
        try:
            print(label, "empty ->", await t)
        except Exception as e:
            show(label + " empty", e)
    r = asyncio.StreamReader()
    for label, data in [("feed_data(str)", "abc"), ("feed_data(empty str)", ""), ("feed_data(int)", 3), ("feed_data(None)", None), ("feed_data(list)", [65, 66])]:
        try:
            r.feed_data(data)
            print(label, "ok", bytes(r._buffer))
        except Exception as e:
            show(label, e)
    for label, n in [("readexactly(-1)", -1), ("read(-2)", -2)]:
        r = asyncio.StreamReader(); r.feed_data(b"12"); r.feed_eof()
        try:
            print(label, await (r.readexactly(n) if "exactly" in label else r.read(n)))
        except Exception as e:
            show(label, e)
    for lim in [0, -1]:
        try:
            asyncio.StreamReader(limit=lim)
        except Exception as e:
            show(f"StreamReader(limit={lim})", e)
    try:
        await asyncio.open_connection("127.0.0.1", 1, limit=0)
    except Exception as e:
        show("open_connection(limit=0)", e)
    try:
        await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0, limit=0)
    except Exception as e:
        show("start_server(limit=0)", e)
    srv = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0, limit=-5)
    print("start_server(limit=-5) accepted", srv.is_serving())
    port = srv.sockets[0].getsockname()[1]
    srv.close(); await srv.wait_closed()

asyncio.run(main())
