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
    else if (ch < " " || ch === "\x7f")
      out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
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
  return String(n);
}

/** Python's repr of an exception: `ValueError('bad')`, `CancelledError()`. */
export function reprError(e: Error): string {
  const args = (e as { args?: unknown }).args;
  const list = Array.isArray(args) ? args : e.message === "" ? [] : [e.message];
  return `${e.name}(${list.map((a) => pyRepr(a)).join(", ")})`;
}

/** Python-style repr of any value. */
export function pyRepr(v: unknown, seen: Set<unknown> = new Set()): string {
  if (v === undefined || v === null) return "None";
  switch (typeof v) {
    case "boolean":
      return v ? "True" : "False";
    case "number":
      return reprNumber(v);
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
      return "<coroutine object>";
    }
    if (typeof (obj as { then?: unknown }).then === "function") return "<Promise>";
    const proto = Object.getPrototypeOf(obj);
    if (proto === Object.prototype || proto === null) {
      const entries = Object.entries(obj);
      return `{${entries.map(([k, x]) => `${reprString(k)}: ${pyRepr(x, seen)}`).join(", ")}}`;
    }
    const own = (obj as { toString?: () => string }).toString;
    if (typeof own === "function" && own !== Object.prototype.toString) return own.call(obj);
    return `<${proto?.constructor?.name ?? "object"} object>`;
  } finally {
    seen.delete(obj);
  }
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
      return "function";
  }
  if (Array.isArray(v)) return "list";
  if (Object.prototype.toString.call(v) === "[object Generator]") return "coroutine";
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return "dict";
  return proto?.constructor?.name ?? "object";
}

/** Python's `str()`: strings as they are, errors as their message, everything else as repr. */
export function pyStr(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Error && !(customRepr in v)) {
    const args = (v as { args?: unknown }).args;
    if (Array.isArray(args)) {
      if (args.length === 0) return "";
      if (args.length === 1) return pyStr(args[0]);
      return pyRepr(args).replace(/^\[/, "(").replace(/\]$/, ")");
    }
    return typeof v.toString === "function" && v.toString !== Error.prototype.toString
      ? v.toString()
      : v.message;
  }
  return pyRepr(v);
}
