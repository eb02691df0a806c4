#!/usr/bin/python3
"""What CORS costs the S3 front end: server CPU per request of GET 4 KiB without an Origin, the
same GET from a browser origin that a bucket CORS rule matches (Access-Control-* headers added),
and the preflight (OPTIONS) a browser sends first, all in the same run against one server.

The three workloads alternate in rounds (default 3 rounds of 5 s each) so that other load on the
machine lands on all of them alike; the figures are medians over the rounds, every round listed.
Server CPU per request comes from /proc (user + system time of the server over the run divided
by the requests wrk completed), which other load on the machine barely moves.

Usage: /usr/bin/python3 bench/s3/cors_bench.py --build-dir build [--duration 5] [--rounds 3]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bench import Maxiofs, cpu_seconds  # noqa: E402
from bench import boto3_client  # noqa: E402

ORIGIN = "https://app.example"


def run_wrk(url, targets, method, headers, duration, conns, threads):
    cmd = ["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{duration}s", "--timeout", "30s",
           "-s", os.path.join(HERE, "wrk_headers.lua"), url, "--", targets, method] + headers
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 120)
    m = re.search(r"WRKJSON (\{.*\})", p.stdout)
    if not m:
        raise SystemExit(f"wrk failed: {p.stdout}\n{p.stderr}")
    return json.loads(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "5")))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    binary = os.path.abspath(os.path.join(args.build_dir, "maxiofs"))
    if not shutil.which("wrk"):
        raise SystemExit("wrk missing: run scripts/install-deps.sh bench")
    work = tempfile.mkdtemp(prefix="bench-cors-", dir=os.path.abspath(args.build_dir))
    mx = Maxiofs(binary, work)
    try:
        mx.start()
        s3 = boto3_client(mx.endpoint, mx.ak, mx.sk)
        s3.create_bucket(Bucket="bench")
        s3.put_bucket_cors(Bucket="bench", CORSConfiguration={"CORSRules": [
            {"AllowedMethods": ["PUT"], "AllowedOrigins": ["https://uploader.example"]},
            {"AllowedMethods": ["GET", "HEAD"], "AllowedOrigins": ["https://*.example"],
             "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag", "x-amz-request-id"],
             "MaxAgeSeconds": 600}]})
        body = os.urandom(4096)
        count = 1000
        with ThreadPoolExecutor(8) as ex:
            list(ex.map(lambda i: s3.put_object(Bucket="bench", Key=f"obj-{i}", Body=body),
                        range(count)))
        targets = os.path.join(work, "get.txt")
        with open(targets, "w") as f:
            for i in range(count):
                u = urlsplit(s3.generate_presigned_url(
                    "get_object", Params={"Bucket": "bench", "Key": f"obj-{i}"}, ExpiresIn=3600))
                f.write(f"{u.path}?{u.query}\n")
        # One check of what each workload answers, before measuring it.
        probe = subprocess.run(["curl", "-s", "-o", "/dev/null", "-D", "-", "-H",
                                f"Origin: {ORIGIN}", mx.endpoint + open(targets).readline().strip()],
                               capture_output=True, text=True, timeout=30).stdout
        assert "Access-Control-Allow-Origin: " + ORIGIN in probe, probe
        probe = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X",
                                "OPTIONS", "-H", f"Origin: {ORIGIN}", "-H",
                                "Access-Control-Request-Method: GET",
                                mx.endpoint + "/bench/obj-1"],
                               capture_output=True, text=True, timeout=30).stdout
        assert probe == "200", probe

        workloads = [
            ("GET 4KiB", "GET", []),
            ("GET 4KiB + CORS", "GET", [f"Origin: {ORIGIN}"]),
            ("preflight", "OPTIONS", [f"Origin: {ORIGIN}", "Access-Control-Request-Method: GET",
                                      "Access-Control-Request-Headers: x-amz-date, authorization"]),
        ]
        results = {name: [] for name, _, _ in workloads}
        for rnd in range(args.rounds):
            for name, method, headers in workloads:
                before = cpu_seconds(mx.proc.pid)
                r = run_wrk(mx.endpoint + "/", targets, method, headers, args.duration,
                            args.connections, args.threads)
                cpu_us = (cpu_seconds(mx.proc.pid) - before) * 1e6 / max(r["requests"], 1)
                ops = r["requests"] / (r["duration_us"] / 1e6)
                errors = r["err_status"] + r["err_read"] + r["err_write"] + r["err_timeout"]
                results[name].append((cpu_us, ops, errors))
                print(f"  round {rnd + 1} {name:16s} {ops:9.0f} ops/s  server cpu {cpu_us:6.1f} "
                      f"us/op  p50 {r['p50_us'] / 1000:.2f} ms  errors {errors}", flush=True)
        print()
        print(f"CORS cost: {args.connections} connections, {args.threads} wrk threads, "
              f"{args.rounds} rounds of {args.duration}s, loopback, {os.cpu_count()} cores "
              f"shared by client and server; load average before: {os.getloadavg()[0]:.1f}")
        base = statistics.median(c for c, _, _ in results["GET 4KiB"])
        print(f"{'workload':18s} {'ops/s':>9s} {'cpu us/op':>10s} {'vs GET 4KiB':>12s} {'errors':>7s}")
        for name, _, _ in workloads:
            cpu = statistics.median(c for c, _, _ in results[name])
            ops = statistics.median(o for _, o, _ in results[name])
            errs = sum(e for _, _, e in results[name])
            print(f"{name:18s} {ops:9.0f} {cpu:10.1f} {(cpu / base - 1) * 100:+11.1f}% {errs:7d}")
    finally:
        mx.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
