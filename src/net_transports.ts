/**
 * Stream socket transports on Node's `net` (TCP and Unix sockets, and TLS over either), the
 * `Server`, and the loop's `createConnection`, `createServer`, `createUnixConnection`,
 * `createUnixServer` and `startTls` (Python's `selector_events` + `base_events` parts).
 *
 * How Node's I/O meets the loop: Node delivers socket events outside the loop's iterations; the
 * transport queues what arrived and schedules one loop callback (`callSoon`) that hands it to
 * the protocol, so every protocol callback runs inside an iteration in CPython's order:
 * `connectionMade`, then (from the next iteration on) `dataReceived`…, `eofReceived`,
 * `connectionLost`. Queued bytes are capped (256 KiB, Python's `max_size`): beyond that, and
 * whenever reading is paused, the Node socket is paused, so memory stays bounded. Plain
 * (non-TLS) sockets are read in Node's `onread` mode (see `useOnread`): no 'data' events, no
 * per-read allocation besides the bytes handed over. The write buffer is Node's
 * (`socket.writableLength`): `pauseWriting` is called from `write()` when it goes over the
 * high-water mark, `resumeWriting` from the loop once it is down to the low mark; a write that
 * Node completes at once costs no callback (see `write`).
 */
import {
  accessSync,
  constants as fsConstants,
  linkSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
} from "node:fs";
import * as net from "node:net";
import { constants as osConstants } from "node:os";
import { basename, dirname, join } from "node:path";
import type * as tls from "node:tls";
import { type Context, copyContext } from "./contextvars.ts";
import {
  _markCoroutineMethods,
  type AwaitableCoroutine,
  awaitable,
  type Coroutine,
} from "./coroutines.ts";
import {
  _boundMethod,
  type AbstractEventLoop,
  BOUND_SELF,
  type Handle,
  type StrOrBytes,
} from "./events.ts";
import {
  CancelledError,
  ExceptionGroup,
  IndexError,
  isExitException,
  NotImplementedError,
  RuntimeError,
  TimeoutError,
  ValueError,
} from "./exceptions.ts";
import {
  className,
  customRepr,
  libraryClasses,
  pyClassName,
  pyLen,
  pyNamed,
  pyRepr,
  pyTruthy,
  pyTypeName,
} from "./format.ts";
import { _newFuture, Future, NO_EXC, setResultUnlessCancelled } from "./futures.ts";
import { gather } from "./gather.ts";
import { logger } from "./log.ts";
import { ConnectionAbortedError, fromNodeError, makeOSError, OSError } from "./os_errors.ts";
import { type AnyProtocol, callConnectionMade, isBufferedProtocol } from "./protocols.ts";
import {
  type AddrInfo,
  AF_INET,
  AF_INET6,
  AF_UNIX,
  AF_UNSPEC,
  AI_PASSIVE,
  checkHostArg,
  checkPortRange,
  getaddrinfoGen,
  ipaddrPort,
  nodePeername,
  nodeSockname,
  reprAddr,
  SOCK_STREAM,
  type SocketAddress,
  TransportSocket,
  unixAddress,
} from "./socket.ts";
import { createDefaultContext, fromTlsError, SSLContext } from "./ssl.ts";
import {
  captureEarlyErrors,
  checkContextSide,
  checkTlsTimeouts,
  EARLY_ERROR,
  handOver,
  sslExtra,
  tlsHandshake,
} from "./sslproto.ts";
import { staggeredRace } from "./staggered.ts";
import { _awaitOverride, _outsideTasks, currentTask, sleep } from "./tasks.ts";

import {
  _limitArgs,
  _maybePauseProtocol,
  _maybeResumeProtocol,
  _writeBufferLimits,
  type BufferLimit,
  type FlowControlled,
  Transport,
} from "./transports.ts";

const ENOTCONN = osConstants.errno.ENOTCONN;
/** A transport whose Node stream may hold bytes not sent yet (see dropUnsentWrites). */
export interface UnsentHolder {
  /** Destroys the stream if it still holds bytes to send. */
  _dropIfUnsent(): void;
}

/**
 * The transports of each loop whose Node stream has had bytes left to send (a superset: one
 * that drained stays until its connection is lost). Node keeps the process alive for a pending
 * write whatever the stream's `unref()`: the loop's close() drops them (see dropUnsentWrites).
 */
const unsentByLoop = new WeakMap<AbstractEventLoop, Set<UnsentHolder>>();

/** @internal The set of `loop`'s transports with bytes left to send, made on first use. */
export function unsentOf(loop: AbstractEventLoop): Set<UnsentHolder> {
  let set = unsentByLoop.get(loop);
  if (set === undefined) unsentByLoop.set(loop, (set = new Set()));
  return set;
}

/** @internal A transport's connection is lost: nothing of it is left to drop. */
export function forgetUnsent(loop: AbstractEventLoop, t: UnsentHolder): void {
  unsentByLoop.get(loop)?.delete(t);
}

/**
 * @internal A closing loop drops what its connections and pipes still had to send, so that a
 * program whose peer stopped reading exits: a process running CPython ends with its sockets
 * (their unsent bytes lost), where Node would wait for the write to finish, perhaps for ever.
 */
export function dropUnsentWrites(loop: AbstractEventLoop): void {
  const set = unsentByLoop.get(loop);
  if (set === undefined) return;
  unsentByLoop.delete(loop);
  for (const t of set) t._dropIfUnsent();
}

/** Python's `_SelectorTransport.max_size`: the most bytes handed over per iteration. */
const MAX_SIZE = 256 * 1024;

/**
 * The buffer every plain (non-TLS) socket transport reads into, in Node's `onread` mode: Node
 * reads the socket into it and calls the transport's `_onRead`, which copies the bytes out at
 * once. One buffer serves every socket (reads never overlap), and a read costs no allocation
 * besides the copy handed to the protocol, instead of Node's 64 KiB block and `ArrayBuffer`
 * per read plus the `Readable` machinery of 'data' events. Its size is what one of CPython's
 * `recv()` calls takes, so that a protocol that pauses reading leaves the same bytes unread.
 */
const READ_BUFFER = Buffer.allocUnsafe(MAX_SIZE);

/** The private keys of a `net.Socket`'s `onread` mode (the `onread` option of `net.connect`). */
interface OnreadKeys {
  buffer: symbol;
  callback: symbol;
}
let onreadKeys: OnreadKeys | null = null;

/**
 * Switches `sock` (a connected, non-TLS socket) to Node's `onread` mode, which `net.connect`
 * offers as its `onread` option but accepted sockets cannot be given: the socket's private
 * `kBuffer`/`kBufferCb` slots (found by their symbols' descriptions) are set as that option
 * would set them, and its handle is told to read into `READ_BUFFER`. `pause()`/`resume()`
 * then stop and start the handle's reading directly; 'end', 'error' and 'close' are emitted as
 * usual. False (nothing changed) where this Node does not have them: 'data' events are used.
 */
function useOnread(sock: net.Socket, onRead: (n: number, buf: Buffer) => void): boolean {
  const handle = (sock as unknown as { _handle?: { useUserBuffer?: unknown } | null })._handle;
  if (typeof handle?.useUserBuffer !== "function" || sock.connecting || sock.destroyed) {
    return false;
  }
  if ((sock as { encrypted?: boolean }).encrypted === true) return false;
  const slots = sock as unknown as Record<symbol, unknown>;
  let keys = onreadKeys;
  if (keys === null) {
    let buffer: symbol | null = null;
    let callback: symbol | null = null;
    for (const s of Object.getOwnPropertySymbols(sock)) {
      if (s.description === "kBuffer") buffer = s;
      else if (s.description === "kBufferCb") callback = s;
    }
    if (buffer === null || callback === null) return false;
    keys = onreadKeys = { buffer, callback };
  }
  // Not for a socket the user put in onread mode, nor one with another 'data' consumer.
  if (slots[keys.buffer] !== null || slots[keys.callback] !== null) return false;
  if (sock.listenerCount("data") > 0 || sock.readableFlowing === true) return false;
  slots[keys.buffer] = READ_BUFFER;
  slots[keys.callback] = onRead;
  (handle.useUserBuffer as (b: Buffer) => void).call(handle, READ_BUFFER);
  return true;
}

/**
 * Takes a socket out of `onread` mode (for `startTls`, which hands it to TLS): what the handle
 * still reads into `READ_BUFFER` is pushed as a 'data' socket's bytes would be.
 */
function leaveOnread(sock: net.Socket): void {
  const keys = onreadKeys!;
  (sock as unknown as Record<symbol, unknown>)[keys.callback] = (n: number, buf: Buffer) =>
    sock.push(Buffer.from(buf.subarray(0, n)));
}
/** Python's `constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES`. */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;
const NO_ERROR: unique symbol = Symbol("no error");
const EMPTY = Buffer.alloc(0);

type ProtocolFactory<P> = () => P;

/** @internal True for the errors Python's transports treat as OSError (logged in debug only). */
export function isOSError(e: unknown): boolean {
  return e instanceof OSError || e instanceof TimeoutError;
}

/**
 * @internal Python's `_fatal_error` reporting, shared by every transport: an OSError is only
 * logged in debug mode, anything else goes to the loop's exception handler.
 */
export function reportFatalError(
  transport: { _loop: AbstractEventLoop | null; _protocol: unknown; [customRepr](): string },
  exc: unknown,
  message: string,
): void {
  const loop = transport._loop;
  if (loop === null) return;
  if (isOSError(exc)) {
    if (loop.getDebug()) logger.debug(`${transport[customRepr]()}: ${message}`, exc);
  } else {
    loop.callExceptionHandler({
      message,
      exception: exc,
      transport,
      protocol: transport._protocol,
    });
  }
}

// Named as the bound methods CPython schedules (slow-callback warnings, reprs, reports).
const readReady = _boundMethod("_SelectorSocketTransport._read_ready", (t: SocketTransport) => {
  t._readReady();
  if (t._ssl === null && (t._closing || t._paused || t._eofDelivered)) cancelRunningHandle(t);
});
const addReader = _boundMethod("_SelectorTransport._add_reader", (t: SocketTransport) =>
  t._addReader(),
);
const writeReady = _boundMethod("_SelectorSocketTransport._write_sendmsg", (t: SocketTransport) => {
  t._writeReady();
  if (t._ssl === null && (t._sock === null || t._sock.writableLength === 0)) {
    cancelRunningHandle(t);
  }
});
/**
 * CPython removes its reader (writer) inside the callback once the transport stops reading (has
 * nothing left to write), which cancels the handle running: debug mode's slow-callback warning
 * shows it `cancelled`. (The running handle is known in debug mode only.)
 */
function cancelRunningHandle(t: SocketTransport): void {
  const h = (t._loop as { _currentHandle?: Handle | null } | null)?._currentHandle;
  if (h !== null && h !== undefined && !h._cancelled) h.cancel();
}
/**
 * A TLS transport's `connectionMade()`: CPython's SSLProtocol calls it when the handshake
 * completes, inside the socket transport's read callback (whose name this takes).
 */
const tlsConnectionMade = Object.assign((t: SocketTransport): void => t._tlsConnectionMade(), {
  [customRepr]: () => "_SelectorSocketTransport._read_ready",
  [BOUND_SELF]: true,
});
/** CPython's `SSLProtocol._do_read`, scheduled again after a buffered read filled the buffer. */
const tlsReadAgain = Object.assign((t: SocketTransport): void => t._tlsReadAgain(), {
  [customRepr]: () => "SSLProtocol._do_read",
  [BOUND_SELF]: true,
});
/**
 * A TLS protocol's `connectionLost()`, which CPython's SSLProtocol schedules from its own
 * `connection_lost` (one iteration after the socket's): named as the bound method it is.
 */
const callAppConnectionLost = Object.assign(
  (p: AnyProtocol, exc: Error | null): void => p.connectionLost?.(exc),
  {
    [customRepr](args?: readonly unknown[]): string {
      const p = args?.[0] as object | null | undefined;
      const cls = p === null || p === undefined ? "" : (p.constructor?.name ?? "object");
      return cls === "" ? "connection_lost" : `${cls}.connection_lost`;
    },
    [BOUND_SELF]: true,
  },
);
/** Python's `constants.FLOW_CONTROL_HIGH_WATER_SSL_READ` and `_WRITE` (KiB). */
const SSL_READ_HIGH = 256 * 1024;
const SSL_WRITE_HIGH = 512 * 1024;
/** Named as CPython's bound method in "Exception in callback ..." messages. */
const callConnectionLost = Object.assign(
  (t: SocketTransport, exc: Error | null): void => t._callConnectionLost(exc),
  { [customRepr]: () => "_SelectorSocketTransport._call_connection_lost", [BOUND_SELF]: true },
);

/** Python's repr of a socket.AddressFamily member: `<AddressFamily.AF_INET: 2>`. */
function addressFamilyRepr(family: number): string {
  const name =
    family === AF_INET
      ? "AF_INET"
      : family === AF_INET6
        ? "AF_INET6"
        : family === AF_UNIX
          ? "AF_UNIX"
          : null;
  return name === null ? String(family) : `<AddressFamily.${name}: ${family}>`;
}

export interface SocketTransportOptions {
  /** The address family of the socket (AF_INET, AF_INET6 or AF_UNIX). */
  family: number;
  /** The waiter that is set after `connectionMade` (Python's `waiter`). */
  waiter?: Future<unknown> | null;
  extra?: Record<string, unknown>;
  server?: Server | null;
  /** The TLS context, for a socket that is a `TLSSocket` after its handshake. */
  ssl?: SSLContext | null;
  /** False for `startTls`: the protocol already had its `connectionMade`. */
  callConnectionMade?: boolean;
}

/** The transport each socket is read and written by (see createConnectionTransport). */
const socketOwners = new WeakMap<object, SocketTransport>();

/**
 * A socket given as `sock=`: closed, it is CPython's `sock.setblocking(False)` failing with
 * EBADF, before anything else is made.
 */
function checkGivenSocket(sock: net.Socket): void {
  if (sock.destroyed) throw makeOSError("EBADF");
}

