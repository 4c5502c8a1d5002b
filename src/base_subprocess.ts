/**
 * Child processes on Node's `child_process` (Python's `base_subprocess` and the Unix pipe
 * transports of `unix_events`): the subprocess transport, the pipe transports of its stdin,
 * stdout and stderr, and `loop.subprocessExec` / `loop.subprocessShell`.
 *
 * Callback order is CPython's: `connectionMade(transport)`; then `pipeDataReceived(fd, data)`,
 * `pipeConnectionLost(fd, exc)` and `processExited()` as they happen; `connectionLost(null)` once
 * the process has exited and every pipe is closed, which is also when `wait()` returns.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { accessSync, constants as fsConstants, readFileSync, statSync } from "node:fs";
import { constants as osConstants } from "node:os";
import type { Readable, Writable } from "node:stream";
import { _currentContext, type Context, copyContext } from "./contextvars.ts";
import { awaitable, type Coroutine } from "./coroutines.ts";
import { _boundMethod, type AbstractEventLoop, BOUND_SELF, type Handle } from "./events.ts";
import { AssertionError, KeyError, OverflowError, ValueError } from "./exceptions.ts";
import {
  allOptions,
  customRepr,
  libraryClasses,
  pyClassName,
  pyRepr,
  pyTruthy,
  pyTypeName,
} from "./format.ts";
import { _newFuture, type Future, setResultUnlessCancelled } from "./futures.ts";
import { logger } from "./log.ts";
import { forgetUnsent, reportFatalError, unsentOf } from "./net_transports.ts";
import {
  BrokenPipeError,
  fromNodeError,
  makeOSError,
  OSError,
  ProcessLookupError,
} from "./os_errors.ts";
import { type AnyProtocol, callConnectionMade, protocolCall } from "./protocols.ts";
import { _outsideTasks, _skipTaskName } from "./tasks.ts";
import {
  _limitArgs,
  _maybePauseProtocol,
  _maybeResumeProtocol,
  _writeBufferLimits,
  type BufferLimit,
  type FlowControlled,
  ReadTransport,
  SubprocessTransport,
  Transport,
} from "./transports.ts";

/** Python's `subprocess.PIPE`: connect a pipe to the child's stream. */
export const PIPE = -1;
/** Python's `subprocess.STDOUT`: send the child's stderr where its stdout goes. */
export const STDOUT = -2;
/** Python's `subprocess.DEVNULL`: connect the stream to /dev/null. */
export const DEVNULL = -3;

/** What a child stream may be connected to: PIPE, DEVNULL, STDOUT (stderr only), a file descriptor, or null (inherit). */
export type StdioSpec = number | null | undefined;

const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;
/**
 * How much a read pipe queues before it pauses its stream: a pipe's kernel buffer, so a child
 * whose reader stops reading blocks about when it would under CPython.
 */
const MAX_SIZE = 64 * 1024;

function callLater0(
  loop: AbstractEventLoop,
  ctx: Context,
  fn: (...a: never[]) => unknown,
  ...args: unknown[]
): void {
  if (!loop.isClosed()) loop._callSoonWithContext(fn as (...a: unknown[]) => unknown, args, ctx);
}

// ---------------------------------------------------------------------------------------------
// Pipe transports
// ---------------------------------------------------------------------------------------------

const readPipeAddReader = _boundMethod(
  "_UnixReadPipeTransport._add_reader",
  (t: ReadPipeTransport, _fd: number, _callback: unknown) => t._addReader(),
);
const readPipeReadReady = _boundMethod(
  "_UnixReadPipeTransport._read_ready",
  (t: ReadPipeTransport) => t._readReady(),
);
const readPipeConnectionLost = _boundMethod(
  "_UnixReadPipeTransport._call_connection_lost",
  (t: ReadPipeTransport, exc: Error | null) => t._callConnectionLost(exc),
);
const writePipeWriteReady = _boundMethod(
  "_UnixWritePipeTransport._write_ready",
  (t: WritePipeTransport) => t._writeReady(),
);
const writePipeReadReady = _boundMethod(
  "_UnixWritePipeTransport._read_ready",
  (t: WritePipeTransport) => t._peerClosed(),
);
const writePipeConnectionLost = _boundMethod(
  "_UnixWritePipeTransport._call_connection_lost",
  (t: WritePipeTransport, exc: Error | null) => t._callConnectionLost(exc),
);

/**
 * The protocol's `eof_received` that a read pipe schedules at EOF (CPython schedules the bound
 * method of the protocol it has then): shown as that method's qualified name, the class that
 * defines it (`MyProtocol.eof_received()`, `Protocol.eof_received()` when inherited).
 */
const callEofReceived = Object.assign((p: AnyProtocol) => p.eofReceived?.(), {
  [BOUND_SELF]: true,
  [customRepr](args?: readonly unknown[]): string {
    const p = args?.[0] as object | null | undefined;
    if (p === null || p === undefined) return "eof_received";
    let owner: object | null = p;
    while (owner !== null && !Object.hasOwn(owner, "eofReceived")) {
      owner = Object.getPrototypeOf(owner) as object | null;
    }
    const definer =
      owner !== null && owner !== p && Object.hasOwn(owner, "constructor") ? owner : p;
    return `${definer.constructor?.name ?? "object"}.eof_received`;
  },
});

/** The `_read_ready` argument of the `_add_reader` call shown in a debug repr. */
function boundReadReadyRepr(t: ReadPipeTransport): object {
  return {
    [customRepr]: () => `<bound method _UnixReadPipeTransport._read_ready of ${t[customRepr]()}>`,
  };
}

/** The read end of a pipe (Python's `_UnixReadPipeTransport`): a child's stdout or stderr. */
export class ReadPipeTransport extends ReadTransport {
  /** @internal */ _loop: AbstractEventLoop | null;
  /** @internal */ _pipe: Readable | null;
  /** @internal */ _protocol: AnyProtocol | null;
  /** @internal */ _closing = false;
  /** @internal */ _paused = false;
  /** @internal */ _connLost = false;
  /** @internal */ readonly _context: Context;
  /** @internal */ _rq: Buffer[] = [];
  /** @internal */ _rqBytes = 0;
  /** @internal */ _eof = false;
  /** @internal */ _error: unknown = null;
  /** @internal */ _readerAdded = false;
  /**
   * @internal The context reads run in: a copy taken when reading starts (CPython's
   * `_add_reader`) or resumes; each other callback gets a copy of the one it comes from.
   */
  _readerContext: Context | null = null;
  /** @internal */ _readScheduled = false;
  /** the queued read (CPython's selected reader handle): a pause cancels it */
  private _readHandle: Handle | null = null;
  /** @internal the pipe's file descriptor (Python's `_fileno`), kept for the repr after close */
  _fd: number;

  private readonly _onData = (chunk: Buffer): void => {
    this._rq.push(chunk);
    this._rqBytes += chunk.length;
    this._sync();
    this._schedule();
  };
  private readonly _onEnd = (): void => {
    this._eof = true;
    this._schedule();
  };
  private readonly _onError = (err: unknown): void => {
    if (this._error === null) this._error = fromNodeError(err);
    this._schedule();
  };

  /** @internal */
  constructor(
    loop: AbstractEventLoop,
    pipe: Readable,
    protocol: AnyProtocol,
    extra?: Record<string, unknown>,
  ) {
    super(extra ?? null);
    this._loop = loop;
    loop._madeIO = true;
    this._pipe = pipe;
    this._fd = pipeFd(pipe, -1);
    this._protocol = protocol;
    this._context = copyContext();
    pipe.on("data", this._onData);
    pipe.on("end", this._onEnd);
    pipe.on("error", this._onError);
    (pipe as { unref?: () => void }).unref?.();
    loop._callSoonWithContext(callConnectionMade, [this], this._context.copy());
    loop._callSoonWithContext(
      readPipeAddReader,
      [this, this._fd, boundReadReadyRepr(this)],
      this._context.copy(),
    );
  }

  /** @internal Python's `_add_reader`: reading starts once connectionMade has run. */
  _addReader(): void {
    this._readerAdded = true;
    this._readerContext = copyContext();
    this._sync();
    this._schedule();
  }

