/**
 * `Task`: runs a coroutine on the loop (Python's `asyncio.Task`), plus `createTask`,
 * `ensureFuture`, `currentTask`, `allTasks`, `sleep` and the eager task factory.
 *
 * Generator coroutines are stepped exactly as CPython steps a coroutine: `next()` to send,
 * `throw()` to deliver an exception at the suspension point; a yielded Future registers the
 * wake-up, a bare `yield` gives up one loop iteration.
 *
 * `async` functions cannot be stepped from outside, so a Task running one works like this:
 * - the function is called inside the task (inside an async_hooks scope holding the task,
 *   so `currentTask()` and context variables stay right after every await, even of a foreign
 *   promise);
 * - `await fut` calls `fut.then`, which registers the task's wake-up on `fut` exactly as a
 *   yielded Future does; `await libraryCoroutine` steps that generator inside the task;
 * - when the task is resumed (its awaited Future is done), the loop holds the rest of the
 *   iteration until the function has run on to its next await of a library awaitable or has
 *   finished (a "window"), so that steps happen in the same order as with generators, however
 *   many plain async functions it awaits on the way. The function's next await ends the window
 *   and resumes the loop (one microtask). A function that awaits a foreign promise instead
 *   leaves the window when the microtasks run out (the next Node turn); it resumes when that
 *   promise settles.
 */
import {
  type AsyncHook,
  AsyncResource,
  createHook,
  executionAsyncResource,
} from "node:async_hooks";
import { isGeneratorObject } from "node:util/types";
import {
  _currentContext,
  _ownContext,
  _setAsyncContextLookup,
  type Context,
  type ContextOwner,
} from "./contextvars.ts";
import {
  _coroutineQualname,
  _markAwaited,
  _setCoroutineThen,
  _setDebugProbe,
  _setQualname,
  type AwaitableCoroutine,
  awaitable,
  type Coroutine,
  closeCoroutine,
  isCoroutine,
  isGeneratorFunction,
  isThenable,
} from "./coroutines.ts";
import {
  _getRunningLoop,
  type AbstractEventLoop,
  getEventLoop,
  getRunningLoop,
  type Handle,
  type ReadyItem,
} from "./events.ts";
import {
  _usableThrown,
  CancelledError,
  InvalidStateError,
  isExitException,
  RuntimeError,
  ValueError,
} from "./exceptions.ts";
import {
  className,
  compareError,
  customRepr,
  instanceRepr,
  isPyNumber,
  keepClassNames,
  libraryClasses,
  pyNamed,
  pyRepr,
  pyStr,
  pyTruthy,
  pyTypeName,
} from "./format.ts";
import {
  _dueAtExit,
  _futureAddDoneCallback,
  _futureGetLoop,
  _futureResult,
  _newFuture,
  _notDueAtExit,
  _queuedHandle,
  _setAwaitHook,
  CollectedFuture,
  callHandlerUnraisable,
  type ExitReport,
  FUTURE_FLAG_BITS,
  Future,
  FutureExtra,
  futureLoop,
  isFuture,
  makeCancelledError,
  NO_EXC,
  STATE,
  setResultUnlessCancelled,
  YIELD_SELF,
} from "./futures.ts";

/** What a Task can run: a coroutine, or a function returning a coroutine or a promise. */
export type TaskBody<T> = Coroutine<T> | (() => Coroutine<T>) | (() => PromiseLike<T>);

export interface TaskOptions {
  loop?: AbstractEventLoop;
  name?: unknown;
  context?: Context | null;
  /** Run the first step now, inside the constructor (3.12's `eager_start`). */
  eagerStart?: boolean;
}

/**
 * The scope of a Node callback made in a task's code (a timer, an immediate, a listener's
 * socket, a request handler): the context current when it was made, a copy of which it runs
 * in, as a callback does in CPython, and not the task itself (see TaskScope).
 */
class CallbackScope implements ContextOwner {
  _context: Context;
  readonly _loop: AbstractEventLoop;
  constructor(context: Context, loop: AbstractEventLoop) {
    this._context = context;
    this._loop = loop;
  }
}

type Scope = Task<unknown> | CallbackScope;

/**
 * The scope of a task's `async` code, carried from each async resource to the resources made in
 * it, as Node's AsyncLocalStorage carried it before its AsyncContextFrame (Node 24's default):
 * built here on async_hooks' public `createHook` and `executionAsyncResource`, so that the
 * library decides what each new resource inherits on every Node version. What goes on with the
 * task's own work keeps the task: promises (its awaits, whatever they await),
 * `process.nextTick` (Node's streams go on through it: an async generator feeding a pipeline is
 * the task's code), and resources made to carry a scope (`AsyncResource`, `AsyncResource.bind`,
 * `AsyncLocalStorage.snapshot()`, `queueMicrotask`). Node's other resources (a timer, an
 * immediate, a socket, a request) made by the task's code, or by a callback of one, get a
 * CallbackScope of their own: their callbacks run later, outside the task, and counting them as
 * its code made their awaits replace the task's own (a `timeout()` of the task that never
 * fired, a cancel that reached a request handler instead of the task).
 *
 * The hook (which makes Node track every promise) is installed at the first `run`, so a
 * program without `async`-function tasks never pays for it.
 */
class TaskScope {
  private hook: AsyncHook | null = null;
  /** false inside `exit()`: resources made there inherit nothing */
  private propagating = true;

  private enable(): void {
    if (this.hook !== null) return;
    this.hook = createHook({
      init: (_id, type, _trigger, resource) =>
        this.propagate(resource, executionAsyncResource(), type),
    });
    this.hook.enable();
  }

  /** The scope of the code running now. */
  getStore(): Scope | undefined {
    if (this.hook === null) return undefined;
    return (executionAsyncResource() as Record<symbol, Scope | undefined>)[kScope];
  }

  /** Runs `fn` in `store`'s scope (and so do the resources it makes). */
  run<R>(store: Scope, fn: () => R): R {
    this.enable();
    const resource = executionAsyncResource() as Record<symbol, Scope | undefined>;
    const old = resource[kScope];
    if (old === store) return fn();
    resource[kScope] = store;
    try {
      return fn();
    } finally {
      resource[kScope] = old;
    }
  }

  /** Sets the scope for the rest of this synchronous run. */
  enterWith(store: Scope | undefined): void {
    this.enable();
    (executionAsyncResource() as Record<symbol, Scope | undefined>)[kScope] = store;
  }

  /** Runs `fn` outside any scope; the resources it makes inherit none. */
  exit<R>(fn: () => R): R {
    if (this.hook === null) return fn();
    const resource = executionAsyncResource() as Record<symbol, Scope | undefined>;
    const old = resource[kScope];
    const wasPropagating = this.propagating;
    resource[kScope] = undefined;
    this.propagating = false;
    try {
      return fn();
    } finally {
      resource[kScope] = old;
      this.propagating = wasPropagating;
    }
  }

  private propagate(resource: object, triggerResource: object, type: string): void {
    if (!this.propagating) return;
    const store = (triggerResource as Record<symbol, Scope | undefined>)[kScope];
    const running = _getRunningLoop();
    if (running !== null && running._inHandle && running._currentTask === null) {
      // Made by a loop callback's code (`callSoon` of an `async` function, an async
      // `dataReceived`, a Node timer set up there): a copy of the callback's context, which
      // its continuations keep, as the callback's own code sees it.
      (resource as Record<symbol, Scope>)[kScope] = new CallbackScope(
        _currentContext()._snapshot(),
        running,
      );
      return;
    }
    if (type !== "PROMISE" && type !== "TickObject" && !(resource instanceof AsyncResource)) {
      // Made by a task's code (a generator task's step runs outside this scope), or by a
      // callback of one: each its own copy of the context current now (two requests of one
      // server, too).
      const loop = store !== undefined ? store._loop : running;
      if (store !== undefined || (loop !== null && loop._currentTask !== null)) {
        (resource as Record<symbol, Scope>)[kScope] = new CallbackScope(
          _currentContext()._snapshot(),
          loop as AbstractEventLoop,
        );
        return;
      }
    }
    if (store !== undefined) (resource as Record<symbol, Scope>)[kScope] = store;
  }
}

/** Where a resource keeps its scope. */
const kScope = Symbol("asyncio-ts scope");

/** The task (or Node callback made by one) whose `async` code runs now. */
const asyncTask = new TaskScope();

let taskCounter = 0;

/** @internal Takes a `Task-N` name, as a task CPython makes where this library makes none. */
export function _skipTaskName(): void {
  ++taskCounter;
}
const NO_OPTIONS: TaskOptions = Object.freeze({});

const { PENDING } = STATE;

/**
 * The loop's not-done tasks (CPython's `_scheduled_tasks` WeakSet), in two sets. A new task is
 * held strongly in `loop._tasks` (a Set add/delete is all a short-lived task costs); a task
 * still pending when the loop goes idle or stops is "tenured": moved to the loop's tenured set
 * as a WeakRef, so a pending task nobody can wake any more is garbage, and is reported when
 * collected, as in CPython.
 */
interface TaskList {
  first: Task<unknown> | null;
  last: Task<unknown> | null;
}

/** Young tasks live in an intrusive doubly-linked list: O(1) add/remove, no hashing. */
function loopTasks(loop: AbstractEventLoop): TaskList {
  return loop._tasks as TaskList;
}

function listAdd(list: TaskList, t: Task<unknown>): void {
  t._prevTask = list.last;
  t._nextTask = null;
  if (list.last === null) list.first = t;
  else list.last._nextTask = t;
  list.last = t;
  t._inList = true;
}

function listRemove(list: TaskList, t: Task<unknown>): void {
  if (!t._inList) return;
  t._inList = false;
  const prev = t._prevTask;
  const next = t._nextTask;
  if (prev === null) list.first = next;
  else prev._nextTask = next;
  if (next === null) list.last = prev;
  else next._prevTask = prev;
  t._prevTask = t._nextTask = null;
}

const tenuredSets = new WeakMap<AbstractEventLoop, Set<WeakRef<Task<unknown>>>>();
/** The tenured tasks `_unregisterTask` took off their loop's set (not listed, still reported). */
const unlisted = new Set<WeakRef<Task<unknown>>>();

function tenuredTasks(loop: AbstractEventLoop): Set<WeakRef<Task<unknown>>> {
  let set = tenuredSets.get(loop);
  if (set === undefined) {
    set = new Set();
    tenuredSets.set(loop, set);
  }
  return set;
}

/**
 * @internal The loop calls this when it goes idle or stops: the tasks still pending outlived a
 * busy period, so hold them weakly from now on (a WeakRef and a registration cost about a
 * microsecond each, which is why short-lived tasks never pay them).
 */
