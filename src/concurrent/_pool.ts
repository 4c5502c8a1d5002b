/**
 * The worker pool shared by `ThreadPoolExecutor` and `ProcessPoolExecutor`. Internal module.
 *
 * It is CPython's executors' logic on Node's workers: a FIFO queue of work items; a worker is
 * started when work is submitted and no worker is idle, up to `maxWorkers`; an idle worker takes
 * the next item, which is marked running then (`setRunningOrNotifyCancel`), so only work that
 * has not been handed to a worker can be cancelled; `shutdown` lets the queue drain (or cancels
 * it) and then ends the workers. One call runs in a worker at a time.
 *
 * Node specifics: idle workers do not keep the process alive (busy ones do, like CPython joining
 * its workers at exit); a worker that dies (an uncaught error in it, `process.exit()`, a crash,
 * being killed) breaks the pool: the subclass decides which futures fail (see `_workerDied`).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Context } from "../contextvars.ts";
import { Deque } from "../deque.ts";
import { RuntimeError, ValueError } from "../exceptions.ts";
import { compareError, pyTruthy } from "../format.ts";
import { CRITICAL } from "../log.ts";
import {
  type BrokenExecutor,
  checkIterables,
  Executor,
  Future,
  type InvalidStateError,
  LOGGER,
  type MapArgs,
  mapEndTime,
  orderedResults,
  type ShutdownOptions,
  splitMapArgs,
  zipArgs,
} from "./_base.ts";
import {
  _toCallRef,
  _toRef,
  type AnyFunction,
  type FunctionRef,
  type WorkerFunction,
} from "./_function.ts";
import { decode, encode, type Payload, rebuildError, type WireError } from "./_serialize.ts";
import type { ChunkOutcome, FromWorker, ToWorker } from "./_worker.ts";

let workerRuntime: URL | undefined;

/**
 * The runtime a worker runs: `_worker.ts` from source, `_worker.js` once built, next to this
 * module. A bundle that took this module in has neither (nor, as CommonJS, `import.meta.url`):
 * an error that says what to do then.
 */
export function _workerRuntime(): URL {
  if (workerRuntime !== undefined) return workerRuntime;
  const here = import.meta.url as string | undefined;
  const url =
    typeof here === "string" && here !== ""
      ? new URL(here.endsWith(".ts") ? "./_worker.ts" : "./_worker.js", here)
      : null;
  if (url === null || (url.protocol === "file:" && !existsSync(fileURLToPath(url)))) {
    throw new RuntimeError(
      `asyncio-ts cannot start a worker: its worker runtime ${url === null ? "(import.meta.url is empty: a CommonJS bundle?)" : fileURLToPath(url)} is missing. ` +
        "A bundle that includes asyncio-ts loses the files its workers run: keep asyncio-ts outside the bundle (esbuild --packages=external or --external:asyncio-ts)",
    );
  }
  workerRuntime = url;
  return url;
}

/** What the pool needs from one worker (a thread or a process). */
export interface WorkerHandle {
  post(msg: ToWorker, transfer: readonly unknown[]): void;
  ref(): void;
  unref(): void;
  terminate(): void;
}

/** What a worker reports to the pool. */
export interface WorkerEvents {
  message(msg: FromWorker): void;
  /** An uncaught error in the worker (it is about to exit) or a failure to start it. */
  error(err: unknown): void;
  exit(code: number | null, signal: string | null): void;
}

/** @internal One queued call. */
export interface WorkItem {
  future: Future<unknown>;
  fn: FunctionRef;
  args: Payload;
  chunk: boolean;
}

/**
 * Set when the process (or this worker thread) exits, by a listener added when this module
 * loads, so before the user's own 'exit' listeners, as CPython's threading exit hook runs
 * before `atexit` handlers: a call submitted then could never run (no turn of the event loop
 * follows), so `submit()` raises as CPython's does after interpreter shutdown.
 */
let exiting = false;
process.once("exit", () => {
  exiting = true;
});

type SlotState = "starting" | "idle" | "busy" | "exiting" | "failed";

/** @internal One worker and what it is doing. */
export class Slot {
  state: SlotState = "starting";
  item: WorkItem | null = null;
  tasks = 0;
  error: unknown = null;
  handle!: WorkerHandle;
  /**
   * @param context what CPython's completing thread would run the done callbacks in: the worker
   *   thread's own context (a thread pool) or the pool's manager thread's (a process pool), each
   *   empty at first, as a new thread's is in 3.13, never the context of whoever started the
   *   worker (Node would run the worker's events in that task's async context)
   */
  constructor(
    readonly name: string,
    readonly context: Context,
  ) {}
}

