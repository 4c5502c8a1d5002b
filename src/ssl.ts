/**
 * The parts of Python's `ssl` module that asyncio's TLS support takes: `SSLContext`,
 * `createDefaultContext()`, the `CERT_*` and `PROTOCOL_*` constants, `Purpose`, and the errors
 * (`SSLError`, `SSLCertVerificationError`). Built on Node's `tls`.
 *
 * Exported as the `ssl` namespace: `asyncio.ssl.createDefaultContext()`.
 *
 * As in Python, a client context from `createDefaultContext()` verifies the server's certificate
 * against the system's trusted roots (Node's bundled ones) and checks the host name; a server
 * context (`Purpose.CLIENT_AUTH`) does not ask for client certificates unless `verifyMode` says so.
 */
import { readdirSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import * as tls from "node:tls";
import { fileURLToPath } from "node:url";
import { _alsoValueError, ValueError } from "./exceptions.ts";
import { customRepr, libraryClasses, pyRepr } from "./format.ts";
import { makeOSError, OSError } from "./os_errors.ts";

export const CERT_NONE = 0;
export const CERT_OPTIONAL = 1;
export const CERT_REQUIRED = 2;
export const PROTOCOL_TLS_CLIENT = 16;
export const PROTOCOL_TLS_SERVER = 17;

/** Python's `ssl.Purpose`: what the context authenticates. */
export const Purpose = {
  /** A client context: verify servers. */
  SERVER_AUTH: "SERVER_AUTH",
  /** A server context: (optionally) verify clients. */
  CLIENT_AUTH: "CLIENT_AUTH",
} as const;
export type Purpose = (typeof Purpose)[keyof typeof Purpose];

/** Python's `ssl.TLSVersion` (the names Node's `minVersion`/`maxVersion` take). */
export const TLSVersion = {
  TLSv1: "TLSv1",
  TLSv1_1: "TLSv1.1",
  TLSv1_2: "TLSv1.2",
  TLSv1_3: "TLSv1.3",
} as const;
export type TLSVersion = (typeof TLSVersion)[keyof typeof TLSVersion];

/**
 * Python's `ssl.SSLError` (an OSError): `str()` is the OpenSSL reason,
 * `[SSL: WRONG_VERSION_NUMBER] wrong version number`. `reason` and `library` as in Python.
 */
export class SSLError extends OSError {
  reason: string | null = null;
  library: string | null = null;
  constructor(...args: unknown[]) {
    super(...args);
    if (args.length >= 2 && typeof args[1] === "string") this.message = args[1];
  }
}

/**
 * Python's `ssl.SSLCertVerificationError` (also `ssl.CertificateError`): the peer's certificate
 * did not verify. `verifyCode` and `verifyMessage` are OpenSSL's.
 */
export class SSLCertVerificationError extends SSLError {
  verifyCode: number | null = null;
  verifyMessage: string | null = null;
}

// Python: class SSLCertVerificationError(SSLError, ValueError).
_alsoValueError(SSLCertVerificationError);

/** Python's alias. */
export const CertificateError = SSLCertVerificationError;

/** OpenSSL's X509_V_ERR numbers for Node's verification error codes. */
const VERIFY_CODES: Record<string, number> = {
  UNABLE_TO_GET_ISSUER_CERT: 2,
  UNABLE_TO_GET_CRL: 3,
  CERT_SIGNATURE_FAILURE: 7,
  CERT_NOT_YET_VALID: 9,
  CERT_HAS_EXPIRED: 10,
  ERROR_IN_CERT_NOT_BEFORE_FIELD: 13,
  ERROR_IN_CERT_NOT_AFTER_FIELD: 14,
  DEPTH_ZERO_SELF_SIGNED_CERT: 18,
  SELF_SIGNED_CERT_IN_CHAIN: 19,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 20,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 21,
  CERT_CHAIN_TOO_LONG: 22,
  CERT_REVOKED: 23,
  INVALID_CA: 24,
  PATH_LENGTH_EXCEEDED: 25,
  INVALID_PURPOSE: 26,
  CERT_UNTRUSTED: 27,
  CERT_REJECTED: 28,
  HOSTNAME_MISMATCH: 62,
};

function ssl(reason: string, text: string, cls: typeof SSLError = SSLError): SSLError {
  return openSslError("SSL", reason, text, cls);
}

/** @internal Python's SSL exception for a Node TLS error (others are returned unchanged). */
export function fromTlsError(err: unknown, serverHostname?: string | null): unknown {
  if (!(err instanceof Error) || err instanceof OSError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== "string") return err;
  let e: SSLError | null = null;
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    const host = serverHostname ?? (err as { host?: string }).host ?? "";
    const what = isIP(host) !== 0 ? "IP address mismatch" : "Hostname mismatch";
    const msg = `${what}, certificate is not valid for '${host}'.`;
    e = ssl(
      "CERTIFICATE_VERIFY_FAILED",
      `certificate verify failed: ${msg}`,
      SSLCertVerificationError,
    );
    // OpenSSL's X509_V_ERR_IP_ADDRESS_MISMATCH (64) or X509_V_ERR_HOSTNAME_MISMATCH (62).
    (e as SSLCertVerificationError).verifyCode = isIP(host) !== 0 ? 64 : 62;
    (e as SSLCertVerificationError).verifyMessage = msg;
  } else if (code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE") {
    // Node reports the last verification error of the chain, OpenSSL (and Python) the first:
    // a leaf whose issuer is not trusted is "unable to get local issuer certificate" (20).
    const msg = "unable to get local issuer certificate";
    e = ssl(
      "CERTIFICATE_VERIFY_FAILED",
      `certificate verify failed: ${msg}`,
      SSLCertVerificationError,
    );
    (e as SSLCertVerificationError).verifyCode = 20;
    (e as SSLCertVerificationError).verifyMessage = msg;
  } else if (VERIFY_CODES[code] !== undefined) {
    // OpenSSL's text; Node 24 adds a hint after it ("; if the root CA is installed locally, try
    // running Node.js with --use-system-ca"), which no OpenSSL verify message has.
    const msg = err.message.split("; ")[0]!;
    e = ssl(
      "CERTIFICATE_VERIFY_FAILED",
      `certificate verify failed: ${msg}`,
      SSLCertVerificationError,
    );
    (e as SSLCertVerificationError).verifyCode = VERIFY_CODES[code]!;
    (e as SSLCertVerificationError).verifyMessage = msg;
  } else if (code.startsWith("ERR_SSL_")) {
    const reason = code.slice("ERR_SSL_".length);
    const text = (err as { reason?: string }).reason ?? reason.toLowerCase().replace(/_/g, " ");
    e = ssl(reason, text);
  }
  if (e === null) return err;
  (e as { cause?: unknown }).cause = err;
  return e;
}

