#!/usr/bin/env python3
"""maxiofs with its data on a remote S3 service, against that service used directly.

One run, all on loopback:
  R  = the remote S3 service: a maxiofs on the filesystem backend (or npm's s3rver with
       --remote s3rver; MAXIOFS_TEST_SERVERS must point at tests/servers' install)
  F  = maxiofs with storage.backend s3 on R, read cache off (every GET goes to R)
  FC = the same with the read cache on
  P  = maxiofs on the filesystem backend (the cached GET's yardstick)
Figures: PUT and GET of 1 MiB objects (ops/s, THREADS clients), F/R ratios (goal >= 0.7);
GET of a cached 1 MiB object on FC vs P (goal >= 0.9); F's peak RSS while CLIENTS clients each
PUT then GET one STREAM_MIB object (goal < 200 MiB). Prints figures; asserts nothing.

Usage: remote_bench.py BUILD_DIR [--remote maxiofs|s3rver]
Environment: BENCH_SECONDS (5), THREADS (8), CLIENTS (64), STREAM_MIB (64).
"""
import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import boto3
from botocore.config import Config

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
THREADS = int(os.environ.get("THREADS", "8"))
CLIENTS = int(os.environ.get("CLIENTS", "64"))
STREAM_MIB = int(os.environ.get("STREAM_MIB", "64"))
MIB = 1 << 20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


class Proc:
    def __init__(self, args, port, env=None):
        self.port = port
        self.log = tempfile.NamedTemporaryFile(prefix="remote-bench-", suffix=".log", delete=False)
        e = {k: v for k, v in os.environ.items() if not k.startswith("MAXIOFS_")}
        e.update(env or {})
        self.p = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=e,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
        wait_port(port)

    def rss_mib(self):
        with open(f"/proc/{self.p.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        os.unlink(self.log.name)


def maxiofs(build, data, extra=(), env=None):
    port = free_port()
    args = [os.path.join(build, "maxiofs"), "server", "--data-dir", data,
            "--listen", f"127.0.0.1:{port}", "--console-listen", "127.0.0.1:0",
            "--access-key", "BENCHKEY", "--secret-key", "benchsecret",
            "--log-level", "warn"] + list(extra)
    return Proc(args, port, env)


def client(port, key="BENCHKEY", secret="benchsecret"):
    return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id=key, aws_secret_access_key=secret,
                        config=Config(s3={"addressing_style": "path"},
                                      retries={"max_attempts": 1}, max_pool_connections=THREADS))


def rate(fn, seconds=SECONDS, threads=THREADS):
    """Runs fn(thread, i) in `threads` threads for `seconds`; returns ops/s."""
    stop = time.monotonic() + seconds
    counts = [0] * threads

    def run(t):
        i = 0
        while time.monotonic() < stop:
            fn(t, i)
            i += 1
        counts[t] = i

    ts = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    t0 = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(counts) / (time.monotonic() - t0)


