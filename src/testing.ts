/**
 * `asyncio-ts/testing`: a loop with a virtual clock.
 *
 * When nothing is ready, the loop lets one Node turn pass (so promises settle and Node callbacks
 * run) and then jumps time straight to the next timer: an hour of `sleep()` runs in microseconds
 * and every run of a test is the same run. `advance(seconds)` moves time by hand. The clock does
 * not jump while a `runInExecutor`/`toThread` call, or a pool call followed by `wrapFuture`, is
 * running (a thread's work takes real time);
 * other I/O that takes real time (a socket round trip, a Node timer, a foreign promise) is not
 * waited for before a jump, so a test that waits for such I/O with a timeout pending should use
 * the real loop.
 */
import { EventLoop, KEEPALIVE_MS } from "./base_events.ts";
import { longTimeout } from "./concurrent/_base.ts";
import { type TimerHandle, timerTies } from "./events.ts";
import { ValueError } from "./exceptions.ts";
import { isPyNumber, pyTypeName } from "./format.ts";

/**
 * The tie of a timer whose deadline was computed at clock reading `tick`, among the timers of
 * one deadline so far (`entry`: [tick, tie, ...] by tick): the same as a timer of the same
 * reading, above those read earlier, below those read later.
 */
function tieOffset(entry: number[], tick: number): number {
  const n = entry.length;
  const lastTick = entry[n - 2]!;
  if (tick === lastTick) return entry[n - 1]!;
  if (tick > lastTick) {
    const tie = entry[n - 1]! + 1;
    entry.push(tick, tie);
    return tie;
  }
  let i = 0;
  while (entry[i]! < tick) i += 2;
  if (entry[i] === tick) return entry[i + 1]!;
  // Read before every timer so far: below them; between two readings: tied with the earlier.
  const tie = i === 0 ? entry[1]! - 1 : entry[i - 1]!;
  entry.splice(i, 0, tick, tie);
  return tie;
}

export class VirtualTimeLoop extends EventLoop {
  /** @internal */ static override _virtualClock = true;
  private _now = 0;

  /** Moves the clock forward by `seconds` (timers that come due run on the next iteration). */
  advance(seconds: number): void {
    if (typeof seconds !== "number") {
      if (!isPyNumber(seconds)) {
        throw new TypeError(`advance() needs a number of seconds, not ${pyTypeName(seconds)}`);
      }
      seconds = Number(seconds);
    }
    if (!(seconds >= 0) || seconds === Number.POSITIVE_INFINITY) {
      throw new ValueError("advance() needs a finite, non-negative number of seconds");
    }
    this._setNow(this._now + seconds);
    this._wake();
  }

  private _setNow(now: number): void {
    this._now = now;
    // A timer is due within the clock's resolution; far from 0 the doubles are coarser than
    // 1e-9 s (from 2**24 s on, now + 1e-9 === now): then 16 steps of a double (2**-48 of the
    // time), enough for the rounding of a few sums, not enough to fire a timer visibly early.
    this._clockResolution = Math.max(1e-9, Math.abs(now) * 2 ** -48);
  }

  /** clock readings so far: the user's `time()` calls and the deadlines computed from the clock */
  private _tick = 0;
  /** the reading of the user's last `time()` call */
  private _lastRead = 0;
  /** deadline -> the readings its timers were computed at, with their ties (see tieOffset) */
  private _ties = new Map<number, number[]>();
  private _tiesLimit = 4096;

  /** Virtual seconds since the loop was made. */
  override time(): number {
    this._lastRead = ++this._tick;
    return this._now;
  }

  /** @internal The loop's own readings (iterations, `callLater`) are not the user's. */
  override _loopTime(): number {
    return this._now;
  }

  /**
   * @internal The timeout of a wait for real I/O (a TLS handshake; see events.ts `_ioTimeout`)
   * runs in real time: a loop timer would make the clock jump to it before the I/O is done.
   */
  _ioTimeout(delay: number, callback: () => void): { cancel(): void } {
    const cancel = longTimeout(
      () => {
        if (!this.isClosed()) this.callSoonThreadsafe(callback);
      },
      delay,
      true,
    );
    return { cancel };
  }

  /**
   * @internal Debug mode: a callback is slow if it took long in virtual time (it advanced the
   * clock) or in real time (it blocked the thread).
   */
  override _debugElapsed(t0: number, r0: number): number {
    return Math.max(this._now - t0, performance.now() / 1000 - r0);
  }

  /**
   * @internal Timers with equal deadlines run in the order a moving clock would give them. On
   * CPython's real clock time moves between two readings, so two `call_later(d)` made one after
   * the other get different deadlines and run first in, first out, and a `call_at(t)` runs
   * before a `call_later` landing on `t` if `t` was computed (from `loop.time()`) before it, and
   * after it if computed after; on a virtual clock all of these deadlines are equal. So each
   * deadline computed from the clock (`callLater`, `sleep`, `timeout(delay)`, `waitFor`) counts
   * as a reading of its own, a `callAt` is taken as computed at the user's last `time()` call,
   * and timers of one deadline are ordered in the heap by the order of those readings (their
   * `timerTies`; deadlines that differ, even by one representable double, are ordered by deadline).
   * Timers of one reading (several `callAt` of one computed deadline) keep heapq's order among
   * themselves, as equal deadlines do in CPython.
   */
  override _timerKey(timer: TimerHandle, fromNow = false): number {
    const when = timer._when;
    const tick = fromNow ? ++this._tick : this._lastRead;
    const entry = this._ties.get(when);
    if (entry === undefined) {
      this._ties.set(when, [tick, 0]);
      if (this._ties.size > this._tiesLimit) {
        // A deadline no timer in the heap has needs no ties: a new timer there starts afresh.
        const live = new Set<number>();
        for (const h of this._scheduled) live.add(h._when);
        for (const w of this._ties.keys()) if (!live.has(w)) this._ties.delete(w);
        this._ties.set(when, [tick, 0]);
        this._tiesLimit = Math.max(4096, 2 * this._ties.size);
      }
    } else {
      timerTies.set(timer, tieOffset(entry, tick));
      // Many readings at one deadline (a clock that does not move): the oldest are forgotten,
      // so only a callAt read before the last 128 of them could be misplaced among them.
      if (entry.length > 512) entry.splice(0, 256);
    }
    return when;
  }

  private _jumpAllowed = false;

  protected override _hasWorkNow(): boolean {
    if (super._hasWorkNow()) return true;
    // Work in another thread takes real time: no jump before it is back.
    if (!this._jumpAllowed || this._executorCalls > 0) return false;
    this._jumpAllowed = false;
    const next = this._scheduled[0];
    if (next === undefined || next._when === Number.POSITIVE_INFINITY) return false;
    // Idle for a whole Node turn (promises settled) with a timer pending: jump to it.
    if (next._when > this._now) this._setNow(next._when);
    return true;
  }

  /** Idle with a timer pending: wait one Node turn (not real time), then jump. */
  protected override _idleDelayMs(): number {
    const next = this._scheduled[0];
    // Waiting for an executor call: sleep until its result wakes the loop (it wakes it earlier).
    if (this._executorCalls > 0) return KEEPALIVE_MS;
    return next !== undefined && next._when !== Number.POSITIVE_INFINITY ? 0 : super._idleDelayMs();
  }

  protected override _idleTurnPassed(): void {
    this._jumpAllowed = true;
  }
}
