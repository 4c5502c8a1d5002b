/**
 * How arguments, results and errors cross to another thread or process. Internal module.
 *
 * Values travel by the structured clone algorithm (primitives, plain objects, arrays, Map, Set,
 * Date, RegExp, BigInt, typed arrays, ArrayBuffer, Error; a class instance arrives as a plain
 * object). Buffers, URLs and errors down a value's arrays, plain objects, Maps and Sets are
 * rebuilt as what they were (see `specialValues`): an error value as a thrown one (below).
 * Arguments are copied when the call is submitted, so that a value that cannot be sent
 * (a function, a Node handle) is an error at once rather than a failure later, and later changes
 * to them are not seen. Between threads, `SharedArrayBuffer`s are shared and `MessagePort`s
 * (such as a loop's `threadsafePort()`) are transferred, wherever they are in the value; between
 * processes (V8's serialization over the IPC channel) neither can go.
 *
 * A thrown error is described field by field (type name, message, stack, Python-style `args`,
 * own properties, `cause`, the members of an AggregateError/ExceptionGroup) and rebuilt on the
 * other side as an instance of the same class when that class is known there (JavaScript's
 * built-in errors, the library's errors, classes given to `registerErrorClass`), else as an
 * `Error` with the same `name`. Its `stack` is the worker's stack.
 */
import v8 from "node:v8";
import { MessagePort } from "node:worker_threads";
import * as pyErrors from "../exceptions.ts";
import { pyTypeName } from "../format.ts";
import * as osErrors from "../os_errors.ts";
import { BrokenExecutor, CancelledError, InvalidStateError } from "./_base.ts";

/**
 * What a value travels as: between threads, the value itself (structured-cloned by
 * `postMessage`, with its ports in the transfer list); between processes, V8's serialization.
 */
export interface Payload {
  value?: unknown;
  data?: Uint8Array;
  ports?: MessagePort[];
  /** The Node `Buffer`s, `URL`s and errors the value held, to rebuild (see `specialValues`). */
  special?: Special[];
}

/**
 * One step down a value: a key of an array or object, or the `i`-th entry (in insertion order,
 * which a copy keeps) of a Map (`part` 0: its key, 1: its value) or of a Set (`part` 2).
 */
type Step = string | number | [i: number, part: 0 | 1 | 2];

/**
 * A value a copy does not keep as it was: where it was, and a URL's href (null for a Buffer or
 * an error), or an error's description (a copy keeps only an error's message, and makes every
 * class but JavaScript's own a plain Error).
 */
type Special = [path: Step[], url: string | null, error?: WireError];

/** How deep `specialValues` looks. */
const MAX_DEPTH = 16;

/** Arrays, Maps, Sets and objects of `Object.prototype` or none: what a copy keeps the shape of. */
function kindOf(v: object): "array" | "map" | "set" | "object" | null {
  if (Array.isArray(v)) return "array";
  if (v instanceof Map) return "map";
  if (v instanceof Set) return "set";
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null ? "object" : null;
}

/**
 * Where `value` holds Node `Buffer`s and `URL`s, as paths through arrays, plain objects, Maps
 * and Sets (up to 16 levels, each object once). A copy turns a Buffer into a plain Uint8Array,
 * and `String(buf)` or `buf.toString("utf8")` of what came back from
 * `toThread(fs.readFileSync, path)` would not be what the program meant; a URL into an empty
 * object (`toThread(fs.readFileSync, new URL("./data", import.meta.url))` would fail).
 */
function specialValues(
  value: unknown,
  crossProcess: boolean,
  out: Special[] = [],
  path: Step[] = [],
  seen: Set<object> = new Set(),
): Special[] {
  if (typeof value !== "object" || value === null) return out;
  // An error value (returned, or passed as an argument) is rebuilt as a thrown one is.
  if (value instanceof Error) {
    out.push([path.slice(), null, describeError(value, crossProcess)]);
    return out;
  }
  // Each place a Buffer or URL is (one may be in several: decode keeps them one object).
  if (Buffer.isBuffer(value)) {
    out.push([path.slice(), null]);
    return out;
  }
  if (value instanceof URL) {
    out.push([path.slice(), value.href]);
    return out;
  }
  if (path.length >= MAX_DEPTH || seen.has(value)) return out;
  const kind = kindOf(value);
  if (kind === null) return out;
  seen.add(value);
  const down = (step: Step, v: unknown): void => {
    if (typeof v !== "object" || v === null) return;
    path.push(step);
    specialValues(v, crossProcess, out, path, seen);
    path.pop();
  };
  if (kind === "map") {
    let i = 0;
    for (const [k, v] of mapEntries(value as Map<unknown, unknown>)) {
      down([i, 0], k);
      down([i++, 1], v);
    }
  } else if (kind === "set") {
    let i = 0;
    for (const v of setValues(value as Set<unknown>)) down([i++, 2], v);
  } else {
    for (const key of Object.keys(value)) down(key, (value as Record<string, unknown>)[key]);
  }
  return out;
}

