/**
 * loop.getaddrinfo's arguments as CPython 3.13 on glibc treats them (conformance 254 has the
 * whole table, recorded from CPython): argument types, ports and service names, the socket types
 * a protocol selects, family/type errors, host None and "", canonical names, scoped IPv6.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pyStr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";

const { socket } = asyncio;
const { AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW } = socket;

/** What `loop.getaddrinfo(...)` gives: the entries, or `Name: message` of its error. */
async function gai(host: unknown, port: unknown, options: object = {}): Promise<unknown> {
  const loop = asyncio.getRunningLoop();
  try {
    return await loop.getaddrinfo(host as never, port as never, options);
  } catch (e) {
    return `${(e as Error).name}: ${pyStr(e)}`;
  }
}

test("getaddrinfo: a host that is not a string, type/family/flags that are not ints", async () => {
  await asyncio.run(async () => {
    const notStr = "TypeError: getaddrinfo() argument 1 must be string or None";
    assert.equal(await gai(123, 80), notStr);
    assert.equal(await gai(["127.0.0.1"], 80), notStr);
    assert.equal(await gai("127.0.0.1", [80]), "OSError: Int or String expected");
    assert.equal(await gai("127.0.0.1", true), "OSError: Int or String expected");
    assert.equal(
      await gai("127.0.0.1", 80, { type: "x" }),
      "TypeError: 'str' object cannot be interpreted as an integer",
    );
    // The integer arguments are converted first, the host next, the port last.
    assert.equal(
      await gai(123, [80], { flags: 1.5 }),
      "TypeError: 'float' object cannot be interpreted as an integer",
    );
    assert.equal(
      await gai("127.0.0.1", 80, { family: 2 ** 31 }),
      "OverflowError: signed integer is greater than maximum",
    );
    assert.equal(
      await gai("a..b", 80),
      "UnicodeEncodeError: 'idna' codec can't encode character '\\x2e' in position 2: label empty",
    );
  });
});

test("getaddrinfo: ports wrap to 16 bits as strtoul reads them; services from /etc/services", async () => {
  await asyncio.run(async () => {
    const port = async (p: unknown, options: object = { type: SOCK_STREAM }) => {
      const r = await gai("127.0.0.1", p, options);
      return typeof r === "string"
        ? r
        : (r as [number, number, number, string, unknown[]][]).map((e) => [e[1], e[2], e[4][1]]);
    };
    const eai8 = "gaierror: [Errno -8] Servname not supported for ai_socktype";
    assert.deepEqual(await port(70000), [[SOCK_STREAM, 6, 4464]]);
    assert.deepEqual(await port(65536), [[SOCK_STREAM, 6, 0]]);
    assert.deepEqual(await port(2 ** 40), [[SOCK_STREAM, 6, 0]]);
    assert.equal(await port(-1), eai8);
    assert.equal(await port(2 ** 31), eai8);
    assert.deepEqual(await port(""), [[SOCK_STREAM, 6, 0]]);
    assert.deepEqual(await port(" 80"), [[SOCK_STREAM, 6, 80]]);
    assert.deepEqual(await port("+80"), [[SOCK_STREAM, 6, 80]]);
    assert.equal(await port("80 "), eai8);
    assert.equal(await port("0x50"), eai8);
    assert.deepEqual(await port("http", {}), [[SOCK_STREAM, 6, 80]]);
    assert.deepEqual(await port("www", {}), [[SOCK_STREAM, 6, 80]]);
    assert.deepEqual(await port("domain", {}), [
      [SOCK_STREAM, 6, 53],
      [SOCK_DGRAM, 17, 53],
    ]);
    assert.equal(await port("http", { type: SOCK_DGRAM }), eai8);
    assert.equal(await port("nosuchservice", {}), eai8);
    assert.equal(
      await port("http", { flags: socket.AI_NUMERICSERV }),
      "gaierror: [Errno -2] Name or service not known",
    );
    // SOCK_RAW takes no service, not even "0"; an empty one is none.
    assert.equal(await port(80, { type: SOCK_RAW }), eai8);
    assert.equal(await port(0, { type: SOCK_RAW }), eai8);
    assert.deepEqual(await port("", { type: SOCK_RAW }), [[SOCK_RAW, 0, 0]]);
    assert.deepEqual(await port(null, { type: SOCK_RAW }), [[SOCK_RAW, 0, 0]]);
  });
});

