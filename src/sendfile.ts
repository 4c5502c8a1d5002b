/**
 * `loop.sendfile()` (Python's `BaseEventLoop.sendfile` and its two paths).
 *
 * - A plain TCP or Unix-socket transport takes the "native" path: the transport's own buffer
 *   drains first, reading is paused, and the file goes to the socket chunk by chunk without
 *   passing through the protocol (`write()` meanwhile raises, as CPython's does while
 *   `os.sendfile` runs). Node has no sendfile(2) for sockets: the chunks are read with
 *   positioned reads (libuv's thread pool) and written to the socket, the next read overlapping
 *   the current write.
 * - A TLS transport, or a file without a descriptor, takes the fallback: the transport's
 *   protocol is swapped for `_SendfileFallbackProtocol` (CPython's), which turns
 *   `pauseWriting`/`resumeWriting` into a drain, and the file is read 16 KiB at a time with its
 *   `readinto()` (or positioned reads of a descriptor) and written through the transport.
 *
 * The file is a descriptor (`fs.openSync`), a `FileHandle` (`fs.promises.open`), or a
 * Python-style file object with `readinto(buffer)` (and optionally `seek`, `fileno`, `mode`).
 * Node has no `lseek`: a descriptor's own position is neither used nor moved (reads start at
 * `offset`); a file object's `seek()` is called as CPython calls it.
 */
import { fstatSync, read } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { awaitable, type Coroutine, isCoroutine, isThenable } from "./coroutines.ts";
import type { AbstractEventLoop } from "./events.ts";
import {
  CancelledError,
  KeyError,
  RuntimeError,
  SendfileNotAvailableError,
  ValueError,
} from "./exceptions.ts";
import { compareError, pyRepr, pyTruthy, pyTypeName } from "./format.ts";
import { _newFuture, type Future, isFuture } from "./futures.ts";
import { isOSError, SocketTransport } from "./net_transports.ts";
import { ConnectionError, fromNodeError, makeOSError } from "./os_errors.ts";
import { type AnyProtocol, Protocol } from "./protocols.ts";
import { _awaitOverride, _outsideTasks, sleep } from "./tasks.ts";

/** A Python-style binary file object, as CPython's sendfile fallback reads it. */
export interface SendfileFileLike {
  /** Reads into `buffer`, returning the number of bytes read (0 or null at the end). */
  readinto(buffer: Uint8Array): number | null | PromiseLike<number | null>;
  seek?(offset: number): unknown;
  /** A descriptor to read from directly (the native path). */
  fileno?(): number;
  /** Python's open() mode: one without "b" is refused. */
  mode?: string;
}

/** What `loop.sendfile` sends: a descriptor, a `FileHandle` or a file object. */
export type SendfileFile = number | FileHandle | SendfileFileLike;

export interface SendfileOptions {
  /** Read and write the file by hand where the native path is not available (default true). */
  fallback?: boolean;
}

/** CPython's `_SendfileMode` of a transport. */
enum Mode {
  Unsupported,
  TryNative,
  Fallback,
}

/** The native path's chunk: a positioned read, then a socket write, each. */
const CHUNK = 256 * 1024;
/** CPython's fallback block size. */
const FALLBACK_BLOCK = 16384;

function modeOf(transport: unknown): Mode {
  if (!(transport instanceof SocketTransport) || transport._handedOver) return Mode.Unsupported;
  return transport._ssl === null ? Mode.TryNative : Mode.Fallback;
}

