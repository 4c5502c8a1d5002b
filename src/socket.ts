/**
 * The parts of Python's `socket` module that asyncio's networking API shows: address-family and
 * socket-type constants, `TransportSocket` (what `server.sockets` and
 * `transport.getExtraInfo("socket")` return), and `loop.getaddrinfo`.
 *
 * Exported as the `socket` namespace: `asyncio.socket.AF_INET`.
 */

import type * as dgram from "node:dgram";
import {
  ADDRCONFIG,
  ALL,
  lookup as dnsLookup,
  type LookupAddress,
  lookupService,
  V4MAPPED,
} from "node:dns";
import { readdirSync, readFileSync } from "node:fs";
import type * as net from "node:net";
import { isIP } from "node:net";
import { awaitable, type Coroutine } from "./coroutines.ts";
import type { AbstractEventLoop } from "./events.ts";
import { OverflowError, ValueError } from "./exceptions.ts";
import { customRepr, libraryClasses, pyRepr, pyStr, pyTruthy, pyTypeName } from "./format.ts";
import { _newFuture, type Future } from "./futures.ts";
import { logger } from "./log.ts";
import { fromNodeError, gaierror, OSError } from "./os_errors.ts";
import type { Address } from "./protocols.ts";
import { _awaitOverride, _outsideTasks } from "./tasks.ts";

export { gaierror } from "./os_errors.ts";

export const AF_UNSPEC = 0;
export const AF_UNIX = 1;
export const AF_INET = 2;
/** 10 on Linux, 30 on macOS, as the platform's socket.h says. */
export const AF_INET6 = process.platform === "darwin" ? 30 : process.platform === "win32" ? 23 : 10;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const IPPROTO_IP = 0;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const AI_PASSIVE = 1;
export const AI_CANONNAME = 2;
export const AI_NUMERICHOST = 4;
export const AI_V4MAPPED = 8;
export const AI_ALL = 16;
export const AI_ADDRCONFIG = 32;
export const AI_NUMERICSERV = 1024;
export const NI_NUMERICHOST = 1;
export const NI_NUMERICSERV = 2;
export const NI_NOFQDN = 4;
export const NI_NAMEREQD = 8;
export const NI_DGRAM = 16;

/** One `getaddrinfo` result: `[family, type, proto, canonname, sockaddr]`, as in Python. */
export type AddrInfo = [number, number, number, string, Address];

/** @internal An IPv4 `[host, port]` or IPv6 `[host, port, 0, 0]` address. */
export function sockaddr(host: string, port: number, family: number | string): Address {
  return family === AF_INET6 || family === "IPv6" || family === 6
    ? [host, port, 0, 0]
    : [host, port];
}

/** @internal The local address of a connected or listening Node socket, as Python shows it. */
export function nodeSockname(s: net.Socket | net.Server | dgram.Socket): Address | null {
  try {
    const a = s.address();
    if (typeof a === "string") return a;
    if (a === null || a === undefined || (a as net.AddressInfo).port === undefined) return null;
    const info = a as net.AddressInfo;
    return sockaddr(info.address, info.port, info.family);
  } catch {
    // An unbound UDP socket (Node's address() throws): the wildcard, as getsockname() gives.
    if (isDgram(s))
      return (s as { type?: string }).type === "udp6" ? ["::", 0, 0, 0] : ["0.0.0.0", 0];
    return null;
  }
}

/** @internal The peer address of a connected Node socket. */
export function nodePeername(s: net.Socket): Address | null {
  if (s.remoteAddress === undefined || s.remotePort === undefined) return null;
  return sockaddr(s.remoteAddress, s.remotePort, s.remoteFamily ?? "IPv4");
}

function protoFor(type: number): number {
  return type === SOCK_STREAM ? IPPROTO_TCP : type === SOCK_DGRAM ? IPPROTO_UDP : 0;
}

/** A socket's address as CPython gives it: an abstract Unix name (leading NUL) is bytes. */
export type SocketAddress = Address | Uint8Array;

function isDgram(sock: net.Socket | net.Server | dgram.Socket): sock is dgram.Socket {
  return typeof (sock as { addMembership?: unknown }).addMembership === "function";
}

/**
 * The libuv handle under a Node socket, or null once closed. A dgram socket keeps it in its
 * state (its `_handle` getter is deprecated and warns, DEP0112).
 */
function nodeHandle(sock: net.Socket | net.Server | dgram.Socket): { fd?: number } | null {
  if (isDgram(sock)) {
    const key = Object.getOwnPropertySymbols(sock).find((k) => k.description === "state symbol");
    const state = key === undefined ? undefined : (sock as unknown as Record<symbol, unknown>)[key];
    return (state as { handle?: { fd?: number } | null } | undefined)?.handle ?? null;
  }
  return (sock as unknown as { _handle?: { fd?: number } | null })._handle ?? null;
}

/**
 * A read-only view of a transport's or server's socket (Python's `asyncio.TransportSocket`):
 * `family`, `type`, `proto`, `fileno()`, `getsockname()`, `getpeername()`.
 */
export class TransportSocket {
  /** @internal */ readonly _sock: net.Socket | net.Server | dgram.Socket;
  /** @internal */ readonly _sockname: SocketAddress | null;
  /** @internal */ readonly _peername: SocketAddress | null;
  readonly family: number;
  readonly type: number;
  readonly proto: number;

