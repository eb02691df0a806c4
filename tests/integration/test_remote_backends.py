"""maxiofs with its object data on a remote S3 service: npm's s3rver, and a second maxiofs.

For each remote: the S3 scenarios (boto3 objects, ranges, multipart, versioning, encryption,
aws cli, rclone, the FUSE mount) on a server whose blobs live there, checked on the remote side
too (blobs appear and go; an encrypted object's bytes never appear in plaintext); then the
failures: the remote killed mid-traffic answers 503 and health/ready turns not ready until it is
back (no restart of maxiofs), wrong credentials or a missing bucket refuse the start, and a data
dir is bound to its backend.

s3rver comes from tests/servers (installed into the build dir by the test_servers fixture;
MAXIOFS_TEST_SERVERS points there). Every server is started on a free loopback port and stopped
by PID.
"""
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time

import pytest
from botocore.exceptions import ClientError

from conftest import client_env, unique_bucket_name
from s3util import boto3_client, det_bytes, err_code, err_status, wait_until

BLOB_BUCKET = "maxiofs-blobs"
PREFIX = "node1/"
SMALL = 4096  # the front server's inline threshold: larger bodies are blobs


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class S3rver:
    """npm's s3rver on a free port, its data in a temp dir that survives restarts."""

    def __init__(self):
        servers = os.environ.get("MAXIOFS_TEST_SERVERS", "")
        self.script = os.path.join(servers, "node_modules", "s3rver", "bin", "s3rver.js")
        assert os.path.exists(self.script), (
            "s3rver is not installed: run tests/servers/install.sh DIR and set "
            "MAXIOFS_TEST_SERVERS=DIR (ctest does both)")
        self.dir = tempfile.mkdtemp(prefix="maxiofs-it-s3rver-")
        self.port = _free_port()
        self.proc = None
        self.access_key = self.secret_key = "S3RVER"

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        log = open(os.path.join(self.dir, "..", os.path.basename(self.dir) + ".log"), "ab")
        self.proc = subprocess.Popen(
            # s3rver's continuation tokens use DES: Node 20's OpenSSL 3 needs the legacy provider.
            ["node", "--openssl-legacy-provider", self.script, "-d", self.dir, "-a", "127.0.0.1",
             "-p", str(self.port), "-s", "--configure-bucket", BLOB_BUCKET],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        assert wait_until(lambda: _accepts(self.port), timeout=30), "s3rver did not start"

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=15)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def client(self):
        return boto3_client(self.endpoint, self.access_key, self.secret_key)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class RemoteMaxiofs:
    """A second maxiofs as the remote S3 service."""

    def __init__(self, server_factory):
        self.srv = server_factory.start()
        self.access_key, self.secret_key = self.srv.access_key, self.srv.secret_key
        self.client().create_bucket(Bucket=BLOB_BUCKET)

    @property
    def endpoint(self):
        return self.srv.endpoint

    def client(self):
        return self.srv.client()

    def cleanup(self):
        pass  # the factory stops it


def front_args(remote, prefix=PREFIX):
    return ["--storage-backend", "s3",
            "--storage-s3-endpoint", remote.endpoint,
            "--storage-s3-bucket", BLOB_BUCKET,
            "--storage-s3-prefix", prefix,
            "--storage-s3-access-key", remote.access_key,
            "--engine-inline-threshold", str(SMALL)]


def remote_blobs(remote, prefix=PREFIX):
    keys, token = [], None
    s3 = remote.client()
    while True:
        kw = {"Bucket": BLOB_BUCKET, "Prefix": prefix}
        if token:
            kw["ContinuationToken"] = token
        r = s3.list_objects_v2(**kw)
        keys += [o["Key"] for o in r.get("Contents", [])]
        if not r.get("IsTruncated"):
            return keys
        token = r["NextContinuationToken"]


@pytest.fixture(scope="module", params=["s3rver", "maxiofs"])
def remote(request, server_factory):
    if request.param == "s3rver":
        r = S3rver()
        r.start()
    else:
        r = RemoteMaxiofs(server_factory)
    yield r
    r.cleanup()


@pytest.fixture(scope="module")
def front(remote, server_factory):
    key = os.urandom(32)
    import base64
    srv = server_factory.start(
        extra_args=front_args(remote),
        env={"MAXIOFS_STORAGE_S3_SECRET_KEY": remote.secret_key,
             "MAXIOFS_STORAGE_ENCRYPTION_KEY": base64.b64encode(key).decode()})
    return srv


