# Metrics, access and audit logs, log reopening on SIGHUP and readiness, on the real server.
import json
import os
import re
import shutil
import signal
import tempfile
import time
import urllib.request

import pytest

from s3util import boto3_client


def get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.headers, r.read().decode()


def metric(text, name, **labels):
    """The value of one series in Prometheus text, or None."""
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = "^" + re.escape(name) + (r"\{" + re.escape(want) + r"\}" if labels else "") + \
        r" (\S+)$"
    m = re.search(pattern, text, re.M)
    return float(m.group(1)) if m else None


@pytest.fixture(scope="module")
def log_dir():
    d = tempfile.mkdtemp(prefix="maxiofs-obs-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="module")
def obs_server(server_factory, log_dir):
    return server_factory.start(extra_args=[
        "--log-format", "json",
        "--logging-access-file", os.path.join(log_dir, "access.log"),
        "--logging-audit-file", os.path.join(log_dir, "audit.log"),
        "--metrics-listen", "127.0.0.1:0"])


def read_json_lines(path):
    """Every complete record; a last line still being written (no newline yet) is left out."""
    with open(path) as f:
        return [json.loads(line) for line in f if line.endswith("\n") and line.strip()]


def test_metrics_count_requests_bytes_and_buckets(obs_server):
    s3 = boto3_client(obs_server.endpoint, obs_server.access_key, obs_server.secret_key)
    s3.create_bucket(Bucket="metrics")
    for i in range(3):
        s3.put_object(Bucket="metrics", Key=f"k{i}", Body=b"x" * 1000)
    s3.get_object(Bucket="metrics", Key="k0")["Body"].read()
    with pytest.raises(Exception):
        s3.get_object(Bucket="metrics", Key="missing")

    status, headers, text = get(obs_server.endpoint + "/_maxiofs/metrics")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert metric(text, "maxiofs_http_requests_total", server="s3", operation="PutObject",
                  status="2xx") == 3
    assert metric(text, "maxiofs_http_requests_total", server="s3", operation="GetObject",
                  status="4xx") == 1
    assert metric(text, "maxiofs_http_request_duration_seconds_count", server="s3",
                  operation="PutObject") == 3
    assert metric(text, "maxiofs_http_received_bytes_total", server="s3") >= 3000
    assert metric(text, "maxiofs_http_sent_bytes_total", server="s3") >= 1000
    assert metric(text, "maxiofs_ready") == 1
    assert metric(text, "process_resident_memory_bytes") > 1e6
    assert metric(text, "process_open_fds") > 3
    assert metric(text, "maxiofs_uptime_seconds") >= 0
    assert re.search(r'maxiofs_disk_free_bytes\{path="[^"]+"\} \d+', text)
    assert "# TYPE maxiofs_fuse_operations_total counter" in text


def test_bucket_usage_metrics(obs_server):
    s3 = boto3_client(obs_server.endpoint, obs_server.access_key, obs_server.secret_key)
    s3.create_bucket(Bucket="usage")
    s3.put_object(Bucket="usage", Key="a", Body=b"a" * 100)
    s3.put_object(Bucket="usage", Key="b", Body=b"b" * 250)
    # Usage is cached for a few seconds between scrapes: poll, bounded.
    deadline = time.monotonic() + 20
    while True:
        _, _, text = get(obs_server.endpoint + "/_maxiofs/metrics")
        if metric(text, "maxiofs_bucket_objects", bucket="usage") == 2 or \
                time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert metric(text, "maxiofs_bucket_objects", bucket="usage") == 2, text
    assert metric(text, "maxiofs_bucket_bytes", bucket="usage") == 350


def test_separate_metrics_listener_serves_metrics_and_health(obs_server):
    m = re.search(r"metrics listening on \S+ \(port (\d+)", obs_server.log_tail(100000))
    assert m, obs_server.log_tail(100)
    port = int(m.group(1))
    status, _, text = get(f"http://127.0.0.1:{port}/_maxiofs/metrics")
    assert status == 200 and "maxiofs_http_requests_total" in text
    assert get(f"http://127.0.0.1:{port}/_maxiofs/health/ready")[0] == 200
    with pytest.raises(urllib.error.HTTPError) as e:
        get(f"http://127.0.0.1:{port}/some-bucket")
    assert e.value.code == 404


def test_access_log_is_json_with_every_field(obs_server, log_dir):
    s3 = boto3_client(obs_server.endpoint, obs_server.access_key, obs_server.secret_key)
    s3.create_bucket(Bucket="accesslog")
    resp = s3.put_object(Bucket="accesslog", Key="dir/file.txt", Body=b"12345")
    request_id = resp["ResponseMetadata"]["RequestId"]
    path = os.path.join(log_dir, "access.log")
    deadline = time.monotonic() + 10
    records = []
    while time.monotonic() < deadline:
        records = [r for r in read_json_lines(path) if r.get("request_id") == request_id]
        if records:
            break
        time.sleep(0.1)
    assert len(records) == 1, records
    r = records[0]
    assert r["op"] == "PutObject" and r["method"] == "PUT" and r["status"] == 200
    assert r["bucket"] == "accesslog" and r["key"] == "dir/file.txt"
    assert r["user"] == obs_server.access_key
    assert r["bytes_in"] == 5 and r["remote"].startswith("127.0.0.1:")
    assert r["latency_ms"] >= 0 and r["time"].endswith("Z")


def test_audit_log_records_management_changes(obs_server, log_dir):
    s3 = boto3_client(obs_server.endpoint, obs_server.access_key, obs_server.secret_key)
    s3.create_bucket(Bucket="audited")
    s3.put_bucket_versioning(Bucket="audited", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="audited", Key="not-audited", Body=b"x")
    with pytest.raises(Exception):
        s3.create_bucket(Bucket="Bad_Name")
    time.sleep(0.2)
    records = read_json_lines(os.path.join(log_dir, "audit.log"))
    ops = [(r["op"], r["bucket"], r["outcome"]) for r in records]
    assert ("CreateBucket", "audited", "success") in ops, ops
    assert ("PutBucketVersioning", "audited", "success") in ops, ops
    assert ("CreateBucket", "Bad_Name", "failure") in ops, ops
    assert all(r["op"] != "PutObject" for r in records)


def test_sighup_reopens_log_files(obs_server, log_dir):
    path = os.path.join(log_dir, "access.log")
    os.rename(path, path + ".1")
    os.kill(obs_server.pid, signal.SIGHUP)
    s3 = boto3_client(obs_server.endpoint, obs_server.access_key, obs_server.secret_key)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not os.path.exists(path):
        s3.list_buckets()
        time.sleep(0.1)
    assert os.path.exists(path), "access.log not reopened after SIGHUP"
    s3.list_buckets()
    # Access records are buffered and written within a second.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if any(r["op"] == "ListBuckets" for r in read_json_lines(path)):
            break
        time.sleep(0.1)
    assert any(r["op"] == "ListBuckets" for r in read_json_lines(path))
    assert obs_server.alive()


def test_readiness_needs_a_writable_data_dir(server_factory):
    srv = server_factory.start()
    assert get(srv.endpoint + "/_maxiofs/health/ready")[0] == 200
    # The readiness probe writes a file under <data>/tmp; make that impossible (even for root)
    # by putting a regular file where the directory was.
    tmp = os.path.join(srv.data_dir, "tmp")
    os.rename(tmp, tmp + ".away")
    try:
        with open(tmp, "w") as f:
            f.write("not a directory")
        with pytest.raises(urllib.error.HTTPError) as e:
            get(srv.endpoint + "/_maxiofs/health/ready")
        assert e.value.code == 503
        _, _, text = get(srv.endpoint + "/_maxiofs/metrics")
        assert metric(text, "maxiofs_ready") == 0
    finally:
        if os.path.isfile(tmp):
            os.unlink(tmp)
        os.rename(tmp + ".away", tmp)
    assert get(srv.endpoint + "/_maxiofs/health/ready")[0] == 200