  /** @internal */
  constructor(
    sock: net.Socket | net.Server | dgram.Socket,
    family: number,
    type: number,
    sockname: SocketAddress | null,
    peername: SocketAddress | null,
  ) {
    this._sock = sock;
    this.family = family;
    this.type = type;
    this.proto = family === AF_UNIX ? 0 : protoFor(type);
    this._sockname = sockname;
    this._peername = peername;
  }

  /** The file descriptor, or -1 once closed (or where Node does not expose it). */
  fileno(): number {
    const h = nodeHandle(this._sock);
    return typeof h?.fd === "number" ? h.fd : -1;
  }

  /** Closed underneath: what CPython's calls on a closed socket refuse with EBADF. */
  private _isClosed(): boolean {
    const s = this._sock as { destroyed?: unknown; listening?: unknown };
    if (isDgram(this._sock)) return nodeHandle(this._sock) === null;
    if ("listening" in s && !("destroyed" in s)) return s.listening !== true; // a net.Server
    return s.destroyed === true;
  }

  /**
   * The local address: `[host, port]` (IPv6: `[host, port, flowinfo, scopeId]`), a path, or an
   * abstract Unix name as bytes (a {@link SocketAddress}). Typed `any`, as typeshed types
   * Python's, so that `getsockname()[1]` of a TCP server started on port 0 is usable as the
   * number it is.
   */
  // biome-ignore lint/suspicious/noExplicitAny: the address's shape depends on the family
  getsockname(): any {
    if (this._sockname === null || this._isClosed()) {
      throw fromNodeError(Object.assign(new Error(), { code: "EBADF" }));
    }
    return this._sockname;
  }

  /** The peer address (typed `any` as `getsockname()`); `OSError` (ENOTCONN) for a listening socket. */
  // biome-ignore lint/suspicious/noExplicitAny: the address's shape depends on the family
  getpeername(): any {
    if (this._isClosed()) throw fromNodeError(Object.assign(new Error(), { code: "EBADF" }));
    if (this._peername === null) {
      throw fromNodeError(Object.assign(new Error(), { code: "ENOTCONN" }));
    }
    return this._peername;
  }

  /** Always 0: a transport's socket is non-blocking. */
  gettimeout(): number {
    return 0;
  }

  /** Only 0 is allowed (Python's message otherwise). */
  settimeout(value: number | null): void {
    if (value === 0) return;
    throw new ValueError("settimeout(): only 0 timeout is allowed on transport sockets");
  }

  /** Only `false` is allowed (Python's message otherwise). */
  setblocking(flag: boolean): void {
    if (!pyTruthy(flag)) return;
    throw new ValueError("setblocking(): transport sockets cannot be blocking");
  }

  /** False: libuv opens every socket close-on-exec. */
  getInheritable(): boolean {
    return false;
  }

  /** The Node object underneath (`net.Socket`, `net.Server` or `dgram.Socket`). */
  get nodeSocket(): net.Socket | net.Server | dgram.Socket {
    return this._sock;
  }

  [customRepr](): string {
    const parts = [
      `fd=${this.fileno()}`,
      `family=${this.family}`,
      `type=${this.type}`,
      `proto=${this.proto}`,
    ];
    // As socket.socket's repr: addresses of an open socket only, shown with str(), empty ones not.
    if (this.fileno() !== -1) {
      if (this._sockname !== null && this._sockname !== "") {
        parts.push(`laddr=${strAddr(this._sockname)}`);
      }
      if (this._peername !== null && this._peername !== "") {
        parts.push(`raddr=${strAddr(this._peername)}`);
      }
    }
    return `<asyncio.TransportSocket ${parts.join(", ")}>`;
  }

  toString(): string {
    return this[customRepr]();
  }
}

/** Python's str of an address: `('127.0.0.1', 8888)` or `/tmp/sock`. */
function strAddr(a: SocketAddress): string {
  return typeof a === "string" ? a : reprAddr(a);
}

/**
 * Python's repr of an address: `('127.0.0.1', 8888)`, `'/tmp/sock'`, or `b'\x00name'` for a
 * Linux abstract Unix name (bytes, as CPython returns it).
 */
export function reprAddr(a: SocketAddress): string {
  if (typeof a === "string" || a instanceof Uint8Array) return pyRepr(a);
  return `(${a.map((x) => pyRepr(x)).join(", ")})`;
}

/** @internal A Unix socket address as CPython gives it: an abstract name (leading NUL) as bytes. */
export function unixAddress(path: string): string | Uint8Array {
  return path.startsWith("\0") ? Buffer.from(path) : path;
}

export interface GetaddrinfoOptions {
  family?: number;
  type?: number;
  proto?: number;
  flags?: number;
}

/**
 * @internal Resolves host names with Node's `dns.lookup` (getaddrinfo(3), as Python does), with
 * the `AI_V4MAPPED`, `AI_ALL` and `AI_ADDRCONFIG` of `flags`.
 */
