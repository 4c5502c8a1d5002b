/**
 * Transports (Python's `asyncio.transports`): the I/O side of a connection.
 *
 * These are the abstract interfaces; the loop creates the concrete transports
 * (`loop.createConnection`, `createServer`, `createDatagramEndpoint`, `subprocessExec`, …).
 * Methods a transport does not support raise `NotImplementedError`, as in CPython.
 *
 * Write-side flow control (Python's `_FlowControlMixin`): when the write buffer goes strictly
 * over the high-water mark the protocol's `pauseWriting()` is called (synchronously, from
 * `write()`), and when it drains to the low-water mark or below, `resumeWriting()` (from the
 * loop). The defaults are CPython's: 64 KiB high, 16 KiB low.
 */
import type { AbstractEventLoop } from "./events.ts";
import { isExitException, NotImplementedError, ValueError } from "./exceptions.ts";
import { compareError, pyRepr, pyTypeName } from "./format.ts";
import type { Address, AnyProtocol } from "./protocols.ts";

/**
 * Classes whose instances also count as instances of a transport base class they do not extend:
 * Python's transports inherit from several (`Transport(ReadTransport, WriteTransport)`, and
 * CPython's UDP and write-pipe transports are `Transport`s), JavaScript classes from one.
 */
const alsoInstances = new Map<abstract new (...args: never[]) => unknown, Function[]>();

/** @internal Makes `instanceof base` true for instances of each of `classes` too. */
export function _alsoInstanceOf(base: Function, ...classes: Function[]): void {
  const list = alsoInstances.get(base as abstract new () => unknown) ?? [];
  list.push(...classes);
  alsoInstances.set(base as abstract new () => unknown, list);
}

function hasInstance(cls: Function, obj: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, obj)) return true;
  const extra = alsoInstances.get(cls as abstract new () => unknown);
  return extra?.some((c) => obj instanceof c) === true;
}

/** Python's `asyncio.BaseTransport`. */
export class BaseTransport {
  /** @internal */ _extra: Record<string, unknown>;

  constructor(extra?: Record<string, unknown> | null) {
    this._extra = extra ?? {};
  }

  /**
   * Optional information about the transport: `"peername"`, `"sockname"`, `"socket"`,
   * `"sslcontext"`, `"peercert"`, `"cipher"`, `"subprocess"`, …; `defaultValue` (null) if absent.
   * Typed `any`, as typeshed types Python's: `const [host, port] = t.getExtraInfo("peername")`.
   */
  // biome-ignore lint/suspicious/noExplicitAny: typeshed's Any: the value's type depends on the name
  getExtraInfo(name: string, defaultValue: unknown = null): any {
    // Own keys only: "constructor" or "toString" are not extra info.
    return Object.hasOwn(this._extra, name) ? this._extra[name] : defaultValue;
  }

  /** True if the transport is closing or closed. */
  isClosing(): boolean {
    throw new NotImplementedError();
  }

  /** Closes the transport: buffered data is flushed, then `connectionLost(null)` is called. */
  close(): void {
    throw new NotImplementedError();
  }

  /** Replaces the protocol that receives the callbacks. */
  setProtocol(_protocol: AnyProtocol): void {
    throw new NotImplementedError();
  }

  getProtocol(): AnyProtocol {
    throw new NotImplementedError();
  }
}

/** Python's `asyncio.ReadTransport`. */
export class ReadTransport extends BaseTransport {
  /** A `Transport` is a `ReadTransport` too, as in Python (see _alsoInstanceOf). */
  static override [Symbol.hasInstance](obj: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass tested against
    return hasInstance(this, obj);
  }

  /** True while the transport delivers received data. */
  isReading(): boolean {
    throw new NotImplementedError();
  }
  /** Stops delivering received data until `resumeReading()`; idempotent. */
  pauseReading(): void {
    throw new NotImplementedError();
  }
  /** Delivers received data again; idempotent. */
  resumeReading(): void {
    throw new NotImplementedError();
  }
}

