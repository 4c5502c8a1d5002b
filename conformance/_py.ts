/**
 * Helpers for the TypeScript twins of the CPython oracle scripts: print values exactly as the
 * Python scripts print them.
 */
import { pyRepr, pyStr } from "../src/format.ts";

export { pyRepr as repr, pyStr as str };

/** Python's `print(*args)`. */
export function print(...args: unknown[]): void {
  process.stdout.write(`${args.map((a) => pyStr(a)).join(" ")}\n`);
}

/** The oracle scripts' `exc_str(e)`: `TypeName(repr(arg), ...)`. */
export function excStr(e: unknown): string {
  if (!(e instanceof Error)) return pyRepr(e);
  const args = (e as { args?: unknown }).args;
  const list = Array.isArray(args) ? args : e.message === "" ? [] : [e.message];
  return `${e.name}(${list.map((a) => pyRepr(a)).join(", ")})`;
}

/** Python's `attempt(label, fn)` helper used by several scripts. */
export function attempt(label: string, fn: () => unknown): void {
  try {
    const r = fn();
    print(`${label}: returned ${pyRepr(r)}`);
  } catch (e) {
    print(`${label}: raised ${excStr(e)}`);
  }
}
