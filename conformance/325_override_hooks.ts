/**
 * Twin of 325_override_hooks.py: more methods asyncio calls through the object, so that a
 * subclass's (or a replaced) method is the one called, `async` overrides included: a Future
 * subclass's getLoop (await, gather, shield, waitFor, asCompleted; generator and async
 * awaits), the loop's setDebug from its constructor, a policy's _loopFactory (a class or a
 * method), a StreamReaderProtocol's _drainHelper from drain(), a StreamWriter's drain() from
 * startTls(), a server's close() and waitClosed() from a cancelled serveForever(), a process's
 * wait() from communicate().
 */
import * as asyncio from "../src/index.ts";
import { print, pyTuple } from "./_py.ts";

const log: string[] = [];

function flush(label: string): void {
  print(label, log);
  log.length = 0;
}

class F<T> extends asyncio.Future<T> {
  override getLoop() {
    log.push("get_loop");
    return super.getLoop();
  }
}

class L extends asyncio.EventLoop {
  override setDebug(enabled: boolean): void {
    print("set_debug", enabled);
    super.setDebug(enabled);
  }
}

class TlsLoop extends L {
  // @ts-expect-error an `async` override returns a Promise, not the declared coroutine
  override async startTls(transport: asyncio.Transport, ...rest: unknown[]) {
    print("start_tls", Object.keys((rest[2] as object) ?? {}).length);
    return transport;
  }
}

class P extends asyncio.StreamReaderProtocol {
  // @ts-expect-error as above
  override async _drainHelper() {
    print("_drain_helper");
    return await super._drainHelper();
  }
}

class W extends asyncio.StreamWriter {
  // @ts-expect-error as above
  override async drain() {
    print("W.drain");
    return await super.drain();
  }
}

class Tr extends asyncio.Transport {
  override isClosing(): boolean {
    return false;
  }
  override close(): void {}
  override getExtraInfo(_name: string, def: unknown = null): unknown {
    return def;
  }
}

class ClassPolicy extends asyncio.DefaultEventLoopPolicy {
  override _loopFactory = L;
}

// (A JavaScript subclass may define it as a method; TypeScript wants the declared property.)
class MethodPolicy extends asyncio.DefaultEventLoopPolicy {
  override _loopFactory = (): asyncio.AbstractEventLoop => {
    print("MethodPolicy._loop_factory");
    return new L();
  };
}

function* futuresGen(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  let f = new F<number>();
  loop.callSoon(() => f.setResult(1));
  yield* f;
  flush("await");
  f = new F<number>();
  loop.callSoon(() => f.setResult(1));
  yield* asyncio.gather([f]);
  flush("gather");
  f = new F<number>();
  loop.callSoon(() => f.setResult(1));
  yield* asyncio.wait([f]);
  flush("wait");
  f = new F<number>();
  loop.callSoon(() => f.setResult(1));
  yield* asyncio.shield(f);
  flush("shield");
  f = new F<number>();
  loop.callSoon(() => f.setResult(1));
  yield* asyncio.waitFor(f, 1);
  flush("wait_for");
  f = new F<number>();
  loop.callSoon(() => f.setResult(1));
  for (const x of asyncio.asCompleted([f])) yield* x;
  flush("as_completed");
}

async function futuresAsync(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  let f = new F<number>();
  loop.callSoon(() => f.setResult(1));
  await f;
  flush("await");
  f = new F<number>();
  loop.callSoon(() => f.setResult(1));
  await asyncio.gather([f]);
  flush("gather");
  f = new F<number>();
  loop.callSoon(() => f.setResult(1));
  await asyncio.wait([f]);
  flush("wait");
  f = new F<number>();
  loop.callSoon(() => f.setResult(1));
  await asyncio.shield(f);
  flush("shield");
  f = new F<number>();
  loop.callSoon(() => f.setResult(1));
  await asyncio.waitFor(f, 1);
  flush("wait_for");
  f = new F<number>();
  loop.callSoon(() => f.setResult(1));
  for (const x of asyncio.asCompleted([f])) await x;
  flush("as_completed");
}

async function streams(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  let r = new asyncio.StreamReader();
  let p = new P(r) as unknown as asyncio.StreamReaderProtocol;
  const t = new Tr();
  p.connectionMade(t);
  const w = new asyncio.StreamWriter(t, p, r, loop);
  await w.drain();
  print("drained");
  r = new asyncio.StreamReader();
  p = new asyncio.StreamReaderProtocol(r);
  p.connectionMade(t);
  const w2 = new W(t, p, r, loop);
  await w2.startTls({} as never);
  print("start_tls done");
}

async function serving(): Promise<void> {
  const srv = await asyncio.startServer(() => {}, "127.0.0.1", 0);
  const origClose = srv.close.bind(srv);
  const origWaitClosed = srv.waitClosed.bind(srv);
  srv.close = () => {
    print("close");
    origClose();
  };
  // @ts-expect-error as above
  srv.waitClosed = async () => {
    print("wait_closed");
    await origWaitClosed();
  };
  const t = asyncio.createTask(srv.serveForever());
  await asyncio.sleep(0);
  t.cancel();
  try {
    await t;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("serve_forever cancelled");
  }
}

async function process(): Promise<void> {
  const p = await asyncio.createSubprocessExec("echo", "yo", { stdout: asyncio.PIPE });
  const orig = p.wait.bind(p);
  // @ts-expect-error as above
  p.wait = async () => {
    print("Process.wait");
    return await orig();
  };
  print(pyTuple(await p.communicate()));
}

print("--");
new L().close();
print("--");
await asyncio.run(futuresGen());
await asyncio.run(futuresAsync);
await asyncio.run(streams, { loopFactory: () => new TlsLoop() as unknown as asyncio.EventLoop });
await asyncio.run(serving);
await asyncio.run(process);
for (const policy of [new ClassPolicy(), new MethodPolicy()]) {
  asyncio.setEventLoopPolicy(policy);
  const loop = asyncio.newEventLoop();
  print(loop.constructor.name);
  loop.close();
}
asyncio.setEventLoopPolicy(null);
