/**
 * Python-style `repr()` of JavaScript values, used in the reprs and error messages that CPython
 * builds with `{!r}` (`<Future finished result='abc'>`, `Task got bad yield: 'junk'`).
 * Internal module.
 */

const customRepr = Symbol.for("asyncio-ts.repr");

/** Classes of the library implement this to give their Python repr. */
export interface PyReprable {
  [customRepr](): string;
}

export { customRepr };

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch >= " " && ch < "\x7f") out += ch;
    else if (NON_PRINTABLE.test(ch)) out += escapeChar(ch.codePointAt(0)!);
    else out += ch;
  }
  return out + quote;
}

/** What Python's `str.isprintable()` rejects (other than the space): escaped by repr(). */
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function escapeChar(code: number): string {
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, "0")}`;
  return `\\U${code.toString(16).padStart(8, "0")}`;
}

function reprBytes(b: Uint8Array): string {
  let body = "";
  let hasSingle = false;
  let hasDouble = false;
  for (const c of b) {
    if (c === 0x27) hasSingle = true;
    if (c === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? '"' : "'";
  for (const c of b) {
    if (c === 0x5c) body += "\\\\";
    else if (c === 0x0a) body += "\\n";
    else if (c === 0x0d) body += "\\r";
    else if (c === 0x09) body += "\\t";
    else if (String.fromCharCode(c) === quote) body += `\\${quote}`;
    else if (c < 0x20 || c >= 0x7f) body += `\\x${c.toString(16).padStart(2, "0")}`;
    else body += String.fromCharCode(c);
  }
  return `b${quote}${body}${quote}`;
}

function reprNumber(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Number.POSITIVE_INFINITY) return "inf";
  if (n === Number.NEGATIVE_INFINITY) return "-inf";
  // A whole number is a Python int: every digit of its value (String() would round from 2**53
  // on, and switch to an exponent at 1e21).
  if (Math.abs(n) >= 2 ** 53 && Number.isInteger(n)) return BigInt(n).toString();
  return String(n);
}

/**
 * Python's `repr(float(x))`: shortest round-trip digits, always with a fraction or exponent
 * (`12.0`), exponent form outside 1e-4 <= |x| < 1e16 (`1e+16`, `1.5e-05`).
 */
export function pyFloatRepr(x: number): string {
  if (!Number.isFinite(x)) return reprNumber(x);
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expStr] = x.toExponential().split("e") as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 16) {
    const sign = exp < 0 ? "-" : "+";
    return `${mant}e${sign}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const s = String(x);
  return Number.isInteger(x) ? `${s}.0` : s;
}

/**
 * Python's `round(x, ndigits)` for a float: the nearest multiple of 10**-ndigits, exact ties to
 * even (`round(1.0625, 3) == 1.062`; `toFixed` would give 1.063).
 */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x)) return x;
  const fixed = x.toFixed(ndigits);
  // An exact tie has a 5 right after the kept digits and nothing else (the 100-digit expansion
  // is exact for every double that can be a tie: those are multiples of 2**-ndigits).
  const exact = x.toFixed(Math.min(100, ndigits + 60));
  const dot = exact.indexOf(".");
  const rest = exact.slice(dot + 1 + ndigits);
  if (/^50*$/.test(rest)) {
    const truncated = exact.slice(0, ndigits === 0 ? dot : dot + 1 + ndigits);
    const last = Number(truncated[truncated.length - 1]);
    if (last % 2 === 0) return Number(truncated);
  }
  return Number(fixed);
}

/**
 * An error's type name as Python shows it (`type(e).__name__`): its `name`, but for a class of
 * one's own that left `name` inherited (`class MyError extends Error {}`, whose `name` is
 * "Error"), the class's name.
 */
export function errorName(e: Error): string {
  const name = e.name;
  const cls = (Object.getPrototypeOf(e) as { constructor?: unknown } | null)?.constructor;
  if (
    typeof cls !== "function" ||
    cls.name === "" ||
    cls.name === name ||
    Object.hasOwn(e, "name") ||
    Object.hasOwn(cls.prototype as object, "name")
  ) {
    return name;
  }
  return cls.name;
}

