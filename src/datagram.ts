/**
 * UDP endpoints on Node's `dgram` (Python's `_SelectorDatagramTransport` and
 * `loop.create_datagram_endpoint`). Internal module: see `loop.createDatagramEndpoint`.
 *
 * Each received datagram is one `datagramReceived(data, addr)` call; as in CPython, one datagram
 * is handed over per loop iteration. Errors of sends and receives (ICMP port unreachable, …)
 * go to `errorReceived(exc)` and leave the endpoint open.
 */
import * as dgram from "node:dgram";
import { isIP } from "node:net";
import { type Context, copyContext } from "./contextvars.ts";
import { awaitable, type Coroutine } from "./coroutines.ts";
import { type AbstractEventLoop, BOUND_SELF } from "./events.ts";
import { NotImplementedError, OverflowError, ValueError } from "./exceptions.ts";
import { customRepr, libraryClasses, pyClassName, pyRepr, pyTruthy, pyTypeName } from "./format.ts";
import { _newFuture, Future, setResultUnlessCancelled } from "./futures.ts";
import { logger } from "./log.ts";
import { isOSError } from "./net_transports.ts";
import { fromNodeError, gaierror, OSError } from "./os_errors.ts";
import { type Address, type AnyProtocol, callConnectionMade } from "./protocols.ts";
import {
  type AddrInfo,
  AF_INET,
  AF_INET6,
  AF_UNIX,
  checkHostArg,
  checkPortRange,
  getaddrinfoGen,
  ipaddrPort,
  nodeSockname,
  reprAddr,
  SOCK_DGRAM,
  type SocketAddress,
  sockaddr,
  TransportSocket,
} from "./socket.ts";
import { _outsideTasks } from "./tasks.ts";
import {
  _alsoInstanceOf,
  _limitArgs,
  _maybePauseProtocol,
  _maybeResumeProtocol,
  _writeBufferLimits,
  type BufferLimit,
  DatagramTransport,
  type FlowControlled,
  Transport,
  WriteTransport,
} from "./transports.ts";

const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;
/** Python's `_SelectorDatagramTransport._header_size`: counted per buffered datagram. */
const HEADER_SIZE = 8;

function closeQuietly(sock: dgram.Socket): void {
  try {
    sock.close();
  } catch {
    // already closed
  }
}

/** Named as the reader callback CPython's exception handler messages show (a bound method). */
const readReady = Object.assign(
  {
    "_SelectorDatagramTransport._read_ready"(t: DatagramSocketTransport): void {
      t._readReady();
    },
  }["_SelectorDatagramTransport._read_ready"],
  { [BOUND_SELF]: true },
);
function addReader(t: DatagramSocketTransport): void {
  t._readerAdded = true;
  t._readerContext = copyContext();
  t._scheduleRead();
}
/** Named as CPython's bound method (inherited from `_SelectorTransport`) in reports. */
const callConnectionLost = Object.assign(
  (t: DatagramSocketTransport, exc: Error | null): void => t._callConnectionLost(exc),
  { [customRepr]: () => "_SelectorTransport._call_connection_lost", [BOUND_SELF]: true },
);
/**
 * An error of the socket for `errorReceived`, named as the selector callback that delivers it in
 * CPython (what "Exception in callback ..." shows when the protocol's method raises).
 */
const errorReceived = Object.assign(
  {
    "_SelectorDatagramTransport._read_ready"(t: DatagramSocketTransport, exc: Error): void {
      if (t._connLost !== 0 && t._protocol === null) return;
      t._protocol?.errorReceived?.(exc);
    },
  }["_SelectorDatagramTransport._read_ready"],
  // CPython's selector callback takes no arguments: the error is caught inside it.
  { [BOUND_SELF]: 2 },
);
const sendErrorReceived = Object.assign(
  {
    "_SelectorDatagramTransport._sendto_ready"(t: DatagramSocketTransport, exc: Error): void {
      errorReceived(t, exc);
    },
  }["_SelectorDatagramTransport._sendto_ready"],
  { [BOUND_SELF]: 2 },
);

