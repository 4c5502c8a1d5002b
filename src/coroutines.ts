/**
 * Coroutines (Python's `asyncio.coroutines`).
 *
 * A coroutine here is a generator object: lazy, steppable, able to receive an exception at its
 * suspension point, closable, exactly like a Python coroutine. The library's own coroutines
 * (`sleep()`, `queue.get()`, …) are generators that are also thenables, so `async` functions
 * can `await` them.
 */

/** The type of a generator coroutine: `function* f(): Coroutine<number> { ... }`. */
export type Coroutine<T = unknown> = Generator<unknown, T, unknown>;

/** A library coroutine: works with `yield*` and with `await`. */
export interface AwaitableCoroutine<T> extends Generator<unknown, T, unknown>, PromiseLike<T> {}

/** True for coroutine objects (generator objects and objects with the same protocol). */
export function isCoroutine(obj: unknown): obj is Coroutine<unknown> {
  if (typeof obj !== "object" || obj === null) return false;
  const o = obj as Record<string | symbol, unknown>;
  return (
    typeof o.next === "function" &&
    typeof o.throw === "function" &&
    typeof o.return === "function" &&
    typeof o[Symbol.iterator] === "function" &&
    // A Future is its own iterator too, but it is not a coroutine.
    (o as { _asyncioFutureBlocking?: unknown })._asyncioFutureBlocking === undefined
  );
}

const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;

/** True for generator functions and `async` functions (Python: `iscoroutinefunction`). */
export function isCoroutineFunction(fn: unknown): boolean {
  return (
    fn instanceof GeneratorFunction ||
    fn instanceof AsyncFunction ||
    (typeof fn === "function" &&
      (fn as unknown as Record<symbol, unknown>)[COROUTINE_FUNCTION] === true)
  );
}

/** @internal True for generator functions: calling one runs none of its body. */
export function isGeneratorFunction(fn: unknown): boolean {
  return fn instanceof GeneratorFunction;
}

/** True for objects with a callable `then` (promises and promise-likes). */
export function isThenable(obj: unknown): obj is PromiseLike<unknown> {
  return (
    (typeof obj === "object" || typeof obj === "function") &&
    obj !== null &&
    typeof (obj as { then?: unknown }).then === "function"
  );
}

let coroutineThen: ((this: Coroutine<unknown>, onRes: unknown, onRej: unknown) => unknown) | null =
  null;

/** @internal tasks.ts installs how an awaited library coroutine is run. */
export function _setCoroutineThen(fn: typeof coroutineThen): void {
  coroutineThen = fn;
}

/** @internal `await` of a generator (or iterator) `coro` in an `async` function: a library coroutine's `then`. */
export function _coroutineThen(coro: unknown, onRes: unknown, onRej: unknown): unknown {
  return coroutineThen!.call(coro as Coroutine<unknown>, onRes, onRej);
}

/** Marks library coroutine functions, which are plain wrapper functions (Python's `markcoroutinefunction`). */
const COROUTINE_FUNCTION = Symbol("asyncio-ts.coroutineFunction");

/** A library coroutine's `__qualname__` (`'Queue.get'`), on its generator function's prototype. */
/** Registered (Symbol.for) so that format.ts reads it without importing this module. */
const QUALNAME = Symbol.for("asyncio-ts.qualname");

/** @internal The qualified name of a library coroutine (see {@link awaitable}), else undefined. */
export function _coroutineQualname(coro: unknown): string | undefined {
  return (coro as { [QUALNAME]?: string } | null)?.[QUALNAME];
}

/** @internal Names the coroutines of generator function `gen` in reprs (Python's `__qualname__`). */
export function _setQualname(gen: (...args: never[]) => Generator, qualname: string): void {
  Object.defineProperty(gen.prototype, QUALNAME, { value: qualname });
}

/**
 * @internal Marks `names` of `cls.prototype` as coroutine functions, as CPython's `async def`
 * methods are (`isCoroutineFunction(queue.get)`): the hot methods that return a library
 * coroutine directly, not through {@link awaitable}'s wrapper. No cost per call.
 */
export function _markCoroutineMethods(cls: { prototype: object }, names: readonly string[]): void {
  const proto = cls.prototype as Record<string, unknown>;
  for (const n of names) {
    const fn = proto[n];
    if (typeof fn !== "function") throw new TypeError(`no method ${n}`);
    (fn as unknown as Record<symbol, boolean>)[COROUTINE_FUNCTION] = true;
  }
}

