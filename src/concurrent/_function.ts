/**
 * What an executor can run in another thread or process: a *worker function*.
 *
 * Node.js cannot send a function to another thread or process (a closure's variables live in
 * one thread's heap), so the worker runs a function it can find or rebuild by itself:
 *
 * - a function exported by a module, named by the module's URL and the export's name; the
 *   worker imports the module (once per worker) and calls the export:
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
 * - any other function that can be rebuilt from its source text (`fn.toString()`): the worker
 *   compiles that text in its own global scope, so the function sees its parameters and the
 *   globals (`Math`, `console`, `Atomics`, ...) but none of its module's variables or imports,
 *   and no closure; using one is a `ReferenceError` in the worker, which then says so.
 *
 * A function that has no source text (a built-in, a bound function) or that is a class is
 * refused with a `TypeError` at `submit` time that says how to fix it.
 */
import { realpathSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isMainThread } from "node:worker_threads";
import { functionName, pyRepr, pyTypeName } from "../format.ts";

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
  /** The function's source text, for a function sent as such (`module` is then ""). */
  source?: string;
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
    const key = `${url}#${name}`;
    const earlier = registered.get(key);
    if (
      earlier !== undefined &&
      earlier !== fn &&
      Function.prototype.toString.call(earlier) !== Function.prototype.toString.call(fn)
    ) {
      // Another function under the same name and URL: a module evaluated again with new code
      // (hot reload), or two modules bundled into one file, which share its URL (then the later
      // replaces the earlier in every worker too).
      process.emitWarning(
        `workerFunctions(): '${name}' was registered for ${url} with another function, which this one replaces (if two modules bundled into one file register the same name, give the functions different names, or keep them and asyncio-ts outside the bundle)`,
        "RuntimeWarning",
      );
    }
    Object.defineProperty(fn, TAG, {
      value: Object.freeze({ module: url, name }),
      configurable: true,
    });
    registered.set(key, fn);
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

/**
 * True if `fn` is a function a worker finds in its module: a registered function or a
 * `workerFunction` reference. (Any other function is sent as its source text, if it has one.)
 */
export function isWorkerFunction(fn: unknown): boolean {
  if (typeof fn === "function") return (fn as { [TAG]?: unknown })[TAG] !== undefined;
  return (
    typeof fn === "object" &&
    fn !== null &&
    typeof (fn as FunctionRef).module === "string" &&
    typeof (fn as FunctionRef).name === "string"
  );
}

/** The wire forms of the unregistered functions already sent, by function. */
const bySource = new WeakMap<AnyFunction, FunctionRef>();

/**
 * Node's built-in modules whose functions a program may hand to a thread as they are
 * (`toThread(fs.readFileSync, path)`): they are sent as references to the module's export (or
 * to a function of an object it exports: `path.posix.join`, `util.types.isDate`).
 */
const BUILTIN_MODULES = [
  "assert",
  "buffer",
  "child_process",
  "crypto",
  "dns",
  "dns/promises",
  "events",
  "fs",
  "fs/promises",
  "os",
  "path",
  "perf_hooks",
  "querystring",
  "readline",
  "stream",
  "stream/promises",
  "string_decoder",
  "timers/promises",
  "url",
  "util",
  "v8",
  "zlib",
];
/**
 * The global objects whose functions (their own and their prototypes', as `performance.now`)
 * are sent by their path, as a call written out (`(...args) => console.log(...args)`): many of
 * them are built-ins with no source text, or Node's own code, whose text uses Node's internals.
 */
const GLOBAL_NAMESPACES = [
  "Math",
  "JSON",
  "Atomics",
  "Reflect",
  "Number",
  "Object",
  "Array",
  "String",
  "Date",
  "BigInt",
  "Promise",
  "console",
  "Buffer",
  "process",
  "process.hrtime",
  "performance",
  "crypto",
];
/** Global classes that are also plain functions: `String(x)` is Python's `str(x)`. */
const CALLABLE_CLASSES = ["String", "Number", "Boolean", "BigInt", "Object", "Array", "Date"];
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
let builtins: Map<AnyFunction, FunctionRef> | null = null;

