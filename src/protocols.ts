/**
 * Protocols (Python's `asyncio.protocols`): the callback side of a connection.
 *
 * Subclass `Protocol` (or `BufferedProtocol`, `DatagramProtocol`, `SubprocessProtocol`) and
 * override what you need; every method has a no-op default. Plain objects with some of the
 * methods work too (missing methods are treated as no-ops).
 *
 * Call order, as in CPython: `connectionMade(transport)`, then `dataReceived(data)` zero or more
 * times, then at most one `eofReceived()`, then exactly one `connectionLost(exc)` (`null` for a
 * normal close). Every callback is made by the event loop (through `callSoon`) except
 * `pauseWriting()`, which is called synchronously from `transport.write()` when the buffer goes
 * over the high-water mark, so that it takes effect at once.
 */
import { BOUND_SELF } from "./events.ts";
import { customRepr } from "./format.ts";
import type {
  BaseTransport,
  DatagramTransport,
  ReadTransport,
  SubprocessTransport,
  Transport,
  WriteTransport,
} from "./transports.ts";

/** A socket address as Python gives it: `[host, port]`, `[host, port, flowinfo, scopeId]` or a path. */
export type Address = [string, number] | [string, number, number, number] | string;

/** Python's `asyncio.BaseProtocol`: the callbacks every protocol has. */
export class BaseProtocol {
  /** Called when the connection is made (the transport is ready to use). */
  connectionMade(_transport: BaseTransport): void {}
  /**
   * Called once when the connection is lost or closed: `exc` is the error, or null for EOF, a
   * close() or an abort().
   */
  connectionLost(_exc: Error | null): void {}
  /** The transport's write buffer went over its high-water mark: stop writing. */
  pauseWriting(): void {}
  /** The transport's write buffer drained to its low-water mark: writing may resume. */
  resumeWriting(): void {}
}

/** Python's `asyncio.Protocol`: a stream protocol (TCP, Unix sockets, TLS, pipes). */
export class Protocol extends BaseProtocol {
  override connectionMade(_transport: Transport): void {}
  /** Called with each chunk of data received (a `Buffer`, never empty). */
  dataReceived(_data: Buffer): void {}
  /**
   * Called when the peer sent EOF (half-close). Return true to keep the connection open for
   * writing; a false value (the default) closes the transport.
   */
  eofReceived(): boolean | undefined | void {
    return undefined;
  }
}

/**
 * Python's `asyncio.BufferedProtocol`: the protocol provides the buffer data is received into,
 * which avoids a copy per chunk.
 */
export class BufferedProtocol extends BaseProtocol {
  override connectionMade(_transport: Transport): void {}
  /**
   * A buffer to receive into (at least one byte long). `sizehint` is -1 or a recommended size.
   * The base class returns null, as CPython's does: a transport then fails with "object of type
   * 'NoneType' has no len()". Subclasses implement it.
   */
  getBuffer(_sizehint: number): Uint8Array | null {
    return null;
  }
  /** `nbytes` bytes were written at the start of the buffer last returned by `getBuffer`. */
  bufferUpdated(_nbytes: number): void {}
  /** As `Protocol.eofReceived`. */
  eofReceived(): boolean | undefined | void {
    return undefined;
  }
}

/** Python's `asyncio.DatagramProtocol` (UDP). */
export class DatagramProtocol extends BaseProtocol {
  override connectionMade(_transport: DatagramTransport): void {}
  /** Called with each datagram and the address it came from. */
  datagramReceived(_data: Buffer, _addr: Address): void {}
  /** A send or receive failed (for example ICMP port unreachable): the endpoint stays open. */
  errorReceived(_exc: Error): void {}
}

/** Python's `asyncio.SubprocessProtocol`: callbacks of `loop.subprocessExec`/`subprocessShell`. */
export class SubprocessProtocol extends BaseProtocol {
  override connectionMade(_transport: SubprocessTransport): void {}
  /** The child wrote `data` to its stdout (fd 1) or stderr (fd 2). */
  pipeDataReceived(_fd: number, _data: Buffer): void {}
  /** One of the child's pipes (0, 1 or 2) was closed. */
  pipeConnectionLost(_fd: number, _exc: Error | null): void {}
  /** The child process exited (see `transport.getReturncode()`). */
  processExited(): void {}
}

