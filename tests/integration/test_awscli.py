# Debian's aws cli v2 (/usr/bin/aws) against the real server: s3 cp/sync/ls/rm, s3api object
# calls, and presigned URLs fetched with curl.
import hashlib
import json
import os
import subprocess
import time

import pytest

from conftest import client_env
from s3util import DetStream, det_bytes, files_in

AWS = "/usr/bin/aws"


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory):
    d = str(tmp_path_factory.mktemp("awscli"))
    with open(os.path.join(d, "aws-config"), "w") as f:
        # Multipart uploads are a later issue: pin the threshold above every file used here.
        f.write("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n"
                "    multipart_threshold = 300MB\n    multipart_chunksize = 300MB\n")
    open(os.path.join(d, "aws-credentials"), "w").close()
    return d


@pytest.fixture
def aws(server, cli_home):
    env = client_env(server, cli_home)

    def run(*args, check=True, timeout=300, json_out=False):
        cmd = [AWS, "--endpoint-url", server.endpoint, "--no-cli-pager"] + list(args)
        if json_out:
            cmd += ["--output", "json"]
        p = subprocess.run(cmd, env=env, capture_output=True, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} -> {p.returncode}\nstdout: {p.stdout.decode()[-3000:]}\n"
                                 f"stderr: {p.stderr.decode()[-3000:]}")
        if json_out and p.returncode == 0:
            out = p.stdout.decode()
            return json.loads(out) if out.strip() else {}
        return p
    return run


def curl(*args, timeout=60):
    env = {k: v for k, v in os.environ.items() if k != "AWS_CA_BUNDLE"}
    return subprocess.run(["curl", "-sS"] + list(args), capture_output=True, timeout=timeout, env=env)