export function _tenureTasks(loop: AbstractEventLoop): void {
  if (earlyLoops !== 0) refreshEarly(loop);
  const young = loopTasks(loop);
  if (young.first === null) return;
  const old = tenuredTasks(loop);
  for (let t: Task<unknown> | null = young.first; t !== null; ) {
    const next: Task<unknown> | null = t._nextTask;
    t._inList = false;
    t._prevTask = t._nextTask = null;
    t._tenure(old);
    t = next;
  }
  young.first = young.last = null;
}

/**
 * Debug mode: the records of tasks tenured when they were made (their loop was not running),
 * whose `waitFor` is taken when the loop next goes idle or stops (see _tenureTasks).
 */
const earlyRecords = new WeakMap<AbstractEventLoop, PendingTaskRecord[]>();
let earlyLoops = 0;

/** Debug mode: what the early tenured tasks of `loop` wait on now goes into their records. */
function refreshEarly(loop: AbstractEventLoop): void {
  const records = earlyRecords.get(loop);
  if (records === undefined) return;
  earlyRecords.delete(loop);
  earlyLoops--;
  for (const record of records) {
    const task = record.ref.deref();
    if (task !== undefined && task._futWaiter !== null)
      record.waitFor = waiterRepr(task._futWaiter);
  }
}

interface PendingTaskRecord extends ExitReport {
  tenured: Set<WeakRef<Task<unknown>>>;
  /** not `_logDestroyPending` (kept here: the task may be gone when it is reported) */
  quiet: boolean;
  /** cancellation requested: the repr says "cancelling" */
  cancelling: boolean;
  loop: AbstractEventLoop;
  ref: WeakRef<Task<unknown>>;
  name: string | number;
  fnName: string;
  context: Context;
  /** debug mode: where the task was made, and the future it waited on when it was tenured */
  sourceTraceback: string | null;
  waitFor: string | null;
}

/** The repr of what a tenured task waits on (debug mode); one that raises is named by class. */
function waiterRepr(fut: Future<unknown>): string {
  try {
    return pyRepr(fut);
  } catch {
    return instanceRepr(fut);
  }
}

/** Python's `Task.__del__` for a pending task: "Task was destroyed but it is pending!". */
const destroyedPending = new FinalizationRegistry<PendingTaskRecord>((held) =>
  reportDestroyedPending(held, undefined),
);

function reportDestroyedPending(held: PendingTaskRecord, task: Task<unknown> | undefined): void {
  if (!_notDueAtExit(held)) return;
  held.tenured.delete(held.ref);
  if (held.quiet) return;
  let entry: unknown = task;
  if (task === undefined) {
    const name = typeof held.name === "number" ? `Task-${held.name}` : held.name;
    const state = held.cancelling ? "cancelling" : "pending";
    let repr = `<Task ${state} name=${pyRepr(name)} coro=<${held.fnName}() running>`;
    if (held.waitFor !== null) repr += ` wait_for=${held.waitFor}`;
    if (held.sourceTraceback !== null) repr += ` created at ${held.sourceTraceback}`;
    entry = new CollectedFuture("Task", `${repr}>`, held.context, held.loop);
  }
  const context: Record<string, unknown> = {
    message: "Task was destroyed but it is pending!",
    task: entry,
  };
  if (held.sourceTraceback !== null) context.source_traceback = held.sourceTraceback;
  callHandlerUnraisable(held.loop, context);
}

/**
 * At exit, a tenured task still pending is reported (with the task itself in the context: its
 * repr is complete then), as CPython's teardown finalizes it.
 */
function reportPendingAtExit(held: PendingTaskRecord): void {
  reportDestroyedPending(held, held.ref.deref());
}

function windowTasks(loop: AbstractEventLoop): Task<unknown>[] {
  return loop._windowTasks as Task<unknown>[];
}

/** Scheduled with callSoon for a step; a plain function so no closure is made per step. */
function taskStep(task: Task<unknown>, exc: unknown = NO_EXC): void {
  if (task._isAsync) {
    // An async function's task can end while a stray (un-awaited) async call inside it still
    // had a library coroutine stepping: that step is moot.
    if (task._state !== PENDING) return;
    // Its library coroutine goes on: it waits on nothing now (see _awaitFuture).
    task._coroWaiter = null;
  }
  task._step(exc);
}

/** Named as CPython's task wake-up, which is what reprs show: `cb=[Task.task_wakeup()]`. */
const wakeWaiter = {
  "Task.task_wakeup"(task: Task<unknown>, future: Future<unknown>): void {
    task._wakeupFrom(future);
  },
}["Task.task_wakeup"];

/**
 * @internal Whether `cb` is a Task's own step or wake-up (what CPython's debug warnings show as
 * the task rather than the Handle).
 */
function isTaskCallback(cb: unknown): boolean {
  return cb === taskStep || cb === wakeWaiter || cb === asyncRaise;
}

/** The modules of asyncio's own exceptions, as a traceback's last line names them. */
const ASYNCIO_MODULES: Record<string, string> = {
  CancelledError: "asyncio.exceptions.",
  InvalidStateError: "asyncio.exceptions.",
  IncompleteReadError: "asyncio.exceptions.",
  LimitOverrunError: "asyncio.exceptions.",
  SendfileNotAvailableError: "asyncio.exceptions.",
  BrokenBarrierError: "asyncio.exceptions.",
  QueueEmpty: "asyncio.queues.",
  QueueFull: "asyncio.queues.",
  QueueShutDown: "asyncio.queues.",
};

/** Marks an async task's wake-up callback (debug mode only) with its task (see _taskOfHandle). */
const WAKES: unique symbol = Symbol("wakes");

/**
 * @internal The task a handle's callback steps or wakes up, if it is one of the Task's own
 * (CPython's `Task.__step`/`__wakeup` methods: a debug report shows the task, not the handle).
 */
export function _taskOfHandle(cb: unknown, args: readonly unknown[]): Task<unknown> | null {
  const first = args[0];
  if (first instanceof Task && isTaskCallback(cb)) return first;
  const woken = typeof cb === "function" ? (cb as { [WAKES]?: Task<unknown> })[WAKES] : undefined;
  return woken ?? null;
}

/** A step with nothing sent in, run in the task's context (eager start, async awaits). */
function stepRunNoExc(task: Task<unknown>): void {
  task._stepRun(NO_EXC);
}

/** A queued step of a stray library coroutine that was closed meanwhile (see _closeStray). */
const STALE_STEP = Symbol("staleStep");
/**
 * The place in the ready queue of the wake-up CPython queues when `cancel()` cancels the future
 * an eager task waits on, kept for an eager `async` task whose first await is not registered
 * yet (see Task.cancel): the wake-up its registration brings takes this place.
 */
const EARLY_CANCEL = Symbol("earlyCancel");

/** The wake-up of an async function's await of a future cancelled at once (see _awaitFuture). */
class EarlyWake {
  constructor(
    readonly fut: Future<unknown>,
    readonly onRes: (v: unknown) => unknown,
    readonly onRej: (e: unknown) => unknown,
  ) {}
}

/** What a queued task runs (see Task._run): its next step, or its wake-up by a future. */
function runQueued(task: Task<unknown>, what: unknown): void {
  if (what === NO_EXC) taskStep(task);
  else if (what instanceof EarlyWake) task._resumeAsync(what.fut, what.onRes, what.onRej);
  else task._wakeupFrom(what as Future<unknown>);
}

/**
 * The place in the ready queue where `createTask` left off, kept for an eager `async` task's
 * first step while it goes on after `createTask` has returned (its first await is registered in
 * a microtask): what that step schedules meanwhile goes here, before what the creator scheduled
 * after `createTask`, as CPython's eager step schedules it inside `create_task`. It runs in the
 * iteration CPython's would, in order (see EventLoop._runInPlace).
 */
class EagerSlot implements ReadyItem {
  readonly _cancelled = false;
  readonly items: (Handle | ReadyItem)[] = [];
  constructor(private readonly loop: SlotLoop) {}
  _run(): void {
    if (this.items.length !== 0) this.loop._runInPlace(this.items);
  }
}

/** What an EagerSlot needs of asyncio-ts's own loop (another loop gets none). */
type SlotLoop = AbstractEventLoop & {
  _eagerSlots: number;
  _queueReady(item: Handle | ReadyItem): void;
  _runInPlace(items: (Handle | ReadyItem)[]): void;
};

/**
 * @internal `item` is being queued while an eager task's first step goes on (see EagerSlot):
 * it goes to that step's place if the step is what queues it.
 */
export function _eagerRedirect(loop: AbstractEventLoop, item: Handle | ReadyItem): boolean {
  // An eager task started by such a step is part of it until its own first await.
  const slot = slotOf(currentTask(loop)) ?? enclosingSlot;
  if (slot === null) return false;
  slot.items.push(item);
  return true;
}

/** The slot of `task`'s eager first step, while it goes on (see EagerSlot). */
function slotOf(task: Task<unknown> | null): EagerSlot | null {
  return task === null || task._x === null ? null : (task._x as TaskExtra).slot;
}

/** The slot of the eager step that an eager task's synchronous start runs inside, if any. */
let enclosingSlot: EagerSlot | null = null;

/**
 * Runs a task's queued item from a Handle made in the task's context (debug mode, where the
 * loop queues no tasks itself: see Task.cancel).
 */
function runTaskSlot(task: Task<unknown>): void {
  const what = task._queued;
  task._queued = null;
  if (what !== null && what !== STALE_STEP && what !== EARLY_CANCEL) runQueued(task, what);
}

/** @internal A Task's rare state, out of line (see Future._x). */
class TaskExtra extends FutureExtra {
  /** how the awaited library coroutine's outcome goes back to the async function */
  awaitRes: ((v: unknown) => unknown) | null = null;
  awaitRej: ((e: unknown) => unknown) | null = null;
  abort: AbortController | null = null;
  /** the first pending cancel request's message, for a `signal` made after it */
  signalMsg: unknown = undefined;
  /**
   * what the task's library coroutine waits on while the async function (or a stray call of it)
   * awaits something else at the same time (see _awaitFuture, _wakeupFrom)
   */
  coroWaiter: Future<unknown> | null = null;
  /** set once the task is tenured (held weakly by the loop) */
  record: PendingTaskRecord | null = null;
  /**
   * the messages of the cancel() calls made while the eager first step goes on (see
   * Task.cancel), the first of which kept an early wake-up's place
   */
  earlyMsgs: unknown[] | null = null;
  /** while the eager first step goes on after createTask returned (see EagerSlot) */
  slot: EagerSlot | null = null;
}