  private _sync(): void {
    const pipe = this._pipe;
    if (pipe === null || pipe.destroyed) return;
    const want = !this._paused && !this._closing && this._rqBytes < MAX_SIZE;
    if (want) {
      if (pipe.isPaused()) pipe.resume();
    } else if (!pipe.isPaused()) {
      pipe.pause();
    }
  }

  private _schedule(): void {
    if (this._readScheduled || !this._readerAdded || this._paused || this._closing) return;
    if (this._rq.length === 0 && !this._eof && this._error === null) return;
    const loop = this._loop;
    if (loop === null || loop.isClosed()) return;
    this._readScheduled = true;
    this._readHandle = loop._callSoonWithContext(
      readPipeReadReady,
      [this],
      this._readerContext ?? this._context,
    );
  }

  /**
   * @internal Python's `_read_ready`: what arrived goes to `dataReceived`. As in CPython, an
   * error that method raises is not caught here: it goes to the loop's exception handler as
   * the callback's ("Exception in callback _UnixReadPipeTransport._read_ready()"), and reading
   * goes on.
   */
  _readReady(): void {
    this._readScheduled = false;
    this._readHandle = null;
    if (this._closing || this._paused || this._protocol === null) return;
    if (this._rq.length > 0) {
      const data = this._rq.length === 1 ? this._rq[0]! : Buffer.concat(this._rq, this._rqBytes);
      this._rq = [];
      this._rqBytes = 0;
      this._sync();
      try {
        this._protocol.dataReceived?.(data);
      } finally {
        this._schedule();
      }
      return;
    }
    if (this._error !== null) {
      this._fatalError(this._error, "Fatal read error on pipe transport");
      return;
    }
    if (this._eof) {
      if (this._loop!.getDebug()) logger.info(`${this[customRepr]()} was closed by peer`);
      this._closing = true;
      this._connLost = true;
      const loop = this._loop!;
      const reader = this._readerContext ?? this._context;
      loop._callSoonWithContext(callEofReceived, [this._protocol], reader.copy());
      loop._callSoonWithContext(readPipeConnectionLost, [this, null], reader.copy());
    }
  }

  override isReading(): boolean {
    return !this._paused && !this._closing;
  }

  override pauseReading(): void {
    if (!this.isReading()) return;
    this._paused = true;
    // CPython removes the reader: a read already selected does not run.
    if (this._readHandle !== null) {
      this._readHandle.cancel();
      this._readHandle = null;
      this._readScheduled = false;
    }
    this._sync();
  }

  override resumeReading(): void {
    if (this._closing || !this._paused) return;
    this._paused = false;
    // CPython adds the reader again: reads run in a copy of the caller's context.
    if (this._readerAdded) this._readerContext = copyContext();
    this._sync();
    this._schedule();
  }

  override setProtocol(protocol: AnyProtocol): void {
    this._protocol = protocol;
  }

  override getProtocol(): AnyProtocol {
    return this._protocol!;
  }

  override isClosing(): boolean {
    return this._closing;
  }

  override close(): void {
    // connectionLost runs in the caller's context, as CPython's call_soon from close().
    if (!this._closing) this._close(null, _currentContext()._snapshot());
  }

  /** @internal */
  _fatalError(exc: unknown, message = "Fatal error on pipe transport"): void {
    if (this._loop === null) return;
    reportFatalError(this, exc, message);
    // From the reader's callback: connectionLost in a copy of its context.
    this._close(exc as Error, (this._readerContext ?? this._context).copy());
  }

  private _close(exc: Error | null, context: Context): void {
    if (this._connLost) return;
    this._closing = true;
    this._connLost = true;
    this._sync();
    const loop = this._loop;
    if (loop !== null && !loop.isClosed()) {
      loop._callSoonWithContext(readPipeConnectionLost, [this, exc], context);
    } else {
      this._pipe?.destroy();
    }
  }

  /** @internal */
  _callConnectionLost(exc: Error | null): void {
    try {
      this._protocol?.connectionLost?.(exc);
    } finally {
      this._pipe?.destroy();
      this._pipe = null;
      this._protocol = null;
      this._loop = null;
      this._readerContext = null;
    }
  }

  [customRepr](): string {
    // As _UnixReadPipeTransport's: the state, the fd, then whether the pipe is read from.
    const info = [pyClassName(this, ReadPipeTransport, "_UnixReadPipeTransport")];
    if (this._pipe === null) info.push("closed");
    else if (this._closing) info.push("closing");
    info.push(`fd=${pipeFd(this._pipe, this._fd)}`);
    // Polled once its reader is added (after connectionMade), while not paused or closing.
    if (this._pipe === null) info.push("closed");
    else info.push(!this._readerAdded || this._paused || this._closing ? "idle" : "polling");
    return `<${info.join(" ")}>`;
  }

  override toString(): string {
    return this[customRepr]();
  }
}

/** The file descriptor under a Node stream (its libuv handle's), else `otherwise`. */
function pipeFd(pipe: unknown, otherwise: number): number {
  const fd = (pipe as { _handle?: { fd?: unknown } } | null)?._handle?.fd;
  return typeof fd === "number" && fd >= 0 ? fd : otherwise;
}

/**
 * The write end of a pipe (Python's `_UnixWritePipeTransport`): a child's stdin. A Transport,
 * as CPython's: its reading methods are Transport's, which raise NotImplementedError.
 */
export class WritePipeTransport extends Transport implements FlowControlled {
  /** @internal */ _loop: AbstractEventLoop | null;
  /** @internal */ _pipe: Writable | null;
  /** @internal */ _protocol: AnyProtocol | null;
  /** @internal set by close(), writeEof() and abort() */
  _closing = false;
  /**
   * @internal connectionLost is scheduled (or done): the write end is flushed and closed, or
   * aborted. CPython's transport has removed its reader then.
   */
  _lost = false;
  /** @internal the writes dropped after close or loss, and failed ones (Python's `_conn_lost`) */
  _connLost = 0;
  /** @internal */ _protocolPaused = false;
  /** @internal */ _highWater = 64 * 1024;
  /** @internal */ _lowWater = 16 * 1024;
  /** @internal */ readonly _context: Context;
  /**
   * @internal The context of the write() that left bytes buffered (or failed at once): where
   * CPython's writer callback, and what it calls, run.
   */
  _writerContext: Context | null = null;
  /** @internal */ _writeScheduled = false;
  /** @internal the pipe's file descriptor (Python's `_fileno`), kept for the repr after close */
  _fd: number;

  private readonly _onError = (err: unknown): void => {
    if (this._lost || this._loop === null) return;
    const code = (err as { code?: string }).code;
    if ((code === "EPIPE" || code === "ECONNRESET") && !this._writeFailedAtOnce) {
      // The reader went away with data still to write: CPython's selector sees the pipe's
      // hang-up (its _read_ready) before any write fails; Node's pending write fails first.
      this._peerClosed(true);
      return;
    }
    const exc = code === "EPIPE" ? new BrokenPipeError(32, "Broken pipe") : fromNodeError(err);
    this._connLost++;
    this._fatalError(exc, "Fatal write error on pipe transport");
  };

  /** @internal see write() */
  private _writeFailedAtOnce = false;

  private readonly _onWritten = (err?: Error | null): void => {
    if (err !== undefined && err !== null) return;
    const loop = this._loop;
    const pipe = this._pipe;
    if (this._lost || loop === null || pipe === null || this._writeScheduled) return;
    const size = pipe.writableLength;
    if ((this._protocolPaused && size <= this._lowWater) || (this._closing && size === 0)) {
      if (loop.isClosed()) return;
      this._writeScheduled = true;
      loop._callSoonWithContext(writePipeWriteReady, [this], this._writerContext ?? this._context);
    }
  };

  /** @internal */
  constructor(
    loop: AbstractEventLoop,
    pipe: Writable,
    protocol: AnyProtocol,
    extra?: Record<string, unknown>,
  ) {
    super(extra ?? null);
    this._loop = loop;
    loop._madeIO = true;
    this._pipe = pipe;
    this._fd = pipeFd(pipe, -1);
    this._protocol = protocol;
    this._context = copyContext();
    pipe.on("error", this._onError);
    (pipe as { unref?: () => void }).unref?.();
    loop._callSoonWithContext(callConnectionMade, [this], this._context.copy());
  }

