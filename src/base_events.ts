/**
 * `EventLoop`: the default event loop (Python's `BaseEventLoop` + `_run_once`), driven by Node.
 *
 * The loop keeps CPython's scheduling exactly: a FIFO ready queue, a timer heap popped in
 * `heapq` order, and iterations that each run only the handles that were ready when the
 * iteration began. What differs is who blocks: CPython blocks in `select()`; this loop returns
 * to Node whenever it has nothing to do right now, sleeping in a Node timer until its next
 * deadline, and is woken at once by `callSoon` from Node callbacks (I/O, other libraries).
 * While it has work it runs iterations back to back for up to {@link EventLoop.turnBudget}
 * milliseconds, then yields one Node turn (`setImmediate`) so Node's I/O is never starved.
 */

// ---- executors and threads (imports) ----
import type * as net from "node:net";
import { isMainThread, type MessagePort } from "node:worker_threads";
import {
  type BaseSubprocessTransport,
  subprocessExec as ioSubprocessExec,
  subprocessShell as ioSubprocessShell,
  type ReadPipeTransport,
  type SubprocessOptions,
  type WritePipeTransport,
} from "./base_subprocess.ts";
import { type Executor, longTimeout } from "./concurrent/_base.ts";
import { type AnyFunction, isWorkerFunction, type WorkerFunction } from "./concurrent/_function.ts";
import { ThreadPoolExecutor } from "./concurrent/thread.ts";
import { _currentContext, Context } from "./contextvars.ts";
// ---- end of executors and threads imports ----
// ---- networking, subprocesses and signals (imports) ----
import {
  _markCoroutineMethods,
  type AwaitableCoroutine,
  awaitable,
  type Coroutine,
  isCoroutine,
  isCoroutineFunction,
  isThenable,
} from "./coroutines.ts";
import {
  type DatagramEndpointOptions,
  type DatagramSocketTransport,
  createDatagramEndpoint as ioCreateDatagramEndpoint,
} from "./datagram.ts";
import { Deque } from "./deque.ts";
import type { Callback as IoCallback } from "./events.ts";
import {
  _getRunningLoop,
  _setDefaultLoopFactory,
  _setRunningLoop,
  AbstractEventLoop,
  type Callback,
  type ExceptionContext,
  Handle,
  NO_ARGS,
  type ReadyItem,
  TimerHandle,
  tieBelow,
} from "./events.ts";
import { isExitException, KeyboardInterrupt, RuntimeError, ValueError } from "./exceptions.ts";
import {
  className,
  compareError,
  customRepr,
  isPyNumber,
  libraryClasses,
  pyRepr,
  pyTruthy,
  pyTypeName,
} from "./format.ts";
import { _registerCreateFuture, Future, isFuture } from "./futures.ts";
import { logger } from "./log.ts";
import {
  type ConnectAcceptedSocketOptions,
  type CreateConnectionOptions,
  type CreateServerOptions,
  type CreateUnixConnectionOptions,
  type CreateUnixServerOptions,
  dropUnsentWrites,
  connectAcceptedSocket as ioConnectAcceptedSocket,
  createConnection as ioCreateConnection,
  createServer as ioCreateServer,
  createUnixConnection as ioCreateUnixConnection,
  createUnixServer as ioCreateUnixServer,
  startTls as ioStartTls,
  type Server,
  type SocketTransport,
  type StartTlsOptions,
} from "./net_transports.ts";
import {
  connectReadPipe as ioConnectReadPipe,
  connectWritePipe as ioConnectWritePipe,
  type ReadPipe,
  type WritePipe,
} from "./pipes.ts";
import type {
  Address,
  AnyProtocol,
  DatagramProtocolLike,
  ReadPipeProtocolLike,
  StreamProtocolLike,
  SubprocessProtocolLike,
  WritePipeProtocolLike,
} from "./protocols.ts";
import { _closeLoopPorts, _loopPort } from "./remote_loop.ts";
import { sendfile as ioSendfile, type SendfileFile, type SendfileOptions } from "./sendfile.ts";
import {
  type AddrInfo,
  defaultGetaddrinfo,
  type GetaddrinfoOptions,
  getaddrinfo as ioGetaddrinfo,
  getnameinfo as ioGetnameinfo,
} from "./socket.ts";
import type { SSLContext } from "./ssl.ts";
import {
  _eagerRedirect,
  _leaveTaskScope,
  _outsideTasks,
  _taskOfHandle,
  _tenureTasks,
  ensureFuture,
  type FutureLike,
  Task,
  type TaskBody,
} from "./tasks.ts";
import {
  addSignalHandler as ioAddSignalHandler,
  removeSignalHandler as ioRemoveSignalHandler,
  removeAllSignalHandlers,
} from "./unix_events.ts";
import { wrapFuture } from "./wrap_future.ts";

// ---- end of networking imports ----

/** Python's `_MIN_SCHEDULED_TIMER_HANDLES` and `_MIN_CANCELLED_TIMER_HANDLES_FRACTION`. */
const MIN_SCHEDULED_TIMER_HANDLES = 100;
const MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5;
/** The loop classes whose constructor has written the fields it writes once (see there). */
const fieldsWritten = new WeakSet<object>();
/** The loop reads the clock (for its turn budget) once this many handles have run (see _drive). */
const CLOCK_HANDLES = 32;
/**
 * @internal The longest Node timer: a loop idle with no timers sleeps in one of these to stay
 * alive (and a virtual clock while it waits for an executor call).
 */
export const KEEPALIVE_MS = 0x7fffffff;

export type ExceptionHandler = (loop: AbstractEventLoop, context: ExceptionContext) => void;
/** `loop.setTaskFactory`'s callable; `createTask` passes it only a `context` (CPython 3.13). */
export type TaskFactory = (
  loop: AbstractEventLoop,
  coro: TaskBody<unknown>,
  options?: { name?: unknown; context?: Context },
) => Future<unknown>;

/** The minimal executor shape the loop shuts down (see `asyncio-ts/concurrent`). */
export interface ShutdownableExecutor {
  shutdown(options?: { wait?: boolean; cancelFutures?: boolean }): unknown;
}

/** What `runInExecutor` submits work to (the concurrent `Executor`, see `asyncio-ts/concurrent`). */
export type { Executor };

/**
 * `runUntilComplete`'s done callback, under CPython's name (a future's repr shows it): stops the
 * loop, unless the future ended with KeyboardInterrupt/SystemExit, which stops it on its own.
 */
const runUntilCompleteCb = {
  _run_until_complete_cb(f: Future<unknown>): void {
    // Reading exception() also marks it retrieved, as in CPython.
    if (!f.cancelled() && isExitException(f.exception())) return;
    f.getLoop().stop();
  },
}._run_until_complete_cb;

/** One settled promise, to run `_drive` as a microtask (see `_driveNow`). */
const RESOLVED = Promise.resolve();

/** What CPython's `repr()` calls the default loop class on this platform. */
const DEFAULT_LOOP_NAME =
  process.platform === "win32" ? "ProactorEventLoop" : "_UnixSelectorEventLoop";

/** The line CPython's default loop logs at DEBUG level when made, for this platform. */
const POLLER =
  process.platform === "win32"
    ? "Using proactor: IocpProactor"
    : `Using selector: ${
        /darwin|bsd/.test(process.platform)
          ? "KqueueSelector"
          : process.platform === "sunos"
            ? "DevpollSelector"
            : "EpollSelector"
      }`;

