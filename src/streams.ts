/**
 * Streams (Python's `asyncio.streams`): `StreamReader`, `StreamWriter`, `StreamReaderProtocol`,
 * `openConnection`, `startServer`, `openUnixConnection`, `startUnixServer`.
 *
 * Every reading method and `drain()`, `waitClosed()`, `startTls()` is a library coroutine: it
 * works with `yield*` in a generator coroutine and with `await` in an `async` function.
 *
 * Limits, as in CPython: a reader's `limit` (64 KiB by default) bounds what `readline()` and
 * `readuntil()` may return (`LimitOverrunError` / `ValueError`), and the reader stops reading from
 * its transport while more than twice the limit is buffered, so a peer cannot make it buffer
 * without bound. `drain()` waits while the writer's transport buffer is over its high-water
 * mark, so a peer that does not read makes the writer wait rather than buffer without bound.
 */
import {
  _markCoroutineMethods,
  type AwaitableCoroutine,
  awaitable,
  type Coroutine,
  isCoroutine,
  isCoroutineFunction,
  isGeneratorFunction,
  isThenable,
} from "./coroutines.ts";
import { Deque } from "./deque.ts";
import { type AbstractEventLoop, getEventLoop, getRunningLoop, type StrOrBytes } from "./events.ts";
import {
  AssertionError,
  IncompleteReadError,
  LimitOverrunError,
  NotImplementedError,
  RuntimeError,
  ValueError,
} from "./exceptions.ts";
import {
  allOptions,
  compareError,
  customRepr,
  isPyNumber,
  keepClassNames,
  libraryClasses,
  pyLen,
  pyRepr,
  pyTypeName,
} from "./format.ts";
import { _failWith, _newFuture, type Future, isFuture } from "./futures.ts";
import { logger } from "./log.ts";
import type {
  CreateConnectionOptions,
  CreateServerOptions,
  CreateUnixConnectionOptions,
  CreateUnixServerOptions,
  Server,
} from "./net_transports.ts";
import { ConnectionResetError } from "./os_errors.ts";
import { Protocol } from "./protocols.ts";
import type { SSLContext } from "./ssl.ts";
import { _awaitOverride, sleep, Task, type TaskBody } from "./tasks.ts";
import type { Transport } from "./transports.ts";

/** Python's `streams._DEFAULT_LIMIT`: 64 KiB. */
export const DEFAULT_LIMIT = 2 ** 16;

const EMPTY = Buffer.alloc(0);

/**
 * The reader's byte buffer (Python's `bytearray` with O(1) deletion from the front). A chunk
 * received into an empty buffer is adopted without copying; reads from it return views.
 */
class ByteBuffer {
  buf: Buffer = EMPTY;
  start = 0;
  end = 0;
  /** False while `buf` is an adopted chunk: it is never written to, so views of it are safe. */
  owned = false;

  get length(): number {
    return this.end - this.start;
  }

  /** Appends a copy of `data`. */
  append(data: Uint8Array): void {
    const n = data.length;
    if (n === 0) return;
    const len = this.end - this.start;
    if (!this.owned || this.end + n > this.buf.length) {
      if (this.owned && (len + n) * 2 <= this.buf.length) {
        // Compact: at least half the storage is free afterwards, so this is amortized O(1).
        this.buf.copy(this.buf, 0, this.start, this.end);
      } else {
        const cap = Math.max(1024, len + n + ((len + n) >> 1));
        const nb = Buffer.allocUnsafe(cap);
        this.buf.copy(nb, 0, this.start, this.end);
        this.buf = nb;
        this.owned = true;
      }
      this.start = 0;
      this.end = len;
    }
    this.buf.set(data, this.end);
    this.end += n;
  }

  /** Appends `chunk`, adopting it without a copy if the buffer is empty (the caller gives it up). */
  adopt(chunk: Buffer): void {
    if (this.end === this.start && chunk.length > 0) {
      this.buf = chunk;
      this.start = 0;
      this.end = chunk.length;
      this.owned = false;
    } else {
      this.append(chunk);
    }
  }

  /** The bytes as a view (valid until the buffer changes). */
  view(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  indexOf(sep: Uint8Array, offset: number): number {
    return this.view().indexOf(sep, offset);
  }

  startsWith(sep: Uint8Array, offset: number): boolean {
    if (offset + sep.length > this.length) return false;
    const b = this.buf;
    const base = this.start + offset;
    for (let i = 0; i < sep.length; i++) if (b[base + i] !== sep[i]) return false;
    return true;
  }

  /** Removes and returns the first `n` bytes (n <= length) as a new Buffer. */
  take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    let out: Buffer;
    if (!this.owned) {
      // An adopted chunk taken whole is returned as is (no view needed).
      out =
        this.start === 0 && n === this.buf.length
          ? this.buf
          : this.buf.subarray(this.start, this.start + n);
    } else if (n === this.length && this.start === 0 && n * 2 >= this.buf.length) {
      // Hand the whole (mostly full) storage over instead of copying it.
      out = this.buf.subarray(0, n);
      this.buf = EMPTY;
      this.owned = false;
      this.start = this.end = 0;
      return out;
    } else {
      out = Buffer.allocUnsafe(n);
      this.buf.copy(out, 0, this.start, this.start + n);
    }
    this.start += n;
    if (this.start === this.end) this.clear();
    return out;
  }