  override getWriteBufferSize(): number {
    const pipe = this._pipe;
    return pipe === null || pipe.destroyed ? 0 : pipe.writableLength;
  }

  override getWriteBufferLimits(): [number, number] {
    return [this._lowWater, this._highWater];
  }

  override setWriteBufferLimits(high?: BufferLimit, low?: number | null): void {
    [this._highWater, this._lowWater] = _writeBufferLimits(
      ..._limitArgs(high, low, "set_write_buffer_limits"),
    );
    _maybePauseProtocol(this, this);
  }

  override write(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) {
      // CPython: `assert isinstance(data, (bytes, bytearray, memoryview)), repr(data)`.
      if (!ArrayBuffer.isView(data)) throw new AssertionError(pyRepr(data));
      const v = data as ArrayBufferView;
      data = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    }
    if (data.length === 0) return;
    if (this._connLost !== 0 || this._closing) {
      if (this._connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        logger.warning("pipe closed by peer or os.write(pipe, data) raised exception.");
      }
      this._connLost++;
      return;
    }
    const pipe = this._pipe!;
    const wasEmpty = pipe.writableLength === 0;
    pipe.write(data, this._onWritten);
    // A write Node tried at once and that failed (the reader had gone): CPython's write() calls
    // os.write itself then, and that error is fatal, unlike the hang-up its loop sees later.
    if (pipe.errored !== null) this._writeFailedAtOnce = true;
    // A write into an empty buffer that leaves bytes (or fails): CPython adds a writer, in a
    // copy of this caller's context.
    if (wasEmpty && (pipe.errored !== null || pipe.writableLength > 0)) {
      this._writerContext = copyContext();
    }
    if (pipe.writableLength > 0) {
      unsentOf(this._loop!).add(this);
      _maybePauseProtocol(this, this);
    }
  }

  /** @internal See net_transports' dropUnsentWrites. */
  _dropIfUnsent(): void {
    const pipe = this._pipe;
    if (pipe !== null && !pipe.destroyed && pipe.writableLength > 0) pipe.destroy();
  }

  /** @internal */
  _writeReady(): void {
    this._writeScheduled = false;
    if (this._lost) return;
    _maybeResumeProtocol(this, this);
    if (this._closing && this.getWriteBufferSize() === 0) {
      this._lost = true;
      this._callConnectionLost(null);
    }
    if (this.getWriteBufferSize() === 0) this._writerContext = null;
  }

  override canWriteEof(): boolean {
    return true;
  }

  override writeEof(): void {
    if (this._closing) return;
    this._closing = true;
    if (this.getWriteBufferSize() === 0) {
      this._lost = true;
      // In the caller's context, as CPython's call_soon from write_eof() (and close()).
      this._loop!._callSoonWithContext(
        writePipeConnectionLost,
        [this, null],
        _currentContext()._snapshot(),
      );
    }
  }

  override setProtocol(protocol: AnyProtocol): void {
    this._protocol = protocol;
  }

  override getProtocol(): AnyProtocol {
    return this._protocol!;
  }

  override isClosing(): boolean {
    return this._closing;
  }

  override close(): void {
    if (this._pipe !== null && !this._closing) this.writeEof();
  }

  /** Closes at once: what is buffered is dropped (the child does not get it). */
  override abort(): void {
    this._close(null, _currentContext()._snapshot());
  }

  /**
   * @internal Watches the reading end while the child runs: a child's stdin is a socket pair,
   * on which CPython adds a reader whose readiness means the child closed its end. Node never
   * reads a child's stdin socket; its handle is made to, and whatever it reports (EOF, or data
   * the child wrote back) is that hang-up.
   */
  _watchHangUp(): void {
    type StreamHandle = { readStart?: () => number; readStop?: () => number; onread?: unknown };
    const handle = (this._pipe as { _handle?: StreamHandle } | null)?._handle;
    if (handle === undefined || typeof handle.readStart !== "function") return;
    handle.onread = () => {
      handle.readStop?.();
      const loop = this._loop;
      if (this._lost || loop === null || loop.isClosed()) return;
      loop._callSoonWithContext(writePipeReadReady, [this], this._context);
    };
    handle.readStart();
  }

  /** @internal The reading end went away (the child closed it or exited): Python's `_read_ready` of a write pipe. */
  _peerClosed(writeFailed = false): void {
    if (this._lost || this._pipe === null) return;
    if (this._loop?.getDebug()) logger.info(`${this[customRepr]()} was closed by peer`);
    // (a failed write had data that Node has dropped from its buffer)
    if (writeFailed || this.getWriteBufferSize() > 0) this._close(new BrokenPipeError());
    else this._close(null);
  }

  /** @internal */
  _fatalError(exc: unknown, message = "Fatal error on pipe transport"): void {
    if (this._loop === null) return;
    reportFatalError(this, exc, message);
    // A write that failed: in the context of that write() (CPython's write() or writer
    // callback calls it).
    this._close(exc as Error, this._writerContext ?? this._context);
  }

  /**
   * Python's `_close`: the buffer is dropped now (the stream destroyed, so that the child gets
   * nothing more), connectionLost comes in the next iteration.
   */
  private _close(exc: Error | null, context: Context = this._context): void {
    this._closing = true;
    if (this._lost) return;
    this._lost = true;
    this._pipe?.destroy();
    const loop = this._loop;
    if (loop !== null && !loop.isClosed()) {
      loop._callSoonWithContext(writePipeConnectionLost, [this, exc], context);
    }
  }

  /** @internal */
  _callConnectionLost(exc: Error | null): void {
    const pipe = this._pipe;
    try {
      this._protocol?.connectionLost?.(exc);
    } finally {
      if (pipe !== null && !pipe.destroyed) pipe.end(() => pipe.destroy());
      if (this._loop !== null) forgetUnsent(this._loop, this);
      this._pipe = null;
      this._protocol = null;
      this._loop = null;
      this._writerContext = null;
    }
  }

  [customRepr](): string {
    // As _UnixWritePipeTransport's: the state, the fd, then whether writes wait and how much.
    const info = [pyClassName(this, WritePipeTransport, "_UnixWritePipeTransport")];
    if (this._pipe === null) info.push("closed");
    else if (this._closing) info.push("closing");
    info.push(`fd=${pipeFd(this._pipe, this._fd)}`);
    if (this._pipe === null) {
      info.push("closed");
    } else {
      const size = this.getWriteBufferSize();
      info.push(size > 0 ? "polling" : "idle", `bufsize=${size}`);
    }
    return `<${info.join(" ")}>`;
  }

  override toString(): string {
    return this[customRepr]();
  }
}

// ---------------------------------------------------------------------------------------------
// The subprocess transport
// ---------------------------------------------------------------------------------------------

/** Python's `WriteSubprocessPipeProto` / `ReadSubprocessPipeProto`. */
class SubprocessPipeProto {
  pipe: ReadPipeTransport | WritePipeTransport | null = null;
  disconnected = false;
  constructor(
    public proc: BaseSubprocessTransport | null,
    readonly fd: number,
  ) {}
  connectionMade(transport: ReadPipeTransport | WritePipeTransport): void {
    this.pipe = transport;
  }
  connectionLost(exc: Error | null): void {
    this.disconnected = true;
    this.proc?._pipeConnectionLost(this.fd, exc);
    this.proc = null;
  }
  pauseWriting(): void {
    this.proc?._protocol?.pauseWriting?.();
  }
  resumeWriting(): void {
    this.proc?._protocol?.resumeWriting?.();
  }
  dataReceived(data: Buffer): void {
    this.proc?._pipeDataReceived(this.fd, data);
  }
  [customRepr](): string {
    return `<${this.fd === 0 ? "WriteSubprocessPipeProto" : "ReadSubprocessPipeProto"} fd=${this.fd} pipe=${pyRepr(this.pipe)}>`;
  }
}

