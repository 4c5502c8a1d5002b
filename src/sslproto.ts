/**
 * TLS for the socket transports (the job of Python's `asyncio.sslproto`): the handshake over a
 * connected Node socket, as client or server, with Python's timeouts and errors, and the extra
 * information a TLS transport reports. Internal module: see `loop.createConnection({ ssl })`,
 * `loop.createServer({ ssl })` and `loop.startTls`.
 *
 * Node's `tls.TLSSocket` does the protocol work; once the handshake is done, the ordinary socket
 * transport runs over the TLS socket, so flow control and the callback order are the same.
 */

import type * as net from "node:net";
import { isIP } from "node:net";
import * as tls from "node:tls";
import { _ioTimeout, type AbstractEventLoop } from "./events.ts";
import { ValueError } from "./exceptions.ts";
import { compareError, isPyNumber, pyFloatRepr, pyRepr } from "./format.ts";
import { Future } from "./futures.ts";
import { logger } from "./log.ts";
import { ConnectionAbortedError, ConnectionResetError, fromNodeError } from "./os_errors.ts";
import {
  CERT_NONE,
  CERT_REQUIRED,
  fromTlsError,
  PROTOCOL_TLS_CLIENT,
  PROTOCOL_TLS_SERVER,
  type SSLContext,
  SSLError,
} from "./ssl.ts";
import { _outsideTasks } from "./tasks.ts";

/** Python's `constants.SSL_HANDSHAKE_TIMEOUT`. */
export const SSL_HANDSHAKE_TIMEOUT = 60.0;
/** Python's `constants.SSL_SHUTDOWN_TIMEOUT`. */
export const SSL_SHUTDOWN_TIMEOUT = 30.0;

/** A handshake or shutdown timeout, checked as SSLProtocol does. */
function checkTimeout(
  value: number | null | undefined,
  what: "ssl_handshake_timeout" | "ssl_shutdown_timeout",
): number {
  if (value === null || value === undefined) {
    return what === "ssl_handshake_timeout" ? SSL_HANDSHAKE_TIMEOUT : SSL_SHUTDOWN_TIMEOUT;
  }
  if (!isPyNumber(value)) throw compareError("<=", value, 0);
  // Python's test is `<= 0`: NaN passes it.
  if (value <= 0) throw new ValueError(`${what} should be a positive number, got ${value}`);
  return value;
}

/**
 * @internal Both timeouts, checked before any handshake as SSLProtocol's constructor does;
 * returns the handshake timeout.
 */
export function checkTlsTimeouts(
  handshake: number | null | undefined,
  shutdown: number | null | undefined,
): number {
  const handshakeTimeout = checkTimeout(handshake, "ssl_handshake_timeout");
  checkTimeout(shutdown, "ssl_shutdown_timeout");
  return handshakeTimeout;
}

export interface HandshakeOptions {
  serverSide: boolean;
  serverHostname?: string | null;
  handshakeTimeout: number;
}

/** Marks a socket's first error until a transport takes it over. */
export const EARLY_ERROR: unique symbol = Symbol("asyncio-ts.earlyError");

/** @internal Keeps the first error a socket reports before its transport exists. */
export function captureEarlyErrors(sock: net.Socket): void {
  const s = sock as net.Socket & { [EARLY_ERROR]?: unknown };
  if (s.listenerCount("error") === 0) {
    sock.on("error", (e: unknown) => {
      if (s[EARLY_ERROR] === undefined) s[EARLY_ERROR] = e;
    });
  }
}

/**
 * @internal OpenSSL's refusal of a context made for the other side, raised by Python's
 * `wrap_bio` when SSLProtocol is created (before anything touches the connection):
 * `SSLError(0, 'Cannot create a server socket with a PROTOCOL_TLS_CLIENT context')`.
 */
