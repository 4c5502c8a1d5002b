/**
 * Compile-time checks of the public types, run by test/types.test.ts with the plain ES2022 lib
 * of tsconfig.json here (many projects have no ESNext lib; there a Future's iterator methods
 * once made TypeScript infer `unknown` for bodies that return a Future) and by `npm run
 * typecheck` with the project's lib. `is<T>()` fails to compile unless the value's type is
 * exactly T (any and unknown included). Nothing here runs.
 */
import * as cf from "../../src/concurrent.ts";
import * as asyncio from "../../src/index.ts";

type Eq<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
function expect<V>(_v: V) {
  return {
    is<T>(..._ok: Eq<V, T> extends true ? [] : [actual: V, "!==", expected: T]): void {},
  };
}

function* num(): asyncio.Coroutine<number> {
  yield* asyncio.sleep(0);
  return 1;
}
const str = async (): Promise<string> => "s";

export async function bodiesReturningFutures(): Promise<void> {
  expect(await asyncio.run(() => asyncio.gather([num(), asyncio.sleep(0, "s")]))).is<
    [number, string]
  >();
  await asyncio.run(function* () {
    const t = asyncio.createTask(num());
    expect(t).is<asyncio.Task<number>>();
    expect(asyncio.ensureFuture(t)).is<asyncio.Task<number>>();
    expect(asyncio.ensureFuture(num())).is<asyncio.Task<number>>();
    expect(asyncio.ensureFuture(Promise.resolve("p"))).is<asyncio.Future<string>>();
    expect(asyncio.createTask(() => asyncio.gather([num()]))).is<asyncio.Task<[number]>>();
    expect(new asyncio.Task(() => asyncio.shield(t))).is<asyncio.Task<number>>();
    expect(asyncio.createTask(str)).is<asyncio.Task<string>>();
    const g = yield* new asyncio.TaskGroup().run(() => asyncio.gather([num()]));
    expect(g).is<[number]>();
    expect(yield* asyncio.timeout(1, () => t)).is<number>();
    expect(yield* t).is<number>();
  });
  const loop = asyncio.newEventLoop();
  expect(await loop.runUntilComplete(loop.createTask(num()))).is<number>();
  loop.close();
}

export function* iterablesAndCallbacks(): asyncio.Coroutine<void> {
  const t = asyncio.createTask(num());
  for (const next of asyncio.asCompleted(new Set([t]))) expect(yield* next).is<number>();
  for (const next of asyncio.asCompleted([t, str])) expect(yield* next).is<number | string>();
  const background = new Set<asyncio.Task<number>>();
  background.add(t);
  t.addDoneCallback((done) => {
    expect(done).is<asyncio.Task<number>>();
    background.delete(done);
  });
}

export async function asCompletedYieldsTheFutures(): Promise<void> {
  const t = asyncio.createTask(num());
  const fut = new asyncio.Future<boolean>();
  // for await gives the Tasks/Futures themselves (not their results), a Task for a coroutine
  // or a function, a Future for a promise
  for await (const f of asyncio.asCompleted([t, fut])) {
    expect(f).is<asyncio.Task<number> | asyncio.Future<boolean>>();
  }
  for await (const f of asyncio.asCompleted([num(), str, Promise.resolve(1n)])) {
    expect(f).is<asyncio.Task<number> | asyncio.Task<string> | asyncio.Future<bigint>>();
  }
  const it = asyncio.asCompleted(new Set([t]));
  const r = await it.anext();
  if (!r.done) expect(r.value).is<asyncio.Task<number>>();
}

export async function waitRefusesCoroutines(): Promise<void> {
  const t = asyncio.createTask(num());
  const [done] = await asyncio.wait([t, Promise.resolve("p")]);
  expect(done).is<Set<asyncio.Task<number> | asyncio.Future<string>>>();
  // @ts-expect-error a coroutine is refused (TypeError at run time too): make it a task
  await asyncio.wait([asyncio.sleep(0, 1)]);
}

