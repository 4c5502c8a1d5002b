/**
 * What an executor can run in another thread or process: a *worker function*.
 *
 * Node.js cannot send a function to another thread or process (a closure's variables live in
 * one thread's heap), so the worker runs a function it can find itself: a function exported by
 * a module, named by the module's URL and the export's name. The worker imports the module (once
 * per worker) and calls the export. There are two ways to name one:
 *
 * ```ts
 * // fib.ts
 * export function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
 * workerFunctions(import.meta.url, { fib });   // registers: executor.submit(fib, 30) now works
 *
 * // anywhere
 * const fibRef = workerFunction<typeof fib>(import.meta.resolve("./fib.ts"), "fib");
 * executor.submit(fibRef, 30);
 * ```
 *
 * Anything else given as a function (an unregistered function, a closure, a bound method) is
 * refused with a `TypeError` at `submit` time that says how to fix it.
 */
import { realpathSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isMainThread } from "node:worker_threads";
import { pyRepr } from "../format.ts";

/** Any function (the constraint of the function types of the executors). */
export type AnyFunction = (...args: never[]) => unknown;

/** A reference to an exported function, sendable to another thread or process. */
export interface WorkerFunction<F extends AnyFunction = (...args: unknown[]) => unknown> {
  /** The module's URL (`file:`, `data:` or `node:`). */
  readonly module: string;
  /** The export's name (`"default"` for a default export). */
  readonly name: string;
  /** @internal Only carries the function's type. */
  readonly __type?: F;
}

/** @internal The wire form of a worker function (a plain object: it crosses threads as is). */
export interface FunctionRef {
  module: string;
  name: string;
  /** Context variables to set around the call (`toThread`): `[name, value]` pairs. */
  context?: [string, unknown][];
}

const TAG = Symbol.for("asyncio-ts.workerFunction");

function moduleUrl(module: unknown, fn: string): string {
  if (module instanceof URL) return module.href;
  if (typeof module === "string") {
    if (isAbsolute(module)) return pathToFileURL(module).href;
    if (/^[a-z][a-z0-9+.-]+:/i.test(module)) {
      try {
        return new URL(module).href;
      } catch {
        // fall through to the TypeError
      }
    }
  }
  throw new TypeError(
    `${fn}() needs the module's URL (import.meta.url, import.meta.resolve(...)) or an absolute path, got ${pyRepr(module)}`,
  );
}

function checkName(name: unknown, fn: string): string {
  if (typeof name !== "string" || name === "") {
    throw new TypeError(
      `${fn}() needs the export's name as a non-empty string, got ${pyRepr(name)}`,
    );
  }
  return name;
}

/**
 * A reference to the function exported as `name` by the module at `module` (a URL such as
 * `import.meta.url`, or an absolute path). Give the function's type to type the calls:
 * `workerFunction<typeof fib>(url, "fib")`. The module is only imported by the workers.
 */
export function workerFunction<F extends AnyFunction = (...args: unknown[]) => unknown>(
  module: string | URL,
  name: string,
): WorkerFunction<F> {
  return Object.freeze({
    module: moduleUrl(module, "workerFunction"),
    name: checkName(name, "workerFunction"),
  }) as WorkerFunction<F>;
}

/**
 * Registers functions that the module `module` exports under the given keys, so that the
 * functions themselves can be passed to `submit`, `map`, `runInExecutor` and `toThread`:
 * `workerFunctions(import.meta.url, { fib, parse })` at the end of the module. Returns `fns`.
 * A worker imports the module: keep its top level free of side effects (or guard them with
 * `isMainThread`), as Python asks for `if __name__ == "__main__"`.
 */
export function workerFunctions<M extends Record<string, AnyFunction>>(
  module: string | URL,
  fns: M,
): M {
  const url = moduleUrl(module, "workerFunctions");
  for (const [name, fn] of Object.entries(fns)) {
    if (typeof fn !== "function") {
      throw new TypeError(`workerFunctions(): ${name} is not a function but ${pyRepr(fn)}`);
    }
    Object.defineProperty(fn, TAG, {
      value: Object.freeze({ module: url, name }),
      configurable: true,
    });
    registered.set(`${url}#${name}`, fn);
  }
  return fns;
}

/** The functions registered in this thread, by `module#name`. */
const registered = new Map<string, AnyFunction>();

/**
 * @internal The function `ref` names if its module registered it in this thread (so no import is
 * needed: importing a module that is still evaluating, such as a main module awaiting
 * `asyncio.run` at its top level, would wait for it to finish).
 */
export function _registeredFunction(
  ref: FunctionRef,
): ((...args: unknown[]) => unknown) | undefined {
  return registered.get(`${ref.module}#${ref.name}`) as
    | ((...args: unknown[]) => unknown)
    | undefined;
}

/** True if `fn` can be sent to a worker (a registered function or a `workerFunction`). */
export function isWorkerFunction(fn: unknown): boolean {
  if (typeof fn === "function") return (fn as { [TAG]?: unknown })[TAG] !== undefined;
  return (
    typeof fn === "object" &&
    fn !== null &&
    typeof (fn as FunctionRef).module === "string" &&
    typeof (fn as FunctionRef).name === "string"
  );
}

/**
 * @internal The wire form of `fn`; a `TypeError` saying how to fix it if `fn` cannot be sent.
 * `role` names the argument in messages ("fn", "initializer").
 */
export function _toRef(fn: unknown, role = "fn"): FunctionRef {
  if (typeof fn === "function") {
    const tag = (fn as { [TAG]?: FunctionRef })[TAG];
    if (tag !== undefined) return { module: tag.module, name: tag.name };
    const name = fn.name;
    const shown = name === "" ? "an anonymous function" : `function ${name}()`;
    const hint = name === "" || name.includes(" ") ? "fn" : name;
    throw new TypeError(
      `cannot send ${shown} to a worker: Node.js cannot share a function with another thread or process. ` +
        `Export it from its module and register it there with workerFunctions(import.meta.url, { ${hint} }), ` +
        `or pass workerFunction(moduleUrl, "${hint}")`,
    );
  }
  if (isWorkerFunction(fn)) {
    const ref = fn as FunctionRef;
    const out: FunctionRef = { module: ref.module, name: ref.name };
    if (Array.isArray(ref.context)) out.context = ref.context;
    return out;
  }
  throw new TypeError(
    `${role} must be a worker function (a function registered with workerFunctions(), or workerFunction(moduleUrl, exportName)), got ${pyRepr(fn)}`,
  );
}

/** @internal `name()` for messages. */
export function _refName(ref: FunctionRef): string {
  return ref.name;
}

/**
 * True when the module at `moduleUrl` (pass `import.meta.url`) is the program's entry point,
 * running in the main thread of the main process: Python's `if __name__ == "__main__":`. False
 * in the workers of the pools (threads and processes), which import the module to find its
 * worker functions. Guard a module's program with it when the module also exports worker
 * functions: `if (isMainModule(import.meta.url)) await asyncio.run(main);`.
 */
export function isMainModule(moduleUrl: string | URL): boolean {
  if (
    !isMainThread ||
    (globalThis as { __asyncioPoolWorker?: boolean }).__asyncioPoolWorker === true
  ) {
    return false;
  }
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    const url = moduleUrl instanceof URL ? moduleUrl : new URL(moduleUrl);
    if (url.protocol !== "file:") return false;
    return realpathSync(fileURLToPath(url)) === realpathSync(resolve(entry));
  } catch {
    return false;
  }
}
