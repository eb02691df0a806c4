# storage.compression on the real server: gzip, lz4 and zstd, each read back whole and by range,
# and data written under one algorithm read after the server was restarted with another (a
# multipart object even gets parts of two algorithms). The blob files are inspected to show
# which algorithm really wrote them: zstd chunks are zstd frames (the zstd CLI decodes the blob),
# gzip chunks are zlib streams (Python's zlib decodes the blob chunk after chunk), lz4 chunks are
# neither.
import os
import re
import shutil
import subprocess
import tempfile
import zlib

import pytest

MIB = 1024 * 1024
CHUNK = 64 * 1024
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def text(n, seed=0):
    out = bytearray()
    i = 0
    while len(out) < n:
        out += b"2026-01-%02d seed=%d line=%d INFO GET /photos/%d.jpg status=200 bytes=%d\n" % (
            1 + i % 28, seed, i, i % 977, (i * 7919) % 100000)
        i += 1
    return bytes(out[:n])


def blob_files(root):
    out = set()
    for dirpath, _, names in os.walk(root):
        out |= {os.path.join(dirpath, n) for n in names if re.fullmatch(r"[0-9a-f]{32}", n)}
    return out


def read(path):
    with open(path, "rb") as f:
        return f.read()


def zlib_chain(blob):
    """The bytes of a blob whose chunks are all zlib streams, decoded one after the other."""
    out = b""
    rest = blob
    while rest:
        d = zlib.decompressobj()
        out += d.decompress(rest)
        assert d.eof, "not a sequence of whole zlib streams"
        rest = d.unused_data
    return out