/** Python's repr of an exception: `ValueError('bad')`, `CancelledError()`. */
export function reprError(e: Error): string {
  const args = (e as { args?: unknown }).args;
  const list = Array.isArray(args) ? args : e.message === "" ? [] : [e.message];
  return `${errorName(e)}(${list.map((a) => pyRepr(a)).join(", ")})`;
}

/**
 * `fn` with its `name` set to the Python qualified name a repr shows for it (a done callback in
 * a Future's `cb=[...]`: `shield.<locals>._inner_done_callback()`).
 */
export function pyNamed<F extends (...args: never[]) => unknown>(name: string, fn: F): F {
  return Object.defineProperty(fn, "name", { value: name });
}

/** A function's `name`, or "" when it is not a string (a class may define `name` as anything). */
export function functionName(fn: (...args: never[]) => unknown): string {
  try {
    const name: unknown = fn.name;
    return typeof name === "string" ? name : "";
  } catch {
    return "";
  }
}

/**
 * @internal Pins the `name` of the library's classes to their Python names: a bundler renames
 * classes (esbuild's `_Task` for a class that refers to itself, any name when minifying), and
 * reprs, `new.target.name` and errors' `name` read it.
 */
export function keepClassNames(
  classes: Record<string, abstract new (...a: never[]) => unknown>,
): void {
  for (const [name, cls] of Object.entries(classes)) {
    if (cls.name !== name) Object.defineProperty(cls, "name", { value: name, configurable: true });
  }
}

/**
 * The name of `obj`'s class, or of the nearest named class it extends (an anonymous subclass,
 * `new (class extends Task {})(...)`, has an empty name).
 */
export function className(obj: object): string {
  for (
    let p = Object.getPrototypeOf(obj) as object | null;
    p !== null;
    p = Object.getPrototypeOf(p)
  ) {
    const c = (p as { constructor?: { name?: unknown } }).constructor;
    if (typeof c?.name === "string" && c.name !== "") return c.name;
  }
  return "object";
}

/**
 * The class name a repr shows for `obj`: CPython's name for its counterpart of `cls`
 * (`_SelectorSocketTransport` for a SocketTransport), or a user subclass's own name.
 */
export function pyClassName(
  obj: object,
  cls: abstract new (...args: never[]) => unknown,
  pyName: string,
): string {
  return obj.constructor === cls ? pyName : className(obj);
}

const QUALNAME = Symbol.for("asyncio-ts.qualname");

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

function inspectAsRepr(this: object): string {
  return String(this);
}

const libraryPrototypes: object[] = [];
let libraryMethods: WeakSet<object> | null = null;

/**
 * Registers the library's public classes that have a Python repr: `console.log(x)` (Node's
 * `util.inspect`) shows their objects as their `toString()`, the repr
 * (`<Task pending name='Task-1' ...>`), as `print(x)` does, instead of their internal fields;
 * and their methods are known to {@link isLibraryMethod}.
 */
export function libraryClasses(...classes: (abstract new (...args: never[]) => object)[]): void {
  for (const cls of classes) {
    Object.defineProperty(cls.prototype, INSPECT, {
      value: inspectAsRepr,
      writable: true,
      configurable: true,
    });
    libraryPrototypes.push(cls.prototype);
  }
  libraryMethods = null;
}

/**
 * True if `fn` is a method of one of the library's classes (or of their bases), as a method
 * taken off its object (`loop.callSoon(fut.setResult, 5)`) is: Python's `fut.set_result` is
 * bound, JavaScript's is not.
 */
export function isLibraryMethod(fn: unknown): boolean {
  if (typeof fn !== "function") return false;
  if (libraryMethods === null) {
    libraryMethods = new WeakSet();
    for (let proto of libraryPrototypes) {
      for (; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
        for (const desc of Object.values(Object.getOwnPropertyDescriptors(proto))) {
          if (typeof desc.value === "function") libraryMethods.add(desc.value);
        }
      }
    }
  }
  return libraryMethods.has(fn);
}

