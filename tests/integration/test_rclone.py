# rclone (Debian's) with an environment-defined S3 remote "mx": copy, sync, check (hashes),
# ls/lsf, delete, purge; trees compared byte for byte.
import os
import subprocess

import pytest

from s3util import det_bytes, files_in


@pytest.fixture
def rclone(server, tmp_dir):
    cfg = os.path.join(tmp_dir, "rclone.conf")
    open(cfg, "w").close()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and not k.startswith("RCLONE_")}
    env.update({
        "HOME": tmp_dir,
        "RCLONE_CONFIG_MX_TYPE": "s3",
        "RCLONE_CONFIG_MX_PROVIDER": "Other",
        "RCLONE_CONFIG_MX_ENDPOINT": server.endpoint,
        "RCLONE_CONFIG_MX_ACCESS_KEY_ID": server.access_key,
        "RCLONE_CONFIG_MX_SECRET_ACCESS_KEY": server.secret_key,
        "RCLONE_CONFIG_MX_REGION": "us-east-1",
        "RCLONE_CONFIG_MX_FORCE_PATH_STYLE": "true",
    })

    def run(*args, check=True, timeout=300):
        cmd = ["rclone", "--config", cfg, "--retries", "1", "--low-level-retries", "1",
               "--contimeout", "10s", "--timeout", "60s"] + list(args)
        p = subprocess.run(cmd, env=env, capture_output=True, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} -> {p.returncode}\n{p.stderr.decode()[-4000:]}")
        return p
    return run


def make_tree(root, variant=0):
    files = {
        "top.txt": b"top level %d\n" % variant,
        "dir1/a.bin": det_bytes(333_333, seed=1),
        "dir1/sub/b.txt": b"bee\n" * 1000,
        "dir2/c with space.txt": b"space\n",
        "dir2/ünïcödé ✓.txt": "unicode".encode(),
        "dir3/empty": b"",
        "big/two-mb.bin": det_bytes(2 * 1024 * 1024 + 3, seed=2),
    }
    for rel, data in files.items():
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
    return files


def test_rclone_copy_check_and_download(rclone, bucket, tmp_dir):
    src = os.path.join(tmp_dir, "src")
    make_tree(src)
    rclone("copy", src, f"mx:{bucket}/tree")
    # check compares sizes and MD5 hashes (the ETag of single-part objects).
    p = rclone("check", src, f"mx:{bucket}/tree")
    assert b"0 differences found" in p.stderr, p.stderr
    # --download compares the actual bytes.
    p = rclone("check", "--download", src, f"mx:{bucket}/tree")
    assert b"0 differences found" in p.stderr, p.stderr
    dst = os.path.join(tmp_dir, "dst")
    rclone("copy", f"mx:{bucket}/tree", dst)
    assert files_in(dst) == files_in(src)


def test_rclone_md5sum_matches_local(rclone, bucket, tmp_dir):
    src = os.path.join(tmp_dir, "src")
    files = make_tree(src)
    rclone("copy", src, f"mx:{bucket}")
    out = rclone("md5sum", f"mx:{bucket}").stdout.decode()
    remote = {}
    for line in out.splitlines():
        h, name = line.split("  ", 1)
        remote[name] = h
    local = files_in(src)
    assert remote == local
    assert len(remote) == len(files)


def test_rclone_sync_changes_and_deletes(rclone, bucket, tmp_dir):
    src = os.path.join(tmp_dir, "src")
    make_tree(src)
    rclone("sync", src, f"mx:{bucket}/s")
    with open(os.path.join(src, "top.txt"), "wb") as f:
        f.write(b"changed content, different size\n")
    os.unlink(os.path.join(src, "dir1/a.bin"))
    with open(os.path.join(src, "new.txt"), "wb") as f:
        f.write(b"new\n")
    rclone("sync", src, f"mx:{bucket}/s")
    p = rclone("check", src, f"mx:{bucket}/s")
    assert b"0 differences found" in p.stderr, p.stderr
    lsf = rclone("lsf", "-R", "--files-only", f"mx:{bucket}/s").stdout.decode().split("\n")
    assert "dir1/a.bin" not in lsf and "new.txt" in lsf
    dst = os.path.join(tmp_dir, "dst")
    rclone("sync", f"mx:{bucket}/s", dst)
    assert files_in(dst) == files_in(src)


def test_rclone_ls_lsf(rclone, bucket, tmp_dir):
    src = os.path.join(tmp_dir, "src")
    files = make_tree(src)
    rclone("copy", src, f"mx:{bucket}")
    out = rclone("ls", f"mx:{bucket}").stdout.decode()
    got = {}
    for line in out.splitlines():
        size, name = line.strip().split(" ", 1)
        got[name] = int(size)
    assert got == {k: len(v) for k, v in files.items()}
    top = rclone("lsf", f"mx:{bucket}").stdout.decode().split()
    assert sorted(top) == sorted(["top.txt", "dir1/", "dir2/", "dir3/", "big/"])
    sub = rclone("lsf", f"mx:{bucket}/dir1").stdout.decode().split()
    assert sorted(sub) == ["a.bin", "sub/"]
    buckets = rclone("lsd", "mx:").stdout.decode()
    assert bucket in buckets


def test_rclone_delete_and_purge(rclone, s3, bucket, tmp_dir):
    src = os.path.join(tmp_dir, "src")
    make_tree(src)
    rclone("copy", src, f"mx:{bucket}")
    rclone("delete", f"mx:{bucket}/dir1")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert not any(k.startswith("dir1/") for k in keys) and "top.txt" in keys
    rclone("deletefile", f"mx:{bucket}/top.txt")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert "top.txt" not in keys
    rclone("purge", f"mx:{bucket}")
    assert bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_rclone_mkdir_cat_copyto(rclone, s3, bucket_name, tmp_dir):
    rclone("mkdir", f"mx:{bucket_name}")
    s3.head_bucket(Bucket=bucket_name)
    p = os.path.join(tmp_dir, "one.txt")
    with open(p, "wb") as f:
        f.write(b"cat me\n")
    rclone("copyto", p, f"mx:{bucket_name}/renamed/one.txt")
    assert rclone("cat", f"mx:{bucket_name}/renamed/one.txt").stdout == b"cat me\n"
    # Server-side copy (CopyObject).
    rclone("copyto", f"mx:{bucket_name}/renamed/one.txt", f"mx:{bucket_name}/copied.txt")
    assert s3.get_object(Bucket=bucket_name, Key="copied.txt")["Body"].read() == b"cat me\n"