/**
 * The transport of a connected stream socket (Python's `_SelectorSocketTransport`, and the app
 * transport of `_SSLProtocolTransport` when `ssl` is set). Created by the loop; see `Transport`.
 */
export class SocketTransport extends Transport implements FlowControlled {
  /** @internal */ _loop: AbstractEventLoop | null;
  /** @internal */ _sock: net.Socket | null;
  /** @internal */ _protocol: AnyProtocol | null = null;
  /** @internal */ _protocolConnected = false;
  /** @internal */ _buffered = false;
  /** @internal */ _server: Server | null;
  /** @internal */ _connLost = 0;
  /** @internal */ _closing = false;
  /** @internal */ _paused = false;
  /** @internal */ _eof = false;
  /** @internal */ _protocolPaused = false;
  /** @internal */ _highWater = 64 * 1024;
  /** @internal */ _lowWater = 16 * 1024;
  /**
   * @internal The contexts callbacks run in, as CPython's Handles get them: the reader's is a
   * copy taken when reading starts (or resumes), the writer's when the buffer stops being
   * empty; `_context` (a copy taken at construction) stands in before those exist.
   */
  readonly _context: Context;
  /** @internal */ _readerContext: Context | null = null;
  /** @internal */ _writerContext: Context | null = null;
  /** @internal writelines() is writing its items into the corked socket */
  _corked = false;
  /**
   * @internal A native `loop.sendfile()` is going on (draining the buffer, then sending the
   * file): the transport's own writes are refused meanwhile (see sendfile.ts).
   */
  _sendfile = false;
  /**
   * @internal Bytes a native sendfile() handed to the socket that Node has not written yet: the
   * kernel's in CPython, so not in the transport's buffer (see getWriteBufferSize).
   */
  _sendfileUnsent = 0;
  /** the items a TLS writelines() has read from its iterable so far, while it reads them */
  private _tlsBacklog: unknown[] | null = null;
  /** @internal */ readonly _ssl: SSLContext | null;
  /** @internal */ readonly _family: number;
  /** @internal */ _fd: number;
  // Receive side: what Node delivered and the protocol has not seen yet.
  /** @internal */ _rq: Buffer[] = [];
  /** @internal */ _rqBytes = 0;
  /** @internal */ _peerEof = false;
  /** @internal */ _eofDelivered = false;
  /** @internal while EOF is being delivered (see _readReady) */ _deliveringEof = false;
  /** @internal while resumeWriting() is being called (see _writeReady) */ _resumingWrites = false;
  /** @internal */ _readError: unknown = NO_ERROR;
  /** @internal */ _readerAdded = false;
  /** @internal */ _readScheduled = false;
  /** @internal False once `_syncNodeReading` left the Node socket reading (until it pauses it). */
  _nodePaused = true;
  /** @internal */ _writeScheduled = false;
  /** @internal Set when startTls takes the socket (see isClosing). */ _handedOver = false;
  /** @internal After startTls: the transport that took the connection over. */ _upgradedTo: SocketTransport | null =
    null;
  // TLS only (CPython's _SSLProtocolTransport / SSLProtocol state):
  /** @internal `_SSLProtocolTransport._closed`: what isClosing() says. */ _appClosed = false;
  /** @internal The waiter, woken once connectionMade() returned (or failed at connection lost). */
  _tlsWaiter: Future<unknown> | null = null;
  /** @internal SSLProtocol's `_conn_lost`: writes dropped once closed (warned from the 5th). */
  _sslLostWrites = 0;
  /** @internal The read limits (`setReadBufferLimits`) and whether they paused the socket. */
  _readHigh = SSL_READ_HIGH;
  /** @internal */ _readLow = SSL_READ_HIGH / 4;
  /** @internal */ _sslReadingPaused = false;
  /** @internal A `tlsReadAgain` callback is queued. */ _readAgainScheduled = false;
  /** @internal Send close_notify even though the connection is lost with an error. */
  _closeNotify = false;

  /** @internal `[this]`: the arguments of every read/write-ready callback (never mutated). */
  readonly _selfArgs: [SocketTransport] = [this];
  /** @internal True while the socket is in Node's `onread` mode (see `useOnread`). */
  _onread = false;

  private readonly _onData = (chunk: Buffer): void => {
    if (this._connLost !== 0) return;
    this._rq.push(chunk);
    this._rqBytes += chunk.length;
    if (this._ssl !== null) this._controlSslReading();
    else if (this._rqBytes >= MAX_SIZE) this._syncNodeReading();
    this._scheduleRead();
  };

  /** `onread` mode: Node read `n` bytes into `buf` (reused for the next read: copy them out). */
  private readonly _onRead = (n: number, buf: Buffer): void => {
    if (this._connLost !== 0) return;
    const chunk = Buffer.allocUnsafe(n);
    buf.copy(chunk, 0, 0, n);
    this._onData(chunk);
  };

  private readonly _onEnd = (): void => {
    if (this._connLost !== 0) return;
    this._endOrReset();
    if (!this._tlsReadFailed()) this._scheduleRead();
  };

  /** A TCP socket that is no longer connected (getpeername fails with ENOTCONN): reset, or shut down both ways. */
  private _notConnected(): boolean {
    const handle = (this._sock as { _handle?: { getpeername?: (out: object) => number } } | null)
      ?._handle;
    return (
      this._family !== AF_UNIX &&
      typeof handle?.getpeername === "function" &&
      handle.getpeername({}) === -ENOTCONN
    );
  }

  /**
   * A TCP socket reset by its peer is no longer connected (see _endOrReset). Nor is one whose
   * peer closed (FIN) and then reset (our write reached its closed socket), where the kernel's
   * recv() gives the EOF first: one more read of the descriptor tells them apart (0 for that
   * EOF, ECONNRESET for a reset Node has not read).
   */
  private _resetByPeer(): boolean {
    if (!this._notConnected()) return false;
    const handle = (this._sock as { _handle?: { fd?: number } } | null)?._handle;
    const fd = this._ssl === null ? handle?.fd : undefined;
    if (typeof fd !== "number" || fd < 0) return true;
    try {
      return readSync(fd, Buffer.alloc(1)) !== 0;
    } catch {
      return true;
    }
  }

  /**
   * The peer's EOF, or a reset Node took for one: libuv reads the last data, sees the hang-up
   * and ends the stream without reading the error, where a selector loop's next recv() raises
   * ECONNRESET (the peer closed with our data unread, or reset while we were not reading). A
   * TCP socket reset by its peer is no longer connected (getpeername fails with ENOTCONN); one
   * the peer only shut down for writing still is, unless we shut ours down too (`writeEof()`).
   */
  private _endOrReset(): void {
    if (!this._eof && this._resetByPeer()) {
      if (this._readError === NO_ERROR) {
        this._readError = this._mapError(
          Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET", syscall: "read" }),
        );
      }
    } else this._peerEof = true;
  }

  /**
   * A read error of a TLS transport whose protocol paused reading: CPython's SSLProtocol pauses
   * only its own delivery, the socket transport under it goes on reading and fails at once
   * (what was received and not delivered is dropped), unless SSLProtocol paused that too (its
   * read buffer is full). True if the error was handled so.
   */
  private _tlsReadFailed(): boolean {
    if (this._ssl === null || !this._paused || this._sslReadingPaused) return false;
    const exc = this._readError;
    if (exc === NO_ERROR) return false;
    this._readError = NO_ERROR;
    this._fatalError(exc, "Fatal read error on socket transport");
    return true;
  }

  private readonly _onError = (err: unknown): void => {
    if (this._connLost !== 0 || this._loop === null) return;
    const loop = this._loop;
    if (loop.isClosed()) {
      this._sock?.destroy();
      return;
    }
    const syscall = (err as { syscall?: string }).syscall;
    const exc = this._mapError(err);
    if (!this._closing && !this._eofDelivered && syscall !== "write" && syscall !== "writev") {
      // A read-side error: deliver what was received before it first (after resumeReading()
      // if reading is paused, as a selector loop would only see it then).
      if (this._readError === NO_ERROR) this._readError = exc;
      if (!this._tlsReadFailed()) this._scheduleRead();
      return;
    }
    this._fatalError(
      exc,
      syscall === "read"
        ? "Fatal read error on socket transport"
        : "Fatal write error on socket transport",
    );
  };

  private readonly _onClose = (): void => {
    // Node closed the socket on its own (an error was reported first, or both directions ended).
    if (this._connLost !== 0 || this._loop === null || this._loop.isClosed()) return;
    if (!this._peerEof && this._readError === NO_ERROR && !this._closing) {
      this._readError = this._mapError(Object.assign(new Error("reset"), { code: "ECONNRESET" }));
      this._scheduleRead();
    }
  };

  private readonly _onWritten = (err?: Error | null): void => {
    if (err !== undefined && err !== null) return;
    const loop = this._loop;
    const sock = this._sock;
    if (this._connLost !== 0 || loop === null || sock === null || this._writeScheduled) return;
    const size = sock.writableLength;
    // All sent and nothing to call: CPython's writer is removed, and its context let go.
    if (size === 0 && !this._protocolPaused && !this._closing) this._writerContext = null;
    if ((this._protocolPaused && size <= this._lowWater) || (this._closing && size === 0)) {
      if (loop.isClosed()) return;
      this._writeScheduled = true;
      loop._callSoonWithContext(writeReady, this._selfArgs, this._writerContext ?? this._context);
    }
  };

  /** @internal Use the loop's methods; transports are not created directly. */
  constructor(
    loop: AbstractEventLoop,
    sock: net.Socket,
    protocol: AnyProtocol,
    options: SocketTransportOptions,
  ) {
    super(options.extra ?? null);
    this._loop = loop;
    loop._madeIO = true;
    this._sock = sock;
    socketOwners.set(sock, this);
    this._family = options.family;
    this._ssl = options.ssl ?? null;
    if (this._ssl !== null) {
      // SSLProtocol's write limits (the read limits are set above).
      this._highWater = SSL_WRITE_HIGH;
      this._lowWater = SSL_WRITE_HIGH / 4;
    }
    this._server = options.server ?? null;
    this._context = copyContext();
    // A socket made outside asyncio (sock=, connectAcceptedSocket) may not allow half-open
    // connections: Node would then end our side at the peer's EOF, before eofReceived().
    if (this._ssl === null) sock.allowHalfOpen = true;
    const h = (sock as unknown as { _handle?: { fd?: number } | null })._handle;
    this._fd = typeof h?.fd === "number" ? h.fd : -1;
    const sockname = this._family === AF_UNIX ? (this._extra.sockname ?? "") : nodeSockname(sock);
    const peername =
      "peername" in this._extra
        ? this._extra.peername
        : this._family === AF_UNIX
          ? ""
          : nodePeername(sock);
    this._extra.socket = new TransportSocket(
      sock,
      this._family,
      SOCK_STREAM,
      sockname as SocketAddress | null,
      peername as SocketAddress | null,
    );
    this._extra.sockname = sockname;
    this._extra.peername = peername;
    if (this._ssl !== null) Object.assign(this._extra, sslExtra(sock as tls.TLSSocket, this._ssl));
    this.setProtocol(protocol);
    if (this._server !== null) this._server._attach(this);
    if (this._family !== AF_UNIX) {
      try {
        sock.setNoDelay(true);
      } catch {
        // not a TCP socket
      }
    }
    const early = (sock as net.Socket & { [EARLY_ERROR]?: unknown })[EARLY_ERROR];
    sock.removeAllListeners("error");
    sock.on("error", this._onError);
    sock.on("end", this._onEnd);
    sock.on("close", this._onClose);
    if (this._ssl === null && useOnread(sock, this._onRead)) {
      this._onread = true;
      // Bytes Node read (into the socket's Readable) before the transport existed.
      while (sock.readableLength > 0) {
        const chunk = sock.read() as Buffer | null;
        if (chunk === null) break;
        this._rq.push(chunk);
        this._rqBytes += chunk.length;
      }
    } else {
      sock.on("data", this._onData);
    }
    sock.unref();
    if (sock.readableEnded) {
      // Node emitted 'end' before the transport listened for it: the peer's EOF came first.
      this._endOrReset();
    } else if (
      this._onread &&
      sock.readableLength === 0 &&
      (sock as { _readableState?: { ended?: boolean } })._readableState?.ended === true
    ) {
      // EOF read but 'end' not emitted yet: no 'data' consumer will flush it, so ask for it.
      sock.read(0);
    }
    if (early !== undefined) this._readError = this._mapError(early);
    else if (sock.destroyed && !sock.readableEnded) {
      this._readError = this._mapError(Object.assign(new Error("reset"), { code: "ECONNRESET" }));
    }
    // Each callSoon runs its callback in a copy of the current context, as in CPython.
    const waiter = options.waiter ?? null;
    const tlsMade = this._ssl !== null && options.callConnectionMade !== false;
    if (tlsMade) {
      // The waiter is woken when connectionMade() returns (see _tlsConnectionMade).
      this._tlsWaiter = waiter;
      // CPython's SSLProtocol calls connection_made from the socket reader's callback: in the
      // context the reads then run in.
      this._readerContext = copyContext();
      loop._callSoonWithContext(tlsConnectionMade, [this], this._readerContext);
    } else if (options.callConnectionMade !== false) {
      loop.callSoon(callConnectionMade, this);
    }
    // Only start reading when connectionMade() has been called.
    loop.callSoon(addReader, this);
    if (waiter !== null && !tlsMade) {
      // Only wake up the waiter when connectionMade() has been called.
      loop.callSoon(setResultUnlessCancelled, waiter, null);
    }
  }

  /**
   * @internal CPython's SSLProtocol calls the protocol's connection_made() when the handshake
   * completes, inside the socket transport's buffer_updated(): what it raises is that call's
   * fatal error (the connection is lost with it, and the waiter gets it then).
   */
  _tlsConnectionMade(): void {
    try {
      this._protocol?.connectionMade?.(this);
    } catch (exc) {
      if (isExitException(exc)) throw exc;
      this._fatalError(exc, "Fatal error: protocol.buffer_updated() call failed.");
      return;
    }
    const waiter = this._tlsWaiter;
    this._tlsWaiter = null;
    if (waiter !== null && !waiter.done()) waiter.setResult(null);
  }

