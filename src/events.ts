/**
 * Event loop interfaces, handles and the policy (Python's `asyncio.events`).
 *
 * A "thread" here is a Node.js thread: the main thread or a `worker_threads` Worker. Module
 * state is per thread because every Worker has its own module instances.
 */
import type * as net from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isMainThread, type MessagePort, threadId } from "node:worker_threads";
import type {
  BaseSubprocessTransport,
  ReadPipeTransport,
  SubprocessOptions,
  WritePipeTransport,
} from "./base_subprocess.ts";
import type { Executor } from "./concurrent/_base.ts";
import type { AnyFunction, WorkerFunction } from "./concurrent/_function.ts";
import type { ThreadPoolExecutor } from "./concurrent/thread.ts";
import { _currentContext, _ownContext, type Context } from "./contextvars.ts";
import { type AwaitableCoroutine, isThenable } from "./coroutines.ts";
import type { DatagramEndpointOptions, DatagramSocketTransport } from "./datagram.ts";
import { _usableThrown, isExitException, NotImplementedError, RuntimeError } from "./exceptions.ts";
import {
  className,
  customRepr,
  functionName,
  isLibraryMethod,
  keepClassNames,
  libraryClasses,
  pyRepr,
  pyTypeName,
  reprlibRepr,
} from "./format.ts";
import type { CollectedFuture, Future } from "./futures.ts";
import type {
  ConnectAcceptedSocketOptions,
  CreateConnectionOptions,
  CreateServerOptions,
  CreateUnixConnectionOptions,
  CreateUnixServerOptions,
  Server,
  SocketTransport,
  StartTlsOptions,
} from "./net_transports.ts";
import type { ReadPipe, WritePipe } from "./pipes.ts";
import type {
  Address,
  AnyProtocol,
  DatagramProtocolLike,
  ReadPipeProtocolLike,
  StreamProtocolLike,
  SubprocessProtocolLike,
  WritePipeProtocolLike,
} from "./protocols.ts";
import type { SendfileFile, SendfileOptions } from "./sendfile.ts";
import type { AddrInfo, GetaddrinfoOptions } from "./socket.ts";
import type { SSLContext } from "./ssl.ts";
import type { FutureLike, Task, TaskBody } from "./tasks.ts";

// biome-ignore lint/suspicious/noExplicitAny: callbacks take arbitrary arguments, as in Python
export type Callback = (...args: any[]) => unknown;

/**
 * @internal Marks a callback that stands for a bound method of its first argument: reprs do not
 * show that argument (it is the method's `self`). A number hides that many leading arguments
 * (a callback standing for a method CPython calls with none).
 */
export const BOUND_SELF = Symbol("asyncio-ts.boundSelf");

/**
 * @internal A callback standing for CPython's bound method `pyName` of the object that is its
 * first argument: reprs and "Exception in callback ..." messages show `pyName(...other args)`.
 */
export function _boundMethod<A extends unknown[]>(
  pyName: string,
  fn: (...args: A) => unknown,
): (...args: A) => unknown {
  return Object.assign(fn, { [customRepr]: () => pyName, [BOUND_SELF]: true });
}

/** `name(args)` as CPython's `format_helpers._format_callback` (args only in debug mode). */
export function formatCallback(cb: Callback, args: readonly unknown[], debug: boolean): string {
  // A null callback is shown as CPython shows None (and must not fail the loop's report).
  const named =
    cb === null || cb === undefined
      ? undefined
      : (cb as { [customRepr]?: (args: readonly unknown[]) => string })[customRepr];
  let name =
    typeof named === "function"
      ? named.call(cb, args)
      : typeof cb === "function"
        ? functionName(cb) || "<callback>"
        : pyRepr(cb);
  if (name.startsWith("bound ")) name = name.slice(6);
  if (!debug) return `${name}()`;
  const bound = (cb as { [BOUND_SELF]?: boolean | number })[BOUND_SELF];
  const shown =
    bound === true ? args.slice(1) : typeof bound === "number" ? args.slice(bound) : args;
  return `${name}(${shown.map((a) => reprlibRepr(a)).join(", ")})`;
}