export function checkContextSide(ctx: SSLContext, serverSide: boolean): void {
  if (serverSide && ctx.protocol === PROTOCOL_TLS_CLIENT) {
    throw new SSLError(0, "Cannot create a server socket with a PROTOCOL_TLS_CLIENT context");
  }
  if (!serverSide && ctx.protocol === PROTOCOL_TLS_SERVER) {
    throw new SSLError(0, "Cannot create a client socket with a PROTOCOL_TLS_SERVER context");
  }
}

const SSL_PROTOCOL_REPR = "<asyncio.sslproto.SSLProtocol object>";

/**
 * @internal Runs the TLS handshake over the connected socket `raw`. The future gets the
 * `TLSSocket` when it is done, or Python's SSL error (the socket is then destroyed);
 * `ConnectionAbortedError` after `handshakeTimeout` seconds. Cancelling the future aborts.
 */
export function tlsHandshake(
  loop: AbstractEventLoop,
  raw: net.Socket,
  ctx: SSLContext,
  options: HandshakeOptions,
): Future<tls.TLSSocket> {
  const fut = new Future<tls.TLSSocket>({ loop });
  const { serverSide, handshakeTimeout } = options;
  const serverHostname = options.serverHostname ?? null;
  let tsock: tls.TLSSocket | null = null;
  const fail = (err: unknown) => {
    if (fut.done()) return;
    timer.cancel();
    tsock?.destroy();
    raw.destroy();
    if (!loop.isClosed()) {
      fut._setExceptionUnchecked(fromTlsError(fromNodeError(err), serverHostname));
    }
  };
  const reset = () => fail(new ConnectionResetError());
  // CPython's SSLProtocol logs the handshake in debug mode (its repr is object's default).
  const debug = loop.getDebug();
  const t0 = debug ? loop.time() : 0;
  if (debug) logger.debug(`${SSL_PROTOCOL_REPR} starts SSL handshake`);
  const ok = () => {
    tsock?.off("end", reset);
    tsock?.off("close", reset);
    if (fut.done() || loop.isClosed()) return;
    timer.cancel();
    if (debug) {
      logger.debug(
        `${SSL_PROTOCOL_REPR}: SSL handshake took ${((loop.time() - t0) * 1e3).toFixed(1)} ms`,
      );
    }
    fut.setResult(tsock!);
  };
  // The default is Python's float 60.0; a given timeout shows as given (JavaScript cannot tell a
  // given 60 from 60.0).
  const shownTimeout =
    handshakeTimeout === SSL_HANDSHAKE_TIMEOUT
      ? pyFloatRepr(handshakeTimeout)
      : pyRepr(handshakeTimeout);
  const timer = _ioTimeout(loop, handshakeTimeout, () =>
    fail(
      new ConnectionAbortedError(
        `SSL handshake is taking longer than ${shownTimeout} seconds: aborting the connection`,
      ),
    ),
  );
  fut.addDoneCallback((f) => {
    if (f.cancelled()) {
      timer.cancel();
      tsock?.destroy();
      raw.destroy();
    }
  });
  _outsideTasks(() => {
    try {
      checkContextSide(ctx, serverSide);
      const secureContext = ctx._secureContext();
      const alpn = ctx._alpn ?? undefined;
      if (serverSide) {
        tsock = new tls.TLSSocket(raw, {
          isServer: true,
          secureContext,
          requestCert: ctx.verifyMode !== CERT_NONE,
          rejectUnauthorized: ctx.verifyMode === CERT_REQUIRED,
          ...(alpn !== undefined ? { ALPNProtocols: alpn } : {}),
        });
        const server = tsock;
        // Only a tls.Server enforces rejectUnauthorized: a bare TLSSocket must check the
        // client's certificate itself, as OpenSSL does for Python (CERT_OPTIONAL: a certificate
        // given must verify; CERT_REQUIRED: one must also be given).
        tsock.once("secure", () => {
          const err = peerVerifyError(server, ctx.verifyMode);
          if (err !== null) fail(err);
          else ok();
        });
      } else {
        const sni = serverHostname !== null && serverHostname !== "" && isIP(serverHostname) === 0;
        const checkName = ctx.checkHostname && serverHostname !== null && serverHostname !== "";
        tsock = tls.connect({
          socket: raw,
          secureContext,
          rejectUnauthorized: ctx.verifyMode !== CERT_NONE,
          ...(sni ? { servername: serverHostname } : {}),
          ...(checkName ? { host: serverHostname } : {}),
          checkServerIdentity: checkName ? checkIdentity : () => undefined,
          ...(alpn !== undefined ? { ALPNProtocols: alpn } : {}),
          ...ctx.nodeOptions,
        });
        tsock.once("secureConnect", ok);
      }
      tsock.on("error", fail);
      // The peer going away mid-handshake without a TLS error (a client that rejected our
      // certificate just closes): CPython's SSLProtocol fails the handshake with a bare
      // ConnectionResetError (Node's server-side TLSSocket would otherwise wait for the timeout).
      tsock.once("end", reset);
      tsock.once("close", reset);
      tsock.unref?.();
    } catch (e) {
      fail(e);
    }
  });
  return fut;
}

