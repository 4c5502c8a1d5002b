/**
 * Python's `contextvars`: `ContextVar`, `Token`, `Context`, `copyContext()`.
 *
 * A Context maps variables to values. Exactly one context is current at a time; `ctx.run(fn)`
 * makes `ctx` current while `fn` runs. Tasks run each step in their own context and callbacks in
 * the context they were scheduled in, so values never leak between tasks. Copies are cheap:
 * a copy shares its parent's map until one of them is written (copy on write), which keeps
 * `createTask` (one copy per task) fast.
 */
import { LookupError, RuntimeError, ValueError } from "./exceptions.ts";
import { customRepr, libraryClasses, pyRepr } from "./format.ts";

// biome-ignore lint/suspicious/noExplicitAny: variables of any value type share one map
type AnyVar = ContextVar<any>;

/**
 * @internal Something that runs in a context of its own: a Task, a Handle. Its `_context` may
 * be a frozen snapshot shared with others until it writes (see {@link Context._snapshot}).
 */
export interface ContextOwner {
  _context: Context;
  /** Told when its frozen snapshot was replaced by a private copy. */
  _ownContextMade?(context: Context): void;
  /** True while its code runs outside a Context.run (an async task's window). */
  _contextEntered?(): boolean;
}

/** A mapping of context variables to values (Python's `contextvars.Context`). */
export class Context {
  /** @internal */ _vars: Map<AnyVar, unknown>;
  /** @internal the map is shared with another context: copy before writing. */ _shared = false;
  /** @internal */ _entered = false;
  /** @internal the context of an async task whose code runs now (see Task._openWindow) */
  _inWindow = false;
  /**
   * @internal A frozen snapshot: one immutable copy that many owners (tasks, handles) share,
   * as if each had its own copy. It never reaches user code: an owner that writes a variable,
   * or hands its context out, gets a private copy first (see {@link _ownContext}).
   */
  _frozen = false;
  /** @internal the cached frozen snapshot of this context's current values, or null */
  _snap: Context | null = null;

  constructor() {
    this._vars = new Map();
  }

