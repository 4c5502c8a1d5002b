# oracle: 3.13 — StreamWriter.start_tls / loop.start_tls upgrade of a plain connection
import asyncio, ssl

from _tls import msg, server_ctx, client_ctx, remove_certs

async def main():
    loop = asyncio.get_running_loop()
    log = []

    async def handle(reader, writer):
        line = await reader.readline()
        log.append(("server got", line))
        writer.write(b"GO\n")
        await writer.drain()
        try:
            await writer.start_tls(server_ctx())
        except Exception as e:
            log.append(("server start_tls failed", type(e).__name__))
            writer.close()
            return
        log.append(("server upgraded, peercert", writer.get_extra_info("peercert"),
                    "cipher", writer.get_extra_info("cipher") is not None))
        line = await reader.readline()
        writer.write(line.upper())
        await writer.drain()
        log.append(("server rest", await reader.read()))
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    print("before: cipher", w.get_extra_info("cipher"), "| can_write_eof", w.can_write_eof())
    old = w.transport
    w.write(b"STARTTLS\n")
    print("reply:", await r.readline())
    await w.start_tls(client_ctx(), server_hostname="localhost")
    print("after: same transport:", w.transport is old, "| old closing:", old.is_closing(),
          "| cipher:", w.get_extra_info("cipher") is not None, "| can_write_eof", w.can_write_eof(),
          "| peername ok:", w.get_extra_info("peername")[1] == port)
    w.write(b"secret\n")
    print("echo:", await r.readline())
    w.write(b"end")
    w.close()
    await w.wait_closed()
    await asyncio.sleep(0.05)
    for e in log:
        print("  ", e)

    # a wrong certificate during start_tls
    log.clear()
    r, w = await asyncio.open_connection("127.0.0.1", port)
    w.write(b"STARTTLS\n")
    await r.readline()
    try:
        await w.start_tls(ssl.create_default_context(), server_hostname="localhost")
    except Exception as e:
        print("start_tls bad cert:", type(e).__name__, msg(e))
    print("transport closing:", w.transport.is_closing())
    w.close()
    await asyncio.sleep(0.1)
    for e in log:
        print("  ", e)

    # loop.start_tls with protocols
    class P(asyncio.Protocol):
        def __init__(self):
            self.got = []
            self.done = loop.create_future()
        def connection_made(self, t):
            print("P.connection_made")
        def data_received(self, data):
            self.got.append(data)
            if b"\n" in data and not self.done.done():
                self.done.set_result(None)
        def eof_received(self):
            # Not printed: CPython calls it while close() waits for the peer's close_notify,
            # which asyncio-ts does not wait for (docs/differences.md, Networking).
            pass
        def connection_lost(self, exc):
            print("P.connection_lost", exc)

    tr, p = await loop.create_connection(P, "127.0.0.1", port)
    tr.write(b"STARTTLS\n")
    await p.done
    print("plain got:", b"".join(p.got))
    p.got.clear()
    p.done = loop.create_future()
    tls = await loop.start_tls(tr, p, client_ctx(), server_hostname=None)  # no name: no host name check
    print("tls transport is new:", tls is not tr, "| old closing:", tr.is_closing(),
          "| tls.can_write_eof:", tls.can_write_eof(), "| protocol:", tls.get_protocol() is p)
    tls.write(b"proto\n")
    await p.done
    print("tls got:", b"".join(p.got))
    tls.close()
    print("closing:", tls.is_closing())
    await asyncio.sleep(0.1)
    server.close()
    await server.wait_closed()
    print("done")


asyncio.run(main())
remove_certs()