/** Options of `loop.subprocessExec` / `subprocessShell` (Python's Popen keywords that Node supports). */
export interface SubprocessOptions {
  stdin?: StdioSpec;
  stdout?: StdioSpec;
  stderr?: StdioSpec;
  /** Working directory of the child. */
  cwd?: string | null;
  /** The child's environment (default: this process's). */
  env?: Record<string, string | undefined> | null;
  /**
   * The program to run: for exec, instead of `program` (which stays `argv[0]`); for shell,
   * instead of `/bin/sh` (run as `[executable, "-c", cmd]`).
   */
  executable?: string | null;
  /** Run the child in a new session (Node: `detached`). */
  startNewSession?: boolean;
  /** Descriptors the child keeps, under the same numbers (beyond stdin, stdout, stderr). */
  passFds?: Iterable<number> | null;
  /** Must be true, the default: Node closes every other descriptor in the child. */
  closeFds?: boolean;
  /** The user the child runs as: a uid or a name (looked up in /etc/passwd). */
  user?: number | string | null;
  /** The group the child runs as: a gid or a name (looked up in /etc/group). */
  group?: number | string | null;
  /** Must be 0 (Python's check). */
  bufsize?: number;
  universalNewlines?: boolean;
  text?: boolean;
  encoding?: string | null;
  errors?: string | null;
  shell?: boolean;
}

function nodeStdio(spec: StdioSpec, which: string): "pipe" | "ignore" | "inherit" | number {
  if (spec === null || spec === undefined) return "inherit";
  if (spec === PIPE) return "pipe";
  if (spec === DEVNULL) return "ignore";
  if (spec === STDOUT) {
    // CPython's Popen refuses stdout=STDOUT in the parent; stdin=STDOUT is fd -2, which the
    // child fails to dup2 (EBADF, reported to the parent).
    if (which === "stdin") throw new OSError(9, "Bad file descriptor");
    throw new ValueError("STDOUT can only be used for stderr");
  }
  if (typeof spec === "number" && Number.isInteger(spec)) {
    // Any other negative number is a descriptor the child cannot dup2() (EBADF, as CPython).
    if (spec < 0) throw new OSError(9, "Bad file descriptor");
    return spec;
  }
  throw new TypeError(
    `${which} must be PIPE, DEVNULL, STDOUT, a file descriptor or None, not ${pyRepr(spec)}`,
  );
}

/*
 * The protocol calls a subprocess transport schedules, shown in reprs and "Exception in
 * callback" messages as the bound methods CPython schedules (`MyProtocol.pipe_data_received()`,
 * `BaseSubprocessTransport._call_connection_lost(None)`): the transport argument is `self`.
 */
const callPipeDataReceived = protocolCall(
  "pipe_data_received",
  (t: BaseSubprocessTransport, fd: number, data: Buffer) =>
    t._protocol?.pipeDataReceived?.(fd, data),
);
const callPipeConnectionLost = protocolCall(
  "pipe_connection_lost",
  (t: BaseSubprocessTransport, fd: number, exc: Error | null) =>
    t._protocol?.pipeConnectionLost?.(fd, exc),
);
const callProcessExited = protocolCall("process_exited", (t: BaseSubprocessTransport) =>
  t._protocol?.processExited?.(),
);
const callConnectionLost = Object.assign(
  (t: BaseSubprocessTransport, exc: Error | null) => t._callConnectionLost(exc),
  { [customRepr]: () => "BaseSubprocessTransport._call_connection_lost", [BOUND_SELF]: true },
);

/** The signal numbers Node has names for (the others, 32..64, it reports as no signal). */
const NAMED_SIGNALS = new Set(Object.values(osConstants.signals as Record<string, number>));

/**
 * Whether signal `sig` sent now would kill process `pid` (Linux's /proc): the process is not
 * a zombie and neither blocks (its main thread), ignores nor catches the signal, so the
 * default action (termination, for the realtime signals) happens at delivery.
 */
function killedBySignal(pid: number, sig: number): boolean {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "latin1");
  } catch {
    return false;
  }
  const field = (name: string): string | null =>
    new RegExp(`^${name}:\\s*(\\S+)`, "m").exec(status)?.[1] ?? null;
  const state = field("State");
  if (state === null || state === "Z" || state === "X") return false;
  const bit = 1n << BigInt(sig - 1);
  for (const name of ["SigBlk", "SigIgn", "SigCgt"]) {
    const mask = field(name);
    if (mask === null || !/^[0-9a-f]+$/i.test(mask)) return false;
    if ((BigInt(`0x${mask}`) & bit) !== 0n) return false;
  }
  return true;
}

function signalNumber(sig: number | string): number {
  if (typeof sig === "number") return sig;
  const n = (osConstants.signals as Record<string, number | undefined>)[sig];
  if (n === undefined) throw new ValueError(`invalid signal ${pyRepr(sig)}`);
  return n;
}

/** The transport of a child process (Python's `BaseSubprocessTransport`). */
export class BaseSubprocessTransport extends SubprocessTransport {
  /** @internal */ _closed = false;
  /** @internal */ _protocol: AnyProtocol | null;
  /** @internal */ _loop: AbstractEventLoop | null;
  /** @internal */ _proc: ChildProcess | null = null;
  /** @internal */ _pid: number | null = null;
  /** @internal */ _returncode: number | null = null;
  /** @internal */ _exitWaiters: Future<number>[] | null = [];
  /** @internal */ _pendingCalls: [(...a: never[]) => unknown, unknown[]][] | null = [];
  /** @internal */ _pipes = new Map<number, SubprocessPipeProto | null>();
  /** @internal */ _finished = false;
  /** @internal */ _spawnFailed = false;
  /** @internal */ readonly _context: Context;
  /** @internal */ _program: string;
  /**
   * @internal A signal Node has no name for that sendSignal sent while the child could not
   * block, ignore nor catch it: Node reports that death as exit status 0, no signal.
   */
  _unnamedFatalSignal: number | null = null;

