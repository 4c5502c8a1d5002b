# oracle: 3.13 — the socket transport checks writelines() items with memoryview() from 3.12 (3.11 joins them first)
"""StreamWriter argument errors over TCP: write() of str/int/None (TypeError, nothing sent);
writelines() of a str item, of bytes (its items are ints) and of a list whose second item is a
str (memoryview's TypeError, and the good first item is not sent either); empty and memoryview
writes; write_eof(), then abort(): write() after it and drain() (ConnectionResetError),
wait_closed(). The server prints everything it received."""
import asyncio

def show(label, e):
    print(f"{label}: {type(e).__name__}: {e}")

async def main():
    got = []
    async def handler(r, w):
        got.append(await r.read())
        w.close()
    srv = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    for label, fn in [("write(str)", lambda: w.write("text")),
                      ("write(int)", lambda: w.write(5)),
                      ("write(None)", lambda: w.write(None)),
                      ("writelines([str])", lambda: w.writelines(["a"])),
                      ("writelines(b'ab')", lambda: w.writelines(b"ab")),
                      ("writelines([b'ok', str])", lambda: w.writelines([b"ok", "s"])),
                      ("write(b'')", lambda: w.write(b"")),
                      ("write(memoryview)", lambda: w.write(memoryview(b"mv"))),
                      ]:
        try:
            fn()
            print(label, "ok")
        except Exception as e:
            show(label, e)
    print("can_write_eof:", w.can_write_eof(), "buffer size:", w.transport.get_write_buffer_size())
    await w.drain()
    w.write_eof()
    while not got:
        await asyncio.sleep(0.005)
    print("server got:", got)
    w.transport.abort()
    await asyncio.sleep(0)
    print("after abort is_closing:", w.is_closing())
    try:
        w.write(b"x")
        print("write after abort ok")
    except Exception as e:
        show("write after abort", e)
    try:
        await w.drain()
        print("drain after abort ok")
    except Exception as e:
        show("drain after abort", e)
    await w.wait_closed()
    print("wait_closed after abort ok")
    srv.close()
    await srv.wait_closed()

asyncio.run(main())