/**
 * The functions of `obj`: its own, and for the objects whose methods live on their class
 * (`performance.now`, `crypto.randomUUID`) their class's own. Not further up: `Buffer.of` is
 * Uint8Array's, `process.listenerCount` EventEmitter's, which run differently from there.
 */
function functionsOf(obj: object, withClass: boolean): [string, unknown][] {
  const out: [string, unknown][] = [];
  const holders = [obj];
  const proto = Object.getPrototypeOf(obj) as object | null;
  if (withClass && proto !== null && proto !== Object.prototype) holders.push(proto);
  for (const o of holders) {
    for (const key of Object.getOwnPropertyNames(o)) {
      // Values only: reading some getters (`crypto.fips`) prints a deprecation warning.
      const value = Object.getOwnPropertyDescriptor(o, key)?.value;
      if (typeof value === "function" && key !== "constructor" && IDENTIFIER.test(key)) {
        out.push([key, value]);
      }
    }
  }
  return out;
}

/** Global objects whose methods are their class's (see functionsOf). */
const CLASS_METHODS = new Set(["performance", "crypto"]);

/** The wire form of a function of Node's or of the language's own, found by identity; or undefined. */
function builtinRef(fn: AnyFunction): FunctionRef | undefined {
  if (builtins === null) {
    const found = new Map<AnyFunction, FunctionRef>();
    const add = (f: unknown, ref: FunctionRef): void => {
      if (typeof f === "function" && !found.has(f as AnyFunction)) found.set(f as AnyFunction, ref);
    };
    const call = (path: string): string => `function (...args) { return ${path}(...args); }`;
    const global = globalThis as unknown as Record<string, unknown>;
    for (const name of CALLABLE_CLASSES) {
      add(global[name], { module: "", name, source: call(name) });
    }
    for (const space of GLOBAL_NAMESPACES) {
      let obj: unknown = globalThis;
      for (const part of space.split("."))
        obj = (obj as Record<string, unknown> | undefined)?.[part];
      if ((typeof obj !== "object" && typeof obj !== "function") || obj === null) continue;
      for (const [key, f] of functionsOf(obj, CLASS_METHODS.has(space))) {
        add(f, { module: "", name: key, source: call(`${space}.${key}`) });
      }
    }
    // (Node's own modules: any base will do, and a CommonJS bundle has no import.meta.url.)
    const require = createRequire(pathToFileURL(resolve("asyncio-ts.js")).href);
    for (const mod of BUILTIN_MODULES) {
      const ns = require(`node:${mod}`) as Record<string, unknown>;
      for (const key of Object.keys(ns)) {
        const value = Object.getOwnPropertyDescriptor(ns, key)?.value;
        add(value, { module: `node:${mod}`, name: key });
        // One level down: path.posix.join, util.types.isDate.
        if (typeof value === "object" && value !== null && !Array.isArray(value)) {
          for (const [sub, f] of functionsOf(value, false)) {
            add(f, { module: `node:${mod}`, name: `${key}.${sub}` });
          }
        }
      }
    }
    for (const key of Object.getOwnPropertyNames(globalThis)) {
      const f = Object.getOwnPropertyDescriptor(globalThis, key)?.value;
      // Functions, not classes (a class is called with `new`, which a pool does not do).
      if (typeof f === "function" && !/^[A-Z]/.test(key) && IDENTIFIER.test(key)) {
        add(f, { module: "", name: key, source: call(`globalThis.${key}`) });
      }
    }
    builtins = found;
  }
  return builtins.get(fn);
}

/**
 * @internal The wire form of `fn` for a call a pool makes: as `_toRef`, but something that is
 * not a function becomes a function that raises, when the worker calls it, what Python's does
 * (`'int' object is not callable`), so that `submit(42)` or `toThread(5)` gives a future that
 * fails, as CPython's does.
 */
export function _toCallRef(fn: unknown): FunctionRef {
  if (typeof fn === "function" || isWorkerFunction(fn)) return _toRef(fn);
  const message = `'${pyTypeName(fn)}' object is not callable`;
  return {
    module: "",
    name: pyTypeName(fn),
    source: `function () { throw new TypeError(${JSON.stringify(message)}); }`,
  };
}

/**
 * @internal The wire form of `fn`; a `TypeError` saying how to fix it if `fn` cannot be sent.
 * `role` names the argument in messages ("fn", "initializer").
 */