export async function bodiesAndIterables(tasks: asyncio.Task<number>[]): Promise<void> {
  // A plain function is a body too (it runs as code of the calling task).
  expect(await asyncio.timeout(1, () => 5)).is<number>();
  expect(
    await asyncio.timeout(1, function* () {
      yield* asyncio.sleep(0);
      return "s";
    }),
  ).is<string>();
  expect(await new asyncio.TaskGroup().run(async () => true)).is<boolean>();
  // (a returned awaitable is awaited, as an async function's would be)
  expect(
    await new asyncio.TaskGroup().run((tg) => tg.createTask(asyncio.sleep(0, 1))),
  ).is<number>();
  // @ts-expect-error an array is iterable but not awaitable (gather(tasks) was meant)
  await asyncio.gather([tasks]);
  // @ts-expect-error nor is a string
  asyncio.ensureFuture("abc");
  // Python's Any: an address destructures without a cast.
  const [reader, writer] = await asyncio.openConnection("127.0.0.1", 1);
  const [host, port] = writer.getExtraInfo("peername");
  expect(reader).is<asyncio.StreamReader>();
  void host;
  void port;
  // A signal handler's arguments are checked against it.
  const loop = asyncio.getRunningLoop();
  loop.addSignalHandler("SIGUSR2", (n: number) => n, 1);
  // @ts-expect-error a string for a number
  loop.addSignalHandler("SIGUSR2", (n: number) => n, "x");
}

export function exceptionGroups(e: unknown): void {
  if (!(e instanceof asyncio.ExceptionGroup)) return;
  const [values, rest] = e.split(asyncio.ValueError);
  expect(values).is<asyncio.BaseExceptionGroup<asyncio.ValueError> | null>();
  if (values !== null) {
    for (const v of values.exceptions) expect(v.message).is<string>();
  }
  expect(rest?.message).is<string | undefined>();
  const g = new asyncio.ExceptionGroup("two", [
    new asyncio.ValueError("a"),
    new asyncio.ValueError("b"),
  ]);
  expect(g.exceptions).is<
    readonly (asyncio.ValueError | asyncio.BaseExceptionGroup<asyncio.ValueError>)[]
  >();
  expect(g.subgroup(TypeError)).is<asyncio.BaseExceptionGroup<TypeError> | null>();
}

export async function concurrentFutures(pool: cf.ThreadPoolExecutor): Promise<void> {
  const square = cf.workerFunction<(x: number) => number>(import.meta.url, "square");
  const concat = cf.workerFunction<(a: string, b: number) => string>(import.meta.url, "concat");
  const mixed = [pool.submit(square, 2), pool.submit(concat, "m", 1)];
  const [done] = await cf.wait(mixed);
  for (const f of done) expect(f.result()).is<number | string>();
  for await (const f of cf.asCompleted(mixed)) expect(f.result()).is<number | string>();
}

export async function serverAddresses(): Promise<void> {
  // a server started on port 0 is found through getsockname(), as in Python
  const server = await asyncio.startServer(() => {}, "127.0.0.1", 0);
  const port: number = server.sockets[0]!.getsockname()[1];
  const [host, p] = server.sockets[0]!.getsockname();
  await asyncio.openConnection(host, p);
  await asyncio.openConnection("127.0.0.1", port);
}

export function exceptionHandlerContext(loop: asyncio.AbstractEventLoop): void {
  loop.setExceptionHandler((_loop, context) => {
    const message: string = context.message;
    expect(context.exception).is<unknown>();
    expect(context.task).is<asyncio.Future<unknown> | asyncio.CollectedFuture | undefined>();
    console.log(message, context.custom);
  });
  loop.callExceptionHandler({ message: "m", custom: 1 });
  loop.callSoon((n: number, s: string) => n.toFixed() + s, 1, "a");
  // @ts-expect-error the arguments are checked against the callback's parameters
  loop.callSoon((n: number) => n.toFixed(), "not a number");
  // @ts-expect-error a missing argument too
  loop.callLater(1, (n: number) => n);
  const port: import("node:worker_threads").MessagePort = loop.threadsafePort();
  port.close();
}