@pytest.fixture
def fbucket(front):
    s3 = front.client()
    name = unique_bucket_name("rb")
    s3.create_bucket(Bucket=name)
    yield name
    try:
        for v in s3.list_object_versions(Bucket=name).get("Versions", []):
            s3.delete_object(Bucket=name, Key=v["Key"], VersionId=v["VersionId"])
        for v in s3.list_object_versions(Bucket=name).get("DeleteMarkers", []):
            s3.delete_object(Bucket=name, Key=v["Key"], VersionId=v["VersionId"])
        s3.delete_bucket(Bucket=name)
    except ClientError:
        pass


def test_objects_live_on_the_remote_and_read_back(front, remote, fbucket):
    s3 = front.client()
    before = set(remote_blobs(remote))
    data = det_bytes(300_000, seed=1)
    s3.put_object(Bucket=fbucket, Key="a/b.bin", Body=data)
    small = b"tiny object stays inline"
    s3.put_object(Bucket=fbucket, Key="small", Body=small)
    added = set(remote_blobs(remote)) - before
    assert len(added) == 1, added  # the small one is inline in the metadata
    assert s3.get_object(Bucket=fbucket, Key="a/b.bin")["Body"].read() == data
    assert s3.get_object(Bucket=fbucket, Key="small")["Body"].read() == small
    got = s3.get_object(Bucket=fbucket, Key="a/b.bin", Range="bytes=100000-100099")
    assert got["Body"].read() == data[100000:100100]
    assert got["ContentRange"] == "bytes 100000-100099/300000"
    assert s3.head_object(Bucket=fbucket, Key="a/b.bin")["ContentLength"] == 300000
    # The remote copy is the stored bytes themselves (not encrypted: not asked for).
    (blob,) = added
    assert remote.client().get_object(Bucket=BLOB_BUCKET, Key=blob)["Body"].read() == data
    # Overwrite and delete release the remote blobs.
    s3.put_object(Bucket=fbucket, Key="a/b.bin", Body=det_bytes(200_000, seed=2))
    assert wait_until(lambda: blob not in remote_blobs(remote), timeout=10)
    s3.delete_object(Bucket=fbucket, Key="a/b.bin")
    assert wait_until(lambda: set(remote_blobs(remote)) == before, timeout=10)


def test_multipart_upload(front, remote, fbucket):
    s3 = front.client()
    part = 5 * 1024 * 1024
    data = det_bytes(2 * part + 1234, seed=3)
    up = s3.create_multipart_upload(Bucket=fbucket, Key="mp")
    parts = []
    for i, off in enumerate(range(0, len(data), part)):
        r = s3.upload_part(Bucket=fbucket, Key="mp", UploadId=up["UploadId"], PartNumber=i + 1,
                           Body=data[off:off + part])
        parts.append({"PartNumber": i + 1, "ETag": r["ETag"]})
    s3.complete_multipart_upload(Bucket=fbucket, Key="mp", UploadId=up["UploadId"],
                                 MultipartUpload={"Parts": parts})
    body = s3.get_object(Bucket=fbucket, Key="mp")["Body"].read()
    assert hashlib.md5(body).hexdigest() == hashlib.md5(data).hexdigest()
    r = s3.get_object(Bucket=fbucket, Key="mp", Range=f"bytes={part - 10}-{part + 9}")
    assert r["Body"].read() == data[part - 10:part + 10]
    assert s3.get_object(Bucket=fbucket, Key="mp", PartNumber=3)["Body"].read() == data[2 * part:]


def test_versioning(front, remote, fbucket):
    s3 = front.client()
    s3.put_bucket_versioning(Bucket=fbucket, VersioningConfiguration={"Status": "Enabled"})
    before = set(remote_blobs(remote))
    v1 = s3.put_object(Bucket=fbucket, Key="k", Body=det_bytes(50_000, 4))["VersionId"]
    v2 = s3.put_object(Bucket=fbucket, Key="k", Body=det_bytes(60_000, 5))["VersionId"]
    assert len(set(remote_blobs(remote)) - before) == 2
    assert s3.get_object(Bucket=fbucket, Key="k", VersionId=v1)["Body"].read() == det_bytes(50_000, 4)
    assert s3.get_object(Bucket=fbucket, Key="k")["Body"].read() == det_bytes(60_000, 5)
    s3.delete_object(Bucket=fbucket, Key="k")  # a delete marker: both blobs stay
    assert len(set(remote_blobs(remote)) - before) == 2
    s3.delete_object(Bucket=fbucket, Key="k", VersionId=v1)
    assert wait_until(lambda: len(set(remote_blobs(remote)) - before) == 1, timeout=10)
    assert s3.get_object(Bucket=fbucket, Key="k", VersionId=v2)["Body"].read() == det_bytes(60_000, 5)


