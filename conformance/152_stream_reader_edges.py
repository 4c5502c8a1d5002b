# oracle: 3.13 — readuntil() takes a tuple of separators from 3.13
"""StreamReader edges: IncompleteReadError and LimitOverrunError args/str/repr (LimitOverrunError
keeps `consumed` out of args); a stored exception beats buffered data for every read method;
readuntil() with a tuple over the limit; the limit is checked before EOF; reads at EOF; a waiting
readexactly() woken by feed_eof(); readline() with a line straddling feeds, and over the limit
while waiting (buffer cleared); a multi-byte separator completing at the limit; read(-5); async
iteration; feed_eof() twice; readexactly() beyond the limit fed in parts."""
import asyncio

def show(label, e):
    print(f"{label}: {type(e).__name__}: {e} | args={list(e.args)!r}")

async def main():
    e = asyncio.IncompleteReadError(b"ab", 5)
    show("IncompleteReadError(b'ab', 5)", e); print("  repr:", repr(e), e.partial, e.expected)
    e = asyncio.IncompleteReadError(b"", None)
    show("IncompleteReadError(b'', None)", e); print("  repr:", repr(e))
    e = asyncio.LimitOverrunError("msg", 7)
    show("LimitOverrunError('msg', 7)", e); print("  repr:", repr(e), e.consumed)
    r = asyncio.StreamReader(limit=5)
    r.feed_data(b"")
    print("feed empty:", repr(r))
    r.feed_data(b"abc")
    r.set_exception(ValueError("x"))
    for name, coro in [("read", r.read(1)), ("read0", r.read(0)), ("readexactly0", r.readexactly(0)), ("readline", r.readline())]:
        try:
            print(name, await coro)
        except Exception as ex:
            show(name, ex)
    print("repr with exc:", repr(r))
    r = asyncio.StreamReader(limit=4)
    r.feed_data(b"abcdefgh")
    try:
        await r.readuntil((b"x", b"y"))
    except Exception as ex:
        show("readuntil tuple no sep over limit", ex); print("  consumed", ex.consumed, "buffer", len(r._buffer))
    try:
        await r.readuntil((b"fg", b"h"))
    except Exception as ex:
        show("readuntil tuple sep over limit", ex); print("  consumed", ex.consumed)
    r.feed_eof()
    try:
        await r.readuntil(b"z")
    except Exception as ex:
        show("readuntil eof", ex); print("  ", getattr(ex, "partial", None), getattr(ex, "expected", None), getattr(ex, "consumed", None))
    print("at_eof", r.at_eof(), "read(5)", await r.read(5), "readline", await r.readline(), "readexactly(0)", await r.readexactly(0))
    try:
        await r.readexactly(1)
    except Exception as ex:
        show("readexactly(1) at eof", ex)
    # waiting readexactly woken by feed_eof
    r = asyncio.StreamReader()
    async def rx():
        try:
            return await r.readexactly(5)
        except Exception as ex:
            show("waiting readexactly", ex)
    t = asyncio.create_task(rx())
    await asyncio.sleep(0)
    r.feed_data(b"12")
    await asyncio.sleep(0)
    r.feed_eof()
    await t
    # readline with limit where separator straddles
    r = asyncio.StreamReader(limit=3)
    r.feed_data(b"ab")
    t = asyncio.create_task(r.readline())
    await asyncio.sleep(0)
    r.feed_data(b"c\nrest")
    print("readline straddle:", await t)
    r.feed_data(b"defgh")
    t = asyncio.create_task(r.readline())
    await asyncio.sleep(0)
    try:
        await t
    except Exception as ex:
        show("readline limit while waiting", ex)
    print("buffer after:", bytes(r._buffer))
    # readuntil multi-byte separator across feeds and limit accounting
    r = asyncio.StreamReader(limit=4)
    r.feed_data(b"abcd")
    t = asyncio.create_task(r.readuntil(b"XY"))
    await asyncio.sleep(0)
    r.feed_data(b"X")
    await asyncio.sleep(0)
    print("waiting with abcdX:", t.done())
    r.feed_data(b"Y")
    try:
        print("readuntil abcdXY limit 4:", await t)
    except Exception as ex:
        show("readuntil abcdXY limit 4", ex); print("  consumed", ex.consumed)
    # read(n) negative
    r = asyncio.StreamReader()
    r.feed_data(b"12345")
    r.feed_eof()
    print("read(-5):", await r.read(-5))
    # async iteration stops at b''
    r = asyncio.StreamReader()
    r.feed_data(b"x\ny")
    r.feed_eof()
    print("aiter:", [l async for l in r])
    # exception() / set_exception(None)?
    r = asyncio.StreamReader()
    print("exception():", r.exception())
    # feed_eof twice
    r.feed_eof(); r.feed_eof()
    print("feed_eof twice:", repr(r))
    # readexactly larger than the limit, data fed in parts
    r = asyncio.StreamReader(limit=2)
    t = asyncio.create_task(r.readexactly(6))
    for part in (b"ab", b"cd", b"efg"):
        await asyncio.sleep(0)
        r.feed_data(part)
    print("readexactly over limit:", await t, "left", bytes(r._buffer))

asyncio.run(main())