export class EventLoop extends AbstractEventLoop {
  /** @internal true for a loop whose clock is its own (VirtualTimeLoop) */
  static _virtualClock = false;
  /** Seconds a callback may run before debug mode logs it as slow. */
  slowCallbackDuration = 0.1;
  /** Milliseconds of back-to-back iterations before yielding a turn to Node's I/O. */
  turnBudget = 2;

  /** @internal */ _ready = new Deque<Handle | ReadyItem>();
  /** @internal the timer heap (see timerPush) */ _scheduled: TimerHandle[] = [];
  /**
   * @internal the heap keys (deadlines: see _timerKey) of `_scheduled`, index for index (its length is the capacity: see
   * timerPush)
   */
  _whens: Float64Array = new Float64Array(TIMER_KEYS_MIN);
  /** @internal */ _timerCancelledCount = 0;
  /** @internal */ _clockResolution = 1e-9;
  /** @internal */ _stopping = false;
  /** @internal */ _closed = false;
  /** @internal */ _running = false;
  /** @internal */ _debug = false;
  /** @internal */ _exceptionHandler: ExceptionHandler | null = null;
  /** @internal */ _taskFactory: TaskFactory | null = null;
  /** @internal */ _defaultExecutor: Executor | null = null;
  /** @internal */ _executorShutdownCalled = false;
  /** @internal */ _currentHandle: Handle | null = null;
  /** @internal the options of a task with no name and no context (see createTask) */
  readonly _plainTaskOptions: { loop: EventLoop } = Object.freeze({ loop: this });

  // Iteration state, kept on the loop because an iteration can pause (see tasks.ts windows).
  private _ntodo = 0;
  private _inIteration = false;
  private _timersPruned = false;
  private _turnDeadline = 0;
  /** paused on async tasks' windows (see _drive) */
  private _paused = false;
  private _resumeQueued = false;
  /** the Node turn after a pause began: what is still open then awaits something foreign */
  private _windowFallback: NodeJS.Immediate | null = null;
  private _itersSinceClock = 0;
  /** handles run since the clock was last read (see _drive) */
  private _handlesSinceClock = 0;
  private _exit: { error: unknown } | null = null;
  /** @internal `runInExecutor` calls not finished yet (a virtual clock waits for them) */
  _executorCalls = 0;

  // Node-side state.
  private _sleeping = false;
  private _immediate: NodeJS.Immediate | null = null;
  private _timeout: NodeJS.Timeout | null = null;
  private _resolveRun: (() => void) | null = null;
  private _rejectRun: ((e: unknown) => void) | null = null;

  constructor() {
    super();
    // Python's `loop.stop` is a bound method, and `loop.callLater(1, loop.stop)` ports as is.
    const stop = this.stop;
    this.stop = stop.bind(this);
    // Shown as CPython shows the bound method in handle reprs (`<Handle BaseEventLoop.stop()>`).
    if (stop === EventLoop.prototype.stop) {
      Object.assign(this.stop, { [customRepr]: () => "BaseEventLoop.stop" });
    }
    // Through the method, as CPython's __init__ calls self.set_debug(): a subclass's sees it.
    this.setDebug(
      process.env.PYTHONASYNCIODEBUG !== undefined && process.env.PYTHONASYNCIODEBUG !== "",
    );
    // What CPython's selector (or proactor) loop logs when made; the virtual-time loop, as
    // CPython's test loop, has none.
    if (!new.target._virtualClock) logger.debug(POLLER);
    if (!fieldsWritten.has(new.target)) {
      fieldsWritten.add(new.target);
      // V8 takes a field that was never written after construction for a constant, and throws
      // away the code optimized on that assumption when it first is (when the first loop of a
      // class stops or closes): the next run starts with its hot paths deoptimized. Writing
      // them once now keeps that from happening.
      this._closed = this._stopping = this._sleeping = this._executorShutdownCalled = true;
      this._closed = this._stopping = this._sleeping = this._executorShutdownCalled = false;
      this._timerCancelledCount = 1;
      this._timerCancelledCount = 0;
      this._scheduled = [];
      this._whens = new Float64Array(TIMER_KEYS_MIN);
    }
  }

  // ---- time and scheduling ----

  /** Monotonic time in seconds. */
  time(): number {
    return performance.now() / 1000;
  }

  /** Schedules `callback(...args)` for the next iteration, FIFO. */
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle {
    this._checkClosed();
    if (this._debug) this._checkCallback(callback, "call_soon");
    // The rest array is only read here, so V8 need not allocate it when there are no arguments.
    return this._callSoonWithContext(
      callback,
      args.length === 0 ? NO_ARGS : args,
      _currentContext()._snapshot(),
    );
  }

  /** @internal */
  _callSoonWithContext(callback: Callback, args: unknown[], context: Context): Handle {
    const handle = new Handle(callback, args, this, context);
    this._queueReady(handle);
    return handle;
  }

  /**
   * @internal Appends to the ready queue, or to the place an eager `async` task's first step
   * keeps in it while that step goes on after `createTask` returned (see tasks.ts EagerSlot).
   */
  _queueReady(item: Handle | ReadyItem): void {
    if (this._eagerSlots !== 0 && _eagerRedirect(this, item)) return;
    this._ready.push(item);
    if (this._sleeping) this._wake();
  }

  /** @internal How many eager tasks' first steps are going on (see _queueReady). */
  _eagerSlots = 0;

  /** @internal An EagerSlot's items run now, in its place, as part of this iteration. */
  _runInPlace(items: (Handle | ReadyItem)[]): void {
    for (let i = items.length - 1; i >= 0; i--) this._ready.unshift(items[i]!);
    this._ntodo += items.length;
  }

  /**
   * @internal Queues a Task (its step) or a Future (its done callback) itself, in place of a
   * Handle; in debug mode, Handles are used (they carry the debug information).
   */
  override _callSoonSelf(item: ReadyItem): boolean {
    if (this._debug) return false;
    this._queueReady(item);
    return true;
  }

  /**
   * `callSoon` that may be called from outside the loop's own callbacks (Node callbacks,
   * other libraries). Another Worker cannot hold this loop: see `runCoroutineThreadsafe`.
   */
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle {
    this._checkClosed();
    if (this._debug) this._checkCallback(callback, "call_soon_threadsafe");
    return this._callSoonWithContext(callback, args, _currentContext()._snapshot());
  }

  /** Schedules `callback(...args)` to run after `delay` seconds. */
  callLater<A extends unknown[]>(
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    if (delay === undefined || delay === null) throw new TypeError("delay must not be None");
    // Python's bools and ints are numbers: `true` and `1n` are delays too.
    if (typeof delay !== "number") {
      if (!isPyNumber(delay)) {
        throw new TypeError(
          `unsupported operand type(s) for +: 'float' and '${pyTypeName(delay)}'`,
        );
      }
      delay = Number(delay);
    }
    // A subclass's callAt() is called, as CPython's call_later() calls call_at().
    if (this.callAt !== EventLoop.prototype.callAt) {
      return this.callAt(this._loopTime() + delay, callback, ...args);
    }
    // Only read here (see callSoon): a long-lived timer does not keep an empty array alive.
    return this._callAt(
      this._loopTime() + delay,
      callback,
      args.length === 0 ? NO_ARGS : args,
      true,
    );
  }

