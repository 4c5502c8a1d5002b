"""Shared by the TLS scenarios (241, 242, 244), as _tls.ts is by their twins: a self-signed
certificate for localhost/127.0.0.1 made by openssl in a scratch folder, the contexts made from
it, and error text without the `(_ssl.c:NNN)` tail."""
import os, re, shutil, ssl, subprocess, tempfile

_dir = tempfile.mkdtemp()


def _make_cert(name, cn, san):
    cert, key = os.path.join(_dir, name + ".pem"), os.path.join(_dir, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", key, "-out", cert, "-subj", "/CN=" + cn,
                    "-addext", "subjectAltName=" + san], check=True, capture_output=True)
    return cert, key


CERT, KEY = _make_cert("server", "localhost", "DNS:localhost,IP:127.0.0.1")


def remove_certs():
    shutil.rmtree(_dir)


def msg(e):
    return re.sub(r" \(_ssl\.c:\d+\)$", "", str(e))


def show(label, e):
    print(label, type(e).__name__, msg(e))


def server_ctx():
    c = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    c.load_cert_chain(CERT, KEY)
    return c


def client_ctx():
    return ssl.create_default_context(cafile=CERT)