// `_flags` bits of a Task, above the Future's; the bits above FLAG_BITS count the
// cancellation requests.
const MUST_CANCEL = 1 << FUTURE_FLAG_BITS;
/** the task is an async function's */
const IS_ASYNC = MUST_CANCEL << 1;
/** resumed, and has not reached its next await yet */
const IN_WINDOW = MUST_CANCEL << 2;
/** in the loop's young-task list */
const IN_LIST = MUST_CANCEL << 3;
/** the cancellation requested so far has reached the task's code (see _cancelDelivered) */
const CANCEL_DELIVERED = MUST_CANCEL << 4;
/** Python's `_log_destroy_pending = False` (see _logDestroyPending) */
const QUIET_PENDING = MUST_CANCEL << 5;
const FLAG_BITS = FUTURE_FLAG_BITS + 6;

export class Task<T = unknown> extends Future<T> {
  /** @internal the generator being stepped (for an async function: the awaited library coroutine) */
  _coro: Coroutine<unknown> | null = null;
  /** @internal the function given instead of a coroutine (called in the first step), if any */
  _fn: (() => unknown) | null = null;
  /** @internal */ _name: string | number;
  /** @internal */ _context: Context;
  /** @internal */ _futWaiter: Future<unknown> | null = null;
  /** @internal links of the loop's young-task list */ _prevTask: Task<unknown> | null = null;
  /** @internal */ _nextTask: Task<unknown> | null = null;
  /**
   * @internal While the task itself sits in the loop's ready queue (see {@link _run}): NO_EXC
   * for a plain step, or the future whose wake-up it is; null otherwise.
   */
  _queued: unknown = null;

  constructor(coro: TaskBody<T>, options: TaskOptions = NO_OPTIONS) {
    // The Future constructor reads only `loop` from the options.
    super(options);
    if (isCoroutine(coro)) {
      _markAwaited(coro);
      this._coro = coro;
    } else if (typeof coro === "function") {
      this._fn = coro;
      if (isGeneratorFunction(coro)) this._coro = (coro as () => Coroutine<T>)();
    } else if (isThenable(coro) && !isFuture(coro)) {
      throw new TypeError(
        `a coroutine was expected, got ${pyRepr(coro)}: a promise has already started; pass a function that returns it instead, e.g. createTask(() => work())`,
      );
    } else {
      throw new TypeError(`a coroutine was expected, got ${pyRepr(coro)}`);
    }
    this._name =
      options.name === undefined || options.name === null ? ++taskCounter : pyStr(options.name);
    this._context = options.context ?? _currentContext()._snapshot();
    const loop = this._loop;
    if (pyTruthy(options.eagerStart) && loop.isRunning()) {
      this._eagerStart();
    } else {
      if (loop.isClosed()) throw new RuntimeError("Event loop is closed");
      this._callSoon(NO_EXC);
      // A loop that is not running may never run (or be closed, or dropped, first): its tasks
      // are tenured at once, so that one left pending is reported when collected or at exit,
      // as CPython reports it when the loop lets go of it.
      if (loop.isRunning()) listAdd(loopTasks(loop), this as Task<unknown>);
      else this._tenureEarly(loop);
    }
  }

  // ---- flags and rare state (accessors keep the object small) ----

  /** @internal */
  override _newExtra(): TaskExtra {
    return new TaskExtra();
  }
  /** @internal Python's `_num_cancels_requested` */
  get _numCancelsRequested(): number {
    return this._flags >>> FLAG_BITS;
  }
  set _numCancelsRequested(n: number) {
    this._flags = (this._flags & ((1 << FLAG_BITS) - 1)) | (n << FLAG_BITS);
  }
  /** @internal */
  get _mustCancel(): boolean {
    return (this._flags & MUST_CANCEL) !== 0;
  }
  set _mustCancel(v: boolean) {
    this._flags = v ? this._flags | MUST_CANCEL : this._flags & ~MUST_CANCEL;
  }
  /** @internal the task is an async function's */
  get _isAsync(): boolean {
    return (this._flags & IS_ASYNC) !== 0;
  }
  set _isAsync(v: boolean) {
    this._flags = v ? this._flags | IS_ASYNC : this._flags & ~IS_ASYNC;
  }
  /** @internal resumed, and has not reached its next await yet */
  get _inWindow(): boolean {
    return (this._flags & IN_WINDOW) !== 0;
  }
  set _inWindow(v: boolean) {
    this._flags = v ? this._flags | IN_WINDOW : this._flags & ~IN_WINDOW;
  }
  /**
   * Python's `_log_destroy_pending`: false for the tasks `gather()` and `runUntilComplete()`
   * make for what they were given (nobody else holds them), whose destruction while pending is
   * not reported.
   */
  get _logDestroyPending(): boolean {
    return (this._flags & QUIET_PENDING) === 0;
  }
  set _logDestroyPending(v: boolean) {
    this._flags = v ? this._flags & ~QUIET_PENDING : this._flags | QUIET_PENDING;
    if (this._record !== null) this._record.quiet = !v;
  }
  /** @internal in the loop's young-task list */
  get _inList(): boolean {
    return (this._flags & IN_LIST) !== 0;
  }
  set _inList(v: boolean) {
    this._flags = v ? this._flags | IN_LIST : this._flags & ~IN_LIST;
  }
  /** @internal */
  get _awaitRes(): ((v: unknown) => unknown) | null {
    return this._x === null ? null : (this._x as TaskExtra).awaitRes;
  }
  set _awaitRes(v: ((v: unknown) => unknown) | null) {
    if (v !== null || this._x !== null) (this._extra() as TaskExtra).awaitRes = v;
  }
  /** @internal */
  get _awaitRej(): ((e: unknown) => unknown) | null {
    return this._x === null ? null : (this._x as TaskExtra).awaitRej;
  }
  set _awaitRej(v: ((e: unknown) => unknown) | null) {
    if (v !== null || this._x !== null) (this._extra() as TaskExtra).awaitRej = v;
  }
  /** @internal */
  get _abort(): AbortController | null {
    return this._x === null ? null : (this._x as TaskExtra).abort;
  }
  set _abort(v: AbortController | null) {
    if (v !== null || this._x !== null) (this._extra() as TaskExtra).abort = v;
  }
  /** @internal */
  get _coroWaiter(): Future<unknown> | null {
    return this._x === null ? null : (this._x as TaskExtra).coroWaiter;
  }
  set _coroWaiter(v: Future<unknown> | null) {
    if (v !== null || this._x !== null) (this._extra() as TaskExtra).coroWaiter = v;
  }
  /** @internal in the loop's tenured set while not done */
  get _record(): PendingTaskRecord | null {
    return this._x === null ? null : (this._x as TaskExtra).record;
  }
  set _record(v: PendingTaskRecord | null) {
    if (v !== null || this._x !== null) (this._extra() as TaskExtra).record = v;
  }

  // ---- being a ready-queue entry ----

  /**
   * @internal Schedules the task's next step (`what` = NO_EXC) or its wake-up by the future
   * `what`, as `callSoon` in the task's context would. The loop queues the task object itself
   * when it can (no Handle, no arguments array); else, or when the task is already queued,
   * a Handle is made as usual.
   */
  _callSoon(what: unknown): void {
    if (this._queued === EARLY_CANCEL && what !== NO_EXC) {
      // The wake-up by the future cancel() cancelled takes the place kept for it (see cancel).
      this._queued = what;
      return;
    }
    const loop = this._loop;
    if (this._canQueueSelf() && loop._callSoonSelf(this)) {
      this._queued = what;
    } else if (what === NO_EXC) {
      loop._callSoonWithContext(taskStep, [this], _ownContext(this));
    } else {
      loop._callSoonWithContext(wakeWaiter, [this, what], _ownContext(this));
    }
  }

  /** @internal The future this task waits on is done: schedule the wake-up. */
  _wakeUpLater(future: Future<unknown>): void {
    this._callSoon(future);
  }

  /** @internal The task is in the ready queue neither for a step nor for its done callback. */
  override _canQueueSelf(): boolean {
    return this._queued === null && super._canQueueSelf();
  }

  /** @internal Run by the loop for a queued task: what its Handle's `_run()` would do. */
  override _run(): void {
    const what = this._queued;
    if (what === null) {
      // Queued for its done callback (see Future._run).
      super._run();
      return;
    }
    this._queued = null;
    if (what === STALE_STEP || what === EARLY_CANCEL) return;
    try {
      this._context._run2(this, runQueued, this, what);
    } catch (exc) {
      // Reported exactly as the equivalent Handle would report it.
      const handle =
        what === NO_EXC
          ? _queuedHandle(taskStep, [this], this._loop, _ownContext(this))
          : what instanceof EarlyWake
            ? _queuedHandle(
                asyncWakeup(this as Task<unknown>, what.onRes, what.onRej),
                [what.fut],
                this._loop,
                this._context,
              )
            : _queuedHandle(wakeWaiter, [this, what], this._loop, _ownContext(this));
      handle._runFailed(exc);
    }
  }

  /** @internal Held weakly by the loop from now on; reported if collected while pending. */
  _tenure(tenured: Set<WeakRef<Task<unknown>>>): void {
    const ref = new WeakRef(this as Task<unknown>);
    const fn = this._fn;
    const record: PendingTaskRecord = {
      atExit: reportPendingAtExit,
      tenured,
      quiet: (this._flags & QUIET_PENDING) !== 0,
      cancelling: this._numCancelsRequested > 0,
      loop: this._loop,
      ref,
      name: this._name,
      fnName: fn !== null && fn.name !== "" ? fn.name : "coroutine",
      context: this._context,
      sourceTraceback: this._sourceTraceback,
      // Only in debug mode: a repr per tenured task is too costly otherwise.
      waitFor:
        this._loop.getDebug() && this._futWaiter !== null ? waiterRepr(this._futWaiter) : null,
    };
    this._record = record;
    tenured.add(ref);
    _dueAtExit(record);
    destroyedPending.register(this, record, record);
  }

  /** @internal Tenured when made: its loop is not running (see the constructor). */
  _tenureEarly(loop: AbstractEventLoop): void {
    this._tenure(tenuredTasks(loop));
    if (!loop.getDebug()) return;
    let records = earlyRecords.get(loop);
    if (records === undefined) {
      records = [];
      earlyRecords.set(loop, records);
      earlyLoops++;
    }
    records.push(this._record!);
  }

  /** @internal A tenured task's record follows its context (see contextvars' _ownContext). */
  _ownContextMade(context: Context): void {
    const record = this._record;
    if (record !== null) record.context = context;
  }

  /** @internal Leaves the loop's task set (the task is done). */
  _untrack(): void {
    const record = this._record;
    if (record === null) {
      listRemove(loopTasks(this._loop), this as Task<unknown>);
    } else {
      this._record = null;
      record.tenured.delete(record.ref);
      _notDueAtExit(record);
      destroyedPending.unregister(record);
    }
  }

  /** The task's name: `Task-<n>` unless one was given. */
  getName(): string {
    const n = this._name;
    return typeof n === "number" ? `Task-${n}` : n;
  }

