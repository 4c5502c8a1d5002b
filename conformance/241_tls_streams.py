# oracle: 3.13 — TLS streams: verification errors, extra info, EOF, close, start_tls upgrade
import asyncio, ssl

from _tls import msg, show, server_ctx, client_ctx, remove_certs

async def main():
    events = []

    async def handle(reader, writer):
        events.append(("server peercert", writer.get_extra_info("peercert")))
        line = await reader.readline()
        writer.write(line.upper())
        await writer.drain()
        rest = await reader.read()
        events.append(("server rest", rest, reader.at_eof()))
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_ctx())
    port = server.sockets[0].getsockname()[1]

    for label, kw in [
        ("ssl=True", dict(ssl=True)),
        ("default ctx", dict(ssl=ssl.create_default_context())),
        ("wrong hostname", dict(ssl=client_ctx(), server_hostname="wrong.example")),
    ]:
        try:
            await asyncio.open_connection("127.0.0.1", port, **kw)
            print(label, "connected")
        except ssl.SSLCertVerificationError as e:
            print(label, type(e).__name__, "is SSLError:", isinstance(e, ssl.SSLError),
                  "is OSError:", isinstance(e, OSError), "| verify_code:", e.verify_code,
                  "| reason:", e.reason, "| library:", e.library)
            print("  ", msg(e))
            print("   verify_message:", e.verify_message)
        except Exception as e:
            show(label, e)

    # sock= with ssl and no server_hostname
    import socket
    s = socket.create_connection(("127.0.0.1", port))
    try:
        await asyncio.open_connection(sock=s, ssl=client_ctx())
    except Exception as e:
        show("sock without server_hostname", e)
    s.close()

    for label, kw in [
        ("hostname localhost", dict(server_hostname="localhost")),
        ("hostname = host ip", dict()),
        ("hostname '' (no check)", dict(server_hostname="")),
    ]:
        ctx = client_ctx()
        if label.startswith("hostname ''"):
            ctx.check_hostname = False
        r, w = await asyncio.open_connection("127.0.0.1", port, ssl=ctx, **kw)
        cipher = w.get_extra_info("cipher")
        print(label, "| can_write_eof:", w.can_write_eof(),
              "| cipher:", type(cipher).__name__, len(cipher), type(cipher[0]).__name__,
              type(cipher[1]).__name__, type(cipher[2]).__name__,
              "| sslcontext is ctx:", w.get_extra_info("sslcontext") is ctx,
              "| ssl_object:", w.get_extra_info("ssl_object") is not None,
              "| peercert:", bool(w.get_extra_info("peercert")),
              "| compression:", w.get_extra_info("compression"),
              "| socket:", w.get_extra_info("socket") is not None,
              "| peername port ok:", w.get_extra_info("peername")[1] == port)
        try:
            w.write_eof()
            print("  write_eof: ok")
        except Exception as e:
            show("  write_eof:", e)
        w.write(b"hello\n")
        print("  echo:", await r.readline())
        w.write(b"tail")
        w.close()
        print("  is_closing:", w.is_closing())
        await w.wait_closed()
        print("  wait_closed ok; at_eof:", r.at_eof())
        await asyncio.sleep(0.05)
        try:
            w.write(b"x")
            await w.drain()
            print("  write after close: no error")
        except Exception as e:
            show("  write after close:", e)
    for e in events:
        print("  ", e)
    server.close()
    await server.wait_closed()
    print("server closed")

    # server closes first: the client sees EOF
    async def closer(reader, writer):
        writer.write(b"bye")
        writer.close()

    server = await asyncio.start_server(closer, "127.0.0.1", 0, ssl=server_ctx())
    port = server.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port, ssl=client_ctx())
    print("client read:", await r.read(), "| at_eof:", r.at_eof())
    w.close()
    await w.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
remove_certs()
