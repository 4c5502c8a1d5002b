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
import type { TimerHandle } from "./events.ts";
import { ValueError } from "./exceptions.ts";
import { isPyNumber, pyTypeName } from "./format.ts";

/** The most timers with one deadline that still run in the order they were scheduled. */
const MAX_TIES = 1024;
const f64 = new Float64Array(1);
const bits = new BigInt64Array(f64.buffer);

/** `x` moved `n` representable doubles up (n <= MAX_TIES). */
function ulpsAbove(x: number, n: number): number {
  if (n === 0) return x;
  f64[0] = x;
  if (x === 0) bits[0] = BigInt(n);
  else bits[0] += x > 0 ? BigInt(n) : -BigInt(n);
  return f64[0];
}

export class VirtualTimeLoop extends EventLoop {
  private _now = 0;

  /** Virtual seconds since the loop was made. */
  override time(): number {
    return this._now;
  }

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
    // 1e-9 s (from 2**24 s on, now + 1e-9 === now), and equal deadlines' keys are a few of
    // them apart (see _timerKey).
    this._clockResolution = Math.max(1e-9, Math.abs(now) * 2 ** -40);
  }

  /** deadline -> how many timers had it (see _timerKey) */
  private _ties = new Map<number, number>();
  private _keys = new WeakMap<TimerHandle, number>();
  private _tiesLimit = 4096;

  /**
   * @internal Timers whose equal deadlines were computed from the clock (`callLater`, `sleep`,
   * `timeout(delay)`, `waitFor`) run in the order they were scheduled. On CPython's real clock,
   * time moves between two `call_later(d)` calls, so their deadlines differ and they run first
   * in, first out; on a virtual clock they are equal, and the heap alone would pop them in
   * heapq's order. Each later one's key is a few representable doubles above its deadline (the
   * deadline itself, `when()`, is unchanged). Equal deadlines given to `callAt` keep heapq's
   * order, as they do in CPython.
   */
  override _timerKey(timer: TimerHandle, fromNow = false): number {
    const known = this._keys.get(timer);
    if (known !== undefined) return known;
    const when = timer._when;
    if (!fromNow) return when;
    const n = this._ties.get(when) ?? 0;
    const key = ulpsAbove(when, Math.min(n, MAX_TIES));
    this._ties.set(when, n + 1);
    this._keys.set(timer, key);
    if (this._ties.size > this._tiesLimit) {
      // Deadlines already passed get no more timers (but for call_at in the past).
      for (const w of this._ties.keys()) if (w < this._now) this._ties.delete(w);
      this._tiesLimit = Math.max(4096, 2 * this._ties.size);
    }
    return key;
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