/**
 * A `TypeError` thrown by a library method scheduled without its object
 * (`loop.callSoon(fut.setResult, 5)`, where Python's `fut.set_result` is a bound method) gets a
 * note saying so.
 */
function explainUnbound(exc: unknown, cb: unknown): void {
  if (
    !(exc instanceof TypeError) ||
    !/^Cannot (read|set) properties of undefined/.test(exc.message)
  ) {
    return;
  }
  if (!isLibraryMethod(cb)) return;
  const name = (cb as { name: string }).name;
  const note =
    ` (${name}() was called without its object: JavaScript does not bind a method taken off ` +
    `its object, as Python does; pass () => obj.${name}(...) or obj.${name}.bind(obj))`;
  const stack = exc.stack;
  const first = `${exc.name}: ${exc.message}`;
  exc.message += note;
  if (typeof stack === "string" && stack.startsWith(first)) {
    exc.stack = `${first}${note}${stack.slice(first.length)}`;
  }
}

/**
 * A path, program or argument given as text or bytes (Python's `str | bytes`). Named so that
 * declaration files print it as written: an inferred `Uint8Array` prints as
 * `Uint8Array<ArrayBufferLike>`, which TypeScript before 5.7 cannot read.
 */
export type StrOrBytes = string | Uint8Array;

/**
 * @internal What the loop's ready queue holds: a Handle, or an object standing for the Handle
 * it would have made: a Task queued for its own step, a Future for its one done callback.
 */
export interface ReadyItem {
  readonly _cancelled: boolean;
  _run(): void;
}

/**
 * @internal The arguments of every callback scheduled without any: one shared array (never
 * written: `cancel()` replaces a handle's array rather than clearing it), so `callSoon(cb)`
 * allocates only its Handle.
 */
export const NO_ARGS: unknown[] = [];

/**
 * @internal The timeout of a wait for real I/O that the library sets itself (a TLS handshake's):
 * a loop timer, as CPython's, but on a loop whose clock is not real time (VirtualTimeLoop's
 * `_ioTimeout`) one in real time, or the clock would jump to it while the I/O is under way.
 */
export function _ioTimeout(
  loop: AbstractEventLoop,
  delay: number,
  callback: () => void,
): { cancel(): void } {
  const own = (loop as { _ioTimeout?: (d: number, cb: () => void) => { cancel(): void } })
    ._ioTimeout;
  return own !== undefined ? own.call(loop, delay, callback) : loop.callLater(delay, callback);
}

/**
 * @internal A callback that returned a promise (an `async` function given to `callSoon` or
 * `addDoneCallback`; CPython would only warn of a coroutine never awaited, JavaScript has run
 * it): its rejection is reported as the callback's exception, instead of ending the process as
 * an unhandled rejection.
 */
export function _watchCallbackResult(handle: Handle, r: PromiseLike<unknown>): void {
  r.then(undefined, (exc: unknown) => {
    if (isExitException(exc)) {
      // KeyboardInterrupt/SystemExit: make the loop raise it, as from a synchronous callback.
      (handle._loop as { _raiseFromLoop?: (e: unknown) => void })._raiseFromLoop?.(exc);
    } else handle._runFailed(exc);
  });
}

/** A callback scheduled with `callSoon` (Python's `asyncio.Handle`). */
export class Handle {
  /** @internal */ _callback: Callback;
  /** @internal */ _args: unknown[];
  /** @internal */ _cancelled = false;
  /** @internal */ readonly _loop: AbstractEventLoop;
  /** @internal (a frozen snapshot until the callback writes a variable: see contextvars.ts) */
  _context: Context;
  // Debug mode only: null on the prototype (see below), so a plain Handle stays small.
  /** @internal where it was created, in debug mode */ declare _sourceTraceback: string | null;
  /** @internal the repr kept when cancelled in debug mode */ declare _repr: string | null;

  constructor(callback: Callback, args: unknown[], loop: AbstractEventLoop, context?: Context) {
    this._callback = callback;
    this._args = args;
    this._loop = loop;
    this._context = context ?? _currentContext()._snapshot();
    if (loop.getDebug()) this._sourceTraceback = captureStack(3);
  }