def write_file(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def md5_file(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def test_s3_cp_small_roundtrip(aws, bucket, tmp_dir):
    src = os.path.join(tmp_dir, "small.txt")
    write_file(src, b"hello from aws cli\n" * 50)
    aws("s3", "cp", src, f"s3://{bucket}/dir/small.txt")
    dst = os.path.join(tmp_dir, "back.txt")
    aws("s3", "cp", f"s3://{bucket}/dir/small.txt", dst)
    assert open(dst, "rb").read() == open(src, "rb").read()
    # Copy within the server (CopyObject) and to stdout.
    aws("s3", "cp", f"s3://{bucket}/dir/small.txt", f"s3://{bucket}/copy.txt")
    out = aws("s3", "cp", f"s3://{bucket}/copy.txt", "-").stdout
    assert out == open(src, "rb").read()


def test_s3_cp_missing_object_fails(aws, bucket, tmp_dir):
    p = aws("s3", "cp", f"s3://{bucket}/absent", os.path.join(tmp_dir, "x"), check=False)
    assert p.returncode != 0
    assert b"404" in p.stderr or b"Not Found" in p.stderr


def test_s3_cp_200mib_single_put(aws, bucket, tmp_dir):
    size = 200 * 1024 * 1024
    src = os.path.join(tmp_dir, "big.bin")
    stream = DetStream(size, seed=200)
    with open(src, "wb") as f:
        while True:
            chunk = stream.read(8 << 20)
            if not chunk:
                break
            f.write(chunk)
    want = stream.md5.hexdigest()
    aws("s3", "cp", src, f"s3://{bucket}/big.bin", timeout=600)
    head = aws("s3api", "head-object", "--bucket", bucket, "--key", "big.bin", json_out=True)
    assert head["ContentLength"] == size
    # A single PUT (no multipart): the ETag is the MD5 of the content.
    assert head["ETag"] == f'"{want}"'
    os.unlink(src)
    dst = os.path.join(tmp_dir, "big.back")
    aws("s3", "cp", f"s3://{bucket}/big.bin", dst, timeout=600)
    assert os.path.getsize(dst) == size
    assert md5_file(dst) == want


def _make_tree(root):
    files = {
        "a.txt": b"alpha\n",
        "sub/b.bin": det_bytes(150_000, seed=1),
        "sub/deeper/c with space.txt": b"charlie\n" * 100,
        "ünï/ключ.txt": "unicode ✓".encode(),
        "empty.dat": b"",
    }
    for rel, data in files.items():
        write_file(os.path.join(root, rel), data)
    return files


def test_s3_sync_up_down_and_delete(aws, bucket, tmp_dir):
    up = os.path.join(tmp_dir, "up")
    files = _make_tree(up)
    aws("s3", "sync", up, f"s3://{bucket}/tree")
    down = os.path.join(tmp_dir, "down")
    aws("s3", "sync", f"s3://{bucket}/tree", down)
    assert files_in(down) == files_in(up)
    # Second sync uploads nothing.
    p = aws("s3", "sync", up, f"s3://{bucket}/tree")
    assert b"upload:" not in p.stdout, p.stdout
    # Change one file, remove one, sync with --delete.
    write_file(os.path.join(up, "a.txt"), b"alpha changed, longer\n")
    os.unlink(os.path.join(up, "sub/b.bin"))
    p = aws("s3", "sync", "--delete", up, f"s3://{bucket}/tree")
    assert b"delete: s3://" in p.stdout and b"upload:" in p.stdout, p.stdout
    aws("s3", "sync", "--delete", f"s3://{bucket}/tree", down)
    assert files_in(down) == files_in(up)
    assert len(files_in(down)) == len(files) - 1


def test_s3_ls(aws, bucket, tmp_dir):
    up = os.path.join(tmp_dir, "ls")
    _make_tree(up)
    aws("s3", "sync", up, f"s3://{bucket}/")
    out = aws("s3", "ls").stdout.decode()
    assert bucket in out
    out = aws("s3", "ls", f"s3://{bucket}/").stdout.decode()
    lines = [ln.split()[-1] for ln in out.splitlines() if ln.strip()]
    assert sorted(lines) == sorted(["sub/", "ünï/", "a.txt", "empty.dat"]), out
    out = aws("s3", "ls", "--recursive", f"s3://{bucket}/").stdout.decode()
    keys = sorted(ln.split(None, 3)[3] for ln in out.splitlines() if ln.strip())
    assert keys == sorted(["a.txt", "sub/b.bin", "sub/deeper/c with space.txt", "ünï/ключ.txt", "empty.dat"])
    sizes = {ln.split(None, 3)[3]: int(ln.split(None, 3)[2]) for ln in out.splitlines() if ln.strip()}
    assert sizes["sub/b.bin"] == 150_000 and sizes["empty.dat"] == 0
    p = aws("s3", "ls", "s3://it-no-such-bucket-cli/", check=False)
    assert p.returncode != 0 and b"NoSuchBucket" in p.stderr


def test_s3_rm_recursive(aws, s3, bucket, tmp_dir):
    up = os.path.join(tmp_dir, "rm")
    _make_tree(up)
    aws("s3", "sync", up, f"s3://{bucket}/x")
    s3.put_object(Bucket=bucket, Key="keep/me", Body=b"k")
    aws("s3", "rm", "--recursive", f"s3://{bucket}/x")
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["keep/me"]
    aws("s3", "rb", "--force", f"s3://{bucket}")
    assert bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_s3_mb_rb(aws, s3, bucket_name):
    aws("s3", "mb", f"s3://{bucket_name}")
    assert bucket_name in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    p = aws("s3", "mb", f"s3://{bucket_name}", check=False)
    assert p.returncode != 0 and b"BucketAlreadyOwnedByYou" in p.stderr
    aws("s3", "rb", f"s3://{bucket_name}")
    assert bucket_name not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_s3api_object_calls(aws, bucket, tmp_dir):
    src = os.path.join(tmp_dir, "body.bin")
    data = det_bytes(70_000, seed=7)
    write_file(src, data)
    put = aws("s3api", "put-object", "--bucket", bucket, "--key", "api/obj", "--body", src,
              "--content-type", "application/x-test", "--metadata", "k1=v1,k2=v2", json_out=True)
    assert put["ETag"] == '"%s"' % hashlib.md5(data).hexdigest()
    head = aws("s3api", "head-object", "--bucket", bucket, "--key", "api/obj", json_out=True)
    assert head["ContentLength"] == len(data)
    assert head["ContentType"] == "application/x-test"
    assert head["Metadata"] == {"k1": "v1", "k2": "v2"}
    out = os.path.join(tmp_dir, "got.bin")
    got = aws("s3api", "get-object", "--bucket", bucket, "--key", "api/obj", out, json_out=True)
    assert got["ContentLength"] == len(data)
    assert open(out, "rb").read() == data
    got = aws("s3api", "get-object", "--bucket", bucket, "--key", "api/obj", "--range", "bytes=10-19",
              out, json_out=True)
    assert got["ContentRange"] == f"bytes 10-19/{len(data)}"
    assert open(out, "rb").read() == data[10:20]
    for i in range(5):
        aws("s3api", "put-object", "--bucket", bucket, "--key", f"api/n{i}", "--body", src)
    lst = aws("s3api", "list-objects-v2", "--bucket", bucket, "--prefix", "api/", "--max-items", "100",
              json_out=True)
    assert [o["Key"] for o in lst["Contents"]] == ["api/n0", "api/n1", "api/n2", "api/n3", "api/n4", "api/obj"]
    lst = aws("s3api", "list-objects-v2", "--bucket", bucket, "--delimiter", "/", json_out=True)
    assert [p["Prefix"] for p in lst["CommonPrefixes"]] == ["api/"]
    delete = {"Objects": [{"Key": f"api/n{i}"} for i in range(5)] + [{"Key": "api/missing"}], "Quiet": False}
    res = aws("s3api", "delete-objects", "--bucket", bucket, "--delete", json.dumps(delete), json_out=True)
    assert sorted(d["Key"] for d in res["Deleted"]) == sorted([f"api/n{i}" for i in range(5)] + ["api/missing"])
    lst = aws("s3api", "list-objects-v2", "--bucket", bucket, json_out=True)
    assert [o["Key"] for o in lst["Contents"]] == ["api/obj"]
    p = aws("s3api", "head-object", "--bucket", bucket, "--key", "api/n0", check=False)
    assert p.returncode != 0 and b"404" in p.stderr


def test_presigned_get_with_curl(aws, s3, bucket):
    data = det_bytes(5000, seed=55)
    s3.put_object(Bucket=bucket, Key="pre/sign d.bin", Body=data)
    url = aws("s3", "presign", f"s3://{bucket}/pre/sign d.bin", "--expires-in", "300").stdout.decode().strip()
    assert "X-Amz-Signature=" in url
    p = curl("-o", "-", "-w", "\n%{http_code}", url)
    body, _, code = p.stdout.rpartition(b"\n")
    assert code == b"200", p
    assert body == data
    # A tampered presigned URL is refused.
    bad = url.replace("X-Amz-Expires=300", "X-Amz-Expires=301")
    p = curl("-o", "-", "-w", "\n%{http_code}", bad)
    body, _, code = p.stdout.rpartition(b"\n")
    assert code == b"403" and b"SignatureDoesNotMatch" in body


def test_presigned_url_expired_is_refused(aws, s3, bucket):
    s3.put_object(Bucket=bucket, Key="exp", Body=b"x")
    url = aws("s3", "presign", f"s3://{bucket}/exp", "--expires-in", "1").stdout.decode().strip()
    time.sleep(2.5)
    p = curl("-o", "-", "-w", "\n%{http_code}", url)
    body, _, code = p.stdout.rpartition(b"\n")
    assert code == b"403", p
    assert b"AccessDenied" in body and b"expired" in body.lower()


def test_presigned_put_with_curl(server, s3, bucket, tmp_dir):
    url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "up/curl"}, ExpiresIn=300)
    src = os.path.join(tmp_dir, "put.bin")
    data = det_bytes(300_000, seed=3)
    write_file(src, data)
    p = curl("-X", "PUT", "-T", src, "-o", "/dev/null", "-w", "%{http_code}", url)
    assert p.stdout == b"200", p
    assert s3.get_object(Bucket=bucket, Key="up/curl")["Body"].read() == data
