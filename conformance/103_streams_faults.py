# oracle: 3.13 — the stream faults of issue 5 against CPython 3.13
"""Faults on real connections (127.0.0.1): a line over the limit (readline's ValueError, the
rest of the stream still readable), a peer that resets mid-read (readexactly, wait_closed and
drain all report ConnectionResetError), a peer that never reads (drain blocks, the buffer stays
near the high-water mark), and readuntil with several separators over the network."""
import asyncio
import socket
import struct


async def main():
    results = asyncio.Queue()

    # 1. A line longer than the limit.
    async def limited(reader, writer):
        try:
            await reader.readline()
        except ValueError as e:
            await results.put(f"readline over limit: {type(e).__name__}: {e}")
        await results.put(f"next line: {await reader.readline()!r}")
        try:
            await reader.readline()
        except ValueError as e:
            await results.put(f"unterminated long line: {type(e).__name__}: {e}")
        await results.put(f"then: {await reader.readline()!r} at_eof={reader.at_eof()}")
        writer.close()

    server = await asyncio.start_server(limited, "127.0.0.1", 0, limit=16)
    port = server.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    w.write(b"x" * 100 + b"\nok\n")
    await w.drain()
    await asyncio.sleep(0.05)
    w.write(b"y" * 100)
    w.write_eof()
    for _ in range(4):
        print(await results.get())
    w.close()
    await w.wait_closed()
    server.close()
    await server.wait_closed()

    # 2. A peer that resets the connection in the middle of a read.
    async def victim(reader, writer):
        try:
            await reader.readexactly(100)
        except ConnectionResetError as e:
            await results.put(f"readexactly: {type(e).__name__} errno={e.errno}")
        try:
            writer.write(b"late")
            await writer.drain()
        except ConnectionResetError as e:
            await results.put(f"write+drain: {type(e).__name__} errno={e.errno}")
        try:
            await writer.wait_closed()
            await results.put("wait_closed: no error")
        except ConnectionResetError as e:
            await results.put(f"wait_closed: {type(e).__name__} errno={e.errno}")
        await results.put(f"is_closing: {writer.is_closing()}")

    server = await asyncio.start_server(victim, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    w.write(b"only ten b")
    await w.drain()
    await asyncio.sleep(0.05)
    sock = w.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    w.transport.abort()
    for _ in range(4):
        print(await results.get())
    server.close()
    await server.wait_closed()

    # 3. A peer that never reads: drain() blocks.
    started = asyncio.Event()
    release = asyncio.Event()

    async def sluggish(reader, writer):
        started.set()
        await release.wait()
        total = len(await reader.read())
        writer.write(str(total).encode())
        writer.close()

    server = await asyncio.start_server(sluggish, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    await started.wait()
    chunk = b"z" * 65536
    sent = 0
    blocked = False
    for _ in range(2000):
        w.write(chunk)
        sent += len(chunk)
        try:
            await asyncio.wait_for(w.drain(), 0.2)
        except TimeoutError:
            blocked = True
            break
    size = w.transport.get_write_buffer_size()
    print("drain blocked:", blocked, "| buffer over high-water:", size > 65536,
          "| within one chunk of it:", size <= 65536 + len(chunk))
    release.set()
    w.write_eof()
    print("peer finally read everything:", int(await r.read()) == sent)
    w.close()
    server.close()
    await server.wait_closed()

    # 4. readuntil with several separators, across chunks.
    async def multi(reader, writer):
        while True:
            try:
                part = await reader.readuntil((b"\r\n", b"\n", b";"))
            except asyncio.IncompleteReadError as e:
                await results.put(f"end: partial={e.partial!r}")
                break
            await results.put(f"part: {part!r}")
        writer.close()

    server = await asyncio.start_server(multi, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    for piece in (b"a;b\r", b"\nc\n", b"tail"):
        w.write(piece)
        await w.drain()
        await asyncio.sleep(0.02)
    w.write_eof()
    while True:
        item = await results.get()
        print(item)
        if item.startswith("end"):
            break
    w.close()
    server.close()
    await server.wait_closed()


asyncio.run(main())
