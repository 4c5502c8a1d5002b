/**
 * `staggeredRace()` (Python's `asyncio.staggered.staggered_race`, 3.13): the race behind
 * `createConnection`'s happy eyeballs (RFC 8305).
 */
import { awaitable, type Coroutine, isCoroutine, isThenable } from "./coroutines.ts";
import { type AbstractEventLoop, getRunningLoop } from "./events.ts";
import { AssertionError, isExitException, TimeoutError } from "./exceptions.ts";
import { pyTypeName } from "./format.ts";
import { isFuture } from "./futures.ts";
import { Event } from "./locks.ts";
import {
  _callInTask,
  currentTask,
  type FutureLike,
  isFutureLike,
  type Task,
  wrapAwaitable,
} from "./tasks.ts";
import { wait, waitFor } from "./wait.ts";

/** What a racer is: a function returning a coroutine or a promise (an `async` function). */
export type RacerFn<T> = () => Coroutine<T> | PromiseLike<T>;

/** The state one race's `run_one_coro` tasks share (the closure of CPython's function). */
interface Race<T> {
  readonly loop: AbstractEventLoop;
  readonly fns: Iterator<RacerFn<T>>;
  readonly delay: number | null;
  started: number;
  winnerResult: T | null;
  winnerIndex: number | null;
  readonly exceptions: unknown[];
  readonly runningTasks: Task<void>[];
}

/**
 * One racer: waits until the previous one failed or `delay` passed, starts the next racer's
 * task, then runs its own function. Its exception is recorded, not raised. `okToStart` is set
 * once the task is in `runningTasks`: an eager task factory runs the task's first step inside
 * `createTask`, before that (CPython's later fix of gh-124309; 3.13.0 hangs or fails there).
 */
function* runOneCoroGen<T>(
  race: Race<T>,
  okToStart: Event,
  previousFailed: Event | null,
): Coroutine<void> {
  yield* okToStart.wait();
  if (previousFailed !== null) {
    try {
      yield* waitFor(previousFailed.wait(), race.delay);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
    }
  }
  const next = race.fns.next();
  if (next.done) return;
  const thisIndex = race.started++;
  const thisFailed = new Event();
  startRacer(race, thisFailed);
  race.exceptions.push(null);
  let result: T;
  try {
    result = yield* _callInTask(() => awaitableOf(next.value()));
  } catch (e) {
    if (isExitException(e)) throw e;
    race.exceptions[thisIndex] = e;
    thisFailed.set();
    return;
  }
  // A second winner (a racer that swallowed its cancellation): CPython's assert fails.
  if (race.winnerIndex !== null) throw new AssertionError();
  race.winnerIndex = thisIndex;
  race.winnerResult = result;
  const me = currentTask(race.loop);
  for (const t of race.runningTasks) if (t !== me) t.cancel();
}

/** Creates the next `run_one_coro` task, adds it to the race, then lets it start. */
function startRacer<T>(race: Race<T>, previousFailed: Event | null): void {
  const okToStart = new Event();
  race.runningTasks.push(race.loop.createTask(runOneCoro(race, okToStart, previousFailed)));
  okToStart.set();
}

/** What a racer function returned, if it can be awaited (CPython's `await coro_fn()`). */
function awaitableOf<T>(r: Coroutine<T> | PromiseLike<T>): Coroutine<T> | PromiseLike<T> {
  if (isCoroutine(r) || isFuture(r) || isThenable(r)) return r;
  if (isFutureLike(r)) return wrapAwaitable(r as FutureLike<T>);
  throw new TypeError(`object ${pyTypeName(r)} can't be used in 'await' expression`);
}

const runOneCoro = awaitable(runOneCoroGen, "staggered_race.<locals>.run_one_coro");

function* staggeredRaceGen<T>(
  coroFns: Iterable<RacerFn<T>>,
  delay: number | null,
  options: { loop?: AbstractEventLoop | null } = {},
): Coroutine<[T | null, number | null, unknown[]]> {
  const loop = options.loop ?? getRunningLoop();
  if (
    typeof (coroFns as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(`'${pyTypeName(coroFns)}' object is not iterable`);
  }
  const race: Race<T> = {
    loop,
    fns: coroFns[Symbol.iterator](),
    delay,
    started: 0,
    winnerResult: null,
    winnerIndex: null,
    exceptions: [],
    runningTasks: [],
  };
  startRacer(race, null);
  try {
    let doneCount = 0;
    while (doneCount !== race.runningTasks.length) {
      const [done] = yield* wait(race.runningTasks);
      doneCount = done.size;
      // CPython's `if __debug__:` check: a racer task that failed (an exit exception) raises.
      for (const d of done) {
        if (d.done() && !d.cancelled() && d.exception() !== null) throw d.exception();
      }
    }
    return [race.winnerResult, race.winnerIndex, race.exceptions];
  } finally {
    for (const t of race.runningTasks) t.cancel();
  }
}

/**
 * Runs `coroFns` with staggered starts and returns the first to succeed: the first starts at
 * once, each next one when the one before it fails or after `delay` seconds (`null`: only on
 * failure). When one returns, the others are cancelled. Resolves to
 * `[winnerResult, winnerIndex, exceptions]`: `exceptions` has one entry per racer started, in
 * order: what it raised (a `CancelledError` for one cancelled by the winner), `null` for the
 * winner. With no winner, the first two are null.
 */
export const staggeredRace = awaitable(staggeredRaceGen, "staggered_race");
