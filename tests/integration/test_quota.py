"""Bucket usage counters and quotas against the real maxiofs binary: the console's JSON admin
call sets quotas; boto3 and the aws cli see 403 QuotaExceeded for a single PUT, a multipart part
and completion, and a copy, with nothing stored; deletes still work; the metrics show usage and
limits; `maxiofs admin quota` and `maxiofs admin usage --verify` work offline on a data dir.

Run alone: /usr/bin/python3 -m pytest -q tests/integration/test_quota.py --maxiofs-bin build/maxiofs
"""
import os
import re
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import client_env
from s3util import http_get
from test_console_api import Console, console_url


@pytest.fixture(scope="module")
def admin(server):
    c = Console(console_url(server))
    r = c.login(server.access_key, server.secret_key)
    assert r.status_code == 200, r.text
    return c


def set_quota(admin, bucket, **limits):
    r = admin.send("PUT", f"/buckets/{bucket}/quota", json=limits)
    assert r.status_code == 200, r.text
    return r.json()


def error_code(exc):
    return exc.value.response["Error"]["Code"], exc.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_admin_call_shape_and_validation(admin, s3, bucket):
    r = admin.get(f"/buckets/{bucket}/quota")
    assert r.status_code == 200
    q = r.json()
    assert q["bucket"] == bucket and q["maxBytes"] == 0 and q["maxObjects"] == 0
    assert q["usage"]["objects"] == 0 and q["usage"]["quotaBytes"] == 0
    s3.put_object(Bucket=bucket, Key="a", Body=b"x" * 300)
    q = set_quota(admin, bucket, maxBytes=1000, maxObjects=10)
    assert (q["maxBytes"], q["maxObjects"]) == (1000, 10)
    assert q["usage"]["quotaBytes"] == 300 and q["usage"]["quotaObjects"] == 1
    for bad in ({"maxBytes": -1}, {"maxBytes": "1GiB"}, {"maxObjects": 1.5}):
        r = admin.send("PUT", f"/buckets/{bucket}/quota", json=bad)
        assert r.status_code == 400, (bad, r.text)
        assert r.json()["error"]["code"] == "InvalidArgument"
    assert admin.get(f"/buckets/{bucket}/quota").json()["maxBytes"] == 1000  # unchanged
    r = admin.get("/buckets/no-such-bucket-quota/quota")
    assert r.status_code == 404 and r.json()["error"]["code"] == "NoSuchBucket"
    # The settings page reads it with the bucket.
    assert admin.get(f"/buckets/{bucket}").json()["quota"]["maxBytes"] == 1000
    r = admin.send("DELETE", f"/buckets/{bucket}/quota")
    assert r.status_code == 200 and r.json()["maxBytes"] == 0
    # Changes need the CSRF token, as every console change.
    r = admin.send("PUT", f"/buckets/{bucket}/quota", json={"maxBytes": 1}, csrf=False)
    assert r.status_code == 403


def test_put_copy_and_multipart_are_refused(admin, s3, bucket):
    set_quota(admin, bucket, maxBytes=6 * 1024 * 1024)
    s3.put_object(Bucket=bucket, Key="first", Body=b"a" * (4 * 1024 * 1024))
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="second", Body=b"b" * (3 * 1024 * 1024))
    assert error_code(e) == ("QuotaExceeded", 403)
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="second")
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "first"})
    assert error_code(e) == ("QuotaExceeded", 403)
    # Multipart: parts count while the upload is in progress.
    up = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    p1 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=up, PartNumber=1, Body=b"c" * (1024 * 1024))
    with pytest.raises(ClientError) as e:
        s3.upload_part(Bucket=bucket, Key="mp", UploadId=up, PartNumber=2, Body=b"d" * (2 * 1024 * 1024))
    assert error_code(e) == ("QuotaExceeded", 403)
    # An object limit refuses the completion (the parts are already counted in bytes).
    set_quota(admin, bucket, maxBytes=6 * 1024 * 1024, maxObjects=1)
    parts = {"Parts": [{"PartNumber": 1, "ETag": p1["ETag"]}]}
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=up, MultipartUpload=parts)
    assert error_code(e) == ("QuotaExceeded", 403)
    set_quota(admin, bucket, maxBytes=6 * 1024 * 1024, maxObjects=2)
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=up, MultipartUpload=parts)
    usage = admin.get(f"/buckets/{bucket}/quota").json()["usage"]
    assert usage["versions"] == 2 and usage["versionBytes"] == 5 * 1024 * 1024
    assert usage["parts"] == 0 and usage["uploads"] == 0
    # Deletes always work and free room.
    s3.delete_object(Bucket=bucket, Key="first")
    s3.put_object(Bucket=bucket, Key="second", Body=b"b" * (1024 * 1024))
    set_quota(admin, bucket)


