/**
 * asyncio's exception classes, with Python's names and messages.
 *
 * Python distinguishes `BaseException` from `Exception`; JavaScript has only `Error`. The classes
 * that are BaseException-but-not-Exception in Python (`CancelledError`, `KeyboardInterrupt`,
 * `SystemExit`) are listed by {@link isBaseExceptionOnly}, which the library consults wherever
 * CPython catches `Exception` rather than `BaseException`.
 */
import { keepClassNames, pyRepr, pyStr, pyTruthy, pyTypeName, strIsArgRepr } from "./format.ts";

/**
 * Python's `args` tuple, so `e.args` reads as in Python; `()` and `('',)` are frozen arrays shared
 * by all (a CancelledError per cancelled task is common enough for the allocation to count).
 */
function initArgs(err: Error & { args: unknown[] }, args: unknown[]): void {
  err.args = args.length === 0 ? NO_ARGS : args.length === 1 && args[0] === "" ? EMPTY_ARGS : args;
}

const NO_ARGS: unknown[] = Object.freeze([]) as unknown as unknown[];
/** `('',)`: what `gather(..., return_exceptions=True)` gives each cancelled child's error. */
const EMPTY_ARGS: unknown[] = Object.freeze([""]) as unknown as unknown[];

/**
 * Gives each class its Python name on its prototype, as `Error.prototype.name` is, rather than
 * an own property of every instance: one property store less per error (and the error's
 * properties then fit in the object). A user's subclass (`class MyErr extends ValueError`) is
 * named by its own class, as Python's `type(e).__name__` (JavaScript would inherit
 * "ValueError"); assigning `name` still gives the instance its own.
 */
function nameClasses(classes: Record<string, abstract new (...a: never[]) => Error>): void {
  keepClassNames(classes);
  for (const [name, cls] of Object.entries(classes)) {
    Object.defineProperty(cls.prototype, "name", {
      get(this: Error): string {
        const c = this.constructor;
        return c === cls || typeof c !== "function" || c.name === "" ? name : c.name;
      },
      set(this: Error, value: unknown) {
        Object.defineProperty(this, "name", { value, writable: true, configurable: true });
      },
      configurable: true,
    });
  }
}

/** Python's `str(exc)`: its one argument's `str()`, or the `repr()` of its arguments' tuple. */
function messageOf(args: unknown[]): string {
  if (args.length === 0) return "";
  try {
    if (args.length === 1) {
      const a = args[0];
      return typeof a === "string" ? a : pyStr(a);
    }
    return `(${args.map((a) => pyRepr(a)).join(", ")})`;
  } catch {
    // CPython converts the args only when the error is printed, and prints this then.
    return "<exception str() failed>";
  }
}

/** The operation was cancelled (Python: `asyncio.CancelledError`, a BaseException). */
export class CancelledError extends Error {
  declare args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    initArgs(this, args);
  }
}

/**
 * @internal A stackless CancelledError with args `()` (`msg` undefined) or `('',)` (`msg` ""), as
 * mass cancellation makes them. Built by the Error constructor with CancelledError's prototype
 * and no message argument, so V8 skips storing an own `message` (the inherited "" reads the
 * same): a third of what `new CancelledError()` costs. The caller turns off stack capture.
 */
export function _plainCancelledError(msg: "" | undefined): CancelledError {
  const e = Reflect.construct(Error, NO_ARGS, CancelledError) as CancelledError;
  e.args = msg === undefined ? NO_ARGS : EMPTY_ARGS;
  return e;
}

/** Python: `asyncio.InvalidStateError`. */
export class InvalidStateError extends Error {
  declare args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    initArgs(this, args);
  }
}

function osMessage(args: unknown[], filename: unknown): string {
  if (args.length >= 2 && typeof args[0] === "number") {
    const base = `[Errno ${args[0]}] ${String(args[1])}`;
    return filename === undefined || filename === null ? base : `${base}: ${pyRepr(filename)}`;
  }
  if (args.length === 0) return "";
  if (args.length === 1) return String(args[0]);
  return `(${args.map((a) => pyRepr(a)).join(", ")})`;
}