  /** Cancels the callback; idempotent. */
  cancel(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      // Debug mode keeps the repr with the callback, for "Executing <Handle ...> took ...".
      if (this._loop.getDebug()) this._repr = this[customRepr]();
      this._callback = noop;
      this._args = [];
    }
  }

  cancelled(): boolean {
    return this._cancelled;
  }

  /** The context the callback runs in (3.12's `Handle.get_context`). */
  getContext(): Context {
    return _ownContext(this);
  }

  /**
   * @internal Runs the callback in its context (unless cancelled); errors go to the exception
   * handler.
   */
  _run(): void {
    if (this._cancelled) return;
    try {
      const r = this._context._runArgs(this, this._callback, this._args);
      if (r !== undefined && isThenable(r)) _watchCallbackResult(this, r);
    } catch (exc) {
      this._runFailed(exc);
    }
  }

  /** @internal The callback threw `exc`: report it (exit exceptions propagate). */
  _runFailed(exc: unknown): void {
    exc = _usableThrown(exc);
    if (isExitException(exc)) throw exc;
    explainUnbound(exc, this._callback);
    // A handle that cancelled itself has dropped its callback: Python formats it as None().
    const cb =
      this._callback === noop
        ? "None()"
        : formatCallback(this._callback, this._args, this._loop.getDebug());
    const context: Record<string, unknown> = {
      message: `Exception in callback ${cb}`,
      exception: exc,
      handle: this,
    };
    if (this._sourceTraceback !== null) context.source_traceback = this._sourceTraceback;
    this._loop.callExceptionHandler(context);
  }

  /** @internal */
  _reprInfo(): string[] {
    const info = [className(this)];
    if (this._cancelled) info.push("cancelled");
    // CPython: `if self._callback is not None` (a cancelled handle's is None; so is a null one).
    if (this._callback !== noop && this._callback !== null && this._callback !== undefined) {
      info.push(formatCallback(this._callback, this._args, this._loop.getDebug()));
    }
    if (this._sourceTraceback !== null) info.push(`created at ${this._sourceTraceback}`);
    return info;
  }

  [customRepr](): string {
    return this._repr ?? `<${this._reprInfo().join(" ")}>`;
  }

  toString(): string {
    return this[customRepr]();
  }
}

Handle.prototype._sourceTraceback = null;
Handle.prototype._repr = null;

function noop(): void {}

/**
 * @internal Orders timers of equal deadlines in the loop's heap, lowest first: set by a
 * VirtualTimeLoop only (see its _timerKey); a timer without one is 0, so that the real loop's
 * equal deadlines keep heapq's order. A side table, not a field: no cost per timer.
 */
export const timerTies = new WeakMap<TimerHandle, number>();

/** @internal `a`'s tie is below `b`'s (see timerTies); read only for equal deadlines. */
export function tieBelow(a: TimerHandle, b: TimerHandle): boolean {
  return (timerTies.get(a) ?? 0) < (timerTies.get(b) ?? 0);
}

/** A callback scheduled for a time (Python's `asyncio.TimerHandle`). */
export class TimerHandle extends Handle {
  /** @internal */ readonly _when: number;
  /** @internal in the loop's timer heap */ _scheduled = false;

  constructor(
    when: number,
    callback: Callback,
    args: unknown[],
    loop: AbstractEventLoop,
    context?: Context,
  ) {
    super(callback, args, loop, context);
    this._when = when;
  }

  /** The absolute loop time the callback is scheduled for. */
  when(): number {
    return this._when;
  }

  /**
   * The deadline, so that `<`, `<=`, `>`, `>=` compare timer handles by `when()`, as Python's
   * `TimerHandle.__lt__` and friends do (`==` stays identity in JavaScript).
   */
  override valueOf(): number {
    return this._when;
  }

  override cancel(): void {
    if (!this._cancelled) this._loop._timerHandleCancelled(this);
    super.cancel();
  }

  override _reprInfo(): string[] {
    const info = super._reprInfo();
    // As given: `callAt(5)` shows `when=5` as in CPython; a whole deadline from `callLater` on
    // a virtual clock shows `10`, where Python's float would be `10.0`.
    info.splice(this._cancelled ? 2 : 1, 0, `when=${pyRepr(this._when)}`);
    return info;
  }
}

