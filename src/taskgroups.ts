/**
 * `TaskGroup` (Python's `asyncio.TaskGroup`, 3.13 semantics).
 *
 * Python's `async with asyncio.TaskGroup() as tg: body` becomes
 * `new TaskGroup().run((tg) => body)`: only a function around the body can see the exception
 * it ends with and wait for the children before returning.
 */
import type { Context } from "./contextvars.ts";
import {
  type AwaitableCoroutine,
  awaitable,
  type Coroutine,
  closeCoroutine,
} from "./coroutines.ts";
import { type AbstractEventLoop, getRunningLoop } from "./events.ts";
import { _groupOfTaskErrors, CancelledError, isExitException, RuntimeError } from "./exceptions.ts";
import { customRepr, keepClassNames, libraryClasses, pyNamed, pyStr } from "./format.ts";
import { _newFuture, type Future, NO_EXC } from "./futures.ts";
import { _callInTask, currentTask, type Task, type TaskBody } from "./tasks.ts";

/** The body of a task group: a generator function, an `async` function or a plain one. */
export type TaskGroupBody<T> = (tg: TaskGroup) => Coroutine<T> | PromiseLike<T> | T;

type LoopWithTasks = AbstractEventLoop & {
  createTask<T>(coro: TaskBody<T>, options?: { name?: unknown; context?: Context | null }): Task<T>;
};

/**
 * Runs tasks as a group (Python's `asyncio.TaskGroup`): `run(body)` runs the body in the
 * current task, then waits for every task created with `createTask` (children may create more).
 *
 * The first child that fails (any error but `CancelledError`) cancels the other children and
 * the body; when all are done, the errors are raised as one
 * `ExceptionGroup('unhandled errors in a TaskGroup', [...])` (a `BaseExceptionGroup` if one is
 * BaseException-only), children's errors in completion order, then the body's.
 * KeyboardInterrupt/SystemExit are re-raised bare. If the task running the group is cancelled
 * from outside, the children are cancelled and the `CancelledError` propagates, unless
 * children failed: their ExceptionGroup wins (and the task stays cancelled: 3.13).
 */
export class TaskGroup {
  /** @internal */ _entered = false;
  /** @internal */ _exiting = false;
  /** @internal */ _aborting = false;
  /** @internal */ _loop: LoopWithTasks | null = null;
  /** @internal */ _parentTask: Task<unknown> | null = null;
  /** @internal */ _parentCancelRequested = false;
  /** @internal */ _tasks = new Set<Task<unknown>>();
  /** @internal */ _errors: unknown[] | null = [];
  /** @internal */ _baseError: { error: unknown } | null = null;
  /** @internal */ _onCompletedFut: Future<boolean> | null = null;

  /**
   * Runs `body(tg)` in the current task, then waits for all the group's tasks (Python's
   * `async with tg:`). Returns the body's result. The body may be a generator function or an
   * `async` function; its awaits are the task's awaits (the group cancels them on a child
   * error). `RuntimeError`: `'TaskGroup <…> has already been entered'`, `'TaskGroup <…> cannot
   * determine the parent task'`.
   */
  run<T>(body: TaskGroupBody<T>): AwaitableCoroutine<T> {
    return runGroup(this, body) as AwaitableCoroutine<T>;
  }

  /**
   * Creates a task in this group (Python's `TaskGroup.create_task`); `coro` as for
   * `createTask`. `RuntimeError` (the coroutine is closed, 3.13) if the group has not been
   * entered, is finished (`'… is finished'`) or is shutting down after an error
   * (`'… is shutting down'`).
   */
  createTask<T>(
    coro: TaskBody<T>,
    options?: { name?: unknown; context?: Context | null },
  ): Task<T> {
    if (!this._entered) {
      closeCoroutine(coro);
      throw new RuntimeError(`TaskGroup ${this[customRepr]()} has not been entered`);
    }
    if (this._exiting && this._tasks.size === 0) {
      closeCoroutine(coro);
      throw new RuntimeError(`TaskGroup ${this[customRepr]()} is finished`);
    }
    if (this._aborting) {
      closeCoroutine(coro);
      throw new RuntimeError(`TaskGroup ${this[customRepr]()} is shutting down`);
    }
    const task = this._loop!.createTask(
      coro,
      options?.context === undefined || options.context === null
        ? { name: options?.name }
        : { name: options?.name, context: options.context },
    );
    // An eagerly finished task is handled now, without a done callback.
    if (task.done()) {
      this._onTaskDone(task as Task<unknown>);
    } else {
      this._tasks.add(task as Task<unknown>);
      task.addDoneCallback(this._onTaskDone as (t: Future<T>) => void);
    }
    return task;
  }