function withSpecial(payload: Payload, special: Special[]): Payload {
  if (special.length > 0) payload.special = special;
  return payload;
}

/**
 * `value` with its URLs (where `specialValues` looks for them) replaced by empty objects, one per
 * URL, for a structured clone: Node 22 and later refuse to clone a URL (Node 20 made it an empty
 * object); the URLs are rebuilt from their hrefs on the other side. The arrays, objects, Maps and
 * Sets on the way are copied (each once, so what was shared stays shared; an array keeps its
 * holes and other keys); without URLs, `value` itself.
 */
function withoutUrls(value: unknown, special: Special[]): unknown {
  if (!special.some(([, url]) => url !== null)) return value;
  const copies = new Map<object, unknown>();
  const strip = (v: unknown, depth: number): unknown => {
    if (typeof v !== "object" || v === null) return v;
    let copy = copies.get(v);
    if (copy !== undefined) return copy;
    if (v instanceof URL) {
      copies.set(v, (copy = {}));
      return copy;
    }
    const kind = depth < MAX_DEPTH && !Buffer.isBuffer(v) ? kindOf(v) : null;
    if (kind === null) return v;
    if (kind === "map") {
      const m = new Map<unknown, unknown>();
      copies.set(v, m);
      for (const [k, x] of mapEntries(v as Map<unknown, unknown>)) {
        m.set(strip(k, depth + 1), strip(x, depth + 1));
      }
      return m;
    }
    if (kind === "set") {
      const set = new Set<unknown>();
      copies.set(v, set);
      for (const x of setValues(v as Set<unknown>)) set.add(strip(x, depth + 1));
      return set;
    }
    const o: Record<string, unknown> =
      kind === "array"
        ? new Array((v as unknown[]).length)
        : Object.create(Object.getPrototypeOf(v));
    copies.set(v, o);
    for (const key of Object.keys(v)) {
      setOwn(o, key, strip((v as Record<string, unknown>)[key], depth + 1));
    }
    return o;
  };
  return strip(value, 0);
}

/** The value a copy made of a special value, rebuilt. */
function rebuilt(copy: unknown, url: string | null): unknown {
  if (url !== null) return new URL(url);
  return copy instanceof Uint8Array
    ? Buffer.from(copy.buffer, copy.byteOffset, copy.byteLength)
    : copy;
}

