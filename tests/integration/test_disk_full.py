# Disk full for real (issue 23): the real server on a small tmpfs, filled by S3 PUTs.
#
# What a full disk must look like to a client: the PUT that does not fit answers
# 507 InsufficientStorage with S3's error XML (S3 has no code for it; 503 would make every SDK
# retry a request that cannot succeed until someone frees space; see frontends/s3/s3_errors.cc),
# no partial object is visible, everything acknowledged before reads back whole, reads keep
# working, writes work again once space is freed (DELETE, then PUT), and a restart is clean.
# Both with object data in blob files and inline in the metadata log: the engine keeps a
# reserve of free space for the metadata, so LevelDB itself never hits the full disk (which
# would stop all writes, deletions included, until a restart).
import hashlib
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

from s3util import det_bytes, err_code, err_status, list_all_keys, wait_until

MOUNT_TIMEOUT_S = 20
# Big enough for the metadata reserve (engine/src/space_reserve.h: the 32 MiB write buffer + 8 MiB = 40 MiB, at most half the
# disk) and a few dozen objects above it.
TMPFS_MIB = 96
INLINE_MAX = 128 << 10  # the default inline threshold (engine.inline_threshold)


@pytest.fixture
def small_disk():
    """A TMPFS_MIB MiB tmpfs in a temp dir; always unmounted and removed."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    where = tempfile.mkdtemp(prefix="maxiofs-it-full-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_MIB}m", "tmpfs", where],
                   check=True, timeout=MOUNT_TIMEOUT_S)
    try:
        yield where
    finally:
        r = subprocess.run(["umount", where], timeout=MOUNT_TIMEOUT_S, check=False)
        if r.returncode != 0:
            subprocess.run(["umount", "-l", where], timeout=MOUNT_TIMEOUT_S, check=False)
        shutil.rmtree(where, ignore_errors=True)


def _tmp_files(data_dir):
    tmp = os.path.join(data_dir, "tmp")
    return [n for _, _, names in os.walk(tmp) for n in names]


def _fill(s3, bucket, size, limit, width=4):
    """PUTs objects of `size` bytes, `width` at a time, until some fail; returns (acked
    {key: md5}, the keys that failed, one of their errors)."""
    acked = {}

    def put(i):
        data = det_bytes(size, seed=i)
        key = f"fill/{i:04d}"
        try:
            s3.put_object(Bucket=bucket, Key=key, Body=data)
        except ClientError as e:
            return key, None, e
        return key, hashlib.md5(data).hexdigest(), None

    with ThreadPoolExecutor(width) as pool:
        for start in range(0, limit, width):
            results = list(pool.map(put, range(start, start + width)))
            failed = [(key, err) for key, _, err in results if err is not None]
            acked.update({key: md5 for key, md5, err in results if err is None})
            if failed:
                return acked, [key for key, _ in failed], failed[0][1]
    pytest.fail(f"{limit} PUTs of {size} bytes fit on a {TMPFS_MIB} MiB disk")


def _check_all(s3, bucket, acked):
    for key, md5 in acked.items():
        got = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        assert hashlib.md5(got).hexdigest() == md5, f"{key} corrupt"
    assert sorted(list_all_keys(s3, bucket)) == sorted(acked)


@pytest.mark.parametrize("size", [1 << 20, 120 << 10], ids=["blobs", "inline"])
def test_full_disk_answers_507_and_recovers_when_space_is_freed(server_factory, small_disk, size):
    data_dir = os.path.join(small_disk, "data")
    ballast = os.path.join(small_disk, "ballast")
    with open(ballast, "wb") as f:
        f.write(b"\0" * (4 << 20))
    servers = []
    try:
        srv = server_factory.start(data_dir=data_dir)
        servers.append(srv)
        s3 = srv.client()
        s3.create_bucket(Bucket="full")
        acked, failed_keys, err = _fill(s3, "full", size, limit=4 * TMPFS_MIB * (1 << 20) // size)
        assert len(acked) >= 3, "the disk filled before three objects fit"
        assert err_status(err) == 507, (err.response, srv.log_tail())
        assert err_code(err) == "InsufficientStorage"
        assert err.response["ResponseMetadata"]["HTTPHeaders"].get("x-amz-request-id")

        # Nothing of the failed PUT is visible, the rest reads back whole, and no temp file stays.
        for key in failed_keys:
            with pytest.raises(ClientError) as ei:
                s3.head_object(Bucket="full", Key=key)
            assert err_status(ei.value) == 404
        _check_all(s3, "full", acked)
        assert wait_until(lambda: not _tmp_files(data_dir), timeout=10), _tmp_files(data_dir)
        assert srv.health("ready") == 200

        # Deletions still work on the full disk, and freeing space makes writes work again,
        # without a restart. Deleting blob objects frees their files at once; inline objects
        # live in LevelDB's log and tables until a compaction rewrites them, so there an
        # operator freeing space on the disk (the ballast file) stands for it.
        for key in sorted(acked)[:3]:
            s3.delete_object(Bucket="full", Key=key)
            del acked[key]
        if size <= INLINE_MAX:
            os.remove(ballast)
        data = det_bytes(size, seed=999)
        s3.put_object(Bucket="full", Key="after-free", Body=data)
        acked["after-free"] = hashlib.md5(data).hexdigest()
        _check_all(s3, "full", acked)

        # A restart on the same (still nearly full) disk is clean and keeps everything.
        ak, sk = srv.access_key, srv.secret_key
        assert srv.stop() == 0, srv.log_tail()
        srv2 = server_factory.start(data_dir=data_dir, access_key=ak, secret_key=sk)
        servers.append(srv2)
        s3 = srv2.client()
        _check_all(s3, "full", acked)
        assert not _tmp_files(data_dir)
        assert srv2.health("ready") == 200
    finally:
        for srv in servers:  # before the disk is unmounted
            srv.stop()