/**
 * Node's host name check, except that a name with a trailing dot (`localhost.`) does not match:
 * Node strips the dot, OpenSSL (and so Python) does not.
 */
function checkIdentity(host: string, cert: tls.PeerCertificate): Error | undefined {
  if (host.endsWith(".")) {
    return Object.assign(new Error(`Hostname/IP does not match certificate's altnames`), {
      code: "ERR_TLS_CERT_ALTNAME_INVALID",
      host,
    });
  }
  return tls.checkServerIdentity(host, cert);
}

/** The client certificate's verification error a server must fail the handshake with, or null. */
function peerVerifyError(tsock: tls.TLSSocket, verifyMode: number): Error | null {
  if (verifyMode === CERT_NONE) return null;
  const cert = tsock.getPeerCertificate();
  const given = cert !== null && Object.keys(cert).length > 0;
  if (!given) {
    return verifyMode === CERT_REQUIRED
      ? Object.assign(new Error("peer did not return a certificate"), {
          code: "ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE",
          library: "SSL routines",
          reason: "PEER_DID_NOT_RETURN_A_CERTIFICATE",
        })
      : null;
  }
  const handle = (tsock as unknown as { _handle?: { verifyError?: () => Error | null } })._handle;
  return handle?.verifyError?.() ?? null;
}

/** @internal Removes the handshake's listeners; early errors are kept for the transport. */
export function handOver(tsock: tls.TLSSocket): void {
  tsock.removeAllListeners("error");
  tsock.removeAllListeners("secure");
  tsock.removeAllListeners("secureConnect");
  captureEarlyErrors(tsock);
}

function cipherBits(name: string): number | null {
  // The cipher's key size: AES128-GCM-SHA256 is 128 (the SHA256 is its MAC).
  const aes = /AES[_-]?(\d+)/.exec(name);
  if (aes !== null) return Number(aes[1]);
  if (/CHACHA20/.test(name)) return 256;
  if (/128/.test(name)) return 128;
  if (/3DES/.test(name)) return 168;
  return null;
}

/**
 * @internal The extra info of a TLS transport: `sslcontext`, `peercert` (Node's
 * `getPeerCertificate()` object; null without a certificate; `{}` for a certificate a
 * `CERT_NONE` context did not verify, as Python's `getpeercert()`), `cipher`
 * (`[name, version, bits]`), `compression` (null) and `ssl_object` (the `TLSSocket`).
 */
export function sslExtra(tsock: tls.TLSSocket, ctx: SSLContext): Record<string, unknown> {
  const cert = tsock.getPeerCertificate();
  const c = tsock.getCipher();
  const given = cert !== null && cert !== undefined && Object.keys(cert).length > 0;
  return {
    sslcontext: ctx,
    peercert: !given ? null : ctx.verifyMode === CERT_NONE ? {} : cert,
    cipher: c === undefined || c === null ? null : [c.name, c.version, cipherBits(c.name)],
    compression: null,
    ssl_object: tsock,
  };
}