/** Python-style repr of any value. */
export function pyRepr(v: unknown, seen: Set<unknown> = reprsInProgress): string {
  if (v === undefined || v === null) return "None";
  switch (typeof v) {
    case "boolean":
      return v ? "True" : "False";
    case "number":
      // -0 shows as 0: JavaScript makes it from integer arithmetic (`-i` for i = 0) as often as
      // Python's -0.0 would be meant.
      return Number.isInteger(v) ? reprNumber(v) : pyFloatRepr(v);
    case "bigint":
      return String(v);
    case "string":
      return reprString(v);
    case "symbol":
      return v.toString();
    case "function":
      return `<function ${v.name || "<anonymous>"}>`;
  }
  const obj = v as object;
  if (customRepr in obj) return (obj as PyReprable)[customRepr]();
  if (obj instanceof Error) return reprError(obj);
  if (obj instanceof Uint8Array) return reprBytes(obj);
  if (seen.has(obj)) return Array.isArray(obj) ? "[...]" : "{...}";
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return `[${obj.map((x) => pyRepr(x, seen)).join(", ")}]`;
    if (obj instanceof Set) {
      return obj.size === 0 ? "set()" : `{${[...obj].map((x) => pyRepr(x, seen)).join(", ")}}`;
    }
    if (obj instanceof Map) {
      return `{${[...obj].map(([k, x]) => `${pyRepr(k, seen)}: ${pyRepr(x, seen)}`).join(", ")}}`;
    }
    if (Object.prototype.toString.call(obj) === "[object Generator]") {
      // A library coroutine's qualified name (see coroutines.ts); a user's generator has none.
      const name = (obj as { [QUALNAME]?: string })[QUALNAME];
      return name === undefined ? "<coroutine object>" : `<coroutine object ${name}>`;
    }
    // No function name can be had from an async generator object (as for a user's generator).
    if (Object.prototype.toString.call(obj) === "[object AsyncGenerator]") {
      return "<async_generator object>";
    }
    if (typeof (obj as { then?: unknown }).then === "function") return "<Promise>";
    const proto = Object.getPrototypeOf(obj);
    if (proto === Object.prototype || proto === null) {
      const entries = Object.entries(obj);
      return `{${entries.map(([k, x]) => `${reprString(k)}: ${pyRepr(x, seen)}`).join(", ")}}`;
    }
    const own = (obj as { toString?: () => string }).toString;
    if (typeof own === "function" && own !== Object.prototype.toString) return own.call(obj);
    return `<${proto?.constructor?.name || "object"} object>`;
  } finally {
    seen.delete(obj);
  }
}

/**
 * The containers whose repr is being built, shared by every pyRepr call (Python's
 * Py_ReprEnter): a list that holds an object whose own repr shows the list again is `[...]`
 * there, as in CPython, however many custom reprs lie between.
 */
const reprsInProgress = new Set<unknown>();

/**
 * Python's `reprlib.recursive_repr`: `build()`'s text, or `'...'` where the repr of `obj` comes
 * back to itself while it is being built.
 */
export function recursiveRepr(obj: object, build: () => string): string {
  if (reprsInProgress.has(obj)) return "...";
  reprsInProgress.add(obj);
  try {
    return build();
  } finally {
    reprsInProgress.delete(obj);
  }
}

/** A value Python's arithmetic and comparisons take as a number: float, int (bigint) or bool. */
export function isPyNumber(v: unknown): v is number | bigint | boolean {
  return typeof v === "number" || typeof v === "bigint" || typeof v === "boolean";
}

/** Python's TypeError for `a OP b` between values it cannot order (`'<' not supported ...`). */
export function compareError(op: string, a: unknown, b: unknown): TypeError {
  return new TypeError(
    `'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`,
  );
}