export function lookupAll(
  loop: AbstractEventLoop,
  host: string,
  family: number,
  flags = 0,
): Future<LookupAddress[]> {
  const fut = _newFuture<LookupAddress[]>(loop);
  const fam = family === AF_INET ? 4 : family === AF_INET6 ? 6 : 0;
  const hints =
    ((flags & AI_V4MAPPED) !== 0 ? V4MAPPED : 0) |
    ((flags & AI_ALL) !== 0 ? ALL : 0) |
    ((flags & AI_ADDRCONFIG) !== 0 ? ADDRCONFIG : 0);
  _outsideTasks(() =>
    dnsLookup(host, { all: true, family: fam, hints }, (err, addresses) => {
      if (fut.done() || loop.isClosed()) return;
      if (err !== null) fut._setExceptionUnchecked(fromNodeError(err));
      else fut.setResult(addresses);
    }),
  );
  return fut;
}

/**
 * @internal CPython's socket module: `connect()`/`bind()` with an integer port outside 0-65535
 * raise `OverflowError('connect(): port must be 0-65535.')`.
 */
export function checkPortRange(port: unknown, call: "connect" | "bind"): void {
  if (typeof port === "number" && Number.isInteger(port) && (port < 0 || port > 65535)) {
    throw new OverflowError(`${call}(): port must be 0-65535.`);
  }
}

/**
 * @internal A host that is neither a string nor None, given to create_connection/create_server
 * (CPython fails in `_ipaddr_info` with `TypeError: argument of type 'int' is not iterable`).
 */
export function checkHostArg(host: unknown): void {
  if (host !== null && host !== undefined && typeof host !== "string") {
    throw new TypeError(`argument of type '${pyTypeName(host)}' is not iterable`);
  }
}

/**
 * @internal Python's `_ipaddr_info` port rule: with a numeric host, asyncio skips getaddrinfo and
 * takes `int(port)`, so a float port is truncated (`1.5` → 1) and a boolean is 0/1.
 */
export function ipaddrPort<T>(host: unknown, port: T): T | number {
  if (typeof host !== "string" || isIP(host) === 0) return port;
  if (typeof port === "boolean") return Number(port);
  if (typeof port === "number" && Number.isFinite(port)) return Math.trunc(port);
  return port;
}

// ---- getaddrinfo ----
//
// `loop.getaddrinfo` runs Python's `socket.getaddrinfo`, which is glibc's getaddrinfo(3). Numeric
// hosts, the wildcard/loopback (`host` None), services and socket types are worked out here as
// glibc does (sysdeps/posix/getaddrinfo.c); only host names go to the resolver (`dns.lookup`).

/** Python's `UnicodeEncodeError` (a ValueError) from the `idna` codec, for a malformed host name. */
class UnicodeEncodeError extends ValueError {
  constructor(message: string) {
    super(message);
  }
}
Object.defineProperty(UnicodeEncodeError.prototype, "name", {
  value: "UnicodeEncodeError",
  writable: true,
  configurable: true,
});

/**
 * The checks of Python's `idna` codec on an ASCII host name (`host.encode("idna")`): no empty
 * label before the last, no label of 64 characters or more. Other names are left to the resolver.
 */
function checkIdna(host: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is U+0000-U+007F
  if (!/^[\u0000-\u007f]*$/.test(host) || host === "") return;
  const labels = host.split(".");
  let offset = 0;
  for (let i = 0; i < labels.length - 1; i++) {
    if (labels[i]!.length === 0) {
      throw new UnicodeEncodeError(
        `'idna' codec can't encode character '\\x2e' in position ${offset}: label empty`,
      );
    }
    offset += labels[i]!.length + 1;
  }
  offset = 0;
  for (const label of labels) {
    if (label.length >= 64) {
      throw new UnicodeEncodeError(
        `'idna' codec can't encode characters in position ${offset}-${offset + label.length - 1}: label too long`,
      );
    }
    offset += label.length + 1;
  }
}

/** A C string: what comes before the first NUL (CPython passes `char *` to getaddrinfo). */
function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/** Python's `"i"` argument conversion (getaddrinfo's family, type, proto and flags). */
function cInt(v: unknown): number {
  const n = typeof v === "bigint" ? v : checkInt(v);
  if (n > 2147483647) throw new OverflowError("signed integer is greater than maximum");
  if (n < -2147483648) throw new OverflowError("signed integer is less than minimum");
  return Number(n);
}

/** getaddrinfo's host argument: a str (or bytes) or None, else Python's TypeError. */
function hostArg(host: unknown): string | null {
  if (host === null || host === undefined) return null;
  if (typeof host === "string") {
    checkIdna(host);
    return cString(host);
  }
  if (host instanceof Uint8Array) return cString(Buffer.from(host).toString("latin1"));
  throw new TypeError("getaddrinfo() argument 1 must be string or None");
}

/** getaddrinfo's port argument as the C string CPython passes: an int in decimal, a str, or null. */
function serviceArg(port: unknown): string | null {
  if (port === null || port === undefined) return null;
  if (typeof port === "string") return cString(port);
  if (typeof port === "number" && Number.isInteger(port)) return BigInt(port).toString();
  if (typeof port === "bigint") return port.toString();
  if (port instanceof Uint8Array) return cString(Buffer.from(port).toString("latin1"));
  // socket.getaddrinfo takes an int or a str only (not a float, not a bool).
  throw new OSError("Int or String expected");
}

/**
 * glibc's numeric service: `(int) strtoul(service, &end, 10)` (leading white space and a sign
 * allowed, out-of-range values saturated), or null when characters follow the number.
 */
function numericService(service: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(service);
  if (m === null) return null;
  const max = (1n << 64n) - 1n;
  let v = BigInt(m[2]!);
  if (v > max) v = max;
  else if (m[1] === "-") v = -v & max;
  return Number(BigInt.asIntN(32, v));
}