/** `o[key] = x`, where an own "__proto__" key stays a key. */
function setOwn(o: object, key: string | number, x: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(o, key, {
      value: x,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    (o as Record<string | number, unknown>)[key] = x;
  }
}

/** A Map's entries in insertion order (what a copy keeps), whatever a subclass iterates. */
function mapEntries<K, V>(m: Map<K, V>): IterableIterator<[K, V]> {
  return Map.prototype.entries.call(m) as IterableIterator<[K, V]>;
}

function setValues<T>(s: Set<T>): IterableIterator<T> {
  return Set.prototype.values.call(s) as IterableIterator<T>;
}

/**
 * The Maps and Sets `decode` goes through, each read once into a list of its entries (a step
 * is an index into it), and rebuilt once at the end if one of its keys or members was replaced.
 */
class Collections {
  private readonly lists = new Map<object, unknown[]>();
  private readonly changed = new Set<object>();

  list(coll: object): unknown[] {
    let list = this.lists.get(coll);
    if (list === undefined) {
      list = coll instanceof Map ? [...mapEntries(coll)] : [...setValues(coll as Set<unknown>)];
      this.lists.set(coll, list);
    }
    return list;
  }

  /** What `step` leads to in `holder`. */
  get(holder: unknown, step: Step): unknown {
    if (!Array.isArray(step)) return (holder as Record<string | number, unknown>)[step];
    const [i, part] = step;
    const item = this.list(holder as object)[i];
    return part === 2 ? item : (item as [unknown, unknown])[part];
  }

  /** Puts `x` where `step` leads in `holder`. */
  put(holder: unknown, step: Step, x: unknown): void {
    if (!Array.isArray(step)) {
      setOwn(holder as object, step, x);
      return;
    }
    const [i, part] = step;
    const list = this.list(holder as object);
    if (part === 2) {
      list[i] = x;
      this.changed.add(holder as object);
      return;
    }
    const entry = list[i] as [unknown, unknown];
    entry[part] = x;
    if (part === 0) this.changed.add(holder as object);
    else if (!this.changed.has(holder as object))
      (holder as Map<unknown, unknown>).set(entry[0], x);
  }

  /** Rebuilds the collections whose keys or members were replaced, in their order. */
  finish(): void {
    for (const coll of this.changed) {
      const list = this.lists.get(coll)!;
      if (coll instanceof Map) {
        coll.clear();
        for (const [k, v] of list as [unknown, unknown][]) coll.set(k, v);
      } else {
        const set = coll as Set<unknown>;
        set.clear();
        for (const x of list) set.add(x);
      }
    }
  }
}

function hostObjectName(obj: object): string {
  const name = (obj as { constructor?: { name?: string } }).constructor?.name;
  return typeof name === "string" && name !== "" ? name : "object";
}

/** V8's serializer, refusing what cannot reach another process with a clear message. */
class ProcessSerializer extends v8.Serializer {
  _writeHostObject(obj: object): void {
    throw new TypeError(`${hostObjectName(obj)} could not be cloned to another process.`);
  }

  _getSharedArrayBufferId(_sab: SharedArrayBuffer): number {
    throw new TypeError("SharedArrayBuffer could not be cloned to another process.");
  }
}

class ProcessDeserializer extends v8.Deserializer {
  _readHostObject(): unknown {
    throw new TypeError("bad host object in message");
  }
}

/** The MessagePorts anywhere in `value` (arrays, objects, Maps, Sets), for a transfer list. */
export function findPorts(value: unknown): MessagePort[] {
  if (typeof value !== "object" || value === null) return [];
  const out: MessagePort[] = [];
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v !== "object" || v === null || seen.has(v)) return;
    seen.add(v);
    if (v instanceof MessagePort) {
      out.push(v);
    } else if (
      ArrayBuffer.isView(v) ||
      v instanceof ArrayBuffer ||
      v instanceof Date ||
      v instanceof RegExp
    ) {
      // no ports inside
    } else if (v instanceof Map) {
      for (const [k, x] of v) {
        visit(k);
        visit(x);
      }
    } else if (v instanceof Set) {
      for (const x of v) visit(x);
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x);
    } else {
      for (const key of Object.keys(v)) visit((v as Record<string, unknown>)[key]);
    }
  };
  visit(value);
  return out;
}

/**
 * A copy of `value` that can be sent later (checked now: throws a DataCloneError or TypeError
 * for what cannot be sent). Between threads it is a structured clone whose ports are moved into
 * the copy; between processes, V8's serialization.
 */
export function encode(value: unknown, crossProcess: boolean): Payload {
  const special = specialValues(value, crossProcess);
  if (crossProcess) {
    const s = new ProcessSerializer();
    s.writeHeader();
    s.writeValue(value);
    return withSpecial({ data: s.releaseBuffer() }, special);
  }
  const ports = findPorts(value);
  const sendable = withoutUrls(value, special);
  if (ports.length === 0) return withSpecial({ value: structuredClone(sendable) }, special);
  const copy = structuredClone(sendable, { transfer: ports });
  return withSpecial({ value: copy, ports: findPorts(copy) }, special);
}

/**
 * `value` ready to be posted as is (no copy now: `postMessage` copies it, and throws then if it
 * cannot). Between processes, the same as `encode`.
 */
export function forPost(value: unknown, crossProcess: boolean): Payload {
  if (crossProcess) return encode(value, true);
  const special = specialValues(value, false);
  const ports = findPorts(value);
  const sendable = withoutUrls(value, special);
  return withSpecial(
    ports.length === 0 ? { value: sendable } : { value: sendable, ports },
    special,
  );
}