  /** Sets the name to Python's `str(value)` (`null` gives `'None'`). */
  setName(value: unknown): void {
    this._name = pyStr(value);
    if (this._record !== null) this._record.name = this._name;
    this._refreshReport();
  }

  /**
   * The coroutine the task runs (for an `async` function, the function given); null for a task
   * that finished eagerly (3.12+).
   */
  getCoro(): unknown {
    if (this._coro !== null && !this._isAsync) return this._coro;
    return this._fn ?? this._coro;
  }

  getContext(): Context {
    return _ownContext(this);
  }

  /**
   * Python's `get_stack()`. JavaScript does not expose the frames of a suspended generator or
   * async function, so this is always an empty list.
   */
  getStack(_options?: { limit?: number }): unknown[] {
    return [];
  }

  /**
   * Python's `print_stack()`: with no frames to show (see {@link getStack}), `No stack for
   * <task>` and, for a task that failed, its exception's last traceback line (`ValueError: x`).
   * Writes to `file` (anything with `write(string)`), by default `process.stderr`.
   */
  printStack(options?: {
    limit?: number | null;
    file?: { write(text: string): unknown } | null;
  }): void {
    const file = options?.file ?? process.stderr;
    let text = `No stack for ${this[customRepr]()}\n`;
    const exc = this._state === STATE.FINISHED ? this._exception : NO_EXC;
    if (exc !== NO_EXC) {
      const type =
        exc instanceof Error ? (ASYNCIO_MODULES[exc.name] ?? "") + exc.name : pyTypeName(exc);
      const str = pyStr(exc);
      text += str === "" ? `${type}\n` : `${type}: ${str}\n`;
    }
    file.write(text);
  }

  /**
   * An AbortSignal that aborts when the task is asked to cancel (for foreign APIs). Once
   * `uncancel()` brings `cancelling()` back to 0 (the cancellation was handled, e.g. by a
   * `timeout()`), this is a new signal that is not aborted.
   */
  get signal(): AbortSignal {
    if (this._abort === null) {
      this._abort = new AbortController();
      if (
        (this._numCancelsRequested > 0 && (this._flags & CANCEL_DELIVERED) === 0) ||
        this.cancelled()
      ) {
        const msg = (this._x as TaskExtra).signalMsg;
        this._abort.abort(makeCancelledError(msg !== undefined ? msg : this._cancelMessage));
      }
    }
    return this._abort.signal;
  }

  override setResult(_result: T): void {
    throw new RuntimeError("Task does not support set_result operation");
  }

  override setException(_exception: unknown): void {
    throw new RuntimeError("Task does not support set_exception operation");
  }

  /**
   * Asks the task to cancel: a `CancelledError` is thrown into it at its next suspension point
   * (the awaited future is cancelled at once). Returns false if the task is done. Each call
   * counts in `cancelling()`; only one CancelledError is delivered.
   */
  override cancel(msg?: unknown): boolean {
    this._retrieved();
    if (this._state !== PENDING) return false;
    this._numCancelsRequested++;
    this._flags &= ~CANCEL_DELIVERED;
    if (this._record !== null) this._record.cancelling = true;
    if (this._abort !== null) {
      if (!this._abort.signal.aborted) this._abort.abort(makeCancelledError(msg));
    } else if (this._numCancelsRequested === 1 && msg !== undefined) {
      // CPython keeps the message only where it cannot cancel the awaited future: a `signal`
      // made later is aborted with the message the body gets.
      (this._extra() as TaskExtra).signalMsg = msg;
    }
    if (this._futWaiter !== null) {
      if (this._futWaiter.cancel(msg)) {
        // Leave _futWaiter: it may be a task that swallows the cancellation.
        return true;
      }
    }
    if (this._queued === EARLY_CANCEL) {
      (this._x as TaskExtra).earlyMsgs!.push(msg);
    } else if (
      this._x !== null &&
      (this._x as TaskExtra).slot !== null &&
      this._canQueueSelf() &&
      currentTask(this._loop) !== this
    ) {
      // An eager async task whose first step goes on after createTask returned (see
      // EagerSlot), not waiting yet: CPython's eager task already waits, on a future that this
      // call cancels (with this message: a later call finds it cancelled), queueing the
      // task's wake-up now, or on a gather or task (each request is passed on), or on a bare
      // yield (the last message counts). Keep that place in the ready queue; the await the
      // step ends with decides (see _cancelWaiter).
      this._queued = EARLY_CANCEL;
      (this._x as TaskExtra).earlyMsgs = [msg];
      const loop = this._loop;
      if (!loop._callSoonSelf(this)) {
        loop._callSoonWithContext(runTaskSlot, [this], _ownContext(this));
      }
    }
    this._mustCancel = true;
    this._cancelMessage = msg;
    return true;
  }

  /**
   * A pending cancellation reaches the future the task has just come to wait on (Python's
   * `__step` tail). Requests made while an eager first step went on (see cancel) are replayed
   * one by one, as each reached that future in CPython: a plain future is cancelled by the
   * first (later ones set the message of a cancellation still to come); a task or a gather
   * passes each on.
   */
  private _cancelWaiter(fut: Future<unknown>): void {
    const msgs = this._queued === EARLY_CANCEL ? (this._x as TaskExtra).earlyMsgs : null;
    if (msgs === null) {
      if (fut.cancel(this._cancelMessage)) this._mustCancel = false;
      return;
    }
    this._mustCancel = false;
    for (const m of msgs) {
      if (!fut.cancel(m)) {
        this._mustCancel = true;
        this._cancelMessage = m;
      }
    }
  }

  /** The number of pending cancellation requests. */
  cancelling(): number {
    const n = this._numCancelsRequested;
    if (this._x === null) return n;
    // The eager first step, still going on, does not see the requests made after createTask
    // returned (see cancel): in CPython it was over by then.
    const early = (this._x as TaskExtra).earlyMsgs;
    return early !== null && currentTask(this._loop) === this ? n - early.length : n;
  }

  /** Decrements `cancelling()`; at zero a pending cancellation is withdrawn (3.13). */
  uncancel(): number {
    if (this._numCancelsRequested > 0) {
      this._numCancelsRequested--;
      if (this._numCancelsRequested === 0) {
        if (this._record !== null) this._record.cancelling = false;
        this._mustCancel = false;
        this._flags &= ~CANCEL_DELIVERED;
        // The cancellation was handled (a timeout() turned it into TimeoutError, a TaskGroup
        // took its own request back): `signal` is a fresh, unaborted one from now on.
        if (this._abort?.signal.aborted) this._abort = null;
        if (this._x !== null) (this._x as TaskExtra).signalMsg = undefined;
      }
    }
    return this._numCancelsRequested;
  }

  /**
   * @internal The `CancelledError` of the cancellation requested so far is reaching the task's
   * code. As CPython's `_must_cancel` is then cleared, the request is spent: a task that swallows
   * it goes on with an unaborted `signal` (a fresh one), so its later calls given
   * `currentSignal()` (a clean-up's, in a `catch`) are not aborted before they start; a new
   * `cancel()` aborts that one.
   */
  _cancelDelivered(): void {
    if (this._numCancelsRequested === 0) return;
    this._flags |= CANCEL_DELIVERED;
    if (this._abort !== null && this._abort.signal.aborted) this._abort = null;
    if (this._x !== null) (this._x as TaskExtra).signalMsg = undefined;
  }

  override _kind(): string {
    return "Task";
  }

  override _scheduleCallbacks(): void {
    this._untrack();
    if (this._isAsync) this._closeStray();
    super._scheduleCallbacks();
  }

  /**
   * @internal The async function (or a body run by `_callInTask`) finished while a call it did
   * not await was stepping a library coroutine in this task (Python would never have run that
   * call): close the coroutine so its cleanup runs; the stray call stays suspended.
   */
  _closeStray(): void {
    const stray = this._coro;
    if (stray === null) return;
    // A step it had queued for itself (a bare yield, `sleep(0)`) is moot: see Task._run.
    if (this._queued === NO_EXC) this._queued = STALE_STEP;
    this._coro = null;
    this._awaitRes = this._awaitRej = null;
    this._coroWaiter = null;
    try {
      stray.return(undefined);
    } catch {
      // its cleanup failed; nothing awaits it
    }
  }

  // ---- stepping ----

  /** @internal Python's `__step`. */
  _step(exc: unknown = NO_EXC): void {
    if (this._state !== PENDING) {
      // The C Task's message (the pure-Python one has a comma between the two reprs).
      throw new InvalidStateError(
        `_step(): already done: ${this[customRepr]()} ${pyRepr(exc === NO_EXC ? null : exc)}`,
      );
    }
    if (this._mustCancel) {
      if (!(exc instanceof CancelledError)) exc = this._makeCancelledError();
      this._mustCancel = false;
    }
    if (exc !== NO_EXC && this._numCancelsRequested > 0 && exc instanceof CancelledError) {
      this._cancelDelivered();
    }
    this._futWaiter = null;
    const loop = this._loop;
    if (loop._currentTask !== null) {
      throw new RuntimeError(
        `Cannot enter into task ${this[customRepr]()} while another task ${pyRepr(loop._currentTask)} is being executed.`,
      );
    }
    loop._currentTask = this;
    try {
      this._stepRun(exc);
    } finally {
      loop._currentTask = null;
    }
  }

  /** @internal Python's `__step_run_and_handle_result`. */
  _stepRun(exc: unknown): void {
    const coro = this._coro;
    if (coro === null) {
      this._startFunction(exc);
      return;
    }
    let r: IteratorResult<unknown, unknown>;
    try {
      r = exc === NO_EXC ? coro.next() : coro.throw(exc);
    } catch (e) {
      this._coroFailed(e);
      return;
    }
    if (r.done === true) this._coroReturned(r.value);
    else if (r === YIELD_SELF) {
      const fut = YIELD_SELF.value;
      YIELD_SELF.value = undefined;
      this._handleYield(fut);
    } else this._handleYield(r.value);
  }

  /** First step of a function-based task: call it inside the task. */
  private _startFunction(exc: unknown): void {
    const fn = this._fn;
    if (fn === null || this._isAsync) throw new InvalidStateError("Task has nothing to run");
    if (exc !== NO_EXC) {
      // Cancelled (or failed) before it started: the body never runs.
      this._finishWithError(exc);
      return;
    }
    let r: unknown;
    try {
      r = asyncTask.run(this as Task<unknown>, fn);
    } catch (e) {
      this._finishWithError(e);
      return;
    }
    if (isCoroutine(r)) {
      _markAwaited(r);
      this._coro = r;
      this._stepRun(NO_EXC);
    } else if (isThenable(r)) {
      this._isAsync = true;
      this._openWindow();
      try {
        r.then(
          (v) => this._asyncReturned(v),
          (e) => this._asyncFailed(e),
        );
      } catch (e) {
        // A thenable whose `then` throws: the task fails with it, as a Promise would reject.
        this._asyncFailed(e);
      }
    } else {
      this._finishWithError(new TypeError(`a coroutine was expected, got ${pyRepr(r)}`));
    }
  }

