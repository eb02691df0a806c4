# s3cmd with a temp config (path-style, plain http), with SigV2 and with SigV4:
# mb, put, get, ls, del, rb; bytes compared.
import os
import subprocess
import uuid

import pytest

from s3util import det_bytes


@pytest.fixture(params=[True, False], ids=["sigv2", "sigv4"])
def s3cmd(request, server, tmp_dir):
    cfg = os.path.join(tmp_dir, "s3cfg")
    hp = f"{server.host}:{server.port}"
    with open(cfg, "w") as f:
        f.write("[default]\n"
                f"access_key = {server.access_key}\n"
                f"secret_key = {server.secret_key}\n"
                f"host_base = {hp}\nhost_bucket = {hp}\n"
                "use_https = False\ncheck_ssl_certificate = False\n"
                f"signature_v2 = {request.param}\n"
                "bucket_location = us-east-1\n"
                "enable_multipart = False\n"
                "progress_meter = False\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["HOME"] = tmp_dir

    def run(*args, check=True, timeout=300):
        cmd = ["s3cmd", "-c", cfg] + list(args)
        p = subprocess.run(cmd, env=env, capture_output=True, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} -> {p.returncode}\nstdout: {p.stdout.decode()[-2000:]}\n"
                                 f"stderr: {p.stderr.decode()[-3000:]}")
        return p
    run.sigv2 = request.param
    return run


def test_s3cmd_bucket_and_object_lifecycle(s3cmd, s3, tmp_dir):
    bucket = f"it-s3cmd-{uuid.uuid4().hex[:12]}"
    try:
        s3cmd("mb", f"s3://{bucket}")
        assert bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]]
        files = {"small.txt": b"s3cmd says hi\n", "mid.bin": det_bytes(700_000, seed=8),
                 "with space.txt": b"spaced\n", "ünï.txt": "ünï".encode()}
        for name, data in files.items():
            p = os.path.join(tmp_dir, name)
            with open(p, "wb") as f:
                f.write(data)
            s3cmd("put", p, f"s3://{bucket}/dir/{name}")
        out = s3cmd("ls", f"s3://{bucket}/dir/").stdout.decode()
        for name in files:
            assert f"s3://{bucket}/dir/{name}" in out, out
        out = s3cmd("ls", f"s3://{bucket}").stdout.decode()
        assert "DIR" in out and f"s3://{bucket}/dir/" in out, out
        out = s3cmd("ls").stdout.decode()
        assert f"s3://{bucket}" in out
        for name, data in files.items():
            dst = os.path.join(tmp_dir, "got-" + name)
            s3cmd("get", "--force", f"s3://{bucket}/dir/{name}", dst)
            assert open(dst, "rb").read() == data, name
            assert s3.get_object(Bucket=bucket, Key=f"dir/{name}")["Body"].read() == data
        info = s3cmd("info", f"s3://{bucket}/dir/small.txt").stdout.decode()
        assert "MD5 sum" in info
        s3cmd("del", f"s3://{bucket}/dir/small.txt")
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
        assert "dir/small.txt" not in keys and len(keys) == len(files) - 1
        p = s3cmd("rb", f"s3://{bucket}", check=False)
        assert p.returncode != 0 and b"BucketNotEmpty" in p.stderr + p.stdout
        s3cmd("del", "--recursive", "--force", f"s3://{bucket}/dir/")
        s3cmd("rb", f"s3://{bucket}")
        assert bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    finally:
        from s3util import empty_and_delete_bucket
        empty_and_delete_bucket(s3, bucket)


def test_s3cmd_get_missing(s3cmd, bucket, tmp_dir):
    p = s3cmd("get", f"s3://{bucket}/absent", os.path.join(tmp_dir, "x"), check=False)
    assert p.returncode != 0
    assert b"does not exist" in p.stderr + p.stdout or b"404" in p.stderr + p.stdout


def test_s3cmd_sync_and_cp(s3cmd, s3, bucket, tmp_dir):
    src = os.path.join(tmp_dir, "tree")
    os.makedirs(os.path.join(src, "a/b"))
    with open(os.path.join(src, "a/b/f.bin"), "wb") as f:
        f.write(det_bytes(123_456, seed=4))
    with open(os.path.join(src, "top.txt"), "wb") as f:
        f.write(b"top")
    s3cmd("sync", src + "/", f"s3://{bucket}/t/")
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert keys == ["t/a/b/f.bin", "t/top.txt"]
    s3cmd("cp", f"s3://{bucket}/t/top.txt", f"s3://{bucket}/copy.txt")
    assert s3.get_object(Bucket=bucket, Key="copy.txt")["Body"].read() == b"top"