/** The value of a payload. */
export function decode(payload: Payload): unknown {
  let value: unknown;
  if (payload.data === undefined) {
    value = payload.value;
  } else {
    const d = new ProcessDeserializer(payload.data);
    d.readHeader();
    value = d.readValue();
  }
  const special = payload.special;
  if (special === undefined) return value;
  // The copy keeps a value that was in several places one object: so does its rebuilt one.
  const made = new Map<unknown, unknown>();
  const rebuild = (copy: unknown, url: string | null, error: WireError | undefined): unknown => {
    let r = made.get(copy);
    if (r === undefined) {
      r = error !== undefined ? rebuildError(error) : rebuilt(copy, url);
      made.set(copy, r);
    }
    return r;
  };
  const colls = new Collections();
  for (const [path, url, error] of special) {
    if (path.length === 0) return rebuild(value, url, error);
    let holder = value;
    for (let i = 0; i < path.length - 1; i++) holder = colls.get(holder, path[i]!);
    const last = path[path.length - 1]!;
    colls.put(holder, last, rebuild(colls.get(holder, last), url, error));
  }
  colls.finish();
  return value;
}

/** The ports of payloads, for a transfer list. */
export function transferList(...payloads: (Payload | undefined)[]): MessagePort[] {
  const out: MessagePort[] = [];
  for (const p of payloads) if (p?.ports !== undefined) out.push(...p.ports);
  return out;
}

/** True if `value` could be sent. */
export function canSend(value: unknown, crossProcess: boolean): boolean {
  if (value === null || value === undefined) return true;
  const t = typeof value;
  if (t === "string" || t === "number" || t === "boolean" || t === "bigint") return true;
  try {
    if (crossProcess) encode(value, true);
    else structuredClone(withoutUrls(value, specialValues(value, false)));
    return true;
  } catch {
    return false;
  }
}

// ---- errors ----

/** A thrown value as it crosses: an error described field by field, or another value. */
export type WireError =
  | { kind: "value"; value: unknown }
  | {
      kind: "error";
      /** the error's `name` */
      name: string;
      /** its constructor's name */
      type: string;
      message: string;
      stack?: string;
      args?: unknown[];
      props?: Record<string, unknown>;
      cause?: WireError;
      errors?: WireError[];
    };

const SKIP_PROPS = new Set(["name", "message", "stack", "args", "cause", "errors", "exceptions"]);

/**
 * Describes a thrown value so that every part of it can be sent; never throws. A part that can
 * be neither sent nor turned into a string is described in words; a value that is nothing but
 * such a part (or an error whose parts cannot even be read) becomes a `TypeError` saying so.
 */
export function describeError(e: unknown, crossProcess: boolean, depth = 0): WireError {
  try {
    return describeErrorParts(e, crossProcess, depth);
  } catch (err) {
    return {
      kind: "error",
      name: "TypeError",
      type: "TypeError",
      message: `the value thrown in the worker cannot be sent back: ${sketch(e)} (${reason(err)})`,
    };
  }
}

/** `String(v)`, or (when that throws) a description of `v`. */
function stringOf(v: unknown): string {
  try {
    return String(v);
  } catch {
    return `<${sketch(v)}>`;
  }
}

/** What can be said of a value without calling into it: its kind and its first keys. */
function sketch(v: unknown): string {
  if ((typeof v !== "object" && typeof v !== "function") || v === null) return typeof v;
  const kind = typeof v === "function" ? "a function" : "an object";
  try {
    const proto = Object.getPrototypeOf(v) as object | null;
    const ctor = proto === null ? undefined : Object.getOwnPropertyDescriptor(proto, "constructor");
    const name = typeof ctor?.value?.name === "string" ? ctor.value.name : "";
    let what =
      proto === null
        ? `${kind} with a null prototype`
        : name !== ""
          ? `${kind} of class ${name}`
          : kind;
    const keys = Object.keys(v);
    if (keys.length > 0) {
      what += ` (keys: ${keys.slice(0, 5).join(", ")}${keys.length > 5 ? ", ..." : ""})`;
    }
    return what;
  } catch {
    return kind;
  }
}

/** The message of an error thrown while describing a value. */
function reason(err: unknown): string {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } catch {
    return "unreadable";
  }
}

