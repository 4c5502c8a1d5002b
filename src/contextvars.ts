/**
 * Python's `contextvars`: `ContextVar`, `Token`, `Context`, `copyContext()`.
 *
 * A Context maps variables to values. Exactly one context is current at a time; `ctx.run(fn)`
 * makes `ctx` current while `fn` runs. Tasks run each step in their own context and callbacks in
 * the context they were scheduled in, so values never leak between tasks. Copies are cheap:
 * a copy shares its parent's map until one of them is written (copy on write), which keeps
 * `createTask` (one copy per task) fast.
 */
import { RuntimeError, ValueError } from "./exceptions.ts";
import { customRepr, pyRepr } from "./format.ts";

/** Python's `LookupError`: a variable with no value and no default was read. */
export class LookupError extends Error {
  args: unknown[];
  constructor(...args: unknown[]) {
    super(args.length === 0 ? "" : String(args[0]));
    this.args = args;
    this.name = "LookupError";
  }
}

// biome-ignore lint/suspicious/noExplicitAny: variables of any value type share one map
type AnyVar = ContextVar<any>;

/** A mapping of context variables to values (Python's `contextvars.Context`). */
export class Context {
  /** @internal */ _vars: Map<AnyVar, unknown>;
  /** @internal the map is shared with another context: copy before writing. */ _shared = false;
  /** @internal */ _entered = false;

  constructor() {
    this._vars = new Map();
  }

  /** Runs `fn(...args)` with this context current and returns its result. */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    if (this._entered) {
      throw new RuntimeError(`cannot enter context: ${this[customRepr]()} is already entered`);
    }
    const prev = state.current;
    this._entered = true;
    state.current = this;
    state.depth++;
    try {
      return fn(...args);
    } finally {
      state.depth--;
      state.current = prev;
      this._entered = false;
    }
  }

  /** @internal `run` for the loop's hot path: the arguments come as one array (no spread). */
  _runArgs(fn: (...args: unknown[]) => unknown, args: unknown[]): unknown {
    if (this._entered) {
      throw new RuntimeError(`cannot enter context: ${this[customRepr]()} is already entered`);
    }
    const prev = state.current;
    this._entered = true;
    state.current = this;
    state.depth++;
    try {
      return fn.apply(undefined, args);
    } finally {
      state.depth--;
      state.current = prev;
      this._entered = false;
    }
  }

  /** A shallow copy (Python's `Context.copy()`). */
  copy(): Context {
    const c = new Context();
    c._vars = this._vars;
    c._shared = true;
    this._shared = true;
    return c;
  }

  get<T>(variable: ContextVar<T>, defaultValue?: T): T | undefined {
    return this._vars.has(variable) ? (this._vars.get(variable) as T) : defaultValue;
  }

  has(variable: AnyVar): boolean {
    return this._vars.has(variable);
  }

  get size(): number {
    return this._vars.size;
  }

  keys(): IterableIterator<AnyVar> {
    return this._vars.keys();
  }

  values(): IterableIterator<unknown> {
    return this._vars.values();
  }

  entries(): IterableIterator<[AnyVar, unknown]> {
    return this._vars.entries();
  }

  [Symbol.iterator](): IterableIterator<AnyVar> {
    return this._vars.keys();
  }

  /** @internal */
  _write(variable: AnyVar, value: unknown, remove: boolean): void {
    if (this._shared) {
      this._vars = new Map(this._vars);
      this._shared = false;
    }
    if (remove) this._vars.delete(variable);
    else this._vars.set(variable, value);
  }

  [customRepr](): string {
    return "<Context object>";
  }

  toString(): string {
    return this[customRepr]();
  }
}

/**
 * Who is current. `depth` counts active `Context.run` frames: inside one, `current` is right.
 * Outside any (code resumed by a promise after a foreign await), the async-task lookup below
 * finds the context of the task the code belongs to.
 */
const state = {
  current: new Context(),
  depth: 0,
  asyncLookup: null as null | (() => Context | undefined),
};

/** @internal Installed by tasks.ts: the context of the async task running this code, if any. */
export function _setAsyncContextLookup(fn: () => Context | undefined): void {
  state.asyncLookup = fn;
}