  /** Schedules `callback(...args)` at loop time `when`. */
  callAt<A extends unknown[]>(
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle {
    if (when === undefined || when === null) throw new TypeError("when cannot be None");
    // CPython accepts it and fails at the next timer-heap comparison: fail here instead.
    if (typeof when !== "number") {
      if (!isPyNumber(when)) throw compareError("<", when, 0.5);
      when = Number(when);
    }
    return this._callAt(when, callback, args.length === 0 ? NO_ARGS : args);
  }

  /**
   * @internal A new timer's key in the heap: its deadline. `fromNow` says the deadline was
   * computed from a fresh reading of the clock (`callLater`, `timeout(delay)`): VirtualTimeLoop
   * then orders equal deadlines (`timerTies`; see testing.ts).
   */
  _timerKey(timer: TimerHandle, _fromNow = false): number {
    return timer._when;
  }

  /**
   * @internal The clock as the loop itself reads it (`callLater`, its iterations, `timeout()`):
   * `time()`, which a subclass may override; VirtualTimeLoop tells these reads from the user's
   * (see testing.ts).
   */
  _loopTime(): number {
    return this.time();
  }

  /** @internal `callAt` for a deadline just computed as `time() + delay` (see _timerKey). */
  _callAtFromNow(when: number, callback: Callback): TimerHandle {
    // A subclass's callAt() is called, as CPython's Timeout calls call_at().
    if (this.callAt !== EventLoop.prototype.callAt) return this.callAt(when, callback);
    return this._callAt(when, callback, NO_ARGS, true);
  }

  private _callAt(when: number, callback: Callback, args: unknown[], fromNow = false): TimerHandle {
    this._checkClosed();
    if (this._debug) this._checkCallback(callback, "call_at");
    const timer = new TimerHandle(when, callback, args, this, _currentContext()._snapshot());
    const heap = this._scheduled;
    if (heap.length === this._whens.length) this._whens = growKeys(this._whens);
    timerPush(heap, this._whens, timer, this._timerKey(timer, fromNow));
    timer._scheduled = true;
    if (this._sleeping) this._wake();
    return timer;
  }

  /** @internal */
  _timerHandleCancelled(handle: TimerHandle): void {
    if (handle._scheduled) this._timerCancelledCount++;
  }

  private _checkCallback(callback: unknown, method: string): void {
    if (isCoroutine(callback) || isCoroutineFunction(callback)) {
      throw new TypeError(`coroutines cannot be used with ${method}()`);
    }
    if (typeof callback !== "function") {
      throw new TypeError(`a callable object was expected by ${method}(), got ${pyRepr(callback)}`);
    }
  }

  // ---- futures and tasks ----

  createFuture<T = unknown>(): Future<T> {
    return new Future<T>({ loop: this });
  }

  /** Wraps `coro` in a Task on this loop (through the task factory if one is set). */
  createTask<T>(
    coro: TaskBody<T>,
    options?: { name?: unknown; context?: Context | null },
  ): Task<T> {
    this._checkClosed();
    if (this._taskFactory === null) {
      // Most tasks have neither a name nor a context: one options object serves them all.
      if (options === undefined || (options.name === undefined && options.context === undefined))
        return new Task(coro, this._plainTaskOptions);
      return new Task(coro, {
        loop: this,
        ...(options?.name !== undefined ? { name: options.name } : {}),
        ...(options?.context !== undefined ? { context: options.context } : {}),
      });
    }
    // CPython 3.13 passes only the context to the factory, then names the task even when no
    // name was given: it is then 'None' (3.14 passes the name to the factory instead).
    const context = options?.context;
    const task = (
      context === undefined || context === null
        ? this._taskFactory(this, coro as TaskBody<unknown>)
        : this._taskFactory(this, coro as TaskBody<unknown>, { context })
    ) as Task<T>;
    if (typeof (task as { setName?: unknown } | null)?.setName !== "function") {
      // CPython's AttributeError (JavaScript's TypeError) for a factory that made no task.
      throw new TypeError(`'${pyTypeName(task)}' object has no attribute 'set_name'`);
    }
    task.setName(options?.name ?? null);
    return task;
  }

  setTaskFactory(factory: TaskFactory | null): void {
    // undefined is None too, as everywhere in the API.
    if (factory !== null && factory !== undefined && typeof factory !== "function") {
      throw new TypeError("task factory must be a callable or None");
    }
    this._taskFactory = factory ?? null;
  }

  getTaskFactory(): TaskFactory | null {
    return this._taskFactory;
  }

  // ==== executors and threads (asyncio-ts/concurrent; helpers in wrap_future.ts, threads.ts,
  // remote_loop.ts) ====

  /**
   * Runs `fn(...args)` in `executor` and returns an asyncio Future of its result (Python's
   * `run_in_executor`). `null` means the default executor: the one set with
   * `setDefaultExecutor`, else a `ThreadPoolExecutor` (threads named `asyncio_N`) created on
   * first use. `fn` is a worker function (see `workerFunctions`); the context variables are not
   * carried over (`toThread` does that). Cancelling the Future cancels the call if it has not
   * started. `RuntimeError('Event loop is closed')` on a closed loop; for the default executor,
   * `RuntimeError('Executor shutdown has been called')` after `shutdownDefaultExecutor()`; the
   * executor's own errors (`TypeError` for what cannot be sent, `RuntimeError` after its
   * shutdown, its broken error).
   */
  override runInExecutor<F extends AnyFunction>(
    executor: Executor | null,
    fn: F | WorkerFunction<F>,
    ...args: Parameters<F>
  ): Future<Awaited<ReturnType<F>>> {
    this._checkClosed();
    if (this._debug) {
      // CPython's _check_callback (debug mode only); a worker-function reference counts as callable.
      if (isCoroutine(fn) || isCoroutineFunction(fn)) {
        throw new TypeError("coroutines cannot be used with run_in_executor()");
      }
      if (typeof fn !== "function" && !isWorkerFunction(fn)) {
        throw new TypeError(
          `a callable object was expected by run_in_executor(), got ${pyRepr(fn)}`,
        );
      }
    }
    let ex = executor;
    if (ex === null || ex === undefined) {
      ex = this._defaultExecutor;
      // Only checked when the default executor is used, as in CPython.
      this._checkDefaultExecutor();
      if (ex === null) {
        ex = new ThreadPoolExecutor({ threadNamePrefix: "asyncio" });
        this._defaultExecutor = ex;
      }
    }
    // wrapFuture() counts the call in `_executorCalls` while it runs in another thread.
    return wrapFuture(ex.submit(fn, ...args), { loop: this });
  }

  /**
   * Sets the executor of `runInExecutor(null, ...)` and `toThread` (Python's
   * `set_default_executor`): `TypeError('executor must be ThreadPoolExecutor instance')` for
   * anything else.
   */
  override setDefaultExecutor(executor: ThreadPoolExecutor): void {
    if (!(executor instanceof ThreadPoolExecutor)) {
      throw new TypeError("executor must be ThreadPoolExecutor instance");
    }
    this._defaultExecutor = executor;
  }

  /**
   * A new `MessagePort` through which other threads reach this loop: transfer it to another
   * thread and wrap it there in `asyncio.RemoteLoop` to call `callSoonThreadsafe` and
   * `runCoroutineThreadsafe` on this loop. Closing the loop closes its ports.
   * `RuntimeError('Event loop is closed')` on a closed loop.
   */
  override threadsafePort(): MessagePort {
    return _loopPort(this);
  }

  private _checkDefaultExecutor(): void {
    if (this._executorShutdownCalled) throw new RuntimeError("Executor shutdown has been called");
  }

  // ==== end of executors and threads ====

  // ---- running and stopping ----

  isRunning(): boolean {
    return this._running;
  }

  isClosed(): boolean {
    return this._closed;
  }

  /** Stops the loop after the current iteration (before `runForever`: after one iteration). */
  stop(): void {
    this._stopping = true;
    if (this._sleeping) this._wake();
  }

  /** Runs until `stop()` takes effect. JavaScript cannot block: the promise says when. */
  runForever(): Promise<void> {
    try {
      this._checkClosed();
      this._checkRunning();
    } catch (e) {
      return Promise.reject(e);
    }
    this._running = true;
    _setRunningLoop(this);
    if (isMainThread && sigintLoop === null && process.listenerCount("SIGINT") === 0) {
      sigintLoop = this;
      process.on("SIGINT", defaultIntHandler);
    }
    const done = new Promise<void>((resolve, reject) => {
      this._resolveRun = resolve;
      this._rejectRun = reject;
    });
    this._turnDeadline = performance.now() + this.turnBudget;
    this._drive();
    return done;
  }

  /**
   * Runs until `future` (a Future, a coroutine, or a function returning one or a promise) is
   * done, and resolves with its result or rejects with its exception.
   */
  runUntilComplete<T>(future: Future<T> | TaskBody<T> | PromiseLike<T> | FutureLike<T>): Promise<T>;
  async runUntilComplete<T>(future: unknown): Promise<T> {
    this._checkClosed();
    this._checkRunning();
    const newTask = !isFuture(future);
    const fut = (
      typeof future === "function"
        ? this.createTask(future as TaskBody<T>)
        : ensureFuture(future as Future<T>, { loop: this })
    ) as Future<T>;
    // A task made here is the caller's only through this call: not reported if destroyed
    // pending (the loop stopped first), as CPython's `_log_destroy_pending = False`.
    if (newTask && fut instanceof Task) fut._logDestroyPending = false;
    fut.addDoneCallback(runUntilCompleteCb);
    try {
      await this.runForever();
    } catch (e) {
      if (newTask && fut.done() && !fut.cancelled()) fut.exception();
      throw e;
    } finally {
      fut.removeDoneCallback(runUntilCompleteCb);
    }
    if (!fut.done()) throw new RuntimeError("Event loop stopped before Future completed.");
    return fut.result();
  }

  /** Closes the loop: pending callbacks are dropped. Not allowed while running. */
  close(): void {
    if (this._running) throw new RuntimeError("Cannot close a running event loop");
    if (this._closed) return;
    if (this._debug) logger.debug(`Close ${this[customRepr]()}`);
    this._closed = true;
    this._ready.clear();
    this._scheduled = [];
    this._whens = new Float64Array(TIMER_KEYS_MIN);
    this._timerCancelledCount = 0;
    this._executorShutdownCalled = true;
    const executor = this._defaultExecutor;
    if (executor !== null) {
      this._defaultExecutor = null;
      void executor.shutdown({ wait: false });
    }
    _closeLoopPorts(this); // executors and threads: other threads see the loop close
    this._clearNodeTimers();
    removeAllSignalHandlers(this); // as the Unix loop's close(): no listener outlives the loop
    dropUnsentWrites(this);
  }

  /**
   * Python closes the async generators the loop saw start. Node has no hook for that, so there
   * is nothing registered to close: the coroutine returns at once (see docs/differences).
   */
  shutdownAsyncgens(): AwaitableCoroutine<void> {
    return shutdownAsyncgens();
  }

  /**
   * Shuts the default executor down, waiting for its calls and threads (Python's
   * `shutdown_default_executor`, a coroutine); `runInExecutor(null, ...)` fails afterwards.
   * With a `timeout` (seconds of real time), stops waiting after it with a RuntimeWarning and
   * lets the threads finish in the background.
   */
  shutdownDefaultExecutor(timeout: number | null = null): AwaitableCoroutine<void> {
    return shutdownDefaultExecutor(this, timeout);
  }

  private _checkClosed(): void {
    if (this._closed) throw new RuntimeError("Event loop is closed");
  }

  private _checkRunning(): void {
    if (this._running) throw new RuntimeError("This event loop is already running");
    if (_getRunningLoop() !== null) {
      throw new RuntimeError("Cannot run the event loop while another loop is running");
    }
  }

  // ---- debug mode and exception handling ----

  getDebug(): boolean {
    return this._debug;
  }

  /** Debug mode on or off, by Python truthiness (`[]` and `NaN`: as in Python). */
  setDebug(enabled: boolean): void {
    this._debug = pyTruthy(enabled);
  }

  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && handler !== undefined && typeof handler !== "function") {
      throw new TypeError(`A callable object or None is expected, got ${pyRepr(handler)}`);
    }
    this._exceptionHandler = handler ?? null;
  }

  getExceptionHandler(): ExceptionHandler | null {
    return this._exceptionHandler;
  }

  /**
   * Logs `context` to the `asyncio` logger: the message, then `key: repr(value)` for the other
   * keys, with the exception's traceback (Python's `default_exception_handler`).
   */
  defaultExceptionHandler(context: Record<string, unknown>): void {
    // Python's `context.get('message') or '...'`, then `'\n'.join(lines)`, which refuses a
    // message that is not a str.
    const given = context.message;
    const message = pyTruthy(given) ? given : "Unhandled exception in event loop";
    if (typeof message !== "string") {
      throw new TypeError(`sequence item 0: expected str instance, ${pyTypeName(message)} found`);
    }
    const exception = context.exception;
    const current = this._currentHandle;
    if (!("source_traceback" in context) && current !== null && current._sourceTraceback !== null) {
      context.handle_traceback = current._sourceTraceback;
    }
    const lines = [message];
    for (const key of Object.keys(context).sort()) {
      if (key === "message" || key === "exception") continue;
      const value = context[key];
      if (key === "source_traceback" || key === "handle_traceback") {
        const what = key === "source_traceback" ? "Object" : "Handle";
        lines.push(`${key}: ${what} created at (most recent call last):\n  ${String(value)}`);
      } else {
        lines.push(`${key}: ${pyRepr(value)}`);
      }
    }
    logger.error(
      lines.join("\n"),
      exception === undefined || exception === null ? undefined : exception,
    );
  }

  /** Sends `context` to the exception handler set with `setExceptionHandler`, or the default. */
  callExceptionHandler(context: Record<string, unknown>): void {
    const handler = this._exceptionHandler;
    if (handler === null) {
      try {
        this.defaultExceptionHandler(context);
      } catch (e) {
        if (isExitException(e)) throw e;
        logger.error("Exception in default exception handler", e);
      }
      return;
    }
    try {
      // 3.12+: the handler runs in the failing task's or callback's context. (CPython raises
      // "cannot enter context" when that context is the current one; this calls it in place.)
      const thing = (context.task ?? context.future ?? context.handle) as
        | { getContext?: () => Context | null | undefined }
        | undefined;
      const ctx = typeof thing?.getContext === "function" ? thing.getContext() : null;
      // (Typed as the loop's own contexts: a caller's context without a message is passed on.)
      const full = context as ExceptionContext;
      const ret: unknown =
        ctx instanceof Context && !ctx._entered && !ctx._inWindow
          ? ctx.run(handler, this, full)
          : handler(this, full);
      // An async handler (CPython would never run it): its failure is the handler's failure,
      // not an unhandled rejection that ends the process.
      if (isThenable(ret)) {
        ret.then(undefined, (exc: unknown) => this._handlerFailed(exc, context));
      }
    } catch (exc) {
      if (isExitException(exc)) throw exc;
      this._handlerFailed(exc, context);
    }
  }

  private _handlerFailed(exc: unknown, context: Record<string, unknown>): void {
    try {
      this.defaultExceptionHandler({
        message: "Unhandled error in exception handler",
        exception: exc,
        context,
      });
    } catch (e) {
      if (isExitException(e)) throw e;
      logger.error(
        "Exception in default exception handler while handling an unexpected error in custom exception handler",
        e,
      );
    }
  }

  // ==== networking, subprocesses and signals ====================================================
  // Thin methods: the implementations are in net_transports.ts, datagram.ts, base_subprocess.ts,
  // unix_events.ts and socket.ts. Each returns a library coroutine (`yield*` or `await` it).

  /**
   * Connects to `host:port` over TCP (or TLS with `ssl`) and returns `[transport, protocol]`
   * (Python's `loop.create_connection`); `protocolFactory()` makes the protocol.
   */
  override createConnection<P extends StreamProtocolLike>(
    protocolFactory: () => P,
    host?: string | null,
    port?: number | string | null,
    options?: CreateConnectionOptions,
  ): AwaitableCoroutine<[SocketTransport, P]> {
    return ioCreateConnection(this, protocolFactory, host, port, options) as AwaitableCoroutine<
      [SocketTransport, P]
    >;
  }

  /** Listens on `host` (a name, several names, or all interfaces) and `port` (Python's `loop.create_server`). */
  override createServer(
    protocolFactory: () => StreamProtocolLike,
    host?: string | readonly string[] | null,
    port?: number | string | null,
    options?: CreateServerOptions,
  ): AwaitableCoroutine<Server> {
    return ioCreateServer(this, protocolFactory, host, port, options);
  }

  /** `createConnection` over a Unix socket (Python's `loop.create_unix_connection`). */
  override createUnixConnection<P extends StreamProtocolLike>(
    protocolFactory: () => P,
    path?: string | Uint8Array | null,
    options?: CreateUnixConnectionOptions,
  ): AwaitableCoroutine<[SocketTransport, P]> {
    return ioCreateUnixConnection(this, protocolFactory, path, options) as AwaitableCoroutine<
      [SocketTransport, P]
    >;
  }

  /**
   * Wraps a connection accepted outside asyncio (Python's `loop.connect_accepted_socket`): the
   * TLS server side if `ssl` is given. `ValueError` for something that is not a `net.Socket`.
   */
  override connectAcceptedSocket<P extends StreamProtocolLike>(
    protocolFactory: () => P,
    sock: net.Socket,
    options?: ConnectAcceptedSocketOptions,
  ): AwaitableCoroutine<[SocketTransport, P]> {
    return ioConnectAcceptedSocket(this, protocolFactory, sock, options) as AwaitableCoroutine<
      [SocketTransport, P]
    >;
  }

  /** `createServer` on a Unix socket (Python's `loop.create_unix_server`). */
  override createUnixServer(
    protocolFactory: () => StreamProtocolLike,
    path?: string | Uint8Array | null,
    options?: CreateUnixServerOptions,
  ): AwaitableCoroutine<Server> {
    return ioCreateUnixServer(this, protocolFactory, path, options);
  }

  /** A UDP endpoint: `[transport, protocol]` (Python's `loop.create_datagram_endpoint`). */
  override createDatagramEndpoint<P extends DatagramProtocolLike>(
    protocolFactory: () => P,
    options?: DatagramEndpointOptions,
  ): AwaitableCoroutine<[DatagramSocketTransport, P]> {
    return ioCreateDatagramEndpoint(this, protocolFactory, options) as AwaitableCoroutine<
      [DatagramSocketTransport, P]
    >;
  }

  /** Upgrades `transport` to TLS; returns the new transport (Python's `loop.start_tls`). */
  /**
   * Sends `file` (a descriptor, a `FileHandle` or a file object with `readinto`) over a stream
   * transport, from `offset`, `count` bytes or to the end; returns the number of bytes sent.
   * See sendfile.ts for the native path and the fallback.
   */
  override sendfile(
    transport: unknown,
    file: SendfileFile,
    offset?: number | SendfileOptions,
    count?: number | null | SendfileOptions,
    options?: SendfileOptions,
  ): AwaitableCoroutine<number> {
    return ioSendfile(this, transport, file, offset, count, options);
  }

  override startTls(
    transport: unknown,
    protocol: AnyProtocol,
    sslcontext: SSLContext,
    options?: StartTlsOptions,
  ): AwaitableCoroutine<SocketTransport> {
    return ioStartTls(this, transport, protocol, sslcontext, options);
  }

  /**
   * Runs `program` with `args` (a trailing options object: stdin, stdout, stderr, cwd, env, …)
   * and returns `[transport, protocol]` (Python's `loop.subprocess_exec`).
   */
  override subprocessExec<P extends SubprocessProtocolLike>(
    protocolFactory: () => P,
    program: string | Uint8Array,
    ...args: (string | Uint8Array | SubprocessOptions)[]
  ): AwaitableCoroutine<[BaseSubprocessTransport, P]> {
    return ioSubprocessExec(this, protocolFactory, program, ...args) as AwaitableCoroutine<
      [BaseSubprocessTransport, P]
    >;
  }

  /** Runs `cmd` with `/bin/sh -c` (Python's `loop.subprocess_shell`). */
  override subprocessShell<P extends SubprocessProtocolLike>(
    protocolFactory: () => P,
    cmd: string | Uint8Array,
    options?: SubprocessOptions,
  ): AwaitableCoroutine<[BaseSubprocessTransport, P]> {
    return ioSubprocessShell(this, protocolFactory, cmd, options) as AwaitableCoroutine<
      [BaseSubprocessTransport, P]
    >;
  }

  /** Calls `callback(...args)` on the loop when signal `sig` arrives (Python's `loop.add_signal_handler`). */
  override addSignalHandler<A extends unknown[]>(
    sig: number | NodeJS.Signals,
    callback: (...args: A) => unknown,
    ...args: A
  ): void {
    ioAddSignalHandler(this, sig, callback as IoCallback, ...args);
  }

  /** Removes the handler of `sig`; true if there was one (Python's `loop.remove_signal_handler`). */
  override removeSignalHandler(sig: number | NodeJS.Signals): boolean {
    return ioRemoveSignalHandler(this, sig);
  }

  /** Resolves `host`/`port` (Python's `loop.getaddrinfo`): `[family, type, proto, canonname, sockaddr][]`. */
  override getaddrinfo(
    host: string | null,
    port: number | string | null,
    options?: GetaddrinfoOptions,
  ): AwaitableCoroutine<AddrInfo[]> {
    return ioGetaddrinfo(this, host, port, options);
  }

  /** A protocol on the read end of a pipe (Python's `loop.connect_read_pipe`). */
  override connectReadPipe<P extends ReadPipeProtocolLike>(
    protocolFactory: () => P,
    pipe: ReadPipe,
  ): AwaitableCoroutine<[ReadPipeTransport, P]> {
    return ioConnectReadPipe(this, protocolFactory, pipe) as AwaitableCoroutine<
      [ReadPipeTransport, P]
    >;
  }

  /** A protocol on the write end of a pipe (Python's `loop.connect_write_pipe`). */
  override connectWritePipe<P extends WritePipeProtocolLike>(
    protocolFactory: () => P,
    pipe: WritePipe,
  ): AwaitableCoroutine<[WritePipeTransport, P]> {
    return ioConnectWritePipe(this, protocolFactory, pipe) as AwaitableCoroutine<
      [WritePipeTransport, P]
    >;
  }

  /** The names of a numeric address (Python's `loop.getnameinfo`): `[host, service]`. */
  override getnameinfo(sockaddr: Address, flags = 0): AwaitableCoroutine<[string, string]> {
    return ioGetnameinfo(this, sockaddr, flags);
  }

  // ==== end of networking, subprocesses and signals ============================================

  // ---- the engine ----

  /** @internal Makes the running loop raise `error` (KeyboardInterrupt from SIGINT, …). */
  _raiseFromLoop(error: unknown): void {
    this._exit = { error };
    if (this._sleeping) this._wake();
  }

  /**
   * @internal For `Runner.close()`: true when the iterations CPython's close runs (to shut down
   * async generators and the default executor) would run nothing but their own two tasks: not
   * running, no ready callback, no timer due, no I/O that may be waiting, no default executor.
   * Tasks are the caller's to check.
   */
  _idleForShutdown(): boolean {
    const proto = EventLoop.prototype;
    return (
      !this._running &&
      !this._closed &&
      !this._hasWorkNow() &&
      !this._madeIO &&
      this._defaultExecutor === null &&
      // what would see those iterations' two tasks: a task factory, or overridden methods
      this._taskFactory === null &&
      this.createTask === proto.createTask &&
      this.runUntilComplete === proto.runUntilComplete &&
      this.shutdownAsyncgens === proto.shutdownAsyncgens &&
      this.shutdownDefaultExecutor === proto.shutdownDefaultExecutor
    );
  }

  /** True if an iteration has something to do now (Python: `select()` would not block). */
  protected _hasWorkNow(): boolean {
    if (this._ready.length > 0 || this._stopping) return true;
    const scheduled = this._scheduled;
    return scheduled.length > 0 && scheduled[0]!._when < this._loopTime() + this._clockResolution;
  }

  /**
   * The head of Python's `_run_once`, once per iteration before it polls: drop the cancelled
   * timers at the top of the heap, or all of them (and heapify) when they are many. Doing it
   * exactly then keeps equal-deadline timers in CPython's order.
   */
  private _pruneTimers(): void {
    this._timersPruned = true;
    const scheduled = this._scheduled;
    const n = scheduled.length;
    if (
      n > MIN_SCHEDULED_TIMER_HANDLES &&
      this._timerCancelledCount / n > MIN_CANCELLED_TIMER_HANDLES_FRACTION
    ) {
      const kept: TimerHandle[] = [];
      for (const h of scheduled) {
        if (h._cancelled) h._scheduled = false;
        else kept.push(h);
      }
      const keys = new Float64Array(Math.max(TIMER_KEYS_MIN, kept.length));
      for (let i = 0; i < kept.length; i++) keys[i] = kept[i]!._when;
      timerHeapify(kept, keys);
      this._scheduled = kept;
      this._whens = keys;
      this._timerCancelledCount = 0;
    } else {
      const keys = this._whens;
      while (scheduled.length > 0 && scheduled[0]!._cancelled) {
        this._timerCancelledCount--;
        timerPop(scheduled, keys)._scheduled = false;
      }
    }
  }

  /** The rest of `_run_once` up to `ntodo`: due timers go to the END of the ready queue. */
  private _beginIteration(): void {
    this._timersPruned = false;
    const heap = this._scheduled;
    if (heap.length > 0) {
      const keys = this._whens;
      const endTime = this._loopTime() + this._clockResolution;
      while (heap.length > 0) {
        if (keys[0]! >= endTime) break;
        const h = timerPop(heap, keys);
        h._scheduled = false;
        this._ready.push(h);
      }
      // A burst of timers is over: give back its deadline array.
      if (heap.length === 0 && keys.length > 1024) this._whens = new Float64Array(TIMER_KEYS_MIN);
    }
    this._ntodo = this._ready.length;
    this._handlesSinceClock += this._ntodo;
    this._inIteration = true;
  }

  /** Runs the rest of this iteration's handles; false if an async task's window paused it. */
  private _runReady(): boolean {
    const ready = this._ready;
    const windows = this._windowTasks;
    while (this._ntodo > 0) {
      this._ntodo--;
      const handle = ready.shift()!;
      this._inHandle = true;
      try {
        // `_run()` itself skips a cancelled Handle: one property load per item less, and one
        // site less that sees every kind of item (Handle, TimerHandle, Future, Task).
        if (!this._debug) handle._run();
        else if (!handle._cancelled) this._runTimed(handle);
      } finally {
        this._inHandle = false;
      }
      if (windows.length !== 0) return false;
    }
    return true;
  }

  private _runTimed(handle: Handle | ReadyItem): void {
    // A task queued itself before debug mode was turned on: there is no Handle to show.
    this._currentHandle = handle instanceof Handle ? handle : null;
    // A future queued itself for its done callback: shown as the Handle it stands for, worked
    // out before the callback runs (running it takes the callback off the future).
    const shown =
      handle instanceof Handle
        ? null
        : ((handle as { _queuedCallbackRepr?: () => string | null })._queuedCallbackRepr?.() ??
          null);
    const t0 = this._loopTime();
    const r0 = performance.now() / 1000;
    try {
      handle._run();
    } finally {
      // An async task's step goes on in promise reactions until its next await (the window
      // the loop waits for): the handle stays current (for `handle_traceback`) meanwhile, and
      // the step is timed, and shown, when the loop goes on (_drive).
      if (this._windowTasks.length !== 0) this._slowCheck = { handle, t0, r0 };
      else this._currentHandle = null;
    }
    if (this._slowCheck === null) this._checkSlow(handle, t0, r0, shown);
  }

  /** @internal Debug mode: a handle run whose duration is still to be checked (see _runTimed). */
  _slowCheck: { handle: Handle | ReadyItem; t0: number; r0: number } | null = null;

  /**
   * @internal How long a callback run since loop time `t0` (real time `r0`, in seconds) took,
   * for debug mode (VirtualTimeLoop: by either clock).
   */
  _debugElapsed(t0: number, _r0: number): number {
    return this._loopTime() - t0;
  }

  private _checkSlow(
    handle: Handle | ReadyItem,
    t0: number,
    r0: number,
    shown: string | null = null,
  ): void {
    const dt = this._debugElapsed(t0, r0);
    if (dt >= this.slowCallbackDuration) {
      logger.warning(`Executing ${shown ?? formatHandle(handle)} took ${dt.toFixed(3)} seconds`);
    }
  }

  /** Runs iterations until there is nothing to do now, the turn's budget is spent, or a pause. */
  private _drive(): void {
    try {
      const slow = this._slowCheck;
      if (slow !== null) {
        this._slowCheck = null;
        this._currentHandle = null;
        this._checkSlow(slow.handle, slow.t0, slow.r0);
      }
      for (;;) {
        if (this._exit !== null) {
          // An exit raised outside a callback (an async task's SystemExit, Ctrl-C): the
          // iteration ends here, as when a callback raises it (below); what it had not run yet
          // stays queued for the next one.
          const { error } = this._exit;
          this._exit = null;
          this._ntodo = 0;
          this._inIteration = false;
          this._endRun(error);
          return;
        }
        if (!this._inIteration) {
          if (this._scheduled.length === 0 && this._ready.length > 0) {
            // No timers and work to do: what the three calls below come to.
            this._timersPruned = false;
            this._ntodo = this._ready.length;
            this._handlesSinceClock += this._ntodo;
            this._inIteration = true;
          } else {
            if (!this._timersPruned) this._pruneTimers();
            if (!this._hasWorkNow()) {
              if (Number.isNaN(this._scheduled[0]?._when)) {
                // CPython's select() timeout: math.ceil(nan) fails out of run_forever().
                this._endRun(new ValueError("cannot convert float NaN to integer"));
                return;
              }
              this._sleep();
              return;
            }
            this._beginIteration();
          }
        }
        if (!this._runReady()) {
          // An async task resumed: wait for it to reach its next await (it then calls
          // _windowsClosed). If it awaits something foreign instead, the window stays open until
          // the microtasks run out, which the next Node turn sees (_onWindowFallback).
          this._paused = true;
          if (this._windowFallback === null) {
            this._windowFallback = _outsideTasks(() => setImmediate(this._onWindowFallback));
          }
          return;
        }
        this._inIteration = false;
        if (this._stopping) {
          this._endRun(undefined);
          return;
        }
        // Reading the clock costs as much as a small iteration: look every 8 iterations, and
        // only once some handles have run since the last look (two tasks taking turns make
        // iterations of one handle each).
        if (++this._itersSinceClock >= 8 && this._handlesSinceClock >= CLOCK_HANDLES) {
          this._itersSinceClock = 0;
          this._handlesSinceClock = 0;
          if (performance.now() >= this._turnDeadline) {
            this._yieldTurn();
            return;
          }
        }
      }
    } catch (e) {
      // KeyboardInterrupt/SystemExit escaped a callback: the loop stops, reusable (as CPython).
      this._ntodo = 0;
      this._inIteration = false;
      this._endRun(e);
    }
  }

  /**
   * @internal Resumes the paused iteration once no window is open: at once when `now` (the
   * caller is the library's reaction to a task's own promise), else in a microtask of its own, a
   * promise reaction (Node's queueMicrotask makes an AsyncResource and a bound function per call
   * once async hooks are on, as they are after the first async-function task).
   */
  override _windowsClosed(now: boolean): void {
    if (!this._paused) return;
    if (now) {
      this._paused = false;
      this._drive();
    } else if (!this._resumeQueued) {
      this._resumeQueued = true;
      RESOLVED.then(this._resume);
    }
  }

  private readonly _resume = (): void => {
    this._resumeQueued = false;
    if (!this._paused || this._windowTasks.length !== 0) return;
    this._paused = false;
    // Queued from a task's code, this reaction runs in its async scope: leave it, or an async
    // function a later callback starts would count as that task's (its context, its cancel).
    _leaveTaskScope();
    this._drive();
  };

  /**
   * A Node turn has passed since the pause began, so no microtask is left that could bring an
   * open window's task to its next await: it awaits something foreign and resumes when that
   * settles. The iteration goes on without it.
   */
  private readonly _onWindowFallback = (): void => {
    this._windowFallback = null;
    if (!this._paused) return;
    const windows = this._windowTasks as Task<unknown>[];
    for (const t of windows) t._windowLapsed();
    windows.length = 0;
    this._paused = false;
    this._turnDeadline = performance.now() + this.turnBudget;
    RESOLVED.then(this._driveNow);
  };

  private _endRun(error: unknown): void {
    try {
      _tenureTasks(this);
    } catch (e) {
      // (a debug repr that raises): the run ends with it, the loop stays usable
      if (error === undefined) error = e;
    }
    this._stopping = false;
    this._timersPruned = false;
    this._running = false;
    _setRunningLoop(null);
    if (sigintLoop === this) {
      sigintLoop = null;
      process.off("SIGINT", defaultIntHandler);
    }
    this._clearNodeTimers();
    const resolve = this._resolveRun;
    const reject = this._rejectRun;
    this._resolveRun = this._rejectRun = null;
    if (error === undefined) resolve?.();
    else reject?.(error);
  }

  /** Nothing to do now: sleep in Node until the next timer (or until woken). */
  protected _sleep(): void {
    _tenureTasks(this);
    this._sleeping = true;
    const ms = this._idleDelayMs();
    if (ms === 0) {
      this._immediate = _outsideTasks(() => setImmediate(this._onIdleTurn));
      return;
    }
    this._timeout = _outsideTasks(() =>
      setTimeout(this._onTimeout, Math.min(Math.ceil(ms), KEEPALIVE_MS)),
    );
  }

  /** Milliseconds of real time to sleep when idle; 0 means "one Node turn". */
  protected _idleDelayMs(): number {
    const scheduled = this._scheduled;
    return scheduled.length > 0
      ? Math.max(1, (scheduled[0]!._when - this._loopTime()) * 1000)
      : KEEPALIVE_MS;
  }

  /** Called when an idle wait of one Node turn passed with nothing waking the loop. */
  protected _idleTurnPassed(): void {}

  private readonly _onIdleTurn = (): void => {
    this._immediate = null;
    this._sleeping = false;
    this._idleTurnPassed();
    this._turnDeadline = performance.now() + this.turnBudget;
    RESOLVED.then(this._driveNow);
  };

  private readonly _onTimeout = (): void => {
    this._timeout = null;
    this._sleeping = false;
    this._turnDeadline = performance.now() + this.turnBudget;
    RESOLVED.then(this._driveNow);
  };

  /**
   * `_drive` for the Node callbacks above, run as a microtask: V8 builds a message object (the
   * throw's source location) for each exception thrown in a macrotask callback, not in a
   * microtask, where a throw that is caught costs half as much (measured 260 ns against 475).
   * Throwing is how a task's coroutine is cancelled. `_drive` catches everything.
   */
  private readonly _driveNow = (): void => {
    this._drive();
  };

  private _yieldTurn(): void {
    this._immediate = _outsideTasks(() => setImmediate(this._onImmediate));
  }

  private readonly _onImmediate = (): void => {
    this._immediate = null;
    this._turnDeadline = performance.now() + this.turnBudget;
    RESOLVED.then(this._driveNow);
  };

  /** @internal Something became ready while the loop slept. */
  _wake(): void {
    if (!this._sleeping) return;
    this._sleeping = false;
    if (this._timeout !== null) {
      clearTimeout(this._timeout);
      this._timeout = null;
    }
    if (this._immediate !== null) {
      clearImmediate(this._immediate);
      this._immediate = null;
    }
    this._yieldTurn();
  }

  private _clearNodeTimers(): void {
    this._sleeping = false;
    this._paused = false;
    if (this._windowFallback !== null) clearImmediate(this._windowFallback);
    this._windowFallback = null;
    if (this._timeout !== null) clearTimeout(this._timeout);
    if (this._immediate !== null) clearImmediate(this._immediate);
    this._timeout = null;
    this._immediate = null;
  }

  [customRepr](): string {
    // The default class shows CPython's name for it (asyncio.EventLoop is an alias there).
    const name = this.constructor === EventLoop ? DEFAULT_LOOP_NAME : className(this);
    return `<${name} running=${this._running ? "True" : "False"} closed=${this._closed ? "True" : "False"} debug=${this._debug ? "True" : "False"}>`;
  }

  override toString(): string {
    return this[customRepr]();
  }
}