  /** @internal */
  _mapError(err: unknown): unknown {
    const e = fromNodeError(err);
    return this._ssl !== null ? fromTlsError(e) : e;
  }

  // ---- reading ----

  /** @internal Python's `_add_reader` after `connection_made`. */
  _addReader(): void {
    this._readerAdded = true;
    if (this._ssl === null || this._readerContext === null) this._readerContext = copyContext();
    this._syncNodeReading();
    this._scheduleRead();
  }

  /** @internal Pauses or resumes the Node socket to match the transport's state. */
  _syncNodeReading(): void {
    const sock = this._sock;
    if (sock === null || sock.destroyed) return;
    // A TLS socket goes on reading while the protocol is paused, until the read limits (Python's
    // SSLProtocol reads into its incoming BIO until _control_ssl_reading pauses the socket).
    const want =
      !this._closing &&
      !this._eofDelivered &&
      (this._ssl !== null ? !this._sslReadingPaused : !this._paused && this._rqBytes < MAX_SIZE);
    if (want) {
      if (sock.isPaused()) sock.resume();
    } else if (!sock.isPaused()) {
      sock.pause();
    }
    this._nodePaused = !want;
  }

  /**
   * @internal Python's `SSLProtocol._control_ssl_reading`: pauses the socket once the bytes
   * waiting for the protocol reach the high read limit, resumes it at the low one.
   */
  _controlSslReading(): void {
    const size = this._rqBytes;
    if (size >= this._readHigh && !this._sslReadingPaused) {
      this._sslReadingPaused = true;
      this._syncNodeReading();
    } else if (size <= this._readLow && this._sslReadingPaused) {
      this._sslReadingPaused = false;
      // CPython's SSLProtocol resumes the socket's reading, whose reader is added again in a
      // copy of the current context (a read's or a setReadBufferLimits() caller's): only these
      // paths resume, never Node's data events.
      if (this._readerAdded) this._readerContext = copyContext();
      this._syncNodeReading();
    }
  }

  /** @internal */
  _scheduleRead(context: Context | null = null): void {
    if (this._readScheduled || !this._readerAdded || this._paused || this._closing) return;
    if (this._rq.length === 0 && !this._peerEof && this._readError === NO_ERROR) return;
    if (this._eofDelivered) return;
    const loop = this._loop;
    if (loop === null || loop.isClosed()) return;
    this._readScheduled = true;
    loop._callSoonWithContext(
      readReady,
      this._selfArgs,
      context ?? this._readerContext ?? this._context,
    );
  }

  /** @internal One "socket readable" event: hand what arrived to the protocol. */
  _readReady(): void {
    this._readScheduled = false;
    if (this._connLost !== 0 || this._closing || this._paused || this._sock === null) return;
    if (this._rq.length > 0) {
      if (this._buffered) this._deliverIntoBuffer();
      else this._deliverData();
      this._scheduleRead();
      return;
    }
    const eof = this._peerEof && !this._eofDelivered;
    // CPython's buffered reader asks for a buffer before every recv_into(), the one that reads
    // EOF or fails too: a getBuffer that fails then is a fatal error instead.
    if (
      this._buffered &&
      this._ssl === null &&
      (eof || this._readError !== NO_ERROR) &&
      this._getBuffer() === null
    ) {
      return;
    }
    if (this._readError !== NO_ERROR) {
      const exc = this._readError;
      this._readError = NO_ERROR;
      this._fatalError(exc, "Fatal read error on socket transport");
      return;
    }
    if (eof) {
      this._eofDelivered = true;
      // CPython removes the reader only once eof_received() has returned: until then (its debug
      // log, the callback itself) the transport shows `read=polling`.
      this._deliveringEof = true;
      try {
        this._onEof();
      } finally {
        this._deliveringEof = false;
      }
    }
  }

  /**
   * The protocol's buffer for the next read, or null after reporting why there is none. Over
   * TLS (CPython's SSLProtocol._do_read__buffered) every failure is "Fatal error on SSL
   * protocol", and an empty buffer is returned (SSLObject.read() then reads 0 bytes).
   */
  private _getBuffer(): Uint8Array | null {
    const tls = this._ssl !== null;
    let buf: unknown;
    try {
      buf = this._protocol!.getBuffer!(-1);
      if (pyLen(buf) === 0 && !tls) {
        throw new RuntimeError("get_buffer() returned an empty buffer");
      }
    } catch (exc) {
      if (isExitException(exc)) throw exc;
      this._fatalError(
        exc,
        tls ? "Fatal error on SSL protocol" : "Fatal error: protocol.get_buffer() call failed.",
      );
      return null;
    }
    if (buf instanceof Uint8Array) return buf;
    // Any other typed array or DataView is a writable buffer to recv_into, byte for byte.
    if (ArrayBuffer.isView(buf)) return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    if (buf instanceof ArrayBuffer) return new Uint8Array(buf);
    // A str or a list has a len() but is no buffer: CPython's recv_into() (SSLObject.read())
    // refuses it.
    this._fatalError(
      new TypeError(
        tls
          ? `read() argument 2 must be read-write bytes-like object, not ${pyTypeName(buf)}`
          : `recv_into() argument 1 must be read-write bytes-like object, not ${pyTypeName(buf)}`,
      ),
      tls ? "Fatal error on SSL protocol" : "Fatal read error on socket transport",
    );
    return null;
  }

  private _deliverData(): void {
    const rq = this._rq;
    let data: Buffer;
    if (rq.length === 1) {
      // pop(), not `length = 0`: that trims the array's store, which the next push re-allocates.
      data = rq.pop()!;
    } else {
      data = Buffer.concat(rq, this._rqBytes);
      rq.length = 0;
    }
    this._rqBytes = 0;
    // Node's reading was paused only if the queue was full: resume it.
    if (this._ssl !== null) this._controlSslReading();
    else if (this._nodePaused) this._syncNodeReading();
    try {
      this._protocol!.dataReceived?.(data);
    } catch (exc) {
      if (isExitException(exc)) throw exc;
      this._fatalError(
        exc,
        // CPython's SSLProtocol reports a failing data_received as its own error.
        this._ssl !== null
          ? "Fatal error on SSL protocol"
          : "Fatal error: protocol.data_received() call failed.",
      );
    }
  }

  private _deliverIntoBuffer(): void {
    const protocol = this._protocol!;
    const buf = this._getBuffer();
    if (buf === null) return;
    const tls = this._ssl !== null;
    if (buf.length === 0) {
      // Over TLS (only): SSLObject.read() of 0 bytes returns 0, which SSLProtocol takes for the
      // peer's close_notify.
      this._tlsEmptyBuffer();
      return;
    }
    let n = 0;
    const rq = this._rq;
    while (n < buf.length && rq.length > 0) {
      const chunk = rq[0]!;
      const take = Math.min(buf.length - n, chunk.length);
      buf.set(take === chunk.length ? chunk : chunk.subarray(0, take), n);
      n += take;
      if (take === chunk.length) rq.shift();
      else rq[0] = chunk.subarray(take);
    }
    this._rqBytes -= n;
    if (tls) {
      this._controlSslReading();
      // SSLProtocol reads again in the next iteration when the buffer was filled, even once a
      // fatal error closed the socket (until its connection_lost).
      if (n === buf.length && !this._readAgainScheduled && this._loop !== null) {
        this._readAgainScheduled = true;
        // CPython's call_soon(self._do_read): a copy of the context this read runs in.
        this._loop._callSoonWithContext(tlsReadAgain, this._selfArgs, copyContext());
      }
    } else {
      this._syncNodeReading();
    }
    try {
      protocol.bufferUpdated?.(n);
    } catch (exc) {
      if (isExitException(exc)) throw exc;
      this._fatalError(
        exc,
        tls ? "Fatal error on SSL protocol" : "Fatal error: protocol.buffer_updated() call failed.",
      );
    }
  }

  /** @internal The `tlsReadAgain` callback: what the ordinary read would not deliver. */
  _tlsReadAgain(): void {
    this._readAgainScheduled = false;
    if (this._sock === null || this._protocol === null || this._readScheduled) return;
    if (this._paused || this._appClosed || this._eofDelivered || this._rq.length === 0) return;
    this._deliverIntoBuffer();
  }

  /**
   * A TLS protocol's get_buffer() gave an empty buffer: SSLProtocol calls eof_received() and
   * shuts down, which fails on the application data still unread (the connection is lost with
   * that SSLError, after our close_notify).
   */
  private _tlsEmptyBuffer(): void {
    this._appClosed = true;
    this._eofDelivered = true;
    let keepOpen: unknown;
    try {
      keepOpen = this._protocol!.eofReceived?.();
    } catch (exc) {
      if (isExitException(exc)) throw exc;
      this._fatalError(exc, "Error calling eof_received()");
      return;
    }
    if (pyTruthy(keepOpen)) {
      logger.warning("returning true from eof_received() has no effect when using ssl");
    }
    this._closeNotify = true;
    this._fatalError(
      fromTlsError(
        Object.assign(new Error("application data after close notify"), {
          code: "ERR_SSL_APPLICATION_DATA_AFTER_CLOSE_NOTIFY",
          reason: "application data after close notify",
        }),
      ),
    );
  }

  private _onEof(): void {
    const loop = this._loop!;
    // (over TLS, CPython's SSLProtocol logs only a TCP-level EOF, which Node does not tell apart)
    if (loop.getDebug() && this._ssl === null) logger.debug(`${this[customRepr]()} received EOF`);
    let keepOpen: unknown;
    try {
      keepOpen = this._protocol!.eofReceived?.();
    } catch (exc) {
      if (isExitException(exc)) throw exc;
      this._fatalError(
        exc,
        this._ssl !== null
          ? "Error calling eof_received()"
          : "Fatal error: protocol.eof_received() call failed.",
      );
      return;
    }
    // Python's `if keep_open:` (an empty list or a 0n is false there too).
    const open = pyTruthy(keepOpen);
    if (open && this._ssl === null) {
      // Kept open so the protocol can write more; nothing more can be received.
      this._syncNodeReading();
    } else {
      if (open) logger.warning("returning true from eof_received() has no effect when using ssl");
      this.close();
    }
  }

  override isReading(): boolean {
    // A TLS transport (CPython's _SSLProtocolTransport) says what the protocol asked for, closed
    // or not.
    if (this._ssl !== null) return !this._paused;
    return !this._closing && !this._paused;
  }

  override pauseReading(): void {
    if (this._ssl !== null) {
      // SSLProtocol._pause_reading: no check, no log; the socket goes on reading (see
      // _syncNodeReading) up to the read limits.
      this._paused = true;
      return;
    }
    if (!this.isReading()) return;
    this._paused = true;
    this._syncNodeReading();
    if (this._loop?.getDebug()) logger.debug(`${this[customRepr]()} pauses reading`);
  }

  override resumeReading(): void {
    if (this._ssl !== null) {
      // SSLProtocol._resume_reading: reads again in the next iteration.
      if (!this._paused) return;
      this._paused = false;
      if (this._closing) return;
      // Only that read runs in the resumer's context; later ones in the socket reader's.
      this._scheduleRead(copyContext());
      return;
    }
    if (this._closing || !this._paused) return;
    this._paused = false;
    if (this._readerAdded) this._readerContext = copyContext();
    this._syncNodeReading();
    this._scheduleRead();
    if (this._loop?.getDebug()) logger.debug(`${this[customRepr]()} resumes reading`);
  }

  // ---- writing ----