/**
 * The library's own files: `src/` and `dist/` of the package (run from `dist/` with
 * `--enable-source-maps`, frames name the shipped `src/*.ts`), as paths and as URLs.
 */
const LIB_PLACES = ["../src/", "../dist/"].flatMap((rel) => {
  try {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    return [dir, pathToFileURL(dir).href];
  } catch {
    return []; // a CommonJS bundle has no import.meta.url (nor these folders)
  }
});

/**
 * `file:line` of the first frame outside this library, at least `depth` frames up: where user
 * code created the handle or future (debug mode's `created at ...`).
 */
export function captureStack(depth: number): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = depth + 30;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  const lines = stack.split("\n").slice(depth + 1);
  const line =
    lines.find(
      (l) =>
        !LIB_PLACES.some((p) => l.includes(p)) &&
        !l.includes("(node:") &&
        // a generator's `next` frame, between a library coroutine and its caller
        !l.endsWith("(<anonymous>)"),
    ) ?? lines[0];
  const where = line?.match(/\(?([^()\s]+:\d+):\d+\)?\s*$/)?.[1];
  if (where === undefined) return "<unknown>";
  if (!where.startsWith("file://")) return where;
  const colon = where.lastIndexOf(":");
  return fileURLToPath(where.slice(0, colon)) + where.slice(colon);
}

/**
 * What an exception handler receives (Python's `context` dict): `message` always (the loop's
 * own reports have one; `callExceptionHandler` passes on what it is given), the other keys
 * where they apply, and any key the caller added.
 */
export interface ExceptionContext {
  message: string;
  exception?: unknown;
  /** a live Future, or a garbage-collected one's stand-in */
  future?: Future<unknown> | CollectedFuture;
  task?: Future<unknown> | CollectedFuture;
  handle?: Handle;
  protocol?: unknown;
  transport?: unknown;
  socket?: unknown;
  source_traceback?: string;
  handle_traceback?: string;
  [key: string]: unknown;
}

/**
 * The event loop interface (Python's `asyncio.AbstractEventLoop`). `EventLoop` is the
 * implementation; methods a subclass does not provide raise NotImplementedError, as in Python.
 */