  /** Removes the first `n` bytes. */
  drop(n: number): void {
    this.start += n;
    if (this.start >= this.end) this.clear();
  }

  clear(): void {
    this.start = this.end = 0;
    if (!this.owned || this.buf.length > 4 * DEFAULT_LIMIT) {
      this.buf = EMPTY;
      this.owned = false;
    }
  }
}

function toBytes(data: unknown, what: string): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`${what}: a bytes-like object is required, not ${pyRepr(typeOf(data))}`);
}

/** What `bytearray.extend(data)` takes after `if not data: return` (Python's feed_data). */
function feedable(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data) || data instanceof ArrayBuffer) return toBytes(data, "feed_data");
  if (data === null || data === undefined || data === false || data === 0 || data === "") {
    return EMPTY_BYTES;
  }
  if (Array.isArray(data)) {
    for (const b of data) {
      if (typeof b !== "number" || !Number.isInteger(b)) {
        throw new TypeError(`'${pyTypeName(b)}' object cannot be interpreted as an integer`);
      }
      if (b < 0 || b > 255) throw new ValueError("byte must be in range(0, 256)");
    }
    return Uint8Array.from(data);
  }
  if (typeof data === "string") {
    throw new TypeError("expected iterable of integers; got: 'str'");
  }
  throw new TypeError(`can't extend bytearray with ${pyTypeName(data)}`);
}

const EMPTY_BYTES = new Uint8Array(0);

function typeOf(v: unknown): string {
  if (typeof v === "string") return "str";
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  return (v as object).constructor?.name ?? typeof v;
}

/**
 * Reads from a stream connection (Python's `asyncio.StreamReader`). Made by `openConnection`,
 * `startServer` and the subprocess functions; can be fed directly (`feedData`, `feedEof`).
 */
export class StreamReader {
  /** @internal */ _limit: number;
  /** @internal */ _loop: AbstractEventLoop;
  /** @internal */ _buffer = new ByteBuffer();
  /** @internal */ _eof = false;
  /** @internal */ _waiter: Future<void> | null = null;
  /** @internal */ _exception: unknown = null;
  /** @internal */ _transport: Transport | null = null;
  /** @internal */ _paused = false;

  /** `ValueError('Limit cannot be <= 0')` for a limit that is not positive. */
  constructor(options: { limit?: number; loop?: AbstractEventLoop } = {}) {
    const limit = options.limit === undefined ? DEFAULT_LIMIT : options.limit;
    // Python's `if limit <= 0`: None or a str cannot be compared (a NaN passes).
    if (!isPyNumber(limit)) throw compareError("<=", limit, 0);
    if (limit <= 0) throw new ValueError("Limit cannot be <= 0");
    this._limit = limit;
    this._loop = options.loop ?? getEventLoop();
  }

  /** The reader's limit (Python's `_limit`). */
  get limit(): number {
    return this._limit;
  }

  /** The error set with `setException` (or by the connection), else null. */
  exception(): unknown {
    return this._exception;
  }

  /** Makes every read raise `exc` (the same object); a waiting reader is woken with it. */
  setException(exc: unknown): void {
    this._exception = exc;
    const waiter = this._waiter;
    if (waiter !== null) {
      this._waiter = null;
      if (!waiter.cancelled()) {
        // CPython's waiter.set_exception() refuses a non-exception, after the reader took it.
        if (!(exc instanceof Error)) throw new TypeError("invalid exception object");
        _failWith(waiter, exc);
      }
    }
  }

  /** @internal Wakes up read*() functions waiting for data or EOF. */
  _wakeupWaiter(): void {
    const waiter = this._waiter;
    if (waiter !== null) {
      this._waiter = null;
      if (!waiter.cancelled()) waiter.setResult(undefined);
    }
  }

  /** Sets the transport reading is paused and resumed on (once). */
  setTransport(transport: Transport): void {
    if (this._transport !== null) throw new AssertionError("Transport already set");
    this._transport = transport;
  }

  /** @internal */
  _maybeResumeTransport(): void {
    if (this._paused && this._buffer.length <= this._limit) {
      this._paused = false;
      this._transport!.resumeReading();
    }
  }

  /** Marks the end of the stream. */
  feedEof(): void {
    this._eof = true;
    this._wakeupWaiter();
  }

  /** True when EOF was fed and the buffer is empty. */
  atEof(): boolean {
    return this._eof && this._buffer.length === 0;
  }

