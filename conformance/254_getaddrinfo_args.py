# oracle: 3.13
"""loop.getaddrinfo(): argument types, ports and services, family/type/proto/flags and numeric
hosts as CPython and glibc treat them (numeric hosts and /etc/hosts' localhost only: no DNS)."""
import asyncio
import socket

S = socket


def show(res):
    return [[int(f), int(t), p, c, list(a)] for f, t, p, c, a in res]


async def main():
    loop = asyncio.get_running_loop()
    H = "127.0.0.1"
    ST, DG, RAW = S.SOCK_STREAM, S.SOCK_DGRAM, S.SOCK_RAW
    cases = [
        # argument types
        ("host int", 123, 80, {}),
        ("host list", [H], 80, {}),
        ("host float", 1.5, 80, {}),
        ("host True", True, 80, {}),
        ("host bytes", H.encode(), 80, {"type": ST}),
        ("host with NUL", H + "\0", 80, {"type": ST}),
        ("port list", H, [80], {}),
        ("port float", H, 1.5, {}),
        ("port True", H, True, {}),
        ("port bytes", H, b"80", {"type": ST}),
        ("type str", H, 80, {"type": "x"}),
        ("type float", H, 80, {"type": 1.5}),
        ("type None", H, 80, {"type": None}),
        ("type True", H, 80, {"type": True}),
        ("flags str", H, 80, {"flags": "x"}),
        ("proto str", H, 80, {"proto": "x"}),
        ("family 2**31", H, 80, {"family": 2**31}),
        ("family -2**31-1", H, 80, {"family": -2**31 - 1}),
        ("host int, type str", 123, 80, {"type": "x"}),
        ("host int, port list", 123, [80], {}),
        ("port list, family 999", H, [80], {"family": 999}),
        ("host 'a..b'", "a..b", 80, {"flags": S.AI_NUMERICHOST}),
        ("host '.'", ".", 80, {"flags": S.AI_NUMERICHOST}),
        ("host label of 64", "a" * 64, 80, {"flags": S.AI_NUMERICHOST}),
        ("host label of 63", "a" * 63, 80, {"flags": S.AI_NUMERICHOST}),
        # numeric ports: strtoul, then 16 bits
        ("port None", H, None, {"type": ST}),
        ("port 0", H, 0, {"type": ST}),
        ("port -1", H, -1, {"type": ST}),
        ("port 70000", H, 70000, {"type": ST}),
        ("port 65536", H, 65536, {"type": ST}),
        ("port 2**31", H, 2**31, {"type": ST}),
        ("port 2**40", H, 2**40, {"type": ST}),
        ("port 2**63", H, 2**63, {"type": ST}),
        ("port -2**63", H, -2**63, {"type": ST}),
        ("port ''", H, "", {"type": ST}),
        ("port ' 80'", H, " 80", {"type": ST}),
        ("port '+80'", H, "+80", {"type": ST}),
        ("port '080'", H, "080", {"type": ST}),
        ("port '80 '", H, "80 ", {"type": ST}),
        ("port '-1'", H, "-1", {"type": ST}),
        ("port '0x50'", H, "0x50", {"type": ST}),
        ("port '1_0'", H, "1_0", {"type": ST}),
        ("port '4294967377'", H, "4294967377", {"type": ST}),
        ("port '2147483648'", H, "2147483648", {"type": ST}),
        ("port 2**64+80 as str", H, str(2**64 + 80), {"type": ST}),
        ("port '80' NUL", H, "80\0", {"type": ST}),
        # service names from /etc/services
        ("port 'http'", H, "http", {}),
        ("port 'http' stream", H, "http", {"type": ST}),
        ("port 'http' dgram", H, "http", {"type": DG}),
        ("port 'http' raw", H, "http", {"type": RAW}),
        ("port 'www' (alias)", H, "www", {}),
        ("port 'domain'", H, "domain", {}),
        ("port 'domain' proto 17", H, "domain", {"proto": 17}),
        ("port 'syslog' (udp, and a tcp alias)", H, "syslog", {}),
        ("port 'HTTP'", H, "HTTP", {}),
        ("port 'nosuchservice'", H, "nosuchservice", {}),
        ("AI_NUMERICSERV 'http'", H, "http", {"flags": S.AI_NUMERICSERV}),
        ("AI_NUMERICSERV '80'", H, "80", {"flags": S.AI_NUMERICSERV, "type": ST}),
        ("AI_NUMERICSERV 'http' type 999", H, "http", {"flags": S.AI_NUMERICSERV, "type": 999}),
        ("AI_NUMERICSERV 'http' raw", H, "http", {"flags": S.AI_NUMERICSERV, "type": RAW}),
        ("AI_NUMERICSERV 'http' family 999", H, "http", {"flags": S.AI_NUMERICSERV, "family": 999}),
        # family, type, proto
        ("family 999", H, 80, {"family": 999}),
        ("family -1", H, 80, {"family": -1}),
        ("family AF_UNIX", H, 80, {"family": S.AF_UNIX}),
        ("type 999", H, 80, {"type": 999}),
        ("type -1", H, 80, {"type": -1}),
        ("type 0", H, 80, {}),
        ("type SOCK_SEQPACKET", H, 80, {"type": 5}),
        ("proto 6", H, 80, {"proto": 6}),
        ("proto 17", H, 80, {"proto": 17}),
        ("proto 132", H, 80, {"proto": 132}),
        ("proto 255", H, None, {"proto": 255}),
        ("proto 255 with a port", H, 80, {"proto": 255}),
        ("proto 6 dgram", H, 80, {"type": DG, "proto": 6}),
        ("proto 17 stream", H, 80, {"type": ST, "proto": 17}),
        ("raw proto 6", H, None, {"type": RAW, "proto": 6}),
        ("raw port 80", H, 80, {"type": RAW}),
        ("raw port 0", H, 0, {"type": RAW}),
        ("raw port ''", H, "", {"type": RAW}),
        ("raw port None", H, None, {"type": RAW}),
        # host None and ''
        ("None, None", None, None, {}),
        ("None, None, family 999", None, None, {"family": 999}),
        ("None, ''", None, "", {"type": ST}),
        ("None, 0", None, 0, {}),
        ("None, 80 passive", None, 80, {"type": ST, "flags": S.AI_PASSIVE}),
        ("None, 80", None, 80, {"type": ST}),
        ("None, 80 AF_INET6", None, 80, {"type": ST, "family": S.AF_INET6}),
        ("'', 80", "", 80, {"type": ST}),
        ("'', ''", "", "", {"type": ST}),
        # flags
        ("flags 0x800", H, 80, {"flags": 0x800}),
        ("flags -1", H, 80, {"flags": -1}),
        ("flags 0x7ff", H, 80, {"flags": 0x7FF, "type": ST}),
        ("AI_CANONNAME", H, 80, {"flags": S.AI_CANONNAME}),
        ("AI_CANONNAME None host", None, 80, {"flags": S.AI_CANONNAME}),
        ("AI_CANONNAME ::1", "::1", 80, {"flags": S.AI_CANONNAME, "type": ST}),
        ("AI_CANONNAME FE80::1%1", "FE80::1%1", 80, {"flags": S.AI_CANONNAME, "type": ST}),
        ("AI_V4MAPPED AF_INET6", H, 80, {"family": S.AF_INET6, "flags": S.AI_V4MAPPED, "type": ST}),
        ("AI_V4MAPPED AF_UNSPEC", H, 80, {"flags": S.AI_V4MAPPED, "type": ST}),
        # numeric hosts
        ("::1 AF_INET", "::1", 80, {"family": S.AF_INET}),
        ("127.0.0.1 AF_INET6", H, 80, {"family": S.AF_INET6}),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1", 80, {"type": ST}),
        ("::ffff:127.0.0.1 AF_INET", "::ffff:127.0.0.1", 80, {"type": ST, "family": S.AF_INET}),
        ("0:0::1", "0:0::1", 80, {"type": ST}),
        ("::1.2.3.4", "::1.2.3.4", 80, {"type": ST}),
        ("::2", "::2", 80, {"type": ST}),
        ("1:0:0:2:0:0:0:0", "1:0:0:2:0:0:0:0", 80, {"type": ST}),
        ("1:0:0:2:0:0:3:0", "1:0:0:2:0:0:3:0", 80, {"type": ST}),
        ("::ffff:0:1.2.3.4", "::ffff:0:1.2.3.4", 80, {"type": ST}),
        ("fe80::1%1", "fe80::1%1", 80, {"type": ST}),
        ("fe80::1%lo", "fe80::1%lo", 80, {"type": ST}),
        ("::1%1", "::1%1", 80, {"type": ST}),
        ("::1%lo", "::1%lo", 80, {"type": ST}),
        ("fe80::1%", "fe80::1%", 80, {"type": ST}),
        ("fe80::1%4294967295", "fe80::1%4294967295", 80, {"type": ST}),
        ("fe80::1%4294967296", "fe80::1%4294967296", 80, {"type": ST}),
        ("fe80::1%+1", "fe80::1%+1", 80, {"type": ST}),
        ("fe80::1%1 AF_INET", "fe80::1%1", 80, {"type": ST, "family": S.AF_INET}),
        ("::ffff:1.2.3.4%1 AF_INET", "::ffff:1.2.3.4%1", 80, {"type": ST, "family": S.AF_INET}),
        ("127.1", "127.1", 80, {"type": ST, "flags": S.AI_NUMERICHOST}),
        ("0x7f.1", "0x7f.1", 80, {"type": ST, "flags": S.AI_NUMERICHOST}),
        ("2130706433", "2130706433", 80, {"type": ST, "flags": S.AI_NUMERICHOST}),
        ("127.000.000.001", "127.000.000.001", 80, {"type": ST, "flags": S.AI_NUMERICHOST}),
        ("1.2.65535", "1.2.65535", 80, {"type": ST, "flags": S.AI_NUMERICHOST}),
        ("1.2.65536", "1.2.65536", 80, {"type": ST, "flags": S.AI_NUMERICHOST}),
        ("08.0.0.1", "08.0.0.1", 80, {"type": ST, "flags": S.AI_NUMERICHOST}),
        ("1.2.3.256", "1.2.3.256", 80, {"type": ST, "flags": S.AI_NUMERICHOST}),
        ("4294967296", "4294967296", 80, {"type": ST, "flags": S.AI_NUMERICHOST}),
        ("0x", "0x", 80, {"type": ST, "flags": S.AI_NUMERICHOST}),
        ("'1.2.3.4 '", "1.2.3.4 ", 80, {"type": ST, "flags": S.AI_NUMERICHOST}),
        ("1.2.3.4.", "1.2.3.4.", 80, {"type": ST, "flags": S.AI_NUMERICHOST}),
        ("127.0.0.1:80", "127.0.0.1:80", 80, {"type": ST, "flags": S.AI_NUMERICHOST}),
        ("localhost AI_NUMERICHOST", "localhost", 80, {"flags": S.AI_NUMERICHOST}),
        # localhost from /etc/hosts
        ("localhost AF_INET", "localhost", 80, {"family": S.AF_INET, "type": ST}),
        ("localhost AF_INET 'http'", "localhost", "http", {"family": S.AF_INET}),
    ]
    for label, host, port, kw in cases:
        try:
            print(f"{label}: {show(await loop.getaddrinfo(host, port, **kw))}")
        except Exception as e:
            print(f"{label}: {type(e).__name__}: {e}")


asyncio.run(main())
