# Streaming: a 1 GiB PUT and GET generated on the fly (never held in memory), MD5 compared,
# while the server's RSS is sampled from /proc/<pid>/status every 100 ms. Runs in `make test`.
import hashlib
import http.client
import threading
from concurrent.futures import ThreadPoolExecutor


from s3util import DetStream, S3Raw

GiB = 1 << 30
MiB = 1 << 20
RSS_LIMIT_KIB = 200 * 1024


class RssSampler:
    def __init__(self, server, interval=0.1):
        self.server = server
        self.interval = interval
        self.peak_kib = 0
        self.samples = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.peak_kib = max(self.peak_kib, self.server.rss_kib())
                self.samples += 1
            except (FileNotFoundError, ProcessLookupError):
                return
            self._stop.wait(self.interval)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join(timeout=5)


def streamed_put(server, bucket, key, size, seed):
    raw = S3Raw(server)
    target = f"/{bucket}/{key}"
    hdrs = raw.signed("PUT", target, headers={"Content-Length": str(size)},
                      payload_hash="UNSIGNED-PAYLOAD")
    stream = DetStream(size, seed)
    conn = http.client.HTTPConnection(server.host, server.port, timeout=300)
    try:
        conn.putrequest("PUT", target, skip_host=True, skip_accept_encoding=True)
        for k, v in hdrs:
            conn.putheader(k, v)
        conn.endheaders()
        while True:
            chunk = stream.read(4 * MiB)
            if not chunk:
                break
            conn.send(chunk)
        resp = conn.getresponse()
        body = resp.read()
        assert resp.status == 200, (resp.status, body[:500])
        return resp.getheader("ETag"), stream.md5.hexdigest()
    finally:
        conn.close()


def streamed_get_md5(server, bucket, key, rng=None):
    raw = S3Raw(server)
    target = f"/{bucket}/{key}"
    extra = {"Range": rng} if rng else None
    hdrs = raw.signed("GET", target, headers=extra)
    conn = http.client.HTTPConnection(server.host, server.port, timeout=300)
    try:
        conn.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        for k, v in hdrs:
            conn.putheader(k, v)
        conn.endheaders()
        resp = conn.getresponse()
        assert resp.status in (200, 206), resp.status
        h = hashlib.md5()
        n = 0
        while True:
            chunk = resp.read(1 * MiB)
            if not chunk:
                break
            h.update(chunk)
            n += len(chunk)
        return n, h.hexdigest(), dict((k.lower(), v) for k, v in resp.getheaders())
    finally:
        conn.close()


def test_1gib_streamed_put_get_bounded_rss(server, bucket):
    with RssSampler(server) as rss:
        etag, want_md5 = streamed_put(server, bucket, "one-gib", GiB, seed=1024)
    put_peak = rss.peak_kib
    assert rss.samples > 5
    assert etag == f'"{want_md5}"'
    with RssSampler(server) as rss:
        n, got_md5, hdrs = streamed_get_md5(server, bucket, "one-gib")
    assert n == GiB
    assert got_md5 == want_md5
    assert int(hdrs["content-length"]) == GiB
    print(f"peak RSS: PUT {put_peak / 1024:.1f} MiB, GET {rss.peak_kib / 1024:.1f} MiB")
    assert put_peak < RSS_LIMIT_KIB, f"server RSS peaked at {put_peak / 1024:.1f} MiB during a 1 GiB PUT"
    assert rss.peak_kib < RSS_LIMIT_KIB, f"server RSS peaked at {rss.peak_kib / 1024:.1f} MiB during a 1 GiB GET"
    # A range deep in the object streams the right bytes.
    off = GiB - 3 * MiB - 17
    n, got, hdrs = streamed_get_md5(server, bucket, "one-gib", rng=f"bytes={off}-")
    assert n == GiB - off
    assert hdrs["content-range"] == f"bytes {off}-{GiB - 1}/{GiB}"
    s = DetStream(GiB, seed=1024)
    s.pos = off
    expect = hashlib.md5()
    while True:
        c = s.read(4 * MiB)
        if not c:
            break
        expect.update(c)
    assert got == expect.hexdigest()


def test_parallel_gets_bounded_rss(server, bucket):
    size = 64 * MiB
    _, want = streamed_put(server, bucket, "sixty-four", size, seed=64)
    with RssSampler(server) as rss:
        with ThreadPoolExecutor(16) as ex:
            results = list(ex.map(lambda _: streamed_get_md5(server, bucket, "sixty-four"), range(16)))
    for n, got, _ in results:
        assert n == size and got == want
    print(f"peak RSS during 16 parallel 64 MiB GETs: {rss.peak_kib / 1024:.1f} MiB")
    assert rss.peak_kib < RSS_LIMIT_KIB, f"server RSS peaked at {rss.peak_kib / 1024:.1f} MiB"


def test_detstream_is_deterministic_and_seekless():
    a, b = DetStream(3 * MiB + 5, seed=7), DetStream(3 * MiB + 5, seed=7)
    x = a.read(1000) + a.read(5 * MiB)
    y = b.read(5 * MiB) + b.read(1000)
    assert x == y and len(x) == 3 * MiB + 5
    assert DetStream(MiB, seed=8).read() != DetStream(MiB, seed=7).read()
    assert DetStream(2 * MiB, 1).read()[:MiB] != DetStream(2 * MiB, 1).read()[MiB:]