  /** @internal Python's `__aenter__` (it never suspends). */
  _enter(): void {
    if (this._entered) {
      throw new RuntimeError(`TaskGroup ${this[customRepr]()} has already been entered`);
    }
    if (this._loop === null) this._loop = getRunningLoop() as LoopWithTasks;
    this._parentTask = currentTask(this._loop);
    if (this._parentTask === null) {
      throw new RuntimeError(`TaskGroup ${this[customRepr]()} cannot determine the parent task`);
    }
    this._entered = true;
  }

  /** @internal */
  _abort(): void {
    this._aborting = true;
    for (const t of this._tasks) {
      if (!t.done()) t.cancel();
    }
  }

  /** @internal */
  readonly _onTaskDone = pyNamed("TaskGroup._on_task_done", (task: Task<unknown>): void => {
    this._tasks.delete(task);
    const fut = this._onCompletedFut;
    if (fut !== null && this._tasks.size === 0 && !fut.done()) fut.setResult(true);
    if (task.cancelled()) return;
    const exc = task.exception(); // called for every task, as CPython does (a subclass sees it)
    if (task._exception === NO_EXC) return;
    this._errors!.push(exc);
    if (isExitException(exc) && this._baseError === null) this._baseError = { error: exc };
    const parent = this._parentTask!;
    if (parent.done()) {
      this._loop!.callExceptionHandler({
        message: `Task ${pyStr(task)} has errored out but its parent task ${pyStr(parent)} is already completed`,
        exception: exc,
        task,
      });
      return;
    }
    if (!this._aborting && !this._parentCancelRequested) {
      // The parent is not being cancelled: cancel it to interrupt the body (and un-cancel it
      // in __aexit__).
      this._abort();
      this._parentCancelRequested = true;
      parent.cancel();
    }
  });

  [customRepr](): string {
    let info = "";
    if (this._tasks.size > 0) info += ` tasks=${this._tasks.size}`;
    if (this._errors !== null && this._errors.length > 0) info += ` errors=${this._errors.length}`;
    if (this._aborting) info += " cancelling";
    else if (this._entered) info += " entered";
    return `<TaskGroup${info}>`;
  }

  toString(): string {
    return this[customRepr]();
  }
}

/** Python's `TaskGroup.__aexit__`; `failed`/`exc`: how the body ended. */
function* exitGroup(tg: TaskGroup, failed: boolean, exc: unknown): Coroutine<void> {
  tg._exiting = true;
  if (failed && isExitException(exc) && tg._baseError === null) tg._baseError = { error: exc };
  let propagateCancellationError: { error: unknown } | null =
    failed && exc instanceof CancelledError ? { error: exc } : null;
  if (failed && !tg._aborting) {
    // The parent task is being cancelled, or the body raised: cancel the children.
    tg._abort();
  }
  // A loop: _onCompletedFut can be cancelled several times if the parent task is.
  while (tg._tasks.size > 0) {
    if (tg._onCompletedFut === null) tg._onCompletedFut = _newFuture<boolean>(tg._loop!);
    try {
      yield* tg._onCompletedFut;
    } catch (ex) {
      if (!(ex instanceof CancelledError)) throw ex;
      if (!tg._aborting) {
        // The parent task was cancelled while the children still ran.
        propagateCancellationError = { error: ex };
        tg._abort();
      }
    }
    tg._onCompletedFut = null;
  }

  if (tg._baseError !== null) throw tg._baseError.error;

  if (tg._parentCancelRequested) {
    // The group cancelled its parent: take that request back. If no other is pending, do not
    // propagate a CancelledError.
    if (tg._parentTask!.uncancel() === 0) propagateCancellationError = null;
  }

  // A CancelledError propagates, unless there are other errors: they have priority.
  if (propagateCancellationError !== null && tg._errors!.length === 0) {
    throw propagateCancellationError.error;
  }

  if (failed && !(exc instanceof CancelledError)) tg._errors!.push(exc);

  if (tg._errors!.length > 0) {
    // Being cancelled from outside: un-cancel and re-cancel the parent, keeping the count.
    const parent = tg._parentTask!;
    if (parent.cancelling() > 0) {
      parent.uncancel();
      parent.cancel();
    }
    const errors = tg._errors!;
    tg._errors = null;
    throw _groupOfTaskErrors("unhandled errors in a TaskGroup", errors);
  }
}

const runGroup = awaitable(function* runGroup<T>(
  tg: TaskGroup,
  body: TaskGroupBody<T>,
): Coroutine<T> {
  tg._enter();
  let result: T;
  try {
    result = yield* _callInTask(() => body(tg));
  } catch (e) {
    yield* exitGroup(tg, true, e);
    throw e;
  }
  yield* exitGroup(tg, false, undefined);
  return result;
});

libraryClasses(TaskGroup);

keepClassNames({ TaskGroup });