function describeErrorParts(e: unknown, crossProcess: boolean, depth: number): WireError {
  if (!(e instanceof Error)) {
    if (canSend(e, crossProcess)) return { kind: "value", value: e };
    // Neither sendable nor a string: the caller's catch makes it a TypeError.
    return { kind: "value", value: String(e) };
  }
  const ctor = (e as { constructor?: { name?: unknown } }).constructor;
  const ctorName = keys.get(ctor as object) ?? ctor?.name;
  const w: WireError = {
    kind: "error",
    name: typeof e.name === "string" ? e.name : "Error",
    type: typeof ctorName === "string" && ctorName !== "" ? ctorName : pyTypeName(e),
    message: typeof e.message === "string" ? e.message : stringOf(e.message),
  };
  if (typeof e.stack === "string") w.stack = e.stack;
  const args = (e as { args?: unknown }).args;
  const members =
    e instanceof pyErrors.BaseExceptionGroup
      ? e.exceptions
      : e instanceof AggregateError && Array.isArray(e.errors)
        ? e.errors
        : null;
  if (Array.isArray(args)) {
    w.args =
      e instanceof pyErrors.BaseExceptionGroup
        ? [args[0]]
        : args.map((a) => (canSend(a, crossProcess) ? a : stringOf(a)));
  }
  if (members !== null && depth < 8) {
    w.errors = members.map((m) => describeError(m, crossProcess, depth + 1));
  }
  for (const key of Object.keys(e)) {
    if (SKIP_PROPS.has(key)) continue;
    let v: unknown;
    try {
      v = (e as unknown as Record<string, unknown>)[key];
    } catch {
      continue; // a getter that throws: the property is left out
    }
    if (typeof v === "function" || !canSend(v, crossProcess)) continue;
    w.props ??= {};
    w.props[key] = v;
  }
  const cause = (e as { cause?: unknown }).cause;
  if (cause !== undefined && depth < 8) w.cause = describeError(cause, crossProcess, depth + 1);
  return w;
}

// biome-ignore lint/suspicious/noExplicitAny: error classes take any constructor arguments
type ErrorClass = abstract new (...args: any[]) => Error;

const known = new Map<string, ErrorClass>();
const keys = new WeakMap<object, string>();

/**
 * Makes errors of class `cls` thrown in a worker come back as instances of `cls` (found by the
 * class's name), so that `instanceof` works on them. JavaScript's built-in errors and the
 * library's errors are registered already.
 */
export function registerErrorClass(cls: ErrorClass): void {
  _registerErrorClass(cls, cls.name);
}

/** @internal Registers `cls` under `key` (the concurrent errors share names with asyncio's). */
export function _registerErrorClass(cls: ErrorClass, key: string): void {
  if (
    typeof cls !== "function" ||
    !(cls.prototype instanceof Error || (cls as unknown) === Error)
  ) {
    throw new TypeError("registerErrorClass() needs an Error subclass");
  }
  known.set(key, cls);
  keys.set(cls, key);
}

for (const cls of [
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
]) {
  registerErrorClass(cls);
}
for (const value of [...Object.values(pyErrors), ...Object.values(osErrors)]) {
  if (typeof value === "function" && value.prototype instanceof Error)
    registerErrorClass(value as ErrorClass);
}
_registerErrorClass(CancelledError, "concurrent.futures.CancelledError");
_registerErrorClass(InvalidStateError, "concurrent.futures.InvalidStateError");
_registerErrorClass(BrokenExecutor, "BrokenExecutor");

/** Rebuilds a thrown value described by `describeError`. */
export function rebuildError(w: WireError): unknown {
  if (w.kind === "value") return w.value;
  const name = w.name === "Error" && w.type !== "Error" && w.type !== "" ? w.type : w.name;
  const cls = known.get(w.type) ?? known.get(w.name);
  const e = Reflect.construct(Error, [w.message], cls ?? Error) as Error & Record<string, unknown>;
  if (e.name !== name) e.name = name;
  if (w.args !== undefined) e.args = w.args;
  if (w.stack !== undefined) e.stack = w.stack;
  if (w.props !== undefined) Object.assign(e, w.props);
  if (w.errors !== undefined) {
    const members = w.errors.map(rebuildError);
    if (e instanceof pyErrors.BaseExceptionGroup) {
      const frozen = Object.freeze(members);
      Object.defineProperty(e, "exceptions", { value: frozen, enumerable: true });
      (e as { args: unknown[] }).args = [w.message, frozen];
    }
    Object.defineProperty(e, "errors", { value: members, writable: true, configurable: true });
  }
  if (w.cause !== undefined) e.cause = rebuildError(w.cause);
  return e;
}