/**
 * An options object as a plain object of all its keys, inherited ones too (`Object.create({
 * ssl })`, a class's getters): the API reads options by name, so a spread (`{ ...rest }`, own
 * enumerable keys only) must not quietly drop some. Anything else is returned as it is.
 */
export function allOptions<T>(options: T): T {
  if (typeof options !== "object" || options === null || Array.isArray(options)) return options;
  const out: Record<string, unknown> = {};
  // Own and inherited keys, enumerable or not, getters too (a class's `get limit()`); not a
  // class's methods, nor what every object has.
  for (
    let o: object | null = options;
    o !== null && o !== Object.prototype;
    o = Object.getPrototypeOf(o) as object | null
  ) {
    const classPrototype = o !== options && Object.hasOwn(o, "constructor");
    for (const key of Object.getOwnPropertyNames(o)) {
      if (key === "constructor" || Object.hasOwn(out, key)) continue;
      const d = Object.getOwnPropertyDescriptor(o, key)!;
      if (classPrototype && d.get === undefined && typeof d.value === "function") continue;
      out[key] = (options as Record<string, unknown>)[key];
    }
  }
  return out as T;
}

/**
 * Python's `bool()` of a value as asyncio-ts maps Python's types: None, false, zero, an empty
 * string, array, Map/Set or buffer are false; everything else (NaN too) is true.
 */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === 0n) {
    return false;
  }
  if (value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  if (ArrayBuffer.isView(value)) return value.byteLength > 0;
  return true;
}

/**
 * Python's `len()` of a value as asyncio-ts maps Python's types: a string counts code points, a
 * bytes-like object its bytes, an array (list) its items, a Map/Set (dict/set) its size.
 * Anything else raises CPython's `TypeError("object of type 'int' has no len()")`.
 */
export function pyLen(value: unknown): number {
  if (typeof value === "string") return [...value].length;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map || value instanceof Set) return value.size;
  throw new TypeError(`object of type '${pyTypeName(value)}' has no len()`);
}

/** Python's `type(x).__name__` for the values asyncio's messages mention. */
export function pyTypeName(v: unknown): string {
  if (v === undefined || v === null) return "NoneType";
  switch (typeof v) {
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(v) ? "int" : "float";
    case "bigint":
      return "int";
    case "string":
      return "str";
    case "function":
      // A class is Python's `type` (`set_event_loop(SomeClass)` says "not 'type'").
      return /^class[\s{]/.test(Function.prototype.toString.call(v)) ? "type" : "function";
  }
  if (Array.isArray(v)) return "list";
  // As pyRepr shows them: bytes, dict, set.
  if (v instanceof Uint8Array) return "bytes";
  if (v instanceof Map) return "dict";
  if (v instanceof Set) return "set";
  const tag = Object.prototype.toString.call(v);
  if (tag === "[object Generator]") return "coroutine";
  if (tag === "[object AsyncGenerator]") return "async_generator";
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return "dict";
  // (an async generator's or anonymous class's constructor name is "")
  return proto?.constructor?.name || "object";
}

/**
 * @internal Set on an error class's prototype when its `str()` is the `repr()` of its one
 * argument, as Python's `KeyError`'s is.
 */
export const strIsArgRepr: unique symbol = Symbol.for("asyncio-ts.strIsArgRepr");

/** Python's `str()`: strings as they are, errors as their message, everything else as repr. */
export function pyStr(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Error && !(customRepr in v)) {
    // An exception group's str is `msg (2 sub-exceptions)` (its own toString).
    if (v instanceof AggregateError && Array.isArray((v as { exceptions?: unknown }).exceptions)) {
      return v.toString();
    }
    const args = (v as { args?: unknown }).args;
    if (Array.isArray(args)) {
      if (args.length === 0) return "";
      if (args.length === 1) {
        return (v as { [strIsArgRepr]?: boolean })[strIsArgRepr] === true
          ? pyRepr(args[0])
          : pyStr(args[0]);
      }
      // OSError(errno, strerror[, filename]) reads `[Errno 2] No such file...: 'x'`, its message.
      if (
        typeof args[0] === "number" &&
        typeof (v as { strerror?: unknown }).strerror === "string"
      ) {
        return v.message;
      }
      return pyRepr(args).replace(/^\[/, "(").replace(/\]$/, ")");
    }
    return typeof v.toString === "function" && v.toString !== Error.prototype.toString
      ? v.toString()
      : v.message;
  }
  return pyRepr(v);
}