  /**
   * Appends `data` (copied) to the buffer and wakes a waiting reader. As CPython's
   * `bytearray.extend()`: nothing for empty or falsy data, a list of byte values is taken.
   */
  feedData(data: Uint8Array): void {
    if (this._eof) throw new AssertionError("feed_data after feed_eof");
    this._feed(feedable(data), false);
  }

  /** @internal `feedData` for a chunk the caller gives up (no copy). */
  _feed(data: Uint8Array, owned: boolean): void {
    if (this._eof) throw new AssertionError("feed_data after feed_eof");
    if (data.length === 0) return;
    if (owned && Buffer.isBuffer(data)) this._buffer.adopt(data);
    else this._buffer.append(data);
    this._wakeupWaiter();
    if (this._transport !== null && !this._paused && this._buffer.length > 2 * this._limit) {
      try {
        this._transport.pauseReading();
      } catch (e) {
        if (!(e instanceof NotImplementedError)) throw e;
        // The transport can't be paused: forget it and buffer everything.
        this._transport = null;
        return;
      }
      this._paused = true;
    }
  }

  /**
   * Reads up to `n` bytes: `n` < 0 reads until EOF; `n` = 0 returns empty bytes at once;
   * otherwise returns as soon as at least one byte is available (empty at EOF). Not limited by
   * `limit`. Raises the reader's exception if one is set.
   */
  read(n = -1): AwaitableCoroutine<Buffer> {
    return readCoro(this, n);
  }

  /**
   * Reads one line, through `\n`. At EOF returns the partial line (then empty bytes). A line
   * longer than the limit raises `ValueError` and is discarded (the rest of the buffer is kept
   * if the newline was seen; else the buffer is cleared).
   */
  readline(): AwaitableCoroutine<Buffer> {
    return readlineCoro(this);
  }

  /**
   * Reads through `separator` (or the first of several separators, given as an array: the
   * shortest match wins). `IncompleteReadError` at EOF without it (the buffer is emptied into
   * `.partial`); `LimitOverrunError` when it is not found within the limit (the data stays
   * buffered).
   */
  readuntil(
    separator: Uint8Array | readonly Uint8Array[] = Buffer.from("\n"),
  ): AwaitableCoroutine<Buffer> {
    return readuntilCoro(this, separator);
  }

  /** Reads exactly `n` bytes; `IncompleteReadError` (with `.partial`) if EOF comes first. */
  readexactly(n: number): AwaitableCoroutine<Buffer> {
    return readexactlyCoro(this, n);
  }

  /**
   * One step of async iteration (Python's `__anext__`): the next line, or done at EOF. In a
   * generator coroutine, where `for await` is not available:
   * `for (let r; !(r = yield* reader.anext()).done; ) use(r.value);`
   */
  anext(): AwaitableCoroutine<IteratorResult<Buffer, undefined>> {
    return anextCoro(this) as AwaitableCoroutine<IteratorResult<Buffer, undefined>>;
  }