/** @internal The current context. */
export function _currentContext(): Context {
  if (state.depth === 0 && state.asyncLookup !== null) {
    const c = state.asyncLookup();
    if (c !== undefined) return c;
  }
  return state.current;
}

/** Returns a copy of the current context (Python's `contextvars.copy_context()`). */
export function copyContext(): Context {
  return _currentContext().copy();
}

const MISSING: unique symbol = Symbol("Token.MISSING");

/** Returned by `ContextVar.set()`; pass it to `reset()` to restore the previous value. */
export class Token<T> {
  static readonly MISSING: typeof MISSING = MISSING;
  /** @internal */ _used = false;
  constructor(
    readonly var_: ContextVar<T>,
    readonly oldValue: T | typeof MISSING,
    /** @internal */ readonly _ctx: Context,
  ) {}
  /** Python's `Token.var`. */
  get var(): ContextVar<T> {
    return this.var_;
  }
  [customRepr](): string {
    return `<Token${this._used ? " used" : ""} var=${this.var_[customRepr]()}>`;
  }
}

const NO_DEFAULT: unique symbol = Symbol("no default");

// ---- variables by name (for asyncio-ts/concurrent: toThread carries values to a worker) ----

const byName = new Map<string, WeakRef<AnyVar>[]>();

function registerVar(v: AnyVar): void {
  const refs = byName.get(v.name);
  if (refs === undefined) byName.set(v.name, [new WeakRef(v)]);
  else refs.push(new WeakRef(v));
}

/** @internal This thread's only live variable called `name`, or undefined (none, or several). */
export function _contextVarNamed(name: string): AnyVar | undefined {
  const refs = byName.get(name);
  if (refs === undefined) return undefined;
  const live = refs.filter((r) => r.deref() !== undefined);
  if (live.length !== refs.length) byName.set(name, live);
  return live.length === 1 ? live[0]!.deref() : undefined;
}

/** A context variable (Python's `contextvars.ContextVar`). */
export class ContextVar<T> {
  readonly name: string;
  private readonly _default: T | typeof NO_DEFAULT;

  constructor(name: string, options?: { default?: T }) {
    if (typeof name !== "string") throw new TypeError("context variable name must be a str");
    this.name = name;
    this._default =
      options !== undefined && "default" in options ? (options.default as T) : NO_DEFAULT;
    registerVar(this);
  }

  /**
   * The value in the current context; else `defaultValue` if given; else the variable's
   * default; else throws `LookupError`.
   */
  get(...args: [] | [defaultValue: T]): T {
    const ctx = _currentContext();
    if (ctx._vars.has(this)) return ctx._vars.get(this) as T;
    if (args.length > 0) return args[0] as T;
    if (this._default !== NO_DEFAULT) return this._default;
    throw new LookupError(this[customRepr]());
  }

  /** Sets the value in the current context; returns a token for `reset()`. */
  set(value: T): Token<T> {
    const ctx = _currentContext();
    const old = ctx._vars.has(this) ? (ctx._vars.get(this) as T) : MISSING;
    ctx._write(this, value, false);
    return new Token(this, old, ctx);
  }

  /** Restores the value the variable had before the `set()` that returned `token`. */
  reset(token: Token<T>): void {
    if (!(token instanceof Token)) {
      throw new TypeError(`expected an instance of Token, got ${pyRepr(token)}`);
    }
    if (token._used) throw new RuntimeError(`${token[customRepr]()} has already been used once`);
    if (token.var_ !== this) {
      throw new ValueError(`${token[customRepr]()} was created by a different ContextVar`);
    }
    const ctx = _currentContext();
    if (token._ctx !== ctx) {
      throw new ValueError(`${token[customRepr]()} was created in a different Context`);
    }
    token._used = true;
    if (token.oldValue === MISSING) ctx._write(this, undefined, true);
    else ctx._write(this, token.oldValue, false);
  }

  [customRepr](): string {
    const d = this._default === NO_DEFAULT ? "" : ` default=${pyRepr(this._default)}`;
    return `<ContextVar name='${this.name}'${d}>`;
  }

  toString(): string {
    return this[customRepr]();
  }
}