def put_get(port, bucket, key_creds=None):
    s3 = client(port, *(key_creds or ()))
    try:
        s3.create_bucket(Bucket=bucket)
    except Exception:  # noqa: BLE001 - exists already
        pass
    body = os.urandom(MIB)
    put = rate(lambda t, i: s3.put_object(Bucket=bucket, Key=f"p/{t}/{i % 50}", Body=body))
    for t in range(THREADS):
        s3.put_object(Bucket=bucket, Key=f"g/{t}", Body=body)
    get = rate(lambda t, i: s3.get_object(Bucket=bucket, Key=f"g/{t}")["Body"].read())
    return put, get


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--remote", default="maxiofs", choices=["maxiofs", "s3rver"])
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    root = tempfile.mkdtemp(prefix="remote-bench-")
    procs = []
    try:
        if a.remote == "maxiofs":
            r = maxiofs(build, os.path.join(root, "r"))
            rkey = ("BENCHKEY", "benchsecret")
        else:
            servers = os.environ["MAXIOFS_TEST_SERVERS"]
            port = free_port()
            os.makedirs(os.path.join(root, "r"))
            r = Proc(["node", "--openssl-legacy-provider",
                      os.path.join(servers, "node_modules/s3rver/bin/s3rver.js"), "-d",
                      os.path.join(root, "r"), "-a", "127.0.0.1", "-p", str(port), "-s"], port)
            rkey = ("S3RVER", "S3RVER")
        procs.append(r)
        client(r.port, *rkey).create_bucket(Bucket="blobs")
        remote = ["--storage-backend", "s3", "--storage-s3-endpoint",
                  f"http://127.0.0.1:{r.port}", "--storage-s3-bucket", "blobs",
                  "--storage-s3-access-key", rkey[0]]
        env = {"MAXIOFS_STORAGE_S3_SECRET_KEY": rkey[1]}
        f = maxiofs(build, os.path.join(root, "f"), remote + ["--storage-cache-size", "0"], env)
        procs.append(f)
        fc = maxiofs(build, os.path.join(root, "fc"),
                     remote + ["--storage-s3-prefix", "fc/"], env)
        procs.append(fc)
        p = maxiofs(build, os.path.join(root, "p"))
        procs.append(p)
        print(f"load average before: {open('/proc/loadavg').read().split()[:3]}")
        print(f"{'1 MiB objects, ops/s':32s} {'PUT':>8s} {'GET':>8s}   ({THREADS} clients, "
              f"{SECONDS:.0f} s each)")
        d_put, d_get = put_get(r.port, "direct", rkey)
        print(f"{a.remote + ' direct':32s} {d_put:8.1f} {d_get:8.1f}")
        f_put, f_get = put_get(f.port, "viaremote")
        print(f"{'maxiofs on ' + a.remote:32s} {f_put:8.1f} {f_get:8.1f}   "
              f"ratio PUT {f_put / d_put:.2f} GET {f_get / d_get:.2f} (goal >= 0.7)")
        _, c_get = put_get(fc.port, "cached")
        _, p_get = put_get(p.port, "local")
        print(f"{'cached GET: maxiofs on remote':32s} {'':8s} {c_get:8.1f}")
        print(f"{'GET: maxiofs filesystem':32s} {'':8s} {p_get:8.1f}   ratio {c_get / p_get:.2f} "
              f"(goal >= 0.9)")
        # Memory: CLIENTS clients each stream one STREAM_MIB object in, then out.
        s3s = [client(f.port) for _ in range(CLIENTS)]
        s3s[0].create_bucket(Bucket="stream")
        peak = [f.rss_mib()]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], f.rss_mib())
                time.sleep(0.05)

        class Gen:
            def __init__(self, n):
                self.left = n
                self.chunk = os.urandom(MIB)

            def read(self, n=-1):
                if self.left == 0:
                    return b""
                k = min(self.left, MIB if n is None or n < 0 else min(n, MIB))
                self.left -= k
                return self.chunk[:k]

        errors = []

        def one(i):
            try:
                s3s[i].upload_fileobj(Gen(STREAM_MIB * MIB), "stream", f"o{i}")
                body = s3s[i].get_object(Bucket="stream", Key=f"o{i}")["Body"]
                while body.read(MIB):
                    pass
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        sampler = threading.Thread(target=sample)
        sampler.start()
        t0 = time.monotonic()
        ts = [threading.Thread(target=one, args=(i,)) for i in range(CLIENTS)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        done.set()
        sampler.join()
        print(f"{CLIENTS} clients x {STREAM_MIB} MiB in and out through maxiofs on {a.remote}: "
              f"{time.monotonic() - t0:.1f} s, peak RSS {peak[0]:.0f} MiB (goal < 200), "
              f"errors {len(errors)}" + (f" first: {errors[0]}" if errors else ""))
        print(f"load average after: {open('/proc/loadavg').read().split()[:3]}")
    finally:
        for pr in reversed(procs):
            pr.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
