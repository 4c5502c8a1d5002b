/**
 * The parts of Python's `socket` module that asyncio's networking API shows: address-family and
 * socket-type constants, `TransportSocket` (what `server.sockets` and
 * `transport.getExtraInfo("socket")` return), and `loop.getaddrinfo`.
 *
 * Exported as the `socket` namespace: `asyncio.socket.AF_INET`.
 */

import type * as dgram from "node:dgram";
import { lookup as dnsLookup, type LookupAddress, lookupService } from "node:dns";
import { readFileSync } from "node:fs";
import type * as net from "node:net";
import { isIP } from "node:net";
import { awaitable, type Coroutine } from "./coroutines.ts";
import type { AbstractEventLoop } from "./events.ts";
import { OverflowError } from "./exceptions.ts";
import { customRepr, pyRepr, pyTypeName } from "./format.ts";
import { Future } from "./futures.ts";
import { fromNodeError, gaierror, OSError } from "./os_errors.ts";
import type { Address } from "./protocols.ts";
import { _outsideTasks } from "./tasks.ts";

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

/**
 * A read-only view of a transport's or server's socket (Python's `asyncio.TransportSocket`):
 * `family`, `type`, `proto`, `fileno()`, `getsockname()`, `getpeername()`.
 */
export class TransportSocket {
  /** @internal */ readonly _sock: net.Socket | net.Server | dgram.Socket;
  /** @internal */ readonly _sockname: Address | null;
  /** @internal */ readonly _peername: Address | null;
  readonly family: number;
  readonly type: number;
  readonly proto: number;

  /** @internal */
  constructor(
    sock: net.Socket | net.Server | dgram.Socket,
    family: number,
    type: number,
    sockname: Address | null,
    peername: Address | null,
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
    const h = (this._sock as unknown as { _handle?: { fd?: number } | null })._handle;
    return typeof h?.fd === "number" ? h.fd : -1;
  }

  /** The local address: `[host, port]` (IPv6: `[host, port, flowinfo, scopeId]`) or a path. */
  getsockname(): Address {
    if (this._sockname === null) throw fromNodeError(Object.assign(new Error(), { code: "EBADF" }));
    return this._sockname;
  }