  override write(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) {
      if (ArrayBuffer.isView(data)) {
        const v = data as ArrayBufferView;
        data = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      } else {
        // CPython's TLS transport (_SSLProtocolTransport.write) words it differently.
        throw new TypeError(
          this._ssl !== null
            ? `data: expecting a bytes-like instance, got ${pyTypeName(data)}`
            : `data argument must be a bytes-like object, not ${pyRepr(pyTypeName(data))}`,
        );
      }
    }
    if (this._eof) throw new RuntimeError("Cannot call write() after write_eof()");
    if (this._sendfile) throw new RuntimeError("unable to write; sendfile is in progress");
    if (data.length === 0) return;
    if (this._ssl !== null && (this._appClosed || this._sock === null)) {
      // SSLProtocol drops what is written once it is shutting down (close(), abort()) or lost,
      // counting from 0 (its connection_lost counts one too).
      if (this._sslLostWrites >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        logger.warning("SSL connection is closed");
      }
      this._sslLostWrites++;
      return;
    }
    if (this._connLost !== 0) {
      // A TLS transport after a fatal error: SSLProtocol still encrypts, the socket drops it.
      if (this._connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        logger.warning("socket.send() raised exception.");
      }
      this._connLost++;
      return;
    }
    const sock = this._sock!;
    if (sock.writableLength === 0 && this._ssl === null) {
      // The usual case: Node hands the bytes to the kernel at once. A write callback costs as
      // much as the rest of the write, so none is asked for unless something stays buffered:
      // then a zero-length write queued behind it calls `_onWritten` once the buffer drained.
      sock.write(data);
      if (sock.writableLength === 0) {
        // The kernel refused them (the peer is gone): Node knows at once and tells in an
        // 'error' event later; CPython's send() fails inside write() (a close() made right
        // after must not hide it).
        if (sock.errored) this._onError(sock.errored);
        return;
      }
      sock.write(EMPTY, this._onWritten);
      unsentOf(this._loop!).add(this);
      // Bytes left in an empty buffer: CPython adds the writer now, in a copy of this caller's
      // context (an earlier writer's, whose bytes all went, is not kept).
      this._writerContext = copyContext();
    } else {
      const wasEmpty = sock.writableLength === 0;
      // Every write made while the buffer is not empty reports its completion.
      sock.write(data, this._onWritten);
      if (sock.writableLength > 0) unsentOf(this._loop!).add(this);
      if (this._ssl !== null) {
        if (sock.writableLength > 0 && (wasEmpty || this._writerContext === null)) {
          this._writerContext = copyContext();
        }
        if (!this._corked) this._controlAppWriting();
        return;
      }
      if (sock.writableLength === 0) return;
    }
    if (this._writerContext === null) this._writerContext = copyContext();
    if (!this._corked) _maybePauseProtocol(this, this);
  }

  /**
   * @internal Python's `SSLProtocol._control_app_writing`: pauses the protocol once the buffer
   * reaches the high-water mark (an empty buffer reaches a mark of 0), resumes it at the low one.
   */
  _controlAppWriting(): void {
    if (this._protocol === null) return;
    const size = this.getWriteBufferSize();
    if (size >= this._highWater && !this._protocolPaused) {
      this._protocolPaused = true;
      try {
        this._protocol.pauseWriting?.();
      } catch (exc) {
        if (isExitException(exc)) throw exc;
        this._loop?.callExceptionHandler({
          message: "protocol.pause_writing() failed",
          exception: exc,
          transport: this,
          protocol: this._protocol,
        });
      }
    } else if (size <= this._lowWater && this._protocolPaused) {
      _maybeResumeProtocol(this, this);
    }
  }

  override writelines(listOfData: Iterable<Uint8Array>): void {
    if (this._ssl !== null) {
      this._tlsWritelines(listOfData);
      return;
    }
    if (this._eof) throw new RuntimeError("Cannot call writelines() after write_eof()");
    if (this._sendfile) {
      throw new RuntimeError("unable to writelines; sendfile is in progress");
    }
    // Python's `if not list_of_data: return`, then iteration.
    if (!listOfData) return;
    if (typeof (listOfData as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function") {
      throw new TypeError(`${pyRepr(pyTypeName(listOfData))} object is not iterable`);
    }
    const list = [...listOfData];
    // As CPython's memoryview() of each item: every item is checked before any is written.
    for (const d of list) {
      if (!ArrayBuffer.isView(d)) {
        throw new TypeError(
          `memoryview: a bytes-like object is required, not ${pyRepr(pyTypeName(d))}`,
        );
      }
    }
    if (list.length === 0) return;
    if (this._connLost !== 0) {
      this.write(list[0]!);
      return;
    }
    const sock = this._sock!;
    // Corked, Node counts every item as buffered until uncork() hands them all to the kernel:
    // the protocol is paused, as CPython's is, only if something stays buffered after that.
    sock.cork();
    this._corked = true;
    try {
      for (const d of list) this.write(d);
    } finally {
      this._corked = false;
      sock.uncork();
    }
    // The kernel refused the lot (see write).
    if (sock.errored && sock.writableLength === 0) this._onError(sock.errored);
    else if (sock.writableLength > 0) {
      // CPython's writelines adds its writer again, in this caller's context.
      this._writerContext = copyContext();
      _maybePauseProtocol(this, this);
    }
  }

  /**
   * A TLS transport's writelines (CPython's `SSLProtocol._write_appdata`): once closed, one
   * dropped write whatever is given; else every item's len() (what has none raises here), then
   * SSLObject.write() of each, whose TypeError for an item that is not bytes-like is a fatal
   * error (nothing is sent).
   */
  private _tlsWritelines(listOfData: Iterable<Uint8Array>): void {
    if (this._appClosed || this._sock === null) {
      if (this._sslLostWrites >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        logger.warning("SSL connection is closed");
      }
      this._sslLostWrites++;
      return;
    }
    if (
      listOfData === null ||
      listOfData === undefined ||
      typeof (listOfData as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
    ) {
      throw new TypeError(`${pyRepr(pyTypeName(listOfData))} object is not iterable`);
    }
    const list: unknown[] = [];
    this._tlsBacklog = list;
    try {
      for (const d of listOfData as Iterable<unknown>) list.push(d);
    } finally {
      this._tlsBacklog = null;
    }
    // The iterable closed the transport: close() sent what it had yielded until then, as the
    // shutdown flushes SSLProtocol's backlog; the rest is dropped, uncounted.
    if (this._appClosed || this._sock === null) return;
    for (const d of list) pyLen(d);
    const bad = list.find((d) => !ArrayBuffer.isView(d));
    if (bad !== undefined) {
      this._fatalError(
        new TypeError(`a bytes-like object is required, not ${pyRepr(pyTypeName(bad))}`),
        "Fatal error on SSL protocol",
      );
      return;
    }
    const items = (list as ArrayBufferView[]).filter((d) => d.byteLength > 0);
    if (items.length === 0) return;
    if (this._connLost !== 0) {
      this.write(items[0] as Uint8Array);
      return;
    }
    const sock = this._sock;
    // As SSLProtocol's _do_write: every item first, then one look at the buffer (a protocol
    // that acted on a pause in the middle of the list would write or close between items).
    sock.cork();
    this._corked = true;
    try {
      for (const d of items) this.write(d as Uint8Array);
    } finally {
      this._corked = false;
      sock.uncork();
    }
    if (this._sock !== null && !this._appClosed) this._controlAppWriting();
  }

  /** @internal See dropUnsentWrites. */
  _dropIfUnsent(): void {
    const sock = this._sock;
    if (sock !== null && !sock.destroyed && sock.writableLength > 0) sock.destroy();
  }

  override writeEof(): void {
    if (this._ssl !== null) throw new NotImplementedError();
    if (this._closing || this._eof) return;
    this._eof = true;
    // CPython's shutdown(SHUT_WR) fails at once on a TCP socket the peer has reset (our write
    // reached its closed socket); Node's end() would report nothing.
    if (this.getWriteBufferSize() === 0 && this._notConnected()) {
      throw fromNodeError(Object.assign(new Error(), { code: "ENOTCONN", syscall: "shutdown" }));
    }
    this._sock?.end();
  }

  override canWriteEof(): boolean {
    return this._ssl === null;
  }

  override getWriteBufferSize(): number {
    const sock = this._sock;
    if (sock === null || sock.destroyed) return 0;
    // What a native sendfile() has handed to the socket is not the transport's.
    return Math.max(0, sock.writableLength - this._sendfileUnsent);
  }

  override getWriteBufferLimits(): [number, number] {
    return [this._lowWater, this._highWater];
  }

  override setWriteBufferLimits(limit?: BufferLimit, lowLimit?: number | null): void {
    const [high, low] = _limitArgs(limit, lowLimit, "set_write_buffer_limits");
    if (this._ssl !== null) {
      // SSLProtocol's defaults (512 KiB), checked at once (_control_app_writing).
      [this._highWater, this._lowWater] = sslLimits(high, low, SSL_WRITE_HIGH);
      this._controlAppWriting();
      return;
    }
    [this._highWater, this._lowWater] = _writeBufferLimits(high, low);
    _maybePauseProtocol(this, this);
  }

  /** TLS transports only (CPython's `_SSLProtocolTransport`). */
  private _tlsOnly(name: string): void {
    if (this._ssl === null) {
      throw new TypeError(
        `'${pyClassName(this, SocketTransport, "_SelectorSocketTransport")}' object has no attribute '${name}'`,
      );
    }
  }

  /**
   * The `[low, high]` read limits of a TLS transport: the socket stops reading while that many
   * bytes wait for the protocol (paused, say). Python's `get_read_buffer_limits()`.
   */
  getReadBufferLimits(): [number, number] {
    this._tlsOnly("get_read_buffer_limits");
    return [this._readLow, this._readHigh];
  }

  /**
   * Sets a TLS transport's read limits (defaults 256 KiB and a quarter of high), as Python's
   * `set_read_buffer_limits(high, low)`; checked at once: a high limit of 0 stops reading.
   */
  setReadBufferLimits(limit?: BufferLimit, lowLimit?: number | null): void {
    this._tlsOnly("set_read_buffer_limits");
    const [high, low] = _limitArgs(limit, lowLimit, "set_read_buffer_limits");
    [this._readHigh, this._readLow] = sslLimits(high, low, SSL_READ_HIGH);
    if (this._sock !== null) this._controlSslReading();
  }

  /**
   * The bytes a TLS transport holds for its protocol (Python's `get_read_buffer_size()`): what
   * arrived while reading is paused (decrypted; CPython counts the encrypted bytes).
   */
  getReadBufferSize(): number {
    this._tlsOnly("get_read_buffer_size");
    return this._paused && this._sock !== null ? this._rqBytes : 0;
  }

  /** @internal The write buffer drained (Python's `_write_ready` tail). */
  _writeReady(): void {
    this._writeScheduled = false;
    if (this._connLost !== 0) return;
    // CPython removes the writer after resume_writing(): until then the repr says polling.
    this._resumingWrites = true;
    try {
      _maybeResumeProtocol(this, this);
    } finally {
      this._resumingWrites = false;
    }
    if (this.getWriteBufferSize() === 0) this._writerContext = null;
    if (this._closing && this.getWriteBufferSize() === 0 && this._connLost === 0) {
      this._connLost++;
      this._callConnectionLost(null);
    }
  }

  // ---- closing ----

  override isClosing(): boolean {
    // After startTls, CPython's old transport stays open under the TLS one (it closes with it);
    // it is closing only once the handshake has failed.
    if (this._upgradedTo !== null) return this._upgradedTo.isClosing();
    if (this._handedOver) return this._sock === null;
    // A TLS transport is closing once closed or aborted, or lost: not yet after a fatal error.
    if (this._ssl !== null) return this._appClosed;
    return this._closing;
  }

  override close(): void {
    if (this._upgradedTo !== null) {
      this._upgradedTo.close();
      return;
    }
    if (this._ssl !== null) {
      this._sendTlsBacklog();
      this._appClosed = true;
    }
    if (this._closing) return;
    if (this._ssl !== null) this._flushReceived();
    this._closing = true;
    this._syncNodeReading();
    if (this.getWriteBufferSize() === 0) {
      this._connLost++;
      this._loop!.callSoon(callConnectionLost, this, null);
    }
  }

  /**
   * close() called by the iterable a TLS writelines() is reading: the items it yielded so far
   * go first, as SSLProtocol flushes its write backlog before the shutdown.
   */
  private _sendTlsBacklog(): void {
    const backlog = this._tlsBacklog;
    if (backlog === null || this._appClosed) return;
    for (const d of backlog.splice(0)) {
      if (ArrayBuffer.isView(d) && d.byteLength > 0) this.write(d as Uint8Array);
    }
  }

  /**
   * TLS close: what arrived and was not delivered yet goes to the protocol now, from inside
   * close(), as CPython's SSLProtocol flush reads its incoming buffer before the shutdown.
   */
  private _flushReceived(): void {
    const sock = this._sock as net.Socket | null;
    if (sock === null || this._paused || !this._protocolConnected || this._connLost !== 0) return;
    // Decrypted bytes Node holds that no 'data' event has handed over yet (read() emits them
    // to the transport's 'data' listener).
    while (sock.readableLength > 0 && sock.read() !== null);
    if (this._rq.length === 0) return;
    if (this._buffered) this._deliverIntoBuffer();
    else this._deliverData();
  }

  override abort(): void {
    if (this._upgradedTo !== null) {
      this._upgradedTo.abort();
      return;
    }
    if (this._ssl !== null) this._appClosed = true;
    this._forceClose(null);
  }

  /** @internal Python's `_fatal_error`: OSErrors are logged in debug mode only. */
  _fatalError(exc: unknown, message = "Fatal error on transport"): void {
    if (this._loop === null) return;
    reportFatalError(this, exc, message);
    this._forceClose(exc as Error);
  }

  /** @internal Python's `_force_close`: drop the buffer, `connectionLost(exc)` next iteration. */
  _forceClose(exc: Error | null): void {
    if (this._connLost !== 0) return;
    const sock = this._sock;
    if (sock !== null && sock.writableLength > 0) sock.destroy();
    if (!this._closing) {
      this._closing = true;
      this._syncNodeReading();
    }
    this._connLost++;
    const loop = this._loop!;
    // From user code (abort) or a callback: a copy of the current context, as call_soon does;
    // from a Node event, the reader's context stands in for the selector callback's.
    const ctx = loop._inHandle || currentTask(loop) !== null ? null : this._readerContext;
    if (loop.isClosed()) sock?.destroy();
    else if (ctx === null) loop.callSoon(callConnectionLost, this, exc);
    else loop._callSoonWithContext(callConnectionLost, [this, exc], ctx.copy());
  }

  /**
   * @internal The socket is lost: the protocol's `connectionLost(exc)`, then the socket closed.
   * Over TLS this is SSLProtocol's connection_lost, which schedules the protocol's for the next
   * iteration and wakes the waiter (with `exc`) if connectionMade() failed.
   */
  _callConnectionLost(exc: Error | null): void {
    const sock = this._sock;
    const loop = this._loop;
    const tls = this._ssl !== null;
    if (tls) {
      // CPython's SSLProtocol drops its transport before the app's connection_lost: from then
      // on its extra info holds only the TLS keys (socket/peername/sockname give the default).
      delete this._extra.socket;
      delete this._extra.sockname;
      delete this._extra.peername;
      this._appClosed = true;
      this._sslLostWrites++;
    }
    try {
      if (!this._protocolConnected) {
        // nothing to tell
      } else if (!tls) {
        this._protocol?.connectionLost?.(exc);
      } else if (this._protocol !== null && loop !== null && !loop.isClosed()) {
        loop.callSoon(callAppConnectionLost, this._protocol, exc);
      }
      const waiter = this._tlsWaiter;
      if (waiter !== null) {
        this._tlsWaiter = null;
        if (!waiter.done()) {
          if (exc !== null) waiter._setExceptionUnchecked(exc);
          else waiter.setResult(null);
        }
      }
    } finally {
      if (sock !== null) {
        if (tls && (exc === null || this._closeNotify) && !sock.destroyed) {
          // Send close_notify, then read on (discarding) until the peer's own close, or for
          // 30 s (CPython's ssl_shutdown_timeout), as SSLProtocol waits for the peer's
          // close_notify: closing with the peer's bytes unread (TLS 1.3 session tickets, data
          // in flight) would reset the connection under the peer.
          if (sock.readableEnded) {
            sock.end(() => sock.destroy());
          } else {
            sock.once("end", () => sock.destroy());
            sock.resume();
            sock.end();
          }
          // Cleared once the socket closes: the timer would hold it (and the transport) on.
          const shutdownTimer = setTimeout(() => sock.destroy(), 30_000).unref();
          sock.once("close", () => clearTimeout(shutdownTimer));
        } else if (!tls && this._rqBytes > 0 && !sock.destroyed) {
          // Bytes Node read that the protocol never got: CPython leaves them unread in the
          // kernel, whose close then resets the connection.
          sock.resetAndDestroy();
        } else {
          sock.destroy();
        }
      }
      if (this._loop !== null) forgetUnsent(this._loop, this);
      this._sock = null;
      this._protocol = null;
      this._loop = null;
      this._readerContext = this._writerContext = null;
      const server = this._server;
      if (server !== null) {
        this._server = null;
        server._detach(this);
      }
    }
  }

  override setProtocol(protocol: AnyProtocol): void {
    this._buffered = isBufferedProtocol(protocol);
    this._protocol = protocol;
    this._protocolConnected = true;
  }

  override getProtocol(): AnyProtocol {
    return this._protocol!;
  }

  /** @internal Hands the Node socket over (for startTls): undelivered bytes are put back. */
  _detachSocket(): net.Socket {
    const sock = this._sock!;
    sock.pause();
    if (this._onread) leaveOnread(sock);
    sock.removeListener("data", this._onData);
    sock.removeListener("end", this._onEnd);
    sock.removeListener("close", this._onClose);
    sock.removeListener("error", this._onError);
    captureEarlyErrors(sock);
    if (this._rq.length > 0) sock.unshift(Buffer.concat(this._rq, this._rqBytes));
    this._rq = [];
    this._rqBytes = 0;
    this._closing = true;
    this._handedOver = true;
    this._connLost++;
    return sock;
  }

  [customRepr](): string {
    // CPython's TLS transport (_SSLProtocolTransport) has no repr of its own: object's.
    if (this._ssl !== null && this.constructor === SocketTransport) {
      return "<_SSLProtocolTransport object>";
    }
    const info: string[] = [pyClassName(this, SocketTransport, "_SelectorSocketTransport")];
    if (this._sock === null) info.push("closed");
    else if (this._closing) info.push("closing");
    info.push(`fd=${this._fd}`);
    const loop = this._loop;
    if (loop !== null && !loop.isClosed() && this._sock !== null) {
      info.push(
        `read=${this._readerAdded && this.isReading() && (!this._eofDelivered || this._deliveringEof) ? "polling" : "idle"}`,
      );
      const bufsize = this.getWriteBufferSize();
      info.push(
        `write=<${bufsize > 0 || this._resumingWrites ? "polling" : "idle"}, bufsize=${bufsize}>`,
      );
    }
    return `<${info.join(" ")}>`;
  }

  override toString(): string {
    return this[customRepr]();
  }
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

/** @internal One listening Node server of a `Server`. */
interface Listener {
  node: net.Server;
  family: number;
  tsock: TransportSocket;
  /** A Unix server bound to a path: the path, the socket file's inode, and cleanup_socket. */
  unix?: { path: string; ino: number | null; cleanup: boolean };
}

/**
 * Closes a listener. libuv unlinks a Unix server's path whenever it closes it; CPython 3.13
 * removes it only with cleanup_socket and when the path still names the socket it bound (same
 * inode). Otherwise the file is kept: linked aside before the close and renamed back after it
 * (libuv's unlink happens inside `close()`).
 */
function closeListener(l: Listener): void {
  const u = l.unix;
  if (u === undefined) {
    l.node.close();
    return;
  }
  let ino: number | null = null;
  try {
    ino = statSync(u.path).ino;
  } catch {
    // The path is gone: nothing to keep.
  }
  const keep = ino !== null && (!u.cleanup || ino !== u.ino);
  let aside: string | null = null;
  if (keep) {
    aside = join(dirname(u.path), `.${basename(u.path)}.${process.pid}.${++keepCounter}.keep`);
    try {
      linkSync(u.path, aside);
    } catch {
      aside = null;
    }
  }
  l.node.close();
  if (aside !== null) {
    try {
      renameSync(aside, u.path);
    } catch {
      try {
        unlinkSync(aside);
      } catch {
        // Best effort.
      }
    }
  }
}
let keepCounter = 0;

/**
 * What closeListener needs for a listener bound to the Unix path `name` (nothing for an
 * abstract or unbound one): with cleanup (CPython's cleanup_socket), the inode the path names
 * now, as create_unix_server records it.
 */
function unixCleanup(name: string, cleanup: boolean): Listener["unix"] {
  if (name === "" || name[0] === "\0") return undefined;
  let ino: number | null = null;
  if (cleanup) {
    try {
      ino = statSync(name).ino;
    } catch {
      // Not visible: close() will not remove anything.
    }
  }
  return { path: name, ino, cleanup };
}

/**
 * A Unix socket path as CPython's socket takes it: a str, or bytes (decoded, as os.fsdecode
 * does); anything else is its TypeError. Too long a path is OSError('AF_UNIX path too long'):
 * it must fit in `sun_path` (108 bytes on Linux), a file path with a byte for its terminating
 * NUL (at most 107 bytes), an abstract name (a leading NUL) all of it. libuv would truncate
 * the path silently.
 */
function unixPathArg(given: unknown): string {
  let path: string;
  if (typeof given === "string") path = given;
  else if (given instanceof Uint8Array) path = Buffer.from(given).toString("utf8");
  else {
    throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyTypeName(given)}`);
  }
  checkUnixPathLength(path);
  return path;
}

function checkUnixPathLength(path: string): void {
  const linux = process.platform === "linux";
  const size = linux ? 108 : 104;
  const len = Buffer.byteLength(path);
  const fits = linux && path[0] === "\0" ? len <= size : len < size;
  if (!fits) throw new OSError("AF_UNIX path too long");
}

/**
 * Whether bind() of `path` failed with ENOENT, which libuv reports as EACCES: a directory on
 * the way is missing, or the directory is writable (so EACCES cannot be the real error; a
 * trailing slash, for one).
 */
function bindWasEnoent(path: string): boolean {
  const dir = dirname(path);
  try {
    accessSync(dir, fsConstants.W_OK | fsConstants.X_OK);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "ENOENT";
  }
}

function acceptConnection(server: Server, sock: net.Socket, l: Listener): void {
  // CPython's reader callback makes a task of `_accept_connection2` (a task factory sees it,
  // and it takes a Task-N name), which sets up the transport and waits until the protocol's
  // connectionMade() has run (after the TLS handshake, for a TLS server).
  server._loop.createTask(acceptConnection2(server, sock, l));
}

const acceptConnection2 = awaitable(function* acceptConnection2(
  server: Server,
  sock: net.Socket,
  l: Listener,
): Coroutine<void> {
  const setup = server._accept(sock, l);
  if (setup === null) return;
  try {
    yield* setup.waiter;
  } catch (exc) {
    // Cancelled (the loop is shutting down, say) before the connection was made.
    setup.close();
    if (isExitException(exc)) throw exc;
    const loop = server._loop;
    if (loop.getDebug()) {
      loop.callExceptionHandler({
        message: "Error on transport creation for incoming connection",
        exception: exc,
        protocol: setup.protocol,
      });
    }
  }
}, "BaseSelectorEventLoop._accept_connection2");

/** What `_accept_connection2` waits on for one accepted connection. */
interface AcceptSetup {
  /** done once connectionMade() has run, or the TLS handshake failed (then reported) */
  waiter: Future<unknown>;
  protocol: AnyProtocol;
  /** drops the connection (the handshake, or the transport) */
  close(): void;
}

/**
 * A listening server (Python's `asyncio.Server`), returned by `loop.createServer`,
 * `createUnixServer`, `startServer` and `startUnixServer`.
 *
 * `close()` stops listening (connections already made stay open: `closeClients()` closes them,
 * `abortClients()` aborts them); `waitClosed()` waits until the server is closed AND every
 * connection is gone (3.12.1+). `await using server = ...` closes it and waits.
 */
export class Server {
  /** @internal */ _loop: AbstractEventLoop;
  /** @internal */ _listeners: Listener[] | null;
  /** @internal */ _clients = new Set<SocketTransport>();
  /** @internal connections still in their TLS handshake (clients too, as in CPython) */
  _handshakes = new Set<Future<tls.TLSSocket>>();
  /** @internal */ _waiters: Future<void>[] | null = [];
  /** @internal */ _protocolFactory: ProtocolFactory<AnyProtocol>;
  /** @internal */ _backlog: number;
  /** @internal */ _sslContext: SSLContext | null;
  /** @internal */ _sslHandshakeTimeout: number | null;
  /** @internal */ _sslShutdownTimeout: number | null;
  /** @internal */ _serving = false;
  /** @internal */ _servingForeverFut: Future<void> | null = null;
  /** @internal connections Node accepted before serving started */ _pending: [
    net.Socket,
    Listener,
  ][] = [];
  /** @internal */ _context: Context;

  /** @internal Created by the loop. */
  constructor(
    loop: AbstractEventLoop,
    listeners: Listener[],
    protocolFactory: ProtocolFactory<AnyProtocol>,
    sslContext: SSLContext | null,
    backlog: number,
    sslHandshakeTimeout: number | null,
    sslShutdownTimeout: number | null,
  ) {
    this._loop = loop;
    loop._madeIO = true;
    this._listeners = listeners;
    this._protocolFactory = protocolFactory;
    this._sslContext = sslContext;
    this._backlog = backlog;
    this._sslHandshakeTimeout = sslHandshakeTimeout;
    this._sslShutdownTimeout = sslShutdownTimeout;
    this._context = copyContext();
    for (const l of listeners) {
      l.node.on("connection", (sock: net.Socket) => this._onConnection(sock, l));
    }
  }

  /** @internal A Node "connection" event (outside the loop). */
  private _onConnection(sock: net.Socket, l: Listener): void {
    captureEarlyErrors(sock);
    // Node caches the peer address once read: read it now, while the socket is surely open
    // (a peer that resets at once would otherwise leave the transport's peername None).
    void sock.remoteAddress;
    sock.unref();
    if (this._listeners === null || this._loop.isClosed()) {
      sock.destroy();
      return;
    }
    if (!this._serving) {
      this._pending.push([sock, l]);
      return;
    }
    this._loop._callSoonWithContext(acceptConnection, [this, sock, l], this._context);
  }

  /** @internal Python's `_accept_connection2`, run by the loop. */
  _accept(sock: net.Socket, l: Listener): AcceptSetup | null {
    const loop = this._loop;
    if (this._listeners === null) {
      sock.destroy();
      return null;
    }
    const peername = l.family === AF_UNIX ? "" : nodePeername(sock);
    const sockname = l.family === AF_UNIX ? l.tsock._sockname : undefined;
    if (loop.getDebug()) {
      // CPython's `_accept_connection`, showing the accepted socket.socket.
      const conn = new TransportSocket(
        sock,
        l.family,
        SOCK_STREAM,
        sockname ?? nodeSockname(sock),
        peername,
      )
        [customRepr]()
        .replace("<asyncio.TransportSocket ", "<socket.socket ");
      const addr = peername === null ? "None" : reprAddr(peername);
      logger.debug(`${this[customRepr]()} got a new connection from ${addr}: ${conn}`);
    }
    let protocol: AnyProtocol;
    try {
      protocol = this._protocolFactory();
    } catch (exc) {
      if (isExitException(exc)) throw exc;
      sock.destroy();
      if (loop.getDebug()) {
        loop.callExceptionHandler({
          message: "Error on transport creation for incoming connection",
          exception: exc,
        });
      }
      return null;
    }
    const extra: Record<string, unknown> = { peername };
    if (sockname !== undefined) extra.sockname = sockname;
    const ctx = this._sslContext;
    const waiter = _newFuture<unknown>(loop);
    if (ctx === null) {
      const transport = new SocketTransport(loop, sock, protocol, {
        family: l.family,
        extra,
        server: this,
        waiter,
      });
      return { waiter, protocol, close: () => transport.close() };
    }
    let handshakeTimeout: number;
    try {
      handshakeTimeout = checkTlsTimeouts(this._sslHandshakeTimeout, this._sslShutdownTimeout);
    } catch (exc) {
      // CPython: SSLProtocol's constructor fails in `_accept_connection2` (reported in debug
      // mode only) and the connection is dropped.
      sock.destroy();
      if (loop.getDebug()) {
        loop.callExceptionHandler({
          message: "Error on transport creation for incoming connection",
          exception: exc,
        });
      }
      return null;
    }
    const hs = tlsHandshake(loop, sock, ctx, {
      serverSide: true,
      handshakeTimeout,
    });
    this._handshakes.add(hs);
    let transport: SocketTransport | null = null;
    hs.addDoneCallback((f) => {
      this._handshakes.delete(hs);
      if (f.cancelled()) {
        if (!waiter.done()) waiter.cancel();
        if (this._noClients() && this._listeners === null) this._wakeup();
        return;
      }
      const exc = f.exception();
      if (exc !== null) {
        if (loop.getDebug()) {
          loop.callExceptionHandler({
            message: "Error on transport creation for incoming connection",
            exception: exc,
            protocol,
          });
        }
        if (!waiter.done()) waiter.setResult(null);
        if (this._noClients() && this._listeners === null) this._wakeup();
        return;
      }
      const tsock = f.result();
      handOver(tsock);
      if (this._listeners === null && this._clients.size === 0 && this._waiters === null) {
        tsock.destroy();
        if (!waiter.done()) waiter.setResult(null);
        return;
      }
      transport = new SocketTransport(loop, tsock, protocol, {
        family: l.family,
        extra,
        server: this,
        ssl: ctx,
        waiter,
      });
    });
    const close = () => (transport === null ? hs.cancel() : transport.close());
    return { waiter, protocol, close };
  }

  /** @internal */
  _attach(transport: SocketTransport): void {
    this._clients.add(transport);
  }

  /** @internal */
  _detach(transport: SocketTransport): void {
    this._clients.delete(transport);
    if (this._noClients() && this._listeners === null) this._wakeup();
  }

  /** @internal */
  _wakeup(): void {
    const waiters = this._waiters;
    this._waiters = null;
    if (waiters === null) return;
    for (const w of waiters) if (!w.done()) w.setResult(undefined);
  }

  /** @internal */
  _startServing(): void {
    if (this._serving) return;
    this._serving = true;
    // As CPython's add_reader at _start_serving: connections run in a copy of the context
    // current now (`startServing()`, `serveForever()`), not the one at creation.
    this._context = copyContext();
    const pending = this._pending;
    this._pending = [];
    for (const [sock, l] of pending) {
      this._loop._callSoonWithContext(acceptConnection, [this, sock, l], this._context);
    }
  }

  getLoop(): AbstractEventLoop {
    return this._loop;
  }

  /** True while the server accepts connections. */
  isServing(): boolean {
    return this._serving;
  }

  /** The listening sockets (empty once closed); `sockets[0].getsockname()` gives `[host, port]`. */
  get sockets(): readonly TransportSocket[] {
    return this._listeners === null ? [] : this._listeners.map((l) => l.tsock);
  }

  /** Stops listening; existing connections stay open. Idempotent. */
  close(): void {
    const listeners = this._listeners;
    if (listeners === null) return;
    this._listeners = null;
    for (const l of listeners) closeListener(l);
    this._serving = false;
    for (const [sock] of this._pending) sock.destroy();
    this._pending = [];
    const fut = this._servingForeverFut;
    if (fut !== null && !fut.done()) {
      fut.cancel();
      this._servingForeverFut = null;
    }
    if (this._noClients()) this._wakeup();
  }

  /** @internal No connection is open or still in its TLS handshake. */
  _noClients(): boolean {
    return this._clients.size === 0 && this._handshakes.size === 0;
  }

  /** Closes every connection the server accepted (3.13), those still in a TLS handshake too. */
  closeClients(): void {
    for (const hs of [...this._handshakes]) hs.cancel();
    for (const t of [...this._clients]) t.close();
  }

  /** Aborts every connection the server accepted (3.13), those still in a TLS handshake too. */
  abortClients(): void {
    for (const hs of [...this._handshakes]) hs.cancel();
    for (const t of [...this._clients]) t.abort();
  }

  /** Starts accepting connections (when created with `startServing: false`). */
  startServing(): AwaitableCoroutine<void> {
    return serverStartServing(this);
  }

  /**
   * Accepts connections until cancelled; cancelling it closes the server and waits for it.
   * `RuntimeError` if already awaited by someone else or if the server is closed.
   */
  serveForever(): AwaitableCoroutine<void> {
    return serverServeForever(this);
  }

  /** Waits until the server is closed and all its connections are gone. */
  waitClosed(): AwaitableCoroutine<void> {
    return serverWaitClosed(this);
  }

  /** `await using server = ...`: closes the server and waits for `waitClosed()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.waitClosed();
  }

  [customRepr](): string {
    const socks = this.sockets.map((s) => s[customRepr]());
    const tuple = socks.length === 1 ? `(${socks[0]},)` : `(${socks.join(", ")})`;
    return `<${className(this)} sockets=${tuple}>`;
  }

  toString(): string {
    return this[customRepr]();
  }
}

const serverStartServing = awaitable(function* startServing(server: Server): Coroutine<void> {
  if (server._listeners === null && !server._serving) {
    // CPython marks a closed server serving, then fails iterating its sockets (None).
    server._serving = true;
    throw new TypeError("'NoneType' object is not iterable");
  }
  server._startServing();
  // Skip one loop iteration, as CPython does.
  yield* sleep(0);
}, "Server.start_serving");

const serverServeForever = awaitable(function* serveForever(server: Server): Coroutine<void> {
  if (server._servingForeverFut !== null) {
    throw new RuntimeError(
      `server ${server[customRepr]()} is already being awaited on serve_forever()`,
    );
  }
  if (server._listeners === null)
    throw new RuntimeError(`server ${server[customRepr]()} is closed`);
  server._startServing();
  const fut = _newFuture<void>(server._loop);
  server._servingForeverFut = fut;
  try {
    yield* fut;
  } catch (e) {
    if (e instanceof CancelledError) {
      // CPython's `finally: raise` re-raises what is propagating: an error of close() or
      // wait_closed() (a second cancel while waiting for the clients) wins over this one.
      server.close();
      yield* _awaitOverride(server.waitClosed());
    }
    throw e;
  } finally {
    server._servingForeverFut = null;
  }
}, "Server.serve_forever");

const serverWaitClosed = awaitable(function* waitClosed(server: Server): Coroutine<void> {
  if (server._waiters === null) return;
  const waiter = _newFuture<void>(server._loop);
  server._waiters.push(waiter);
  yield* waiter;
}, "Server.wait_closed");

// ---------------------------------------------------------------------------------------------
// Connecting
// ---------------------------------------------------------------------------------------------

/** Options of `loop.createConnection` (Python's keyword arguments). */
export interface CreateConnectionOptions {
  /** True (a default client context) or an `SSLContext`: connect with TLS. */
  ssl?: SSLContext | boolean | null;
  family?: number;
  proto?: number;
  flags?: number;
  /** An already connected Node socket to use instead of host/port. */
  sock?: net.Socket | null;
  /** `[host, port]` to bind to before connecting. */
  localAddr?: [string, number] | null;
  /** The name the server's certificate must match (default: `host`); "" skips the check. */
  serverHostname?: string | null;
  sslHandshakeTimeout?: number | null;
  sslShutdownTimeout?: number | null;
  /**
   * Happy eyeballs (RFC 8305): the next address is tried when the attempt before it fails or
   * after this many seconds, whichever comes first; the first to connect wins (the others are
   * cancelled). Null (the default): one after the other.
   */
  happyEyeballsDelay?: number | null;
  interleave?: number | null;
  /** Raise an ExceptionGroup of every attempt's error (3.12). */
  allErrors?: boolean;
}

/** Python's `_ensure_resolved`: numeric hosts need no lookup. */
function* ensureResolved(
  loop: AbstractEventLoop,
  host: string | null | undefined,
  port: number | string | null | undefined,
  family: number,
  flags: number,
  proto = 0,
): Coroutine<AddrInfo[]> {
  checkHostArg(host);
  return yield* getaddrinfoGen(loop, host, ipaddrPort(host, port), {
    family,
    type: SOCK_STREAM,
    proto,
    flags,
  });
}

/** Python's `_interleave_addrinfos`. */
function interleaveAddrinfos(infos: AddrInfo[], firstFamilyCount = 1): AddrInfo[] {
  const byFamily = new Map<number, AddrInfo[]>();
  for (const info of infos) {
    const list = byFamily.get(info[0]);
    if (list === undefined) byFamily.set(info[0], [info]);
    else list.push(info);
  }
  const lists = [...byFamily.values()];
  const out: AddrInfo[] = [];
  if (firstFamilyCount > 1) {
    out.push(...lists[0]!.slice(0, firstFamilyCount - 1));
    lists[0] = lists[0]!.slice(firstFamilyCount - 1);
  }
  const max = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < max; i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/** Python's `_sock_connect_cb`, connected: the future gets the socket. */
const connectDone = pyNamed(
  "BaseSelectorEventLoop._sock_connect_cb",
  (fut: Future<net.Socket>, s: net.Socket): void => {
    if (fut.done()) s.destroy();
    else fut.setResult(s);
  },
);

/** Python's `_sock_connect_cb`, failed. */
const connectFailed = pyNamed(
  "BaseSelectorEventLoop._sock_connect_cb",
  (fut: Future<net.Socket>, exc: unknown): void => {
    if (!fut.done()) fut._setExceptionUnchecked(exc);
  },
);

/** @internal Connects a Node socket; the future gets it once connected. */
function connectSocket(
  loop: AbstractEventLoop,
  options: net.NetConnectOpts,
  onError: (err: unknown) => unknown,
  /** false for a Unix socket, whose connect() CPython sees complete at once (no writer) */
  viaWriter = true,
): Future<net.Socket> {
  const fut = _newFuture<net.Socket>(loop);
  let sock: net.Socket | null = null;
  _outsideTasks(() => {
    const s = net.connect({ ...options, allowHalfOpen: true } as net.NetConnectOpts);
    sock = s;
    s.unref();
    // A connect in progress keeps the process alive (Node's request), whatever unref(): the
    // loop's close() ends it, as it drops unsent bytes (a peer that never answers would hold
    // the process until the kernel gives up).
    const connecting: UnsentHolder = { _dropIfUnsent: () => s.destroy() };
    const pending = unsentOf(loop);
    pending.add(connecting);
    s.once("close", () => pending.delete(connecting));
    // CPython learns the outcome in a writer callback (`_sock_connect_cb`) run by the iteration
    // that sees the socket writable, and the connecting task resumes in the next one: the
    // outcome goes through the loop's queue too, so the task resumes no earlier than there.
    const fail = (err: unknown) => {
      s.destroy();
      if (fut.done() || loop.isClosed()) return;
      if (viaWriter) loop._callSoonWithContext(connectFailed, [fut, onError(err)], copyContext());
      else connectFailed(fut, onError(err));
    };
    s.once("error", fail);
    s.once("connect", () => {
      pending.delete(connecting);
      s.removeListener("error", fail);
      captureEarlyErrors(s);
      if (fut.done() || loop.isClosed()) s.destroy();
      else if (viaWriter) loop._callSoonWithContext(connectDone, [fut, s], copyContext());
      else connectDone(fut, s);
    });
  });
  // Named as the callback CPython's connecting future has (a partial, shown with two "()").
  fut.addDoneCallback(
    pyNamed("BaseSelectorEventLoop._sock_write_done()", (f: Future<net.Socket>) => {
      if (f.cancelled()) sock?.destroy();
    }),
  );
  return fut;
}

/**
 * Awaits a `connectSocket` (or `tlsHandshake`) future. Cancelled once it had connected (the
 * wake-up already queued, as when a happy-eyeballs race is lost in the same iteration), the
 * socket is closed, as CPython's `_connect_sock` and `create_unix_connection` close theirs.
 */
function* connected<S extends net.Socket>(fut: Future<S>): Coroutine<S> {
  try {
    return yield* fut;
  } catch (e) {
    if (fut.done() && !fut.cancelled() && fut._exception === NO_EXC) fut.result().destroy();
    throw e;
  }
}

/** An error of one connection attempt (CPython's `except OSError`; Node's carry a syscall). */
function isAttemptError(e: unknown): boolean {
  return isOSError(e) || (e as { syscall?: string } | null)?.syscall !== undefined;
}

/** Python's `_connect_sock`: one address, bound to each local address in turn if given. */
function* connectSock(
  loop: AbstractEventLoop,
  exceptions: unknown[][],
  addrinfo: AddrInfo,
  laddrInfos: AddrInfo[] | null,
): Coroutine<net.Socket> {
  const myExceptions: unknown[] = [];
  exceptions.push(myExceptions);
  const [family, , , , address] = addrinfo;
  const [host, port] = address as [string, number];
  checkPortRange(port, "connect");
  const base: net.TcpNetConnectOpts = { host, port, family: family === AF_INET6 ? 6 : 4 };
  const attempt = function* (opts: net.TcpNetConnectOpts): Coroutine<net.Socket> {
    return yield* connected(
      connectSocket(loop, opts, (err) => {
        if ((err as { syscall?: string }).syscall === "bind") return err;
        return fromNodeError(err, `Connect call failed ${reprAddr(address)}`) ?? err;
      }),
    );
  };
  try {
    if (laddrInfos === null) return yield* attempt(base);
    let bound = false;
    for (const [lfamily, , , , laddr] of laddrInfos) {
      if (lfamily !== family) continue;
      const [lhost, lport] = laddr as [string, number];
      // socket.bind()'s OverflowError is not an OSError: it ends create_connection at once.
      checkPortRange(lport, "bind");
      try {
        const s = yield* attempt({ ...base, localAddress: lhost, localPort: lport });
        return s;
      } catch (e) {
        if ((e as { syscall?: string }).syscall === "bind") {
          const os = fromNodeError(e) as Error;
          const msg = `error while attempting to bind on address ${reprAddr(laddr)}: ${String(os.message).toLowerCase()}`;
          const code = (e as { code?: string }).code ?? "EINVAL";
          myExceptions.push(fromNodeError(Object.assign(new Error(msg), { code }), msg));
          continue;
        }
        bound = true;
        throw e;
      }
    }
    if (!bound) {
      // CPython raises the last bind error, if any; its message shows `family=` as an enum.
      if (myExceptions.length > 0) throw myExceptions.pop();
      throw new OSError(`no matching local address with family=${addressFamilyRepr(family)} found`);
    }
    throw new OSError("unreachable");
  } catch (e) {
    // Only OSErrors are the attempt's errors (not bind()'s OverflowError, nor a cancellation).
    if (isAttemptError(e)) myExceptions.push(e);
    throw e;
  }
}

/** @internal Python's `_create_connection_transport`. */
function* createConnectionTransport<P extends AnyProtocol>(
  loop: AbstractEventLoop,
  sock: net.Socket,
  family: number,
  protocolFactory: ProtocolFactory<P>,
  ssl: SSLContext | boolean | null | undefined,
  serverHostname: string | null | undefined,
  options: {
    serverSide?: boolean;
    sslHandshakeTimeout?: number | null;
    sslShutdownTimeout?: number | null;
    extra?: Record<string, unknown>;
  },
): Coroutine<[SocketTransport, P]> {
  const protocol = protocolFactory();
  // CPython's _ensure_fd_no_transport: one live transport per socket.
  const owner = socketOwners.get(sock);
  if (owner !== undefined && !owner.isClosing()) {
    throw new RuntimeError(`File descriptor ${pyRepr(sock)} is used by transport ${pyRepr(owner)}`);
  }
  const waiter = _newFuture<unknown>(loop);
  let transport: SocketTransport;
  let raw = sock;
  let ctx: SSLContext | null = null;
  if (ssl !== undefined && ssl !== null && ssl !== false) {
    if (ssl === true && options.serverSide === true) {
      // SSLProtocol's _create_transport_context(server_side=True)
      sock.destroy();
      throw new ValueError("Server side SSL needs a valid SSLContext");
    }
    ctx = ssl === true ? createDefaultContext() : ssl;
    // Both timeouts are checked before the handshake, as SSLProtocol's constructor does; the
    // socket is closed then (CPython drops its last reference to it, which closes it).
    let handshakeTimeout: number;
    try {
      handshakeTimeout = checkTlsTimeouts(options.sslHandshakeTimeout, options.sslShutdownTimeout);
    } catch (e) {
      sock.destroy();
      throw e;
    }
    const hs = tlsHandshake(loop, sock, ctx, {
      serverSide: options.serverSide ?? false,
      serverHostname: serverHostname ?? null,
      handshakeTimeout,
    });
    const tsock = yield* connected(hs);
    handOver(tsock);
    raw = tsock;
  }
  transport = new SocketTransport(loop, raw, protocol as AnyProtocol, {
    family,
    waiter,
    ssl: ctx,
    ...(options.extra !== undefined ? { extra: options.extra } : {}),
  });
  try {
    yield* waiter;
  } catch (e) {
    transport.close();
    throw e;
  }
  return [transport, protocol];
}

/** One host's addresses for `createServer` (Python's `_create_server_getaddrinfo`). */
const createServerGetaddrinfo = awaitable(function* createServerGetaddrinfo(
  loop: AbstractEventLoop,
  host: string | null,
  port: string | number | null | undefined,
  family: number,
  flags: number,
): Coroutine<AddrInfo[]> {
  const infos = yield* ensureResolved(loop, host, port, family, flags);
  // Only a loop subclass's getaddrinfo() can give none (glibc fails instead).
  if (!pyTruthy(infos)) throw new OSError(`getaddrinfo(${pyRepr(host)}) returned empty list`);
  return infos;
}, "BaseEventLoop._create_server_getaddrinfo");

/** SSLProtocol's `add_flowcontrol_defaults(high, low, kb)`: `[high, low]`, `high` defaulting to `dflt`. */
function sslLimits(
  high: number | null | undefined,
  low: number | null | undefined,
  dflt: number,
): [number, number] {
  const none = (v: unknown) => v === undefined || v === null;
  return _writeBufferLimits(none(high) && none(low) ? dflt : high, low);
}

/** Python tests `if ssl:`: a falsy value (0, "", [], False) means no TLS. */
function sslArg<S>(ssl: S): S | null {
  return typeof ssl === "boolean" || pyTruthy(ssl) ? ssl : null;
}

/**
 * The checks of the ssl-related arguments. `withSsl` is whether they count as given: Python's
 * `not ssl` (`ssl` after {@link sslArg}), or for `create_server` its `ssl is None`.
 */
function checkSslArgs(
  ssl: unknown,
  serverHostname: string | null | undefined,
  opts: { sslHandshakeTimeout?: number | null; sslShutdownTimeout?: number | null },
  withSsl: boolean = ssl !== null && ssl !== undefined && ssl !== false,
): void {
  if (serverHostname !== undefined && serverHostname !== null && !withSsl) {
    throw new ValueError("server_hostname is only meaningful with ssl");
  }
  if (opts.sslHandshakeTimeout !== undefined && opts.sslHandshakeTimeout !== null && !withSsl) {
    throw new ValueError("ssl_handshake_timeout is only meaningful with ssl");
  }
  if (opts.sslShutdownTimeout !== undefined && opts.sslShutdownTimeout !== null && !withSsl) {
    throw new ValueError("ssl_shutdown_timeout is only meaningful with ssl");
  }
  if (
    ssl !== undefined &&
    ssl !== null &&
    typeof ssl !== "boolean" &&
    !(ssl instanceof SSLContext)
  ) {
    throw new TypeError(`ssl argument must be an SSLContext or None, got ${pyRepr(ssl)}`);
  }
}

function familyOfSocket(sock: net.Socket): number {
  if (sock.remoteFamily === "IPv6") return AF_INET6;
  if (sock.remoteFamily === "IPv4") return AF_INET;
  return AF_UNIX;
}

/** Python's `loop.create_connection` as a generator; see `EventLoop.createConnection`. */
export function* createConnectionGen<P extends AnyProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<P>,
  host?: string | null,
  port?: number | string | null,
  options: CreateConnectionOptions = {},
): Coroutine<[SocketTransport, P]> {
  const { sslHandshakeTimeout, sslShutdownTimeout } = options;
  const ssl = sslArg(options.ssl);
  let serverHostname = options.serverHostname;
  if (serverHostname !== undefined && serverHostname !== null && !ssl) {
    throw new ValueError("server_hostname is only meaningful with ssl");
  }
  if ((serverHostname === undefined || serverHostname === null) && ssl) {
    if (!host) throw new ValueError("You must set server_hostname when using ssl without a host");
    serverHostname = host;
  }
  checkSslArgs(ssl, serverHostname, { sslHandshakeTimeout, sslShutdownTimeout });
  let sock: net.Socket | null = options.sock ?? null;
  let family = AF_INET;
  if ((host !== undefined && host !== null) || (port !== undefined && port !== null)) {
    if (sock !== null)
      throw new ValueError("host/port and sock can not be specified at the same time");
    const proto = options.proto ?? 0;
    let infos = yield* ensureResolved(
      loop,
      host,
      port,
      options.family ?? AF_UNSPEC,
      options.flags ?? 0,
      proto,
    );
    if (!pyTruthy(infos)) throw new OSError("getaddrinfo() returned empty list");
    let laddrInfos: AddrInfo[] | null = null;
    const localAddr = options.localAddr;
    if (localAddr !== undefined && localAddr !== null) {
      // CPython's `host, port = address[:2]`, then `_ipaddr_info(host, port, family, type,
      // proto, *address[2:])`, which takes a flowinfo and a scope id at most.
      const n = pyLen(localAddr);
      if (n < 2) throw new ValueError(`not enough values to unpack (expected 2, got ${n})`);
      if (n > 4) {
        throw new TypeError(
          `_ipaddr_info() takes from 5 to 7 positional arguments but ${n + 3} were given`,
        );
      }
      laddrInfos = yield* ensureResolved(
        loop,
        localAddr[0],
        localAddr[1],
        options.family ?? AF_UNSPEC,
        options.flags ?? 0,
        proto,
      );
      if (!pyTruthy(laddrInfos)) throw new OSError("getaddrinfo() returned empty list");
    }
    const delay = options.happyEyeballsDelay ?? null;
    let interleave = options.interleave ?? null;
    if (delay !== null && interleave === null) interleave = 1;
    if (interleave) infos = interleaveAddrinfos(infos, interleave);
    const exceptions: unknown[][] = [];
    if (delay === null) {
      for (const info of infos) {
        try {
          sock = yield* connectSock(loop, exceptions, info, laddrInfos);
          family = info[0];
          break;
        } catch (e) {
          if (isAttemptError(e)) continue;
          throw e;
        }
      }
    } else {
      // Happy eyeballs: every error of an attempt (an OSError or not) starts the next one.
      const [winner, index] = yield* staggeredRace(
        infos.map((info) => () => connectSock(loop, exceptions, info, laddrInfos)),
        delay,
        { loop },
      );
      if (winner !== null) {
        sock = winner;
        family = infos[index!]![0];
      }
    }
    if (sock === null) {
      const flat = exceptions.flat();
      if (pyTruthy(options.allErrors)) throw new ExceptionGroup("create_connection failed", flat);
      if (flat.length === 1) throw flat[0];
      // Only attempts that failed otherwise than with an OSError (happy eyeballs): CPython's
      // `str(exceptions[0])` of the empty list.
      if (flat.length === 0) throw new IndexError("list index out of range");
      const model = String((flat[0] as Error).message);
      if (flat.every((e) => String((e as Error).message) === model)) throw flat[0];
      throw new OSError(
        `Multiple exceptions: ${flat.map((e) => String((e as Error).message)).join(", ")}`,
      );
    }
  } else {
    if (sock === null)
      throw new ValueError("host and port was not specified and no sock specified");
    if (!(sock instanceof net.Socket)) {
      throw new ValueError(`A Stream Socket was expected, got ${pyRepr(sock)}`);
    }
    checkGivenSocket(sock);
    family = familyOfSocket(sock);
    captureEarlyErrors(sock);
  }
  const result = yield* createConnectionTransport(
    loop,
    sock,
    family,
    protocolFactory,
    ssl,
    serverHostname,
    {
      sslHandshakeTimeout,
      sslShutdownTimeout,
    },
  );
  if (loop.getDebug()) {
    logger.debug(
      `${pyRepr(result[0].getExtraInfo("socket"))} connected to ${host}:${pyRepr(port)}: (${pyRepr(result[0])}, ${pyRepr(result[1])})`,
    );
  }
  return result;
}

/** Options of `loop.createServer`. */
export interface CreateServerOptions {
  family?: number;
  flags?: number;
  /** A Node `net.Server` to serve on instead of host/port. */
  sock?: net.Server | null;
  backlog?: number;
  ssl?: SSLContext | null;
  /** Node always sets SO_REUSEADDR on listening TCP sockets: `false` is not supported. */
  reuseAddress?: boolean | null;
  /** Not supported by Node 20 (`ValueError`). */
  reusePort?: boolean | null;
  keepAlive?: boolean | null;
  sslHandshakeTimeout?: number | null;
  sslShutdownTimeout?: number | null;
  startServing?: boolean;
}

/** @internal Listens with `node`; the future is done when it listens (or fails to). */
function listenFuture(
  loop: AbstractEventLoop,
  node: net.Server,
  opts: net.ListenOptions,
  onError: (err: unknown) => unknown,
): Future<void> {
  const fut = new Future<void>({ loop });
  _outsideTasks(() => {
    const fail = (err: unknown) => {
      if (fut.done() || loop.isClosed()) return;
      fut._setExceptionUnchecked(onError(err));
    };
    node.once("error", fail);
    node.listen(opts, () => {
      node.removeListener("error", fail);
      node.on("error", () => {});
      if (!fut.done() && !loop.isClosed()) fut.setResult(undefined);
    });
    node.unref();
  });
  return fut;
}

function makeNodeServer(opts: { keepAlive?: boolean | null }): net.Server {
  return _outsideTasks(() =>
    net.createServer({
      allowHalfOpen: true,
      pauseOnConnect: false,
      ...(opts.keepAlive ? { keepAlive: true } : {}),
    }),
  );
}

/** Python's `loop.create_server` as a generator; see `EventLoop.createServer`. */
export function* createServerGen(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<AnyProtocol>,
  host?: string | readonly string[] | null,
  port?: number | string | null,
  options: CreateServerOptions = {},
): Coroutine<Server> {
  const { sslHandshakeTimeout, sslShutdownTimeout } = options;
  const ssl = sslArg(options.ssl);
  if (typeof ssl === "boolean") throw new TypeError("ssl argument must be an SSLContext or None");
  // create_server tests `ssl is None` (ssl=0 with a handshake timeout passes, and means no TLS).
  const given = options.ssl !== null && options.ssl !== undefined;
  checkSslArgs(ssl, null, { sslHandshakeTimeout, sslShutdownTimeout }, given);
  if (pyTruthy(options.reusePort)) {
    throw new ValueError("reuse_port not supported by socket module");
  }
  const backlog = backlogArg(options.backlog);
  const listeners: Listener[] = [];
  if ((host !== undefined && host !== null) || (port !== undefined && port !== null)) {
    if (options.sock !== undefined && options.sock !== null) {
      throw new ValueError("host/port and sock can not be specified at the same time");
    }
    const hosts: (string | null)[] =
      host === ""
        ? [null]
        : typeof host === "string" || host === null || host === undefined
          ? [host ?? null]
          : typeof (host as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
            ? [...host]
            : [host as unknown as string];
    const seen = new Set<string>();
    const infos: AddrInfo[] = [];
    // As CPython: one task per host, gathered.
    const resolved = yield* gather(
      hosts.map((h) =>
        createServerGetaddrinfo(
          loop,
          h,
          port,
          options.family ?? AF_UNSPEC,
          options.flags ?? AI_PASSIVE,
        ),
      ),
    );
    for (const res of resolved) {
      for (const info of res) {
        const key = `${info[0]}|${(info[4] as [string, number])[0]}|${(info[4] as [string, number])[1]}`;
        if (!seen.has(key)) {
          seen.add(key);
          infos.push(info);
        }
      }
    }
    let completed = false;
    try {
      for (const [af, , , , sa] of infos) {
        const [addr, p] = sa as [string, number];
        checkPortRange(p, "bind");
        const node = makeNodeServer(options);
        try {
          yield* listenFuture(
            loop,
            node,
            { host: addr, port: p, backlog, ...(af === AF_INET6 ? { ipv6Only: true } : {}) },
            (err) => {
              const code = (err as { code?: string }).code ?? "EINVAL";
              const os = fromNodeError(err) as Error;
              const msg = `error while attempting to bind on address ${reprAddr(sa)}: ${String(os.message).toLowerCase()}`;
              return Object.assign(
                fromNodeError(Object.assign(new Error(msg), { code }), msg) as Error,
                {
                  _code: code,
                  _msg: msg,
                },
              );
            },
          );
        } catch (e) {
          node.close();
          if ((e as { _code?: string })._code === "EADDRNOTAVAIL") {
            if (loop.getDebug()) logger.warning((e as { _msg: string })._msg);
            continue;
          }
          throw e;
        }
        listeners.push({
          node,
          family: af,
          tsock: new TransportSocket(node, af, SOCK_STREAM, nodeSockname(node), null),
        });
      }
      if (listeners.length === 0) {
        throw new OSError(
          `could not bind on any address out of [${infos.map((i) => reprAddr(i[4])).join(", ")}]`,
        );
      }
      completed = true;
    } finally {
      if (!completed) for (const l of listeners) l.node.close();
    }
  } else {
    const node = options.sock ?? null;
    if (node === null) throw new ValueError("Neither host/port nor sock were specified");
    if (!node.listening)
      throw new ValueError(`A listening net.Server was expected, got ${pyRepr(node)}`);
    const name = nodeSockname(node);
    const fam =
      typeof name === "string" ? AF_UNIX : name !== null && name.length === 4 ? AF_INET6 : AF_INET;
    node.unref();
    const listener: Listener = {
      node,
      family: fam,
      tsock: new TransportSocket(node, fam, SOCK_STREAM, name, null),
    };
    // create_server never removes a Unix socket's file (libuv would: see closeListener).
    if (typeof name === "string") listener.unix = unixCleanup(name, false);
    listeners.push(listener);
  }
  const server = new Server(
    loop,
    listeners,
    protocolFactory,
    ssl ?? null,
    backlog,
    sslHandshakeTimeout ?? null,
    sslShutdownTimeout ?? null,
  );
  if (options.startServing === undefined || pyTruthy(options.startServing)) {
    server._startServing();
    // Skip one loop iteration, as CPython does.
    yield* sleep(0);
  }
  if (loop.getDebug()) logger.info(`${server[customRepr]()} is serving`);
  return server;
}

/** Options of `loop.connectAcceptedSocket`. */
export interface ConnectAcceptedSocketOptions {
  ssl?: SSLContext | boolean | null;
  sslHandshakeTimeout?: number | null;
  sslShutdownTimeout?: number | null;
}

/** `listen(backlog)`'s argument: an int (or bool); None or a float is socket's TypeError. */
function backlogArg(backlog: unknown): number {
  if (backlog === undefined) return 100;
  if (typeof backlog === "boolean" || typeof backlog === "bigint") return Number(backlog);
  if (typeof backlog !== "number" || !Number.isInteger(backlog)) {
    throw new TypeError(`'${pyTypeName(backlog)}' object cannot be interpreted as an integer`);
  }
  return backlog;
}

/**
 * Python's `loop.connect_accepted_socket` as a generator: wraps a connection accepted outside
 * asyncio (a connected `net.Socket`) in a transport, the server side of a TLS handshake first if
 * `ssl` is given.
 */
export function* connectAcceptedSocketGen<P extends AnyProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<P>,
  sock: net.Socket,
  options: ConnectAcceptedSocketOptions = {},
): Coroutine<[SocketTransport, P]> {
  if (!(sock instanceof net.Socket)) {
    throw new ValueError(`A Stream Socket was expected, got ${pyRepr(sock)}`);
  }
  const { sslHandshakeTimeout, sslShutdownTimeout } = options;
  const ssl = sslArg(options.ssl);
  checkSslArgs(ssl, null, { sslHandshakeTimeout, sslShutdownTimeout });
  checkGivenSocket(sock);
  captureEarlyErrors(sock);
  return yield* createConnectionTransport(
    loop,
    sock,
    familyOfSocket(sock),
    protocolFactory,
    ssl,
    "",
    {
      serverSide: true,
      sslHandshakeTimeout,
      sslShutdownTimeout,
    },
  );
}

/** Options of `loop.createUnixConnection`. */
export interface CreateUnixConnectionOptions {
  ssl?: SSLContext | boolean | null;
  sock?: net.Socket | null;
  serverHostname?: string | null;
  sslHandshakeTimeout?: number | null;
  sslShutdownTimeout?: number | null;
}

/** Python's `loop.create_unix_connection` as a generator. */
export function* createUnixConnectionGen<P extends AnyProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<P>,
  path?: StrOrBytes | null,
  options: CreateUnixConnectionOptions = {},
): Coroutine<[SocketTransport, P]> {
  const { serverHostname, sslHandshakeTimeout, sslShutdownTimeout } = options;
  const ssl = sslArg(options.ssl);
  if (ssl) {
    if (serverHostname === undefined || serverHostname === null) {
      throw new ValueError("you have to pass server_hostname when using ssl");
    }
  }
  checkSslArgs(ssl, serverHostname, { sslHandshakeTimeout, sslShutdownTimeout });
  let sock: net.Socket | null = options.sock ?? null;
  if (path !== undefined && path !== null) {
    if (sock !== null) throw new ValueError("path and sock can not be specified at the same time");
    path = unixPathArg(path);
    // connect() to an empty address (Node would report ECONNREFUSED)
    if (path === "") throw makeOSError("EINVAL");
    sock = yield* connected(connectSocket(loop, { path }, (err) => fromNodeError(err), false));
  } else if (sock === null) {
    throw new ValueError("no path and sock were specified");
  } else {
    if (familyOfSocket(sock) !== AF_UNIX) {
      throw new ValueError(`A UNIX Domain Stream Socket was expected, got ${pyRepr(sock)}`);
    }
    checkGivenSocket(sock);
    captureEarlyErrors(sock);
  }
  return yield* createConnectionTransport(
    loop,
    sock,
    AF_UNIX,
    protocolFactory,
    ssl,
    serverHostname,
    {
      sslHandshakeTimeout,
      sslShutdownTimeout,
      extra: { sockname: "", peername: unixAddress(path ?? "") },
    },
  );
}

