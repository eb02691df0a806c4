# Helpers shared by the integration tests: boto3 clients, SigV4-signed raw requests over
# http.client or bare sockets, S3 error parsing, deterministic data streams.
import datetime
import hashlib
import http.client
import os
import socket
import subprocess
import time
import weakref
import xml.etree.ElementTree as ET
from urllib.parse import quote

import boto3
import botocore
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REGION = "us-east-1"
S3NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def boto3_client(endpoint, access_key, secret_key, addressing_style="path", **cfg):
    config = Config(
        s3={"addressing_style": addressing_style},
        signature_version=cfg.pop("signature_version", "s3v4"),
        retries={"max_attempts": 1, "mode": "standard"},
        connect_timeout=10,
        read_timeout=cfg.pop("read_timeout", 60),
        **cfg,
    )
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=access_key, aws_secret_access_key=secret_key, config=config)


def empty_and_delete_bucket(s3, name):
    """Best-effort cleanup; never raises."""
    try:
        while True:
            resp = s3.list_objects_v2(Bucket=name, MaxKeys=1000)
            keys = [o["Key"] for o in resp.get("Contents", [])]
            if not keys:
                break
            for k in keys:
                s3.delete_object(Bucket=name, Key=k)
        s3.delete_bucket(Bucket=name)
    except Exception:  # noqa: BLE001 - cleanup only
        pass


def err_code(exc):
    return exc.response["Error"]["Code"]


def err_status(exc):
    return exc.response["ResponseMetadata"]["HTTPStatusCode"]


# --------------------------------------------------------------------------------------------
# Deterministic data
# --------------------------------------------------------------------------------------------
def det_bytes(n, seed=0):
    """n deterministic pseudo-random bytes (not compressible)."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(b"%d:%d" % (seed, i)).digest()
        i += 1
    return bytes(out[:n])


class DetStream:
    """File-like, deterministic, pseudo-random stream of `size` bytes; never holds it all.

    Blocks of 1 MiB derived from a seed (each block = a repeated 64 KiB pattern that changes per
    block), fast enough to stream a GiB from Python.
    """

    BLOCK = 1 << 20

    def __init__(self, size, seed=1):
        self.size = size
        self.seed = seed
        self.pos = 0
        self.md5 = hashlib.md5()
        base = det_bytes(64 * 1024, seed)
        self._base = base * (self.BLOCK // len(base))

    def _block(self, idx):
        # Rotate the base pattern by a block-dependent amount and stamp the block index.
        r = (idx * 7919) % len(self._base)
        b = self._base[r:] + self._base[:r]
        stamp = idx.to_bytes(8, "little")
        return stamp + b[8:]

    def read(self, n=-1):
        if self.pos >= self.size:
            return b""
        if n is None or n < 0:
            n = self.size - self.pos  # everything that is left, as file.read() does
        else:
            n = min(n, self.size - self.pos)
        out = bytearray()
        while len(out) < n:
            idx, off = divmod(self.pos, self.BLOCK)
            take = min(self.BLOCK - off, n - len(out))
            out += self._block(idx)[off:off + take]
            self.pos += take
        data = bytes(out)
        self.md5.update(data)
        return data

    def __len__(self):
        return self.size


def det_stream_md5(size, seed=1):
    s = DetStream(size, seed)
    while s.read(8 << 20):
        pass
    return s.md5.hexdigest()


# --------------------------------------------------------------------------------------------
# SigV4 signing of hand-made requests
# --------------------------------------------------------------------------------------------
class _Signer(S3SigV4Auth):
    def __init__(self, credentials, region, when=None, payload_hash=None):
        super().__init__(credentials, "s3", region)
        self._when = when
        self._payload_hash = payload_hash

    def payload(self, request):
        if self._payload_hash is not None:
            return self._payload_hash
        return super().payload(request)

    def add_auth(self, request):
        when = self._when or datetime.datetime.utcnow()
        request.context["timestamp"] = when.strftime("%Y%m%dT%H%M%SZ")
        self._modify_request_before_signing(request)
        canonical = self.canonical_request(request)
        sts = self.string_to_sign(request, canonical)
        self._inject_signature_to_request(request, self.signature(sts, request))


def sign_headers(method, host_header, target, headers=None, body=b"", access_key=None,
                 secret_key=None, region=REGION, when=None, payload_hash=None):
    """Return the header list (name, value) of a SigV4-signed request.

    `target` is the already URI-encoded path plus optional query ('/b/k%20x?list-type=2').
    `payload_hash`: 'UNSIGNED-PAYLOAD' or a hex digest to claim instead of hashing `body`.
    """
    headers = {k: v for k, v in (headers or {}).items() if k.lower() != "host"}
    headers["Host"] = host_header
    req = AWSRequest(method=method, url=f"http://{host_header}{target}", data=body,
                     headers=headers)
    _Signer(Credentials(access_key, secret_key), region, when=when,
            payload_hash=payload_hash).add_auth(req)
    return list(req.headers.items())


def encode_key(key):
    """URI-encode a key for a path (keeps '/'), as SigV4 canonical URI expects."""
    if isinstance(key, bytes):
        return quote(key, safe="/~")
    return quote(key.encode("utf-8"), safe="/~")


class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.header_list = headers  # [(name, value)] as received
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    def error_code(self):
        if not self.body:
            return None
        try:
            root = ET.fromstring(self.body)
        except ET.ParseError:
            return None
        code = root.find("Code")
        if code is None:
            code = root.find(S3NS + "Code")
        return code.text if code is not None else None

    def xml(self):
        return ET.fromstring(self.body)

    def __repr__(self):
        return f"<Response {self.status} {self.headers} {self.body[:500]!r}>"


def http_request(host, port, method, target, headers=(), body=b"", timeout=30):
    """Plain request via http.client; headers is a list of (name, value), sent as given."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        has_len = False
        for k, v in headers:
            if k.lower() == "content-length":
                has_len = True
            conn.putheader(k, v)
        if not has_len and (body or method in ("PUT", "POST")):
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        if body:
            conn.send(body)
        resp = conn.getresponse()
        data = resp.read()
        return Response(resp.status, resp.reason, resp.getheaders(), data)
    finally:
        conn.close()


