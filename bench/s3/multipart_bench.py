#!/usr/bin/python3
"""Multipart upload vs a single streamed PUT, against a real maxiofs on loopback.

Starts `maxiofs server` on a fresh data dir (as tests/integration/conftest.py does), then uploads
the same SIZE bytes (deterministic, incompressible, held in memory) twice per round:
  - one streamed PUT over a presigned URL (UNSIGNED-PAYLOAD, so the client does not hash);
  - a multipart upload: CreateMultipartUpload, then the parts over presigned UploadPart URLs
    from CONCURRENCY threads, then CompleteMultipartUpload (boto3 for the control calls).
Presigned raw requests keep Python's hashing out of the measurement (botocore would SHA-256
and MD5 every byte on plain http). Prints MiB/s of each (best and median over the rounds) and
the ratio multipart / single. Each object is deleted after its upload.

Usage: /usr/bin/python3 bench/s3/multipart_bench.py --bin build/maxiofs [--size-mib 1024]
       [--concurrency 8] [--part-mib 128] [--rounds 3]
"""
import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "integration"))

from s3util import DetStream, boto3_client  # noqa: E402

MiB = 1 << 20
READY_RE = re.compile(r"maxiofs ready: s3=([^\s:]+):(\d+) data=(\S+)")


class Server:
    def __init__(self, binary):
        self.data = tempfile.mkdtemp(prefix="maxiofs-mpbench-")
        self.log = os.path.join(self.data, "server.log")
        self.ak = "BENCH" + secrets.token_hex(6).upper()
        self.sk = secrets.token_urlsafe(30)
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAXIOFS_")}
        self.proc = subprocess.Popen(
            [binary, "server", "--data-dir", os.path.join(self.data, "d"),
             "--listen", "127.0.0.1:0", "--console-listen", "127.0.0.1:0",
             "--access-key", self.ak, "--secret-key", self.sk, "--log-level", "warn"],
            stdout=open(self.log, "ab"), stderr=subprocess.STDOUT, env=env,
            start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with open(self.log, "rb") as f:
                m = READY_RE.search(f.read().decode("utf-8", "replace"))
            if m:
                self.endpoint = f"http://{m.group(1)}:{m.group(2)}"
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("maxiofs did not become ready; log: " + self.log)

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        shutil.rmtree(self.data, ignore_errors=True)


def put_url(url, body):
    """PUT `body` (a memoryview) to a presigned URL; returns the ETag."""
    u = urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
    try:
        conn.request("PUT", u.path + "?" + u.query, body=body,
                     headers={"Content-Length": str(len(body))})
        resp = conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"PUT {u.path}: {resp.status} {data[:300]!r}")
        return resp.getheader("ETag")
    finally:
        conn.close()


def single_put(s3, data):
    url = s3.generate_presigned_url("put_object", Params={"Bucket": "bench", "Key": "single"},
                                    ExpiresIn=3600)
    put_url(url, data)


def multipart_put(s3, data, part_size, concurrency):
    uid = s3.create_multipart_upload(Bucket="bench", Key="multi")["UploadId"]
    offsets = list(range(0, len(data), part_size))

    def one(i):
        url = s3.generate_presigned_url("upload_part", Params={
            "Bucket": "bench", "Key": "multi", "UploadId": uid, "PartNumber": i + 1},
            ExpiresIn=3600)
        return {"PartNumber": i + 1,
                "ETag": put_url(url, data[offsets[i]:offsets[i] + part_size])}

    with ThreadPoolExecutor(concurrency) as pool:
        parts = list(pool.map(one, range(len(offsets))))
    s3.complete_multipart_upload(Bucket="bench", Key="multi", UploadId=uid,
                                 MultipartUpload={"Parts": parts})


def det_buffer(size):
    stream, buf = DetStream(size, seed=5), bytearray()
    while True:
        chunk = stream.read(8 * MiB)
        if not chunk:
            return bytes(buf)
        buf += chunk


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/maxiofs")
    ap.add_argument("--size-mib", type=int, default=1024)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--part-mib", type=int, default=128)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    size = args.size_mib * MiB

    srv = Server(os.path.abspath(args.bin))
    try:
        s3 = boto3_client(srv.endpoint, srv.ak, srv.sk, read_timeout=600,
                          max_pool_connections=args.concurrency + 2)
        s3.create_bucket(Bucket="bench")
        data = memoryview(det_buffer(size))
        single, multi = [], []
        for r in range(args.rounds):
            t = timed(lambda: single_put(s3, data))
            assert s3.head_object(Bucket="bench", Key="single")["ContentLength"] == size
            s3.delete_object(Bucket="bench", Key="single")
            single.append(args.size_mib / t)

            t = timed(lambda: multipart_put(s3, data, args.part_mib * MiB, args.concurrency))
            head = s3.head_object(Bucket="bench", Key="multi")
            assert head["ContentLength"] == size and "-" in head["ETag"], head
            s3.delete_object(Bucket="bench", Key="multi")
            multi.append(args.size_mib / t)
            print(f"round {r + 1}: single PUT {single[-1]:.1f} MiB/s, "
                  f"multipart x{args.concurrency} {multi[-1]:.1f} MiB/s", flush=True)

        def fmt(xs):
            return f"best {max(xs):7.1f} MiB/s  median {statistics.median(xs):7.1f} MiB/s"
        print(f"\n{args.size_mib} MiB object, {args.rounds} rounds, parts of {args.part_mib} MiB")
        print(f"single streamed PUT        : {fmt(single)}")
        print(f"multipart, {args.concurrency} parallel parts : {fmt(multi)}")
        print(f"ratio multipart / single   : best {max(multi) / max(single):.2f}x  "
              f"median {statistics.median(multi) / statistics.median(single):.2f}x")
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
