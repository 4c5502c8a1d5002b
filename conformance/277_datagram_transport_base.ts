/** Twin of 277_datagram_transport_base.py. */
// biome-ignore-all lint/suspicious/noExplicitAny: a scenario twin, written as loosely as the Python it mirrors

import * as asyncio from "../src/index.ts";
import { attemptArgs as attempt, print, repr, pyTuple as T } from "./_py.ts";

const B = (s: string) => Buffer.from(s, "latin1");

asyncio.logger.addHandler((r) => print("log", r.levelname, r.message));
await asyncio.run(async () => {
  const loop = asyncio.getRunningLoop();
  const ctxs: any[] = [];
  loop.setExceptionHandler((_l: any, c: any) => {
    ctxs.push(c);
  });
  class D extends asyncio.DatagramProtocol {
    log: string[] = [];
    lost = loop.createFuture<void>();
    override datagramReceived(d: Buffer) {
      this.log.push(`dgram ${repr(d)}`);
    }
    override errorReceived(e: any) {
      this.log.push(`error ${repr(e)}`);
    }
    override connectionLost(exc: any) {
      this.log.push(`lost ${repr(exc)}`);
      this.lost.setResult(undefined);
    }
  }
  const [st0, sp] = await loop.createDatagramEndpoint(() => new D(), {
    localAddr: ["127.0.0.1", 0],
  });
  const st: any = st0;
  const addr = st.getExtraInfo("sockname");
  const [t0, p] = await loop.createDatagramEndpoint(() => new D(), { remoteAddr: addr });
  const t: any = t0;
  print(
    "isinstance:",
    t instanceof asyncio.DatagramTransport,
    t instanceof asyncio.Transport,
    t instanceof asyncio.ReadTransport,
    t instanceof asyncio.WriteTransport,
    t instanceof asyncio.BaseTransport,
  );
  attempt("is_reading()", () => t.isReading());
  attempt("st.pause_reading()", () => st.pauseReading());
  attempt("st.is_reading()", () => st.isReading());
  attempt("st.pause_reading() again", () => st.pauseReading());
  attempt("write(b'x')", () => t.write(B("x")));
  attempt("writelines([b'x'])", () => t.writelines([B("x")]));
  attempt("write_eof()", () => t.writeEof());
  attempt("can_write_eof()", () => t.canWriteEof());
  print(`get_write_buffer_limits(): returned ${T(t.getWriteBufferLimits())}`);
  attempt("set_write_buffer_limits(high=10)", () => t.setWriteBufferLimits(10));
  print(`get_write_buffer_limits(): returned ${T(t.getWriteBufferLimits())}`);
  attempt("set_write_buffer_limits(high=1, low=5)", () => t.setWriteBufferLimits(1, 5));
  attempt("get_write_buffer_size()", () => t.getWriteBufferSize());
  attempt("sendto(b'one')", () => t.sendto(B("one")));
  attempt("sendto(bytearray(b'two'))", () => t.sendto(new Uint8Array(B("two"))));
  attempt("sendto(memoryview(b'three'))", () => t.sendto(B("three").subarray(0)));
  attempt("sendto(b'')", () => t.sendto(B("")));
  attempt("sendto('s')", () => t.sendto("s"));
  attempt("sendto(None)", () => t.sendto(null));
  attempt("sendto(5)", () => t.sendto(5));
  await asyncio.sleep(0.05);
  print("paused server got:", sp.log);
  attempt("st.resume_reading()", () => st.resumeReading());
  attempt("st.is_reading()", () => st.isReading());
  await asyncio.sleep(0.05);
  print("resumed server got:", sp.log);
  t.close();
  attempt("closed: is_reading()", () => t.isReading());
  attempt("closed: is_closing()", () => t.isClosing());
  attempt("closed: sendto(b'x')", () => t.sendto(B("x")));
  attempt("closed: pause_reading()", () => t.pauseReading());
  attempt("closed: resume_reading()", () => t.resumeReading());
  await p.lost;
  for (let i = 0; i < 6; i++) attempt(`lost: sendto #${i}`, () => t.sendto(B("x")));
  attempt("lost: abort()", () => t.abort());
  attempt("lost: get_protocol()", () => t.getProtocol());
  print("client log:", p.log);
  st.abort();
  attempt("aborted: sendto(b'x', addr)", () => st.sendto(B("x"), addr));
  await sp.lost;
  print("server log:", sp.log);
  print(
    "ctxs:",
    ctxs.map((x) => x.message),
  );
});
