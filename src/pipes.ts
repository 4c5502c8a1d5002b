/**
 * `loop.connectReadPipe` / `loop.connectWritePipe` (Python's `connect_read_pipe` /
 * `connect_write_pipe`): a protocol on a pipe, socket or character device the program already
 * has, through the same pipe transports as a child's stdin and stdout. Internal module.
 *
 * The pipe is a file descriptor (what Python's file object's `fileno()` is), or a Node stream
 * (`process.stdin`, a `net.Socket`, a `fs.ReadStream`), which is taken as it is.
 */
import { createReadStream, createWriteStream, fstatSync } from "node:fs";
import * as net from "node:net";
import type { Readable, Writable } from "node:stream";
import * as tty from "node:tty";
import { ReadPipeTransport, WritePipeTransport } from "./base_subprocess.ts";
import { awaitable, type Coroutine } from "./coroutines.ts";
import type { AbstractEventLoop } from "./events.ts";
import { ValueError } from "./exceptions.ts";
import { customRepr, pyRepr } from "./format.ts";
import { _newFuture, setResultUnlessCancelled } from "./futures.ts";
import { logger } from "./log.ts";
import { fromNodeError } from "./os_errors.ts";
import type { AnyProtocol } from "./protocols.ts";

/** A pipe to connect: a file descriptor or a Node stream. */
export type ReadPipe = number | Readable;
export type WritePipe = number | Writable;

type Kind = "fifo" | "socket" | "tty" | "chr";

/** What `fd` is, or Python's ValueError when it is none of what a pipe transport serves. */
function kindOf(fd: number, message: string): Kind {
  let st: ReturnType<typeof fstatSync>;
  try {
    st = fstatSync(fd);
  } catch (e) {
    throw fromNodeError(e);
  }
  if (st.isFIFO()) return "fifo";
  if (st.isSocket()) return "socket";
  if (st.isCharacterDevice()) return tty.isatty(fd) ? "tty" : "chr";
  throw new ValueError(message);
}

/** The descriptor under a Node stream, where it has one. */
function fdOf(stream: object): number | null {
  const fd = (stream as { fd?: unknown }).fd;
  if (typeof fd === "number") return fd;
  const h = (stream as { _handle?: { fd?: unknown } | null })._handle;
  return typeof h?.fd === "number" && h.fd >= 0 ? h.fd : null;
}

function checkPipe(pipe: unknown, message: string): void {
  if (typeof pipe === "number") return;
  if (typeof pipe !== "object" || pipe === null || typeof (pipe as Readable).on !== "function") {
    throw new TypeError(`a file descriptor or a Node stream is required, not ${pyRepr(pipe)}`);
  }
  const fd = fdOf(pipe);
  if (fd !== null) kindOf(fd, message);
}

const READ_MESSAGE = "Pipe transport is for pipes/sockets only.";
const WRITE_MESSAGE = "Pipe transport is only for pipes, sockets and character devices";

function readStream(fd: number): Readable {
  switch (kindOf(fd, READ_MESSAGE)) {
    case "tty":
      return new tty.ReadStream(fd);
    case "chr":
      return createReadStream("", { fd });
    default:
      return new net.Socket({ fd, readable: true, writable: false });
  }
}

function writeStream(fd: number): Writable {
  switch (kindOf(fd, WRITE_MESSAGE)) {
    case "tty":
      return new tty.WriteStream(fd);
    case "chr":
      return createWriteStream("", { fd });
    default:
      return new net.Socket({ fd, readable: false, writable: true });
  }
}

function* connectPipe<T extends ReadPipeTransport | WritePipeTransport, P extends AnyProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  make: (protocol: AnyProtocol) => T,
  what: string,
): Coroutine<[T, P]> {
  const protocol = protocolFactory();
  const waiter = _newFuture<void>(loop);
  const transport = make(protocol as AnyProtocol);
  loop.callSoon(setResultUnlessCancelled, waiter, undefined);
  try {
    yield* waiter;
  } catch (e) {
    transport.close();
    throw e;
  }
  if (loop.getDebug()) {
    logger.debug(`${what} connected: (${transport[customRepr]()}, ${pyRepr(protocol)})`);
  }
  return [transport, protocol];
}

/**
 * Connects the read end of `pipe` to a protocol from `protocolFactory` (Python's
 * `loop.connect_read_pipe`): `[transport, protocol]` once `connectionMade` has run. The protocol
 * gets `dataReceived`, then `eofReceived` and `connectionLost(null)` at the end; closing the
 * transport closes the pipe.
 */
export const connectReadPipe = awaitable(function* connectReadPipe<P extends AnyProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  pipe: ReadPipe,
): Coroutine<[ReadPipeTransport, P]> {
  return yield* connectPipe(
    loop,
    protocolFactory,
    (protocol) => {
      checkPipe(pipe, READ_MESSAGE);
      const stream = typeof pipe === "number" ? readStream(pipe) : pipe;
      return new ReadPipeTransport(loop, stream, protocol, { pipe });
    },
    `Read pipe ${pyRepr(pipe)}`,
  );
}, "BaseEventLoop.connect_read_pipe");

/**
 * Connects the write end of `pipe` to a protocol from `protocolFactory` (Python's
 * `loop.connect_write_pipe`): `[transport, protocol]`; the transport writes with flow control,
 * `writeEof()`/`close()` close the pipe once the buffer is written.
 */
export const connectWritePipe = awaitable(function* connectWritePipe<P extends AnyProtocol>(
  loop: AbstractEventLoop,
  protocolFactory: () => P,
  pipe: WritePipe,
): Coroutine<[WritePipeTransport, P]> {
  return yield* connectPipe(
    loop,
    protocolFactory,
    (protocol) => {
      checkPipe(pipe, WRITE_MESSAGE);
      const stream = typeof pipe === "number" ? writeStream(pipe) : pipe;
      return new WritePipeTransport(loop, stream, protocol, { pipe });
    },
    `Write pipe ${pyRepr(pipe)}`,
  );
}, "BaseEventLoop.connect_write_pipe");
