"""Console figures for issue 6's targets, printed (never asserted):
  - first load: index.html plus its assets, compressed bytes and time on loopback;
  - one page (200 entries) of the object browser's listing in a 100,000-key bucket;
  - upload of a large file through the console API (streamed PUT, and multipart in 32 MiB
    parts as the app does) against the same file through aws cli.
Usage: /usr/bin/python3 bench/console/console_bench.py BUILD_DIR [KEYS] [MIB]
"""
import concurrent.futures
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import boto3
import requests
from botocore.config import Config

build = sys.argv[1] if len(sys.argv) > 1 else "build"
keys = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
mib = int(sys.argv[3]) if len(sys.argv) > 3 else 512
binary = os.path.abspath(os.path.join(build, "maxiofs"))
tmp = tempfile.mkdtemp(prefix="maxiofs-console-bench-")
ak, sk = "benchadmin", "bench-secret-key-0123456789"
log_path = os.path.join(tmp, "log")
env = {k: v for k, v in os.environ.items() if not k.startswith("MAXIOFS_") and k != "AWS_CA_BUNDLE"}
proc = subprocess.Popen([binary, "server", "--data-dir", os.path.join(tmp, "d"), "--listen", "127.0.0.1:0",
                         "--console-listen", "127.0.0.1:0", "--access-key", ak, "--secret-key", sk],
                        stdout=open(log_path, "wb"), stderr=subprocess.STDOUT, env=env, start_new_session=True)
try:
    deadline = time.monotonic() + 30
    s3_port = console_port = None
    while time.monotonic() < deadline and not (s3_port and console_port):
        text = open(log_path, encoding="utf-8", errors="replace").read()
        m = re.search(r"maxiofs ready: s3=127\.0\.0\.1:(\d+)", text)
        c = re.search(r"web console listening on http://127\.0\.0\.1:(\d+)", text)
        s3_port = m and int(m.group(1))
        console_port = c and int(c.group(1))
        time.sleep(0.05)
    base = f"http://127.0.0.1:{console_port}"
    s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{s3_port}", aws_access_key_id=ak,
                      aws_secret_access_key=sk, region_name="us-east-1",
                      config=Config(max_pool_connections=32, retries={"max_attempts": 2}))

    # First load.
    t0 = time.perf_counter()
    index = requests.get(base + "/", headers={"Accept-Encoding": "gzip"})
    total = int(index.headers.get("Content-Length", 0))
    assets = re.findall(r'(?:src|href)="(/assets/[^"]+)"', index.text)
    for a in assets:
        r = requests.get(base + a, stream=True, headers={"Accept-Encoding": "gzip"})
        total += int(r.headers["Content-Length"])
        r.raw.read()
    print(f"first load: {len(assets) + 1} files, {total / 1024:.0f} KiB compressed, "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms on loopback")

    ui = requests.Session()
    csrf = ui.post(base + "/api/v1/auth/login", json={"accessKey": ak, "secretKey": sk}).json()["csrfToken"]

    # 100,000 keys (folders of 1000), then time pages of the browser's listing.
    s3.create_bucket(Bucket="many")
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        list(pool.map(lambda i: s3.put_object(Bucket="many", Key=f"k{i // 1000:03d}-{i:06d}", Body=b"x"),
                      range(keys)))
    print(f"filled {keys} keys in {time.perf_counter() - t0:.1f} s")
    times = []
    cursor = ""
    for _ in range(20):
        t0 = time.perf_counter()
        r = ui.get(base + "/api/v1/buckets/many/objects", params={"limit": 200, "startAfter": cursor})
        times.append((time.perf_counter() - t0) * 1000)
        cursor = r.json()["nextStartAfter"]
    t0 = time.perf_counter()
    ui.get(base + "/api/v1/buckets/many/objects", params={"limit": 1000, "startAfter": "k099-099000"})
    last = (time.perf_counter() - t0) * 1000
    times.sort()
    print(f"browser page of 200 in a {keys}-key bucket: median {times[len(times) // 2]:.1f} ms, "
          f"max {times[-1]:.1f} ms; a page of 1000 near the end: {last:.1f} ms")

    # Upload: console (one streamed PUT; multipart as the app does) vs aws cli.
    src = os.path.join(tmp, "big.bin")
    with open(src, "wb") as f:
        for _ in range(mib):
            f.write(os.urandom(1 << 20))
    s3.create_bucket(Bucket="upload-bench")
    with open(src, "rb") as f:
        t0 = time.perf_counter()
        r = ui.put(base + "/api/v1/buckets/upload-bench/upload", params={"key": "console-put"}, data=f,
                   headers={"X-CSRF-Token": csrf, "Content-Type": "application/octet-stream"})
        put_s = time.perf_counter() - t0
    assert r.status_code == 201, r.text
    t0 = time.perf_counter()
    up = ui.post(base + "/api/v1/buckets/upload-bench/multipart", params={"key": "console-mp"},
                 headers={"X-CSRF-Token": csrf}).json()["uploadId"]
    part = 32 << 20
    parts = []

    def send(n):
        with open(src, "rb") as f:
            f.seek((n - 1) * part)
            data = f.read(part)
        r = requests.put(base + "/api/v1/buckets/upload-bench/multipart/part",
                         params={"key": "console-mp", "uploadId": up, "partNumber": n}, data=data,
                         headers={"X-CSRF-Token": csrf}, cookies=ui.cookies)
        return {"partNumber": n, "etag": r.json()["etag"]}
    count = (mib * (1 << 20) + part - 1) // part
    # The app sends one part at a time per file (two files at once); time that.
    parts = [send(n) for n in range(1, count + 1)]
    r = ui.post(base + "/api/v1/buckets/upload-bench/multipart/complete", params={"key": "console-mp", "uploadId": up},
                json={"parts": parts}, headers={"X-CSRF-Token": csrf})
    mp_s = time.perf_counter() - t0
    assert r.status_code == 201, r.text
    cli_env = dict(env, AWS_ACCESS_KEY_ID=ak, AWS_SECRET_ACCESS_KEY=sk, AWS_DEFAULT_REGION="us-east-1")
    t0 = time.perf_counter()
    subprocess.run(["/usr/bin/aws", "--endpoint-url", f"http://127.0.0.1:{s3_port}", "s3", "cp", src,
                    "s3://upload-bench/cli", "--only-show-errors"], check=True, env=cli_env)
    cli_s = time.perf_counter() - t0
    mbs = lambda s: mib / s
    print(f"upload {mib} MiB: console PUT {mbs(put_s):.0f} MiB/s, console multipart (sequential "
          f"32 MiB parts) {mbs(mp_s):.0f} MiB/s, aws cli {mbs(cli_s):.0f} MiB/s "
          f"(console/cli: {cli_s / put_s:.2f}x PUT, {cli_s / mp_s:.2f}x multipart)")
finally:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    shutil.rmtree(tmp, ignore_errors=True)
