#!/usr/bin/python3
"""S3 benchmark: maxiofs vs nginx (static GET + WebDAV PUT) on loopback, same disk.

Drives GET and PUT of 4 KiB and 1 MiB objects with wrk (16 connections) over presigned URLs
(maxiofs) or plain paths (nginx), and prints ops/s, MiB/s, p50/p99 latency and the ratios.
Then samples the maxiofs server's RSS during a 1 GiB PUT and during 64 parallel 64 MiB GETs.

maxiofs acknowledges a PUT only after fsync (engine.sync=true); nginx's WebDAV PUT does not
fsync, so the PUT ratio compares a durable store with a non-durable baseline.

Usage: /usr/bin/python3 bench/s3/bench.py --build-dir build [--duration 10]
"""
import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "integration"))

from s3util import DetStream, boto3_client  # noqa: E402

MiB = 1 << 20
READY_RE = re.compile(r"maxiofs ready: s3=([^\s:]+):(\d+) data=(\S+)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


class Maxiofs:
    def __init__(self, binary, work, extra_env=()):
        self.binary = binary
        self.extra_env = dict(extra_env)  # MAXIOFS_* settings for this run (--maxiofs-env)
        self.data = os.path.join(work, "maxiofs-data")
        self.log_path = os.path.join(work, "maxiofs.log")
        self.ak = "BENCH" + secrets.token_hex(6).upper()
        self.sk = secrets.token_urlsafe(30)
        self.proc = None
        self.port = None

    def start(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAXIOFS_")}
        env["MAXIOFS_ENGINE_SYNC"] = "true"  # every PUT durable before it is acknowledged
        env.update(self.extra_env)
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [self.binary, "server", "--data-dir", self.data, "--listen", "127.0.0.1:0",
             "--console-listen", "127.0.0.1:0", "--access-key", self.ak, "--secret-key", self.sk,
             "--log-level", "warn"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            m = READY_RE.search(open(self.log_path, "rb").read().decode("utf-8", "replace"))
            if m:
                self.port = int(m.group(2))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise SystemExit("maxiofs did not become ready:\n" + open(self.log_path).read()[-3000:])

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


class Nginx:
    def __init__(self, work):
        self.work = work
        self.root = os.path.join(work, "nginx-root")
        self.port = free_port()
        self.conf = os.path.join(work, "nginx.conf")
        self.proc = None

    def start(self):
        for d in ("nginx-tmp", "nginx-logs"):
            os.makedirs(os.path.join(self.work, d), exist_ok=True)
        os.makedirs(self.root, exist_ok=True)
        user = "user root root;\n" if os.geteuid() == 0 else ""
        with open(self.conf, "w") as f:
            f.write(f"""{user}worker_processes 2;
daemon off;
pid {self.work}/nginx.pid;
error_log {self.work}/nginx-logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  default_type application/octet-stream;
  sendfile on;
  keepalive_requests 1000000;
  client_body_temp_path {self.work}/nginx-tmp;
  client_max_body_size 8m;
  client_body_buffer_size 1m;
  server {{
    listen 127.0.0.1:{self.port};
    root {self.root};
    location / {{
      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
    }}
  }}
}}
""")
        self.proc = subprocess.Popen(["nginx", "-e", f"{self.work}/nginx-logs/error.log",
                                      "-p", self.work, "-c", self.conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        if not wait_port(self.port):
            self.stop()
            raise SystemExit("nginx did not start: " +
                             open(f"{self.work}/nginx-logs/error.log").read()[-2000:])

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGQUIT)  # graceful shutdown of master + workers
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def payload(size, seed):
    s = DetStream(size, seed)
    return s.read(size)


def run_wrk(url, targets_file, method, body_file, duration, conns, threads):
    cmd = ["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{duration}s", "--timeout", "30s",
           "-s", os.path.join(HERE, "wrk_s3.lua"), url, "--", targets_file, method]
    if body_file:
        cmd.append(body_file)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 120)
    m = re.search(r"WRKJSON (\{.*\})", p.stdout)
    if not m:
        raise SystemExit(f"wrk failed: {p.stdout}\n{p.stderr}")
    r = json.loads(m.group(1))
    return r


def cpu_seconds(pid):
    """User + system CPU seconds of process `pid` and of its child processes still running
    (nginx's workers), from /proc; 0 for a process that is gone."""
    tick = os.sysconf("SC_CLK_TCK")

    def one(p):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return int(fields[1]), (int(fields[11]) + int(fields[12])) / tick  # ppid, utime+stime
        except (OSError, IndexError, ValueError):
            return None, 0.0

    total = one(pid)[1]
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != pid:
            ppid, secs = one(entry)
            if ppid == pid:
                total += secs
    return total


def fmt_ms(us):
    return f"{us / 1000:.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-rss", action="store_true")
    ap.add_argument("--only", action="append", default=[], metavar="WORKLOAD",
                    help='run only this workload, e.g. "GET 4KiB" (repeatable; default all)')
    ap.add_argument("--perf-dir", metavar="DIR",
                    help="record the maxiofs server with `perf record -g` during each of its runs, "
                         "one perf-<op>-<size>.data per workload in DIR")
    ap.add_argument("--maxiofs-env", action="append", default=[], metavar="NAME=VALUE",
                    help="a MAXIOFS_* setting for the server, e.g. "
                         "MAXIOFS_STORAGE_ENCRYPTION_ENABLED=true (repeatable)")
    args = ap.parse_args()
    extra_env = []
    for item in args.maxiofs_env:
        name, sep, value = item.partition("=")
        if not sep or not name.startswith("MAXIOFS_"):
            raise SystemExit(f"--maxiofs-env wants MAXIOFS_NAME=VALUE, got {item!r}")
        extra_env.append((name, value))

    binary = os.path.abspath(os.path.join(args.build_dir, "maxiofs"))
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"no maxiofs binary at {binary}")
    for tool in ("wrk", "nginx", "curl"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} missing: run scripts/install-deps.sh bench")
    # Both servers' data under one directory inside the build dir: the same disk.
    work = tempfile.mkdtemp(prefix="bench-s3-", dir=os.path.abspath(args.build_dir))
    mx = Maxiofs(binary, work, extra_env)
    ngx = Nginx(work)
    results = {}
    try:
        mx.start()
        ngx.start()
        s3 = boto3_client(mx.endpoint, mx.ak, mx.sk)
        s3.create_bucket(Bucket="bench")
        # "4KiB-tagged": the same GET of objects with 3 tags each (x-amz-tagging-count is read
        # from the version record), to show what tags cost a GET; no PUT workload of its own.
        sizes = {"4KiB": (4096, 1000), "4KiB-tagged": (4096, 1000), "1MiB": (MiB, 128)}
        tagging = {"4KiB-tagged": "project=bench&owner=team-a&tier=hot"}
        files_dir = os.path.join(work, "bodies")
        os.makedirs(files_dir)
        for label, (size, count) in sizes.items():
            body = payload(size, seed=size)
            body_file = os.path.join(files_dir, label)
            with open(body_file, "wb") as f:
                f.write(body)
            # GET set: the same bytes in both stores.
            os.makedirs(os.path.join(ngx.root, "bench", f"get{label}"), exist_ok=True)
            os.makedirs(os.path.join(ngx.root, "bench", f"put{label}"), exist_ok=True)

            def put_one(i, label=label, body=body):
                extra = {"Tagging": tagging[label]} if label in tagging else {}
                s3.put_object(Bucket="bench", Key=f"get{label}/obj-{i}", Body=body, **extra)
                with open(os.path.join(ngx.root, "bench", f"get{label}", f"obj-{i}"), "wb") as f:
                    f.write(body)
            with ThreadPoolExecutor(8) as ex:
                list(ex.map(put_one, range(count)))
            for op in ("get", "put"):
                method = "get_object" if op == "get" else "put_object"
                mx_targets = []
                for i in range(count):
                    url = s3.generate_presigned_url(method, Params={"Bucket": "bench",
                                                                    "Key": f"{op}{label}/obj-{i}"},
                                                    ExpiresIn=3600)
                    u = urlsplit(url)
                    mx_targets.append(f"{u.path}?{u.query}")
                with open(os.path.join(work, f"mx-{op}{label}.txt"), "w") as f:
                    f.write("\n".join(mx_targets) + "\n")
                with open(os.path.join(work, f"ngx-{op}{label}.txt"), "w") as f:
                    f.write("\n".join(f"/bench/{op}{label}/obj-{i}" for i in range(count)) + "\n")

        # Write back what populating dirtied, so that its writeback does not land in (and slow)
        # the first measured run.
        os.sync()
        time.sleep(2)
        wanted = [(label, op) for label in sizes for op in ("GET", "PUT")
                  if (not args.only or f"{op} {label}" in args.only)
                  and not (op == "PUT" and label in tagging)]
        if not wanted:
            raise SystemExit(f"--only matched no workload: {args.only}")
        for label, op in wanted:
            size = sizes[label][0]
            body_file = os.path.join(files_dir, label) if op == "PUT" else None
            for name, url, prefix in (("maxiofs", mx.endpoint + "/", "mx"),
                                      ("nginx", f"http://127.0.0.1:{ngx.port}/", "ngx")):
                tf = os.path.join(work, f"{prefix}-{op.lower()}{label}.txt")
                perf = None
                if args.perf_dir and name == "maxiofs":
                    os.makedirs(args.perf_dir, exist_ok=True)
                    perf = subprocess.Popen(
                        ["perf", "record", "-g", "-q", "-p", str(mx.proc.pid), "-o",
                         os.path.join(args.perf_dir, f"perf-{op}-{label}.data")],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                server_pid = mx.proc.pid if name == "maxiofs" else ngx.proc.pid
                cpu_before = cpu_seconds(server_pid)
                try:
                    r = run_wrk(url, tf, op, body_file, args.duration, args.connections,
                                args.threads)
                finally:
                    if perf:
                        perf.send_signal(signal.SIGINT)
                        perf.wait(timeout=60)
                # Server CPU per request: unlike ops/s, barely moved by other load on the machine.
                r["cpu_us"] = (cpu_seconds(server_pid) - cpu_before) * 1e6 / max(r["requests"], 1)
                secs = r["duration_us"] / 1e6
                r["ops"] = r["requests"] / secs
                r["mibs"] = r["ops"] * size / MiB
                results[(label, op, name)] = r
                print(f"  {name:8s} {op} {label}: {r['ops']:9.0f} ops/s {r['mibs']:8.1f} MiB/s "
                      f"p50 {fmt_ms(r['p50_us'])} ms p99 {fmt_ms(r['p99_us'])} ms "
                      f"server cpu {r['cpu_us']:.0f} us/op errors(status={r['err_status']},read={r['err_read']},"
                      f"timeout={r['err_timeout']})", flush=True)

        # Correctness spot check after the PUT runs: one object of each PUT set reads back.
        for label, op in wanted:
            if op != "PUT":
                continue
            size = sizes[label][0]
            got = s3.get_object(Bucket="bench", Key=f"put{label}/obj-0")["Body"].read()
            assert got == payload(size, seed=size), f"maxiofs PUT {label} content wrong"

        print()
        print(f"S3 benchmark: {args.connections} connections, {args.threads} wrk threads, "
              f"{args.duration}s per run, loopback, {os.cpu_count()} cores shared by client and server")
        hdr = (f"{'workload':14s} {'server':8s} {'ops/s':>10s} {'MiB/s':>9s} {'p50 ms':>8s} "
               f"{'p99 ms':>8s} {'cpu us/op':>10s} {'errors':>7s}")
        print(hdr)
        print("-" * len(hdr))
        for label, op in wanted:
            for name in ("maxiofs", "nginx"):
                r = results[(label, op, name)]
                errs = r["err_status"] + r["err_read"] + r["err_write"] + r["err_timeout"] + r["err_connect"]
                print(f"{op + ' ' + label:14s} {name:8s} {r['ops']:10.0f} {r['mibs']:9.1f} "
                      f"{fmt_ms(r['p50_us']):>8s} {fmt_ms(r['p99_us']):>8s} {r['cpu_us']:10.1f} "
                      f"{errs:7d}")
            a, b = results[(label, op, "maxiofs")], results[(label, op, "nginx")]
            print(f"{'':14s} {'ratio':8s} {a['ops'] / b['ops']:10.2f} {a['mibs'] / b['mibs']:9.2f} "
                  f"{a['p50_us'] / max(b['p50_us'], 1):8.2f} {a['p99_us'] / max(b['p99_us'], 1):8.2f}"
                  f" {a['cpu_us'] / max(b['cpu_us'], 1e-9):10.2f}   (maxiofs / nginx)")
        print("note: maxiofs PUTs are fsync'ed before the reply; nginx WebDAV PUTs are not.")
        plain, tagged = results.get(("4KiB", "GET", "maxiofs")), results.get(("4KiB-tagged", "GET", "maxiofs"))
        if plain and tagged:
            print(f"tagged GET 4KiB vs GET 4KiB (maxiofs, same run): server cpu "
                  f"{tagged['cpu_us']:.1f} vs {plain['cpu_us']:.1f} us/op "
                  f"({(tagged['cpu_us'] / max(plain['cpu_us'], 1e-9) - 1) * 100:+.1f} %)")

        if not args.skip_rss:
            rss_runs(mx, s3, work)
    finally:
        ngx.stop()
        mx.stop()
        shutil.rmtree(work, ignore_errors=True)


class Sampler:
    def __init__(self, mx):
        self.mx, self.peak, self.stop = mx, 0, threading.Event()
        self.t = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.is_set():
            try:
                self.peak = max(self.peak, self.mx.rss_kib())
            except OSError:
                return
            self.stop.wait(0.1)

    def __enter__(self):
        self.t.start()
        return self

    def __exit__(self, *a):
        self.stop.set()
        self.t.join()


def rss_runs(mx, s3, work):
    print()
    base = mx.rss_kib()
    # 1 GiB PUT streamed from a generator through a presigned URL.
    url = urlsplit(s3.generate_presigned_url("put_object", Params={"Bucket": "bench", "Key": "gib"},
                                             ExpiresIn=3600))
    stream = DetStream(1 << 30, seed=99)
    t0 = time.monotonic()
    with Sampler(mx) as smp:
        conn = http.client.HTTPConnection("127.0.0.1", mx.port, timeout=600)
        conn.putrequest("PUT", f"{url.path}?{url.query}")
        conn.putheader("Content-Length", str(1 << 30))
        conn.endheaders()
        while True:
            c = stream.read(4 * MiB)
            if not c:
                break
            conn.send(c)
        resp = conn.getresponse()
        resp.read()
        conn.close()
    dt = time.monotonic() - t0
    ok = resp.status == 200 and resp.getheader("ETag") == f'"{stream.md5.hexdigest()}"'
    print(f"RSS: idle {base / 1024:.1f} MiB; peak during 1 GiB PUT {smp.peak / 1024:.1f} MiB "
          f"({1024 / dt:.0f} MiB/s, status {resp.status}, etag ok {ok})")

    # 64 parallel GETs of a 64 MiB object (curl to /dev/null).
    s3.put_object(Bucket="bench", Key="m64", Body=DetStream(64 * MiB, seed=64).read())
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": "bench", "Key": "m64"},
                                        ExpiresIn=3600)
    env = {k: v for k, v in os.environ.items() if k != "AWS_CA_BUNDLE"}
    t0 = time.monotonic()
    with Sampler(mx) as smp:
        procs = [subprocess.Popen(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                                   get_url], stdout=subprocess.PIPE, env=env) for _ in range(64)]
        outs = [p.communicate(timeout=600)[0].decode() for p in procs]
    dt = time.monotonic() - t0
    good = sum(1 for o in outs if o == f"200 {64 * MiB}")
    print(f"RSS: peak during 64 parallel 64 MiB GETs {smp.peak / 1024:.1f} MiB "
          f"({64 * 64 / dt:.0f} MiB/s aggregate, {good}/64 complete)")


if __name__ == "__main__":
    main()