  /** @internal Created by `loop.subprocessExec` / `subprocessShell`. */
  constructor(
    loop: AbstractEventLoop,
    protocol: AnyProtocol,
    args: string[],
    shell: boolean,
    options: SubprocessOptions,
    waiter: Future<unknown>,
  ) {
    super(null);
    this._loop = loop;
    loop._madeIO = true;
    this._protocol = protocol;
    this._context = copyContext();
    const { stdin, stdout, stderr } = options;
    if (stdin === PIPE) this._pipes.set(0, null);
    if (stdout === PIPE) this._pipes.set(1, null);
    if (stderr === PIPE) this._pipes.set(2, null);
    this._program = args[0]!;
    try {
      this._start(args, shell, options, waiter);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private _start(
    args: string[],
    shell: boolean,
    options: SubprocessOptions,
    waiter: Future<unknown>,
  ): void {
    const { stdin, stdout, stderr } = options;
    const out1 = nodeStdio(stdout, "stdout"); // stdout=STDOUT fails first, as in Popen
    // Then Popen resolves and checks group and user, before it looks at the other streams.
    const { uid, gid } = popenIds(options);
    const io: ("pipe" | "ignore" | "inherit" | number)[] = [
      // stdin=STDOUT fails in the child (EBADF from dup2), after the parent's checks below.
      stdin === STDOUT ? "inherit" : nodeStdio(stdin, "stdin"),
      out1,
      "inherit",
    ];
    let mergeStderr = false;
    if (stderr === STDOUT) {
      const out = io[1]!;
      if (out === "pipe") mergeStderr = true;
      else io[2] = out === "inherit" ? 1 : out;
    } else {
      io[2] = nodeStdio(stderr, "stderr");
    }
    // What Popen checks in the parent: the environment, NUL bytes, the types of cwd.
    const { env, cwd, executable } = checkPopenValues(args, shell, options);
    // _posixsubprocess converts the ids after the arguments and the environment.
    const nodeGid = nodeId(gid, "gid");
    const nodeUid = nodeId(uid, "uid");
    if (stdin === STDOUT) throw new OSError(9, "Bad file descriptor");
    // What the child's chdir() and execve() would report, raised here as Popen raises them.
    if (cwd !== undefined) checkCwd(cwd);
    const effectiveEnv = env ?? process.env;
    let file: string;
    let argv: string[];
    let argv0: string | undefined;
    // The program as Popen names it in errors (for shell, `executable` is the shell to run).
    const errName = executable ?? (shell ? "/bin/sh" : args[0]!);
    if (shell && executable === undefined) {
      file = "/bin/sh";
      // A second sh runs the command, so that it is line 1 and `$0` is /bin/sh as in CPython;
      // `exec` keeps the pid.
      argv = mergeStderr
        ? ["-c", 'exec /bin/sh -c "$1" "$0" 2>&1', "/bin/sh", args[0]!]
        : ["-c", args[0]!];
    } else if (shell) {
      // Popen runs `[executable, "-c", cmd]`, found as the exec path finds a program (an empty
      // one cannot run: PermissionError).
      const path = resolveProgram(errName, effectiveEnv.PATH, cwd);
      if (mergeStderr) {
        // As below: /bin/sh points fd 2 at the stdout pipe, then execs the shell by its name.
        const pathSet =
          !errName.includes("/") && effectiveEnv.PATH === undefined
            ? `PATH=${DEFAULT_EXEC_PATH}; `
            : "";
        file = "/bin/sh";
        argv = ["-c", `${pathSet}exec "$0" -c "$1" 2>&1`, errName, args[0]!];
      } else {
        file = path;
        argv = ["-c", args[0]!];
        argv0 = errName;
      }
    } else {
      // Python's execvp: PATH (of env if given) for a name without "/", relative to cwd.
      const path = resolveProgram(errName, effectiveEnv.PATH, cwd);
      if (mergeStderr) {
        // Node cannot point fd 2 at the stdout pipe: let a shell do it, then exec the program.
        file = "/bin/sh";
        argv = ["-c", "", "/bin/sh"];
        const script: string[] = [];
        // dash sets PWD, IFS, PPID and OPTIND (and exports PWD even when it was not in the
        // environment): give the program the values it was given.
        for (const name of SHELL_SET_VARIABLES) {
          const value = effectiveEnv[name];
          if (value !== undefined) {
            script.push(`${name}=$1; shift`);
            argv.push(value);
          } else if (name === "PWD") script.push("unset PWD");
        }
        // The shell looks a name up in PATH itself (as resolveProgram did), so that argv[0] is
        // the name; with no PATH in the environment it searches Python's default (an unexported
        // variable). dash has no `exec -a`: with `executable`, argv[0] is the executable
        // (docs/differences.md).
        if (!errName.includes("/") && effectiveEnv.PATH === undefined) {
          script.push(`PATH=${DEFAULT_EXEC_PATH}`);
        }
        argv.push(errName);
        script.push('exec "$@" 2>&1');
        argv[1] = script.join("; ");
        argv.push(...args.slice(1));
      } else {
        file = path;
        argv = args.slice(1);
        argv0 = args[0];
      }
    }
    if (mergeStderr) io[2] = "ignore"; // the shell's own fd 2; the program's is the stdout pipe
    // Node shares stdio[n] as the child's fd n: a passed descriptor sits at its own number.
    for (const fd of passFdsOf(options)) {
      if (fd < 3) continue;
      while (io.length < fd) io.push("ignore");
      io[fd] = fd;
    }
    const spawnOptions: SpawnOptions = {
      stdio: io,
      ...(cwd !== undefined ? { cwd } : {}),
      ...(env !== undefined ? { env } : {}),
      ...(pyTruthy(options.startNewSession) ? { detached: true } : {}),
      ...(nodeUid !== undefined ? { uid: nodeUid } : {}),
      ...(nodeGid !== undefined ? { gid: nodeGid } : {}),
      ...(argv0 !== undefined ? { argv0 } : {}),
    };
    const loop = this._loop!;
    let proc: ChildProcess;
    try {
      proc = _outsideTasks(() => spawn(file, argv, spawnOptions));
    } catch (err) {
      // Node throws what execve() or chdir() reported (E2BIG, ENOTDIR, ...) unless it is one of
      // the errors it emits as an 'error' event.
      throw spawnError(err, cwd, errName);
    }
    this._proc = proc;
    this._extra.subprocess = proc;
    // CPython's transport runs _connect_pipes as a task, which takes the next Task-N name.
    _skipTaskName();
    proc.once("error", (err) => {
      if (this._pid === null && !this._spawnFailed) {
        // The program could not be started (ENOENT, EACCES, ...).
        this._spawnFailed = true;
        const exc = spawnError(err, cwd, errName);
        if (!loop.isClosed() && !waiter.done()) waiter._setExceptionUnchecked(exc);
      }
    });
    proc.once("spawn", () => {
      if (loop.isClosed()) return;
      this._pid = proc.pid ?? null;
      if (loop.getDebug())
        logger.debug(`process ${pyRepr(this._program)} created: pid ${this._pid}`);
      // The pipe transports copy the context the subprocess transport was made in.
      this._context.run(() => this._connectPipes(waiter));
    });
    proc.once("exit", (code, signal) => {
      if (loop.isClosed() || this._spawnFailed) return;
      const unnamed = this._unnamedFatalSignal;
      const rc =
        signal !== null
          ? -signalNumber(signal)
          : code === 0 && unnamed !== null
            ? -unnamed
            : (code ?? 0);
      // One Node turn later, so that output read with the exit reaches the protocol first (a
      // selector loop sees the pipes before the child watcher does).
      _outsideTasks(() =>
        setImmediate(() => {
          if (loop.isClosed()) return;
          // The child's end of its stdin is gone with it: CPython's write pipe sees that in the
          // same select() as the exit, and reports it first.
          const stdin = this._pipes.get(0);
          if (stdin?.pipe instanceof WritePipeTransport) stdin.pipe._peerClosed();
          callLater0(
            loop,
            this._context,
            (t: BaseSubprocessTransport, r: number) => t._processExited(r),
            this,
            rc,
          );
        }),
      );
    });
    proc.unref();
  }

  /** @internal Python's `_connect_pipes`. */
  private _connectPipes(waiter: Future<unknown>): void {
    const proc = this._proc!;
    const loop = this._loop!;
    try {
      // In debug mode each pipe is logged as CPython's connect_*_pipe() logs it: once the
      // protocol's connectionMade (scheduled by the transport) has run.
      const connected = (what: string, t: ReadPipeTransport | WritePipeTransport, p: object) => {
        if (!loop.getDebug()) return;
        loop.callSoon(() =>
          logger.debug(`${what} pipe ${t._fd} connected: (${t[customRepr]()}, ${pyRepr(p)})`),
        );
      };
      if (proc.stdin !== null && this._pipes.has(0)) {
        const p = new SubprocessPipeProto(this, 0);
        const stdin = new WritePipeTransport(loop, proc.stdin, p, { pipe: proc.stdin });
        stdin._watchHangUp();
        connected("Write", stdin, p);
        this._pipes.set(0, p);
      }
      if (proc.stdout !== null && this._pipes.has(1)) {
        const p = new SubprocessPipeProto(this, 1);
        connected("Read", new ReadPipeTransport(loop, proc.stdout, p, { pipe: proc.stdout }), p);
        this._pipes.set(1, p);
      }
      if (proc.stderr !== null && this._pipes.has(2)) {
        const p = new SubprocessPipeProto(this, 2);
        connected("Read", new ReadPipeTransport(loop, proc.stderr, p, { pipe: proc.stderr }), p);
        this._pipes.set(2, p);
      }
      // A copy, as every call CPython schedules: what connectionMade sets stays in it.
      loop._callSoonWithContext(callConnectionMade, [this], this._context.copy());
      for (const [cb, data] of this._pendingCalls!) {
        loop._callSoonWithContext(cb as (...a: unknown[]) => unknown, data, this._context.copy());
      }
      this._pendingCalls = null;
    } catch (exc) {
      if (!waiter.cancelled() && !waiter.done()) waiter._setExceptionUnchecked(exc);
      return;
    }
    loop._callSoonWithContext(setResultUnlessCancelled, [waiter, null], this._context);
  }

  /** @internal */
  _call(cb: (...a: never[]) => unknown, ...data: unknown[]): void {
    if (this._pendingCalls !== null) this._pendingCalls.push([cb, data]);
    else if (this._loop !== null && !this._loop.isClosed()) {
      // CPython's call_soon: the context of the callback that got here (a pipe's, which may
      // be a close() caller's); from a Node event, a copy of the transport's.
      this._loop._callSoonWithContext(
        cb as (...a: unknown[]) => unknown,
        data,
        this._loop._inHandle ? _currentContext()._snapshot() : this._context.copy(),
      );
    }
  }

  /** @internal */
  _pipeConnectionLost(fd: number, exc: Error | null): void {
    this._call(callPipeConnectionLost, this, fd, exc);
    this._tryFinish();
  }

  /** @internal */
  _pipeDataReceived(fd: number, data: Buffer): void {
    this._call(callPipeDataReceived, this, fd, data);
  }

  /** @internal Python's `_process_exited`. */
  _processExited(returncode: number): void {
    if (this._returncode !== null) return;
    if (this._loop?.getDebug())
      logger.info(`${this[customRepr]()} exited with return code ${returncode}`);
    this._returncode = returncode;
    this._call(callProcessExited, this);
    this._tryFinish();
  }

  /** @internal Waits for the exit; returns the return code (Python's `_wait`). */
  _wait(): AwaitableCoroutineNumber {
    return waitCoro(this);
  }

  /** @internal */
  _tryFinish(): void {
    if (this._finished || this._returncode === null) return;
    for (const p of this._pipes.values()) if (p === null || !p.disconnected) return;
    this._finished = true;
    this._call(callConnectionLost, this, null);
  }

  /** @internal */
  _callConnectionLost(exc: Error | null): void {
    try {
      this._protocol?.connectionLost?.(exc);
    } finally {
      for (const w of this._exitWaiters ?? []) if (!w.cancelled()) w.setResult(this._returncode!);
      this._exitWaiters = null;
      this._loop = null;
      this._proc = null;
      this._protocol = null;
    }
  }

  override setProtocol(protocol: AnyProtocol): void {
    this._protocol = protocol;
  }

  override getProtocol(): AnyProtocol {
    return this._protocol!;
  }

  override isClosing(): boolean {
    return this._closed;
  }

  /** Closes the pipes and kills the child if it is still running. */
  override close(): void {
    if (this._closed) return;
    this._closed = true;
    for (const p of this._pipes.values()) p?.pipe?.close();
    const proc = this._proc;
    if (
      proc !== null &&
      this._returncode === null &&
      proc.exitCode === null &&
      proc.signalCode === null &&
      proc.pid !== undefined
    ) {
      // proc.pid is there as soon as spawn() returns: a cancelled start kills the child at
      // once, before Node's 'spawn' event (this._pid) comes.
      if (this._loop?.getDebug())
        logger.warning(`Close running child process: kill ${this[customRepr]()}`);
      try {
        proc.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  }

  override getPid(): number | null {
    return this._pid;
  }

  override getReturncode(): number | null {
    return this._returncode;
  }

  override getPipeTransport(fd: number): ReadPipeTransport | WritePipeTransport | null {
    const p = this._pipes.get(fd);
    return p === undefined || p === null ? null : p.pipe;
  }

  /** Sends `signal` to the child; `ProcessLookupError` once the transport has finished. */
  override sendSignal(signal: number | NodeJS.Signals): void {
    const proc = this._proc;
    if (proc === null) throw new ProcessLookupError();
    // os.kill()'s argument check, made even once the child has exited (CPython still calls
    // os.kill then): Node's process.kill(pid, null) would send SIGTERM.
    if (typeof signal === "boolean" || typeof signal === "bigint") signal = Number(signal);
    if (
      typeof signal === "string"
        ? !Object.hasOwn(osConstants.signals, signal)
        : typeof signal !== "number" || !Number.isInteger(signal)
    ) {
      throw new TypeError(`'${pyTypeName(signal)}' object cannot be interpreted as an integer`);
    }
    if (proc.exitCode !== null || proc.signalCode !== null || this._pid === null) return;
    const pid = this._pid;
    const unnamed =
      typeof signal === "number" &&
      signal > 0 &&
      signal <= 64 &&
      !NAMED_SIGNALS.has(signal) &&
      this._unnamedFatalSignal === null &&
      killedBySignal(pid, signal);
    try {
      process.kill(pid, signal);
      if (unnamed) this._unnamedFatalSignal = signal as number;
    } catch (e) {
      if ((e as { code?: string }).code !== "ESRCH") throw fromNodeError(e);
    }
  }

  override terminate(): void {
    this.sendSignal("SIGTERM");
  }

  override kill(): void {
    this.sendSignal("SIGKILL");
  }

  [customRepr](): string {
    const info = [pyClassName(this, BaseSubprocessTransport, "_UnixSubprocessTransport")];
    if (this._closed) info.push("closed");
    if (this._pid !== null) info.push(`pid=${this._pid}`);
    if (this._returncode !== null) info.push(`returncode=${this._returncode}`);
    else if (this._pid !== null) info.push("running");
    else info.push("not started");
    const stdin = this._pipes.get(0);
    if (stdin) info.push(`stdin=${pyRepr(stdin.pipe)}`);
    const stdout = this._pipes.get(1);
    const stderr = this._pipes.get(2);
    if (stdout) info.push(`stdout=${pyRepr(stdout.pipe)}`);
    if (stderr) info.push(`stderr=${pyRepr(stderr.pipe)}`);
    return `<${info.join(" ")}>`;
  }

  override toString(): string {
    return this[customRepr]();
  }
}

type AwaitableCoroutineNumber = ReturnType<typeof waitCoro>;

const waitCoro = awaitable(function* wait(t: BaseSubprocessTransport): Coroutine<number> {
  if (t._returncode !== null) return t._returncode;
  if (t._exitWaiters === null) return t._returncode!;
  const waiter = _newFuture<number>(t._loop!);
  t._exitWaiters.push(waiter);
  return yield* waiter;
}, "Process.wait");

function checkPopenArgs(options: SubprocessOptions): void {
  // CPython's order: universal_newlines, (shell, checked by the caller), bufsize, text, ...
  if (pyTruthy(options.universalNewlines)) throw new ValueError("universal_newlines must be False");
  if (options.bufsize !== undefined && options.bufsize !== 0)
    throw new ValueError("bufsize must be 0");
  if (pyTruthy(options.text)) throw new ValueError("text must be False");
  if (options.encoding !== undefined && options.encoding !== null)
    throw new ValueError("encoding must be None");
  if (options.errors !== undefined && options.errors !== null)
    throw new ValueError("errors must be None");
  // Popen keywords Node's spawn has no way to honour: refused, never dropped without a word.
  const o = options as Record<string, unknown>;
  const refuse = (name: string, why: string) => {
    throw new ValueError(`${name} is not supported: ${why}`);
  };
  if (o.umask !== undefined && o.umask !== -1) refuse("umask", "Node cannot set a child's umask");
  if (o.preexecFn !== undefined && o.preexecFn !== null)
    refuse("preexec_fn", "Node runs no code in the child before exec");
  if (o.processGroup !== undefined && o.processGroup !== null)
    refuse("process_group", "Node cannot set a child's process group (start_new_session can)");
  if (o.closeFds !== undefined && !pyTruthy(o.closeFds))
    refuse("close_fds=False", "Node closes every descriptor not in stdio or pass_fds");
  if (o.restoreSignals !== undefined && !pyTruthy(o.restoreSignals))
    refuse("restore_signals=False", "Node always restores the signals' default actions");
  if (o.extraGroups !== undefined && o.extraGroups !== null)
    refuse("extra_groups", "Node cannot set a child's supplementary groups");
  if (o.pipesize !== undefined && o.pipesize !== -1)
    refuse("pipesize", "Node cannot size a child's pipes");
  passFdsOf(options);
}

/** The descriptors `passFds` keeps open in the child under their own numbers (Popen's check). */
function passFdsOf(options: SubprocessOptions): number[] {
  const given = options.passFds;
  if (given === undefined || given === null) return [];
  const fds: number[] = [];
  for (const fd of given as Iterable<unknown>) {
    if (typeof fd !== "number" || !Number.isInteger(fd)) {
      throw new TypeError(`'${pyTypeName(fd)}' object cannot be interpreted as an integer`);
    }
    if (fd < 0) throw new ValueError("bad value(s) in fds_to_keep");
    fds.push(fd);
  }
  return fds;
}

/**
 * The loop methods' defaults (Python's `stdin=PIPE, stdout=PIPE, stderr=PIPE`): a stream left
 * out is a pipe; null inherits.
 */
function pipesByDefault(options: SubprocessOptions): SubprocessOptions {
  return {
    ...allOptions(options),
    stdin: options.stdin === undefined ? PIPE : options.stdin,
    stdout: options.stdout === undefined ? PIPE : options.stdout,
    stderr: options.stderr === undefined ? PIPE : options.stderr,
  };
}

/** Python's `_format_pipe` for the debug log of a new subprocess. */
function formatPipe(fd: StdioSpec): string {
  return fd === PIPE ? "<pipe>" : fd === STDOUT ? "<stdout>" : pyRepr(fd);
}

/** @internal Converts Python's str/bytes/PathLike arguments to Node's strings. */
export function argString(a: unknown): string {
  if (typeof a === "string") return a;
  if (a instanceof Uint8Array) return Buffer.from(a).toString();
  if (a instanceof URL) return a.pathname;
  throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyTypeName(a)}`);
}

/** strerror() texts of the errors a spawn can report that os_errors.ts does not list. */
const SPAWN_STRERROR: Record<string, string> = {
  E2BIG: "Argument list too long",
  ELOOP: "Too many levels of symbolic links",
  ENOEXEC: "Exec format error",
  ETXTBSY: "Text file busy",
};

function spawnOSError(code: string, filename?: unknown): Error {
  return makeOSError(code, SPAWN_STRERROR[code], filename);
}

/**
 * A Node error from spawn() (thrown, or its 'error' event) as Popen raises it: errors of the
 * working directory name it (the child's chdir() fails before the exec), fork and pipe
 * failures name nothing, the others name the program.
 */
function spawnError(err: unknown, cwd: string | undefined, program: string): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== "string") return err;
  let filename: string | undefined = program;
  // Not about the program: a bad descriptor given for a standard stream, or no resources.
  if (
    code === "EBADF" ||
    code === "EAGAIN" ||
    code === "EMFILE" ||
    code === "ENFILE" ||
    code === "ENOMEM"
  ) {
    filename = undefined;
  } else if (cwd !== undefined) {
    try {
      checkCwd(cwd);
    } catch {
      filename = cwd;
    }
  }
  return fromNodeError(err, SPAWN_STRERROR[code], filename);
}

const NUL_BYTE = "embedded null byte";

/** Python's `os.fsencode` for an environment key or value (str or bytes). */
function envString(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString();
  throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyTypeName(v)}`);
}

/**
 * The checks Popen makes before the child exists, in its order, and the values for Node:
 * the environment (`TypeError` for a value that is not a string, `ValueError('illegal
 * environment variable name')`), NUL bytes anywhere (`ValueError('embedded null byte')`), the
 * working directory. CPython starts a program named by a path with `posix_spawn()` when
 * nothing needs the fork path (no cwd, session, user, group, and no standard stream pointed
 * at fds 0-2); that path checks the program first, and the environment last.
 */
function checkPopenValues(
  args: string[],
  shell: boolean,
  options: SubprocessOptions,
): { env?: Record<string, string>; cwd?: string; executable?: string } {
  const given = options.executable;
  const executable = given === undefined || given === null ? undefined : argString(given);
  const exe = executable ?? (shell ? "/bin/sh" : args[0]!);
  // Popen's shell argv is [/bin/sh, "-c", cmd], with a (non-empty) executable as argv[0].
  const argv = shell ? [executable || "/bin/sh", "-c", args[0]!] : args;
  const stdFd = (spec: StdioSpec) =>
    typeof spec === "number" && spec >= -2 && spec <= 2 && spec !== PIPE;
  const errFd =
    options.stderr === STDOUT
      ? options.stdout === undefined || options.stdout === null || stdFd(options.stdout)
      : stdFd(options.stderr);
  const posixSpawn =
    exe.includes("/") &&
    (options.cwd === undefined || options.cwd === null) &&
    !pyTruthy(options.startNewSession) &&
    (options.user === undefined || options.user === null) &&
    (options.group === undefined || options.group === null) &&
    !stdFd(options.stdin) &&
    !stdFd(options.stdout) &&
    !errFd;
  const envIn = options.env as unknown;
  let env: Record<string, string> | undefined;
  const convertEnv = (posix: boolean): void => {
    if (envIn === undefined || envIn === null) return;
    let entries: [unknown, unknown][];
    if (envIn instanceof Map) entries = [...envIn];
    else if (typeof envIn === "object" && !Array.isArray(envIn)) entries = Object.entries(envIn);
    else throw new TypeError("posix_spawn: environment must be a mapping object or None");
    env = {};
    for (const [key, v] of entries) {
      const k = argString(key);
      if (v === undefined) continue; // Node's meaning: not set
      if (posix) {
        // os.posix_spawn: each key and value converted (NUL checked), then the name.
        if (k.includes("\0")) throw new ValueError(NUL_BYTE);
        const value = envString(v);
        if (value.includes("\0")) throw new ValueError(NUL_BYTE);
        if (k === "" || k.includes("=", 1)) {
          throw new ValueError("illegal environment variable name");
        }
        env[k] = value;
      } else {
        if (k.includes("=")) throw new ValueError("illegal environment variable name");
        env[k] = envString(v);
      }
    }
  };
  if (posixSpawn) {
    if (exe.includes("\0")) {
      throw new ValueError("posix_spawn: embedded null character in path");
    }
    for (const a of argv) if (a.includes("\0")) throw new ValueError(NUL_BYTE);
    if (argv[0] === "") throw new ValueError("posix_spawn: argv first element cannot be empty");
    convertEnv(true);
    return {
      ...(env !== undefined ? { env } : {}),
      ...(executable !== undefined ? { executable } : {}),
    };
  }
  convertEnv(false);
  if (exe.includes("\0")) throw new ValueError(NUL_BYTE);
  for (const a of argv) if (a.includes("\0")) throw new ValueError(NUL_BYTE);
  if (env !== undefined) {
    for (const [k, v] of Object.entries(env as Record<string, string>)) {
      if (k.includes("\0") || v.includes("\0")) throw new ValueError(NUL_BYTE);
    }
  }
  let cwd: string | undefined;
  if (options.cwd !== undefined && options.cwd !== null) {
    cwd = argString(options.cwd);
    if (cwd.includes("\0")) throw new ValueError(NUL_BYTE);
  }
  return {
    ...(env !== undefined ? { env } : {}),
    ...(cwd !== undefined ? { cwd } : {}),
    ...(executable !== undefined ? { executable } : {}),
  };
}

/**
 * Python's `pwd.getpwnam(name).pw_uid` / `grp.getgrnam(name).gr_gid`: the id field of the
 * first line of `file` (/etc/passwd, /etc/group) for `name`, else `KeyError`.
 */
function idOfName(file: string, name: string, fn: string, field: number): number {
  if (name.includes("\0")) throw new ValueError(NUL_BYTE);
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // no such database: no such name
  }
  for (const line of text.split("\n")) {
    const fields = line.split(":");
    if (fields[0] !== name || fields.length <= field) continue;
    const id = Number(fields[field]);
    if (fields[field] !== "" && Number.isInteger(id)) return id;
  }
  throw new KeyError(`${fn}(): name not found: ${pyRepr(name)}`);
}

/** A Python int as a number: an integral number, a bool, or a bigint; else null. */
function pyInt(v: unknown): number | null {
  if (typeof v === "boolean") return Number(v);
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number" && Number.isInteger(v)) return v;
  return null;
}

/**
 * Popen's `group` then `user`: a name is looked up (`KeyError` when there is none), an int
 * taken as it is, anything else is a `TypeError`; a negative id is a `ValueError`.
 */
function popenIds(options: SubprocessOptions): { uid?: number; gid?: number } {
  const ids: { uid?: number; gid?: number } = {};
  const { user, group } = options as { user?: unknown; group?: unknown };
  if (group !== undefined && group !== null) {
    const gid =
      typeof group === "string" ? idOfName("/etc/group", group, "getgrnam", 2) : pyInt(group);
    if (gid === null) {
      throw new TypeError(
        `Group must be a string or an integer, not <class '${pyTypeName(group)}'>`,
      );
    }
    if (gid < 0) throw new ValueError(`Group ID cannot be negative, got ${gid}`);
    ids.gid = gid;
  }
  if (user !== undefined && user !== null) {
    const uid =
      typeof user === "string" ? idOfName("/etc/passwd", user, "getpwnam", 2) : pyInt(user);
    if (uid === null) throw new TypeError("User must be a string or an integer");
    if (uid < 0) throw new ValueError(`User ID cannot be negative, got ${uid}`);
    ids.uid = uid;
  }
  return ids;
}

/**
 * An id as Node takes it (an int32): ids from 2**31 up wrap to the negative numbers that are
 * the same uid_t; one that no uid_t holds is the OverflowError of `_posixsubprocess`; 2**32-1
 * is (uid_t)-1, which the child's setreuid()/setregid() takes as "no change".
 */
function nodeId(id: number | undefined, what: "uid" | "gid"): number | undefined {
  if (id === undefined) return undefined;
  if (id > 0xffffffff) throw new OverflowError(`${what} is less than minimum`);
  return id === 0xffffffff ? undefined : id | 0;
}

/** The child's chdir(cwd), checked in the parent: the OSError Popen raises, naming cwd. */
function checkCwd(cwd: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(cwd).isDirectory();
  } catch (err) {
    throw spawnOSError((err as { code?: string }).code ?? "ENOENT", cwd);
  }
  if (!isDir) throw spawnOSError("ENOTDIR", cwd);
  try {
    accessSync(cwd, fsConstants.X_OK);
  } catch {
    throw spawnOSError("EACCES", cwd);
  }
}