def test_encrypted_data_never_reaches_the_remote_in_plaintext(front, remote, fbucket):
    s3 = front.client()
    marker = b"PLAINTEXT-MARKER-" * 4000
    before = set(remote_blobs(remote))
    s3.put_object(Bucket=fbucket, Key="secret", Body=marker, ServerSideEncryption="AES256")
    (blob,) = set(remote_blobs(remote)) - before
    stored = remote.client().get_object(Bucket=BLOB_BUCKET, Key=blob)["Body"].read()
    assert b"PLAINTEXT-MARKER" not in stored
    assert len(stored) >= len(marker)
    got = s3.get_object(Bucket=fbucket, Key="secret")
    assert got["Body"].read() == marker
    assert got["ServerSideEncryption"] == "AES256"


def test_aws_cli_and_rclone(front, fbucket, tmp_dir):
    env = client_env(front, tmp_dir)
    src = os.path.join(tmp_dir, "src")
    os.makedirs(os.path.join(src, "d"))
    for i, size in enumerate([10, 70_000, 1_200_000]):
        with open(os.path.join(src, "d", f"f{i}"), "wb") as f:
            f.write(det_bytes(size, seed=10 + i))
    aws = ["/usr/bin/aws", "--endpoint-url", front.endpoint, "s3"]
    subprocess.run(aws + ["cp", "--recursive", src, f"s3://{fbucket}/cli/"], env=env, check=True,
                   capture_output=True, timeout=120)
    out = os.path.join(tmp_dir, "out")
    subprocess.run(aws + ["cp", "--recursive", f"s3://{fbucket}/cli/", out], env=env, check=True,
                   capture_output=True, timeout=120)
    for i in range(3):
        with open(os.path.join(out, "d", f"f{i}"), "rb") as a, \
                open(os.path.join(src, "d", f"f{i}"), "rb") as b:
            assert a.read() == b.read()
    env.pop("AWS_CA_BUNDLE", None)
    conf = os.path.join(tmp_dir, "rclone.conf")
    with open(conf, "w") as f:
        f.write(f"[m]\ntype = s3\nprovider = Other\naccess_key_id = {front.access_key}\n"
                f"secret_access_key = {front.secret_key}\nendpoint = {front.endpoint}\n"
                "region = us-east-1\n")
    rc = ["rclone", "--config", conf, "--retries", "1"]
    subprocess.run(rc + ["copy", src, f"m:{fbucket}/rc"], env=env, check=True,
                   capture_output=True, timeout=120)
    r = subprocess.run(rc + ["check", src, f"m:{fbucket}/rc"], env=env, capture_output=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr.decode()


def _mounted(path):
    with open("/proc/self/mounts") as f:
        return any(line.split()[1] == path for line in f)


def test_fuse_mount_writes_go_to_the_remote(remote, server_factory):
    assert os.path.exists("/dev/fuse"), "FUSE tests need /dev/fuse (run as root with fuse3)"
    mnt = tempfile.mkdtemp(prefix="maxiofs-it-rmnt-")
    prefix = "fuse-" + os.urandom(4).hex() + "/"
    try:
        srv = server_factory.start(extra_args=front_args(remote, prefix) + ["--mount", mnt],
                                   env={"MAXIOFS_STORAGE_S3_SECRET_KEY": remote.secret_key})
        assert _mounted(mnt)
        os.mkdir(os.path.join(mnt, "fbk"))
        data = det_bytes(9 * 1024 * 1024 + 7, seed=20)
        with open(os.path.join(mnt, "fbk", "big.bin"), "wb") as f:
            f.write(data)
        assert len(remote_blobs(remote, prefix)) == 1
        got = srv.client().get_object(Bucket="fbk", Key="big.bin")["Body"].read()
        assert hashlib.md5(got).hexdigest() == hashlib.md5(data).hexdigest()
        with open(os.path.join(mnt, "fbk", "big.bin"), "rb") as f:
            f.seek(4 * 1024 * 1024)
            assert f.read(1000) == data[4 * 1024 * 1024:4 * 1024 * 1024 + 1000]
        os.unlink(os.path.join(mnt, "fbk", "big.bin"))
        assert wait_until(lambda: remote_blobs(remote, prefix) == [], timeout=10)
        os.rmdir(os.path.join(mnt, "fbk"))
        srv.stop()
    finally:
        if _mounted(mnt):
            subprocess.run(["fusermount3", "-u", mnt], timeout=20, capture_output=True)
        if _mounted(mnt):
            subprocess.run(["umount", "-l", mnt], timeout=20, capture_output=True)
        shutil.rmtree(mnt, ignore_errors=True)


def test_start_refuses_wrong_credentials_missing_bucket_and_another_backend(remote,
                                                                             server_factory):
    # A wrong key; and a wrong secret where the remote checks signatures (s3rver does not).
    args = front_args(remote, "x/")
    args[args.index(remote.access_key)] = "WRONGKEY"
    with pytest.raises(RuntimeError) as e:
        server_factory.start(extra_args=args,
                             env={"MAXIOFS_STORAGE_S3_SECRET_KEY": remote.secret_key})
    assert "cannot be used" in str(e.value) and "403" in str(e.value)
    if isinstance(remote, RemoteMaxiofs):
        with pytest.raises(RuntimeError) as e:
            server_factory.start(extra_args=front_args(remote, "x/"),
                                 env={"MAXIOFS_STORAGE_S3_SECRET_KEY": "wrong-secret"})
        assert "SignatureDoesNotMatch" in str(e.value)
    args = front_args(remote, "x/")
    args[args.index(BLOB_BUCKET)] = "no-such-bucket"
    with pytest.raises(RuntimeError) as e:
        server_factory.start(extra_args=args,
                             env={"MAXIOFS_STORAGE_S3_SECRET_KEY": remote.secret_key})
    assert "no-such-bucket" in str(e.value)
    with pytest.raises(RuntimeError) as e:
        server_factory.start(extra_args=["--storage-backend", "s3"])
    assert "storage.s3.endpoint must be set" in str(e.value)
    # A data dir written through the remote refuses to start on the filesystem backend.
    data_dir = tempfile.mkdtemp(prefix="maxiofs-it-bound-")
    try:
        srv = server_factory.start(data_dir=data_dir, extra_args=front_args(remote, "bound/"),
                                   env={"MAXIOFS_STORAGE_S3_SECRET_KEY": remote.secret_key})
        srv.client().create_bucket(Bucket="bbk")
        srv.client().put_object(Bucket="bbk", Key="k", Body=det_bytes(10_000, 1))
        srv.stop()
        with pytest.raises(RuntimeError) as e:
            server_factory.start(data_dir=data_dir)
        assert "start it with the storage settings it was created with" in str(e.value)
        args = front_args(remote, "other-prefix/")
        with pytest.raises(RuntimeError):
            server_factory.start(data_dir=data_dir, extra_args=args,
                                 env={"MAXIOFS_STORAGE_S3_SECRET_KEY": remote.secret_key})
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def test_remote_down_answers_503_and_recovers_without_restart(server_factory, tmp_dir):
    r = S3rver()
    r.start()
    try:
        srv = server_factory.start(
            extra_args=front_args(r) + ["--storage-s3-region", "us-east-1"],
            env={"MAXIOFS_STORAGE_S3_SECRET_KEY": r.secret_key})
        s3 = srv.client()
        s3.create_bucket(Bucket="down")
        data = det_bytes(100_000, 7)
        s3.put_object(Bucket="down", Key="kept", Body=data)
        assert srv.health("ready") == 200
        r.kill()
        with pytest.raises(ClientError) as e:
            s3.put_object(Bucket="down", Key="new", Body=det_bytes(100_000, 8))
        assert err_status(e.value) == 503, e.value.response
        assert err_code(e.value) in ("ServiceUnavailable", "SlowDown")
        assert e.value.response["ResponseMetadata"]["HTTPHeaders"].get("retry-after") == "1"
        with pytest.raises(ClientError) as e:
            s3.get_object(Bucket="down", Key="kept")["Body"].read()
        assert err_status(e.value) == 503
        # Nothing was committed for the failed PUT.
        with pytest.raises(ClientError) as e:
            s3.head_object(Bucket="down", Key="new")
        assert err_status(e.value) == 404
        assert wait_until(lambda: srv.health("ready") == 503, timeout=15)
        assert srv.health("live") == 200
        # Completing a multipart upload is metadata only: it works while the remote is down.
        up = s3.create_multipart_upload(Bucket="down", Key="mp")["UploadId"]
        r.start()
        part = s3.upload_part(Bucket="down", Key="mp", UploadId=up, PartNumber=1,
                              Body=det_bytes(300_000, 9))
        r.kill()
        s3.complete_multipart_upload(Bucket="down", Key="mp", UploadId=up,
                                     MultipartUpload={"Parts": [{"PartNumber": 1,
                                                                 "ETag": part["ETag"]}]})
        r.start()  # same port, same data
        assert wait_until(lambda: srv.health("ready") == 200, timeout=15)
        assert s3.get_object(Bucket="down", Key="kept")["Body"].read() == data
        assert s3.get_object(Bucket="down", Key="mp")["Body"].read() == det_bytes(300_000, 9)
        s3.put_object(Bucket="down", Key="new", Body=det_bytes(100_000, 8))
        assert s3.get_object(Bucket="down", Key="new")["Body"].read() == det_bytes(100_000, 8)
        srv.stop()
    finally:
        r.cleanup()


def test_kill_during_puts_loses_nothing_acknowledged_and_leaves_no_orphans(server_factory):
    """The remote killed while PUTs stream, then maxiofs itself killed -9 while PUTs stream:
    every acknowledged object reads back whole, nothing failed is visible, and after the
    restart the remote holds exactly the referenced blobs (intents settled, no listing)."""
    r = S3rver()
    r.start()
    data_dir = tempfile.mkdtemp(prefix="maxiofs-it-kill-")
    env = {"MAXIOFS_STORAGE_S3_SECRET_KEY": r.secret_key}
    try:
        srv = server_factory.start(data_dir=data_dir, extra_args=front_args(r, "kill/"), env=env)
        s3 = srv.client()
        s3.create_bucket(Bucket="kill")
        acked, failed, stop = {}, {}, threading.Event()

        def writer(t):
            c = srv.client()
            i = 0
            while not stop.is_set():
                key, body = f"t{t}/{i}", det_bytes(200_000 + t * 1000 + i, seed=t * 1000 + i)
                try:
                    c.put_object(Bucket="kill", Key=key, Body=body)
                    acked[key] = body
                except Exception:  # noqa: BLE001 - 503s and resets are expected here
                    failed[key] = body
                i += 1

        ts = [threading.Thread(target=writer, args=(t,)) for t in range(4)]
        for t in ts:
            t.start()
        assert wait_until(lambda: len(acked) >= 8, timeout=60)
        r.kill()  # the remote dies mid-PUT
        assert wait_until(lambda: len(failed) >= 4, timeout=60)
        r.start()
        n = len(acked)
        assert wait_until(lambda: len(acked) >= n + 8, timeout=60)
        srv.kill()  # maxiofs dies mid-PUT
        stop.set()
        for t in ts:
            t.join(timeout=60)
        srv = server_factory.start(data_dir=data_dir, extra_args=front_args(r, "kill/"), env=env)
        s3 = srv.client()
        for key, body in acked.items():
            assert s3.get_object(Bucket="kill", Key=key)["Body"].read() == body, key
        # Not acknowledged: absent, or (a commit whose answer the kill cut off) whole.
        for key, body in failed.items():
            try:
                got = s3.get_object(Bucket="kill", Key=key)["Body"].read()
            except ClientError as e:
                assert err_status(e) == 404, key
                continue
            assert got == body, key
        listed = {o["Key"] for p in s3.get_paginator("list_objects_v2").paginate(Bucket="kill")
                  for o in p.get("Contents", [])}
        assert wait_until(lambda: len(remote_blobs(r, "kill/")) == len(listed), timeout=20), (
            len(remote_blobs(r, "kill/")), len(listed))
        srv.stop()
    finally:
        r.cleanup()
        shutil.rmtree(data_dir, ignore_errors=True)
