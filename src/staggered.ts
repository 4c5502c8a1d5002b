/**
 * `staggeredRace()` (Python's `asyncio.staggered.staggered_race`, 3.13): the race behind
 * `createConnection`'s happy eyeballs (RFC 8305).
 */
import { awaitable, type Coroutine } from "./coroutines.ts";
import { type AbstractEventLoop, getRunningLoop } from "./events.ts";
import { isExitException, TimeoutError } from "./exceptions.ts";
import { Event } from "./locks.ts";
import { _callInTask, type Task } from "./tasks.ts";
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
 * task, then runs its own function. Its exception is recorded, not raised.
 */
function* runOneCoroGen<T>(race: Race<T>, previousFailed: Event | null): Coroutine<void> {
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
  race.runningTasks.push(race.loop.createTask(runOneCoro(race, thisFailed)));
  race.exceptions.push(null);
  let result: T;
  try {
    result = yield* _callInTask(next.value);
  } catch (e) {
    if (isExitException(e)) throw e;
    race.exceptions[thisIndex] = e;
    thisFailed.set();
    return;
  }
  race.winnerIndex = thisIndex;
  race.winnerResult = result;
  race.runningTasks.forEach((t, i) => {
    if (i !== thisIndex) t.cancel();
  });
}

const runOneCoro = awaitable(runOneCoroGen, "staggered_race.<locals>.run_one_coro");

function* staggeredRaceGen<T>(
  coroFns: Iterable<RacerFn<T>>,
  delay: number | null,
  options: { loop?: AbstractEventLoop | null } = {},
): Coroutine<[T | null, number | null, unknown[]]> {
  const loop = options.loop ?? getRunningLoop();
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
  race.runningTasks.push(loop.createTask(runOneCoro(race, null)));
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