  /** Runs `fn(...args)` with this context current and returns its result. */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    // A frozen snapshot that got out anyway runs as the private copy it stands for.
    if (this._frozen) return this.copy().run(fn, ...args);
    if (this._inWindow) this._alreadyEntered();
    const prev = this._enter();
    try {
      return fn(...args);
    } finally {
      this._leave(prev);
    }
  }

  /**
   * @internal `run` for the loop's hot path, on behalf of `owner` (whose `_context` this is):
   * the arguments come as one array (no spread). `_run1` and `_run2` are the same for one and
   * two arguments, with no array; each calls `fn` itself, so that every call site keeps one
   * shape (a shared runner deoptimizes when a new shape first shows up).
   */
  _runArgs(owner: ContextOwner, fn: (...args: unknown[]) => unknown, args: unknown[]): unknown {
    const frozen = this._frozen;
    const prev = frozen ? this._enterFrozen(owner) : this._enter();
    try {
      return fn.apply(undefined, args);
    } finally {
      if (frozen) this._leaveFrozen(owner, prev);
      else this._leave(prev);
    }
  }

  /** @internal `_runArgs` for `fn(a)` (a done callback). */
  _run1<A>(owner: ContextOwner, fn: (a: A) => unknown, a: A): unknown {
    const frozen = this._frozen;
    const prev = frozen ? this._enterFrozen(owner) : this._enter();
    try {
      return fn(a);
    } finally {
      if (frozen) this._leaveFrozen(owner, prev);
      else this._leave(prev);
    }
  }

  /** @internal `_runArgs` for `fn(a, b)` (a task step). */
  _run2<A, B>(owner: ContextOwner, fn: (a: A, b: B) => unknown, a: A, b: B): unknown {
    const frozen = this._frozen;
    const prev = frozen ? this._enterFrozen(owner) : this._enter();
    try {
      return fn(a, b);
    } finally {
      if (frozen) this._leaveFrozen(owner, prev);
      else this._leave(prev);
    }
  }

  /**
   * @internal Throws what entering this context would (`run`): it is entered, or it is the
   * context of an `async` task whose code runs between two awaits. A frozen snapshot is never
   * entered.
   */
  _checkEnterable(): void {
    if (!this._frozen && (this._entered || this._inWindow)) this._alreadyEntered();
  }

  private _alreadyEntered(): never {
    throw new RuntimeError(`cannot enter context: ${this[customRepr]()} is already entered`);
  }

  /** Makes this (not frozen) context current; returns the context to restore. */
  private _enter(): Context {
    if (this._entered) this._alreadyEntered();
    const prev = state.current;
    this._entered = true;
    state.current = this;
    state.depth++;
    return prev;
  }

  private _leave(prev: Context): void {
    state.depth--;
    state.current = prev;
    this._entered = false;
  }

  /**
   * Makes this frozen snapshot current for `owner`; returns the context to restore. A snapshot
   * is never "entered" (each owner has its own copy in principle); if the owner gets its private
   * copy during the run, that copy is entered until the run ends (see {@link _leaveFrozen}).
   */
  private _enterFrozen(owner: ContextOwner): Context {
    const prev = state.current;
    state.current = this;
    owners.push(owner);
    state.depth++;
    return prev;
  }

  private _leaveFrozen(owner: ContextOwner, prev: Context): void {
    state.depth--;
    owners.pop();
    state.current = prev;
    const own = owner._context;
    if (own !== this) own._entered = false;
  }

  /**
   * @internal An immutable copy of this context's current values, shared by every caller until
   * this context is written (Python copies the context per task and per callback; sharing one
   * frozen copy is indistinguishable and allocates nothing).
   */
  _snapshot(): Context {
    if (this._frozen) return this;
    let s = this._snap;
    if (s === null) s = this._snap = this._newSnapshot();
    return s;
  }

  /** @internal A new frozen snapshot of this context (see {@link _snapshot}). */
  _newSnapshot(): Context {
    const s = new Context();
    s._vars = this._vars;
    s._shared = true;
    s._frozen = true;
    this._shared = true;
    return s;
  }

  /** A shallow copy (Python's `Context.copy()`). */
  copy(): Context {
    const c = new Context();
    c._vars = this._vars;
    c._shared = true;
    this._shared = true;
    return c;
  }

  get<T, D = undefined>(variable: ContextVar<T>, defaultValue?: D): T | D {
    checkKey(variable);
    return this._vars.has(variable) ? (this._vars.get(variable) as T) : (defaultValue as D);
  }

  has(variable: AnyVar): boolean {
    checkKey(variable);
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
    this._snap = null;
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
 * finds the task the code belongs to, whose context is current.
 */
const state = {
  current: new Context(),
  depth: 0,
  asyncLookup: null as null | (() => ContextOwner | undefined),
};

/** The owners of the frozen snapshots being run (see Context._enterFrozen), innermost last. */
const owners: ContextOwner[] = [];

/** @internal Installed by tasks.ts: the async task running this code, if any. */
export function _setAsyncContextLookup(fn: () => ContextOwner | undefined): void {
  state.asyncLookup = fn;
}

/** @internal The current context (possibly a frozen snapshot: read it, do not write it). */
export function _currentContext(): Context {
  if (state.depth === 0 && state.asyncLookup !== null) {
    const o = state.asyncLookup();
    if (o !== undefined) return o._context;
  }
  const c = state.current;
  if (c._frozen && owners.length > 0) {
    // Its owner may have got its private copy meanwhile (in a nested frame): that is current.
    const own = owners[owners.length - 1]!._context;
    if (own !== c) state.current = own;
    return own;
  }
  return c;
}

/** The current context, made private to its owner first if it is a frozen snapshot. */
function writableContext(): Context {
  if (state.depth === 0 && state.asyncLookup !== null) {
    const o = state.asyncLookup();
    if (o !== undefined) return _ownContext(o);
  }
  const c = _currentContext();
  return c._frozen && owners.length > 0 ? _ownContext(owners[owners.length - 1]!) : c;
}

/**
 * @internal `owner`'s own context: a frozen snapshot is replaced by a private copy (entered,
 * and current, if the owner is running). For `getContext()` and before any write.
 */
export function _ownContext(owner: ContextOwner): Context {
  const s = owner._context;
  if (!s._frozen) return s;
  const c = s.copy();
  owner._context = c;
  owner._ownContextMade?.(c);
  if (owner._contextEntered?.() === true) c._inWindow = true;
  if (owners.includes(owner)) {
    c._entered = true;
    // Only the innermost owner's frame has `s` current for itself (an eager task shares its
    // creator's snapshot): an outer owner's copy becomes current when its own frame resumes
    // (see _currentContext).
    if (state.current === s && owners[owners.length - 1] === owner) state.current = c;
  }
  return c;
}

/** Returns a copy of the current context (Python's `contextvars.copy_context()`). */
export function copyContext(): Context {
  const c = _currentContext().copy();
  // Its snapshot is made now, outside the hot paths (callSoon, new Task) that would otherwise
  // make it at their first call in this context: asyncio.run() copies a context per run, and a
  // path first taken in a new run deoptimizes the optimised code of those hot functions.
  c._snap = c._newSnapshot();
  return c;
}

/** The type of `Token.MISSING`: one object, whose repr is Python's `<Token.MISSING>`. */
class TokenMissing {
  [customRepr](): string {
    return "<Token.MISSING>";
  }
  toString(): string {
    return "<Token.MISSING>";
  }
}
const MISSING: TokenMissing = Object.freeze(new TokenMissing());
const TOKEN_KEY: unique symbol = Symbol("Token");

/** Returned by `ContextVar.set()`; pass it to `reset()` to restore the previous value. */
export class Token<T> {
  static readonly MISSING: typeof MISSING = MISSING;
  /** @internal */ _used = false;
  /** @internal */ readonly _var: ContextVar<T>;
  /** @internal */ readonly _old: T | typeof MISSING;
  /** @internal */ readonly _ctx: Context;
  /** Only `ContextVar.set()` makes tokens (`RuntimeError` otherwise, as in CPython). */
  constructor(key: typeof TOKEN_KEY, v: ContextVar<T>, oldValue: T | typeof MISSING, ctx: Context) {
    if (key !== TOKEN_KEY) throw new RuntimeError("Tokens can only be created by ContextVars");
    this._var = v;
    this._old = oldValue;
    this._ctx = ctx;
  }
  /** Python's `Token.var` (read-only). */
  get var(): ContextVar<T> {
    return this._var;
  }
  /** The same as `var`. */
  get var_(): ContextVar<T> {
    return this._var;
  }
  /** Python's `Token.old_value` (read-only): the value before `set()`, or `Token.MISSING`. */
  get oldValue(): T | typeof MISSING {
    return this._old;
  }
  [customRepr](): string {
    return `<Token${this._used ? " used" : ""} var=${this._var[customRepr]()}>`;
  }
}

const NO_DEFAULT: unique symbol = Symbol("no default");

// ---- variables by name (for asyncio-ts/concurrent: toThread carries values to a worker) ----

const byName = new Map<string, WeakRef<AnyVar>[]>();

/** The registrations since `byName` was last swept, and when the next sweep is due. */
let registered = 0;
let sweepAt = 1024;

function registerVar(v: AnyVar): void {
  const refs = byName.get(v.name);
  if (refs === undefined) byName.set(v.name, [new WeakRef(v)]);
  else refs.push(new WeakRef(v));
  if (++registered >= sweepAt) sweepVars();
}

/** Drops the variables collected since the last sweep (amortized: sweeps grow with the live). */
function sweepVars(): void {
  let live = 0;
  for (const [name, refs] of byName) {
    const kept = refs.filter((r) => r.deref() !== undefined);
    if (kept.length === 0) byName.delete(name);
    else if (kept.length !== refs.length) byName.set(name, kept);
    live += kept.length;
  }
  registered = 0;
  sweepAt = Math.max(1024, live);
}

/** @internal The names registered (tests: collected variables do not pile up). */
export function _registeredNames(): number {
  return byName.size;
}

/** @internal This thread's only live variable called `name`, or undefined (none, or several). */
export function _contextVarNamed(name: string): AnyVar | undefined {
  const refs = byName.get(name);
  if (refs === undefined) return undefined;
  const live = refs.filter((r) => r.deref() !== undefined);
  if (live.length !== refs.length) byName.set(name, live);
  return live.length === 1 ? live[0]!.deref() : undefined;
}

/** CPython's TypeError for a Context key that is not a ContextVar. */
function checkKey(key: unknown): void {
  if (!(key instanceof ContextVar)) {
    throw new TypeError(`a ContextVar key was expected, got ${pyRepr(key)}`);
  }
}

/** A context variable (Python's `contextvars.ContextVar`). */
export class ContextVar<T> {
  private readonly _name: string;
  private readonly _default: T | typeof NO_DEFAULT;

  constructor(name: string, options?: { default?: T }) {
    if (typeof name !== "string") throw new TypeError("context variable name must be a str");
    this._name = name;
    this._default =
      options !== undefined && "default" in options ? (options.default as T) : NO_DEFAULT;
    registerVar(this);
  }

  /** The variable's name: read-only, as in Python (assigning it throws). */
  get name(): string {
    return this._name;
  }

  /**
   * The value in the current context; else `defaultValue` if given; else the variable's
   * default; else throws `LookupError`.
   */
  get(): T;
  /** Python accepts any default: the result is the variable's type or the default's. */
  get<D>(defaultValue: D): T | D;
  get(...args: [] | [defaultValue: unknown]): unknown {
    const ctx = _currentContext();
    if (ctx._vars.has(this)) return ctx._vars.get(this) as T;
    if (args.length > 0) return args[0] as T;
    if (this._default !== NO_DEFAULT) return this._default;
    // Python's LookupError carries the variable itself (its str is the variable's repr).
    throw new LookupError(this);
  }

  /** Sets the value in the current context; returns a token for `reset()`. */
  set(value: T): Token<T> {
    const ctx = writableContext();
    const old = ctx._vars.has(this) ? (ctx._vars.get(this) as T) : MISSING;
    ctx._write(this, value, false);
    return new Token(TOKEN_KEY, this, old, ctx);
  }

  /** Restores the value the variable had before the `set()` that returned `token`. */
  reset(token: Token<T>): void {
    if (!(token instanceof Token)) {
      throw new TypeError(`expected an instance of Token, got ${pyRepr(token)}`);
    }
    if (token._used) throw new RuntimeError(`${token[customRepr]()} has already been used once`);
    if (token._var !== this) {
      throw new ValueError(`${token[customRepr]()} was created by a different ContextVar`);
    }
    const ctx = writableContext();
    if (token._ctx !== ctx) {
      throw new ValueError(`${token[customRepr]()} was created in a different Context`);
    }
    token._used = true;
    if (token._old === MISSING) ctx._write(this, undefined, true);
    else ctx._write(this, token._old, false);
  }

  [customRepr](): string {
    const d = this._default === NO_DEFAULT ? "" : ` default=${pyRepr(this._default)}`;
    return `<ContextVar name=${pyRepr(this.name)}${d}>`;
  }

  toString(): string {
    return this[customRepr]();
  }
}

libraryClasses(Context, ContextVar);