/**
 * @internal errno → the subclass `OSError(errno, strerror)` builds in Python (`OSError(2, "x")`
 * is a FileNotFoundError); os_errors.ts, which defines the subclasses, fills it.
 */
export const _errnoSubclasses = new Map<number, new (...args: unknown[]) => OSError>();

/** Python's built-in `OSError` (`errno`, `strerror`, `filename`). */
export class OSError extends Error {
  args: unknown[];
  errno: number | null = null;
  strerror: string | null = null;
  filename: unknown = null;

  constructor(...args: unknown[]) {
    const sub =
      new.target === OSError && args.length >= 2 && typeof args[0] === "number"
        ? _errnoSubclasses.get(args[0])
        : undefined;
    let filename: unknown;
    if (args.length === 3 && typeof args[0] === "number") {
      filename = args[2];
      args = args.slice(0, 2);
    }
    super(osMessage(args, filename));
    this.args = args;
    if (args.length >= 2 && typeof args[0] === "number") {
      this.errno = args[0];
      this.strerror = String(args[1]);
      if (filename !== undefined) this.filename = filename;
    }
    this.name = new.target.name;
    // biome-ignore lint/correctness/noConstructorReturn: Python's OSError.__new__ picks the subclass
    if (sub !== undefined) return new sub(...(filename !== undefined ? [...args, filename] : args));
  }
}

/**
 * Python's built-in `TimeoutError` (which `asyncio.TimeoutError` is, since 3.11): an `OSError`,
 * as in Python, so `TimeoutError(110, 'Connection timed out')` has its errno.
 */
export class TimeoutError extends OSError {}

/** Python's built-in `RuntimeError`. */
export class RuntimeError extends Error {
  declare args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    initArgs(this, args);
  }
}

/** Python's built-in `ValueError`. */
export class ValueError extends Error {
  declare args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    initArgs(this, args);
  }

  /**
   * Python's multiple inheritance, where a class is also a ValueError
   * (`ssl.SSLCertVerificationError(SSLError, ValueError)`): see {@link _alsoValueError}.
   */
  static override [Symbol.hasInstance](v: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof asks about (a subclass too)
    if (Function.prototype[Symbol.hasInstance].call(this, v)) return true;
    // biome-ignore lint/complexity/noThisInStatic: only ValueError itself has the extra classes
    return this === ValueError && alsoValueError.some((cls) => v instanceof cls);
  }
}

const alsoValueError: (abstract new (...a: never[]) => unknown)[] = [];

/** @internal Makes `instanceof ValueError` true for instances of `cls` too. */
export function _alsoValueError(cls: abstract new (...a: never[]) => unknown): void {
  alsoValueError.push(cls);
}

/**
 * Python's built-in `OverflowError` (an ArithmeticError): raised, as by CPython's socket
 * module, for a port outside 0-65535 given to `connect()`/`bind()`.
 */
export class OverflowError extends Error {
  declare args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    initArgs(this, args);
  }
}

/**
 * Python's built-in `LookupError`, the base of `KeyError` and `IndexError`: a context variable
 * with no value and no default was read (its one argument is the variable).
 */
export class LookupError extends Error {
  declare args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    initArgs(this, args);
  }
}

/**
 * Python's built-in `IndexError` (a LookupError): what CPython's `create_unix_server` raises
 * for an empty path (it reads `path[0]`).
 */
export class IndexError extends LookupError {
  declare args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    initArgs(this, args);
  }
}

/**
 * Python's built-in `KeyError` (a LookupError): what Popen raises (from `pwd.getpwnam` /
 * `grp.getgrnam`) for a `user` or `group` name that does not exist. As in Python, its `str()`
 * (and `message`) is the `repr()` of its one argument.
 */
export class KeyError extends LookupError {
  declare args: unknown[];
  constructor(...args: unknown[]) {
    super(args.length === 1 ? pyRepr(args[0]) : messageOf(args));
    initArgs(this, args);
  }
}
Object.defineProperty(KeyError.prototype, strIsArgRepr, { value: true });

