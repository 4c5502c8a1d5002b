/** Twin of 279_writelines_default.py. */
// biome-ignore-all lint/suspicious/noExplicitAny: a scenario twin, written as loosely as the Python it mirrors

import * as asyncio from "../src/index.ts";
import { attemptArgs as attempt, print, repr } from "./_py.ts";

const B = (s: string) => Buffer.from(s, "latin1");

class Rec extends asyncio.WriteTransport {
  calls: string[] = [];
  constructor() {
    super({ k: "v" });
  }
  override write(data: Uint8Array): void {
    this.calls.push(`('bytes', ${repr(Buffer.from(data))})`);
  }
}
class RecT extends asyncio.Transport {
  calls: string[] = [];
  constructor(extra?: any) {
    super(extra);
  }
  override write(data: Uint8Array): void {
    this.calls.push(`('bytes', ${repr(Buffer.from(data))})`);
  }
}
for (const cls of [Rec, RecT]) {
  const r: any = new (cls as any)();
  print(cls.name, "extra k:", r.getExtraInfo("k"));
  attempt("writelines([b'a', bytearray(b'b'), memoryview(b'c')])", () =>
    r.writelines([B("a"), new Uint8Array(B("b")), B("c")]),
  );
  attempt("writelines([])", () => r.writelines([]));
  attempt("writelines(())", () => r.writelines([]));
  attempt("writelines(gen)", () =>
    r.writelines(
      (function* () {
        yield B("g1");
        yield B("g2");
      })(),
    ),
  );
  attempt("writelines([b''])", () => r.writelines([B("")]));
  attempt("writelines(['s'])", () => r.writelines(["s"]));
  attempt("writelines([b'a', 's'])", () => r.writelines([B("a"), "s"]));
  attempt("writelines([b'a', 5])", () => r.writelines([B("a"), 5]));
  attempt("writelines([None])", () => r.writelines([null]));
  attempt("writelines(5)", () => r.writelines(5));
  attempt("writelines(None)", () => r.writelines(null));
  attempt("writelines(b'ab')", () => r.writelines(B("ab")));
  attempt("writelines('ab')", () => r.writelines("ab"));
  attempt("writelines([[1]])", () => r.writelines([[1]]));
  print("  calls:", `[${r.calls.join(", ")}]`);
  const r2: any = new (cls as any)();
  attempt("is_closing", () => r2.isClosing());
  attempt("get_protocol", () => r2.getProtocol());
}