/**
 * The Node options a pool's workers start with: the program's own (`--import tsx`,
 * `--conditions`, memory flags), but for `--input-type`, which only applies to code given on
 * stdin or with `--eval`, and which Node refuses for a worker's file.
 */
export function _workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--input-type") i++;
    else if (!a.startsWith("--input-type=")) out.push(a);
  }
  return out;
}

/**
 * A pool constructor's argument as options: a number (or null) is `maxWorkers`, as Python's
 * positional `max_workers` (`new ThreadPoolExecutor(4)`).
 */
export function _poolOptions<O extends PoolOptions>(first: O | number | null): O {
  return typeof first === "object" && first !== null ? first : ({ maxWorkers: first } as O);
}

export interface PoolOptions {
  maxWorkers?: number | null;
  initializer?: AnyFunction | WorkerFunction | null;
  initargs?: unknown[];
}

let callIds = 0;

export abstract class PoolExecutor extends Executor {
  /** @internal */ readonly _maxWorkers: number;
  /** @internal */ _queue = new Deque<WorkItem>();
  /** @internal */ _slots = new Set<Slot>();
  /** @internal */ _idle: Slot[] = [];
  /** @internal Why the pool is broken (the message of the error `submit` throws), or null. */
  _broken: string | null = null;
  /** @internal What broke it (the dead worker's error or exit), for the errors `submit` throws. */
  _brokenCause: unknown = undefined;
  /** @internal */ _shutdown = false;
  /** @internal */ _spawned = 0;
  /** the context of a process pool's manager thread (see Slot) */
  private readonly _managerContext = new Context();
  /** @internal */ readonly _initializer: FunctionRef | null;
  /** @internal */ readonly _initargs: Payload | null;
  private _exitWaiters: (() => void)[] = [];

  /** True for a process pool: values are sent to another process. */
  protected abstract readonly _crossProcess: boolean;
  /** Starts a worker. */
  protected abstract _startWorker(slot: Slot, events: WorkerEvents): WorkerHandle;
  /** The pool's broken error (`BrokenThreadPool`, `BrokenProcessPool`). */
  protected abstract _brokenError(message: string): BrokenExecutor;
  /** The worker's name (thread name) for its `index`-th worker. */
  protected abstract _workerName(index: number): string;
  /** A worker's initializer failed. */
  protected abstract _initializerFailed(slot: Slot, error: unknown): void;
  /** A worker died without being asked to. */
  protected abstract _workerDied(slot: Slot, cause: unknown): void;

  constructor(maxWorkers: number, options: PoolOptions, crossProcess: boolean) {
    super();
    // A bool is an int in Python: True is one worker, False none.
    if (typeof maxWorkers === "boolean") maxWorkers = Number(maxWorkers);
    if (typeof maxWorkers !== "number" || Number.isNaN(maxWorkers)) {
      throw compareError("<=", maxWorkers, 0);
    }
    if (maxWorkers <= 0) throw new ValueError("max_workers must be greater than 0");
    if (crossProcess && !Number.isInteger(maxWorkers)) {
      throw new TypeError("'float' object cannot be interpreted as an integer");
    }
    // CPython's thread pool starts a thread while there are fewer than max_workers: 0.5 is one.
    this._maxWorkers = Math.ceil(maxWorkers);
    const init = options.initializer ?? null;
    if (init !== null && init !== undefined) {
      if (typeof init !== "function" && (typeof init !== "object" || init === null)) {
        throw new TypeError("initializer must be a callable");
      }
      this._initializer = _toRef(init, "initializer");
      // Python's initializer(*initargs): initargs=None fails in the worker (the pool breaks).
      this._initargs = encodeOrThrow(
        options.initargs === undefined ? [] : options.initargs,
        crossProcess,
        `${this._initializer.name}()`,
        "arguments",
      );
    } else {
      this._initializer = null;
      this._initargs = null;
    }
  }

  /** The maximum number of workers. */
  get maxWorkers(): number {
    return this._maxWorkers;
  }

