/**
 * `run()` and `Runner` (Python's `asyncio.runners`).
 */

import { isMainThread } from "node:worker_threads";
import type { EventLoop } from "./base_events.ts";
import { type Context, copyContext } from "./contextvars.ts";
import { isCoroutine, isThenable } from "./coroutines.ts";
import { _getRunningLoop, type AbstractEventLoop, newEventLoop, setEventLoop } from "./events.ts";
import { CancelledError, KeyboardInterrupt, RuntimeError, ValueError } from "./exceptions.ts";
import { keepClassNames, pyRepr, pyTypeName } from "./format.ts";
import { type Future, isFuture } from "./futures.ts";
import { gather } from "./gather.ts";
import { _skipTaskName, allTasks, type Task, type TaskBody } from "./tasks.ts";
import { _sigintDefaultRestored } from "./unix_events.ts";

export interface RunnerOptions {
  debug?: boolean | null;
  /** A function that makes the loop, or a loop class (Python's `loop_factory=asyncio.EventLoop`). */
  loopFactory?: (() => AbstractEventLoop) | (new () => AbstractEventLoop) | null;
}

/** Calls a loop factory: a class is constructed (JavaScript cannot call it as Python does). */
function makeLoop(factory: (() => AbstractEventLoop) | (new () => AbstractEventLoop)) {
  if (typeof factory !== "function") {
    throw new TypeError(`'${pyTypeName(factory)}' object is not callable`);
  }
  return /^class[\s{]/.test(Function.prototype.toString.call(factory))
    ? new (factory as new () => AbstractEventLoop)()
    : (factory as () => AbstractEventLoop)();
}

type State = "created" | "initialized" | "closed";

/** CPython's ValueError for a non-coroutine; a started promise (not a Future) is API §2's TypeError. */
function checkMain(main: unknown): void {
  if (isCoroutine(main) || typeof main === "function") return;
  if (isThenable(main) && !isFuture(main)) {
    throw new TypeError(
      `a coroutine was expected, got ${pyRepr(main)}: a promise has already started; pass the function instead, e.g. run(main) or run(() => main())`,
    );
  }
  throw new ValueError(`a coroutine was expected, got ${pyRepr(main)}`);
}

/**
 * Runs coroutines on one loop that it owns (Python's `asyncio.Runner`): the same loop and the
 * same context across `run()` calls; `close()` cancels what is left, waits for it, shuts down
 * the default executor and closes the loop. Usable with `await using`.
 */
export class Runner {
  private _state: State = "created";
  /** the close() in progress or done, which every later close() returns */
  private _closing: Promise<void> | null = null;
  private _loop: (AbstractEventLoop & Pick<EventLoop, "createTask" | "runUntilComplete">) | null =
    null;
  private _context: Context | null = null;
  private _interruptCount = 0;
  private _setEventLoop = false;

  constructor(private readonly options: RunnerOptions = {}) {}

  /** The runner's loop, created on first use. */
  getLoop(): AbstractEventLoop {
    this._lazyInit();
    return this._loop!;
  }

  /**
   * Runs `coro` (a coroutine, or a function returning a coroutine or a promise) to completion
   * in the runner's context. In the main thread, Ctrl-C cancels it; if that ends it, the run
   * rejects with KeyboardInterrupt (a second Ctrl-C raises at once).
   */
  async run<T>(coro: TaskBody<T>, options?: { context?: Context | null }): Promise<T> {
    checkMain(coro);
    if (_getRunningLoop() !== null) {
      throw new RuntimeError("Runner.run() cannot be called from a running event loop");
    }
    // Between the steps of an asynchronous close() (which CPython's synchronous one has not).
    if (this._closing !== null) throw new RuntimeError("Runner is closed");
    this._lazyInit();
    const loop = this._loop!;
    const task = loop.createTask(coro, { context: options?.context ?? this._context! }) as Task<T>;
    let onSigint: (() => void) | null = null;
    this._interruptCount = 0;
    if (isMainThread && process.listenerCount("SIGINT") === 0) {
      onSigint = () => this._onSigint(task);
      process.on("SIGINT", onSigint);
      _sigintDefaultRestored(true);
    }
    try {
      return await loop.runUntilComplete<T>(task);
    } catch (e) {
      if (e instanceof CancelledError && this._interruptCount > 0) {
        // A task factory's object may have no uncancel() (CPython: getattr(task, "uncancel")).
        const uncancel = (task as { uncancel?: unknown }).uncancel;
        if (typeof uncancel === "function" && uncancel.call(task) <= 0) {
          throw new KeyboardInterrupt();
        }
      }
      throw e;
    } finally {
      if (onSigint !== null) process.off("SIGINT", onSigint);
    }
  }

  private _onSigint(task: Task<unknown>): void {
    // Someone else took SIGINT over (loop.addSignalHandler, process.on): as in CPython, where
    // installing a handler replaces the Runner's, the Runner stands aside.
    if (process.listenerCount("SIGINT") > 1) return;
    const loop = this._loop as unknown as EventLoop;
    if (_sigintDefaultRestored()) {
      // removeSignalHandler(SIGINT) put Python's default handler in the Runner's place.
      loop._raiseFromLoop(new KeyboardInterrupt());
      return;
    }
    this._interruptCount++;
    if (this._interruptCount === 1 && !task.done()) {
      task.cancel();
      loop.callSoonThreadsafe(() => {});
      return;
    }
    loop._raiseFromLoop(new KeyboardInterrupt());
  }

  /** Cancels remaining tasks, shuts down async generators and the executor, closes the loop. */
  close(): Promise<void> {
    // As CPython: closing a runner that never made its loop does nothing (it stays usable).
    // CPython's close() is done when it returns; here it may take a while: a second close()
    // meanwhile gets the first one's promise. The runner is closed once its loop is (a close()
    // that failed before, as inside its own run(), leaves it usable, as CPython's does).
    if (this._closing !== null) return this._closing;
    if (this._state !== "initialized") return Promise.resolve();
    // Nothing left to cancel or to run, and no loop running (whose run_until_complete() would
    // fail): closed at once, so that a close() not awaited (as Python's is written) has closed
    // the loop when it returns.
    const loop = this._loop as AbstractEventLoop & Partial<Pick<EventLoop, "_idleForShutdown">>;
    if (
      _getRunningLoop() === null &&
      loop._idleForShutdown?.() === true &&
      allTasks(loop).size === 0
    ) {
      // the names of the two shutdown tasks CPython makes
      _skipTaskName();
      _skipTaskName();
      try {
        this._finishClose(loop);
        return Promise.resolve();
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const closing = this._close().finally(() => {
      this._closing = null;
    });
    this._closing = closing;
    return closing;
  }

  /** CPython's `finally` of close(): a loop that cannot be closed (running) keeps the runner open. */
  private _finishClose(loop: AbstractEventLoop): void {
    if (this._setEventLoop) setEventLoop(null);
    loop.close();
    this._loop = null;
    this._state = "closed";
  }

  private async _close(): Promise<void> {
    const loop = this._loop!;
    try {
      await cancelAllTasks(loop);
      if (loop._madeIO) await loop.runUntilComplete(nodeTurns(loop, 3));
      await loop.runUntilComplete(loop.shutdownAsyncgens());
      // CPython's THREAD_JOIN_TIMEOUT: a warning if the threads have not joined in 300 s.
      await loop.runUntilComplete(loop.shutdownDefaultExecutor(300));
    } finally {
      this._finishClose(loop);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private _lazyInit(): void {
    if (this._state === "closed") throw new RuntimeError("Runner is closed");
    if (this._state === "initialized") return;
    const factory = this.options.loopFactory;
    if (factory === undefined || factory === null) {
      this._loop = newEventLoop() as typeof this._loop;
      if (!this._setEventLoop) {
        setEventLoop(this._loop);
        this._setEventLoop = true;
      }
    } else {
      this._loop = makeLoop(factory) as typeof this._loop;
    }
    // None (null) leaves the loop's own setting, as CPython's `if self._debug is not None`.
    if (this.options.debug !== undefined && this.options.debug !== null) {
      this._loop!.setDebug(this.options.debug);
    }
    this._context = copyContext();
    this._state = "initialized";
  }
}

/** Cancels every task left on `loop`, waits for them, reports their errors. */
async function cancelAllTasks(
  loop: AbstractEventLoop & Pick<EventLoop, "runUntilComplete">,
): Promise<void> {
  const toCancel = allTasks(loop);
  if (toCancel.size === 0) return;
  for (const t of toCancel) t.cancel();
  await loop.runUntilComplete(gather([...toCancel], { returnExceptions: true }));
  for (const t of toCancel) {
    if (t.cancelled()) continue;
    const exc = t.exception();
    if (exc !== null) {
      loop.callExceptionHandler({
        message: "unhandled exception during asyncio.run() shutdown",
        exception: exc,
        task: t,
      });
    }
  }
}

/**
 * A future done after `turns` Node turns, each with its poll for I/O: what a peer already sent
 * (an EOF, data) reaches the loop's transports while it runs, as the iterations of CPython's
 * shutdown poll for it (with no wait) and run what it brings, such as a server-side
 * `connection_lost` after the client closed at the end of `main`. No task: no task name taken.
 */
function nodeTurns(loop: AbstractEventLoop, turns: number): Future<void> {
  const done = loop.createFuture<void>();
  let n = 0;
  const hop = (): void => {
    if (++n < turns) setImmediate(hop);
    else loop.callSoonThreadsafe(() => done.done() || done.setResult());
  };
  setImmediate(hop);
  return done;
}

/**
 * Runs `main` on a new loop and closes it (Python's `asyncio.run`): cancels what is left,
 * shuts down async generators and the default executor, then closes the loop.
 */
export async function run<T>(main: TaskBody<T>, options: RunnerOptions = {}): Promise<T> {
  if (_getRunningLoop() !== null) {
    throw new RuntimeError("asyncio.run() cannot be called from a running event loop");
  }
  const runner = new Runner(options);
  // As CPython's `with Runner(...) as runner`: the loop is made (and set as the current one)
  // before `main` is checked, so even a rejected `main` leaves no current loop behind.
  runner.getLoop();
  try {
    return await runner.run(main);
  } finally {
    await runner.close();
  }
}

keepClassNames({ Runner });