/** The largest UDP payload: 65535 less the IPv4 (20) or IPv6 (no header counted: 0) and UDP headers. */
const MAX_PAYLOAD_V4 = 65507;
const MAX_PAYLOAD_V6 = 65527;

/**
 * Python's socket module reads the host `'<broadcast>'` as INADDR_BROADCAST (AF_INET only; for
 * another family it raises `OSError('address family mismatched')`).
 */
function sendtoHost(host: string, family: number): string {
  if (host !== "<broadcast>") return host;
  if (family === AF_INET6) throw new OSError("address family mismatched");
  return "255.255.255.255";
}

/** The kernel's EMSGSIZE, raised at once as CPython's sendto() does (Node reports it later). */
function checkPayload(data: Uint8Array, family: number): void {
  if (data.length > (family === AF_INET6 ? MAX_PAYLOAD_V6 : MAX_PAYLOAD_V4)) {
    throw new OSError(90, "Message too long");
  }
}
function writeReady(t: DatagramSocketTransport): void {
  t._writeReady();
}

/** Python's tuple equality: `('::1', 80)` is not `('::1', 80, 0, 0)`. */
function sameAddr(a: Address, b: Address): boolean {
  if (typeof a === "string" || typeof b === "string") return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Python's `socket.sendto()` checks of an address tuple: a TypeError or OverflowError (fatal for
 * the transport), or the OSError a bad port or family gives (for `errorReceived`); null if fine.
 */
function sendtoAddressError(addr: unknown[], family: number): Error | null {
  if (family === AF_INET6 ? addr.length < 2 || addr.length > 4 : addr.length !== 2) {
    return new TypeError(
      family === AF_INET6
        ? "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])"
        : "AF_INET address must be a pair (host, port)",
    );
  }
  const [host, port] = addr;
  // The host is converted first (idna_converter): a str or bytes, nothing else (not None).
  if (typeof host !== "string" && !(host instanceof Uint8Array)) {
    return new TypeError(`str, bytes or bytearray expected, not ${pyTypeName(host)}`);
  }
  if (typeof port !== "number" || !Number.isInteger(port)) {
    return new TypeError(`'${pyTypeName(port)}' object cannot be interpreted as an integer`);
  }
  if (port < 0 || port > 65535) return new OverflowError("sendto(): port must be 0-65535.");
  if (
    typeof host === "string" &&
    isIP(host) !== 0 &&
    (isIP(host) === 6) !== (family === AF_INET6)
  ) {
    return new gaierror(-9, "Address family for hostname not supported");
  }
  if (port === 0) return new OSError(22, "Invalid argument");
  return null;
}

/** Linux's default `SO_RCVBUF`, if the socket cannot tell its own. */
const DEFAULT_RCVBUF = 212_992;

/** The transport of a UDP endpoint (Python's `_SelectorDatagramTransport`). */
export class DatagramSocketTransport extends DatagramTransport implements FlowControlled {
  /** @internal */ _loop: AbstractEventLoop | null;
  /** @internal */ _sock: dgram.Socket | null;
  /** @internal */ _protocol: AnyProtocol | null = null;
  /** @internal */ _address: Address | null;
  /** @internal */ _connected: boolean;
  /** @internal */ _connLost = 0;
  /** @internal */ _closing = false;
  /** @internal */ _protocolPaused = false;
  /** @internal pauseReading(): datagrams wait in `_rq` (the kernel's buffer in CPython) */
  _readingPaused = false;
  /** @internal */ _highWater = 64 * 1024;
  /** @internal */ _lowWater = 16 * 1024;
  /** @internal */ _family: number;
  /** @internal the socket's fd when the transport was made (kept for the repr, as CPython) */
  _fd: number;
  /** @internal a copy taken at construction, standing in until reading starts */
  readonly _context: Context;
  /** @internal the reader's context (a copy taken when reading starts, as CPython's Handle) */
  _readerContext: Context | null = null;
  /** @internal the context close() was called in (see _onSent) */
  _closeContext: Context | null = null;
  /** @internal */ _rq: [Buffer, Address][] = [];
  /** @internal the bytes in `_rq` */ _rqBytes = 0;
  /** @internal the most `_rq` holds (the socket's receive buffer size), read when first needed */
  _rqLimit = 0;
  /** @internal */ _readerAdded = false;
  /** @internal */ _readScheduled = false;
  /** @internal */ _writeScheduled = false;
  /** @internal sends Node has not called back for */ _outstanding = 0;
  /** @internal closed (aborted) with sends outstanding: closed once Node has sent them */
  _sockToClose: dgram.Socket | null = null;