def test_aws_cli_copy_over_quota_fails(admin, server, bucket, tmp_dir):
    set_quota(admin, bucket, maxBytes=100 * 1024)
    src = os.path.join(tmp_dir, "big.bin")
    with open(src, "wb") as f:
        f.write(os.urandom(200 * 1024))
    env = client_env(server, tmp_dir)
    r = subprocess.run(["/usr/bin/aws", "--endpoint-url", server.endpoint, "s3", "cp", src,
                        f"s3://{bucket}/big.bin"], env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode != 0
    assert "QuotaExceeded" in r.stderr, r.stderr
    small = os.path.join(tmp_dir, "small.bin")
    with open(small, "wb") as f:
        f.write(b"s" * 1000)
    r = subprocess.run(["/usr/bin/aws", "--endpoint-url", server.endpoint, "s3", "cp", small,
                        f"s3://{bucket}/small.bin"], env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    set_quota(admin, bucket)


def metric(text, name, bucket):
    m = re.search(r'^%s\{bucket="%s"\} (\S+)$' % (name, re.escape(bucket)), text, re.M)
    return float(m.group(1)) if m else None


def test_metrics_show_usage_and_limits(admin, server, s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=bucket, Key="k", Body=b"1" * 100)
    s3.put_object(Bucket=bucket, Key="k", Body=b"2" * 200)
    s3.delete_object(Bucket=bucket, Key="k")
    up = s3.create_multipart_upload(Bucket=bucket, Key="pending")["UploadId"]
    set_quota(admin, bucket, maxBytes=5000, maxObjects=7)
    status, _, body = http_get(server.host, server.port, "/_maxiofs/metrics")
    assert status == 200
    text = body.decode()
    assert metric(text, "maxiofs_bucket_objects", bucket) == 0
    assert metric(text, "maxiofs_bucket_versions", bucket) == 2
    assert metric(text, "maxiofs_bucket_version_bytes", bucket) == 300
    assert metric(text, "maxiofs_bucket_delete_markers", bucket) == 1
    assert metric(text, "maxiofs_bucket_uploads", bucket) == 1
    assert metric(text, "maxiofs_bucket_quota_bytes", bucket) == 5000
    assert metric(text, "maxiofs_bucket_quota_objects", bucket) == 7
    set_quota(admin, bucket)
    _, _, body = http_get(server.host, server.port, "/_maxiofs/metrics")
    assert metric(body.decode(), "maxiofs_bucket_quota_bytes", bucket) is None
    s3.abort_multipart_upload(Bucket=bucket, Key="pending", UploadId=up)


def test_offline_admin_quota_and_usage_verify(server_factory, maxiofs_bin, tmp_dir):
    srv = server_factory.start()
    c = srv.client()
    c.create_bucket(Bucket="offline")
    c.put_bucket_versioning(Bucket="offline", VersioningConfiguration={"Status": "Enabled"})
    for i in range(5):
        c.put_object(Bucket="offline", Key=f"k{i % 2}", Body=b"z" * (100 * (i + 1)))
    assert srv.stop() == 0

    def admin_cmd(*args):
        return subprocess.run([maxiofs_bin, "admin", "--data-dir", srv.data_dir, *args],
                              capture_output=True, text=True, timeout=60)

    r = admin_cmd("usage", "--verify")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"^ok\toffline\tobjects=2 bytes=900 versions=5 version_bytes=1500 ", r.stdout, re.M), r.stdout
    r = admin_cmd("quota", "set", "offline", "--size", "2KiB", "--objects", "100")
    assert r.returncode == 0, r.stderr
    assert "max_bytes=2048 max_objects=100 used_bytes=1500 used_objects=5" in r.stdout
    assert admin_cmd("quota", "set", "offline", "--size", "lots").returncode == 2
    assert admin_cmd("quota", "info", "nope").returncode == 1
    srv2 = server_factory.start(data_dir=srv.data_dir)
    c2 = srv2.client()
    with pytest.raises(ClientError) as e:
        c2.put_object(Bucket="offline", Key="k9", Body=b"y" * 1000)
    assert error_code(e) == ("QuotaExceeded", 403)
    c2.put_object(Bucket="offline", Key="k9", Body=b"y" * 500)
    assert srv2.stop() == 0
    r = admin_cmd("quota", "clear", "offline")
    assert r.returncode == 0 and "max_bytes=0 max_objects=0" in r.stdout
    r = admin_cmd("usage", "offline")
    assert r.returncode == 0 and "versions=6 version_bytes=2000" in r.stdout, r.stdout