/** Options of `loop.createUnixServer`. */
export interface CreateUnixServerOptions {
  sock?: net.Server | null;
  backlog?: number;
  ssl?: SSLContext | null;
  sslHandshakeTimeout?: number | null;
  sslShutdownTimeout?: number | null;
  startServing?: boolean;
  /** Remove the socket file when the server closes (3.13; Node always does). */
  cleanupSocket?: boolean;
}

/** Python's `loop.create_unix_server` as a generator. */
export function* createUnixServerGen(
  loop: AbstractEventLoop,
  protocolFactory: ProtocolFactory<AnyProtocol>,
  path?: StrOrBytes | null,
  options: CreateUnixServerOptions = {},
): Coroutine<Server> {
  const { sslHandshakeTimeout, sslShutdownTimeout } = options;
  const ssl = sslArg(options.ssl);
  if (typeof ssl === "boolean") throw new TypeError("ssl argument must be an SSLContext or None");
  checkSslArgs(ssl, null, { sslHandshakeTimeout, sslShutdownTimeout });
  const backlog = backlogArg(options.backlog);
  let node: net.Server;
  if (path !== undefined && path !== null) {
    if (options.sock !== undefined && options.sock !== null) {
      throw new ValueError("path and sock can not be specified at the same time");
    }
    const sockPath = unixPathArg(path);
    path = sockPath;
    // CPython reads path[0] first, then os.stat() refuses a NUL inside a file path.
    if (path === "") throw new IndexError("string index out of range");
    if (path[0] !== "\0" && path.includes("\0")) {
      throw new ValueError("stat: embedded null character in path");
    }
    if (path[0] !== "\0") {
      try {
        if (statSync(path).isSocket()) unlinkSync(path);
      } catch (err) {
        if ((err as { code?: string }).code !== "ENOENT") {
          logger.error(
            `Unable to check or remove stale UNIX socket ${pyRepr(path)}: ${pyRepr(fromNodeError(err))}`,
          );
        }
      }
    }
    node = makeNodeServer({});
    try {
      yield* listenFuture(loop, node, { path, backlog }, (err) => {
        const code = (err as { code?: string }).code;
        if (code === "EADDRINUSE") {
          return fromNodeError(err, `Address ${pyRepr(path)} is already in use`);
        }
        // libuv turns bind()'s ENOENT (a directory of the path is missing, or the path ends
        // in a slash) into EACCES.
        if (code === "EACCES" && sockPath[0] !== "\0" && bindWasEnoent(sockPath)) {
          return makeOSError("ENOENT");
        }
        return fromNodeError(err);
      });
    } catch (e) {
      node.close();
      throw e;
    }
  } else {
    const given = options.sock ?? null;
    if (given === null) throw new ValueError("path was not specified, and no sock specified");
    const address = given.address();
    if (address !== null && typeof address !== "string") {
      throw new ValueError(`A UNIX Domain Stream Socket was expected, got ${pyRepr(given)}`);
    }
    node = given;
    node.unref();
  }
  const found = nodeSockname(node) ?? path ?? "";
  const name = typeof found === "string" ? unixAddress(found) : found;
  const listener: Listener = {
    node,
    family: AF_UNIX,
    tsock: new TransportSocket(node, AF_UNIX, SOCK_STREAM, name, null),
  };
  if (typeof found === "string") {
    const cleanup = options.cleanupSocket === undefined || pyTruthy(options.cleanupSocket);
    listener.unix = unixCleanup(found, cleanup);
  }
  const server = new Server(
    loop,
    [listener],
    protocolFactory,
    ssl ?? null,
    backlog,
    sslHandshakeTimeout ?? null,
    sslShutdownTimeout ?? null,
  );
  if (options.startServing === undefined || pyTruthy(options.startServing)) {
    server._startServing();
    yield* sleep(0);
  }
  return server;
}