/** A file path as Python's path-likes: a string, a `file:` URL, or bytes. */
type PathLike = string | URL | Uint8Array;

function isPathLike(x: unknown): x is PathLike {
  return typeof x === "string" || x instanceof URL || x instanceof Uint8Array;
}

function pathText(p: PathLike): string {
  return typeof p === "string"
    ? p
    : p instanceof URL
      ? fileURLToPath(p)
      : Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString();
}

/** A PEM file's text; Python's FileNotFoundError (and others) when it cannot be read. */
function readPem(path: PathLike): string {
  try {
    return readFileSync(pathText(path), "latin1");
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw code !== undefined ? makeOSError(code) : e;
  }
}

/** An SSLError as OpenSSL's errors read in Python: `[X509: KEY_VALUES_MISMATCH] key values mismatch`. */
function openSslError(
  library: string,
  reason: string,
  text: string,
  cls: typeof SSLError = SSLError,
): SSLError {
  const e = new cls(1, `[${library}: ${reason}] ${text}`);
  e.reason = reason;
  e.library = library;
  return e;
}

/** Runs an OpenSSL call of Node's, turning its error into Python's SSLError. */
function opensslCheck(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    const code = (e as { code?: string }).code ?? "";
    const m = /^ERR_OSSL_(X509|PEM|SSL|EVP|ASN1)_(\w+)$/.exec(code);
    const text = (e as Error).message.split("::").pop()!;
    if (m !== null) throw openSslError(m[1]!, m[2]!, text);
    // A key or certificate OpenSSL cannot decode: Python's SSL_CTX_use_* failure.
    const pemLib = new SSLError(1, "[SSL] PEM lib");
    pemLib.library = "SSL";
    throw pemLib;
  }
}

export interface LoadVerifyLocationsOptions {
  /** A PEM file of trusted CA certificates. */
  cafile?: PathLike | null;
  /** A directory of PEM files (each `*.pem` / `*.crt` in it is loaded). */
  capath?: PathLike | null;
  /** PEM text (or DER bytes) of trusted CA certificates. */
  cadata?: string | Uint8Array | null;
}

/**
 * Python's `ssl.SSLContext`: the TLS settings for `ssl=` of `openConnection`, `startServer`,
 * `loop.createConnection`, `createServer` and `startTls`.
 */