function isOptions(v: unknown): v is SendfileOptions {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** `loop.sendfile(transport, file, offset = 0, count = null, { fallback })`. */
export function* sendfileGen(
  loop: AbstractEventLoop,
  transport: unknown,
  file: SendfileFile,
  offset: number | SendfileOptions = 0,
  count: number | null | SendfileOptions = null,
  options: SendfileOptions = {},
): Coroutine<number> {
  // The options object may come in place of the trailing positional arguments.
  if (isOptions(offset)) [options, offset, count] = [offset, 0, null];
  else if (isOptions(count)) [options, count] = [count, null];
  // An omitted argument is the default; null is Python's None (refused by the checks).
  if (offset === undefined) offset = 0;
  if (count === undefined) count = null;
  const fallback = pyTruthy(options.fallback ?? true);
  if (typeof (transport as { isClosing?: unknown } | null)?.isClosing !== "function") {
    throw new TypeError(`'${pyTypeName(transport)}' object has no attribute 'is_closing'`);
  }
  if ((transport as { isClosing(): boolean }).isClosing()) {
    throw new RuntimeError("Transport is closing");
  }
  const mode = modeOf(transport);
  if (mode === Mode.Unsupported) {
    throw new RuntimeError(`sendfile is not supported for transport ${pyRepr(transport)}`);
  }
  const t = transport as SocketTransport;
  if (mode === Mode.TryNative) {
    try {
      return yield* sendfileNative(loop, t, file, offset, count);
    } catch (e) {
      if (!(e instanceof SendfileNotAvailableError) || !fallback) throw e;
    }
  }
  if (!fallback) {
    throw new RuntimeError(
      `fallback is disabled and native sendfile is not supported for transport ${pyRepr(transport)}`,
    );
  }
  return yield* sendfileFallback(loop, t, file, offset, count);
}

// ---- the native path (CPython: selector loop's _sendfile_native, then sock_sendfile) ----

function* sendfileNative(
  loop: AbstractEventLoop,
  t: SocketTransport,
  file: SendfileFile,
  offset: unknown,
  count: unknown,
): Coroutine<number> {
  // CPython takes the transport out of the loop's map of descriptors first: a second sendfile
  // while one runs fails there.
  if (t._sendfile) throw new KeyError(t._fd);
  const resumeReading = t.isReading();
  t.pauseReading();
  t._sendfile = true;
  try {
    yield* waitEmpty(loop, t);
    checkParams(file, offset, count);
    return yield* transferNative(loop, t, file, offset as number, count as number | null);
  } finally {
    t._sendfile = false;
    if (resumeReading) t.resumeReading();
  }
}

/**
 * The transport's buffer, drained (CPython's `_make_empty_waiter`, which fails with the
 * connection).
 */
function* waitEmpty(loop: AbstractEventLoop, t: SocketTransport): Coroutine<void> {
  const sock = t._sock;
  if (sock !== null && !sock.destroyed && sock.writableLength > 0) {
    const fut = _newFuture<void>(loop);
    _outsideTasks(() => sock.write(EMPTY, () => settle(loop, fut, null, undefined)));
    yield* fut;
  }
  if (t._sock === null || t._sock.destroyed || t._connLost !== 0) {
    throw new ConnectionError("Connection is closed by peer");
  }
}

const EMPTY = Buffer.alloc(0);

/** Python's `_check_sendfile_params` (the socket type is always SOCK_STREAM here). */
function checkParams(file: SendfileFile, offset: unknown, count: unknown): void {
  const mode = typeof file === "object" && file !== null ? (file as { mode?: unknown }).mode : "b";
  if (typeof mode === "string" && !mode.includes("b")) {
    throw new ValueError("file should be opened in binary mode");
  }
  if (count !== null) {
    if (!isInt(count)) {
      throw new TypeError(`count must be a positive integer (got ${pyRepr(count)})`);
    }
    if (Number(count) <= 0) {
      throw new ValueError(`count must be a positive integer (got ${pyRepr(count)})`);
    }
  }
  if (!isInt(offset)) {
    throw new TypeError(`offset must be a non-negative integer (got ${pyRepr(offset)})`);
  }
  if (Number(offset) < 0) {
    throw new ValueError(`offset must be a non-negative integer (got ${pyRepr(offset)})`);
  }
}

/** Python's `isinstance(v, int)`: bool is an int. */
function isInt(v: unknown): boolean {
  return (
    (typeof v === "number" && Number.isInteger(v)) ||
    typeof v === "bigint" ||
    typeof v === "boolean"
  );
}

/** The descriptor of `file`, or null for a file object without one. */
function descriptorOf(file: SendfileFile): number | null {
  if (typeof file === "number") return file;
  if (typeof file !== "object" || file === null) return null;
  const fd = (file as { fd?: unknown }).fd;
  if (typeof fd === "number" && typeof (file as { readinto?: unknown }).readinto !== "function") {
    return fd;
  }
  const fileno = (file as SendfileFileLike).fileno;
  if (typeof fileno !== "function") return null;
  try {
    const n = fileno.call(file);
    return typeof n === "number" ? n : null;
  } catch {
    return null;
  }
}

/** CPython's `_sock_sendfile_native` (unix_events): the file, straight to the socket. */
function* transferNative(
  loop: AbstractEventLoop,
  t: SocketTransport,
  file: SendfileFile,
  offset: number,
  count: number | null,
): Coroutine<number> {
  offset = Number(offset);
  const limit = count === null ? null : Number(count);
  const fd = descriptorOf(file);
  if (fd === null) throw new SendfileNotAvailableError("not a regular file");
  let size: number;
  let regular: boolean;
  try {
    const st = fstatSync(fd);
    size = st.size;
    regular = st.isFile();
  } catch {
    throw new SendfileNotAvailableError("not a regular file");
  }
  if (!(limit || size)) return 0;
  // sendfile(2) takes regular (mmap-able) files only: a pipe's descriptor fails at once.
  if (!regular) throw new SendfileNotAvailableError("os.sendfile call failed");
  let total = 0;
  let cancelled = false;
  try {
    const wanted = (pos: number): number =>
      limit === null ? CHUNK : Math.min(CHUNK, limit - (pos - offset));
    let pos = offset;
    let reading: (Future<number> & { _chunk: Buffer }) | null = readAt(loop, fd, wanted(pos), pos);
    while (reading !== null) {
      const n = yield* reading;
      if (n === 0) break;
      pos += n;
      const writing = writeToSocket(loop, t, reading._chunk.subarray(0, n));
      reading = wanted(pos) > 0 ? readAt(loop, fd, wanted(pos), pos) : null;
      yield* writing;
      total += n;
    }
    return total;
  } catch (e) {
    cancelled = e instanceof CancelledError;
    // CPython: a failed os.sendfile() before anything was sent means "use the fallback".
    if (total === 0 && !cancelled && isOSError(e)) {
      throw new SendfileNotAvailableError("os.sendfile call failed");
    }
    throw e;
  } finally {
    // Cancelled, CPython moves the position only when the socket next becomes writable.
    if (total > 0 && !cancelled) seekTo(file, offset + total);
  }
}

/** A read of up to `n` bytes at `pos` (null: where the descriptor is) into a fresh buffer (`_chunk`). */
function readAt(
  loop: AbstractEventLoop,
  fd: number,
  n: number,
  pos: number | null,
): Future<number> & { _chunk: Buffer } {
  const chunk = Buffer.allocUnsafe(n);
  const fut = Object.assign(_newFuture<number>(loop), { _chunk: chunk });
  _outsideTasks(() =>
    read(fd, chunk, 0, n, pos, (err, bytesRead) => settle(loop, fut, err, bytesRead)),
  );
  return fut;
}

function writeToSocket(loop: AbstractEventLoop, t: SocketTransport, data: Buffer): Future<void> {
  const fut = _newFuture<void>(loop);
  const sock = t._sock;
  // CPython's os.sendfile() on a socket closed meanwhile: EBADF; shut for writing (writeEof):
  // EPIPE.
  if (sock === null || sock.destroyed || sock.writableEnded) {
    fut._setExceptionUnchecked(makeOSError(sock?.writableEnded === true ? "EPIPE" : "EBADF"));
    return fut;
  }
  t._sendfileUnsent += data.length;
  _outsideTasks(() =>
    sock.write(data, (err) => {
      t._sendfileUnsent -= data.length;
      const gone = err !== null && err !== undefined && sock.destroyed && !("errno" in err);
      settle(loop, fut, gone ? makeOSError("EBADF") : err, undefined);
    }),
  );
  return fut;
}

function settle<T>(loop: AbstractEventLoop, fut: Future<T>, err: unknown, value: T): void {
  if (fut.done() || loop.isClosed()) return;
  if (err !== null && err !== undefined) fut._setExceptionUnchecked(fromNodeError(err));
  else fut.setResult(value);
}

/** Python's `file.seek(pos)` where the file has one (Node cannot move a descriptor). */
function seekTo(file: SendfileFile, pos: number): void {
  if (typeof file !== "object" || file === null) return;
  const seek = (file as SendfileFileLike).seek;
  if (typeof seek === "function" && typeof (file as SendfileFileLike).readinto === "function") {
    seek.call(file, pos);
  }
}

// ---- the fallback (CPython's _sendfile_fallback) ----

function* sendfileFallback(
  loop: AbstractEventLoop,
  t: SocketTransport,
  file: SendfileFile,
  offset: unknown,
  count: unknown,
): Coroutine<number> {
  const fd = isFileObject(file) ? null : descriptorOf(file);
  // A descriptor is read at positions (a pipe's as it comes: Python's seek() of a pipe fails
  // with ESPIPE); a file object is read and sought as CPython's fallback does, with the
  // arguments as given.
  let positioned = false;
  let blocksize: number;
  if (fd !== null) {
    checkParams(file, offset, count);
    try {
      positioned = fstatSync(fd).isFile();
    } catch (e) {
      throw fromNodeError(e);
    }
    if (!positioned && Number(offset) !== 0) throw makeOSError("ESPIPE");
    blocksize = pyTruthy(count) ? Math.min(Number(count), FALLBACK_BLOCK) : FALLBACK_BLOCK;
  } else {
    if (!isFileObject(file)) {
      throw new TypeError(`'${pyTypeName(file)}' object has no attribute 'readinto'`);
    }
    if (pyTruthy(offset)) {
      if (typeof file.seek !== "function") {
        throw new TypeError(`'${pyTypeName(file)}' object has no attribute 'seek'`);
      }
      file.seek(offset as number);
    }
    blocksize = fallbackBlocksize(count);
  }
  const limit = pyTruthy(count) ? Number(count) : 0;
  const start = fd !== null ? Number(offset) : 0;
  let total = 0;
  const proto = new _SendfileFallbackProtocol(t, loop);
  try {
    for (;;) {
      if (limit) {
        blocksize = Math.min(limit - total, blocksize);
        if (blocksize <= 0) return total;
      }
      // A fresh block each time: the transport may keep the bytes it was given.
      let data: Buffer;
      let n: number;
      if (fd !== null) {
        const reading = readAt(loop, fd, blocksize, positioned ? start + total : null);
        n = yield* reading;
        data = reading._chunk;
      } else {
        data = Buffer.alloc(blocksize);
        n = readCount(yield* readInto(file as SendfileFileLike, data));
      }
      if (n === 0) return total;
      yield* proto.drain();
      // Python's `view[:read]`: a negative count leaves that many bytes off the end.
      t.write(data.subarray(0, n));
      total += n;
    }
  } finally {
    if (total > 0 && fd === null && typeof (file as SendfileFileLike).seek === "function") {
      (file as SendfileFileLike).seek!(pyAddInt(offset, total));
    }
    proto.restore();
  }
}

/** CPython's `min(count, 16384)`, then `bytearray()` of it, for a truthy `count`. */
function fallbackBlocksize(count: unknown): number {
  if (!pyTruthy(count)) return FALLBACK_BLOCK;
  if (typeof count === "boolean") return Number(count);
  if (typeof count === "bigint") return Math.min(Number(count), FALLBACK_BLOCK);
  if (typeof count !== "number") throw compareError("<", FALLBACK_BLOCK, count);
  // Math.min gives NaN for NaN, which Python's min() keeps too (16384 < nan is false).
  const size = Math.min(count, FALLBACK_BLOCK);
  if (!Number.isInteger(size)) throw new TypeError("cannot convert 'float' object to bytearray");
  if (size < 0) throw new ValueError("negative count");
  return size;
}

/** What `readinto()` returned, as the fallback uses it: `if not read` ends; `view[:read]`. */
function readCount(n: unknown): number {
  if (!pyTruthy(n)) return 0;
  if (typeof n === "boolean" || typeof n === "bigint") return Number(n);
  if (typeof n === "number" && Number.isInteger(n)) return n;
  throw new TypeError("slice indices must be integers or None or have an __index__ method");
}

/** Python's `offset + total` for the final seek of a file object. */
function pyAddInt(offset: unknown, total: number): number {
  if (typeof offset === "number" || typeof offset === "boolean" || typeof offset === "bigint") {
    return Number(offset) + total;
  }
  if (typeof offset === "string") {
    throw new TypeError('can only concatenate str (not "int") to str');
  }
  throw new TypeError(`unsupported operand type(s) for +: '${pyTypeName(offset)}' and 'int'`);
}

function isFileObject(file: unknown): file is SendfileFileLike {
  return (
    typeof file === "object" &&
    file !== null &&
    typeof (file as { readinto?: unknown }).readinto === "function"
  );
}

/**
 * `file.readinto(view)`: its result, awaited if it is a promise or coroutine. CPython runs it
 * in the default executor, so each block costs the task at least one loop iteration: a
 * synchronous one is followed by a bare yield, and the loop goes round between blocks.
 */
function* readInto(file: SendfileFileLike, view: Uint8Array): Coroutine<unknown> {
  const r: unknown = file.readinto(view);
  if (isThenable(r) || isCoroutine(r) || isFuture(r)) return yield* _awaitOverride(r);
  yield* sleep(0);
  return r;
}

/** `loop.sendfile` (a coroutine function, as CPython's `async def`). */
export const sendfile = awaitable(sendfileGen, "BaseEventLoop.sendfile");

/**
 * CPython's `_SendfileFallbackProtocol`: stands in for the transport's protocol during a
 * fallback transfer, turning flow control into `drain()`; `restore()` puts the protocol back.
 */
export class _SendfileFallbackProtocol extends Protocol {
  private readonly _loop: AbstractEventLoop;
  private readonly _transport: SocketTransport;
  private readonly _proto: AnyProtocol;
  private readonly _shouldResumeReading: boolean;
  private readonly _shouldResumeWriting: boolean;
  private _writeReadyFut: Future<boolean> | null;

  constructor(transp: SocketTransport, loop: AbstractEventLoop) {
    super();
    this._loop = loop;
    this._transport = transp;
    this._proto = transp.getProtocol();
    this._shouldResumeReading = transp.isReading();
    this._shouldResumeWriting = transp._protocolPaused;
    transp.pauseReading();
    transp.setProtocol(this as AnyProtocol);
    this._writeReadyFut = this._shouldResumeWriting ? _newFuture<boolean>(loop) : null;
  }

  *drain(): Coroutine<void> {
    if (this._transport.isClosing()) throw new ConnectionError("Connection closed by peer");
    const fut = this._writeReadyFut;
    if (fut === null) return;
    yield* fut;
  }

  override connectionMade(_transport: unknown): void {
    throw new RuntimeError("Invalid state: connection should have been established already.");
  }

  override connectionLost(exc: Error | null): void {
    const fut = this._writeReadyFut;
    if (fut !== null) {
      // The peer cannot have read the whole file: from the sender's side, always an error.
      fut.setException(exc ?? new ConnectionError("Connection is closed by peer"));
    }
    this._proto.connectionLost?.(exc);
  }

  override pauseWriting(): void {
    if (this._writeReadyFut !== null) return;
    this._writeReadyFut = _newFuture<boolean>(this._loop);
  }

  override resumeWriting(): void {
    const fut = this._writeReadyFut;
    if (fut === null) return;
    fut.setResult(false);
    this._writeReadyFut = null;
  }

  override dataReceived(_data: Uint8Array): void {
    throw new RuntimeError("Invalid state: reading should be paused");
  }

  override eofReceived(): void {
    throw new RuntimeError("Invalid state: reading should be paused");
  }

  restore(): void {
    this._transport.setProtocol(this._proto);
    if (this._shouldResumeReading) this._transport.resumeReading();
    // Nothing waits for it any more: the protocol is back.
    this._writeReadyFut?.cancel();
    if (this._shouldResumeWriting) this._proto.resumeWriting?.();
  }
}