/*
 * The timer heap: CPython's heapq push/pop/heapify step for step (so that timers with equal
 * deadlines come out in exactly CPython's order; a VirtualTimeLoop's ties order them first, see
 * `timerTies`), on two parallel arrays: the handles and their deadlines. Comparing deadlines
 * in a packed array of doubles instead of through each handle saves a cache miss per
 * comparison in a big heap; the deadlines are a Float64Array,
 * grown by doubling (the heap's size is `items.length`): pushing onto a big plain array costs
 * several times more (200,000 timers: ~200 -> ~130 ns per push here).
 */

const TIMER_KEYS_MIN = 16;

function growKeys(keys: Float64Array): Float64Array {
  const grown = new Float64Array(keys.length * 2);
  grown.set(keys);
  return grown;
}

function timerSiftdown(
  items: TimerHandle[],
  keys: Float64Array,
  startpos: number,
  pos: number,
): void {
  const newitem = items[pos]!;
  const newkey = keys[pos]!;
  while (pos > startpos) {
    const parentpos = (pos - 1) >> 1;
    const parentkey = keys[parentpos]!;
    if (newkey < parentkey || (newkey === parentkey && tieBelow(newitem, items[parentpos]!))) {
      items[pos] = items[parentpos]!;
      keys[pos] = parentkey;
      pos = parentpos;
      continue;
    }
    break;
  }
  items[pos] = newitem;
  keys[pos] = newkey;
}

