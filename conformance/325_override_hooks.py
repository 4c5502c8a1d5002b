# oracle: 3.13
"""More methods asyncio calls through the object, so that a subclass's (or a replaced)
method is the one called, async overrides included: a Future subclass's get_loop (await,
gather, shield, wait_for, as_completed), the loop's set_debug from its constructor, a
policy's _loop_factory (a class or a method), a StreamReaderProtocol's _drain_helper from
drain(), a StreamWriter's drain() from start_tls(), a server's close() and wait_closed() from
a cancelled serve_forever(), a process's wait() from communicate()."""
import asyncio

log = []


def flush(label):
    print(label, log)
    log.clear()


class F(asyncio.Future):
    def get_loop(self):
        log.append("get_loop")
        return super().get_loop()


class L(asyncio.EventLoop):
    def set_debug(self, enabled):
        print("set_debug", enabled)
        super().set_debug(enabled)

    async def start_tls(self, transport, protocol, sslcontext, **kw):
        print("start_tls", len(kw))
        return transport


class P(asyncio.StreamReaderProtocol):
    async def _drain_helper(self):
        print("_drain_helper")
        return await super()._drain_helper()


class W(asyncio.StreamWriter):
    async def drain(self):
        print("W.drain")
        return await super().drain()


class Tr(asyncio.Transport):
    def is_closing(self):
        return False

    def close(self):
        pass

    def get_extra_info(self, name, default=None):
        return default


class ClassPolicy(asyncio.DefaultEventLoopPolicy):
    _loop_factory = L


class MethodPolicy(asyncio.DefaultEventLoopPolicy):
    def _loop_factory(self):
        print("MethodPolicy._loop_factory")
        return L()


async def futures():
    loop = asyncio.get_running_loop()
    f = F()
    loop.call_soon(f.set_result, 1)
    await f
    flush("await")
    f = F()
    loop.call_soon(f.set_result, 1)
    await asyncio.gather(f)
    flush("gather")
    f = F()
    loop.call_soon(f.set_result, 1)
    await asyncio.wait([f])
    flush("wait")
    f = F()
    loop.call_soon(f.set_result, 1)
    await asyncio.shield(f)
    flush("shield")
    f = F()
    loop.call_soon(f.set_result, 1)
    await asyncio.wait_for(f, 1)
    flush("wait_for")
    f = F()
    loop.call_soon(f.set_result, 1)
    for x in asyncio.as_completed([f]):
        await x
    flush("as_completed")


async def streams():
    loop = asyncio.get_running_loop()
    r = asyncio.StreamReader()
    p = P(r)
    t = Tr()
    p.connection_made(t)
    w = asyncio.StreamWriter(t, p, r, loop)
    await w.drain()
    print("drained")
    r = asyncio.StreamReader()
    p = asyncio.StreamReaderProtocol(r)
    p.connection_made(t)
    w = W(t, p, r, loop)
    await w.start_tls(object())
    print("start_tls done")


async def serving():
    srv = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    orig_close, orig_wait_closed = srv.close, srv.wait_closed

    def close():
        print("close")
        orig_close()

    async def wait_closed():
        print("wait_closed")
        await orig_wait_closed()

    srv.close = close
    srv.wait_closed = wait_closed
    t = asyncio.create_task(srv.serve_forever())
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("serve_forever cancelled")


async def process():
    p = await asyncio.create_subprocess_exec("echo", "yo", stdout=asyncio.subprocess.PIPE)
    orig = p.wait

    async def wait():
        print("Process.wait")
        return await orig()

    p.wait = wait
    print(await p.communicate())


print("--")
L().close()
print("--")
asyncio.run(futures())
asyncio.run(futures())  # the TypeScript twin: once with generators, once with async functions
asyncio.run(streams(), loop_factory=L)
asyncio.run(serving())
asyncio.run(process())
for policy in (ClassPolicy(), MethodPolicy()):
    asyncio.set_event_loop_policy(policy)
    loop = asyncio.new_event_loop()
    print(type(loop).__name__)
    loop.close()
asyncio.set_event_loop_policy(None)