  /** `for await (const line of reader)`: lines until EOF. */
  [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    const it: AsyncIterableIterator<Buffer> = {
      next: () => anextCoro(this) as unknown as Promise<IteratorResult<Buffer>>,
      // Python's aiter(reader) is the reader: the iterator can go on in another `for await`.
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }

  [customRepr](): string {
    const info = ["StreamReader"];
    if (this._buffer.length > 0) info.push(`${this._buffer.length} bytes`);
    if (this._eof) info.push("eof");
    if (this._limit !== DEFAULT_LIMIT) info.push(`limit=${pyRepr(this._limit)}`);
    if (this._waiter !== null) info.push(`waiter=${pyRepr(this._waiter)}`);
    if (this._exception !== null) info.push(`exception=${pyRepr(this._exception)}`);
    if (this._transport !== null) info.push(`transport=${pyRepr(this._transport)}`);
    if (this._paused) info.push("paused");
    return `<${info.join(" ")}>`;
  }

  toString(): string {
    return this[customRepr]();
  }
}

/** Python's `_wait_for_data`. */
function* waitForData(r: StreamReader, funcName: string): Coroutine<void> {
  if (r._waiter !== null) {
    throw new RuntimeError(
      `${funcName}() called while another coroutine is already waiting for incoming data`,
    );
  }
  if (r._eof) throw new AssertionError("_wait_for_data after EOF");
  // Waiting for data while paused would deadlock: resume (readexactly(n) with n > limit).
  if (r._paused) {
    r._paused = false;
    r._transport!.resumeReading();
  }
  const waiter = _newFuture<void>(r._loop);
  r._waiter = waiter;
  try {
    yield* waiter;
  } finally {
    r._waiter = null;
  }
}

const readCoro = awaitable(function* read(r: StreamReader, n: number): Coroutine<Buffer> {
  if (r._exception !== null && r._exception !== undefined) throw raisable(r._exception);
  n = sizeArg(n);
  if (n === 0) return Buffer.alloc(0);
  if (n < 0) {
    // Read limit-sized blocks until EOF (a single waiter would deadlock past 2 × limit).
    const blocks: Buffer[] = [];
    for (;;) {
      const block = yield* r.read === StreamReader.prototype.read
        ? readCoro(r, r._limit)
        : _awaitOverride<Buffer>(r.read(r._limit)); // a subclass's read(), as CPython's self.read(self._limit)
      if (block.length === 0) break;
      blocks.push(block);
    }
    return blocks.length === 1 ? blocks[0]! : Buffer.concat(blocks);
  }
  if (r._buffer.length === 0 && !r._eof) yield* waitForData(r, "read");
  const data = r._buffer.take(Math.min(sliceIndex(n), r._buffer.length));
  r._maybeResumeTransport();
  return data;
}, "StreamReader.read");

const NEWLINE = Buffer.from("\n");

const readlineCoro = awaitable(function* readline(r: StreamReader): Coroutine<Buffer> {
  try {
    // a subclass's readuntil() is called, as CPython's self.readuntil(sep)
    return yield* r.readuntil === StreamReader.prototype.readuntil
      ? readuntilCoro(r, NEWLINE)
      : _awaitOverride<Buffer>(r.readuntil(NEWLINE));
  } catch (e) {
    if (e instanceof IncompleteReadError) return e.partial as Buffer;
    if (e instanceof LimitOverrunError) {
      if (r._buffer.startsWith(NEWLINE, e.consumed)) r._buffer.drop(e.consumed + 1);
      else r._buffer.clear();
      r._maybeResumeTransport();
      throw new ValueError(e.args[0]);
    }
    throw e;
  }
}, "StreamReader.readline");

const readuntilCoro = awaitable(function* readuntil(
  r: StreamReader,
  separator: Uint8Array | readonly Uint8Array[],
): Coroutine<Buffer> {
  // As CPython: the separators are sorted by len() (a number has none) and only the search
  // itself refuses what is not bytes (a str separator fails once there is data to search).
  const given: unknown[] = Array.isArray(separator) ? [...separator] : [separator];
  const lens = given.map(pyLen);
  const order = given.map((_, i) => i).sort((a, b) => lens[a]! - lens[b]!);
  const seps = order.map((i) => given[i]);
  if (seps.length === 0) throw new ValueError("Separator should contain at least one element");
  const minSeplen = lens[order[0]!]!;
  const maxSeplen = lens[order[order.length - 1]!]!;
  if (minSeplen === 0) throw new ValueError("Separator should be at least one-byte string");
  if (r._exception !== null && r._exception !== undefined) throw raisable(r._exception);
  // `offset` is the number of bytes from the start of the buffer where no separator is.
  let offset = 0;
  let matchStart = -1;
  let matchEnd = -1;
  for (;;) {
    const buflen = r._buffer.length;
    if (buflen - offset >= minSeplen) {
      for (const given of seps) {
        const sep = searchable(given);
        const isep = r._buffer.indexOf(sep, offset);
        if (isep !== -1) {
          const end = isep + sep.length;
          if (matchEnd === -1 || end < matchEnd) {
            matchEnd = end;
            matchStart = isep;
          }
        }
      }
      if (matchEnd !== -1) break;
      offset = Math.max(0, buflen + 1 - maxSeplen);
      if (offset > r._limit) {
        throw new LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
      }
    }
    // A complete separator may be present even when EOF is set: check EOF after the buffer.
    if (r._eof) {
      const chunk = r._buffer.take(r._buffer.length);
      r._buffer.clear();
      throw new IncompleteReadError(chunk, null);
    }
    yield* waitForData(r, "readuntil");
  }
  if (matchStart > r._limit) {
    throw new LimitOverrunError("Separator is found, but chunk is longer than limit", matchStart);
  }
  const chunk = r._buffer.take(matchEnd);
  r._maybeResumeTransport();
  return chunk;
}, "StreamReader.readuntil");

/** A separator as `bytearray.find()` takes it: bytes-like only. */
function searchable(sep: unknown): Uint8Array {
  if (sep instanceof Uint8Array) return sep;
  if (ArrayBuffer.isView(sep) || sep instanceof ArrayBuffer) return toBytes(sep, "readuntil");
  throw new TypeError(`argument should be integer or bytes-like object, not '${pyTypeName(sep)}'`);
}

const readexactlyCoro = awaitable(function* readexactly(
  r: StreamReader,
  n: number,
): Coroutine<Buffer> {
  n = sizeArg(n);
  if (n < 0) throw new ValueError("readexactly size can not be less than zero");
  if (r._exception !== null && r._exception !== undefined) throw raisable(r._exception);
  if (n === 0) return Buffer.alloc(0);
  while (r._buffer.length < n) {
    if (r._eof) {
      const incomplete = r._buffer.take(r._buffer.length);
      r._buffer.clear();
      throw new IncompleteReadError(incomplete, n);
    }
    yield* waitForData(r, "readexactly");
  }
  const data = r._buffer.take(sliceIndex(n));
  r._maybeResumeTransport();
  return data;
}, "StreamReader.readexactly");

/** What `raise exc` raises: a stored non-exception (setException("boom")) cannot be raised. */
function raisable(exc: unknown): unknown {
  return exc instanceof Error ? exc : new TypeError("exceptions must derive from BaseException");
}

/**
 * A read size as CPython's comparisons see it: bools and ints are numbers; anything else fails
 * the `n < 0` test with its TypeError.
 */
function sizeArg(n: unknown): number {
  if (typeof n === "number") return n;
  if (typeof n === "boolean" || typeof n === "bigint") return Number(n);
  throw compareError("<", n, 0);
}

/** CPython slices the buffer with `n`: a float (NaN and inf too) fails there, once data came. */
function sliceIndex(n: number): number {
  if (!Number.isInteger(n)) {
    throw new TypeError("slice indices must be integers or None or have an __index__ method");
  }
  return n;
}

const anextCoro = awaitable(function* anext(r: StreamReader): Coroutine<IteratorResult<Buffer>> {
  const val = yield* r.readline === StreamReader.prototype.readline
    ? readlineCoro(r)
    : _awaitOverride<Buffer>(r.readline());
  if (val.length === 0) return { done: true, value: undefined };
  return { done: false, value: val };
}, "StreamReader.__anext__");

/**
 * Flow control for `StreamWriter.drain()` (Python's `FlowControlMixin`): remembers whether the
 * transport asked to pause writing and wakes `drain()` when it may resume or the connection is
 * lost. Subclasses that override `pauseWriting`, `resumeWriting` or `connectionLost` must call
 * the base method.
 */
export class FlowControlMixin extends Protocol {
  /** @internal */ _loop: AbstractEventLoop;
  /** @internal */ _paused = false;
  /** @internal */ _drainWaiters = new Deque<Future<void>>();
  /** @internal */ _connectionLost = false;