/** Options of `loop.startTls`. */
export interface StartTlsOptions {
  serverSide?: boolean;
  serverHostname?: string | null;
  sslHandshakeTimeout?: number | null;
  sslShutdownTimeout?: number | null;
}

/**
 * Python's `loop.start_tls` as a generator: upgrades `transport` to TLS in place and returns
 * the new transport, which `protocol` must use from now on (its `connectionMade` is not called
 * again). On failure the connection is closed and the error raised.
 */
export function* startTlsGen(
  loop: AbstractEventLoop,
  transport: unknown,
  protocol: AnyProtocol,
  sslcontext: unknown,
  options: StartTlsOptions = {},
): Coroutine<SocketTransport> {
  if (!(sslcontext instanceof SSLContext)) {
    throw new TypeError(
      `sslcontext is expected to be an instance of ssl.SSLContext, got ${pyRepr(sslcontext)}`,
    );
  }
  // A TLS transport may be upgraded again (TLS inside TLS, as through an HTTPS proxy).
  if (!(transport instanceof SocketTransport) || transport._sock === null) {
    throw new TypeError(`transport ${pyRepr(transport)} is not supported by start_tls()`);
  }
  const handshakeTimeout = checkTlsTimeouts(
    options.sslHandshakeTimeout,
    options.sslShutdownTimeout,
  );
  // SSLProtocol's constructor (wrap_bio) refuses a context for the other side before the
  // transport is touched: it stays open and usable.
  checkContextSide(sslcontext, options.serverSide ?? false);
  if (transport._eof && !(options.serverSide ?? false)) {
    // CPython's SSLProtocol.connection_made() writes the ClientHello through a transport whose
    // write side is shut: the callback fails (then the handshake waits for the peer to close).
    loop.callSoon(
      pyNamed("SSLProtocol.connection_made", (): void => {
        throw new RuntimeError("Cannot call write() after write_eof()");
      }),
    );
  }
  transport.pauseReading();
  const family = transport._family;
  const server = transport._server;
  const extra = { sockname: transport._extra.sockname, peername: transport._extra.peername };
  const raw = transport._detachSocket();
  let tsock: tls.TLSSocket;
  try {
    tsock = yield* tlsHandshake(loop, raw, sslcontext, {
      serverSide: options.serverSide ?? false,
      serverHostname: options.serverHostname ?? null,
      handshakeTimeout,
    });
  } catch (e) {
    raw.destroy();
    transport._sock = null;
    if (server !== null) {
      transport._server = null;
      server._detach(transport);
    }
    // As CPython's SSLProtocol: a failed handshake is the protocol's connection_lost(exc); a
    // handshake timeout, or start_tls cancelled (its transport.close() during the handshake),
    // closes the connection without telling the protocol (a stream's reader gets no EOF).
    const silent = e instanceof ConnectionAbortedError || e instanceof CancelledError;
    if (!loop.isClosed() && !silent) {
      loop._callSoonWithContext(
        (p: AnyProtocol, exc: unknown) => p.connectionLost?.(exc as Error | null),
        [protocol, e],
        // From the socket reader start_tls added again in a copy of its caller's context (over
        // TLS, the outer connection's reader goes on in its own).
        transport._ssl !== null ? transport._context : copyContext(),
      );
    }
    throw e;
  }
  handOver(tsock);
  const upgraded = new SocketTransport(loop, tsock, protocol, {
    family,
    extra,
    ssl: sslcontext,
    callConnectionMade: false,
  });
  // TLS inside TLS: CPython's inner SSLProtocol is fed by the outer one's reads, in the outer
  // connection's reader context.
  if (transport._ssl !== null && transport._readerContext !== null) {
    upgraded._readerContext = transport._readerContext;
  }
  transport._upgradedTo = upgraded;
  transport._sock = null;
  if (server !== null) {
    upgraded._server = server;
    server._attach(upgraded);
    transport._server = null;
    server._detach(transport);
  }
  return upgraded;
}

/** `loop.createConnection` for any loop (the EventLoop method calls this). */
export const createConnection = awaitable(createConnectionGen, "BaseEventLoop.create_connection");
/** `loop.createServer` for any loop. */
export const createServer = awaitable(createServerGen, "BaseEventLoop.create_server");
/** `loop.createUnixConnection` for any loop. */
export const createUnixConnection = awaitable(
  createUnixConnectionGen,
  "_UnixSelectorEventLoop.create_unix_connection",
);

/** `loop.connectAcceptedSocket` for any loop. */
export const connectAcceptedSocket = awaitable(
  connectAcceptedSocketGen,
  "BaseEventLoop.connect_accepted_socket",
);
/** `loop.createUnixServer` for any loop. */
export const createUnixServer = awaitable(
  createUnixServerGen,
  "_UnixSelectorEventLoop.create_unix_server",
);
/** `loop.startTls` for any loop. */
export const startTls = awaitable(startTlsGen, "BaseEventLoop.start_tls");

// `async def` methods in CPython.
_markCoroutineMethods(Server, ["waitClosed", "serveForever", "startServing"]);

libraryClasses(Server, SocketTransport);
