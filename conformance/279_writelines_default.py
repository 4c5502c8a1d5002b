# oracle: 3.13
"""The default WriteTransport.writelines is b''.join(list_of_data) then write(), with join's TypeErrors."""
import asyncio, array

def attempt(label, fn):
    try:
        r = fn()
        print(f"{label}: returned {r!r}")
    except BaseException as e:
        print(f"{label}: raised {type(e).__name__}{e.args!r}")

class Rec(asyncio.WriteTransport):
    def __init__(self):
        super().__init__({"k": "v"})
        self.calls = []
    def write(self, data):
        self.calls.append((type(data).__name__, bytes(data)))

class RecT(asyncio.Transport):
    def __init__(self, extra=None):
        super().__init__(extra)
        self.calls = []
    def write(self, data):
        self.calls.append((type(data).__name__, bytes(data)))

for cls in (Rec, RecT):
    r = cls()
    print(cls.__name__, "extra k:", r.get_extra_info("k"))
    attempt("writelines([b'a', bytearray(b'b'), memoryview(b'c')])", lambda: r.writelines([b"a", bytearray(b"b"), memoryview(b"c")]))
    attempt("writelines([])", lambda: r.writelines([]))
    attempt("writelines(())", lambda: r.writelines(()))
    attempt("writelines(gen)", lambda: r.writelines(x for x in [b"g1", b"g2"]))
    attempt("writelines([b''])", lambda: r.writelines([b""]))
    attempt("writelines(['s'])", lambda: r.writelines(["s"]))
    attempt("writelines([b'a', 's'])", lambda: r.writelines([b"a", "s"]))
    attempt("writelines([b'a', 5])", lambda: r.writelines([b"a", 5]))
    attempt("writelines([None])", lambda: r.writelines([None]))
    attempt("writelines(5)", lambda: r.writelines(5))
    attempt("writelines(None)", lambda: r.writelines(None))
    attempt("writelines(b'ab')", lambda: r.writelines(b"ab"))
    attempt("writelines('ab')", lambda: r.writelines("ab"))
    attempt("writelines([[1]])", lambda: r.writelines([[1]]))
    print("  calls:", r.calls)
    r2 = cls()
    attempt("is_closing", r2.is_closing)
    attempt("get_protocol", r2.get_protocol)