test("getaddrinfo: a protocol picks its socket type; unknown families and types", async () => {
  await asyncio.run(async () => {
    const types = async (options: object, port: unknown = 80) => {
      const r = await gai("127.0.0.1", port, options);
      return typeof r === "string" ? r : (r as [number, number, number][]).map((e) => [e[1], e[2]]);
    };
    assert.deepEqual(await types({}), [
      [SOCK_STREAM, 6],
      [SOCK_DGRAM, 17],
      [SOCK_RAW, 0],
    ]);
    assert.deepEqual(await types({ proto: 6 }), [[SOCK_STREAM, 6]]);
    assert.deepEqual(await types({ proto: 17 }), [[SOCK_DGRAM, 17]]);
    assert.deepEqual(await types({ proto: 255 }, null), [[SOCK_RAW, 255]]);
    const eai7 = "gaierror: [Errno -7] ai_socktype not supported";
    assert.equal(await types({ type: SOCK_DGRAM, proto: 6 }), eai7);
    assert.equal(await types({ type: 999 }), eai7);
    const eai6 = "gaierror: [Errno -6] ai_family not supported";
    assert.equal(await types({ family: 999 }), eai6);
    assert.equal(await types({ family: socket.AF_UNIX }), eai6);
    assert.equal(await types({ flags: 0x800 }), "gaierror: [Errno -1] Bad value for ai_flags");
  });
});

test("getaddrinfo: host None and '', canonical names, IPv6 scopes and glibc's numeric forms", async () => {
  await asyncio.run(async () => {
    const eai2 = "gaierror: [Errno -2] Name or service not known";
    assert.equal(await gai(null, null), eai2);
    assert.equal(await gai("", 80), eai2);
    assert.deepEqual(await gai(null, 80, { type: SOCK_STREAM }), [
      [AF_INET6, SOCK_STREAM, 6, "", ["::1", 80, 0, 0]],
      [AF_INET, SOCK_STREAM, 6, "", ["127.0.0.1", 80]],
    ]);
    assert.deepEqual(await gai("127.0.0.1", 80, { flags: socket.AI_CANONNAME }), [
      [AF_INET, SOCK_STREAM, 6, "127.0.0.1", ["127.0.0.1", 80]],
      [AF_INET, SOCK_DGRAM, 17, "", ["127.0.0.1", 80]],
      [AF_INET, SOCK_RAW, 0, "", ["127.0.0.1", 80]],
    ]);
    assert.equal(
      await gai(null, 80, { flags: socket.AI_CANONNAME }),
      "gaierror: [Errno -1] Bad value for ai_flags",
    );
    assert.deepEqual(await gai("fe80::1%1", 80, { type: SOCK_STREAM }), [
      [AF_INET6, SOCK_STREAM, 6, "", ["fe80::1", 80, 0, 1]],
    ]);
    assert.equal(await gai("::1%lo", 80, { type: SOCK_STREAM }), eai2);
    assert.deepEqual(await gai("0:0::1", 80, { type: SOCK_STREAM }), [
      [AF_INET6, SOCK_STREAM, 6, "", ["::1", 80, 0, 0]],
    ]);
    assert.deepEqual(await gai("127.1", 80, { type: SOCK_STREAM, flags: socket.AI_NUMERICHOST }), [
      [AF_INET, SOCK_STREAM, 6, "", ["127.0.0.1", 80]],
    ]);
    assert.deepEqual(
      await gai("127.0.0.1", 80, {
        type: SOCK_STREAM,
        family: AF_INET6,
        flags: socket.AI_V4MAPPED,
      }),
      [[AF_INET6, SOCK_STREAM, 6, "", ["::ffff:127.0.0.1", 80, 0, 0]]],
    );
    assert.deepEqual(await gai("::ffff:127.0.0.1", 80, { type: SOCK_STREAM, family: AF_INET }), [
      [AF_INET, SOCK_STREAM, 6, "", ["127.0.0.1", 80]],
    ]);
  });
});

test("create_connection keeps asyncio's _ipaddr_info for numeric hosts: the port unwrapped", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    // getaddrinfo would wrap 70000 to 4464; asyncio skips it for a numeric host, and connect()
    // refuses the port.
    await assert.rejects(
      async () => {
        await loop.createConnection(() => new asyncio.Protocol(), "127.0.0.1", 70000);
      },
      (e) => e instanceof asyncio.OverflowError,
    );
    await assert.rejects(
      async () => {
        await loop.createServer(() => new asyncio.Protocol(), "", null);
      },
      (e) => e instanceof socket.gaierror && (e as asyncio.OSError).errno === -2,
    );
  });
});

test("TransportSocket: timeouts and blocking as CPython's (0 only, non-blocking only), not inheritable", async () => {
  await asyncio.run(async () => {
    const loop = asyncio.getRunningLoop();
    const server = await loop.createServer(() => new asyncio.Protocol(), "127.0.0.1", 0);
    try {
      const sock = server.sockets[0]!;
      assert.equal(sock.gettimeout(), 0);
      sock.settimeout(0);
      sock.setblocking(false);
      assert.throws(() => sock.settimeout(1), {
        name: "ValueError",
        message: "settimeout(): only 0 timeout is allowed on transport sockets",
      });
      assert.throws(() => sock.setblocking(true), {
        name: "ValueError",
        message: "setblocking(): transport sockets cannot be blocking",
      });
      assert.equal(sock.getInheritable(), false);
    } finally {
      server.close();
      await server.waitClosed();
    }
  });
});