export class SSLContext {
  readonly protocol: number;
  /** @internal */ _checkHostname: boolean;
  /** @internal */ _verifyMode: number;
  /** @internal */ _ca: (string | Buffer)[] | null = null;
  /** @internal */ _cert: (string | Buffer)[] = [];
  /** @internal */ _key: (string | Buffer)[] = [];
  /** @internal */ _passphrase: string | undefined = undefined;
  /** @internal */ _alpn: string[] | null = null;
  /** @internal */ _ciphers: string | undefined = undefined;
  /** @internal */ _secure: tls.SecureContext | null = null;
  /** The lowest TLS version allowed (Python's `minimum_version`). */
  minimumVersion: TLSVersion | null = null;
  /** The highest TLS version allowed (Python's `maximum_version`). */
  maximumVersion: TLSVersion | null = null;
  /** Extra options merged into Node's `tls.createSecureContext` / `tls.connect` (Node only). */
  nodeOptions: tls.SecureContextOptions & tls.CommonConnectionOptions = {};

  /** `PROTOCOL_TLS_CLIENT` (default: verifies the server) or `PROTOCOL_TLS_SERVER`. */
  constructor(protocol: number = PROTOCOL_TLS_CLIENT) {
    if (protocol !== PROTOCOL_TLS_CLIENT && protocol !== PROTOCOL_TLS_SERVER) {
      throw new ValueError(`invalid or unsupported protocol version ${pyRepr(protocol)}`);
    }
    this.protocol = protocol;
    const client = protocol === PROTOCOL_TLS_CLIENT;
    this._checkHostname = client;
    this._verifyMode = client ? CERT_REQUIRED : CERT_NONE;
  }

  /** Whether the peer's host name must match its certificate (client side). */
  get checkHostname(): boolean {
    return this._checkHostname;
  }
  set checkHostname(value: boolean) {
    this._checkHostname = Boolean(value);
    if (value && this._verifyMode === CERT_NONE) this._verifyMode = CERT_REQUIRED;
  }

  /** `CERT_NONE`, `CERT_OPTIONAL` or `CERT_REQUIRED`. */
  get verifyMode(): number {
    return this._verifyMode;
  }
  set verifyMode(value: number) {
    if (value !== CERT_NONE && value !== CERT_OPTIONAL && value !== CERT_REQUIRED) {
      throw new ValueError("invalid value for verify_mode");
    }
    if (value === CERT_NONE && this._checkHostname) {
      throw new ValueError("Cannot set verify_mode to CERT_NONE when check_hostname is enabled.");
    }
    this._verifyMode = value;
  }

  /** Loads this side's certificate chain and private key (PEM files). */
  loadCertChain(certfile: string, keyfile?: string | null, password?: string | null): void {
    const cert = readPem(certfile);
    const key = keyfile === undefined || keyfile === null ? cert : readPem(keyfile);
    const passphrase = password === undefined || password === null ? undefined : password;
    // Checked now, as OpenSSL checks them in Python (a key that does not match the certificate).
    opensslCheck(() => tls.createSecureContext({ cert, key, passphrase }));
    this._cert.push(cert);
    this._key.push(key);
    if (passphrase !== undefined) this._passphrase = passphrase;
    this._secure = null;
  }