const EAI_BADFLAGS: [number, string] = [-1, "Bad value for ai_flags"];
const EAI_NONAME: [number, string] = [-2, "Name or service not known"];
const EAI_FAMILY: [number, string] = [-6, "ai_family not supported"];
const EAI_SOCKTYPE: [number, string] = [-7, "ai_socktype not supported"];
const EAI_SERVICE: [number, string] = [-8, "Servname not supported for ai_socktype"];
const EAI_ADDRFAMILY: [number, string] = [-9, "Address family for hostname not supported"];

function gai([errno, text]: [number, string]): gaierror {
  return new gaierror(errno, text);
}

/** Every flag glibc knows (with the AI_IDN ones); others are `EAI_BADFLAGS`. */
const AI_KNOWN = 0x7ff;

interface TypeProto {
  type: number;
  proto: number;
  /** Any protocol goes with this type, and it has no ports (SOCK_RAW). */
  raw: boolean;
  /** Listed when neither type nor protocol is asked for. */
  byDefault: boolean;
  /** The protocol's name in /etc/services. */
  name: string;
}

/** glibc's `gaih_inet_typeproto` on Linux: the socket types and protocols it pairs. */
const TYPEPROTO: TypeProto[] = [
  { type: SOCK_STREAM, proto: IPPROTO_TCP, raw: false, byDefault: true, name: "tcp" },
  { type: SOCK_DGRAM, proto: IPPROTO_UDP, raw: false, byDefault: true, name: "udp" },
  { type: 6 /* SOCK_DCCP */, proto: 33, raw: false, byDefault: false, name: "dccp" },
  { type: SOCK_DGRAM, proto: 136 /* UDPLITE */, raw: false, byDefault: false, name: "udplite" },
  { type: SOCK_STREAM, proto: 132 /* SCTP */, raw: false, byDefault: false, name: "sctp" },
  { type: 5 /* SOCK_SEQPACKET */, proto: 132, raw: false, byDefault: false, name: "sctp" },
  { type: SOCK_RAW, proto: 0, raw: true, byDefault: true, name: "raw" },
];

/** One `[type, proto, port]` that every address is listed with. */
type ServTuple = [number, number, number];

/** glibc's choice of socket types, protocols and port for a service (or -7/-8 gaierrors). */
function servTuples(
  service: string | null,
  type: number,
  proto: number,
  flags: number,
): ServTuple[] {
  // getaddrinfo() reads a numeric service before gaih_inet() looks at the type and protocol.
  let num: number | null = null;
  if (service !== null && service !== "") {
    num = numericService(service);
    if (num === null && (flags & AI_NUMERICSERV) !== 0) throw gai(EAI_NONAME);
  }
  let tp: TypeProto | null = null;
  if (type !== 0 || proto !== 0) {
    tp =
      TYPEPROTO.find(
        (e) => (type === 0 || type === e.type) && (proto === 0 || e.raw || proto === e.proto),
      ) ?? null;
    if (tp === null) throw gai(type !== 0 ? EAI_SOCKTYPE : EAI_SERVICE);
  }
  const protoOf = (e: TypeProto): number => (e.raw ? proto : e.proto);
  let port = 0;
  // An empty service is no service (port 0); "0" is a service.
  if (service !== null && service !== "") {
    if (tp?.raw) throw gai(EAI_SERVICE);
    if (num === null || num < 0) {
      // A service name, from /etc/services: for the one protocol asked for, or for each.
      const out: ServTuple[] = [];
      for (const e of tp !== null ? [tp] : TYPEPROTO.filter((e) => !e.raw)) {
        const p = servicePort(service, e.name);
        if (p !== undefined) out.push([e.type, protoOf(e), p]);
      }
      if (out.length === 0) throw gai(EAI_SERVICE);
      return out;
    }
    port = num & 0xffff;
  }
  if (tp !== null) return [[tp.type, protoOf(tp), port]];
  return TYPEPROTO.filter((e) => e.byDefault).map((e) => [e.type, e.proto, port]);
}

/**
 * glibc's `inet_aton` taking the whole string: one to four parts, each decimal, octal (`0…`) or
 * hex (`0x…`), the last filling the bytes left (`127.1` is 127.0.0.1). Dotted-quad text or null.
 */
function inetAton(host: string): string | null {
  const parts = host.split(".");
  if (parts.length > 4) return null;
  const vals: number[] = [];
  for (const part of parts) {
    const m = /^(?:0[xX]([0-9a-fA-F]*)|(0[0-7]*)|([1-9]\d*))$/.exec(part);
    if (m === null) return null;
    const v =
      m[1] !== undefined
        ? m[1] === ""
          ? 0
          : Number.parseInt(m[1], 16)
        : m[2] !== undefined
          ? Number.parseInt(m[2], 8)
          : Number(m[3]);
    // strtoul: "0x" alone is 0 followed by "x", which ends the number: not an address.
    if (m[1] === "" || !(v <= 0xffffffff)) return null;
    vals.push(v);
  }
  const last = vals.pop()!;
  if (vals.some((v) => v > 0xff) || last >= 2 ** (8 * (4 - vals.length))) return null;
  let n = last;
  for (let i = 0; i < vals.length; i++) n += vals[i]! * 2 ** (8 * (3 - i));
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join(".");
}