/** Python's `KeyboardInterrupt` (a BaseException): raised by `run()` after Ctrl-C. */
export class KeyboardInterrupt extends Error {
  declare args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    initArgs(this, args);
  }
}

/** Python's `SystemExit` (a BaseException): escapes the event loop like KeyboardInterrupt. */
export class SystemExit extends Error {
  declare args: unknown[];
  /** The exit status: the one argument, null for none, the arguments array for several. */
  code: unknown;
  constructor(...args: unknown[]) {
    super(messageOf(args));
    initArgs(this, args);
    this.code = args.length === 0 ? null : args.length === 1 ? args[0] : this.args;
  }
}

/** Python's built-in `EOFError` (the base of IncompleteReadError). */
export class EOFError extends Error {
  declare args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    initArgs(this, args);
  }
}

/** Python: `asyncio.IncompleteReadError` (an EOFError): EOF came before `expected` bytes. */
export class IncompleteReadError extends EOFError {
  readonly partial: Uint8Array;
  readonly expected: number | null;
  constructor(partial: Uint8Array, expected: number | null) {
    const r = expected === null ? "undefined" : pyStr(expected);
    super(`${partial.length} bytes read on a total of ${r} expected bytes`);
    this.args = [this.message];
    this.partial = partial;
    this.expected = expected;
  }
}

/** Python: `asyncio.LimitOverrunError`: the separator was not found within the buffer limit. */
export class LimitOverrunError extends Error {
  args: unknown[];
  readonly consumed: number;
  constructor(message: string, consumed: number) {
    super(message);
    // CPython passes only the message to Exception.__init__: args == (message,).
    this.args = [message];
    this.consumed = consumed;
  }
}

/** Python: `asyncio.QueueEmpty`, raised by `getNowait()` on an empty queue. */
export class QueueEmpty extends Error {
  declare args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    initArgs(this, args);
  }
}

/** Python: `asyncio.QueueFull`, raised by `putNowait()` on a full queue. */
export class QueueFull extends Error {
  declare args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    initArgs(this, args);
  }
}

/** Python 3.13: `asyncio.QueueShutDown`, raised by a queue after `shutdown()`. */
export class QueueShutDown extends Error {
  declare args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    initArgs(this, args);
  }
}

/** Python: `asyncio.BrokenBarrierError` (a RuntimeError). */
export class BrokenBarrierError extends RuntimeError {}

/** Python: `asyncio.SendfileNotAvailableError` (a RuntimeError). */
export class SendfileNotAvailableError extends RuntimeError {}

/** True for errors that are BaseException but not Exception in Python. */
export function isBaseExceptionOnly(e: unknown): boolean {
  return (
    e instanceof CancelledError ||
    e instanceof KeyboardInterrupt ||
    e instanceof SystemExit ||
    (e instanceof BaseExceptionGroup && !(e instanceof ExceptionGroup))
  );
}

/**
 * @internal What the library keeps of a thrown value: the value, unless it cannot even be
 * tested with `instanceof` (a revoked Proxy), whose TypeError then stands for it.
 */
export function _usableThrown(e: unknown): unknown {
  if ((typeof e !== "object" && typeof e !== "function") || e === null) return e;
  try {
    Reflect.getPrototypeOf(e);
    return e;
  } catch (err) {
    return err;
  }
}

/** KeyboardInterrupt and SystemExit escape the event loop (CPython re-raises them). */
export function isExitException(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  try {
    return e instanceof KeyboardInterrupt || e instanceof SystemExit;
  } catch {
    return false; // a revoked Proxy
  }
}

type ErrorClass = abstract new (...a: never[]) => unknown;
/** What `split`/`subgroup` take: a predicate, an error class, or a list of classes (Python's tuple). */
type Matcher = ((e: unknown) => boolean) | ErrorClass | readonly ErrorClass[];

const BAD_MATCHER =
  "expected an exception type, a tuple of exception types, or a callable (other than a class)";

/** An error class (Python's exception type): `Error` or a class derived from it. */
function isErrorClass(m: unknown): m is ErrorClass {
  return (
    typeof m === "function" &&
    (m === Error || (typeof m.prototype === "object" && m.prototype instanceof Error))
  );
}