  private _coroReturned(value: unknown): void {
    const res = this._awaitRes;
    if (res !== null) {
      // A library coroutine awaited by an async function finished: resume the function.
      this._coro = null;
      this._awaitRes = this._awaitRej = null;
      this._openWindow();
      res(value);
      return;
    }
    this._finishWithResult(value);
  }

  private _coroFailed(e: unknown): void {
    const rej = this._awaitRej;
    if (rej !== null) {
      this._coro = null;
      this._awaitRes = this._awaitRej = null;
      this._openWindow();
      rej(e);
      return;
    }
    this._finishWithError(e);
  }

  private _finishWithResult(value: unknown): void {
    if (this._mustCancel) {
      // The task was cancelled right before its coroutine returned.
      this._mustCancel = false;
      super.cancel(this._cancelMessage);
    } else {
      this._state = STATE.FINISHED;
      this._result = value as T;
      this._scheduleCallbacks();
    }
  }

  private _finishWithError(e: unknown): void {
    e = _usableThrown(e);
    if (!(e instanceof CancelledError)) e = _cancelOfAbort(this as Task<unknown>, e);
    if (e instanceof CancelledError) {
      this._cancelledExc = e;
      super.cancel();
      // A signal made fresh after the cancellation reached the task (see _cancelDelivered)
      // aborts now that the task ends cancelled: its holders (children, clean-ups) stop too.
      const abort = this._abort;
      if (abort !== null && !abort.signal.aborted) abort.abort(e);
    } else {
      this._setExceptionUnchecked(e);
      if (isExitException(e)) throw e;
    }
  }

  // These two run as reactions to the function's promise: the paused loop may go on at once,
  // once the task has finished (saves a microtask per async task).
  private _asyncReturned(v: unknown): void {
    if (this._state === PENDING) this._finishWithResult(v);
    this._closeWindow(true);
  }

  private _asyncFailed(e: unknown): void {
    if (this._state === PENDING) {
      try {
        this._finishWithError(e);
      } catch (exit) {
        // KeyboardInterrupt/SystemExit from an async function: make the loop raise it.
        (this._loop as { _raiseFromLoop?: (e: unknown) => void })._raiseFromLoop?.(exit);
      }
    }
    this._closeWindow(true);
  }

  /** @internal What the coroutine yielded decides how the task waits (Python's __step tail). */
  _handleYield(result: unknown): void {
    const loop = this._loop;
    if (
      result instanceof Future &&
      result._loop === loop &&
      result._asyncioFutureBlocking &&
      result !== (this as unknown) &&
      result.addDoneCallback === _futureAddDoneCallback &&
      result.getLoop === _futureGetLoop
    ) {
      // The common case first (`yield* fut` of a Future of this loop): the same steps as below.
      result._asyncioFutureBlocking = false;
      result._addWaiter(this);
      this._futWaiter = result;
      if (this._mustCancel || this._queued === EARLY_CANCEL) this._cancelWaiter(result);
      if (this._inWindow) this._closeWindow();
      return;
    }
    if (result === undefined || result === null) {
      // A bare yield gives up exactly one loop iteration.
      this._callSoon(NO_EXC);
      if (this._inWindow) this._closeWindow();
      return;
    }
    if (result instanceof AsyncFrame) {
      this._enterAsyncFrame(result);
      return;
    }
    if (isFuture(result)) {
      if (futureLoop(result) !== loop) {
        // CPython leaves the flag set; here the future is its own iterator, and a set flag
        // would fail the next `yield*` of it with "await wasn't used with future".
        result._asyncioFutureBlocking = false;
        const err = new RuntimeError(
          `Task ${this[customRepr]()} got Future ${result[customRepr]()} attached to a different loop`,
        );
        loop._callSoonWithContext(taskStep, [this, err], _ownContext(this));
      } else if (result._asyncioFutureBlocking) {
        if (result === (this as unknown)) {
          // The flag stays set, as in CPython: a later await of this task by another one
          // fails with "await wasn't used with future".
          const err = new RuntimeError(`Task cannot await on itself: ${this[customRepr]()}`);
          loop._callSoonWithContext(taskStep, [this, err], _ownContext(this));
        } else {
          result._asyncioFutureBlocking = false;
          if (
            typeof result._addWaiter === "function" &&
            result.addDoneCallback === _futureAddDoneCallback
          ) {
            result._addWaiter(this);
          } else {
            // A foreign future, or a subclass with its own addDoneCallback: called, as CPython
            // calls add_done_callback on any future that is not exactly a Future or Task.
            // Named after the task's class, as CPython's bound `task_wakeup` shows it.
            const wake = pyNamed(
              `bound ${className(this)}.task_wakeup`,
              wakeWaiter.bind(null, this as Task<unknown>),
            );
            result.addDoneCallback(wake, { context: _ownContext(this) });
          }
          this._futWaiter = result;
          if (this._mustCancel || this._queued === EARLY_CANCEL) this._cancelWaiter(result);
        }
      } else {
        const err = new RuntimeError(
          `yield was used instead of yield from in task ${this[customRepr]()} with ${pyRepr(result)}`,
        );
        loop._callSoonWithContext(taskStep, [this, err], _ownContext(this));
      }
    } else {
      let msg: string;
      if (isCoroutine(result)) {
        msg = `yield was used instead of yield from for generator in task ${this[customRepr]()} with ${pyRepr(result)}`;
      } else {
        msg = `Task got bad yield: ${pyRepr(result)}`;
        if (isThenable(result)) msg += " (a promise: use `yield* asyncio.ensureFuture(promise)`)";
      }
      loop._callSoonWithContext(taskStep, [this, new RuntimeError(msg)], _ownContext(this));
    }
    this._closeWindow();
  }

  /**
   * @internal A library coroutine (see {@link _callInTask}) runs an `async` function as the
   * task's own code: the coroutine stays suspended, the task runs like an async task until the
   * function's promise settles, then the coroutine resumes in that same step.
   */
  private _enterAsyncFrame(frame: AsyncFrame): void {
    frame.saved = [this._coro, this._awaitRes, this._awaitRej, this._isAsync];
    if (!outerFrames.has(this)) outerFrames.set(this, frame);
    this._coro = null;
    this._awaitRes = this._awaitRej = null;
    this._isAsync = true;
    // The function ran up to its first await; hold the iteration until that await registers.
    this._openWindow();
    frame.promise.then(
      (v) => this._leaveAsyncFrame(frame, true, v),
      (e) => this._leaveAsyncFrame(frame, false, e),
    );
  }

  private _leaveAsyncFrame(frame: AsyncFrame, ok: boolean, value: unknown): void {
    frame.ok = ok;
    frame.value = value;
    if (outerFrames.get(this) === frame) outerFrames.delete(this);
    if (this._state !== PENDING || frame.saved === null) return;
    const [coro, onRes, onRej, wasAsync] = frame.saved;
    if (this._coro !== null && wasAsync && onRes !== null && onRej !== null) {
      // The frame's coroutine was awaited by async code that went on meanwhile (a Promise.all
      // member, a call awaited later) and now steps another library coroutine in the task: the
      // frame's coroutine goes on beside it, as a task of its own whose outcome is that await's.
      frame.saved = null;
      const sub = new Task(coro as Coroutine<unknown>, {
        loop: this._loop,
        context: this._context,
      });
      sub.addDoneCallback((f) => settle(f, onRes, onRej));
      return;
    }
    this._closeStray();
    [this._coro, this._awaitRes, this._awaitRej, this._isAsync] = frame.saved;
    frame.saved = null;
    const loop = this._loop;
    const prev = loop._currentTask;
    loop._currentTask = this;
    try {
      this._context._run1(this, stepRunNoExc, this);
    } catch (exit) {
      // KeyboardInterrupt/SystemExit: make the loop raise it.
      (this._loop as { _raiseFromLoop?: (e: unknown) => void })._raiseFromLoop?.(exit);
    } finally {
      loop._currentTask = prev;
      if (!this._isAsync || this._state !== PENDING) this._closeWindow();
    }
  }

  /** @internal Python's `__wakeup`: the future this task waited on is done. */
  _wakeupFrom(future: Future<unknown>): void {
    if (this._isAsync) {
      // A stray (un-awaited) async call's library coroutine was closed when the task ended; the
      // future it waited on can still finish (its cleanup may cancel it): that wake-up is moot.
      if (this._state !== PENDING) return;
      const waiter = this._futWaiter;
      if (waiter !== future) {
        if (future !== this._coroWaiter) {
          // Left behind by a stray call's library coroutine that was closed: not for the
          // coroutine the task steps now.
          return;
        }
        // The task's library coroutine (a stray call's) is woken while the function itself
        // waits on `waiter`: the task still waits on that (so that cancel() reaches it).
        this._coroWaiter = null;
        this._wakeupStep(future);
        if (this._state === PENDING && this._futWaiter === null) this._futWaiter = waiter;
        return;
      }
      // Its library coroutine goes on (see _awaitFuture).
      this._coroWaiter = null;
    }
    this._wakeupStep(future);
  }

  private _wakeupStep(future: Future<unknown>): void {
    const state = future.result === _futureResult ? future._state : PENDING;
    if (state === STATE.FINISHED) {
      if (future._exception === NO_EXC) {
        this._step();
      } else {
        // What future.result() would throw, without throwing it here.
        future._retrieved();
        this._step(future._exception);
      }
    } else if (state === STATE.CANCELLED) {
      this._step(future._makeCancelledError());
    } else {
      let exc: unknown;
      try {
        future.result();
      } catch (e) {
        exc = e;
      }
      this._step(exc);
    }
  }