export function _toRef(fn: unknown, role = "fn"): FunctionRef {
  if (typeof fn === "function") {
    const tag = (fn as { [TAG]?: FunctionRef })[TAG];
    if (tag !== undefined) return { module: tag.module, name: tag.name };
    const known = bySource.get(fn as AnyFunction) ?? builtinRef(fn as AnyFunction);
    if (known !== undefined) return { ...known };
    const name = functionName(fn as AnyFunction);
    const source = Function.prototype.toString.call(fn);
    if (!/^class\b/.test(source) && _fromSource(source) !== null) {
      const ref: FunctionRef = { module: "", name: name === "" ? "<anonymous>" : name, source };
      bySource.set(fn as AnyFunction, ref);
      return { ...ref };
    }
    const shown = name === "" ? "an anonymous function" : `function ${name}()`;
    const hint = name === "" || name.includes(" ") ? "fn" : name;
    const why = /^class\b/.test(source)
      ? "it is a class"
      : /\{\s*\[native code\]\s*\}\s*$/.test(source)
        ? "it is a built-in or bound function, which has no source text to rebuild it from"
        : "its source text cannot be compiled outside its module (it uses import.meta, is a class's method using a private name or super, or is sloppy-mode code such as a with statement)";
    throw new TypeError(
      `cannot send ${shown} to a worker: ${why}, and Node.js cannot share a function with another thread or process. ` +
        `Export a function from its module and register it there with workerFunctions(import.meta.url, { ${hint} }), ` +
        `or pass workerFunction(moduleUrl, "${hint}")`,
    );
  }
  if (isWorkerFunction(fn)) {
    const ref = fn as FunctionRef;
    const out: FunctionRef = { module: ref.module, name: ref.name };
    if (typeof ref.source === "string") out.source = ref.source;
    if (Array.isArray(ref.context)) out.context = ref.context;
    return out;
  }
  throw new TypeError(
    `${role} must be a function, or a worker function (workerFunction(moduleUrl, exportName)), got ${pyRepr(fn)}`,
  );
}

/** esbuild's (and so tsx's) `__name` helper, which the code it compiles may call. */
function setName(target: object, value: string): object {
  return Object.defineProperty(target, "name", { value, configurable: true });
}

const compiled = new Map<string, ((...args: unknown[]) => unknown) | null>();

/**
 * @internal The function whose source text is `source`, compiled in this thread's global scope
 * (cached), or null when the text is not a function's: `function f() {}`, an arrow function, a
 * class's or an object's method (`m() {}`, `async *m() {}`). Compiling runs none of its code.
 */
