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

/** Python's `f"{type(e).__name__}{e.args!r}"`: a one-element tuple keeps its comma. */
export function excArgs(e: unknown): string {
  if (!(e instanceof Error)) return `<non-error ${pyRepr(e)}>`;
  return `${e.name}${pyTuple(errorArgs(e))}`;
}

/** `attempt` of the scripts that print the exception as {@link excArgs}. */
export function attemptArgs(label: string, fn: () => unknown): void {
  try {
    print(`${label}: returned ${pyRepr(fn())}`);
  } catch (e) {
    print(`${label}: raised ${excArgs(e)}`);
  }
}

/** Python's repr of a tuple of `items`. */
export function pyTuple(items: readonly unknown[]): string {
  return `(${items.map((x) => pyRepr(x)).join(", ")}${items.length === 1 ? "," : ""})`;
}

function errorArgs(e: Error): unknown[] {
  const args = (e as { args?: unknown }).args;
  return Array.isArray(args) ? args : e.message === "" ? [] : [e.message];
}