/** `inet_pton(AF_INET6, text)`: the eight 16-bit words, or null. */
function inetPton6(text: string): number[] | null {
  if (text.includes("%") || isIP(text) !== 6) return null;
  let s = text;
  const tail = s.slice(s.lastIndexOf(":") + 1);
  if (tail.includes(".")) {
    const b = tail.split(".").map(Number);
    const hi = ((b[0]! << 8) | b[1]!).toString(16);
    const lo = ((b[2]! << 8) | b[3]!).toString(16);
    s = `${s.slice(0, s.length - tail.length)}${hi}:${lo}`;
  }
  const halves = s.split("::");
  const words = (h: string | undefined): number[] =>
    h === undefined || h === "" ? [] : h.split(":").map((w) => Number.parseInt(w, 16));
  const head = words(halves[0]);
  const rest = words(halves[1]);
  return [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
}

/** glibc's `inet_ntop(AF_INET6, ...)`: the longest run of zeros as `::`, embedded IPv4 kept. */
function inetNtop6(w: number[]): string {
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      cur = cur.base === -1 ? { base: i, len: 1 } : { base: cur.base, len: cur.len + 1 };
      if (cur.len > best.len) best = cur;
    } else {
      cur = { base: -1, len: 0 };
    }
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && w[5] === 0xffff))) {
      out += `${w[6]! >> 8}.${w[6]! & 0xff}.${w[7]! >> 8}.${w[7]! & 0xff}`;
      return out;
    }
    out += w[i]!.toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ":";
  return out;
}

/** The index of a network interface (`if_nametoindex`), from Linux's /sys/class/net; 0 if none. */
function ifNameToIndex(name: string): number {
  if (name === "" || name === "." || name === ".." || name.includes("/")) return 0;
  try {
    const n = Number(readFileSync(`/sys/class/net/${name}/ifindex`, "latin1").trim());
    return Number.isInteger(n) ? n : 0;
  } catch {
    return 0;
  }
}

/** The name of a network interface (`if_indextoname`), from Linux's /sys/class/net; null if none. */
function ifIndexToName(index: number): string | null {
  try {
    for (const name of readdirSync("/sys/class/net"))
      if (ifNameToIndex(name) === index) return name;
  } catch {
    // No /sys: no names.
  }
  return null;
}

/**
 * glibc's `__inet6_scopeid_pton`: the scope id after `%`, an interface name for a link-local
 * address, else a decimal number up to 2**32-1; null if it is neither.
 */
function scopeId(w: number[], scope: string): number | null {
  const w0 = w[0]!;
  if ((w0 & 0xffc0) === 0xfe80 || (w0 & 0xff0f) === 0xff01 || (w0 & 0xff0f) === 0xff02) {
    const index = ifNameToIndex(scope);
    if (index !== 0) return index;
  }
  if (!/^\d+$/.test(scope)) return null;
  const n = Number(scope);
  return n <= 0xffffffff ? n : null;
}

interface Resolved {
  family: number;
  address: string;
  scopeId: number;
}

/** A numeric host as glibc reads it (IPv4 in inet_aton's forms, IPv6 with a scope), or null. */
function numericHost(host: string, family: number, flags: number): Resolved[] | null {
  const v4 = inetAton(host);
  if (v4 !== null) {
    if (family === AF_UNSPEC || family === AF_INET) {
      return [{ family: AF_INET, address: v4, scopeId: 0 }];
    }
    if ((flags & AI_V4MAPPED) !== 0)
      return [{ family: AF_INET6, address: `::ffff:${v4}`, scopeId: 0 }];
    throw gai(EAI_ADDRFAMILY);
  }
  const pct = host.indexOf("%");
  const w = inetPton6(pct < 0 ? host : host.slice(0, pct));
  if (w === null) return null;
  let out: Resolved;
  if (family === AF_UNSPEC || family === AF_INET6) {
    out = { family: AF_INET6, address: inetNtop6(w), scopeId: 0 };
  } else if (w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff) {
    out = {
      family: AF_INET,
      address: `${w[6]! >> 8}.${w[6]! & 0xff}.${w[7]! >> 8}.${w[7]! & 0xff}`,
      scopeId: 0,
    };
  } else {
    throw gai(EAI_ADDRFAMILY);
  }
  if (pct >= 0) {
    const id = scopeId(w, host.slice(pct + 1));
    if (id === null) throw gai(EAI_NONAME);
    out.scopeId = id;
  }
  return [out];
}

/**
 * Python's `socket.getaddrinfo(host, port, family, type, proto, flags)` on Linux, as
 * `loop.getaddrinfo` runs it: the argument conversions and errors of CPython, then glibc's rules.
 */