export function _fromSource(source: string): ((...args: unknown[]) => unknown) | null {
  let fn = compiled.get(source);
  if (fn !== undefined) return fn;
  fn = null;
  // Bounded: a program that makes functions from text (new Function) would grow it for ever.
  if (compiled.size >= 512) compiled.clear();
  // A method's text (`m(x) { ... }`) is not an expression: it is read as an object literal's.
  // One with a computed name (`[key]() {}`) would run the key's expression: refused, unless
  // the key is a literal (`["name"]() {}`).
  const method =
    !/^(async\s*)?(\*\s*)?\[/.test(source) ||
    /^(async\s*)?(\*\s*)?\[\s*("[^"\\]*"|'[^'\\]*'|\d+)\s*\]/.test(source);
  for (const body of [
    `return (${source}\n);`,
    ...(method
      ? [
          `const d = Object.values(Object.getOwnPropertyDescriptors({ ${source}\n}))[0]; return d.value ?? d.get ?? d.set;`,
        ]
      : []),
  ]) {
    try {
      const made = new Function("__name", `"use strict"; ${body}`)(setName) as unknown;
      if (typeof made === "function") {
        fn = made as (...args: unknown[]) => unknown;
        break;
      }
    } catch {
      // not this form
    }
  }
  compiled.set(source, fn);
  return fn;
}

const modules = new Map<string, Promise<Record<string, unknown>>>();

/**
 * @internal The function `ref` names, in this thread: registered here, rebuilt from its source
 * text, or imported from its module (each module once).
 */
export async function _resolveFunction(ref: FunctionRef): Promise<(...args: unknown[]) => unknown> {
  if (ref.source !== undefined) {
    const fn = _fromSource(ref.source);
    if (fn === null) throw new TypeError(`cannot rebuild ${ref.name}() from its source text`);
    return fn;
  }
  const known = _registeredFunction(ref);
  if (known !== undefined) return known;
  let mod = modules.get(ref.module);
  if (mod === undefined) {
    mod = import(ref.module) as Promise<Record<string, unknown>>;
    modules.set(ref.module, mod);
  }
  const exports = await mod;
  // The import ran the module's workerFunctions(): a registered function need not be exported.
  const registeredNow = _registeredFunction(ref);
  if (registeredNow !== undefined) return registeredNow;
  // A dotted name reaches into an exported object (`posix.join` of node:path), bound to it.
  let holder: unknown;
  let fn: unknown = exports;
  for (const part of ref.name.split(".")) {
    holder = fn;
    fn = (fn as Record<string, unknown> | null | undefined)?.[part];
  }
  if (typeof fn !== "function") {
    throw new TypeError(`module '${ref.module}' has no exported function '${ref.name}'`);
  }
  return holder === undefined || !ref.name.includes(".")
    ? (fn as (...args: unknown[]) => unknown)
    : (fn as (...args: unknown[]) => unknown).bind(holder);
}

/**
 * @internal `e` as thrown by a call of the function `ref` names: a `ReferenceError` thrown by a
 * function rebuilt from its source text (its top frame is that text) gets a note saying why.
 */
export function _explainError(e: unknown, ref: FunctionRef): unknown {
  try {
    return explainError(e, ref);
  } catch {
    return e; // a frozen error, a revoked Proxy: left as it is
  }
}

function explainError(e: unknown, ref: FunctionRef): unknown {
  if (ref.source === undefined || !(e instanceof ReferenceError)) return e;
  const stack = typeof e.stack === "string" ? e.stack : "";
  const top = stack.split("\n").find((line) => /^\s+at /.test(line)) ?? "";
  const missing = /^(\S+) is not defined$/.exec(e.message)?.[1];
  if (!top.includes("eval at ") || missing === undefined) return e;
  const name = ref.name === "<anonymous>" || ref.name.includes(" ") ? "fn" : ref.name;
  const register =
    `export it and register it with workerFunctions(import.meta.url, { ${name} }), ` +
    `name a package's function with workerFunction(moduleUrl, "${name}")`;
  const note = /^__[A-Za-z]/.test(missing)
    ? ` (${ref.name}() ran from its source text in another thread or process, without ${missing}, a helper the TypeScript compiler (tsx, esbuild) put in its module for syntax Node does not run as is (\`using\`, decorators): ${register})`
    : ` (${ref.name}() ran from its source text in another thread or process, without its module's variables, imports or closure: ${register}, or pass what it needs as arguments)`;
  const first = `${e.name}: ${e.message}`;
  e.message += note;
  if (stack.startsWith(first)) e.stack = `${first}${note}${stack.slice(first.length)}`;
  return e;
}

/**
 * True when the module at `moduleUrl` (pass `import.meta.url`, or `__filename` in CommonJS) is
 * the program's entry point, running in the main thread of the main process: Python's
 * `if __name__ == "__main__":`. False
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
    // a URL (`import.meta.url`), or a path (CommonJS's `__filename`), as workerFunctions takes
    const url =
      moduleUrl instanceof URL
        ? moduleUrl
        : isAbsolute(moduleUrl)
          ? pathToFileURL(moduleUrl)
          : new URL(moduleUrl);
    if (url.protocol !== "file:") return false;
    return realpathSync(fileURLToPath(url)) === entryFile(entry);
  } catch {
    return false;
  }
}

/**
 * The file Node ran for the entry as typed (`node server`, `node .`: without its extension, or a
 * folder whose package.json names it), resolved as `require` resolves it.
 */
function entryFile(entry: string): string {
  const abs = resolve(entry);
  try {
    if (statSync(abs).isFile()) return realpathSync(abs);
  } catch {
    // not a file as typed
  }
  try {
    return realpathSync(createRequire(pathToFileURL(abs).href).resolve(abs));
  } catch {
    return abs;
  }
}