const FILL = "...";

/** Keeps the first and last characters of `s` around "...", as reprlib does. */
function cutMiddle(s: string, max: number): string {
  if (s.length <= max) return s;
  const i = Math.max(0, Math.floor((max - 3) / 2));
  const j = Math.max(0, max - 3 - i);
  return s.slice(0, i) + FILL + s.slice(s.length - j);
}

/** Python's `_possibly_sorted`: sorted when the items are comparable, else as they come. */
function possiblySorted(items: unknown[]): unknown[] {
  if (items.every((x) => typeof x === "number")) {
    return [...(items as number[])].sort((a, b) => a - b);
  }
  if (items.every((x) => typeof x === "string")) return [...items].sort();
  return items;
}

function reprIterable(
  items: unknown[],
  level: number,
  left: string,
  right: string,
  maxiter: number,
): string {
  if (level <= 0 && items.length > 0) return `${left}${FILL}${right}`;
  const pieces = items.slice(0, maxiter).map((x) => reprlibRepr(x, level - 1));
  if (items.length > maxiter) pieces.push(FILL);
  return `${left}${pieces.join(", ")}${right}`;
}

/**
 * Python's `reprlib.repr()` (the size-limited repr a Future's repr uses for its result):
 * strings cut to 30 characters, lists and sets to 6 items, dicts to 4 (keys sorted),
 * integers to 40 digits, other objects' reprs to 30 characters, nesting to 6 levels.
 */
export function reprlibRepr(v: unknown, level = 6): string {
  if (typeof v === "string") {
    let s = pyRepr(v.slice(0, 30));
    if (s.length > 30) {
      s = pyRepr(v.slice(0, 13) + v.slice(Math.max(0, v.length - 14)));
      s = s.slice(0, 13) + FILL + s.slice(s.length - 14);
    }
    return s;
  }
  if (typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v))) {
    return cutMiddle(pyRepr(v), 40);
  }
  if (typeof v === "object" && v !== null && !(customRepr in v)) {
    if (Array.isArray(v)) return reprIterable(v, level, "[", "]", 6);
    if (v instanceof Set) {
      return v.size === 0 ? "set()" : reprIterable(possiblySorted([...v]), level, "{", "}", 6);
    }
    const proto = Object.getPrototypeOf(v);
    const isMap = v instanceof Map;
    if (isMap || proto === Object.prototype || proto === null) {
      const entries: [unknown, unknown][] = isMap
        ? [...(v as Map<unknown, unknown>)]
        : Object.entries(v as object);
      if (entries.length === 0) return "{}";
      if (level <= 0) return `{${FILL}}`;
      const keys = possiblySorted(entries.map((e) => e[0]));
      const byKey = new Map(entries);
      const pieces = keys
        .slice(0, 4)
        .map((k) => `${reprlibRepr(k, level - 1)}: ${reprlibRepr(byKey.get(k), level - 1)}`);
      if (entries.length > 4) pieces.push(FILL);
      return `{${pieces.join(", ")}}`;
    }
  }
  try {
    return cutMiddle(pyRepr(v), 30);
  } catch {
    return instanceRepr(v);
  }
}

/** reprlib's `repr_instance` for an object whose repr raises: `<ClassName instance>`. */
export function instanceRepr(v: unknown): string {
  const proto = typeof v === "object" && v !== null ? Object.getPrototypeOf(v) : null;
  return `<${proto?.constructor?.name || typeof v} instance>`;
}
