/**
 * Shared by the TLS twins (241, 242, 244): a self-signed certificate for localhost/127.0.0.1
 * made by openssl in a scratch folder (test/conformance.test.ts skips the twins that import
 * this where openssl is missing), the contexts made from it, and error text without the
 * `(_ssl.c:NNN)` tail CPython adds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as asyncio from "../src/index.ts";
import { makeSelfSignedCert } from "../test/fixtures/certs.ts";
import { print } from "./_py.ts";

const { ssl } = asyncio;
const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-tls-"));

export const [CERT, KEY] = makeSelfSignedCert(
  dir,
  "server",
  "localhost",
  "DNS:localhost,IP:127.0.0.1",
);

/** Removes the scratch folder (at the end of a twin; again at exit, for a twin that failed). */
export function removeCerts(): void {
  rmSync(dir, { recursive: true, force: true });
}
process.on("exit", removeCerts);

export function msg(e: unknown): string {
  return String((e as Error).message).replace(/ \(_ssl\.c:\d+\)$/, "");
}

export function show(label: string, e: unknown): void {
  print(label, (e as Error).name, msg(e));
}

export function serverCtx(): asyncio.ssl.SSLContext {
  const c = ssl.createDefaultContext(ssl.Purpose.CLIENT_AUTH);
  c.loadCertChain(CERT, KEY);
  return c;
}

export function clientCtx(): asyncio.ssl.SSLContext {
  return ssl.createDefaultContext(ssl.Purpose.SERVER_AUTH, { cafile: CERT });
}

export function portOf(server: asyncio.Server): number {
  return (server.sockets[0].getsockname() as [string, number])[1];
}