/** Python's `os.path.join(dir, name)` for a directory of PATH. */
function joinPath(dir: string, name: string): string {
  return dir === "" || dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/** The error execve(path) would fail with (as far as stat and access tell), or null. */
function execError(path: string, cwd: string | undefined): string | null {
  const fsPath = cwd !== undefined && !path.startsWith("/") ? joinPath(cwd, path) : path;
  let isFile: boolean;
  try {
    isFile = statSync(fsPath).isFile();
  } catch (err) {
    return (err as { code?: string }).code ?? "ENOENT";
  }
  if (!isFile) return "EACCES"; // a directory, a FIFO, a device
  try {
    accessSync(fsPath, fsConstants.X_OK);
  } catch {
    return "EACCES";
  }
  return null;
}

/**
 * The file the child will execute, found as CPython's child does: a name with "/" as it is
 * (relative to cwd), any other in each directory of PATH (Python's `os.defpath` when there is
 * none). When none can run, the OSError Popen raises: the first error other than ENOENT and
 * ENOTDIR, else the last, naming the program as given. The result is the file to run (only a
 * name found through an empty PATH entry has no "/": libuv's search then finds it the same way).
 */
function resolveProgram(
  name: string,
  pathVar: string | undefined,
  cwd: string | undefined,
): string {
  const candidates = name.includes("/")
    ? [name]
    : (pathVar ?? DEFAULT_EXEC_PATH).split(":").map((dir) => joinPath(dir, name));
  let first: string | null = null;
  let last = "ENOENT";
  for (const c of candidates) {
    const code = execError(c, cwd);
    if (code === null) return c;
    last = code;
    if (first === null && code !== "ENOENT" && code !== "ENOTDIR") first = code;
  }
  throw spawnOSError(first ?? last, name);
}

/** Python's `os.defpath`: the search path of a child whose environment has no PATH. */
const DEFAULT_EXEC_PATH = "/bin:/usr/bin";

/** The variables of its environment that /bin/sh (dash) changes before it execs a program. */
const SHELL_SET_VARIABLES = ["PWD", "IFS", "PPID", "OPTIND"] as const;

function* makeSubprocessTransport<P extends AnyProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  args: string[],
  shell: boolean,
  options: SubprocessOptions,
): Coroutine<[BaseSubprocessTransport, P]> {
  const protocol = protocolFactory();
  let debugLog: string | null = null;
  if (loop.getDebug()) {
    // As CPython: the command, not its arguments (they may hold secrets).
    debugLog = shell
      ? `run shell command ${pyRepr(args[0])}`
      : `execute program ${pyRepr(args[0])}`;
    const { stdin, stdout, stderr } = options;
    const info = [debugLog];
    if (stdin !== null && stdin !== undefined) info.push(`stdin=${formatPipe(stdin)}`);
    if (stdout !== null && stdout !== undefined && stderr === STDOUT) {
      info.push(`stdout=stderr=${formatPipe(stdout)}`);
    } else {
      if (stdout !== null && stdout !== undefined) info.push(`stdout=${formatPipe(stdout)}`);
      if (stderr !== null && stderr !== undefined) info.push(`stderr=${formatPipe(stderr)}`);
    }
    logger.debug(info.join(" "));
  }
  const waiter = _newFuture<unknown>(loop);
  const transport = new BaseSubprocessTransport(
    loop,
    protocol as AnyProtocol,
    args,
    shell,
    options,
    waiter,
  );
  try {
    yield* waiter;
  } catch (e) {
    transport.close();
    if (!transport._spawnFailed) yield* transport._wait();
    throw e;
  }
  if (debugLog !== null) logger.info(`${debugLog}: ${transport[customRepr]()}`);
  return [transport, protocol];
}