def http_get(host, port, path, timeout=10):
    r = http_request(host, port, "GET", path, [("Host", f"{host}:{port}")], timeout=timeout)
    return r.status, r.headers, r.body


class S3Raw:
    """Signed raw requests against one server."""

    def __init__(self, server):
        self.server = server
        self.host = server.host
        self.port = server.port
        self.hostport = f"{server.host}:{server.port}"

    def signed(self, method, target, headers=None, body=b"", host=None, access_key=None,
               secret_key=None, when=None, payload_hash=None):
        return sign_headers(method, host or self.hostport, target, headers, body,
                            access_key or self.server.access_key,
                            secret_key or self.server.secret_key, when=when,
                            payload_hash=payload_hash)

    def request(self, method, target, headers=None, body=b"", host=None, timeout=30, **kw):
        hdrs = self.signed(method, target, headers, body, host=host, **kw)
        return http_request(self.host, self.port, method, target, hdrs, body, timeout=timeout)

    def raw_bytes(self, method, target, headers=None, body=b"", extra_lines=(), **kw):
        """The signed request as bytes (request line + headers + CRLF), without the body."""
        hdrs = self.signed(method, target, headers, body, **kw)
        lines = [f"{method} {target} HTTP/1.1"] + [f"{k}: {v}" for k, v in hdrs] + list(extra_lines)
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def connect(self, timeout=30):
        return socket.create_connection((self.host, self.port), timeout=timeout)


# Bytes received past the end of one response (e.g. a 100 Continue and the final answer in one
# recv), kept per socket for the next read_http_response on it.
_LEFTOVER = weakref.WeakKeyDictionary()


def read_http_response(sock, method="GET", timeout=30):
    """Read one HTTP/1.1 response from a socket. Returns Response, or None on EOF before any byte.

    Bytes that arrive after the response are kept for the next call on the same socket."""
    sock.settimeout(timeout)
    buf = _LEFTOVER.pop(sock, b"")
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            if not buf:
                return None
            raise ConnectionError(f"EOF inside response header: {buf[:200]!r}")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    status = int(parts[1])
    reason = parts[2] if len(parts) > 2 else ""
    headers = []
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.append((k.strip(), v.strip()))
    hmap = {k.lower(): v for k, v in headers}
    body = rest
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        if rest:
            _LEFTOVER[sock] = rest
        return Response(status, reason, headers, b"")
    if hmap.get("transfer-encoding", "").lower() == "chunked":
        out = b""
        data = body
        while True:
            while b"\r\n" not in data:
                c = sock.recv(65536)
                if not c:
                    raise ConnectionError("EOF in chunked body")
                data += c
            size_line, _, data = data.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(data) < size + 2:
                c = sock.recv(65536)
                if not c:
                    raise ConnectionError("EOF in chunk")
                data += c
            if size == 0:
                break
            out += data[:size]
            data = data[size + 2:]
        return Response(status, reason, headers, out)
    if "content-length" in hmap:
        n = int(hmap["content-length"])
        while len(body) < n:
            c = sock.recv(65536)
            if not c:
                raise ConnectionError("EOF in body")
            body += c
        if len(body) > n:
            _LEFTOVER[sock] = body[n:]
        return Response(status, reason, headers, body[:n])
    # No length: read to EOF.
    while True:
        c = sock.recv(65536)
        if not c:
            break
        body += c
    return Response(status, reason, headers, body)


def send_raw(host, port, data, method="GET", timeout=30, shutdown_write=False):
    """Send raw bytes on a fresh connection and read one response (None if closed silently)."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(data)
        if shutdown_write:
            s.shutdown(socket.SHUT_WR)
        try:
            return read_http_response(s, method, timeout)
        except (ConnectionResetError, BrokenPipeError):
            return None


def wait_until(pred, timeout=10.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(interval)
    return pred()


def list_all_keys(s3, bucket, **kw):
    keys = []
    token = None
    while True:
        args = dict(Bucket=bucket, **kw)
        if token:
            args["ContinuationToken"] = token
        r = s3.list_objects_v2(**args)
        keys += [o["Key"] for o in r.get("Contents", [])]
        if not r.get("IsTruncated"):
            return keys
        token = r["NextContinuationToken"]


def files_in(root):
    out = {}
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = hashlib.md5(f.read()).hexdigest()
    return out


__all__ = [n for n in dir() if not n.startswith("_")] + ["botocore"]


def is_mounted(path):
    """True when `path` is a mount point of this machine (/proc/self/mounts)."""
    with open("/proc/self/mounts") as f:
        return any(line.split()[1] == path for line in f)


def unmount_fuse(path):
    """Unmounts a FUSE mount: fusermount3 -u, then umount -l; each bounded by 20 s."""
    if is_mounted(path):
        subprocess.run(["fusermount3", "-u", path], timeout=20, capture_output=True)
    if is_mounted(path):
        subprocess.run(["umount", "-l", path], timeout=20, capture_output=True)