  /** @internal The async function awaits `fut` (called from `fut.then`). */
  _awaitFuture(
    fut: Future<unknown>,
    onRes: (v: unknown) => unknown,
    onRej: (e: unknown) => unknown,
  ): void {
    if (fut._state !== PENDING) {
      // Awaiting a done future does not suspend (whatever its loop); its outcome is read as
      // CPython's future iterator reads it, not through a subclass's result().
      settle(fut, onRes, onRej, true);
      return;
    }
    if (fut._asyncioFutureBlocking) {
      // CPython's future iterator: the flag is still set (by a task that awaited itself).
      onRej(new RuntimeError("await wasn't used with future"));
      return;
    }
    if (futureLoop(fut) !== this._loop || fut === (this as unknown)) {
      // As Python's __step: the error comes in a step of its own, in the next iteration; a
      // task that awaited itself stays marked (as in the generator path, see _handleYield).
      const self = fut === (this as unknown);
      if (self) fut._asyncioFutureBlocking = true;
      const msg = self
        ? `Task cannot await on itself: ${this[customRepr]()}`
        : `Task ${this[customRepr]()} got Future ${fut[customRepr]()} attached to a different loop`;
      this._loop._callSoonWithContext(
        asyncRaise,
        [this, new RuntimeError(msg), onRej],
        this._context,
      );
      this._closeWindow();
      return;
    }
    const prev = this._futWaiter;
    const coroWaiter = this._coroWaiter;
    if (prev !== null && this._coro !== null && coroWaiter === null) {
      // The library coroutine the task steps (a stray call's, or a Promise.all member's) waits
      // on `prev`: its wake-up stays valid (see _wakeupFrom), also when `prev` is already done
      // and the wake-up queued. Kept until the coroutine's next step (which clears it): a third
      // await at once replaces `prev`, another await of the function's, not the coroutine's.
      this._coroWaiter = prev;
    }
    this._futWaiter = fut;
    if (this._queued === EARLY_CANCEL) {
      // Cancelled before this await was registered (see cancel).
      this._cancelWaiter(fut);
      if (fut._state !== PENDING) {
        // The wake-up goes where CPython queued it, when cancel() was called.
        this._queued = new EarlyWake(fut, onRes, onRej);
        this._closeWindow();
        return;
      }
      // (a gather or a task: done once its children are)
    }
    fut.addDoneCallback(asyncWakeup(this as Task<unknown>, onRes, onRej), {
      context: this._context,
    });
    if (this._mustCancel && fut.cancel(this._cancelMessage)) this._mustCancel = false;
    this._closeWindow();
  }

  /** @internal A future an async function awaits is done: this is the task's next step. */
  _resumeAsync(
    f: Future<unknown>,
    onRes: (v: unknown) => unknown,
    onRej: (e: unknown) => unknown,
  ): void {
    if (this._state !== PENDING) return;
    if (this._futWaiter !== f) {
      // One of several futures awaited at once (`Promise.all`), not the last one registered:
      // not the task's wake-up (no window; a pending cancel stays for the next await).
      settle(f, onRes, onRej);
      return;
    }
    this._futWaiter = null;
    this._openWindow();
    if (this._mustCancel) {
      this._mustCancel = false;
      // As Python's __step: a CancelledError already on its way in is kept (its message).
      if (f._state !== STATE.CANCELLED && !(f._exception instanceof CancelledError)) {
        this._cancelDelivered();
        onRej(this._makeCancelledError());
        return;
      }
    }
    if (
      this._numCancelsRequested > 0 &&
      (f._state === STATE.CANCELLED || f._exception instanceof CancelledError)
    ) {
      this._cancelDelivered();
    }
    settle(f, onRes, onRej);
  }

  /** @internal The async function awaits a library coroutine: step it inside this task. */
  _awaitCoroutine(
    coro: Coroutine<unknown>,
    onRes: (v: unknown) => unknown,
    onRej: (e: unknown) => unknown,
  ): void {
    this._coro = coro;
    this._awaitRes = onRes;
    this._awaitRej = onRej;
    this._coroWaiter = null;
    const loop = this._loop;
    const prev = loop._currentTask;
    loop._currentTask = this;
    try {
      this._context._run1(this, stepRunNoExc, this);
    } finally {
      loop._currentTask = prev;
    }
  }

  /** @internal */
  _openWindow(): void {
    if (this._isAsync && !this._inWindow) {
      this._inWindow = true;
      windowTasks(this._loop).push(this as Task<unknown>);
      // The task's code runs (in microtasks, outside any Context.run): its context counts as
      // entered, as CPython's does for the whole of a step ("cannot enter context").
      const c = this._context;
      if (!c._frozen) c._inWindow = true;
    }
  }

  /** @internal Its code is running in a window (see {@link _openWindow}): for contextvars. */
  _contextEntered(): boolean {
    return this._inWindow;
  }

  /**
   * @internal The task reached its next await or its end. `resumeNow` (see `_windowsClosed`):
   * the caller is a reaction job to the function's own promise.
   */
  _closeWindow(resumeNow = false): void {
    if (this._inWindow) {
      this._inWindow = false;
      const x = this._x as TaskExtra | null;
      if (x !== null && (x.slot !== null || x.earlyMsgs !== null)) this._endEarlyStep();
      const c = this._context;
      if (!c._frozen) c._inWindow = false;
      const list = windowTasks(this._loop);
      const i = list.indexOf(this as Task<unknown>);
      if (i >= 0) {
        // Shift down and pop: splice() would allocate its result, and shortening `length` would
        // trim the backing store, which the next push then allocates again (once per resume).
        for (let j = i + 1; j < list.length; j++) list[j - 1] = list[j]!;
        list.pop();
      }
      if (list.length === 0) this._loop._windowsClosed(resumeNow);
    }
  }

  /** Runs the first step synchronously, inside the constructor (3.12's eager start). */
  private _eagerStart(): void {
    // Before the task is registered: createTask() raises and leaves nothing behind (CPython's
    // Python Task registers it anyway, and its C Task goes on with a corrupt current task).
    this._context._checkEnterable();
    const loop = this._loop;
    const outer = enclosingSlot;
    if ((loop as Partial<SlotLoop>)._eagerSlots) {
      // Started by an eager step that goes on after its createTask (see EagerSlot): what this
      // start queues belongs to that step's place.
      const slot = slotOf(currentTask(loop));
      if (slot !== null) enclosingSlot = slot;
    }
    const prev = loop._currentTask;
    loop._currentTask = this;
    listAdd(loopTasks(loop), this as Task<unknown>);
    try {
      this._context._run1(this, stepRunNoExc, this);
    } finally {
      loop._currentTask = prev;
      enclosingSlot = outer;
      if (this.done()) {
        this._coro = this._fn = null;
        this._refreshReport();
      }
    }
    if (this._inWindow && typeof (loop as Partial<SlotLoop>)._runInPlace === "function") {
      // An async body's step goes on in a microtask (see EagerSlot).
      const slot = new EagerSlot(loop as SlotLoop);
      (loop as SlotLoop)._queueReady(slot);
      (this._extra() as TaskExtra).slot = slot;
      (loop as SlotLoop)._eagerSlots++;
    }
  }

  /**
   * @internal The window closed: if it was the eager first step's (see EagerSlot), later work
   * is queued as usual, and a place kept by cancel() that this await did not take is moot.
   */
  private _endEarlyStep(): void {
    const x = this._x as TaskExtra;
    if (x.slot !== null) {
      x.slot = null;
      (this._loop as SlotLoop)._eagerSlots--;
    }
    x.earlyMsgs = null;
    if (this._queued === EARLY_CANCEL) this._queued = STALE_STEP;
  }

  /**
   * @internal The loop goes on without waiting for this task's window any longer: it awaits
   * something foreign (see EventLoop._onWindowFallback).
   */
  _windowLapsed(): void {
    this._inWindow = false;
    if (this._x !== null) this._endEarlyStep();
  }

  override _reprInfo(): string[] {
    const info = super._reprInfo();
    if (this._state === PENDING && this.cancelling() > 0) info[0] = "cancelling";
    info.splice(1, 0, `name=${pyRepr(this.getName())}`);
    if (this._futWaiter !== null) info.splice(2, 0, `wait_for=${this._futWaiter[customRepr]()}`);
    // A task that finished eagerly has let go of its coroutine (CPython: `if task._coro:`).
    if (this._coro !== null || this._fn !== null || outerFrames.has(this)) {
      info.splice(2, 0, `coro=<${this._coroName()}>`);
    }
    return info;
  }

  private _coroName(): string {
    const fn = this._fn;
    // While an async frame runs, `_coro` is the coroutine it awaits: the task's own is saved.
    const coro = outerFrames.get(this)?.saved?.[0] ?? this._coro;
    if (
      fn === null &&
      coro !== null &&
      !isGeneratorObject(coro) &&
      _coroutineQualname(coro) === undefined
    ) {
      // A coroutine-like object of the user's: CPython's `_format_coroutine` of an object
      // without a code object, which has no state to show.
      const own = coro as unknown as { __qualname__?: unknown; __name__?: unknown };
      const name =
        (typeof own.__qualname__ === "string" && own.__qualname__) ||
        (typeof own.__name__ === "string" && own.__name__) ||
        `<${className(coro)} without __name__>`;
      return `${name}()`;
    }
    const name =
      fn !== null && fn.name !== ""
        ? fn.name
        : _coroutineQualname(fn === null ? coro : null) || "coroutine";
    return `${name}() ${this._state === PENDING ? "running" : "done"}`;
  }
}

/** A task's `_coro`, `_awaitRes`, `_awaitRej` and `_isAsync`, kept while an AsyncFrame runs. */
type FrameState = [
  Coroutine<unknown> | null,
  ((v: unknown) => unknown) | null,
  ((e: unknown) => unknown) | null,
  boolean,
];

/** A task's outermost AsyncFrame while it runs (its repr shows the coroutine it saved). */
const outerFrames = new WeakMap<Task<unknown>, AsyncFrame>();

/** @internal Yielded by {@link _callInTask}: a promise the task awaits as its own code. */
class AsyncFrame {
  ok = false;
  value: unknown = undefined;
  /** the task's stepping state while the async function runs */
  saved: FrameState | null = null;
  constructor(readonly promise: PromiseLike<unknown>) {}
}

/**
 * @internal Calls `fn` as code of the current task, from inside a library coroutine (the body
 * of `timeout()` or `TaskGroup.run()`, like the body of Python's `async with`). A coroutine it
 * returns is delegated to (`yield*`); a Future is awaited; a promise (an `async` function) runs
 * as the task's own code: its awaits are the task's awaits (cancelling the task cancels them,
 * steps keep CPython's order) and this coroutine resumes, in the same step, when it settles.
 * Any other value is returned as is.
 */
export function* _callInTask<T>(fn: () => Coroutine<T> | PromiseLike<T> | T): Coroutine<T> {
  const loop = getRunningLoop();
  const task = currentTask(loop);
  const r: unknown = task === null ? fn() : asyncTask.run(task, fn);
  if (isCoroutine(r) || isFuture(r)) return (yield* r as Coroutine<T>) as T;
  if (!isThenable(r)) return r as T;
  if (task === null) return yield* wrapThenable(r as PromiseLike<T>, loop);
  const frame = new AsyncFrame(r);
  yield frame;
  if (!frame.ok) {
    const e = _cancelOfAbort(task, frame.value);
    if (e instanceof CancelledError) {
      // The cancellation reaches the body's caller through its own signal: delivered, once
      // (CPython's awaited call raises it and clears `_must_cancel`).
      task._mustCancel = false;
      task._cancelDelivered();
    }
    throw e;
  }
  return frame.value as T;
}