/** Any object usable as a protocol: the methods it lacks are no-ops. */
export interface AnyProtocol {
  connectionMade?(transport: BaseTransport): void;
  connectionLost?(exc: Error | null): void;
  pauseWriting?(): void;
  resumeWriting?(): void;
  dataReceived?(data: Buffer): void;
  eofReceived?(): unknown;
  getBuffer?(sizehint: number): Uint8Array | null;
  bufferUpdated?(nbytes: number): void;
  datagramReceived?(data: Buffer, addr: Address): void;
  errorReceived?(exc: Error): void;
  pipeDataReceived?(fd: number, data: Buffer): void;
  pipeConnectionLost?(fd: number, exc: Error | null): void;
  processExited?(): void;
}

/** A protocol of a stream connection (`createConnection`, `createServer`, …). */
export interface StreamProtocolLike extends AnyProtocol {
  connectionMade?(transport: Transport): void;
}

/** A protocol of a datagram endpoint (`createDatagramEndpoint`). */
export interface DatagramProtocolLike extends AnyProtocol {
  connectionMade?(transport: DatagramTransport): void;
}

/** A protocol of a child process (`subprocessExec`, `subprocessShell`). */
export interface SubprocessProtocolLike extends AnyProtocol {
  connectionMade?(transport: SubprocessTransport): void;
}

/** A protocol of a pipe read from (`connectReadPipe`). */
export interface ReadPipeProtocolLike extends AnyProtocol {
  connectionMade?(transport: ReadTransport): void;
}

/** A protocol of a pipe written to (`connectWritePipe`). */
export interface WritePipeProtocolLike extends AnyProtocol {
  connectionMade?(transport: WriteTransport): void;
}

/**
 * @internal What a transport schedules to call its protocol's `connectionMade(transport)`. Reprs
 * and "Exception in callback" messages name it as CPython names the bound method it schedules:
 * `MyProtocol.connection_made()`.
 */
export const callConnectionMade = Object.assign(
  function connectionMade(t: { _protocol: AnyProtocol | null }): void {
    t._protocol?.connectionMade?.(t as unknown as BaseTransport);
  },
  {
    [customRepr](args?: readonly unknown[]): string {
      return boundMethodName("connection_made", args);
    },
  },
);

/** `MyProtocol.name`: the method `name` of the protocol of the transport that is `args[0]`. */
function boundMethodName(pyName: string, args: readonly unknown[] | undefined): string {
  const p = (args?.[0] as { _protocol?: object | null } | undefined)?._protocol;
  const cls = p === null || p === undefined ? "" : (p.constructor?.name ?? "object");
  return cls === "" ? pyName : `${cls}.${pyName}`;
}

/**
 * @internal A protocol method call a transport schedules as `call(transport, ...args)`, shown as
 * CPython shows the bound method it schedules: `MyProtocol.pipe_data_received(...args)`.
 */
export function protocolCall<T extends { _protocol: AnyProtocol | null }, A extends unknown[]>(
  pyName: string,
  call: (t: T, ...args: A) => unknown,
): (t: T, ...args: A) => unknown {
  return Object.assign(call, {
    [BOUND_SELF]: true,
    [customRepr](args?: readonly unknown[]): string {
      return boundMethodName(pyName, args);
    },
  });
}

/**
 * @internal True if `p` receives data through `getBuffer`/`bufferUpdated` (Python: isinstance
 * BufferedProtocol): a BufferedProtocol, or a plain object with both methods (a `Protocol`
 * subclass that has them still gets `dataReceived`, as in CPython).
 */
export function isBufferedProtocol(p: unknown): boolean {
  return (
    p instanceof BufferedProtocol ||
    (typeof p === "object" &&
      p !== null &&
      !(p instanceof Protocol) &&
      typeof (p as { getBuffer?: unknown }).getBuffer === "function" &&
      typeof (p as { bufferUpdated?: unknown }).bufferUpdated === "function")
  );
}