  /**
   * Schedules `fn(...args)` in a worker and returns a concurrent Future for it. `fn` is a function
   * with self-contained source text (rebuilt there from it) or a registered one
   * (`workerFunctions` / `workerFunction`); `args` are sent by structured clone.
   * Throws the pool's broken error if it is broken, `RuntimeError('cannot schedule new futures
   * after shutdown')` after `shutdown`, and `TypeError` for a function or argument that cannot
   * be sent.
   */
  submit<F extends AnyFunction>(
    fn: F | WorkerFunction<F>,
    ...args: Parameters<F>
  ): Future<Awaited<ReturnType<F>>> {
    return this._submit(fn, args, null, false) as Future<Awaited<ReturnType<F>>>;
  }

  /** @internal submit with a context to carry (toThread) or as a chunk of calls (map). */
  _submit(
    fn: unknown,
    args: unknown[],
    context: [string, unknown][] | null,
    chunk: boolean,
  ): Future<unknown> {
    if (this._broken !== null) {
      const err = this._brokenError(this._broken);
      if (this._brokenCause !== undefined) (err as { cause?: unknown }).cause = this._brokenCause;
      throw err;
    }
    if (this._shutdown) throw new RuntimeError("cannot schedule new futures after shutdown");
    if (exiting) throw new RuntimeError("cannot schedule new futures after interpreter shutdown");
    // Python's submit takes anything: calling a non-callable fails in the worker.
    const ref = _toCallRef(fn);
    if (ref.context !== undefined) {
      context = ref.context;
      delete ref.context;
    }
    const payload = encodeOrThrow(
      [args, context],
      this._crossProcess,
      `${ref.name}()`,
      "arguments",
    );
    const future = new Future<unknown>();
    future._offThread = true;
    this._queue.push({ future, fn: ref, args: payload, chunk });
    this._adjustWorkerCount();
    this._dispatch();
    return future;
  }

  /**
   * `map` with `chunksize`: the calls are sent to the workers `chunksize` at a time (one message
   * and one future per chunk), which pays off for many small calls. Unlike CPython's
   * `ThreadPoolExecutor`, which ignores it, both pools honour it (a thread pool still ignores
   * anything but a number of 1 or more, where a process pool throws CPython's errors: see
   * `mapChunksize`).
   * In a thread pool every call of a chunk still runs and is reported on its own, so the
   * results are CPython's; in a process pool a chunk stops and fails at its first error.
   */
  override map<F extends AnyFunction>(
    fn: F | WorkerFunction<F>,
    ...args: MapArgs<Parameters<F>>
  ): AsyncGenerator<Awaited<ReturnType<F>>, void, undefined> {
    const [iterables, options] = splitMapArgs(args);
    const chunksize = mapChunksize(options.chunksize, iterables, this._crossProcess);
    if (chunksize === 1) return super.map(fn, ...args);
    const endTime = mapEndTime(options.timeout);
    checkIterables(iterables);
    const fs: Future<unknown>[] = [];
    let chunk: unknown[][] = [];
    for (const callArgs of zipArgs(iterables)) {
      chunk.push(callArgs);
      if (chunk.length >= chunksize) {
        fs.push(this._submit(fn, chunk, null, true));
        chunk = [];
      }
    }
    if (chunk.length > 0) fs.push(this._submit(fn, chunk, null, true));
    // A process pool's chunk fails as a whole (CPython's _process_chunk); in a thread pool each
    // call has its own outcome, as in CPython's (which ignores chunksize): the results before
    // a failed call are yielded, then its error is thrown.
    const unpack = this._crossProcess ? (v: unknown) => v as unknown[] : chunkOutcomes;
    return orderedResults(fs, endTime, unpack) as AsyncGenerator<
      Awaited<ReturnType<F>>,
      void,
      undefined
    >;
  }

  /** Python's `_adjust_thread_count`: start a worker if none is idle and there is room. */
  private _adjustWorkerCount(): void {
    if (this._idle.length > 0) return;
    if (this._slots.size < this._maxWorkers) this._spawn();
  }

  private _spawn(): void {
    const context = this._crossProcess ? this._managerContext : new Context();
    const slot = new Slot(this._workerName(this._spawned++), context);
    this._slots.add(slot);
    const events: WorkerEvents = {
      message: (msg) => inContext(context, () => this._onMessage(slot, msg)),
      error: (err) => {
        if (slot.error === null) slot.error = err;
      },
      exit: (code, signal) => inContext(context, () => this._onExit(slot, code, signal)),
    };
    slot.handle = this._startWorker(slot, events);
    slot.handle.post(
      { t: "init", name: slot.name, initializer: this._initializer, initargs: this._initargs },
      [],
    );
  }

