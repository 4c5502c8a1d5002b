/**
 * Python's `OSError` family (`ConnectionResetError`, `BrokenPipeError`, `FileNotFoundError`, …)
 * and the mapping from Node's system errors (`err.code === "ECONNRESET"`) to them.
 *
 * `new OSError(errno, strerror)` keeps Python's shape: `args` is `[errno, strerror]`, `errno`
 * and `strerror` are set, and `message` is Python's `str()`: `[Errno 111] Connection refused`.
 * A single argument is the message as is: `new ConnectionResetError("Connection lost")`.
 * The Node error a value was made from is kept as `cause`.
 */

import { constants as osConstants } from "node:os";
import { _errnoSubclasses, OSError, TimeoutError } from "./exceptions.ts";
import { keepClassNames } from "./format.ts";

export { OSError };

/** Python's `BlockingIOError`. */
export class BlockingIOError extends OSError {}
/** Python's `ChildProcessError`. */
export class ChildProcessError extends OSError {}
/** Python's `ConnectionError`: the base of the four connection errors. */
export class ConnectionError extends OSError {}
/** Python's `BrokenPipeError` (EPIPE, ESHUTDOWN). */
export class BrokenPipeError extends ConnectionError {}
/** Python's `ConnectionAbortedError` (ECONNABORTED). */
export class ConnectionAbortedError extends ConnectionError {}
/** Python's `ConnectionRefusedError` (ECONNREFUSED). */
export class ConnectionRefusedError extends ConnectionError {}
/** Python's `ConnectionResetError` (ECONNRESET). */
export class ConnectionResetError extends ConnectionError {}
/** Python's `FileExistsError` (EEXIST). */
export class FileExistsError extends OSError {}
/** Python's `FileNotFoundError` (ENOENT). */
export class FileNotFoundError extends OSError {}
/** Python's `InterruptedError` (EINTR). */
export class InterruptedError extends OSError {}
/** Python's `IsADirectoryError` (EISDIR). */
export class IsADirectoryError extends OSError {}
/** Python's `NotADirectoryError` (ENOTDIR). */
export class NotADirectoryError extends OSError {}
/** Python's `PermissionError` (EACCES, EPERM). */
export class PermissionError extends OSError {}
/** Python's `ProcessLookupError` (ESRCH). */
export class ProcessLookupError extends OSError {}
/** Python's `socket.gaierror`: a name could not be resolved (`[Errno -2] Name or service not known`). */
export class gaierror extends OSError {}

type OSErrorClass = new (...args: unknown[]) => OSError;

/** C's strerror() texts (glibc), which Python puts in its messages. */
const STRERROR: Record<string, string> = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  ESRCH: "No such process",
  EINTR: "Interrupted system call",
  EIO: "Input/output error",
  EBADF: "Bad file descriptor",
  EAGAIN: "Resource temporarily unavailable",
  ENOMEM: "Cannot allocate memory",
  EACCES: "Permission denied",
  EEXIST: "File exists",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EINVAL: "Invalid argument",
  EMFILE: "Too many open files",
  ENOSPC: "No space left on device",
  EPIPE: "Broken pipe",
  ESPIPE: "Illegal seek",
  ENAMETOOLONG: "File name too long",
  ENOTSOCK: "Socket operation on non-socket",
  EMSGSIZE: "Message too long",
  EPROTOTYPE: "Protocol wrong type for socket",
  EAFNOSUPPORT: "Address family not supported by protocol",
  EADDRINUSE: "Address already in use",
  EADDRNOTAVAIL: "Cannot assign requested address",
  ENETDOWN: "Network is down",
  ENETUNREACH: "Network is unreachable",
  ECONNABORTED: "Software caused connection abort",
  ECONNRESET: "Connection reset by peer",
  ENOBUFS: "No buffer space available",
  EISCONN: "Transport endpoint is already connected",
  ENOTCONN: "Transport endpoint is not connected",
  ESHUTDOWN: "Cannot send after transport endpoint shutdown",
  ETIMEDOUT: "Connection timed out",
  ECONNREFUSED: "Connection refused",
  EHOSTUNREACH: "No route to host",
  EALREADY: "Operation already in progress",
  EINPROGRESS: "Operation now in progress",
  ECANCELED: "Operation canceled",
};