  /** The peer address; `OSError` (ENOTCONN) for a listening socket. */
  getpeername(): Address {
    if (this._peername === null) {
      throw fromNodeError(Object.assign(new Error(), { code: "ENOTCONN" }));
    }
    return this._peername;
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
function strAddr(a: Address): string {
  return typeof a === "string" ? a : reprAddr(a);
}

/** Python's repr of an address: `('127.0.0.1', 8888)` or `'/tmp/sock'`. */
export function reprAddr(a: Address): string {
  if (typeof a === "string") return pyRepr(a);
  return `(${a.map((x) => pyRepr(x)).join(", ")})`;
}

export interface GetaddrinfoOptions {
  family?: number;
  type?: number;
  proto?: number;
  flags?: number;
}

function familyOfIp(host: string): number {
  return isIP(host) === 6 ? AF_INET6 : AF_INET;
}

/** @internal Resolves host names with Node's `dns.lookup` (getaddrinfo(3), as Python does). */
export function lookupAll(
  loop: AbstractEventLoop,
  host: string,
  family: number,
): Future<LookupAddress[]> {
  const fut = new Future<LookupAddress[]>({ loop });
  const fam = family === AF_INET ? 4 : family === AF_INET6 ? 6 : 0;
  _outsideTasks(() =>
    dnsLookup(host, { all: true, family: fam }, (err, addresses) => {
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

function parsePort(port: number | string | null | undefined): number {
  if (port === null || port === undefined) return 0;
  // socket.getaddrinfo takes an int or a str only (not a float, not a bool).
  if (typeof port !== "string" && (typeof port !== "number" || !Number.isInteger(port))) {
    throw new OSError("Int or String expected");
  }
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  throw new gaierror(-8, "Servname not supported for ai_socktype");
}

/** @internal Python's `getaddrinfo` on the loop; `host` null is the wildcard or the loopback. */
export function* getaddrinfoGen(
  loop: AbstractEventLoop,
  host: string | null | undefined,
  port: number | string | null | undefined,
  options: GetaddrinfoOptions = {},
): Coroutine<AddrInfo[]> {
  const family = options.family ?? AF_UNSPEC;
  const type = options.type ?? 0;
  const proto = options.proto ?? 0;
  const flags = options.flags ?? 0;
  const p = parsePort(port);
  let addrs: { address: string; family: number }[];
  if (host === null || host === undefined || host === "") {
    const passive = (flags & AI_PASSIVE) !== 0;
    const v4 = { address: passive ? "0.0.0.0" : "127.0.0.1", family: AF_INET };
    const v6 = { address: passive ? "::" : "::1", family: AF_INET6 };
    addrs = family === AF_INET ? [v4] : family === AF_INET6 ? [v6] : passive ? [v4, v6] : [v6, v4];
  } else if (isIP(host) !== 0) {
    const f = familyOfIp(host);
    if (family !== AF_UNSPEC && family !== f) {
      throw new gaierror(-9, "Address family for hostname not supported");
    }
    addrs = [{ address: host, family: f }];
  } else {
    if ((flags & AI_NUMERICHOST) !== 0) throw new gaierror(-2, "Name or service not known");
    const found = yield* lookupAll(loop, host, family);
    addrs = found.map((a) => ({ address: a.address, family: a.family === 6 ? AF_INET6 : AF_INET }));
  }
  const types = type !== 0 ? [type] : [SOCK_STREAM, SOCK_DGRAM, SOCK_RAW];
  const out: AddrInfo[] = [];
  for (const a of addrs) {
    for (const t of types) {
      out.push([
        a.family,
        t,
        proto !== 0 ? proto : protoFor(t),
        "",
        sockaddr(a.address, p, a.family),
      ]);
    }
  }
  return out;
}

/**
 * Resolves `host`/`port` to a list of `[family, type, proto, canonname, sockaddr]` (Python's
 * `loop.getaddrinfo`), through Node's `dns.lookup`. A name that cannot be resolved raises
 * `socket.gaierror` (`[Errno -2] Name or service not known`).
 */
export const getaddrinfo = awaitable(getaddrinfoGen);

// ---- getnameinfo ----

/** `/etc/services` as `port/proto` → first name, read at the first reverse look-up. */
let services: Map<string, string> | null = null;

function serviceName(port: number, proto: "tcp" | "udp"): string {
  if (services === null) {
    services = new Map();
    let text = "";
    try {
      text = readFileSync("/etc/services", "latin1");
    } catch {
      // No services database: every service is shown by number, as glibc does then.
    }
    for (const line of text.split("\n")) {
      const m = /^([^\s#]+)\s+(\d+\/\w+)/.exec(line);
      if (m !== null && !services.has(m[2]!)) services.set(m[2]!, m[1]!);
    }
  }
  return services.get(`${port}/${proto}`) ?? String(port);
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
  const fut = new Future<string | null>({ loop });
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
  checkInt(flowinfo);
  const scope = checkInt(scopeId);
  if (isIP(host) === 0) throw new gaierror(-2, "Name or service not known");
  if (port < 0) throw new gaierror(-8, "Servname not supported for ai_socktype");
  port &= 0xffff; // getaddrinfo(3) keeps the low 16 bits of the service number
  const v6 = isIP(host) === 6;
  if (!v6 && sockaddr.length !== 2) throw new OSError("IPv4 sockaddr must be 2 tuple");
  let name: string | null = null;
  if ((flags & NI_NUMERICHOST) === 0) {
    name = yield* reverseLookup(loop, host);
    if (name !== null && (flags & NI_NOFQDN) !== 0 && isIP(name) === 0) name = name.split(".")[0]!;
  }
  if (name === null) {
    if ((flags & NI_NAMEREQD) !== 0) throw new gaierror(-2, "Name or service not known");
    name = v6 && scope !== 0 ? `${host}%${scope}` : host;
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
export const getnameinfo = awaitable(getnameinfoGen);