function* getaddrinfoImpl(
  loop: AbstractEventLoop,
  host: unknown,
  port: unknown,
  options: GetaddrinfoOptions,
): Coroutine<AddrInfo[]> {
  const family = cInt(options.family === undefined ? AF_UNSPEC : options.family);
  const type = cInt(options.type === undefined ? 0 : options.type);
  const proto = cInt(options.proto === undefined ? 0 : options.proto);
  const flags = cInt(options.flags === undefined ? 0 : options.flags);
  const name = hostArg(host);
  const service = serviceArg(port);
  if (name === null && service === null) throw gai(EAI_NONAME);
  if ((flags & ~AI_KNOWN) !== 0) throw gai(EAI_BADFLAGS);
  if ((flags & AI_CANONNAME) !== 0 && name === null) throw gai(EAI_BADFLAGS);
  if (family !== AF_UNSPEC && family !== AF_INET && family !== AF_INET6) throw gai(EAI_FAMILY);
  const tuples = servTuples(service, type, proto, flags);
  let addrs: Resolved[];
  if (name === null) {
    const passive = (flags & AI_PASSIVE) !== 0;
    const v4 = { family: AF_INET, address: passive ? "0.0.0.0" : "127.0.0.1", scopeId: 0 };
    const v6 = { family: AF_INET6, address: passive ? "::" : "::1", scopeId: 0 };
    addrs = family === AF_INET ? [v4] : family === AF_INET6 ? [v6] : passive ? [v4, v6] : [v6, v4];
  } else {
    const numeric = numericHost(name, family, flags);
    if (numeric !== null) {
      addrs = numeric;
    } else {
      if ((flags & AI_NUMERICHOST) !== 0 || name === "") throw gai(EAI_NONAME);
      const found = yield* lookupAll(loop, name, family, flags);
      addrs = found.map((a) => {
        // A link-local address from the hosts file may come back with its scope: `fe80::1%eth0`.
        const pct = a.address.indexOf("%");
        const w = pct < 0 ? null : inetPton6(a.address.slice(0, pct));
        return w === null
          ? { family: a.family === 6 ? AF_INET6 : AF_INET, address: a.address, scopeId: 0 }
          : {
              family: AF_INET6,
              address: inetNtop6(w),
              scopeId: scopeId(w, a.address.slice(pct + 1)) ?? 0,
            };
      });
    }
  }
  const out: AddrInfo[] = [];
  for (const a of addrs) {
    for (const [t, p, portNumber] of tuples) {
      const addr: Address =
        a.family === AF_INET6 ? [a.address, portNumber, 0, a.scopeId] : [a.address, portNumber];
      // glibc names the first entry only: the host as given (a host name's canonical name from
      // the resolver is not something dns.lookup reports).
      const canon = out.length === 0 && (flags & AI_CANONNAME) !== 0 ? (name ?? "") : "";
      out.push([a.family, t, p, canon, addr]);
    }
  }
  return out;
}

/**
 * Python's `int(port)` in asyncio's `_ipaddr_info`: an int as is, a float truncated, a bool 0/1,
 * a str in Python's integer syntax; null where `int()` raises TypeError or ValueError.
 */
function pyIntPort(port: unknown): number | null {
  if (typeof port === "boolean") return Number(port);
  if (typeof port === "number") {
    if (Number.isNaN(port)) return null;
    if (!Number.isFinite(port)) throw new OverflowError("cannot convert float infinity to integer");
    return Math.trunc(port);
  }
  if (typeof port === "bigint") return Number(port);
  if (typeof port === "string" && /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(port)) {
    return Number(port.replace(/[\s_]/g, ""));
  }
  return null;
}

/**
 * asyncio's `_ipaddr_info`: for a numeric host with a stream or datagram type, the one entry
 * `create_connection` and friends use without calling getaddrinfo (the port unchecked, the host
 * as given); null when getaddrinfo has to be asked.
 */
function ipaddrInfo(
  host: unknown,
  port: unknown,
  family: unknown,
  type: unknown,
  proto: unknown,
): AddrInfo | null {
  if ((proto !== 0 && proto !== IPPROTO_TCP && proto !== IPPROTO_UDP) || typeof host !== "string") {
    return null;
  }
  if (type !== SOCK_STREAM && type !== SOCK_DGRAM) return null;
  let p: number | null;
  if (port === null || port === undefined || port === "") p = 0;
  else if (port instanceof Uint8Array && port.length === 0) p = 0;
  else p = pyIntPort(port);
  if (p === null || host.includes("%")) return null;
  const pr = type === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
  const v = isIP(host);
  if (v === 4 && (family === AF_UNSPEC || family === AF_INET))
    return [AF_INET, type, pr, "", [host, p]];
  if (v === 6 && (family === AF_UNSPEC || family === AF_INET6)) {
    return [AF_INET6, type, pr, "", [host, p, 0, 0]];
  }
  return null;
}

/**
 * @internal asyncio's `_ensure_resolved`, which `create_connection`, `create_server` and
 * `create_datagram_endpoint` resolve addresses with: a numeric host as is (`_ipaddr_info`),
 * anything else through `getaddrinfo`. `host` null is the wildcard or the loopback.
 */
export function* getaddrinfoGen(
  loop: AbstractEventLoop,
  host: string | null | undefined,
  port: number | string | null | undefined,
  options: GetaddrinfoOptions = {},
): Coroutine<AddrInfo[]> {
  const opts: GetaddrinfoOptions = {
    family: options.family ?? AF_UNSPEC,
    type: options.type ?? SOCK_STREAM,
    proto: options.proto ?? 0,
    flags: options.flags ?? 0,
  };
  const info = ipaddrInfo(host, port, opts.family, opts.type, opts.proto);
  if (info !== null) return [info];
  // A loop subclass's getaddrinfo() is asked, as CPython awaits loop.getaddrinfo().
  if (!defaultGetaddrinfo.has(loop.getaddrinfo)) {
    const host2 = host === undefined ? null : host;
    const port2 = port === undefined ? null : port;
    return yield* _awaitOverride<AddrInfo[]>(loop.getaddrinfo(host2, port2, opts));
  }
  return yield* getaddrinfoLogged(loop, host, port, opts);
}

