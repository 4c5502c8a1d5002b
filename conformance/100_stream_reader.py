# oracle: 3.13 — readuntil() with a tuple of separators and the 3.13 StreamReader
"""StreamReader fed directly (catalogue section 18, items 1-11): read/readline/readuntil/
readexactly, limits, LimitOverrunError/IncompleteReadError, set_exception, concurrent readers,
async iteration, repr. Mirrors test_streams' test_read*, test_readline*, test_readuntil*,
test_readexactly*, test_exception*, test___repr__*."""
import asyncio


def show(label, e):
    print(f"{label}: {type(e).__name__}: {e}")


async def main():
    loop = asyncio.get_running_loop()

    # 1. read()
    r = asyncio.StreamReader()
    print("repr new:", repr(r))
    print("read(0):", await r.read(0))
    r.feed_data(b"abcdef")
    print("read(3):", await r.read(3))
    print("read(100):", await r.read(100))
    loop.call_soon(r.feed_data, b"late")
    print("read(5) waits:", await r.read(5))
    r.feed_data(b"rest")
    r.feed_eof()
    print("at_eof with data:", r.at_eof())
    print("read(-1):", await r.read())
    print("at_eof after:", r.at_eof())
    print("read() at EOF:", await r.read(), await r.read(3))

    # 2. readline()
    r = asyncio.StreamReader()
    r.feed_data(b"line1\nline2\npartial")
    r.feed_eof()
    print("readline:", await r.readline(), await r.readline(), await r.readline(), await r.readline())

    # 3. readline() over the limit
    r = asyncio.StreamReader(limit=7)
    r.feed_data(b"chunk1 chunk2 ")
    r.feed_data(b"chunk3\n")
    try:
        await r.readline()
    except ValueError as e:
        show("readline over limit (sep found)", e)
    print("  buffer after:", len(r._buffer))
    r = asyncio.StreamReader(limit=7)
    r.feed_data(b"1234567\n")
    print("exactly limit + newline:", await r.readline())
    r.feed_data(b"li")
    r.feed_data(b"ne1\nline2\n")
    print("split line:", await r.readline())
    r = asyncio.StreamReader(limit=7)
    r.feed_data(b"0123456789")
    r.feed_eof()
    try:
        await r.readline()
    except ValueError as e:
        show("readline over limit (no sep)", e)
    print("  buffer after:", len(r._buffer))
    r = asyncio.StreamReader(limit=7)
    r.feed_data(b"01234567890\nchunk3\n")
    try:
        await r.readline()
    except ValueError as e:
        show("readline long line", e)
    print("  rest:", await r.readline())

    # 4. limit <= 0
    for lim in (0, -1):
        try:
            asyncio.StreamReader(limit=lim)
        except ValueError as e:
            show(f"StreamReader(limit={lim})", e)

    # 5. readuntil()
    r = asyncio.StreamReader()
    try:
        await r.readuntil(b"")
    except ValueError as e:
        show("readuntil(b'')", e)
    try:
        await r.readuntil(())
    except ValueError as e:
        show("readuntil(())", e)
    r.feed_data(b"lineAAA")
    loop.call_soon(r.feed_data, b"xxxAAA")
    print("readuntil across chunks:", await r.readuntil(b"AAA"))
    print("remainder:", await r.readuntil(b"AAA"))
    r.feed_data(b"one\r\ntwo\nthree\r\n")
    print("readuntil tuple:", await r.readuntil((b"\r\n", b"\n")), await r.readuntil((b"\n", b"\r\n")))
    r.feed_data(b"abcXYZdefXY")
    print("readuntil tuple shortest match:", await r.readuntil((b"XYZdef", b"Z")))

    # 6. readuntil at EOF
    r = asyncio.StreamReader()
    r.feed_data(b"some dataAA")
    r.feed_eof()
    try:
        await r.readuntil(b"AAA")
    except asyncio.IncompleteReadError as e:
        show("readuntil EOF", e)
        print("  partial:", e.partial, "expected:", e.expected, "| buffer:", len(r._buffer))

    # 7. readuntil limit
    r = asyncio.StreamReader(limit=3)
    r.feed_data(b"some dataAA")
    try:
        await r.readuntil(b"AAA")
    except asyncio.LimitOverrunError as e:
        show("readuntil limit (no sep)", e)
        print("  consumed:", e.consumed, "| buffer kept:", bytes(r._buffer))
    r = asyncio.StreamReader(limit=3)
    r.feed_data(b"some dataAAA")
    try:
        await r.readuntil(b"AAA")
    except asyncio.LimitOverrunError as e:
        show("readuntil limit (sep found)", e)
        print("  consumed:", e.consumed, "| buffer kept:", bytes(r._buffer))
    r = asyncio.StreamReader(limit=3)
    r.feed_data(b"abcAAA")
    print("readuntil exactly at limit:", await r.readuntil(b"AAA"))

    # 8. readexactly
    r = asyncio.StreamReader(limit=2)
    print("readexactly(0):", await r.readexactly(0))
    try:
        await r.readexactly(-1)
    except ValueError as e:
        show("readexactly(-1)", e)
    data = b"chunk" * 4
    loop.call_soon(r.feed_data, data)
    loop.call_soon(r.feed_data, data)
    print("readexactly ignores limit:", await r.readexactly(30))
    loop.call_soon(r.feed_data, b"x" * 8)
    loop.call_soon(r.feed_eof)
    try:
        await r.readexactly(36)
    except asyncio.IncompleteReadError as e:
        show("readexactly EOF", e)
        print("  partial:", e.partial, "expected:", e.expected)
    print("IncompleteReadError is EOFError:", issubclass(asyncio.IncompleteReadError, EOFError))
    print("LimitOverrunError is Exception:", issubclass(asyncio.LimitOverrunError, Exception))

    # 9. set_exception
    r = asyncio.StreamReader()
    exc = ValueError("boom")
    r.feed_data(b"data\n")
    r.set_exception(exc)
    print("exception():", repr(r.exception()))
    for name in ("read", "readline", "readuntil", "readexactly"):
        try:
            meth = getattr(r, name)
            await (meth(1) if name in ("read", "readexactly") else meth())
        except ValueError as e:
            print(f"  {name} raises the same object:", e is exc)
    r = asyncio.StreamReader()
    t = asyncio.create_task(r.readline())
    await asyncio.sleep(0)
    r.set_exception(RuntimeError("wake"))
    try:
        await t
    except RuntimeError as e:
        show("waiting reader woken with", e)

    # 10. two readers
    r = asyncio.StreamReader()
    t1 = asyncio.create_task(r.read(1))
    await asyncio.sleep(0)
    for name in ("read", "readline", "readexactly", "readuntil"):
        try:
            meth = getattr(r, name)
            await (meth(1) if name in ("read", "readexactly") else meth())
        except RuntimeError as e:
            show(f"second {name}", e)
    r.feed_data(b"z")
    print("first reader got:", await t1)

    # 11. async iteration and repr
    r = asyncio.StreamReader()
    r.feed_data(b"a\nbb\nccc")
    r.feed_eof()
    print("lines:", [line async for line in r])
    r = asyncio.StreamReader()
    r.feed_data(b"data")
    r.feed_eof()
    print("repr:", repr(r))
    print("repr limit:", repr(asyncio.StreamReader(limit=123)))
    r = asyncio.StreamReader()
    r.set_exception(ValueError())
    print("repr exception:", repr(r))
    try:
        r = asyncio.StreamReader()
        r.feed_eof()
        r.feed_data(b"x")
    except AssertionError as e:
        show("feed_data after feed_eof", e)


asyncio.run(main())