const CLASS_FOR_CODE: Record<string, OSErrorClass> = {
  EAGAIN: BlockingIOError,
  EWOULDBLOCK: BlockingIOError,
  EALREADY: BlockingIOError,
  EINPROGRESS: BlockingIOError,
  ECHILD: ChildProcessError,
  EPIPE: BrokenPipeError,
  ESHUTDOWN: BrokenPipeError,
  ECONNABORTED: ConnectionAbortedError,
  ECONNREFUSED: ConnectionRefusedError,
  ECONNRESET: ConnectionResetError,
  EEXIST: FileExistsError,
  ENOENT: FileNotFoundError,
  EINTR: InterruptedError,
  EISDIR: IsADirectoryError,
  ENOTDIR: NotADirectoryError,
  EACCES: PermissionError,
  EPERM: PermissionError,
  ESRCH: ProcessLookupError,
  ETIMEDOUT: TimeoutError,
};

for (const [code, cls] of Object.entries(CLASS_FOR_CODE)) {
  const errno = (osConstants.errno as Record<string, number | undefined>)[code];
  if (errno !== undefined) _errnoSubclasses.set(errno, cls);
}

/** getaddrinfo's EAI_* codes as glibc numbers them, with gai_strerror() texts. */
const GAI: Record<string, [number, string]> = {
  ENOTFOUND: [-2, "Name or service not known"],
  EAI_NONAME: [-2, "Name or service not known"],
  EAI_AGAIN: [-3, "Temporary failure in name resolution"],
  EAI_FAIL: [-4, "Non-recoverable failure in name resolution"],
  EAI_FAMILY: [-6, "ai_family not supported"],
  EAI_SERVICE: [-8, "Servname not supported for ai_socktype"],
  EAI_NODATA: [-5, "No address associated with hostname"],
  ENODATA: [-5, "No address associated with hostname"],
  EAI_ADDRFAMILY: [-9, "Address family for hostname not supported"],
  EAI_MEMORY: [-10, "Memory allocation failure"],
  EAI_BADFLAGS: [-1, "Bad value for ai_flags"],
};

/** The errno number for a code such as `"ECONNRESET"` (platform values, via `os.constants`). */
export function errnoOf(code: string): number | null {
  const n = (osConstants.errno as Record<string, number | undefined>)[code];
  return n === undefined ? null : n;
}

/** The `strerror()` text for a code such as `"ECONNRESET"`. */
export function strerror(code: string): string {
  return STRERROR[code] ?? code;
}

/** A Python-style OSError (of the right subclass) for `code`, with `strerror` or `message`. */
export function makeOSError(code: string, message?: string, filename?: unknown): Error {
  const cls = CLASS_FOR_CODE[code] ?? OSError;
  const errno = errnoOf(code);
  const text = message ?? strerror(code);
  const args: unknown[] = errno === null ? [text] : [errno, text];
  if (filename !== undefined) args.push(filename);
  return new cls(...args);
}

/**
 * Python's exception for a Node system error (`{ code: "ECONNREFUSED", ... }`): the OSError
 * subclass CPython would raise, errno and strerror filled in, the Node error as `cause`.
 * `message` replaces the strerror text (CPython's `Connect call failed ('127.0.0.1', 1)`).
 * Values that are not Node system errors are returned unchanged.
 */
export function fromNodeError(err: unknown, message?: string, filename?: unknown): unknown {
  if (!(err instanceof Error)) return err;
  if (err instanceof OSError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== "string") return err;
  let e: Error;
  const gai = GAI[code];
  if (gai !== undefined && (err as { syscall?: string }).syscall?.startsWith("get") !== false) {
    e = new gaierror(gai[0], gai[1]);
  } else if (errnoOf(code) !== null || STRERROR[code] !== undefined) {
    e = makeOSError(code, message, filename);
  } else {
    return err;
  }
  (e as { cause?: unknown }).cause = err;
  return e;
}

keepClassNames({
  BlockingIOError,
  ChildProcessError,
  ConnectionError,
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionRefusedError,
  ConnectionResetError,
  FileExistsError,
  FileNotFoundError,
  InterruptedError,
  IsADirectoryError,
  NotADirectoryError,
  PermissionError,
  ProcessLookupError,
  gaierror,
});