class Store:
    """One data dir, restarted with different compression settings."""

    def __init__(self, factory, workdir):
        self.factory = factory
        self.workdir = workdir
        self.data = os.path.join(workdir, "data")
        self.srv = None

    def start(self, storage_yaml):
        if self.srv:
            self.srv.stop()
        cfg = os.path.join(self.workdir, "c.yaml")
        with open(cfg, "w") as f:
            f.write("storage:\n" + storage_yaml)
        self.srv = self.factory.start(data_dir=self.data, extra_args=["--config", cfg])
        self.s3 = self.srv.client()
        return self

    def put(self, key, body):
        """Puts `body`; returns the path of the blob file it created."""
        before = blob_files(self.data)
        self.s3.put_object(Bucket="cmp", Key=key, Body=body)
        (new,) = blob_files(self.data) - before
        return new

    def check(self, key, body):
        assert self.s3.get_object(Bucket="cmp", Key=key)["Body"].read() == body, key
        n = len(body)
        for first, last in [(0, 0), (10, 99), (CHUNK - 6, CHUNK + 9), (3 * CHUNK, 5 * CHUNK - 1),
                            (n - 17, n - 1), (n // 2 - 1000, n // 2 + 1000)]:
            got = self.s3.get_object(Bucket="cmp", Key=key, Range=f"bytes={first}-{last}")
            assert got["Body"].read() == body[first:last + 1], (key, first, last)


@pytest.fixture
def store(server_factory):
    d = tempfile.mkdtemp(prefix="maxiofs-compress-")
    s = Store(server_factory, d)
    yield s
    if s.srv:
        s.srv.stop()
    shutil.rmtree(d, ignore_errors=True)


def gzip_cfg(level=6):
    return f"  compression:\n    enabled: true\n    type: gzip\n    level: {level}\n"


def lz4_cfg(level=0):
    return f"  compression:\n    enabled: true\n    type: lz4\n    level: {level}\n"


def test_every_algorithm_reads_back_and_reads_what_the_others_wrote(store):
    bodies = {}
    # Today's configuration (type alone, no enabled key) still means zstd.
    store.start("  compression:\n    type: zstd\n")
    store.s3.create_bucket(Bucket="cmp")
    bodies["t-zstd"] = text(MIB, 1)
    blob = store.put("t-zstd", bodies["t-zstd"])
    assert read(blob).startswith(ZSTD_MAGIC)
    assert len(read(blob)) < MIB // 4
    z = subprocess.run(["zstd", "-dc", blob], capture_output=True, timeout=60)
    assert z.returncode == 0 and z.stdout == bodies["t-zstd"]
    # Random data is stored as is, whatever the algorithm.
    bodies["r-zstd"] = os.urandom(MIB)
    assert read(store.put("r-zstd", bodies["r-zstd"])) == bodies["r-zstd"]
    # A multipart upload begun under zstd ...
    mp = store.s3.create_multipart_upload(Bucket="cmp", Key="mp")["UploadId"]
    part1 = text(5 * MIB, 2)
    e1 = store.s3.upload_part(Bucket="cmp", Key="mp", UploadId=mp, PartNumber=1, Body=part1)["ETag"]

    store.start(gzip_cfg())
    bodies["t-gzip"] = text(MIB, 3)
    blob = store.put("t-gzip", bodies["t-gzip"])
    assert zlib_chain(read(blob)) == bodies["t-gzip"]
    assert len(read(blob)) < MIB // 4
    bodies["r-gzip"] = os.urandom(MIB)
    assert read(store.put("r-gzip", bodies["r-gzip"])) == bodies["r-gzip"]
    # ... completed under gzip.
    part2 = text(MIB, 4)
    e2 = store.s3.upload_part(Bucket="cmp", Key="mp", UploadId=mp, PartNumber=2, Body=part2)["ETag"]
    store.s3.complete_multipart_upload(
        Bucket="cmp", Key="mp", UploadId=mp,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
    bodies["mp"] = part1 + part2
    for key, body in bodies.items():
        store.check(key, body)
    r = store.s3.get_object(Bucket="cmp", Key="mp", Range=f"bytes={5 * MIB - 100}-{5 * MIB + 99}")
    assert r["Body"].read() == bodies["mp"][5 * MIB - 100:5 * MIB + 100]

    store.start(lz4_cfg())
    bodies["t-lz4"] = text(MIB, 5)
    raw = read(store.put("t-lz4", bodies["t-lz4"]))
    assert not raw.startswith(ZSTD_MAGIC) and raw[0] != 0x78  # neither zstd nor zlib
    assert len(raw) < MIB // 2
    bodies["r-lz4"] = os.urandom(MIB)
    assert read(store.put("r-lz4", bodies["r-lz4"])) == bodies["r-lz4"]
    for key, body in bodies.items():
        store.check(key, body)

    # Compression off: everything stays readable, new data is stored as is.
    store.start("  compression:\n    enabled: false\n    type: gzip\n")
    bodies["t-none"] = text(MIB, 6)
    assert read(store.put("t-none", bodies["t-none"])) == bodies["t-none"]
    for key, body in bodies.items():
        store.check(key, body)


def test_levels_change_what_is_stored(store):
    store.start(lz4_cfg(1))
    store.s3.create_bucket(Bucket="cmp")
    body = text(2 * MIB, 7)
    fast = len(read(store.put("fast", body)))
    store.start(lz4_cfg(12))
    high = len(read(store.put("high", body)))
    assert high < fast, (high, fast)
    store.start(gzip_cfg(1))
    g1 = len(read(store.put("g1", body)))
    store.start(gzip_cfg(9))
    g9 = len(read(store.put("g9", body)))
    assert g9 < g1, (g9, g1)
    for key in ["fast", "high", "g1", "g9"]:
        store.check(key, body)


def test_bad_compression_settings_are_refused(maxiofs_bin, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAXIOFS_")}
    cases = [("  compression:\n    type: lz4\n    level: 13\n",
              "invalid storage.compression.level '13'", "lz4 level from 1 to 12"),
             ("  compression:\n    type: brotli\n", "invalid storage.compression.type 'brotli'",
              "none, zstd, gzip or lz4"),
             ("  compression:\n    enabled: true\n", "invalid storage.compression.enabled",
              "type is none")]
    for yaml, *fragments in cases:
        cfg = tmp_path / "bad.yaml"
        cfg.write_text("storage:\n" + yaml)
        p = subprocess.run([maxiofs_bin, "config", "check", str(cfg)], capture_output=True,
                           text=True, timeout=30, env=env)
        assert p.returncode == 2, p.stdout
        for f in fragments:
            assert f in p.stderr, p.stderr
