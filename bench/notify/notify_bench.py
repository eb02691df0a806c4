#!/usr/bin/python3
"""What bucket notifications cost: PUT 4 KiB throughput into a bucket whose every PUT is an
event for a webhook target, against a bucket without rules, in the same run against one server
(the rounds alternate so other load on the machine lands on both alike), and the delivery
latency of those events (from the change's eventTime to the receiver, p50/p99).

The webhook receiver is a small HTTP/1.1 server in this process (keep-alive). The figures are
medians over the rounds, every round listed.

Usage: /usr/bin/python3 bench/notify/notify_bench.py --build-dir build [--duration 5] [--rounds 3]
"""
import argparse
import datetime
import http.server
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "s3"))

from bench import Maxiofs, boto3_client, run_wrk  # noqa: E402

import json  # noqa: E402


class Receiver:
    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.lock = threading.Lock()
        self.latencies_ms = []  # receive time - eventTime, per Records event
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                now = time.time()
                for r in json.loads(body).get("Records", []):
                    t = datetime.datetime.strptime(r["eventTime"], "%Y-%m-%dT%H:%M:%S.%fZ")
                    t = t.replace(tzinfo=datetime.timezone.utc).timestamp()
                    with receiver.lock:
                        receiver.latencies_ms.append((now - t) * 1000)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_HEAD(self):
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def take(self):
        with self.lock:
            out, self.latencies_ms = self.latencies_ms, []
            return out

    def count(self):
        with self.lock:
            return len(self.latencies_ms)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(len(v) * p / 100))]


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
    work = tempfile.mkdtemp(prefix="bench-notify-", dir=os.path.abspath(args.build_dir))
    receiver = Receiver()
    mx = Maxiofs(binary, work, extra_env={
        "MAXIOFS_NOTIFY_WEBHOOK_NAME": "hook",
        "MAXIOFS_NOTIFY_WEBHOOK_ENDPOINT": f"http://127.0.0.1:{receiver.port}/events",
        "MAXIOFS_NOTIFY_QUEUE_LIMIT": "10000000"})
    try:
        mx.start()
        s3 = boto3_client(mx.endpoint, mx.ak, mx.sk)
        for b in ("plain", "hooked"):
            s3.create_bucket(Bucket=b)
        s3.put_bucket_notification_configuration(Bucket="hooked", NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": "arn:maxiofs:sqs::hook",
                                     "Events": ["s3:ObjectCreated:*"]}]})
        body_file = os.path.join(work, "body")
        with open(body_file, "wb") as f:
            f.write(os.urandom(4096))
        targets = {}
        for b in ("plain", "hooked"):
            targets[b] = os.path.join(work, f"{b}.txt")
            with open(targets[b], "w") as f:
                for i in range(2000):
                    u = urlsplit(s3.generate_presigned_url(
                        "put_object", Params={"Bucket": b, "Key": f"obj-{i}"}, ExpiresIn=3600))
                    f.write(f"{u.path}?{u.query}\n")
        deadline = time.monotonic() + 10
        while receiver.count() == 0 and time.monotonic() < deadline:  # the s3:TestEvent
            time.sleep(0.05)
        receiver.take()
        load_before = os.getloadavg()[0]
        results = {"plain": [], "hooked": []}
        latencies = []
        for rnd in range(args.rounds):
            for b in ("plain", "hooked"):
                r = run_wrk(mx.endpoint + "/", targets[b], "PUT", body_file, args.duration,
                            args.connections, args.threads)
                ops = r["requests"] / (r["duration_us"] / 1e6)
                errors = r["err_status"] + r["err_read"] + r["err_write"] + r["err_timeout"]
                drain = ""
                if b == "hooked":
                    # Wait (bounded) until every event of the round arrived.
                    t0 = time.monotonic()
                    while receiver.count() < r["requests"] and time.monotonic() - t0 < 120:
                        time.sleep(0.02)
                    got = receiver.take()
                    latencies += got
                    drain = (f"  events {len(got)}/{r['requests']} drained "
                             f"{time.monotonic() - t0:.2f}s after the round")
                results[b].append((ops, errors))
                print(f"  round {rnd + 1} {b:7s} {ops:8.0f} PUT/s  p50 {r['p50_us'] / 1000:.2f} ms"
                      f"  p99 {r['p99_us'] / 1000:.2f} ms  errors {errors}{drain}", flush=True)
        print()
        print(f"Bucket notifications: PUT 4 KiB (durable), {args.connections} connections, "
              f"{args.threads} wrk threads, {args.rounds} rounds of {args.duration}s, loopback, "
              f"{os.cpu_count()} cores shared by client, server and receiver; load average "
              f"before {load_before:.1f}, after {os.getloadavg()[0]:.1f}")
        plain = statistics.median(o for o, _ in results["plain"])
        hooked = statistics.median(o for o, _ in results["hooked"])
        print(f"  no rules:        {plain:8.0f} PUT/s")
        print(f"  webhook target:  {hooked:8.0f} PUT/s  ({hooked / plain:.2f}x)")
        print(f"  delivery latency (eventTime -> receiver, {len(latencies)} events): "
              f"p50 {pct(latencies, 50):.1f} ms  p99 {pct(latencies, 99):.1f} ms  "
              f"max {max(latencies) if latencies else float('nan'):.1f} ms")
    finally:
        mx.stop()
        receiver.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