  private readonly _onMessage = (msg: Buffer, rinfo: dgram.RemoteInfo): void => {
    if (this._connLost !== 0) return;
    // Node reads every datagram that arrives, where CPython reads one per iteration (none while
    // paused) and the kernel drops what its receive buffer cannot hold: so does this queue.
    if (this._rqLimit === 0) {
      try {
        this._rqLimit = this._sock?.getRecvBufferSize() ?? DEFAULT_RCVBUF;
      } catch {
        this._rqLimit = DEFAULT_RCVBUF;
      }
    }
    if (this._rq.length > 0 && this._rqBytes + msg.length > this._rqLimit) return;
    this._rq.push([msg, sockaddr(rinfo.address, rinfo.port, rinfo.family)]);
    this._rqBytes += msg.length;
    this._scheduleRead();
  };

  private readonly _onError = (err: unknown): void => {
    const loop = this._loop;
    if (this._connLost !== 0 || loop === null || loop.isClosed()) return;
    loop._callSoonWithContext(
      errorReceived,
      [this, fromNodeError(err)],
      this._readerContext ?? this._context,
    );
  };

  private readonly _onSent = (err: Error | null): void => {
    this._outstanding--;
    const closing = this._sockToClose;
    if (closing !== null && this._outstanding === 0) {
      this._sockToClose = null;
      closeQuietly(closing);
    }
    const loop = this._loop;
    if (loop === null || loop.isClosed()) return;
    if (err !== null && err !== undefined && this._connLost === 0) {
      loop._callSoonWithContext(
        sendErrorReceived,
        [this, fromNodeError(err)],
        this._readerContext ?? this._context,
      );
    }
    if (
      !this._writeScheduled &&
      (this._protocolPaused || (this._closing && this._outstanding === 0))
    ) {
      this._writeScheduled = true;
      loop._callSoonWithContext(writeReady, [this], this._closeContext ?? this._context);
    }
  };

  /** @internal Created by `loop.createDatagramEndpoint`. */
  constructor(
    loop: AbstractEventLoop,
    sock: dgram.Socket,
    protocol: AnyProtocol,
    family: number,
    address: Address | null,
    connected: boolean,
    waiter: Future<unknown> | null,
  ) {
    super(null);
    this._loop = loop;
    loop._madeIO = true;
    this._sock = sock;
    this._family = family;
    this._address = address;
    this._connected = connected;
    this._context = copyContext();
    const sockname = nodeSockname(sock);
    let peername: Address | null = null;
    if (connected) {
      try {
        const r = sock.remoteAddress();
        peername = sockaddr(r.address, r.port, r.family);
      } catch {
        peername = null;
      }
    }
    const tsock = new TransportSocket(sock, family, SOCK_DGRAM, sockname, peername);
    this._extra.socket = tsock;
    this._fd = tsock.fileno();
    this._extra.sockname = sockname;
    this._extra.peername = peername;
    this._protocol = protocol;
    sock.removeAllListeners("error");
    sock.on("message", this._onMessage);
    sock.on("error", this._onError);
    sock.unref();
    // Each callSoon runs its callback in a copy of the current context, as in CPython.
    loop.callSoon(callConnectionMade, this);
    loop.callSoon(addReader, this);
    if (waiter !== null) loop.callSoon(setResultUnlessCancelled, waiter, null);
  }

