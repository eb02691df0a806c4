"""The FUSE mount and the S3 API of one real maxiofs process, used at the same time.

Coherence in both directions with boto3 (the delay is measured and printed), s3fs-compatible
metadata, directory renames seen through S3. Needs root and /dev/fuse: where /dev/fuse is
absent these tests fail with a clear message rather than pass.
"""
import hashlib
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import client_env
from s3util import err_code, is_mounted, unmount_fuse

POLL_TIMEOUT_S = 5.0


@pytest.fixture(scope="module")
def mounted(server_factory):
    assert os.path.exists("/dev/fuse"), "FUSE tests need /dev/fuse (run as root with fuse3)"
    mnt = tempfile.mkdtemp(prefix="maxiofs-it-mnt-")
    try:
        srv = server_factory.start(extra_args=["--mount", mnt])
        assert is_mounted(mnt), "the server did not mount " + mnt
        yield srv, mnt
        srv.stop()
        assert not is_mounted(mnt), "SIGTERM did not unmount"
    finally:
        unmount_fuse(mnt)
        shutil.rmtree(mnt, ignore_errors=True)


def _wait_for(predicate, timeout=POLL_TIMEOUT_S):
    """Polls until predicate() is true; returns the delay in ms, or None on timeout."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if predicate():
            return (time.monotonic() - t0) * 1000
        time.sleep(0.001)
    return None


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def test_s3_writes_are_seen_in_the_mount(mounted):
    srv, mnt = mounted
    s3 = srv.client()
    s3.create_bucket(Bucket="s3-to-fuse")
    assert _wait_for(lambda: os.path.isdir(os.path.join(mnt, "s3-to-fuse"))) is not None
    path = os.path.join(mnt, "s3-to-fuse", "dir", "file.txt")
    s3.put_object(Bucket="s3-to-fuse", Key="dir/file.txt", Body=b"version one")
    created = _wait_for(lambda: _read(path) == b"version one")
    assert created is not None, "an S3 PUT is not visible in the mount"
    assert _read(path) == b"version one"  # the cache holds no stale view
    s3.put_object(Bucket="s3-to-fuse", Key="dir/file.txt", Body=b"version two, longer")
    overwritten = _wait_for(lambda: _read(path) == b"version two, longer")
    assert overwritten is not None, "an S3 overwrite is not visible in the mount"
    s3.copy_object(Bucket="s3-to-fuse", Key="dir/copy.txt",
                   CopySource={"Bucket": "s3-to-fuse", "Key": "dir/file.txt"})
    copied = _wait_for(lambda: _read(os.path.join(mnt, "s3-to-fuse", "dir", "copy.txt"))
                       == b"version two, longer")
    assert copied is not None
    s3.delete_object(Bucket="s3-to-fuse", Key="dir/file.txt")
    deleted = _wait_for(lambda: not os.path.exists(path))
    assert deleted is not None, "an S3 delete is not visible in the mount"
    print(f"S3 -> mount delay ms: create {created:.1f}, overwrite {overwritten:.1f}, "
          f"copy {copied:.1f}, delete {deleted:.1f}")


def test_mount_writes_are_seen_through_s3(mounted):
    srv, mnt = mounted
    s3 = srv.client()
    os.mkdir(os.path.join(mnt, "fuse-to-s3"))
    assert "fuse-to-s3" in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    data = os.urandom(300_000)
    path = os.path.join(mnt, "fuse-to-s3", "a", "b.bin")
    os.makedirs(os.path.dirname(path))
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, 0o640)
    t0 = time.monotonic()
    head = s3.head_object(Bucket="fuse-to-s3", Key="a/b.bin")
    delay = (time.monotonic() - t0) * 1000
    assert head["ContentLength"] == len(data)
    assert head["ETag"].strip('"') == hashlib.md5(data).hexdigest()
    # POSIX attributes live in the metadata keys s3fs uses.
    assert int(head["Metadata"]["mode"]) & 0o777 == 0o640
    assert s3.get_object(Bucket="fuse-to-s3", Key="a/b.bin")["Body"].read() == data
    print(f"mount close -> S3 HEAD: visible at the first request ({delay:.1f} ms)")


PART = 8 << 20  # aws s3 cp's multipart threshold and part size


def aws_etag(body):
    """The ETag aws s3 cp gives `body`: its MD5 under 8 MiB, else the MD5 of the 8 MiB parts'
    MD5s and the number of parts."""
    if len(body) < PART:
        return hashlib.md5(body).hexdigest()
    digests = b"".join(hashlib.md5(body[i:i + PART]).digest() for i in range(0, len(body), PART))
    return "%s-%d" % (hashlib.md5(digests).hexdigest(), (len(body) + PART - 1) // PART)


def test_mount_etag_is_the_one_aws_cli_gives_however_written(mounted, tmp_path):
    """The mount keeps the part MD5s while a file is written in order (hashed side by side);
    other writes make the engine read the file back. Either way S3 shows the ETag aws s3 cp
    gives the same bytes, checked against the real aws cli once."""
    srv, mnt = mounted
    s3 = srv.client()
    os.mkdir(os.path.join(mnt, "fuse-etag"))
    path = os.path.join(mnt, "fuse-etag", "big.bin")

    def check(want):
        body = s3.get_object(Bucket="fuse-etag", Key="big.bin")["Body"].read()
        assert body == want
        head = s3.head_object(Bucket="fuse-etag", Key="big.bin")
        assert head["ETag"].strip('"') == aws_etag(body)
        return head["ETag"]

    data = os.urandom(40 << 20)  # in 1 MiB writes: hashed while written, early writeback
    with open(path, "wb") as f:
        for off in range(0, len(data), 1 << 20):
            f.write(data[off:off + (1 << 20)])
    etag = check(data)
    assert etag.strip('"').endswith("-5")
    # The same bytes uploaded by Debian's aws cli (multipart, its default 8 MiB parts).
    src = tmp_path / "same.bin"
    src.write_bytes(data)
    env = client_env(srv, str(tmp_path))
    p = subprocess.run(["/usr/bin/aws", "--endpoint-url", srv.endpoint, "--no-cli-pager", "s3",
                        "cp", str(src), "s3://fuse-etag/via-aws-cli"],
                       env=env, capture_output=True, timeout=300)
    assert p.returncode == 0, p.stderr.decode()[-2000:]
    assert s3.head_object(Bucket="fuse-etag", Key="via-aws-cli")["ETag"] == etag

    more = os.urandom(3 << 20)  # append after a reopen
    with open(path, "ab") as f:
        f.write(more)
    data += more
    check(data)
    with open(path, "r+b") as f:  # a random write, then a truncate
        f.seek(12345)
        f.write(b"random")
        f.truncate(len(data) - 100)
    data = (data[:12345] + b"random" + data[12351:])[:len(data) - 100]
    check(data)
    with open(path, "r+b") as f:  # under 8 MiB: the MD5
        f.truncate(3 << 20)
    assert check(data[:3 << 20]).strip('"') == hashlib.md5(data[:3 << 20]).hexdigest()


def test_mount_with_parts_etag_off_gives_every_file_its_md5(server_factory):
    mnt = tempfile.mkdtemp(prefix="maxiofs-it-mnt-")
    try:
        srv = server_factory.start(extra_args=["--mount", mnt],
                                   env={"MAXIOFS_FUSE_PARTS_ETAG": "false"})
        os.mkdir(os.path.join(mnt, "plain-etag"))
        data = os.urandom(17 << 20)
        with open(os.path.join(mnt, "plain-etag", "f.bin"), "wb") as f:
            f.write(data)
        head = srv.client().head_object(Bucket="plain-etag", Key="f.bin")
        assert head["ETag"].strip('"') == hashlib.md5(data).hexdigest()
        srv.stop()
    finally:
        unmount_fuse(mnt)
        shutil.rmtree(mnt, ignore_errors=True)


def test_non_ascii_metadata_is_utf8_in_the_mount_and_encoded_in_s3(mounted):
    # The engine keeps user metadata as UTF-8: an RFC 2047 value sent over S3 reads back as
    # UTF-8 from the xattr, and a UTF-8 xattr set in the mount comes back RFC 2047-encoded.
    srv, mnt = mounted
    s3 = srv.client()
    s3.create_bucket(Bucket="meta-utf8")
    s3.put_object(Bucket="meta-utf8", Key="f", Body=b"x", Metadata={"note": "=?UTF-8?B?w6k=?="})
    path = os.path.join(mnt, "meta-utf8", "f")
    assert _wait_for(lambda: os.path.exists(path)) is not None
    assert os.getxattr(path, "user.note") == "\xe9".encode()
    os.setxattr(path, "user.city", "Z\xfcrich".encode())
    assert s3.head_object(Bucket="meta-utf8", Key="f")["Metadata"]["city"] == "=?UTF-8?B?WsO8cmljaA==?="


def test_directory_rename_moves_every_key(mounted):
    srv, mnt = mounted
    s3 = srv.client()
    s3.create_bucket(Bucket="renames")
    for i in range(20):
        s3.put_object(Bucket="renames", Key=f"old/sub/{i}", Body=str(i).encode())
    assert _wait_for(lambda: os.path.isdir(os.path.join(mnt, "renames", "old"))) is not None
    os.rename(os.path.join(mnt, "renames", "old"), os.path.join(mnt, "renames", "new"))
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="renames")["Contents"]]
    assert sorted(keys) == sorted(f"new/sub/{i}" for i in range(20))
    assert s3.get_object(Bucket="renames", Key="new/sub/7")["Body"].read() == b"7"


def test_rmdir_of_a_non_empty_bucket_is_refused(mounted):
    srv, mnt = mounted
    s3 = srv.client()
    s3.create_bucket(Bucket="busy-bucket")
    s3.put_object(Bucket="busy-bucket", Key="k", Body=b"x")
    assert _wait_for(lambda: os.path.exists(os.path.join(mnt, "busy-bucket", "k"))) is not None
    with pytest.raises(OSError) as e:
        os.rmdir(os.path.join(mnt, "busy-bucket"))
    assert e.value.errno == 39  # ENOTEMPTY
    assert s3.head_bucket(Bucket="busy-bucket")["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(Exception) as missing:
        s3.head_object(Bucket="busy-bucket", Key="nope")
    assert err_code(missing.value) in ("404", "NoSuchKey", "Not Found")


def test_mount_operations_are_counted_in_metrics(mounted):
    import re
    import urllib.request

    srv, mnt = mounted
    os.makedirs(os.path.join(mnt, "fusemetrics"), exist_ok=True)
    with open(os.path.join(mnt, "fusemetrics", "f.txt"), "w") as f:
        f.write("counted")
    with pytest.raises(OSError):
        os.rmdir(os.path.join(mnt, "fusemetrics"))  # not empty: an error answer
    with urllib.request.urlopen(srv.endpoint + "/_maxiofs/metrics", timeout=10) as r:
        text = r.read().decode()

    def value(pattern):
        m = re.search("^" + pattern + r" (\d+)$", text, re.M)
        return int(m.group(1)) if m else 0

    assert value(r'maxiofs_fuse_operations_total\{operation="mkdir"\}') >= 1, text
    assert value(r'maxiofs_fuse_operations_total\{operation="write"\}') >= 1, text
    assert value(r'maxiofs_fuse_operations_total\{operation="lookup"\}') >= 1, text
    assert value(r'maxiofs_fuse_errors_total\{operation="rmdir",errno="ENOTEMPTY"\}') >= 1, text