  constructor(loop?: AbstractEventLoop | null) {
    super();
    this._loop = loop ?? getEventLoop();
  }

  override pauseWriting(): void {
    if (this._paused) throw new AssertionError();
    this._paused = true;
    if (this._loop.getDebug()) logger.debug(`${pyRepr(this)} pauses writing`);
  }

  override resumeWriting(): void {
    if (!this._paused) throw new AssertionError();
    this._paused = false;
    if (this._loop.getDebug()) logger.debug(`${pyRepr(this)} resumes writing`);
    for (const waiter of this._drainWaiters) if (!waiter.done()) waiter.setResult(undefined);
  }

  override connectionLost(exc: Error | null): void {
    this._connectionLost = true;
    // Wake up the writers if they are paused.
    if (!this._paused) return;
    for (const waiter of this._drainWaiters) {
      if (!waiter.done()) {
        if (exc === null) waiter.setResult(undefined);
        else _failWith(waiter, exc);
      }
    }
  }

  /** @internal Python's `_drain_helper`. */
  *_drainHelper(): Coroutine<void> {
    if (this._connectionLost) throw new ConnectionResetError("Connection lost");
    if (!this._paused) return;
    const waiter = _newFuture<void>(this._loop);
    this._drainWaiters.push(waiter);
    try {
      yield* waiter;
    } finally {
      removeFromDeque(this._drainWaiters, waiter);
    }
  }

  /** @internal The future `StreamWriter.waitClosed()` waits for. */
  _getCloseWaiter(_stream: StreamWriter): Future<void> | null {
    throw new NotImplementedError();
  }
}

function removeFromDeque<T>(d: Deque<T>, item: T): void {
  const kept: T[] = [];
  while (d.length > 0) {
    const x = d.shift()!;
    if (x !== item) kept.push(x);
  }
  for (const x of kept) d.push(x);
}

/** A client-connected callback of `startServer`: plain, `async` or generator function. */
export type ClientConnectedCallback = (
  reader: StreamReader,
  writer: StreamWriter,
) => void | Coroutine<unknown> | PromiseLike<unknown>;

function createTaskOn<T>(loop: AbstractEventLoop, body: TaskBody<T>): Task<T> {
  const l = loop as AbstractEventLoop & { createTask?: (b: TaskBody<T>) => Task<T> };
  return typeof l.createTask === "function" ? l.createTask(body) : new Task(body, { loop });
}

/**
 * Adapts a `Protocol` to a `StreamReader` (Python's `asyncio.StreamReaderProtocol`); with a
 * `clientConnected` callback it is the protocol of `startServer`'s connections.
 */
export class StreamReaderProtocol extends FlowControlMixin {
  /** @internal */ _streamReader: StreamReader | null;
  /** @internal */ _clientConnectedCb: ClientConnectedCallback | null;
  /** @internal */ _task: Task<unknown> | null = null;
  /** @internal */ _transport: Transport | null = null;
  /** @internal */ _overSsl = false;
  /** @internal */ _closed: Future<void>;