export function typedPredicatesAndProtocols(e: asyncio.ExceptionGroup<Error>): void {
  // an arrow predicate gets its parameter's type (no implicit any under --strict)
  // (TypeScript 5.5+ infers `x is RuntimeError` from the arrow itself)
  expect(
    e.subgroup((x) => x instanceof asyncio.RuntimeError),
  ).is<asyncio.BaseExceptionGroup<asyncio.RuntimeError> | null>();
  expect(e.subgroup((x) => String(x).includes("a"))).is<asyncio.BaseExceptionGroup<Error> | null>();
  const [runtime] = e.split((x): x is asyncio.RuntimeError => x instanceof asyncio.RuntimeError);
  expect(runtime).is<asyncio.BaseExceptionGroup<asyncio.RuntimeError> | null>();
  class Buffered extends asyncio.BufferedProtocol {
    override bufferUpdated(_n: number): void {}
  }
  void asyncio.getRunningLoop().createConnection(() => new Buffered(), "127.0.0.1", 1);
  class MyTask extends asyncio.Task {}
  asyncio.getRunningLoop().setTaskFactory(asyncio.createEagerTaskFactory(MyTask));
}

export function join(a: string, b: number, sep = "-"): string {
  return `${a}${sep}${b}`;
}
export function mapOptionsAfterRequiredIterables(pool: cf.ThreadPoolExecutor): void {
  // Python's executor.map(join, xs, ys, timeout=5): the optional parameter's iterable omitted
  expect(pool.map(join, ["x", "y"], [1, 2], { timeout: 5 })).is<
    AsyncGenerator<string, void, undefined>
  >();
  expect(pool.map(join, ["x"], [1], ["+"])).is<AsyncGenerator<string, void, undefined>>();
}

export async function objectLiteralProtocols(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  // a protocol written as an object literal gets the transport of its kind
  await loop.createConnection(
    () => ({
      connectionMade(tr) {
        expect(tr).is<asyncio.Transport>();
        tr.write(Buffer.from("x"));
      },
    }),
    "127.0.0.1",
    1,
  );
  await loop.createDatagramEndpoint(() => ({
    connectionMade(tr) {
      expect(tr).is<asyncio.DatagramTransport>();
    },
  }));
  await loop.subprocessExec(
    () => ({
      connectionMade(tr) {
        expect(tr).is<asyncio.SubprocessTransport>();
      },
    }),
    "true",
  );
  try {
    await new asyncio.TaskGroup().run(async () => {});
  } catch (e) {
    if (e instanceof asyncio.ExceptionGroup) {
      expect(e).is<asyncio.ExceptionGroup<unknown>>();
      expect(e.exceptions).is<readonly unknown[]>();
    }
    if (e instanceof asyncio.BaseExceptionGroup) {
      expect(e).is<asyncio.BaseExceptionGroup<unknown>>();
    }
    // A subclass of one's own narrows to itself.
    class MyGroup extends asyncio.ExceptionGroup<Error> {
      extra = 1;
    }
    if (e instanceof MyGroup) {
      expect(e).is<MyGroup>();
      expect(e.extra).is<number>();
    }
  }
}

export async function sendfileTypes(tr: asyncio.Transport): Promise<void> {
  const loop = asyncio.getRunningLoop();
  const { open } = await import("node:fs/promises");
  const fh = await open("/dev/null");
  expect(await loop.sendfile(tr, fh)).is<number>();
  expect(await loop.sendfile(tr, 3, 0, 10)).is<number>();
  expect(
    await loop.sendfile(tr, { readinto: (b: Uint8Array) => b.length }, { fallback: false }),
  ).is<number>();
  await asyncio.run(function* () {
    expect(yield* loop.sendfile(tr, fh, 5, null, { fallback: true })).is<number>();
  });
  // @ts-expect-error a string is not a file
  await loop.sendfile(tr, "path");
}
