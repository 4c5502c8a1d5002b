# oracle: 3.13
"""serve_forever() cancelled, then cancelled again while it waits for its clients in wait_closed(): the second cancellation is the one raised."""
import asyncio
async def main():
    async def handler(r, w):
        await r.read(); w.close()
    srv = await asyncio.start_server(handler, '127.0.0.1', 0)
    t = asyncio.create_task(srv.serve_forever())
    rd, wr = await asyncio.open_connection(*srv.sockets[0].getsockname())
    await asyncio.sleep(0.05)
    t.cancel('first')              # serve_forever now waits in wait_closed() for the client
    await asyncio.sleep(0.05)
    t.cancel('second')             # interrupts that wait_closed()
    try:
        await t
    except asyncio.CancelledError as e:
        print("cancelled with", e.args)
    wr.close()
asyncio.run(main())