function timerSiftup(items: TimerHandle[], keys: Float64Array, pos: number): void {
  const endpos = items.length;
  const startpos = pos;
  const newitem = items[pos]!;
  const newkey = keys[pos]!;
  let childpos = 2 * pos + 1;
  while (childpos < endpos) {
    const rightpos = childpos + 1;
    if (rightpos < endpos) {
      const ck = keys[childpos]!;
      const rk = keys[rightpos]!;
      if (!(ck < rk || (ck === rk && tieBelow(items[childpos]!, items[rightpos]!)))) {
        childpos = rightpos;
      }
    }
    items[pos] = items[childpos]!;
    keys[pos] = keys[childpos]!;
    pos = childpos;
    childpos = 2 * pos + 1;
  }
  items[pos] = newitem;
  keys[pos] = newkey;
  timerSiftdown(items, keys, startpos, pos);
}

/** `keys` has room for one more (the loop grows it). */
function timerPush(items: TimerHandle[], keys: Float64Array, item: TimerHandle, key: number): void {
  const n = items.length;
  items.push(item);
  keys[n] = key;
  timerSiftdown(items, keys, 0, n);
}

function timerPop(items: TimerHandle[], keys: Float64Array): TimerHandle {
  const last = items.pop()!;
  const lastkey = keys[items.length]!;
  if (items.length > 0) {
    const first = items[0]!;
    items[0] = last;
    keys[0] = lastkey;
    timerSiftup(items, keys, 0);
    return first;
  }
  return last;
}