  constructor(
    streamReader: StreamReader | null,
    clientConnectedCb: ClientConnectedCallback | null = null,
    loop?: AbstractEventLoop | null,
  ) {
    super(loop);
    this._streamReader = streamReader;
    this._clientConnectedCb = clientConnectedCb;
    this._closed = _newFuture<void>(this._loop);
  }

  /** @internal Used by `StreamWriter.startTls`. */
  _replaceTransport(transport: Transport): void {
    this._transport = transport;
    this._overSsl = transport.getExtraInfo("sslcontext") !== null;
    const reader = this._streamReader;
    if (reader !== null) reader._transport = transport;
  }

  override connectionMade(transport: Transport): void {
    this._transport = transport;
    const reader = this._streamReader;
    if (reader !== null) reader.setTransport(transport);
    this._overSsl = transport.getExtraInfo("sslcontext") !== null;
    const cb = this._clientConnectedCb;
    if (cb === null) return;
    const loop = this._loop;
    const writer = new StreamWriter(transport, this, reader, loop);
    let task: Task<unknown> | null = null;
    if (isCoroutineFunction(cb)) {
      // A generator function's coroutine, or an async function called inside its task.
      const fn = cb as (
        r: StreamReader,
        w: StreamWriter,
      ) => Coroutine<unknown> | PromiseLike<unknown>;
      task = createTaskOn(
        loop,
        isGeneratorFunction(fn)
          ? (fn(reader!, writer) as Coroutine<unknown>)
          : () => fn(reader!, writer) as PromiseLike<unknown>,
      );
    } else {
      const res = cb(reader!, writer);
      if (isCoroutine(res)) task = createTaskOn(loop, res);
      // A Future or Task it returns is not its coroutine: CPython ignores it.
      else if (isThenable(res) && !isFuture(res)) task = createTaskOn(loop, () => res);
    }
    if (task !== null) {
      task.addDoneCallback((t) => {
        // Held while it runs; let go once done, so that the writer it had can be collected.
        if (this._task === t) this._task = null;
        if (t.cancelled()) {
          transport.close();
          return;
        }
        const exc = t.exception();
        if (exc !== null) {
          loop.callExceptionHandler({
            message: "Unhandled exception in client_connected_cb",
            exception: exc,
            transport,
          });
          transport.close();
        }
      });
      this._task = task;
    }
  }

  override connectionLost(exc: Error | null): void {
    const reader = this._streamReader;
    if (reader !== null) {
      if (exc === null) reader.feedEof();
      else reader.setException(exc);
    }
    const closed = this._closed;
    if (!closed.done()) {
      if (exc === null) closed.setResult(undefined);
      else {
        _failWith(closed, exc);
        // Awaiting waitClosed() is optional: never report this one as unretrieved.
        closed._retrieved();
      }
    }
    super.connectionLost(exc);
    this._streamReader = null;
    this._task = null;
    this._transport = null;
  }

  override dataReceived(data: Buffer): void {
    const reader = this._streamReader;
    if (reader === null || reader === undefined) return;
    // A subclass's feedData() sees the data, as CPython's reader.feed_data(data) would.
    if (reader.feedData === StreamReader.prototype.feedData) reader._feed(data, true);
    else reader.feedData(data);
  }

  override eofReceived(): boolean {
    this._streamReader?.feedEof();
    // Over TLS the transport closes itself after EOF.
    return !this._overSsl;
  }

  override _getCloseWaiter(_stream: StreamWriter): Future<void> {
    return this._closed;
  }
}

/**
 * CPython 3.13's `StreamWriter.__del__`: a writer garbage-collected while its transport is still
 * open closes it, so a connection whose handler returned without `close()` still ends. The
 * held value is the transport and loop, never the writer. The ResourceWarning CPython issues
 * then (hidden by default) is a Node warning in debug mode.
 */
const unclosedWriters = new FinalizationRegistry<{
  transport: Transport;
  loop: AbstractEventLoop;
}>(({ transport, loop }) => {
  if (transport.isClosing()) return;
  if (loop.isClosed()) {
    if (loop.getDebug()) process.emitWarning("loop is closed", "ResourceWarning");
    return;
  }
  transport.close();
  if (loop.getDebug()) {
    process.emitWarning(
      `unclosed <StreamWriter transport=${pyRepr(transport)}>`,
      "ResourceWarning",
    );
  }
});

/**
 * Writes to a stream connection (Python's `asyncio.StreamWriter`): wraps a transport and adds
 * `drain()` for flow control.
 */
export class StreamWriter {
  /** @internal */ _transport: Transport;
  /** @internal */ _protocol: FlowControlMixin;
  /** @internal */ _reader: StreamReader | null;
  /** @internal */ _loop: AbstractEventLoop;

