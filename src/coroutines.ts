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
  return fn instanceof GeneratorFunction || fn instanceof AsyncFunction;
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

/**
 * Makes the generator function `gen` a library coroutine function: the generators it returns
 * also have `then`, so `await gen(...)` works in `async` functions. Installed once on the
 * generator function's prototype: no cost per call.
 */
export function awaitable<A extends unknown[], T>(
  gen: (...args: A) => Generator<unknown, T, unknown>,
): (...args: A) => AwaitableCoroutine<T> {
  Object.defineProperty(gen.prototype, "then", {
    value(this: Coroutine<unknown>, onRes: unknown, onRej: unknown) {
      return coroutineThen!.call(this, onRes, onRej);
    },
    writable: true,
    configurable: true,
  });
  return gen as (...args: A) => AwaitableCoroutine<T>;
}