/** @internal The loops' own getaddrinfo methods (see getaddrinfoGen). */
export const defaultGetaddrinfo = new WeakSet<(...args: never[]) => unknown>();

/**
 * Resolves `host`/`port` to a list of `[family, type, proto, canonname, sockaddr]` (Python's
 * `loop.getaddrinfo`, which is glibc's getaddrinfo(3)): numeric hosts, services from
 * `/etc/services` and socket types as glibc gives them, host names through Node's `dns.lookup`.
 * Errors are CPython's: `socket.gaierror` (`[Errno -2] Name or service not known`, `-8` for an
 * unknown service, ...), `TypeError` for a host that is not a string, `OSError` for a port that
 * is neither an int nor a string.
 */
export const getaddrinfo = awaitable(function* getaddrinfo(
  loop: AbstractEventLoop,
  host: string | null | undefined,
  port: number | string | null | undefined,
  options: GetaddrinfoOptions = {},
): Coroutine<AddrInfo[]> {
  return yield* getaddrinfoLogged(loop, host, port, options);
}, "BaseEventLoop.getaddrinfo");

/** getaddrinfoImpl, with CPython's `_getaddrinfo_debug` logs in debug mode. */
function* getaddrinfoLogged(
  loop: AbstractEventLoop,
  host: unknown,
  port: unknown,
  options: GetaddrinfoOptions,
): Coroutine<AddrInfo[]> {
  if (!loop.getDebug()) return yield* getaddrinfoImpl(loop, host, port, options);
  // What is asked, then how long it took and what came back.
  const what = [`${pyStr(host ?? null)}:${pyRepr(port ?? null)}`];
  // As asyncio's own callers pass them: family, type and flags as socket's enum members.
  const shown: Record<string, (v: number) => string> = {
    family: familyRepr,
    type: kindRepr,
    proto: pyRepr,
    flags: aiFlagsRepr,
  };
  for (const key of ["family", "type", "proto", "flags"] as const) {
    const v = options[key];
    if (pyTruthy(v)) what.push(`${key}=${typeof v === "number" ? shown[key]!(v) : pyRepr(v)}`);
  }
  const msg = what.join(", ");
  logger.debug(`Get address info ${msg}`);
  const t0 = loop.time();
  const infos = yield* getaddrinfoImpl(loop, host, port, options);
  const dt = loop.time() - t0;
  const result = `[${infos.map(addrinfoRepr).join(", ")}]`;
  const done = `Getting address info ${msg} took ${(dt * 1e3).toFixed(3)}ms: ${result}`;
  if (dt >= loop.slowCallbackDuration) logger.info(done);
  else logger.debug(done);
  return infos;
}

/** `repr(socket.AddressFamily(n))` for the families Node knows; other numbers as they are. */
function familyRepr(family: number): string {
  const name = { [AF_UNIX]: "AF_UNIX", [AF_INET]: "AF_INET", [AF_INET6]: "AF_INET6" }[family];
  return name === undefined ? String(family) : `<AddressFamily.${name}: ${family}>`;
}

/** `repr(socket.SocketKind(n))`. */
function kindRepr(type: number): string {
  const name = { [SOCK_STREAM]: "SOCK_STREAM", [SOCK_DGRAM]: "SOCK_DGRAM", [SOCK_RAW]: "SOCK_RAW" }[
    type
  ];
  return name === undefined ? String(type) : `<SocketKind.${name}: ${type}>`;
}

const AI_NAMES: [number, string][] = [
  [AI_PASSIVE, "AI_PASSIVE"],
  [AI_CANONNAME, "AI_CANONNAME"],
  [AI_NUMERICHOST, "AI_NUMERICHOST"],
  [AI_V4MAPPED, "AI_V4MAPPED"],
  [AI_ALL, "AI_ALL"],
  [AI_ADDRCONFIG, "AI_ADDRCONFIG"],
  [AI_NUMERICSERV, "AI_NUMERICSERV"],
];

/** `repr(socket.AddressInfo(n))`, an IntFlag: `<AddressInfo.AI_PASSIVE|AI_CANONNAME: 3>`. */
function aiFlagsRepr(flags: number): string {
  if (!Number.isInteger(flags) || flags < 0) return pyRepr(flags);
  const parts: string[] = [];
  let rest = flags;
  for (const [bit, name] of AI_NAMES) {
    if ((rest & bit) !== 0) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) parts.push(String(rest));
  return `<AddressInfo.${parts.join("|")}: ${flags}>`;
}

/** An entry as `socket.getaddrinfo` gives it, family and type as their enum members. */
function addrinfoRepr([family, type, proto, canon, addr]: AddrInfo): string {
  const a = typeof addr === "string" ? pyRepr(addr) : `(${addr.map((x) => pyRepr(x)).join(", ")})`;
  return `(${familyRepr(family)}, ${kindRepr(type)}, ${proto}, ${pyRepr(canon)}, ${a})`;
}

// ---- getnameinfo ----

/** `/etc/services`: `port/proto` → first name, and `name/proto` → port (names and aliases). */
let services: { names: Map<string, string>; ports: Map<string, number> } | null = null;