function timerHeapify(items: TimerHandle[], keys: Float64Array): void {
  for (let i = (items.length >> 1) - 1; i >= 0; i--) timerSiftup(items, keys, i);
}

const shutdownAsyncgens = awaitable(
  function* shutdownAsyncgens(): Coroutine<void> {},
  "BaseEventLoop.shutdown_asyncgens",
);

const shutdownDefaultExecutor = awaitable(function* shutdownDefaultExecutor(
  loop: EventLoop,
  timeout: number | null,
): Coroutine<void> {
  loop._executorShutdownCalled = true;
  const executor = loop._defaultExecutor;
  if (executor === null) return;
  const timedOut = yield* ensureFuture(executorJoined(executor, timeout), { loop });
  if (timedOut) {
    process.emitWarning(
      `The executor did not finishing joining its threads within ${timeout} seconds.`,
      "RuntimeWarning",
    );
    void executor.shutdown({ wait: false });
  }
}, "BaseEventLoop.shutdown_default_executor");

/** Resolves false when `executor` has joined its threads, true if `timeout` (real time) came first. */
async function executorJoined(executor: Executor, timeout: number | null): Promise<boolean> {
  const done = Promise.resolve(executor.shutdown({ wait: true }));
  if (timeout === null || timeout === undefined) {
    await done;
    return false;
  }
  let cancel = (): void => {};
  const timedOut = await Promise.race([
    done.then(() => false),
    new Promise<boolean>((resolve) => {
      cancel = longTimeout(() => resolve(true), timeout);
    }),
  ]);
  cancel();
  return timedOut;
}

