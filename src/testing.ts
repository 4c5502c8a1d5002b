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
import { ValueError } from "./exceptions.ts";

export class VirtualTimeLoop extends EventLoop {
  private _now = 0;

  /** Virtual seconds since the loop was made. */
  override time(): number {
    return this._now;
  }

  /** Moves the clock forward by `seconds` (timers that come due run on the next iteration). */
  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new ValueError("advance() needs a non-negative number of seconds");
    this._now += seconds;
    this._wake();
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
    if (next._when > this._now) this._now = next._when;
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