  constructor(
    transport: Transport,
    protocol: FlowControlMixin,
    reader: StreamReader | null,
    loop: AbstractEventLoop,
  ) {
    if (reader !== null && reader !== undefined && !(reader instanceof StreamReader)) {
      throw new AssertionError();
    }
    this._transport = transport;
    this._protocol = protocol;
    this._reader = reader;
    this._loop = loop;
    unclosedWriters.register(this, { transport, loop });
  }

  /** The underlying transport. */
  get transport(): Transport {
    return this._transport;
  }

  /** Writes `data` (buffered; call `drain()` to wait for the buffer to empty enough). */
  write(data: Uint8Array): void {
    this._transport.write(data);
  }

  writelines(data: Iterable<Uint8Array>): void {
    this._transport.writelines(data);
  }

  /** Closes the write end after flushing (TCP half-close). */
  writeEof(): void {
    this._transport.writeEof();
  }

  canWriteEof(): boolean {
    return this._transport.canWriteEof();
  }

  /** Closes the connection after flushing; `waitClosed()` waits until it is closed. */
  close(): void {
    this._transport.close();
  }

  isClosing(): boolean {
    return this._transport.isClosing();
  }

  /** Waits until the connection is closed; raises the error it was lost with, if any. */
  waitClosed(): AwaitableCoroutine<void> {
    return waitClosedCoro(this);
  }

  // biome-ignore lint/suspicious/noExplicitAny: typeshed's Any: the value's type depends on the name
  getExtraInfo(name: string, defaultValue: unknown = null): any {
    return this._transport.getExtraInfo(name, defaultValue);
  }

  /**
   * Waits until it is appropriate to write again: while the transport's buffer is over its
   * high-water mark. Raises the reader's exception if the connection failed, and
   * `ConnectionResetError('Connection lost')` once the connection is lost.
   */
  drain(): AwaitableCoroutine<void> {
    return drainCoro(this);
  }

  /** Upgrades the connection to TLS (server side when the writer belongs to `startServer`). */
  startTls(
    sslcontext: SSLContext,
    options: {
      serverHostname?: string | null;
      sslHandshakeTimeout?: number | null;
      sslShutdownTimeout?: number | null;
    } = {},
  ): AwaitableCoroutine<void> {
    return startTlsCoro(this, sslcontext, options);
  }

  [customRepr](): string {
    const info = ["StreamWriter", `transport=${pyRepr(this._transport)}`];
    if (this._reader !== null) info.push(`reader=${pyRepr(this._reader)}`);
    return `<${info.join(" ")}>`;
  }