/** Python's `asyncio.WriteTransport`. */
export class WriteTransport extends BaseTransport {
  /** CPython's UDP transports are `WriteTransport`s too (see _alsoInstanceOf). */
  static override [Symbol.hasInstance](obj: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass tested against
    return hasInstance(this, obj);
  }

  /**
   * Sets the high- and low-water marks of write flow control (`(high, low)` or
   * `({ high, low })`). With only `high`, `low` is high / 4; with only `low`, `high` is
   * 4 × low; `ValueError` unless high >= low >= 0.
   */
  setWriteBufferLimits(_high?: BufferLimit, _low?: number | null): void {
    throw new NotImplementedError();
  }
  /** Bytes buffered and not yet handed to the operating system. */
  getWriteBufferSize(): number {
    throw new NotImplementedError();
  }
  /** `[low, high]`. */
  getWriteBufferLimits(): [number, number] {
    throw new NotImplementedError();
  }
  /** Writes `data` (bytes); never blocks: what cannot be sent now is buffered. */
  write(_data: Uint8Array): void {
    throw new NotImplementedError();
  }
  /** Writes each chunk of `listOfData`. */
  writelines(listOfData: Iterable<Uint8Array>): void {
    this.write(bytesJoin(listOfData));
  }
  /** Closes the write end after the buffer is flushed (TCP half-close). */
  writeEof(): void {
    throw new NotImplementedError();
  }
  /** True if `writeEof()` is supported. */
  canWriteEof(): boolean {
    throw new NotImplementedError();
  }
  /** Closes at once: buffered data is lost; `connectionLost(null)` follows. */
  abort(): void {
    throw new NotImplementedError();
  }
}

/** Python's `asyncio.Transport`: a bidirectional stream transport. */
export class Transport extends WriteTransport {
  /** CPython's UDP and write-pipe transports are `Transport`s too (see _alsoInstanceOf). */
  static override [Symbol.hasInstance](obj: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass tested against
    return hasInstance(this, obj);
  }

  isReading(): boolean {
    throw new NotImplementedError();
  }
  pauseReading(): void {
    throw new NotImplementedError();
  }
  resumeReading(): void {
    throw new NotImplementedError();
  }
}

/** Python's `asyncio.DatagramTransport`. */
export class DatagramTransport extends BaseTransport {
  /** Sends one datagram to `addr` (or to the connected peer when `addr` is omitted). */
  sendto(_data: Uint8Array, _addr?: Address | null): void {
    throw new NotImplementedError();
  }
  /** Closes at once, dropping buffered datagrams. */
  abort(): void {
    throw new NotImplementedError();
  }
  getWriteBufferSize(): number {
    throw new NotImplementedError();
  }
  setWriteBufferLimits(_high?: BufferLimit, _low?: number | null): void {
    throw new NotImplementedError();
  }
  getWriteBufferLimits(): [number, number] {
    throw new NotImplementedError();
  }
}

/** Python's `asyncio.SubprocessTransport`. */
export class SubprocessTransport extends BaseTransport {
  /** The child's process id. */
  getPid(): number | null {
    throw new NotImplementedError();
  }
  /** The exit status (negative signal number if killed by a signal), or null while running. */
  getReturncode(): number | null {
    throw new NotImplementedError();
  }
  /** The pipe transport for fd 0, 1 or 2, or null if that stream is not a pipe. */
  getPipeTransport(_fd: number): BaseTransport | null {
    throw new NotImplementedError();
  }
  /** Sends `signal` (a number or a name such as "SIGTERM") to the child. */
  sendSignal(_signal: number | NodeJS.Signals): void {
    throw new NotImplementedError();
  }
  terminate(): void {
    throw new NotImplementedError();
  }
  kill(): void {
    throw new NotImplementedError();
  }
}

/** @internal The state write flow control works on (Python's `_FlowControlMixin`). */
export interface FlowControlled {
  _loop: AbstractEventLoop | null;
  _protocol: AnyProtocol | null;
  _protocolPaused: boolean;
  _highWater: number;
  _lowWater: number;
  getWriteBufferSize(): number;
}