  /** @internal */
  _scheduleRead(): void {
    if (
      this._readScheduled ||
      !this._readerAdded ||
      this._readingPaused ||
      this._closing ||
      this._rq.length === 0
    ) {
      return;
    }
    const loop = this._loop;
    if (loop === null || loop.isClosed()) return;
    this._readScheduled = true;
    loop._callSoonWithContext(readReady, [this], this._readerContext ?? this._context);
  }

  /** @internal One datagram per iteration, as a selector loop's `recvfrom` gives. */
  _readReady(): void {
    this._readScheduled = false;
    if (this._connLost !== 0 || this._closing || this._readingPaused) return;
    const item = this._rq.shift();
    if (item === undefined) return;
    this._rqBytes -= item[0].length;
    // The next datagram is read whatever this one's callback does: as in CPython, an exception
    // from datagramReceived goes to the exception handler and the endpoint stays open.
    this._scheduleRead();
    this._protocol!.datagramReceived?.(item[0], item[1]);
  }

  override getWriteBufferSize(): number {
    const sock = this._sock;
    if (sock === null) return 0;
    try {
      return sock.getSendQueueSize() + sock.getSendQueueCount() * HEADER_SIZE;
    } catch {
      return 0;
    }
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

  /**
   * Sends `data` as one datagram to `addr`, or to the remote address the endpoint was made for
   * (`ValueError` if `addr` differs from it).
   */
  override sendto(data: Uint8Array, addr: Address | null = null): void {
    if (!(data instanceof Uint8Array)) {
      if (ArrayBuffer.isView(data)) {
        const v = data as ArrayBufferView;
        data = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      } else {
        throw new TypeError(
          `data argument must be a bytes-like object, not ${pyRepr(pyTypeName(data))}`,
        );
      }
    }
    if (this._address !== null) {
      if (addr !== null && addr !== undefined && !sameAddr(addr, this._address)) {
        throw new ValueError(`Invalid address: must be None or ${reprAddr(this._address)}`);
      }
      addr = this._address;
    }
    const sock = this._sock;
    if (this._connLost !== 0 || sock === null) {
      if (this._connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        logger.warning("socket.send() raised exception.");
      }
      this._connLost++;
      return;
    }
    try {
      this._outstanding++;
      if (this._connected) {
        checkPayload(data, this._family);
        sock.send(data, this._onSent);
      } else if (addr === null || addr === undefined || typeof addr === "string") {
        // CPython: socket.sendto(data, None) fails with a TypeError, a fatal write error
        const fam = this._family === AF_INET6 ? "AF_INET6" : "AF_INET";
        throw new TypeError(`sendto(): ${fam} address must be tuple, not ${pyTypeName(addr)}`);
      } else {
        const bad = sendtoAddressError(addr, this._family);
        if (bad !== null) throw bad;
        checkPayload(data, this._family);
        sock.send(data, addr[1], sendtoHost(addr[0], this._family), this._onSent);
      }
    } catch (exc) {
      this._outstanding--;
      const e = fromNodeError(exc);
      if (isOSError(e)) {
        this._protocol?.errorReceived?.(e as Error);
        return;
      }
      this._fatalError(e, "Fatal write error on datagram transport");
      return;
    }
    _maybePauseProtocol(this, this);
  }

  /** @internal */
  _writeReady(): void {
    this._writeScheduled = false;
    if (this._connLost !== 0) return;
    _maybeResumeProtocol(this, this);
    if (this._closing && this._outstanding === 0) {
      this._connLost++;
      this._callConnectionLost(null);
    }
  }

  override isClosing(): boolean {
    return this._closing;
  }

  /** True unless closing or paused (`_SelectorTransport.is_reading`). */
  isReading(): boolean {
    return !this._closing && !this._readingPaused;
  }

  /** Stops delivering datagrams until `resumeReading()`; they wait, in order. */
  pauseReading(): void {
    if (!this.isReading()) return;
    this._readingPaused = true;
    if (this._loop?.getDebug()) logger.debug(`${this[customRepr]()} pauses reading`);
  }

  resumeReading(): void {
    if (this._closing || !this._readingPaused) return;
    this._readingPaused = false;
    // CPython adds the reader again: reads run in a copy of the resumer's context.
    if (this._readerContext !== null) this._readerContext = copyContext();
    this._scheduleRead();
    if (this._loop?.getDebug()) logger.debug(`${this[customRepr]()} resumes reading`);
  }

  /** A datagram transport is a Transport without a stream to write: Python's NotImplementedError. */
  write(_data: Uint8Array): void {
    throw new NotImplementedError();
  }
  writelines(_listOfData: Iterable<Uint8Array>): void {
    throw new NotImplementedError();
  }
  writeEof(): void {
    throw new NotImplementedError();
  }
  canWriteEof(): boolean {
    throw new NotImplementedError();
  }

  override close(): void {
    if (this._closing) return;
    this._closing = true;
    // CPython's sends are done when sendto() returns: connectionLost comes in the closer's
    // context even when Node still has sends to finish.
    this._closeContext = copyContext();
    if (this._outstanding === 0) {
      this._connLost++;
      this._loop!.callSoon(callConnectionLost, this, null);
    }
  }

  override abort(): void {
    // After a close() that waits for Node's sends, CPython's connection_lost was scheduled by
    // that close() already: in the closer's context.
    this._forceClose(null, this._closeContext ?? copyContext());
  }

  /** @internal */
  _fatalError(exc: unknown, message = "Fatal error on transport"): void {
    const loop = this._loop;
    if (loop === null) return;
    if (isOSError(exc)) {
      if (loop.getDebug()) logger.debug(`${this[customRepr]()}: ${message}`, exc);
    } else {
      loop.callExceptionHandler({
        message,
        exception: exc,
        transport: this,
        protocol: this._protocol,
      });
    }
    // From sendto(): connectionLost in a copy of the sender's context, as CPython's call_soon.
    this._forceClose(exc as Error, copyContext());
  }

  /** @internal */
  _forceClose(exc: Error | null, context: Context = this._context): void {
    if (this._connLost !== 0) return;
    this._closing = true;
    this._connLost++;
    const loop = this._loop!;
    if (!loop.isClosed()) loop._callSoonWithContext(callConnectionLost, [this, exc], context);
    else this._closeSocket();
  }

  private _closeSocket(): void {
    const sock = this._sock;
    if (sock === null) return;
    // A send to an address waits a tick in Node; CPython's sendto() has sent it already.
    if (this._outstanding > 0) this._sockToClose = sock;
    else closeQuietly(sock);
  }

  /** @internal */
  _callConnectionLost(exc: Error | null): void {
    try {
      this._protocol?.connectionLost?.(exc);
    } finally {
      this._closeSocket();
      this._sock = null;
      this._protocol = null;
      this._loop = null;
    }
  }

  override setProtocol(protocol: AnyProtocol): void {
    this._protocol = protocol;
  }

  override getProtocol(): AnyProtocol {
    return this._protocol!;
  }

  [customRepr](): string {
    const info = [pyClassName(this, DatagramSocketTransport, "_SelectorDatagramTransport")];
    if (this._sock === null) info.push("closed");
    else if (this._closing) info.push("closing");
    info.push(`fd=${this._fd}`);
    const loop = this._loop;
    if (loop !== null && !loop.isClosed() && this._sock !== null) {
      info.push(`read=${this._readerAdded && this.isReading() ? "polling" : "idle"}`);
      const bufsize = this.getWriteBufferSize();
      info.push(`write=<${bufsize > 0 ? "polling" : "idle"}, bufsize=${bufsize}>`);
    }
    return `<${info.join(" ")}>`;
  }

  override toString(): string {
    return this[customRepr]();
  }
}

/** Options of `loop.createDatagramEndpoint` (Python's keyword arguments). */
export interface DatagramEndpointOptions {
  /** `[host, port]` to bind to. */
  localAddr?: [string, number] | null;
  /** `[host, port]` to connect to: `sendto` then needs no address. */
  remoteAddr?: [string, number] | null;
  family?: number;
  proto?: number;
  flags?: number;
  /** Not supported by Node 20 (`ValueError`). */
  reusePort?: boolean | null;
  allowBroadcast?: boolean | null;
  /** A Node `dgram.Socket` to use (bound or not). */
  sock?: dgram.Socket | null;
}

function bindFuture(
  loop: AbstractEventLoop,
  sock: dgram.Socket,
  address: [string, number] | null,
): Future<void> {
  const fut = new Future<void>({ loop });
  _outsideTasks(() => {
    const fail = (err: unknown) => {
      if (!fut.done() && !loop.isClosed()) fut._setExceptionUnchecked(fromNodeError(err));
    };
    sock.once("error", fail);
    const done = () => {
      sock.removeListener("error", fail);
      if (!fut.done() && !loop.isClosed()) fut.setResult(undefined);
    };
    if (address === null) sock.bind(done);
    else sock.bind(address[1], address[0], done);
  });
  return fut;
}

function connectFuture(
  loop: AbstractEventLoop,
  sock: dgram.Socket,
  address: [string, number],
): Future<void> {
  const fut = new Future<void>({ loop });
  _outsideTasks(() => {
    sock.connect(address[1], address[0], (err?: Error) => {
      if (fut.done() || loop.isClosed()) return;
      if (err !== undefined && err !== null) fut._setExceptionUnchecked(fromNodeError(err));
      else fut.setResult(undefined);
    });
  });
  return fut;
}

/** Python's `loop.create_datagram_endpoint` as a generator. */
export function* createDatagramEndpointGen<P extends AnyProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  options: DatagramEndpointOptions = {},
): Coroutine<[DatagramSocketTransport, P]> {
  const { localAddr, remoteAddr, reusePort, allowBroadcast } = options;
  let family = options.family ?? 0;
  const proto = options.proto ?? 0;
  const flags = options.flags ?? 0;
  let sock: dgram.Socket | null = null;
  let rAddr: Address | null = null;
  let connected = false;
  if (options.sock !== undefined && options.sock !== null) {
    if (!(options.sock instanceof dgram.Socket)) {
      throw new ValueError(`A datagram socket was expected, got ${pyRepr(options.sock)}`);
    }
    // Python's `if (local_addr or ... or allow_broadcast)`, shown as f"{k}={v}" (str()).
    const problems = Object.entries({
      localAddr,
      remoteAddr,
      family,
      proto,
      flags,
      reusePort,
      allowBroadcast,
    })
      .filter(([, v]) => pyTruthy(v))
      .map(
        ([k, v]) =>
          `${snake(k)}=${typeof v === "string" ? v : Array.isArray(v) ? reprAddr(v as Address) : pyRepr(v)}`,
      );
    if (problems.length > 0) {
      throw new ValueError(
        `socket modifier keyword arguments can not be used when sock is specified. (${problems.join(", ")})`,
      );
    }
    sock = options.sock;
    family = (sock as dgram.Socket & { type?: string }).type === "udp6" ? AF_INET6 : AF_INET;
    try {
      const r = sock.remoteAddress();
      rAddr = sockaddr(r.address, r.port, r.family);
      connected = true;
    } catch {
      rAddr = null;
    }
  } else {
    if (pyTruthy(reusePort)) throw new ValueError("reuse_port not supported by socket module");
    if (family === AF_UNIX) {
      throw new ValueError("Unix datagram sockets are not supported by Node's dgram");
    }
    let pairs: [number, [Address | null, Address | null]][];
    if (!localAddr && !remoteAddr) {
      if (family === 0) throw new ValueError("unexpected address family");
      pairs = [[family, [null, null]]];
    } else {
      const infos = new Map<number, [Address | null, Address | null]>();
      const addrs: [number, [string, number] | null | undefined][] = [
        [0, localAddr],
        [1, remoteAddr],
      ];
      for (const [idx, addr] of addrs) {
        if (addr === null || addr === undefined) continue;
        if (!Array.isArray(addr) || addr.length !== 2) throw new TypeError("2-tuple is expected");
        checkHostArg(addr[0]);
        const res: AddrInfo[] = yield* getaddrinfoGen(loop, addr[0], ipaddrPort(addr[0], addr[1]), {
          family,
          type: SOCK_DGRAM,
          proto,
          flags,
        });
        if (!pyTruthy(res)) throw new OSError("getaddrinfo() returned empty list");
        for (const [fam, , , , address] of res) {
          let pair = infos.get(fam);
          if (pair === undefined) {
            pair = [null, null];
            infos.set(fam, pair);
          }
          pair[idx] = address;
        }
      }
      pairs = [...infos.entries()].filter(
        ([, pair]) => !((localAddr && pair[0] === null) || (remoteAddr && pair[1] === null)),
      );
      if (pairs.length === 0) throw new ValueError("can not get address information");
    }
    const exceptions: unknown[] = [];
    for (const [fam, [local, remote]] of pairs) {
      const s = _outsideTasks(() =>
        dgram.createSocket({ type: fam === AF_INET6 ? "udp6" : "udp4", reuseAddr: false }),
      );
      s.on("error", () => {});
      try {
        if (local !== null) checkPortRange((local as [string, number])[1], "bind");
        if (remote !== null) checkPortRange((remote as [string, number])[1], "connect");
        if (local !== null) yield* bindFuture(loop, s, local as [string, number]);
        if (pyTruthy(allowBroadcast)) {
          if (local === null) yield* bindFuture(loop, s, null);
          s.setBroadcast(true);
        }
        if (remote !== null) {
          if (!pyTruthy(allowBroadcast)) {
            yield* connectFuture(loop, s, remote as [string, number]);
            connected = true;
          }
          rAddr = remote;
        }
      } catch (e) {
        try {
          s.close();
        } catch {
          // not open
        }
        if (isOSError(e)) {
          exceptions.push(e);
          continue;
        }
        throw e;
      }
      sock = s;
      family = fam;
      break;
    }
    if (sock === null) throw exceptions[0];
  }
  const protocol = protocolFactory();
  const waiter = _newFuture<unknown>(loop);
  const transport = new DatagramSocketTransport(
    loop,
    sock,
    protocol as AnyProtocol,
    family,
    rAddr,
    connected,
    waiter,
  );
  if (loop.getDebug()) {
    // The addresses as given: an array is Python's tuple.
    const shown = (a: unknown) =>
      Array.isArray(a) ? reprAddr(a as SocketAddress) : pyRepr(a ?? null);
    if (localAddr) {
      logger.info(
        `Datagram endpoint local_addr=${shown(localAddr)} remote_addr=${shown(remoteAddr)} created: (${pyRepr(transport)}, ${pyRepr(protocol)})`,
      );
    } else {
      logger.debug(
        `Datagram endpoint remote_addr=${shown(remoteAddr)} created: (${pyRepr(transport)}, ${pyRepr(protocol)})`,
      );
    }
  }
  try {
    yield* waiter;
  } catch (e) {
    transport.close();
    throw e;
  }
  return [transport, protocol];
}

function snake(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `loop.createDatagramEndpoint` for any loop. */
export const createDatagramEndpoint = awaitable(
  createDatagramEndpointGen,
  "BaseEventLoop.create_datagram_endpoint",
);

// CPython's UDP transport is a Transport (and a ReadTransport and a WriteTransport through it).
_alsoInstanceOf(Transport, DatagramSocketTransport);
_alsoInstanceOf(WriteTransport, DatagramSocketTransport);

libraryClasses(DatagramSocketTransport);