/** A class (Python's `type`), as opposed to a plain function: `class` syntax or a built-in constructor. */
function isClass(fn: (...a: never[]) => unknown): boolean {
  const src = Function.prototype.toString.call(fn);
  return (
    /^class[\s{]/.test(src) || (src.endsWith("{ [native code] }") && fn.prototype !== undefined)
  );
}

/**
 * CPython's `get_matcher_type` and its match: an error class, a list of them (Python's tuple),
 * or a function that is not a class (a predicate, called with each error); anything else is
 * CPython's TypeError.
 */
function toPredicate(m: Matcher): (e: unknown) => boolean {
  if (Array.isArray(m)) {
    if (!m.every(isErrorClass)) throw new TypeError(BAD_MATCHER);
    const classes = m as readonly ErrorClass[];
    return (e) => classes.some((cls) => e instanceof cls);
  }
  if (isErrorClass(m)) return (e) => e instanceof m;
  if (typeof m === "function" && !isClass(m as (...a: never[]) => unknown)) {
    return (e) => pyTruthy((m as (e: unknown) => unknown)(e));
  }
  throw new TypeError(BAD_MATCHER);
}

/**
 * CPython's `exceptiongroup_split_recursive`: `exc` whole if it matches; else, for a group,
 * its members split in turn (never through their own `split`), each part rebuilt with the
 * group's `derive()`; the rest only when `constructRest`.
 */
function splitRecursive(
  exc: unknown,
  pred: (e: unknown) => boolean,
  constructRest: boolean,
): [unknown, unknown] {
  if (pred(exc)) return [exc, null];
  if (!(exc instanceof BaseExceptionGroup)) return [null, constructRest ? exc : null];
  const yes: unknown[] = [];
  const no: unknown[] = [];
  for (const e of exc.exceptions) {
    const [m, r] = splitRecursive(e, pred, constructRest);
    if (m !== null) yes.push(m);
    if (r !== null) no.push(r);
  }
  return [subset(exc, yes), constructRest ? subset(exc, no) : null];
}

/** CPython's `exceptiongroup_subset`: `derive(excs)`, checked, with the group's cause. */
function subset(orig: BaseExceptionGroup<unknown>, excs: unknown[]): unknown {
  if (excs.length === 0) return null;
  // The members were accepted into `orig` (a TaskGroup's may be thrown non-Errors).
  const trusted = trustedMembers;
  trustedMembers = true;
  let g: unknown;
  try {
    g = orig.derive(excs);
  } finally {
    trustedMembers = trusted;
  }
  if (!(g instanceof BaseExceptionGroup)) {
    throw new TypeError("derive must return an instance of BaseExceptionGroup");
  }
  if (Object.hasOwn(orig, "cause")) (g as { cause?: unknown }).cause = orig.cause;
  return g;
}

function checkArity(method: string, given: number): void {
  if (given !== 1) {
    throw new TypeError(
      `BaseExceptionGroup.${method}() takes exactly one argument (${given} given)`,
    );
  }
}

/**
 * Python's `BaseExceptionGroup`: a named group of errors. Use {@link ExceptionGroup} when every
 * member is an ordinary error; the constructor picks the right class as Python does. `E` types
 * the members (as typeshed's `BaseExceptionGroup[E]`): a member is an `E` or a nested group of
 * them; `split(SomeError)` gives a group of `SomeError`s and one of the rest.
 */
export class BaseExceptionGroup<E = unknown> extends AggregateError {
  /**
   * (types only) `e instanceof BaseExceptionGroup` narrows to `BaseExceptionGroup<unknown>`, not
   * `<any>`; `e instanceof MyGroup` (a subclass of one's own) to `MyGroup`.
   */
  declare static [Symbol.hasInstance]: <C extends abstract new (...args: never) => unknown>(
    this: C,
    v: unknown,
  ) => v is typeof BaseExceptionGroup extends C ? BaseExceptionGroup<unknown> : InstanceType<C>;
  readonly exceptions!: readonly (E | BaseExceptionGroup<E>)[];
  readonly args!: unknown[];
  // biome-ignore lint/correctness/noUnreachableSuper: as Python's __new__, it may return an ExceptionGroup instead
  constructor(message: string, exceptions: readonly (E | BaseExceptionGroup<E>)[]) {
    // biome-ignore lint/complexity/noArguments: Python's count of the arguments given
    if (arguments.length !== 2) {
      throw new TypeError(
        // biome-ignore lint/complexity/noArguments: (as above)
        `BaseExceptionGroup.__new__() takes exactly 2 arguments (${arguments.length} given)`,
      );
    }
    // Python's BaseExceptionGroup.__new__: a group of ordinary errors is an ExceptionGroup.
    if (
      new.target === BaseExceptionGroup &&
      typeof message === "string" &&
      Array.isArray(exceptions) &&
      exceptions.length > 0 &&
      !exceptions.some(isBaseExceptionOnly)
    ) {
      // biome-ignore lint/correctness/noConstructorReturn: Python's __new__ picks the class
      return new ExceptionGroup<E>(message, exceptions);
    }
    if (typeof message !== "string") {
      throw new TypeError(
        `BaseExceptionGroup.__new__() argument 1 must be str, not ${message === null || message === undefined ? "None" : pyTypeName(message)}`,
      );
    }
    if (!Array.isArray(exceptions)) {
      throw new TypeError("second argument (exceptions) must be a sequence");
    }
    if (exceptions.length === 0) {
      throw new ValueError("second argument (exceptions) must be a non-empty sequence");
    }
    if (!trustedMembers) {
      const i = exceptions.findIndex((e) => !(e instanceof Error));
      if (i >= 0)
        throw new ValueError(`Item ${i} of second argument (exceptions) is not an exception`);
    }
    super(exceptions, message);
    // Read-only, as Python's (an assignment is JavaScript's TypeError: AttributeError there).
    Object.defineProperty(this, "message", { value: message, writable: false });
    Object.defineProperty(this, "exceptions", {
      value: Object.freeze([...exceptions]),
      writable: false,
      enumerable: true,
    });
    this.args = [message, this.exceptions];
    // A subclass's instances show its own name, as in Python.
    this.name = new.target.name;
  }

  /** Python's `str(eg)`: `'msg (2 sub-exceptions)'`. */
  override toString(): string {
    const n = this.exceptions.length;
    return `${this.message} (${n} sub-exception${n === 1 ? "" : "s"})`;
  }

  /** A new group of the same message holding `exceptions` (Python's `derive`). */
  derive<F>(exceptions: (F | BaseExceptionGroup<F>)[]): BaseExceptionGroup<F> {
    // biome-ignore lint/complexity/noArguments: Python's count of the arguments given
    checkArity("derive", arguments.length);
    return makeGroup(this.message, exceptions);
  }

  /** The sub-group whose leaves match, or null (Python's `subgroup`). */
  // (The predicate forms come first: an arrow function then gets its parameter's type.)
  subgroup<M>(match: (e: unknown) => e is M): BaseExceptionGroup<M> | null;
  subgroup(match: (e: unknown) => boolean): BaseExceptionGroup<E> | null;
  subgroup<M>(match: abstract new (...a: never[]) => M): BaseExceptionGroup<M> | null;
  subgroup(match: Matcher): BaseExceptionGroup<E> | null;
  subgroup(match: Matcher): BaseExceptionGroup<unknown> | null {
    // biome-ignore lint/complexity/noArguments: Python's count of the arguments given
    checkArity("subgroup", arguments.length);
    return splitRecursive(this, toPredicate(match), false)[0] as BaseExceptionGroup<unknown> | null;
  }

  /** `[matching, rest]`, each a group or null, keeping the nesting (Python's `split`). */
  split<M>(
    match: (e: unknown) => e is M,
  ): [BaseExceptionGroup<M> | null, BaseExceptionGroup<E> | null];
  split(
    match: (e: unknown) => boolean,
  ): [BaseExceptionGroup<E> | null, BaseExceptionGroup<E> | null];
  split<M>(
    match: abstract new (...a: never[]) => M,
  ): [BaseExceptionGroup<M> | null, BaseExceptionGroup<E> | null];
  split(match: Matcher): [BaseExceptionGroup<E> | null, BaseExceptionGroup<E> | null];
  split(match: Matcher): [BaseExceptionGroup<unknown> | null, BaseExceptionGroup<unknown> | null] {
    // biome-ignore lint/complexity/noArguments: Python's count of the arguments given
    checkArity("split", arguments.length);
    return splitRecursive(this, toPredicate(match), true) as [
      BaseExceptionGroup<unknown> | null,
      BaseExceptionGroup<unknown> | null,
    ];
  }
}

/** Python's `ExceptionGroup`: a group of ordinary (non-BaseException-only) errors. */
export class ExceptionGroup<E = unknown> extends BaseExceptionGroup<E> {
  /** (types only) as {@link BaseExceptionGroup}'s: `ExceptionGroup<unknown>`, or the subclass */
  declare static [Symbol.hasInstance]: <C extends abstract new (...args: never) => unknown>(
    this: C,
    v: unknown,
  ) => v is typeof ExceptionGroup extends C ? ExceptionGroup<unknown> : InstanceType<C>;
  constructor(message: string, exceptions: readonly (E | BaseExceptionGroup<E>)[]) {
    // biome-ignore lint/complexity/noArguments: Python's count of the arguments given
    const given = arguments.length;
    if (given !== 2) {
      throw new TypeError(
        `BaseExceptionGroup.__new__() takes exactly 2 arguments (${given} given)`,
      );
    }
    super(message, exceptions);
    for (const e of this.exceptions) {
      if (isBaseExceptionOnly(e)) {
        const where = new.target === ExceptionGroup ? "an ExceptionGroup" : `'${new.target.name}'`;
        throw new TypeError(`Cannot nest BaseExceptions in ${where}`);
      }
    }
  }
  override derive<F>(exceptions: (F | BaseExceptionGroup<F>)[]): BaseExceptionGroup<F> {
    // biome-ignore lint/complexity/noArguments: Python's count of the arguments given
    checkArity("derive", arguments.length);
    return makeGroup(this.message, exceptions);
  }
}

/** Set while a group is built of what tasks raised: in JavaScript any value can be thrown. */
let trustedMembers = false;

/**
 * @internal A group of the errors tasks raised (a TaskGroup's): as {@link makeGroup}, but a
 * member that is not an Error (an `async` function can throw anything) is let through.
 */
export function _groupOfTaskErrors<E>(message: string, errors: E[]): BaseExceptionGroup<E> {
  trustedMembers = true;
  try {
    return makeGroup(message, errors);
  } finally {
    trustedMembers = false;
  }
}

/** Build an ExceptionGroup if every member is an ordinary error, else a BaseExceptionGroup. */
export function makeGroup<E>(
  message: string,
  exceptions: (E | BaseExceptionGroup<E>)[],
): BaseExceptionGroup<E> {
  return Array.isArray(exceptions) && exceptions.some(isBaseExceptionOnly)
    ? new BaseExceptionGroup<E>(message, exceptions)
    : new ExceptionGroup<E>(message, exceptions);
}

/** Python's `NotImplementedError` (a RuntimeError): an abstract method was called. */
export class NotImplementedError extends RuntimeError {}

/**
 * @internal Python's `AssertionError`: what CPython's `assert` statements raise, for the checks
 * asyncio makes with them (`assert isinstance(data, bytes...), repr(data)` in a pipe's write).
 * Not exported from the package: it is no asyncio name.
 */
export class AssertionError extends Error {
  declare args: unknown[];
  constructor(...args: unknown[]) {
    super(messageOf(args));
    initArgs(this, args);
  }
}

nameClasses({
  CancelledError,
  InvalidStateError,
  RuntimeError,
  ValueError,
  OverflowError,
  LookupError,
  IndexError,
  KeyError,
  KeyboardInterrupt,
  SystemExit,
  EOFError,
  IncompleteReadError,
  LimitOverrunError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  BrokenBarrierError,
  SendfileNotAvailableError,
  NotImplementedError,
  AssertionError,
});

keepClassNames({ OSError, TimeoutError, BaseExceptionGroup, ExceptionGroup });