/**
 * @internal Node's signal-aware APIs (`timers/promises`, `events.once`, `fs.promises`,
 * `AbortSignal.any`) given a task's `signal` reject with an `AbortError` whose `cause` is the
 * signal's reason, the task's `CancelledError`: that cancellation, as if the `CancelledError`
 * itself had been raised (CPython's awaited call raises it); so is one caused by another task's
 * cancellation, and a `SuppressedError` whose disposal error is a cancellation. Anything else is
 * returned as is.
 */
export function _cancelOfAbort(task: Task<unknown>, e: unknown): unknown {
  try {
    return cancelOfAbort(task, e);
  } catch {
    return e; // a revoked Proxy, a throwing `name` getter: not an AbortError of ours
  }
}

function cancelOfAbort(task: Task<unknown>, e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  if (e.name === "SuppressedError") {
    // `await using` whose disposal raised after its body had: JavaScript wraps both, where
    // Python's __aexit__ exception replaces the body's. A disposal cancelled (a second cancel,
    // a timeout) must still cancel the task, or a timeout() around it.
    const inner = _cancelOfAbort(task, (e as { error?: unknown }).error);
    return inner instanceof CancelledError ? inner : e;
  }
  if (e.name !== "AbortError") return e;
  const cause = (e as { cause?: unknown }).cause;
  const abort = task._abort;
  if (abort?.signal.aborted && abort.signal.reason === cause) return cause;
  // Another task's signal (a parent's, handed to its children): its cancellation too, which
  // the children share, as CPython's children see the cancellation their parent passes on.
  if (cause instanceof CancelledError) return cause;
  return e;
}

/**
 * The wake-up of an async function's `await fut`, bound per await: a bound function's name is
 * "bound Task.task_wakeup", which reprs show as CPython's `Task.task_wakeup()`.
 */
const resumeAsync = {
  "Task.task_wakeup"(
    task: Task<unknown>,
    onRes: (v: unknown) => unknown,
    onRej: (e: unknown) => unknown,
    f: Future<unknown>,
  ): void {
    task._resumeAsync(f, onRes, onRej);
  },
}["Task.task_wakeup"];

function asyncWakeup(
  task: Task<unknown>,
  onRes: (v: unknown) => unknown,
  onRej: (e: unknown) => unknown,
): (f: Future<unknown>) => void {
  const wakeup = resumeAsync.bind(null, task, onRes, onRej);
  if (task._loop.getDebug()) (wakeup as { [WAKES]?: Task<unknown> })[WAKES] = task;
  return wakeup;
}

function settle(
  f: Future<unknown>,
  onRes: (v: unknown) => unknown,
  onRej: (e: unknown) => unknown,
  direct = false,
): void {
  if (!direct && f.result !== _futureResult) {
    // A subclass with its own result(): called, as CPython's wake-up does.
    let value: unknown;
    try {
      value = f.result();
    } catch (e) {
      onRej(e);
      return;
    }
    onRes(value);
  } else if (f._state === STATE.CANCELLED) {
    onRej(f._makeCancelledError());
  } else if (f._exception !== NO_EXC) {
    f._retrieved();
    onRej(f._exception);
  } else {
    onRes(f._result);
  }
}

/** An async task's step that raises `err` at its await (see Task._awaitFuture). */
function asyncRaise(task: Task<unknown>, err: unknown, onRej: (e: unknown) => unknown): void {
  if (task._state !== PENDING) return;
  task._openWindow();
  if (task._mustCancel) {
    // As Python's __step: a cancellation requested meanwhile replaces the error.
    task._mustCancel = false;
    err = task._makeCancelledError();
  }
  if (err instanceof CancelledError) task._cancelDelivered();
  onRej(err);
}

/**
 * @internal Leaves any async task's scope for the rest of this synchronous run (a promise
 * reaction's): cheaper than `_outsideTasks`, which wraps a call.
 */
export function _leaveTaskScope(): void {
  if (asyncTask.getStore() !== undefined) asyncTask.enterWith(undefined);
}

/** The async task whose code is running now, if this is an await (not synchronous loop code). */
function awaitingTask(): Task<unknown> | null {
  const t = asyncTask.getStore();
  if (!(t instanceof Task) || t._state !== PENDING || t._loop._inHandle) return null;
  return t;
}

_setAwaitHook((fut, onRes, onRej) => {
  const task = awaitingTask();
  if (task === null) return false;
  task._awaitFuture(fut, onRes, onRej);
  return true;
});

_setCoroutineThen(function (this: Coroutine<unknown>, onRes: unknown, onRej: unknown) {
  const res = typeof onRes === "function" ? (onRes as (v: unknown) => unknown) : (v: unknown) => v;
  const rej =
    typeof onRej === "function"
      ? (onRej as (e: unknown) => unknown)
      : (e: unknown) => {
          throw e;
        };
  // `await` passes two functions; `.then(f)` alone is the task's code asking for a promise.
  const task = typeof onRej === "function" ? awaitingTask() : null;
  if (task === null) {
    const loop = _getRunningLoop();
    if (loop === null)
      return Promise.reject(new RuntimeError("no running event loop")).then(res, rej);
    return new Task(this, { loop })._toPromise().then(res, rej);
  }
  if (task._coro !== null) {
    // Already stepping one library coroutine (two awaited at once): run this one as a task.
    const sub = new Task(this, { loop: task._loop });
    task._awaitFuture(sub as Future<unknown>, res, rej);
    return undefined;
  }
  task._awaitCoroutine(this, res, rej);
  return undefined;
});

_setDebugProbe(() => _getRunningLoop()?.getDebug() === true);

_setAsyncContextLookup(() => {
  const t = asyncTask.getStore();
  return t === undefined || t._loop._inHandle ? undefined : t;
});

/** @internal Runs `fn` outside any task's async scope (the loop's own Node callbacks). */
export function _outsideTasks<R>(fn: () => R): R {
  return asyncTask.exit(fn);
}

// ---- module functions ----

/** Wraps `coro` in a Task scheduled on the running loop (Python's `asyncio.create_task`). */
export function createTask<T>(
  coro: TaskBody<T>,
  options?: { name?: unknown; context?: Context | null },
): Task<T> {
  const loop = getRunningLoop() as AbstractEventLoop & {
    createTask<U>(c: TaskBody<U>, o?: { name?: unknown; context?: Context | null }): Task<U>;
  };
  return loop.createTask(coro, options);
}

/** The task running now, or null (Python's `asyncio.current_task`). */
export function currentTask(loop?: AbstractEventLoop | null): Task<unknown> | null {
  if (loop === undefined || loop === null) loop = getRunningLoop();
  const t = (loop._currentTask ?? null) as Task<unknown> | null;
  if (t !== null) return t;
  if (loop._inHandle) return null;
  const s = asyncTask.getStore();
  return s instanceof Task && s._loop === loop && s._state === PENDING ? s : null;
}

/** The not-yet-done tasks of the loop (Python's `asyncio.all_tasks`). */
export function allTasks(loop?: AbstractEventLoop | null): Set<Task<unknown>> {
  if (loop === undefined || loop === null) loop = getRunningLoop();
  const out = new Set<Task<unknown>>();
  // Not a loop (CPython filters its task set by loop): no tasks.
  const list = (loop as { _tasks?: TaskList } | null)?._tasks;
  if (list === undefined) return out;
  // Tenured tasks first: every one of them was made before any young one (the young are those
  // of the current run), so the set comes out in creation order.
  const tenured = tenuredSets.get(loop);
  if (tenured !== undefined) {
    for (const ref of tenured) {
      const t = ref.deref();
      if (t !== undefined && !t.done()) out.add(t);
    }
  }
  for (let t = list.first; t !== null; t = t._nextTask) if (!t.done()) out.add(t);
  if (foreignTasks.size !== 0) {
    for (const ref of foreignTasks) {
      const t = ref.deref() as ForeignTask | undefined;
      if (t === undefined) foreignTasks.delete(ref);
      else if (foreignLoop(t) === loop && !t.done()) out.add(t as unknown as Task<unknown>);
    }
  }
  return out;
}

/** A task object of a class not derived from Task, as `_registerTask` takes it. */
interface ForeignTask {
  done(): boolean;
  getLoop?(): unknown;
  _loop?: unknown;
}

/** Tasks of other classes registered with `_registerTask` (CPython's `_scheduled_tasks`). */
const foreignTasks = new Set<WeakRef<object>>();
const foreignRefs = new WeakMap<object, WeakRef<object>>();

/** CPython's `futures._get_loop`: `get_loop()`, else the `_loop` attribute. */
function foreignLoop(t: ForeignTask): unknown {
  return typeof t.getLoop === "function" ? t.getLoop() : t._loop;
}

/**
 * Python's `asyncio._register_task`: lets `allTasks()` see a task of a class not derived from
 * Task (it needs `done()` and `getLoop()` or `_loop`); held weakly. A Task is tracked from its
 * creation; registering it again undoes `_unregisterTask`.
 */
export function _registerTask(task: object): void {
  if (task instanceof Task) {
    const record = task._record;
    if (record !== null && record.tenured === unlisted) {
      // Unregistered before: listed again.
      unlisted.delete(record.ref);
      record.tenured = tenuredTasks(task._loop);
      record.tenured.add(record.ref);
    } else if (!task.done() && !task._inList && record === null) {
      if (task._loop.isRunning()) listAdd(loopTasks(task._loop), task as Task<unknown>);
      else task._tenureEarly(task._loop);
    }
    return;
  }
  if (foreignRefs.has(task)) return;
  const ref = new WeakRef(task);
  foreignRefs.set(task, ref);
  foreignTasks.add(ref);
}

/** Python's `asyncio._unregister_task`: `allTasks()` no longer sees the task. */
export function _unregisterTask(task: object): void {
  if (task instanceof Task) {
    // Off allTasks(), but still reported if destroyed while pending, as in CPython.
    if (task._inList) {
      listRemove(loopTasks(task._loop), task as Task<unknown>);
      if (!task.done()) task._tenure(unlisted);
    } else if (task._record !== null && task._record.tenured !== unlisted) {
      const record = task._record;
      record.tenured.delete(record.ref);
      record.tenured = unlisted;
      unlisted.add(record.ref);
    }
    return;
  }
  const ref = foreignRefs.get(task);
  if (ref === undefined) return;
  foreignRefs.delete(task);
  foreignTasks.delete(ref);
}

/**
 * Python's `asyncio._enter_task`: makes `task` the loop's current task (for task classes that
 * step their own coroutines); RuntimeError while another task runs.
 */
export function _enterTask(loop: AbstractEventLoop, task: object): void {
  const current = currentTask(loop);
  if (current !== null) {
    throw new RuntimeError(
      `Cannot enter into task ${pyRepr(task)} while another task ${pyRepr(current)} is being executed.`,
    );
  }
  loop._currentTask = task;
}

