/** Twin of 78_duck_gather.py: gather() and shield() of future-like objects read them through their public API. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

// a hang shows as a missing line: stop after 2 s whatever happens
setTimeout(() => process.exit(0), 2000).unref();
class Duck {
  _asyncioFutureBlocking = false;
  _cbs: ((f: unknown) => void)[] = [];
  _done = false;
  constructor(readonly _lp: asyncio.AbstractEventLoop) {}
  get _loop() {
    return this._lp;
  }
  getLoop() {
    return this._lp;
  }
  addDoneCallback(fn: (f: unknown) => void) {
    this._cbs.push(fn);
  }
  removeDoneCallback() {
    return 0;
  }
  cancel() {
    return false;
  }
  cancelled() {
    return false;
  }
  done() {
    return this._done;
  }
  result() {
    return "duck";
  }
  exception() {
    return null;
  }
  *[Symbol.iterator](): Generator<unknown, unknown, unknown> {
    if (!this._done) {
      this._asyncioFutureBlocking = true;
      yield this;
    }
    return this.result();
  }
  set() {
    this._done = true;
    for (const fn of this._cbs) this._lp.callSoon(fn, this);
  }
}
function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  loop.setExceptionHandler((_l, c) => print("HANDLER:", c.message, String(c.exception)));
  let d = new Duck(loop);
  loop.callSoon(() => d.set());
  print("gather(duck):", yield* asyncio.gather([d as never]));
  d = new Duck(loop);
  loop.callSoon(() => d.set());
  print("shield(duck):", yield* asyncio.shield(d as never));
}
await asyncio.run(main());