/** The loop that holds {@link defaultIntHandler}, while it runs. */
let sigintLoop: EventLoop | null = null;

/**
 * Python's `signal.default_int_handler`, while a loop runs in the main thread and nothing else
 * listens for SIGINT: Ctrl-C raises KeyboardInterrupt out of the run, where Node would end the
 * process at once, running no `finally`. A listener added meanwhile (a Runner's,
 * `addSignalHandler`, the application's own) takes over, as a handler installed in Python does.
 */
function defaultIntHandler(): void {
  if (process.listenerCount("SIGINT") > 1) return;
  sigintLoop?._raiseFromLoop(new KeyboardInterrupt());
}

/** A task step's handle is shown as the task, as CPython's debug messages do. */
function formatHandle(handle: Handle | ReadyItem): string {
  // A task (or future) queued itself before debug mode was turned on.
  if (!(handle instanceof Handle)) return (handle as unknown as Future<unknown>)[customRepr]();
  // CPython shows the task for its own step or wake-up (a Task method), not for any callback
  // whose first argument is a task.
  const task = _taskOfHandle(handle._callback, handle._args);
  return task !== null ? task[customRepr]() : handle[customRepr]();
}

_setDefaultLoopFactory(() => new EventLoop());

// `async def` methods of CPython's loop: isCoroutineFunction(loop.createConnection) is true.
_markCoroutineMethods(EventLoop, [
  "createConnection",
  "createServer",
  "createUnixConnection",
  "createUnixServer",
  "connectAcceptedSocket",
  "createDatagramEndpoint",
  "startTls",
  "sendfile",
  "subprocessExec",
  "subprocessShell",
  "getaddrinfo",
  "getnameinfo",
  "connectReadPipe",
  "connectWritePipe",
  "shutdownAsyncgens",
  "shutdownDefaultExecutor",
]);

_registerCreateFuture(EventLoop.prototype.createFuture);
defaultGetaddrinfo.add(EventLoop.prototype.getaddrinfo);

libraryClasses(EventLoop);