  toString(): string {
    return this[customRepr]();
  }
}

const waitClosedCoro = awaitable(function* waitClosed(w: StreamWriter): Coroutine<void> {
  const waiter = w._protocol._getCloseWaiter(w);
  if (waiter !== null) yield* waiter;
}, "StreamWriter.wait_closed");

const drainCoro = awaitable(function* drain(w: StreamWriter): Coroutine<void> {
  if (w._reader !== null) {
    const exc = w._reader.exception();
    if (exc !== null) throw exc;
  }
  if (w._transport.isClosing()) {
    // Yield to the loop so that connectionLost() may be called (a write+drain loop on a closed
    // socket must see the error).
    yield* sleep(0);
  }
  const protocol = w._protocol;
  // Nothing to wait for (the usual case): skip the helper's generator unless it is overridden.
  if (
    !protocol._paused &&
    !protocol._connectionLost &&
    protocol._drainHelper === FlowControlMixin.prototype._drainHelper
  ) {
    return;
  }
  yield* _awaitOverride(protocol._drainHelper()); // a subclass's may be `async`
}, "StreamWriter.drain");

const startTlsCoro = awaitable(function* startTls(
  w: StreamWriter,
  sslcontext: SSLContext,
  options: {
    serverHostname?: string | null;
    sslHandshakeTimeout?: number | null;
    sslShutdownTimeout?: number | null;
  },
): Coroutine<void> {
  const protocol = w._protocol as StreamReaderProtocol;
  const serverSide = protocol._clientConnectedCb !== null;
  yield* _awaitOverride(w.drain()); // CPython's await self.drain(): a subclass's too
  const newTransport = yield* _awaitOverride<Transport>(
    w._loop.startTls(w._transport, protocol, sslcontext, {
      serverSide,
      serverHostname: options.serverHostname ?? null,
      sslHandshakeTimeout: options.sslHandshakeTimeout ?? null,
      sslShutdownTimeout: options.sslShutdownTimeout ?? null,
    }),
  );
  w._transport = newTransport;
  protocol._replaceTransport(newTransport);
}, "StreamWriter.start_tls");

/** Options of `openConnection`: `limit` plus those of `loop.createConnection`. */
export interface OpenConnectionOptions extends CreateConnectionOptions {
  /** The reader's limit (64 KiB by default). */
  limit?: number;
}

/** Options of `startServer`: `limit` plus those of `loop.createServer`. */
export interface StartServerOptions extends CreateServerOptions {
  /** The readers' limit (64 KiB by default). */
  limit?: number;
}

/** Options of `openUnixConnection`: `limit` plus those of `loop.createUnixConnection`. */
export interface OpenUnixConnectionOptions extends CreateUnixConnectionOptions {
  limit?: number;
}

/** Options of `startUnixServer`: `limit` plus those of `loop.createUnixServer`. */
export interface StartUnixServerOptions extends CreateUnixServerOptions {
  limit?: number;
}

function splitLimit<T extends { limit?: number }>(options: T): [number, Omit<T, "limit">] {
  const { limit, ...rest } = allOptions(options);
  // `null` is Python's None, which StreamReader refuses (only an omitted limit is the default).
  return [limit === undefined ? DEFAULT_LIMIT : limit, rest];
}

/**
 * Connects to `host:port` and returns `[reader, writer]` (Python's `asyncio.open_connection`).
 * Options are `loop.createConnection`'s plus `limit`. Raises `ConnectionRefusedError`,
 * `socket.gaierror`, SSL errors, … as CPython does.
 */
export const openConnection = awaitable(function* openConnection(
  host?: string | null,
  port?: number | string | null,
  options: OpenConnectionOptions = {},
): Coroutine<[StreamReader, StreamWriter]> {
  const loop = getRunningLoop();
  const [limit, kwds] = splitLimit(options);
  const reader = new StreamReader({ limit, loop });
  const protocol = new StreamReaderProtocol(reader, null, loop);
  const [transport] = yield* _awaitOverride<[Transport, unknown]>(
    loop.createConnection(() => protocol, host, port, kwds),
  );
  const writer = new StreamWriter(transport, protocol, reader, loop);
  return [reader, writer];
}, "open_connection");

/**
 * Starts a server calling `clientConnected(reader, writer)` for each connection (Python's
 * `asyncio.start_server`). The callback may be a plain, `async` or generator function; a
 * coroutine or promise it returns runs as a task (an error in it is reported to the loop's
 * exception handler and closes the connection). Returns the `Server`.
 */
export const startServer = awaitable(function* startServer(
  clientConnected: ClientConnectedCallback,
  host?: string | readonly string[] | null,
  port?: number | string | null,
  options: StartServerOptions = {},
): Coroutine<Server> {
  const loop = getRunningLoop();
  const [limit, kwds] = splitLimit(options);
  const factory = () => {
    const reader = new StreamReader({ limit, loop });
    return new StreamReaderProtocol(reader, clientConnected, loop);
  };
  return yield* _awaitOverride<Server>(loop.createServer(factory, host, port, kwds));
}, "start_server");

/** `openConnection` for a Unix socket at `path` (Python's `open_unix_connection`). */
export const openUnixConnection = awaitable(function* openUnixConnection(
  path?: StrOrBytes | null,
  options: OpenUnixConnectionOptions = {},
): Coroutine<[StreamReader, StreamWriter]> {
  const loop = getRunningLoop();
  const [limit, kwds] = splitLimit(options);
  const reader = new StreamReader({ limit, loop });
  const protocol = new StreamReaderProtocol(reader, null, loop);
  const [transport] = yield* _awaitOverride<[Transport, unknown]>(
    loop.createUnixConnection(() => protocol, path, kwds),
  );
  const writer = new StreamWriter(transport, protocol, reader, loop);
  return [reader, writer];
}, "open_unix_connection");

/** `startServer` on a Unix socket at `path` (Python's `start_unix_server`). */
export const startUnixServer = awaitable(function* startUnixServer(
  clientConnected: ClientConnectedCallback,
  path?: StrOrBytes | null,
  options: StartUnixServerOptions = {},
): Coroutine<Server> {
  const loop = getRunningLoop();
  const [limit, kwds] = splitLimit(options);
  const factory = () => {
    const reader = new StreamReader({ limit, loop });
    return new StreamReaderProtocol(reader, clientConnected, loop);
  };
  return yield* _awaitOverride<Server>(loop.createUnixServer(factory, path, kwds));
}, "start_unix_server");

// `async def` methods in CPython.
_markCoroutineMethods(StreamReader, ["read", "readline", "readuntil", "readexactly"]);
_markCoroutineMethods(StreamWriter, ["drain", "waitClosed", "startTls"]);

libraryClasses(StreamReader, StreamWriter);

keepClassNames({ StreamReader, StreamReaderProtocol, StreamWriter });
