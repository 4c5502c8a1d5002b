/**
 * `asyncio-ts/testing`: a loop with a virtual clock.
 *
 * When nothing is ready, time jumps straight to the next timer, so an hour of `sleep()` runs in
 * microseconds and every run of a test is the same run. `advance(seconds)` moves time by hand.
 * It still interleaves with Node's I/O like the real loop, but since time jumps whenever the
 * loop is idle, a test that waits for real I/O and has a timer pending should use the real loop.
 */
import { EventLoop } from "./base_events.ts";
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

  protected override _hasWorkNow(): boolean {
    if (super._hasWorkNow()) return true;
    const next = this._scheduled[0];
    if (next === undefined) return false;
    // Idle with a timer pending: jump to it.
    if (next._when > this._now) this._now = next._when;
    return true;
  }
}