/**
 * The first argument of `setWriteBufferLimits`/`setReadBufferLimits`: the high-water mark, or
 * Python's keyword form as an options object (`{ high, low }`).
 */
export type BufferLimit = number | null | { high?: number | null; low?: number | null };

/** @internal `(high, low)` from either form of {@link BufferLimit}. */
export function _limitArgs(
  high: BufferLimit | undefined,
  low: number | null | undefined,
  method: string,
): [number | null | undefined, number | null | undefined] {
  if (typeof high !== "object" || high === null || Array.isArray(high)) {
    return [high as number | null | undefined, low];
  }
  for (const key of Object.keys(high)) {
    if (key !== "high" && key !== "low") {
      throw new TypeError(`${method}() got an unexpected keyword argument '${key}'`);
    }
  }
  if (low !== undefined) {
    throw new TypeError(`${method}() got multiple values for argument 'low'`);
  }
  return [high.high, high.low];
}

/** @internal Validated `[high, low]` (Python's `_set_write_buffer_limits`). */
export function _writeBufferLimits(high?: number | null, low?: number | null): [number, number] {
  // Python's bools and ints are numbers; other values fail the arithmetic or the comparison.
  const num = (v: unknown): unknown =>
    typeof v === "boolean" || typeof v === "bigint" ? Number(v) : v;
  let h = num(high);
  let l = num(low);
  if (h === undefined || h === null) {
    if (l === undefined || l === null) h = 64 * 1024;
    else if (typeof l === "number") h = 4 * l;
    else throw compareError(">=", l, 0);
  }
  if (l === undefined || l === null) {
    if (typeof h !== "number") {
      throw new TypeError(`unsupported operand type(s) for //: '${pyTypeName(h)}' and 'int'`);
    }
    // Python's float floor division: inf // 4 is nan.
    l = Number.isFinite(h) ? Math.floor(h / 4) : Number.NaN;
  }
  if (typeof h !== "number" || typeof l !== "number") throw compareError(">=", h, l);
  if (!(h >= l && l >= 0)) {
    throw new ValueError(`high (${pyRepr(h)}) must be >= low (${pyRepr(l)}) must be >= 0`);
  }
  return [h, l];
}

/** @internal Calls `pauseWriting()` once when the buffer goes strictly over the high-water mark. */
export function _maybePauseProtocol(t: FlowControlled, transport: unknown): void {
  const size = t.getWriteBufferSize();
  if (size <= t._highWater) return;
  if (!t._protocolPaused) {
    t._protocolPaused = true;
    try {
      t._protocol?.pauseWriting?.();
    } catch (exc) {
      if (isExitException(exc)) throw exc;
      t._loop?.callExceptionHandler({
        message: "protocol.pause_writing() failed",
        exception: exc,
        transport,
        protocol: t._protocol,
      });
    }
  }
}

/** @internal Calls `resumeWriting()` once the buffer is at or below the low-water mark. */
export function _maybeResumeProtocol(t: FlowControlled, transport: unknown): void {
  if (t._protocolPaused && t.getWriteBufferSize() <= t._lowWater) {
    t._protocolPaused = false;
    try {
      t._protocol?.resumeWriting?.();
    } catch (exc) {
      if (isExitException(exc)) throw exc;
      t._loop?.callExceptionHandler({
        message: "protocol.resume_writing() failed",
        exception: exc,
        transport,
        protocol: t._protocol,
      });
    }
  }
}

_alsoInstanceOf(ReadTransport, Transport);

/** Python's `b''.join(items)`, with its TypeErrors. */
function bytesJoin(items: Iterable<Uint8Array>): Buffer {
  if (
    items === null ||
    typeof (items as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== "function"
  ) {
    throw new TypeError("can only join an iterable");
  }
  const parts: Uint8Array[] = [];
  for (const item of items) {
    if (!ArrayBuffer.isView(item)) {
      throw new TypeError(
        `sequence item ${parts.length}: expected a bytes-like object, ${pyTypeName(item)} found`,
      );
    }
    parts.push(new Uint8Array(item.buffer, item.byteOffset, item.byteLength));
  }
  return Buffer.concat(parts);
}