function servicesDb(): { names: Map<string, string>; ports: Map<string, number> } {
  if (services === null) {
    const names = new Map<string, string>();
    const ports = new Map<string, number>();
    let text = "";
    try {
      text = readFileSync("/etc/services", "latin1");
    } catch {
      // No services database: every service is shown by number, as glibc does then.
    }
    for (const line of text.split("\n")) {
      const m = /^([^\s#]+)\s+(\d+)\/(\w+)([^#]*)/.exec(line);
      if (m === null) continue;
      const [, name, port, proto, aliases] = m as unknown as [
        string,
        string,
        string,
        string,
        string,
      ];
      if (!names.has(`${port}/${proto}`)) names.set(`${port}/${proto}`, name);
      for (const n of [name, ...aliases.split(/\s+/).filter((a) => a !== "")]) {
        if (!ports.has(`${n}/${proto}`)) ports.set(`${n}/${proto}`, Number(port));
      }
    }
    services = { names, ports };
  }
  return services;
}

function serviceName(port: number, proto: "tcp" | "udp"): string {
  return servicesDb().names.get(`${port}/${proto}`) ?? String(port);
}

/** getservbyname(3): the port of a service name (or alias) for a protocol, from /etc/services. */
function servicePort(name: string, proto: string): number | undefined {
  return servicesDb().ports.get(`${name}/${proto}`);
}

/** Python's "'float' object cannot be interpreted as an integer" for a non-integer. */
function checkInt(v: unknown): number {
  if (typeof v === "boolean") return Number(v);
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new TypeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
  }
  return v;
}

/** The host name of `address` (Node's `dns.lookupService`), or null if it has none. */
function reverseLookup(loop: AbstractEventLoop, address: string): Future<string | null> {
  const fut = _newFuture<string | null>(loop);
  _outsideTasks(() =>
    lookupService(address, 0, (err, hostname) => {
      if (fut.done() || loop.isClosed()) return;
      if (err === null) fut.setResult(hostname);
      else if ((err as { code?: string }).code === "ENOTFOUND") fut.setResult(null);
      else fut._setExceptionUnchecked(fromNodeError(err));
    }),
  );
  return fut;
}

/**
 * @internal Python's `socket.getnameinfo(sockaddr, flags)` as the loop runs it: `[host, service]`.
 * The host must be numeric; names come from the resolver (`dns.lookupService`), services from
 * `/etc/services`.
 */
export function* getnameinfoGen(
  loop: AbstractEventLoop,
  sockaddr: Address,
  flags: number = 0,
): Coroutine<[string, string]> {
  flags = checkInt(flags);
  if (!Array.isArray(sockaddr)) throw new TypeError("getnameinfo() argument 1 must be a tuple");
  const [host, rawPort, flowinfo = 0, scopeId = 0] = sockaddr as unknown[];
  if (sockaddr.length < 2 || sockaddr.length > 4 || typeof host !== "string") {
    throw new TypeError("getnameinfo(): illegal sockaddr argument");
  }
  let port = checkInt(rawPort);
  // Read as C unsigned ints ("I": masked to 32 bits), flowinfo then range-checked.
  const flow = checkInt(flowinfo) >>> 0;
  const scope = checkInt(scopeId) >>> 0;
  if (flow > 0xfffff) throw new OverflowError("getnameinfo(): flowinfo must be 0-1048575.");
  // CPython resolves the host with AI_NUMERICHOST: inet_aton's forms (`127.1`), a checked
  // `%zone`, and the address as glibc prints it.
  const resolved = numericHost(host, AF_UNSPEC, 0);
  if (resolved === null) throw new gaierror(-2, "Name or service not known");
  if (port < 0) throw new gaierror(-8, "Servname not supported for ai_socktype");
  port &= 0xffff; // getaddrinfo(3) keeps the low 16 bits of the service number
  const address = resolved[0]!.address;
  const v6 = resolved[0]!.family === AF_INET6;
  if (!v6 && sockaddr.length !== 2) throw new OSError("IPv4 sockaddr must be 2 tuple");
  let name: string | null = null;
  if ((flags & NI_NUMERICHOST) === 0) {
    name = yield* reverseLookup(loop, address);
    if (name !== null && (flags & NI_NOFQDN) !== 0 && isIP(name) === 0) name = name.split(".")[0]!;
  }
  if (name === null) {
    if ((flags & NI_NAMEREQD) !== 0) throw new gaierror(-2, "Name or service not known");
    // The sockaddr's scope id (it replaces a `%zone` of the host, as in CPython); glibc names
    // the interface of a link-local unicast or multicast address.
    let zone: string | null = null;
    if (v6 && scope !== 0) {
      const w0 = inetPton6(address)![0]!;
      const linkLocal = (w0 & 0xffc0) === 0xfe80 || (w0 & 0xff0f) === 0xff02;
      zone = (linkLocal ? ifIndexToName(scope) : null) ?? String(scope);
    }
    name = zone === null ? address : `${address}%${zone}`;
  }
  const service =
    (flags & NI_NUMERICSERV) !== 0
      ? String(port)
      : serviceName(port, (flags & NI_DGRAM) !== 0 ? "udp" : "tcp");
  return [name, service];
}

/**
 * The host and service names of a numeric address (Python's `loop.getnameinfo`):
 * `[host, service]`, with the `NI_*` flags of Python's socket module.
 */
export const getnameinfo = awaitable(getnameinfoGen, "BaseEventLoop.getnameinfo");

libraryClasses(TransportSocket);