  /** Hands queued work to idle workers; after shutdown, ends idle workers once the queue is empty. */
  _dispatch(): void {
    const queue = this._queue;
    while (queue.length > 0 && this._idle.length > 0) {
      const item = queue.shift()!;
      if (!item.future.setRunningOrNotifyCancel()) continue;
      // The worker idle longest first, as CPython's threads take work from one queue in turn.
      const slot = this._idle.shift()!;
      slot.state = "busy";
      slot.item = item;
      slot.handle.ref();
      slot.handle.post(
        { t: "run", id: ++callIds, fn: item.fn, args: item.args, chunk: item.chunk },
        item.args.ports ?? [],
      );
    }
    if (this._shutdown && queue.length === 0) {
      for (const slot of this._idle) this._retire(slot);
      this._idle = [];
    }
  }

  /** Asks a worker to exit; it keeps the process alive until it has. */
  private _retire(slot: Slot): void {
    slot.state = "exiting";
    slot.handle.ref();
    slot.handle.post({ t: "exit" }, []);
  }

  private _onMessage(slot: Slot, msg: FromWorker): void {
    switch (msg.t) {
      case "ready":
        if (slot.state !== "starting") return;
        this._becomeIdle(slot);
        this._dispatch();
        return;
      case "init-failed": {
        const error = rebuildError(decode(msg.error) as WireError);
        LOGGER.log(CRITICAL, "Exception in initializer:", error);
        slot.state = "failed";
        slot.handle.ref();
        slot.handle.post({ t: "exit" }, []);
        this._initializerFailed(slot, error);
        return;
      }
      case "done": {
        const item = slot.item;
        if (item === null || slot.state !== "busy") return;
        slot.item = null;
        slot.tasks++;
        if (this._shouldRetire(slot)) {
          this._slots.delete(slot);
          this._retire(slot);
        } else {
          this._becomeIdle(slot);
        }
        try {
          settle(item.future, msg);
        } catch (e) {
          // A done callback raised KeyboardInterrupt/SystemExit: in CPython it ends the
          // worker thread that ran it ("Exception in worker"); the pool goes on here.
          LOGGER.log(CRITICAL, "Exception in worker", e);
        }
        if (this._queue.length > 0 && this._broken === null) this._adjustWorkerCount();
        this._dispatch();
        return;
      }
    }
  }

  /** @internal Process pools retire a worker after `maxTasksPerChild` calls. */
  protected _shouldRetire(_slot: Slot): boolean {
    return false;
  }

  private _becomeIdle(slot: Slot): void {
    slot.state = "idle";
    slot.handle.unref();
    this._idle.push(slot);
  }

  private _onExit(slot: Slot, code: number | null, signal: string | null): void {
    const expected = slot.state === "exiting" || slot.state === "failed";
    this._slots.delete(slot);
    const i = this._idle.indexOf(slot);
    if (i >= 0) this._idle.splice(i, 1);
    if (!expected) {
      const cause =
        slot.error ??
        new RuntimeError(
          signal !== null
            ? `the worker was killed by ${signal}`
            : `the worker exited with code ${code}`,
        );
      slot.state = "failed";
      this._workerDied(slot, cause);
    } else if (this._queue.length > 0 && this._broken === null) {
      // A worker retired after maxTasksPerChild: replace it.
      this._adjustWorkerCount();
    }
    if (this._slots.size === 0) {
      const waiters = this._exitWaiters;
      this._exitWaiters = [];
      for (const w of waiters) w();
    }
  }

  /**
   * @internal Marks the pool broken: `submit` throws `brokenError(message)` (with `cause`) from
   * now on; the queued futures (and the running ones too, with `killOthers`, whose workers are
   * terminated) fail with `futureError()`, called for each (CPython's thread pool gives each
   * future its own error, its process pool one error to all).
   */
  _breakPool(
    message: string,
    futureError: () => BrokenExecutor,
    cause: unknown,
    dead: Slot | null,
    killOthers: boolean,
  ): void {
    this._broken = message;
    this._brokenCause = cause;
    this._shutdown = true;
    const fail = (f: Future<unknown>) => {
      try {
        f.setException(futureError());
      } catch (e) {
        // A cancelled future cannot take the exception (InvalidStateError): nothing to do.
        void (e as InvalidStateError);
      }
    };
    const items: WorkItem[] = [];
    if (dead?.item) items.push(dead.item);
    if (dead !== null) dead.item = null;
    if (killOthers) {
      for (const slot of this._slots) {
        if (slot.item !== null) items.push(slot.item);
        slot.item = null;
        slot.state = "exiting";
        slot.handle.ref();
        slot.handle.terminate();
      }
      this._idle = [];
    }
    for (;;) {
      const item = this._queue.shift();
      if (item === undefined) break;
      items.push(item);
    }
    for (const item of items) fail(item.future);
    this._dispatch();
  }