  /**
   * Trusts the CA certificates in `cafile`, `capath` and/or `cadata`: given as options, or
   * positionally as Python's `load_verify_locations(cafile=None, capath=None, cadata=None)`.
   */
  loadVerifyLocations(options: LoadVerifyLocationsOptions): void;
  loadVerifyLocations(
    cafile?: PathLike | null,
    capath?: PathLike | null,
    cadata?: string | Uint8Array | null,
  ): void;
  loadVerifyLocations(
    first?: LoadVerifyLocationsOptions | PathLike | null,
    capathArg?: PathLike | null,
    cadataArg?: string | Uint8Array | null,
    ...more: unknown[]
  ): void {
    if (more.length > 0) {
      throw new TypeError(
        `load_verify_locations() takes at most 3 arguments (${3 + more.length} given)`,
      );
    }
    const { cafile, capath, cadata } =
      typeof first === "object" && first !== null && !isPathLike(first)
        ? first
        : { cafile: first, capath: capathArg, cadata: cadataArg };
    const given = (x: unknown) => x !== undefined && x !== null;
    if (!given(cafile) && !given(capath) && !given(cadata)) {
      throw new TypeError("cafile, capath and cadata cannot be all omitted");
    }
    if (given(cafile) && !isPathLike(cafile)) {
      throw new TypeError("cafile should be a valid filesystem path");
    }
    if (given(capath) && !isPathLike(capath)) {
      throw new TypeError("capath should be a valid filesystem path");
    }
    if (given(cadata) && typeof cadata !== "string" && !ArrayBuffer.isView(cadata)) {
      throw new TypeError("cadata should be an ASCII string or a bytes-like object");
    }
    const ca = this._ca ?? [];
    if (given(cafile)) {
      const pem = readPem(cafile as PathLike);
      if (!/-----BEGIN (TRUSTED |X509 )?CERTIFICATE-----|-----BEGIN X509 CRL-----/.test(pem)) {
        throw openSslError("X509", "NO_CERTIFICATE_OR_CRL_FOUND", "no certificate or crl found");
      }
      ca.push(pem);
    }
    if (given(capath)) {
      // OpenSSL looks in the directory when it verifies: one it cannot read holds nothing.
      const dir = pathText(capath as PathLike);
      let names: string[] = [];
      try {
        names = readdirSync(dir, "utf8");
      } catch {}
      for (const f of names) {
        if (/\.(pem|crt)$|^[0-9a-f]{8}\.\d+$/.test(f)) ca.push(readFileSync(join(dir, f)));
      }
    }
    if (given(cadata)) {
      const data = cadata as string | ArrayBufferView;
      if ((typeof data === "string" ? data.length : data.byteLength) === 0) {
        throw new ValueError("Empty certificate data");
      }
      if (typeof data === "string" && !data.includes("-----BEGIN CERTIFICATE-----")) {
        throw new SSLError("no start line: cadata does not contain a certificate");
      }
      ca.push(
        typeof data === "string"
          ? data
          : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
      );
    }
    this._ca = ca;
    this._secure = null;
  }

  /** Trusts the default root certificates (Node's bundled CA store). */
  loadDefaultCerts(_purpose: Purpose = Purpose.SERVER_AUTH): void {
    this._ca = [...(this._ca ?? []), ...tls.rootCertificates];
    this._secure = null;
  }

  /** The protocols offered in ALPN, in order of preference. */
  setAlpnProtocols(protocols: Iterable<string>): void {
    this._alpn = [...protocols];
  }

  /** OpenSSL cipher list for TLS 1.2 and below. */
  setCiphers(ciphers: string): void {
    try {
      tls.createSecureContext({ ciphers });
    } catch {
      throw new SSLError("No cipher can be selected.");
    }
    this._ciphers = ciphers;
    this._secure = null;
  }

  /** @internal The Node secure context for these settings. */
  _secureContext(): tls.SecureContext {
    if (this._secure === null) {
      this._secure = tls.createSecureContext({
        ...(this._ca !== null ? { ca: this._ca } : { ca: [] }),
        ...(this._cert.length > 0 ? { cert: this._cert, key: this._key } : {}),
        ...(this._passphrase !== undefined ? { passphrase: this._passphrase } : {}),
        ...(this._ciphers !== undefined ? { ciphers: this._ciphers } : {}),
        ...(this.minimumVersion !== null ? { minVersion: this.minimumVersion } : {}),
        ...(this.maximumVersion !== null ? { maxVersion: this.maximumVersion } : {}),
        ...this.nodeOptions,
      });
    }
    return this._secure;
  }

  [customRepr](): string {
    return "<ssl.SSLContext object>";
  }

  toString(): string {
    return this[customRepr]();
  }
}

export interface CreateDefaultContextOptions {
  cafile?: string | null;
  capath?: string | null;
  cadata?: string | Uint8Array | null;
}

/**
 * Python's `ssl.create_default_context()`: for `Purpose.SERVER_AUTH` (the default) a client
 * context that verifies certificates and host names, trusting `cafile`/`capath`/`cadata` if
 * given, else the default roots; for `Purpose.CLIENT_AUTH` a server context.
 */
export function createDefaultContext(
  purpose: Purpose = Purpose.SERVER_AUTH,
  options: CreateDefaultContextOptions = {},
): SSLContext {
  const ctx = new SSLContext(
    purpose === Purpose.SERVER_AUTH ? PROTOCOL_TLS_CLIENT : PROTOCOL_TLS_SERVER,
  );
  const { cafile, capath, cadata } = options;
  if (
    (cafile !== undefined && cafile !== null) ||
    (capath !== undefined && capath !== null) ||
    (cadata !== undefined && cadata !== null)
  ) {
    ctx.loadVerifyLocations({ cafile, capath, cadata });
  } else if (ctx.verifyMode !== CERT_NONE) {
    ctx.loadDefaultCerts(purpose);
  }
  return ctx;
}

libraryClasses(SSLContext);