export abstract class AbstractEventLoop {
  /** @internal The task whose step is running synchronously (Python's `_current_tasks[loop]`). */
  _currentTask: unknown = null;
  /** @internal True while the loop runs a handle (plain callbacks see no current task). */
  _inHandle = false;
  /** @internal `async`-function tasks resumed and not yet suspended again (see tasks.ts). */
  _windowTasks: unknown[] = [];
  /**
   * @internal A task's window closed and none is left open: the paused loop may go on (`now`:
   * the caller is a promise reaction of the library's own, with nothing of user code on the
   * stack, so the loop may go on synchronously).
   */
  _windowsClosed(_now: boolean): void {}
  /** @internal Tasks of this loop that are not done (Python's `_scheduled_tasks`). */
  _tasks: { first: unknown; last: unknown } = { first: null, last: null };
  /**
   * @internal A transport, server or subprocess was made on this loop: its close lets Node
   * deliver the I/O already waiting first (see Runner.close).
   */
  _madeIO = false;
  abstract runForever(): Promise<void>;
  /** Runs until `future` is done: its result (typed from a Future, a coroutine or a promise). */
  abstract runUntilComplete<T>(
    future: Future<T> | TaskBody<T> | PromiseLike<T> | FutureLike<T>,
  ): Promise<T>;
  abstract stop(): void;
  abstract isRunning(): boolean;
  abstract isClosed(): boolean;
  abstract close(): void;
  abstract shutdownAsyncgens(): AwaitableCoroutine<void>;
  abstract shutdownDefaultExecutor(timeout?: number | null): AwaitableCoroutine<void>;
  // The arguments are checked against the callback's parameters (as typeshed's `*args: *Ts`).
  abstract callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  abstract callLater<A extends unknown[]>(
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;
  abstract callAt<A extends unknown[]>(
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;
  abstract callSoonThreadsafe<A extends unknown[]>(
    callback: (...args: A) => unknown,
    ...args: A
  ): Handle;
  abstract time(): number;
  abstract getDebug(): boolean;
  abstract setDebug(enabled: boolean): void;
  abstract callExceptionHandler(context: Record<string, unknown>): void;
  abstract defaultExceptionHandler(context: Record<string, unknown>): void;
  abstract setExceptionHandler(
    handler: ((loop: AbstractEventLoop, context: ExceptionContext) => void) | null,
  ): void;
  abstract getExceptionHandler():
    | ((loop: AbstractEventLoop, context: ExceptionContext) => void)
    | null;
  abstract createFuture<T = unknown>(): Future<T>;
  abstract createTask<T>(
    coro: TaskBody<T>,
    options?: { name?: unknown; context?: Context | null },
  ): Task<T>;
  abstract setTaskFactory(
    factory:
      | ((
          loop: AbstractEventLoop,
          coro: TaskBody<unknown>,
          options?: { name?: unknown; context?: Context },
        ) => Future<unknown>)
      | null,
  ): void;
  abstract getTaskFactory():
    | ((
        loop: AbstractEventLoop,
        coro: TaskBody<unknown>,
        options?: { name?: unknown; context?: Context },
      ) => Future<unknown>)
    | null;
  /** Seconds a callback may run before debug mode logs it as slow (Python: 0.1). */
  abstract slowCallbackDuration: number;
  /** @internal */ abstract _timerHandleCancelled(handle: TimerHandle): void;
  /** @internal `callSoon` with an explicit context (Python's `context=` keyword). */
  abstract _callSoonWithContext(callback: Callback, args: unknown[], context: Context): Handle;
  /**
   * @internal Queues `item` itself in the ready queue, as if it were a Handle (a Task's step,
   * see Task._run; a Future's done callback, see Future._run); false if this loop cannot, and
   * the caller makes a Handle instead.
   */
  _callSoonSelf(_item: ReadyItem): boolean {
    return false;
  }

  // Executors: EventLoop implements these (base_events.ts); here they raise
  // NotImplementedError, as in CPython's AbstractEventLoop.
  /** Runs `fn(...args)` in `executor` (`null`: the default one); Python's `run_in_executor`. */
  runInExecutor<F extends AnyFunction>(
    _executor: Executor | null,
    _fn: F | WorkerFunction<F>,
    ..._args: Parameters<F>
  ): Future<Awaited<ReturnType<F>>> {
    throw new NotImplementedError();
  }
  /** Sets the executor of `runInExecutor(null, ...)`; Python's `set_default_executor`. */
  setDefaultExecutor(_executor: ThreadPoolExecutor): void {
    throw new NotImplementedError();
  }
  /**
   * A port another thread can call this loop through (`new RemoteLoop(port)`: Python's
   * `call_soon_threadsafe` and `run_coroutine_threadsafe` from another thread). EventLoop
   * implements it (base_events.ts).
   */
  threadsafePort(): MessagePort {
    throw new NotImplementedError();
  }

  // Networking, processes and signals: EventLoop implements these (net_transports.ts,
  // datagram.ts, base_subprocess.ts, unix_events.ts, socket.ts). Each returns a library
  // coroutine (`yield*` or `await` it); here they raise NotImplementedError, as in CPython.
  createConnection<P extends StreamProtocolLike>(
    _protocolFactory: () => P,
    _host?: string | null,
    _port?: number | string | null,
    _options?: CreateConnectionOptions,
  ): AwaitableCoroutine<[SocketTransport, P]> {
    throw new NotImplementedError();
  }
  createServer(
    _protocolFactory: () => StreamProtocolLike,
    _host?: string | readonly string[] | null,
    _port?: number | string | null,
    _options?: CreateServerOptions,
  ): AwaitableCoroutine<Server> {
    throw new NotImplementedError();
  }
  createUnixConnection<P extends StreamProtocolLike>(
    _protocolFactory: () => P,
    _path?: string | Uint8Array | null,
    _options?: CreateUnixConnectionOptions,
  ): AwaitableCoroutine<[SocketTransport, P]> {
    throw new NotImplementedError();
  }
  connectAcceptedSocket<P extends StreamProtocolLike>(
    _protocolFactory: () => P,
    _sock: net.Socket,
    _options?: ConnectAcceptedSocketOptions,
  ): AwaitableCoroutine<[SocketTransport, P]> {
    throw new NotImplementedError();
  }
  createUnixServer(
    _protocolFactory: () => StreamProtocolLike,
    _path?: string | Uint8Array | null,
    _options?: CreateUnixServerOptions,
  ): AwaitableCoroutine<Server> {
    throw new NotImplementedError();
  }
  createDatagramEndpoint<P extends DatagramProtocolLike>(
    _protocolFactory: () => P,
    _options?: DatagramEndpointOptions,
  ): AwaitableCoroutine<[DatagramSocketTransport, P]> {
    throw new NotImplementedError();
  }
  sendfile(
    _transport: unknown,
    _file: SendfileFile,
    _offset?: number | SendfileOptions,
    _count?: number | null | SendfileOptions,
    _options?: SendfileOptions,
  ): AwaitableCoroutine<number> {
    throw new NotImplementedError();
  }
  startTls(
    _transport: unknown,
    _protocol: AnyProtocol,
    _sslcontext: SSLContext,
    _options?: StartTlsOptions,
  ): AwaitableCoroutine<SocketTransport> {
    throw new NotImplementedError();
  }
  connectReadPipe<P extends ReadPipeProtocolLike>(
    _protocolFactory: () => P,
    _pipe: ReadPipe,
  ): AwaitableCoroutine<[ReadPipeTransport, P]> {
    throw new NotImplementedError();
  }
  connectWritePipe<P extends WritePipeProtocolLike>(
    _protocolFactory: () => P,
    _pipe: WritePipe,
  ): AwaitableCoroutine<[WritePipeTransport, P]> {
    throw new NotImplementedError();
  }
  subprocessExec<P extends SubprocessProtocolLike>(
    _protocolFactory: () => P,
    _program: string | Uint8Array,
    ..._args: (string | Uint8Array | SubprocessOptions)[]
  ): AwaitableCoroutine<[BaseSubprocessTransport, P]> {
    throw new NotImplementedError();
  }
  subprocessShell<P extends SubprocessProtocolLike>(
    _protocolFactory: () => P,
    _cmd: string | Uint8Array,
    _options?: SubprocessOptions,
  ): AwaitableCoroutine<[BaseSubprocessTransport, P]> {
    throw new NotImplementedError();
  }
  addSignalHandler<A extends unknown[]>(
    _sig: number | NodeJS.Signals,
    _callback: (...args: A) => unknown,
    ..._args: A
  ): void {
    throw new NotImplementedError();
  }
  removeSignalHandler(_sig: number | NodeJS.Signals): boolean {
    throw new NotImplementedError();
  }
  getaddrinfo(
    _host: string | null,
    _port: number | string | null,
    _options?: GetaddrinfoOptions,
  ): AwaitableCoroutine<AddrInfo[]> {
    throw new NotImplementedError();
  }
  getnameinfo(_sockaddr: Address, _flags?: number): AwaitableCoroutine<[string, string]> {
    throw new NotImplementedError();
  }
}

/** The policy interface (Python's `asyncio.AbstractEventLoopPolicy`). */
export abstract class AbstractEventLoopPolicy {
  // Methods a subclass does not provide raise NotImplementedError, as in Python.
  getEventLoop(): AbstractEventLoop {
    throw new NotImplementedError();
  }
  setEventLoop(_loop: AbstractEventLoop | null): void {
    throw new NotImplementedError();
  }
  newEventLoop(): AbstractEventLoop {
    throw new NotImplementedError();
  }
}

/** This thread's name as CPython's messages show it. */
export function currentThreadName(): string {
  if (isMainThread) return "MainThread";
  const named = (globalThis as { __asyncioThreadName?: string }).__asyncioThreadName;
  return named ?? `Thread-${threadId}`;
}

let loopFactory: (() => AbstractEventLoop) | null = null;

/** @internal base_events.ts installs the default loop class here (avoids an import cycle). */
export function _setDefaultLoopFactory(factory: () => AbstractEventLoop): void {
  loopFactory = factory;
}

/**
 * The default policy (Python's `DefaultEventLoopPolicy`), with the seed's (3.11) behaviour:
 * the main thread gets a loop on demand from `getEventLoop()`, a Worker does not.
 */
export class DefaultEventLoopPolicy extends AbstractEventLoopPolicy {
  private _loop: AbstractEventLoop | null = null;
  private _setCalled = false;

  override getEventLoop(): AbstractEventLoop {
    if (this._loop === null && !this._setCalled && isMainThread) {
      this.setEventLoop(this.newEventLoop());
    }
    if (this._loop === null) {
      throw new RuntimeError(
        `There is no current event loop in thread ${pyRepr(currentThreadName())}.`,
      );
    }
    return this._loop;
  }

  override setEventLoop(loop: AbstractEventLoop | null): void {
    this._setCalled = true;
    if (loop !== null && loop !== undefined && !(loop instanceof AbstractEventLoop)) {
      throw new TypeError(
        `loop must be an instance of AbstractEventLoop or None, not '${pyTypeName(loop)}'`,
      );
    }
    this._loop = loop ?? null;
  }

  /**
   * What `newEventLoop()` makes loops with (Python's `_loop_factory`): a subclass may set it to a
   * loop class (`_loopFactory = MyLoop`) or define it as a method returning a loop; unset, the
   * default `EventLoop`. (Declared only: a field would hide a subclass's method.)
   */
  declare _loopFactory?: (new () => AbstractEventLoop) | (() => AbstractEventLoop) | null;

  override newEventLoop(): AbstractEventLoop {
    const factory = this._loopFactory;
    if (factory !== undefined && factory !== null) {
      return factory.prototype instanceof AbstractEventLoop
        ? new (factory as new () => AbstractEventLoop)()
        : (factory as () => AbstractEventLoop).call(this);
    }
    if (loopFactory === null) throw new RuntimeError("no event loop implementation is loaded");
    return loopFactory();
  }
}

let policy: AbstractEventLoopPolicy | null = null;
let runningLoop: AbstractEventLoop | null = null;

/** The current policy, creating the default one on first use. */
export function getEventLoopPolicy(): AbstractEventLoopPolicy {
  if (policy === null) policy = new DefaultEventLoopPolicy();
  return policy;
}

/** Replaces the policy; `null` restores a fresh default policy. */
export function setEventLoopPolicy(p: AbstractEventLoopPolicy | null): void {
  if (p !== null && p !== undefined && !(p instanceof AbstractEventLoopPolicy)) {
    throw new TypeError(
      `policy must be an instance of AbstractEventLoopPolicy or None, not '${pyTypeName(p)}'`,
    );
  }
  policy = p ?? null;
}

/** The running loop of this thread, else the policy's current loop. */
export function getEventLoop(): AbstractEventLoop {
  if (runningLoop !== null) return runningLoop;
  return getEventLoopPolicy().getEventLoop();
}

export function setEventLoop(loop: AbstractEventLoop | null): void {
  getEventLoopPolicy().setEventLoop(loop);
}

export function newEventLoop(): AbstractEventLoop {
  return getEventLoopPolicy().newEventLoop();
}

/** The running loop of this thread; `RuntimeError('no running event loop')` if none. */
export function getRunningLoop(): AbstractEventLoop {
  if (runningLoop === null) throw new RuntimeError("no running event loop");
  return runningLoop;
}

/**
 * The running loop of this thread, or null (Python's `asyncio._get_running_loop()`, which
 * libraries use to ask whether they run inside a loop without catching an error).
 */
export function _getRunningLoop(): AbstractEventLoop | null {
  return runningLoop;
}

/**
 * Sets this thread's running loop (Python's `asyncio._set_running_loop()`, for loop
 * implementations: `runForever` does it).
 */
export function _setRunningLoop(loop: AbstractEventLoop | null): void {
  runningLoop = loop;
}

libraryClasses(Handle, AbstractEventLoop);

keepClassNames({ Handle, TimerHandle });