/** Python's `loop.subprocess_exec` as a generator. */
export function* subprocessExecGen<P extends AnyProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  program: unknown,
  args: unknown[],
  options: SubprocessOptions = {},
): Coroutine<[BaseSubprocessTransport, P]> {
  if (pyTruthy(options.universalNewlines)) throw new ValueError("universal_newlines must be False");
  if (pyTruthy(options.shell)) throw new ValueError("shell must be False");
  checkPopenArgs(options);
  const popenArgs = [argString(program), ...args.map(argString)];
  return yield* makeSubprocessTransport(
    loop,
    protocolFactory,
    popenArgs,
    false,
    pipesByDefault(options),
  );
}

/** Python's `loop.subprocess_shell` as a generator. */
export function* subprocessShellGen<P extends AnyProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  cmd: unknown,
  options: SubprocessOptions = {},
): Coroutine<[BaseSubprocessTransport, P]> {
  if (typeof cmd !== "string" && !(cmd instanceof Uint8Array))
    throw new ValueError("cmd must be a string");
  if (pyTruthy(options.universalNewlines)) throw new ValueError("universal_newlines must be False");
  if (options.shell !== undefined && !pyTruthy(options.shell)) {
    throw new ValueError("shell must be True");
  }
  checkPopenArgs(options);
  return yield* makeSubprocessTransport(
    loop,
    protocolFactory,
    [argString(cmd)],
    true,
    pipesByDefault(options),
  );
}