/**
 * Debug-mode tracking of library coroutines that are never awaited (Python's
 * `RuntimeWarning: coroutine '...' was never awaited`, with where it was created). Only
 * coroutines created while the running loop is in debug mode are tracked: a finalizer per
 * coroutine is too costly otherwise.
 */
const neverAwaited = new FinalizationRegistry<{ name: string; createdAt: string }>((held) => {
  process.emitWarning(
    `coroutine '${held.name}' was never awaited\nCoroutine created at (most recent call last)\n${held.createdAt}`,
    "RuntimeWarning",
  );
});
let tracking = false;
let debugProbe: (() => boolean) | null = null;

/** @internal events.ts tells whether the running loop is in debug mode. */
export function _setDebugProbe(probe: () => boolean): void {
  debugProbe = probe;
}

/** @internal The coroutine is being awaited, run as a task, or delegated to: not "never awaited". */
export function _markAwaited(coro: object): void {
  if (tracking) neverAwaited.unregister(coro);
}

/** Debug mode: report `coro` if it is garbage-collected without having been awaited. */
function trackCoroutine(coro: object, name: string): void {
  tracking = true;
  // Frames: this function, the function that made the coroutine, then its caller onwards.
  const stack = (new Error().stack ?? "").split("\n").slice(3, 9).join("\n");
  neverAwaited.register(coro, { name, createdAt: stack }, coro);
}

/**
 * @internal What a function made by {@link awaitable} does after calling its generator
 * function, for a hot method that calls the generator function (passed to `awaitable` once,
 * for its prototype) itself: that call site then sees one function and can be inlined, where
 * the shared wrapper's sees every library coroutine. Call it directly from the method, so that
 * the debug-mode "created at" frames stay the same.
 */
export function _libraryCoroutine<T>(
  coro: Generator<unknown, T, unknown>,
  name: string,
): AwaitableCoroutine<T> {
  if (debugProbe?.() === true) trackCoroutine(coro, name);
  return coro as AwaitableCoroutine<T>;
}

/**
 * Makes the generator function `gen` a library coroutine function: the generators it returns
 * also have `then`, so `await gen(...)` works in `async` functions. `then` is installed once on
 * the generator function's prototype: no cost per call. In debug mode a coroutine that is never
 * awaited is reported when it is garbage-collected, by `qualname` (CPython's `__qualname__`,
 * `'Queue.get'`; the function's name by default). `onCall` sees the first argument at the call,
 * before the (lazy) coroutine runs.
 */
export function awaitable<A extends unknown[], T>(
  gen: (...args: A) => Generator<unknown, T, unknown>,
  qualname: string = gen.name,
  onCall?: (firstArg: unknown) => void,
): (...args: A) => AwaitableCoroutine<T> {
  Object.defineProperty(gen.prototype, "then", {
    value(this: Coroutine<unknown>, onRes: unknown, onRej: unknown) {
      if (tracking) neverAwaited.unregister(this);
      return coroutineThen!.call(this, onRes, onRej);
    },
    writable: true,
    configurable: true,
  });
  Object.defineProperty(gen.prototype, QUALNAME, { value: qualname });
  // `yield* coro` asks for the iterator first: that is the await of a generator coroutine.
  Object.defineProperty(gen.prototype, Symbol.iterator, {
    value(this: Coroutine<unknown>) {
      if (tracking) neverAwaited.unregister(this);
      return this;
    },
    writable: true,
    configurable: true,
  });
  const name = gen.name;
  const wrapper = {
    [name](this: unknown, ...args: A): AwaitableCoroutine<T> {
      onCall?.(args[0]);
      const coro = gen.apply(this, args) as AwaitableCoroutine<T>;
      if (debugProbe?.() === true) trackCoroutine(coro, qualname);
      return coro;
    },
  }[name]!;
  (wrapper as unknown as Record<symbol, boolean>)[COROUTINE_FUNCTION] = true;
  return wrapper;
}

/** @internal 3.13 closes a coroutine it refuses (so no "never awaited" warning follows). */
export function closeCoroutine(coro: unknown): void {
  if (isCoroutine(coro)) coro.return(undefined);
}