/** Python's `asyncio._leave_task`: ends `_enterTask`; RuntimeError if `task` is not current. */
export function _leaveTask(loop: AbstractEventLoop, task: object): void {
  const current = currentTask(loop);
  if (current !== task) {
    throw new RuntimeError(
      `Leaving task ${pyRepr(task)} does not match the current task ${pyRepr(current)}.`,
    );
  }
  loop._currentTask = null;
}

/** The AbortSignal of the current task; RuntimeError outside a task. */
export function currentSignal(): AbortSignal {
  const t = currentTask();
  if (t === null) throw new RuntimeError("currentSignal() called outside of a task");
  return t.signal;
}

/**
 * A future-like: an object whose `[Symbol.iterator]()` is awaited like Python's `__await__`.
 * Not a collection (an array, a string, a typed array, a Map or a Set, which have a `length` or
 * a `size`): those are iterable too, but never awaitable (`gather([tasks])` is a TypeError).
 */
export interface FutureLike<T> {
  [Symbol.iterator](): Iterator<unknown, T, unknown>;
  readonly length?: never;
  readonly size?: never;
}

/** @internal An object with Python's `__await__` (`[Symbol.iterator]`) that is not a collection. */
export function isFutureLike(obj: unknown): obj is FutureLike<unknown> {
  if (typeof obj !== "object" || obj === null) return false;
  if (Array.isArray(obj) || ArrayBuffer.isView(obj) || obj instanceof Map || obj instanceof Set)
    return false;
  return typeof (obj as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
}

/**
 * @internal Drives a future-like's iterator, checking it as Python checks `__await__()`'s result.
 */
export function* wrapAwaitable<T>(obj: FutureLike<T>): Coroutine<T> {
  const it = obj[Symbol.iterator]();
  if (
    typeof it !== "object" ||
    it === null ||
    typeof (it as { next?: unknown }).next !== "function"
  ) {
    throw new TypeError(`__await__() returned non-iterator of type '${pyTypeName(it)}'`);
  }
  if (typeof (it as { throw?: unknown }).throw === "function") {
    return yield* { [Symbol.iterator]: () => it };
  }
  // An iterator without throw(): Python's `yield from` raises what is thrown in (a
  // cancellation, a failed future, "bad yield") in the delegating coroutine; V8's `yield*`
  // would close the iterator and raise a TypeError instead. Closing still closes it.
  let r = it.next();
  while (r.done !== true) {
    let sent: unknown;
    let outcome: "closed" | "sent" | "thrown" = "closed";
    try {
      sent = yield r.value;
      outcome = "sent";
    } catch (e) {
      outcome = "thrown";
      throw e;
    } finally {
      if (outcome === "closed") (it as { return?: () => unknown }).return?.();
    }
    r = it.next(sent as never);
  }
  return r.value as T;
}
// Shown in reprs as CPython's `ensure_future()` names its wrapper of an awaitable.
_setQualname(wrapAwaitable, "ensure_future.<locals>._wrap_awaitable");

/**
 * @internal What an overridable method returned, for `yield*` (CPython's `await self.acquire()`,
 * `await loop.create_connection(...)` and the like, where a subclass may have overridden the
 * method): a coroutine or a Future as is, an `async` override's promise or a future-like
 * through a wrapper; anything else is Python's TypeError.
 */
export function _awaitOverride<T>(x: unknown): Coroutine<T> {
  if (isCoroutine(x) || isFuture(x)) return x as Coroutine<T>;
  if (isThenable(x)) return ensureFuture(x as PromiseLike<T>) as unknown as Coroutine<T>;
  if (isFutureLike(x)) return wrapAwaitable(x as FutureLike<T>);
  throw new TypeError(`object ${pyTypeName(x)} can't be used in 'await' expression`);
}

/**
 * A Future for `obj` (Python's `asyncio.ensure_future`): a Future is returned as is; a
 * coroutine or future-like is wrapped in a Task; a thenable in a Future settled by it.
 */
export function ensureFuture<F extends Future<unknown>>(
  obj: F,
  options?: { loop?: AbstractEventLoop },
): F;
export function ensureFuture<T>(obj: Coroutine<T>, options?: { loop?: AbstractEventLoop }): Task<T>;
export function ensureFuture<T>(
  obj: Future<T> | Coroutine<T> | PromiseLike<T> | FutureLike<T>,
  options?: { loop?: AbstractEventLoop },
): Future<T>;
export function ensureFuture<T>(
  obj: Future<T> | Coroutine<T> | PromiseLike<T> | FutureLike<T>,
  options?: { loop?: AbstractEventLoop },
): Future<T> {
  return _ensureFuture(obj, options?.loop);
}

/** @internal `ensureFuture` without the options object (gather calls it per argument). */
export function _ensureFuture<T>(obj: unknown, loop: AbstractEventLoop | undefined): Future<T> {
  if (isFuture(obj)) {
    if (loop !== undefined && loop !== futureLoop(obj)) {
      throw new ValueError(
        "The future belongs to a different loop than the one specified as the loop argument",
      );
    }
    return obj as Future<T>;
  }
  if (isCoroutine(obj)) {
    const l = (loop ?? getEventLoop()) as AbstractEventLoop & {
      createTask<U>(c: TaskBody<U>): Task<U>;
    };
    try {
      return l.createTask(obj as Coroutine<T>);
    } catch (e) {
      if (e instanceof RuntimeError) closeCoroutine(obj);
      throw e;
    }
  }
  if (isThenable(obj))
    return wrapThenable(obj as PromiseLike<T>, loop ?? _getRunningLoop() ?? getEventLoop());
  if (isFutureLike(obj)) {
    const l = (loop ?? getEventLoop()) as AbstractEventLoop & {
      createTask<U>(c: TaskBody<U>): Task<U>;
    };
    return l.createTask(wrapAwaitable(obj as FutureLike<T>));
  }
  throw notAwaitable(obj);
}

/** @internal CPython's message for what ensure_future() cannot take. */
export const NOT_AWAITABLE = "An asyncio.Future, a coroutine or an awaitable is required";

/**
 * @internal CPython's TypeError for what ensure_future() cannot take; a function (the way an
 * `async` function's coroutine is passed elsewhere) gets a hint.
 */
export function notAwaitable(obj: unknown): TypeError {
  return new TypeError(
    typeof obj === "function"
      ? `${NOT_AWAITABLE} (got a function: createTask(fn) runs it as a task)`
      : NOT_AWAITABLE,
  );
}

/** A Future settled by a promise; cancelling the Future abandons the promise. */
function wrapThenable<T>(p: PromiseLike<T>, loop: AbstractEventLoop): Future<T> {
  // CPython wraps an awaitable in a task: create_task() refuses a closed loop.
  if (loop.isClosed()) throw new RuntimeError("Event loop is closed");
  const fut = new Future<T>({ loop });
  const fail = (e: unknown): void => {
    if (fut.done() || loop.isClosed()) return;
    if (e instanceof CancelledError) {
      // CPython's task for the awaitable ends cancelled by the CancelledError it raised.
      fut._cancelledExc = e;
      fut.cancel();
    } else fut._setExceptionUnchecked(e);
  };
  const adopt = (q: PromiseLike<unknown>): void => {
    try {
      q.then((v) => {
        // Resolved with another thenable: its outcome, as a Promise would adopt it.
        if (isThenable(v)) adopt(v);
        else if (!fut.done() && !loop.isClosed()) fut.setResult(v as T);
      }, fail);
    } catch (e) {
      // A `then` that throws fails the future, as a Promise's resolution would (CPython's task
      // for an awaitable fails when its `__await__` raises, never at the call).
      fail(e);
    }
  };
  adopt(p);
  return fut;
}

/** The task factory that starts tasks eagerly (Python 3.12's `create_eager_task_factory`). */
export function createEagerTaskFactory(
  customTaskConstructor:
    | (new <T>(
        coro: TaskBody<T>,
        options?: TaskOptions,
      ) => Task<T>)
    // a Task subclass that is not generic (Python's `class MyTask(asyncio.Task)`)
    | (new (
        coro: TaskBody<unknown>,
        options?: TaskOptions,
      ) => Task<unknown>)
    // any callable that returns a Task-compatible object
    | ((coro: TaskBody<unknown>, options: TaskOptions) => Task<unknown>),
): <T>(
  loop: AbstractEventLoop,
  coro: TaskBody<T>,
  options?: { name?: unknown; context?: Context | null },
) => Task<T> {
  const make = customTaskConstructor as (coro: TaskBody<unknown>, options: TaskOptions) => Task;
  // An arrow function or method has no prototype and cannot be called with `new`.
  const isClass = (customTaskConstructor as { prototype?: unknown }).prototype !== undefined;
  return <T>(
    loop: AbstractEventLoop,
    coro: TaskBody<T>,
    options?: { name?: unknown; context?: Context | null },
  ) => {
    // As CPython's factory: name and context are always passed (None when not given).
    const opts: TaskOptions = {
      loop,
      name: options?.name ?? null,
      context: options?.context ?? null,
      eagerStart: true,
    };
    return (
      isClass
        ? new (make as unknown as new (c: TaskBody<unknown>, o: TaskOptions) => Task)(coro, opts)
        : make(coro, opts)
    ) as Task<T>;
  };
}

/** Python 3.12's `asyncio.eager_task_factory`. */
export const eagerTaskFactory = createEagerTaskFactory(Task);

/** Named `sleep`: the name that debug mode's "never awaited" warning shows, as CPython's. */
const sleepCoro = awaitable(function* sleep<T>(
  delay: number,
  result?: T,
): Coroutine<T | undefined> {
  if (typeof delay !== "number") {
    // Python's bools and ints are numbers: `false` and `0n` are delays too.
    if (!isPyNumber(delay)) throw compareError("<=", delay, 0);
    delay = Number(delay);
  }
  if (delay <= 0) {
    yield;
    return result;
  }
  if (Number.isNaN(delay)) throw new ValueError("Invalid delay: NaN (not a number)");
  const loop = getRunningLoop();
  const future = _newFuture<T | undefined>(loop);
  const h = loop.callLater(delay, setResultUnlessCancelled, future, result);
  try {
    return yield* future;
  } finally {
    h.cancel();
  }
}, "sleep");

/**
 * Suspends the current task for `delay` seconds and returns `result` (Python's `asyncio.sleep`).
 * `sleep(0)` gives up exactly one loop iteration; a negative delay is zero.
 *
 * Cancellation: the timer is cancelled with the sleep; nothing is left on the loop.
 */
export const sleep = sleepCoro as {
  (delay: number): AwaitableCoroutine<undefined>;
  <T>(delay: number, result: T): AwaitableCoroutine<T>;
};

libraryClasses(Task);

keepClassNames({ Task });