  /**
   * Frees the pool: no `submit` afterwards. The queued calls still run, unless `cancelFutures`
   * (then the ones that have not started are cancelled); then the workers exit. Resolves when
   * they have (`wait: true`, the default), or at once. Safe to call more than once.
   */
  override shutdown(options: ShutdownOptions = {}): Promise<void> {
    // Python's `if wait:` / `if cancel_futures:` (wait=None does not wait; an omitted one does).
    const wait = options.wait === undefined ? true : pyTruthy(options.wait);
    this._shutdown = true;
    if (pyTruthy(options.cancelFutures)) {
      for (;;) {
        const item = this._queue.shift();
        if (item === undefined) break;
        item.future.cancel();
      }
    }
    this._dispatch();
    if (!wait) return Promise.resolve();
    return this._allExited();
  }

  /**
   * Ends every worker at once, even in the middle of a call (Python 3.14's
   * `terminate_workers`): shuts the pool down cancelling the queued calls; the calls that were
   * running fail with the pool's broken error. Resolves when the workers have exited.
   */
  terminateWorkers(): Promise<void> {
    void this.shutdown({ wait: false, cancelFutures: true });
    for (const slot of this._slots) {
      slot.handle.ref();
      slot.handle.terminate();
    }
    return this._allExited();
  }

  private _allExited(): Promise<void> {
    if (this._slots.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this._exitWaiters.push(resolve));
  }
}

/**
 * `map()`'s `chunksize` (omitted: 1), checked as CPython's `ProcessPoolExecutor.map` does
 * (`chunksize < 1`, then `zip(*iterables)`, then `itertools.batched(..., chunksize)`); a thread
 * pool, whose CPython ignores it, takes a number of 1 or more and ignores anything else. A JS
 * number cannot tell `1.0` from `1`: both are taken as the integer 1.
 */
function mapChunksize(value: unknown, iterables: unknown[], crossProcess: boolean): number {
  const n =
    value === undefined
      ? 1
      : typeof value === "boolean" || typeof value === "bigint"
        ? Number(value)
        : value;
  if (!crossProcess) return typeof n === "number" && n >= 1 ? Math.floor(n) : 1;
  if (typeof n !== "number") throw compareError("<", value, 1);
  if (n < 1) throw new ValueError("chunksize must be >= 1.");
  checkIterables(iterables);
  if (!Number.isInteger(n)) {
    throw new TypeError("'float' object cannot be interpreted as an integer");
  }
  return n;
}

/** Serializes `value`; a `TypeError` naming the call if it cannot be sent. */
export function encodeOrThrow(
  value: unknown,
  crossProcess: boolean,
  call: string,
  what: string,
): Payload {
  try {
    return encode(value, crossProcess);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    const where = crossProcess ? "a worker process" : "a worker thread";
    throw new TypeError(`cannot send the ${what} of ${call} to ${where}: ${detail}`, { cause: e });
  }
}

function* chunkOutcomes(v: unknown): Generator<unknown, void, undefined> {
  for (const outcome of v as ChunkOutcome[]) {
    if (!outcome.ok) throw rebuildError(outcome.error);
    yield outcome.value;
  }
}

/** `fn()` in `context` (already current if a done callback made a worker event happen at once). */
function inContext(context: Context, fn: () => void): void {
  if (context._entered) fn();
  else context.run(fn);
}

function settle(future: Future<unknown>, msg: Extract<FromWorker, { t: "done" }>): void {
  if (future.done()) return;
  if (msg.ok) {
    let value: unknown;
    try {
      value = decode(msg.value);
    } catch (e) {
      future.setException(e);
      return;
    }
    future.setResult(value);
  } else {
    future.setException(rebuildError(decode(msg.error) as WireError));
  }
}