/** @internal Splits `(program, ...args, options?)`: a trailing plain object is the options. */
export function splitArgs<O>(rest: unknown[]): [unknown[], O] {
  const last = rest[rest.length - 1];
  if (
    rest.length > 0 &&
    typeof last === "object" &&
    last !== null &&
    !(last instanceof Uint8Array) &&
    !(last instanceof URL) &&
    !Array.isArray(last)
  ) {
    return [rest.slice(0, -1), last as O];
  }
  return [rest, {} as O];
}

/** `loop.subprocessExec` for any loop: `(protocolFactory, program, ...args, options?)`. */
export const subprocessExec = awaitable(function* subprocessExec<P extends AnyProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  program: unknown,
  ...rest: unknown[]
): Coroutine<[BaseSubprocessTransport, P]> {
  const [args, options] = splitArgs<SubprocessOptions>(rest);
  return yield* subprocessExecGen(loop, protocolFactory, program, args, options);
}, "BaseEventLoop.subprocess_exec");

/** `loop.subprocessShell` for any loop: `(protocolFactory, cmd, options?)`. */
export const subprocessShell = awaitable(function* subprocessShell<P extends AnyProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  cmd: unknown,
  options: SubprocessOptions = {},
): Coroutine<[BaseSubprocessTransport, P]> {
  return yield* subprocessShellGen(loop, protocolFactory, cmd, options);
}, "BaseEventLoop.subprocess_shell");

libraryClasses(ReadPipeTransport, WritePipeTransport, BaseSubprocessTransport);
