/**
 * Signal handlers on the loop (Python's `_UnixSelectorEventLoop.add_signal_handler` /
 * `remove_signal_handler`), on Node's `process.on(signal)`. Internal module: see
 * `loop.addSignalHandler`.
 *
 * The handler runs as an ordinary callback of the loop, scheduled each time the signal arrives,
 * in (a copy of) the context current when it was added. Signals are
 * given as numbers (`os.constants.signals.SIGINT`) or names (`"SIGINT"`).
 */
import { constants as osConstants } from "node:os";
import { isMainThread } from "node:worker_threads";
import { type Context, copyContext } from "./contextvars.ts";
import { isCoroutine, isCoroutineFunction } from "./coroutines.ts";
import type { AbstractEventLoop, Callback } from "./events.ts";
import { RuntimeError, ValueError } from "./exceptions.ts";
import { pyRepr } from "./format.ts";

const SIGNALS = osConstants.signals as Record<string, number | undefined>;
const NAMES = new Map<number, NodeJS.Signals>();
for (const [name, num] of Object.entries(SIGNALS)) {
  if (num !== undefined && !NAMES.has(num)) NAMES.set(num, name as NodeJS.Signals);
}
/** Signals Node itself needs or that cannot be caught. */
const UNCATCHABLE = new Set(["SIGKILL", "SIGSTOP"]);

interface Registration {
  listener: () => void;
  name: NodeJS.Signals;
  callback: Callback;
  args: unknown[];
  context: Context;
}

/**
 * The loops' handlers. The listener on `process` holds its loop only weakly (the callback,
 * reached through this map, may hold it too), so that a loop dropped without `close()` can be
 * collected; its listeners are then removed (CPython's `__del__` closes such a loop).
 */
const registry = new WeakMap<AbstractEventLoop, Map<number, Registration>>();
const droppedLoops = new FinalizationRegistry<Listening[]>((entry) => {
  for (const [name, listener] of entry) process.removeListener(name, listener);
});
/**
 * Each loop's entry in `droppedLoops`: its listeners on `process` (kept up to date). Not its
 * registrations: a callback that refers to the loop would keep it alive.
 */
type Listening = [NodeJS.Signals, () => void];
const droppedEntries = new WeakMap<AbstractEventLoop, Listening[]>();

function forget(entry: Listening[] | undefined, listener: () => void): void {
  const i = entry === undefined ? -1 : entry.findIndex((l) => l[1] === listener);
  if (i >= 0) entry!.splice(i, 1);
}

/** Python's `_check_signal`: a valid signal number (or name); returns `[number, name]`. */
function checkSignal(sig: unknown): [number, NodeJS.Signals] {
  if (typeof sig === "string") {
    const n = SIGNALS[sig];
    // Names are an extension (CPython takes numbers only): anything else is CPython's TypeError.
    if (n === undefined) throw new TypeError(`sig must be an int, not ${pyRepr(sig)}`);
    return [n, sig as NodeJS.Signals];
  }
  if (typeof sig !== "number" || !Number.isInteger(sig)) {
    throw new TypeError(`sig must be an int, not ${pyRepr(sig)}`);
  }
  const name = NAMES.get(sig);
  if (name === undefined) throw new ValueError(`invalid signal number ${sig}`);
  return [sig, name];
}

/**
 * Calls `callback(...args)` on the loop whenever signal `sig` arrives. Replaces an earlier
 * handler of the same signal. `TypeError` for a coroutine function; `RuntimeError` for a signal
 * that cannot be caught or outside the main thread.
 */
export function addSignalHandler(
  loop: AbstractEventLoop,
  sig: number | NodeJS.Signals,
  callback: Callback,
  ...args: unknown[]
): void {
  if (isCoroutine(callback) || isCoroutineFunction(callback)) {
    throw new TypeError("coroutines cannot be used with add_signal_handler()");
  }
  const [num, name] = checkSignal(sig);
  if (loop.isClosed()) throw new RuntimeError("Event loop is closed");
  if (!isMainThread) {
    throw new RuntimeError("set_wakeup_fd only works in main thread of the main interpreter");
  }
  if (UNCATCHABLE.has(name)) throw new RuntimeError(`sig ${num} cannot be caught`);
  let handlers = registry.get(loop);
  let entry = droppedEntries.get(loop);
  if (handlers === undefined || entry === undefined) {
    handlers = new Map();
    registry.set(loop, handlers);
    entry = [];
    droppedEntries.set(loop, entry);
    droppedLoops.register(loop, entry);
  }
  const old = handlers.get(num);
  if (old !== undefined) {
    process.removeListener(old.name, old.listener);
    forget(entry, old.listener);
  }
  const loopRef = new WeakRef(loop);
  const listener = (): void => {
    const l = loopRef.deref();
    const reg = l === undefined ? undefined : registry.get(l)?.get(num);
    if (l === undefined || reg === undefined) return;
    if (l.isClosed()) {
      // The loop is gone: stop catching the signal and let it do what it does by default.
      removeSignalHandler(l, num);
      process.kill(process.pid, name);
      return;
    }
    l._callSoonWithContext(reg.callback, reg.args, reg.context);
  };
  try {
    process.on(name, listener);
  } catch (e) {
    throw new RuntimeError(`sig ${num} cannot be caught: ${(e as Error).message}`);
  }
  const reg: Registration = { listener, name, callback, args, context: copyContext() };
  handlers.set(num, reg);
  entry.push([name, listener]);
}

/** Removes the handler of `sig`; true if there was one. The signal's default action returns. */
export function removeSignalHandler(
  loop: AbstractEventLoop,
  sig: number | NodeJS.Signals,
): boolean {
  const [num] = checkSignal(sig);
  const handlers = registry.get(loop);
  const reg = handlers?.get(num);
  if (handlers === undefined || reg === undefined) return false;
  handlers.delete(num);
  process.removeListener(reg.name, reg.listener);
  forget(droppedEntries.get(loop), reg.listener);
  // CPython puts signal.default_int_handler back, in place of any other (a Runner's too).
  if (reg.name === "SIGINT") sigintDefaultRestored = true;
  return true;
}

/**
 * Set when `removeSignalHandler(SIGINT)` put Python's default handler back: a Runner's own
 * SIGINT handling, replaced by it in CPython, then raises KeyboardInterrupt as that default
 * does (the Runner clears it when it installs its handler).
 */
let sigintDefaultRestored = false;

/** @internal See sigintDefaultRestored; `clear` resets it. */
export function _sigintDefaultRestored(clear = false): boolean {
  const was = sigintDefaultRestored;
  if (clear) sigintDefaultRestored = false;
  return was;
}

/** @internal Removes every signal handler of `loop` (when it closes). */
export function removeAllSignalHandlers(loop: AbstractEventLoop): void {
  const handlers = registry.get(loop);
  if (handlers === undefined) return;
  for (const num of [...handlers.keys()]) removeSignalHandler(loop, num);
}
