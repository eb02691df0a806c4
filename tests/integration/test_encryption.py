# Encryption and compression at rest end to end: SSE-S3 (default and explicit), SSE-KMS with the
# built-in key service, SSE-C (boto3 and /usr/bin/aws), bucket default encryption, no plaintext
# in the data dir, a wrong master key refused at start, and master-key rotation.
import base64
import hashlib
import json
import os
import shutil
import subprocess
import tempfile

import botocore
import pytest

from conftest import client_env, unique_bucket_name
from s3util import empty_and_delete_bucket

AWS = "/usr/bin/aws"
KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()
CUSTOMER = b"c" * 32
OTHER_CUSTOMER = b"d" * 32
MARKER = b"PLAINTEXT-MARKER-5c1e"


def enc_env(key=KEY_A, insecure_sse_c=True, **extra):
    env = {
        "MAXIOFS_STORAGE_ENCRYPTION_ENABLED": "true",
        "MAXIOFS_STORAGE_ENCRYPTION_KEY": key,
        "MAXIOFS_STORAGE_COMPRESSION_TYPE": "zstd",
    }
    if insecure_sse_c:
        env["MAXIOFS_STORAGE_ENCRYPTION_ALLOW_INSECURE_SSE_C"] = "true"
    env.update(extra)
    return env


def text(n, seed=0):
    out = bytearray()
    i = 0
    while len(out) < n:
        out += b"row %d/%d lorem ipsum dolor sit amet\n" % (seed, i)
        i += 1
    return bytes(out[:n])


def error_code(exc):
    return exc.response["Error"]["Code"], exc.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture(scope="module")
def data_dir():
    d = tempfile.mkdtemp(prefix="maxiofs-it-enc-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="module")
def esrv(server_factory, data_dir):
    srv = server_factory.start(data_dir=data_dir, env=enc_env())
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def es3(esrv):
    return esrv.client()


@pytest.fixture
def ebucket(es3):
    name = unique_bucket_name("enc")
    es3.create_bucket(Bucket=name)
    yield name
    empty_and_delete_bucket(es3, name)


def test_default_encryption_and_compression(es3, ebucket):
    data = text(300_000)
    put = es3.put_object(Bucket=ebucket, Key="doc.txt", Body=data)
    assert put["ServerSideEncryption"] == "AES256"
    assert put["ETag"] == '"%s"' % hashlib.md5(data).hexdigest()
    head = es3.head_object(Bucket=ebucket, Key="doc.txt")
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentLength"] == len(data)
    got = es3.get_object(Bucket=ebucket, Key="doc.txt")
    assert got["Body"].read() == data
    # Ranges at and across the 64 KiB chunk boundaries.
    for a, b in [(0, 0), (65535, 65536), (65530, 131080), (len(data) - 5, len(data) - 1)]:
        r = es3.get_object(Bucket=ebucket, Key="doc.txt", Range=f"bytes={a}-{b}")
        assert r["Body"].read() == data[a:b + 1]
        assert r["ContentRange"] == f"bytes {a}-{b}/{len(data)}"


def test_explicit_sse_s3_and_kms(es3, ebucket):
    data = text(200_000, 1)
    put = es3.put_object(Bucket=ebucket, Key="s3", Body=data, ServerSideEncryption="AES256")
    assert put["ServerSideEncryption"] == "AES256"
    context = base64.b64encode(b'{"app":"it"}').decode()
    put = es3.put_object(Bucket=ebucket, Key="kms", Body=data, ServerSideEncryption="aws:kms",
                         SSEKMSEncryptionContext=context)
    assert put["ServerSideEncryption"] == "aws:kms"
    assert put["SSEKMSKeyId"] == "aws/s3"
    head = es3.head_object(Bucket=ebucket, Key="kms")
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == "aws/s3"
    assert es3.get_object(Bucket=ebucket, Key="kms")["Body"].read() == data
    with pytest.raises(botocore.exceptions.ClientError) as e:
        es3.put_object(Bucket=ebucket, Key="x", Body=b"1", ServerSideEncryption="aws:kms",
                       SSEKMSKeyId="no-such-key")
    assert error_code(e.value) == ("InvalidArgument", 400)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        es3.put_object(Bucket=ebucket, Key="x", Body=b"1", ServerSideEncryption="bogus")
    assert error_code(e.value)[1] == 400
    assert "x" not in [o["Key"] for o in es3.list_objects_v2(Bucket=ebucket).get("Contents", [])]


def test_sse_c_put_get_head_copy(es3, ebucket):
    data = text(150_000, 2)
    put = es3.put_object(Bucket=ebucket, Key="c", Body=data, SSECustomerAlgorithm="AES256",
                         SSECustomerKey=CUSTOMER)
    assert put["SSECustomerAlgorithm"] == "AES256"
    assert put["SSECustomerKeyMD5"] == base64.b64encode(hashlib.md5(CUSTOMER).digest()).decode()
    with pytest.raises(botocore.exceptions.ClientError) as e:
        es3.get_object(Bucket=ebucket, Key="c")
    assert error_code(e.value) == ("InvalidRequest", 400)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        es3.get_object(Bucket=ebucket, Key="c", SSECustomerAlgorithm="AES256",
                       SSECustomerKey=OTHER_CUSTOMER)
    assert error_code(e.value) == ("AccessDenied", 403)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        es3.head_object(Bucket=ebucket, Key="c")
    assert error_code(e.value)[1] == 400
    got = es3.get_object(Bucket=ebucket, Key="c", SSECustomerAlgorithm="AES256",
                         SSECustomerKey=CUSTOMER, Range="bytes=65530-65545")
    assert got["Body"].read() == data[65530:65546]
    assert got["SSECustomerAlgorithm"] == "AES256"
    head = es3.head_object(Bucket=ebucket, Key="c", SSECustomerAlgorithm="AES256",
                           SSECustomerKey=CUSTOMER)
    assert head["ContentLength"] == len(data)
    # Copy to SSE-S3 needs the source key; the copy is readable without any key.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        es3.copy_object(Bucket=ebucket, Key="c2", CopySource={"Bucket": ebucket, "Key": "c"})
    assert error_code(e.value)[1] == 400
    cp = es3.copy_object(Bucket=ebucket, Key="c2", CopySource={"Bucket": ebucket, "Key": "c"},
                         CopySourceSSECustomerAlgorithm="AES256",
                         CopySourceSSECustomerKey=CUSTOMER, ServerSideEncryption="AES256")
    assert cp["ServerSideEncryption"] == "AES256"
    assert es3.get_object(Bucket=ebucket, Key="c2")["Body"].read() == data
    # A wrong MD5 of the key is refused before anything is stored.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        # (With the MD5 given, botocore sends the key as given: base64 already.)
        es3.put_object(Bucket=ebucket, Key="bad", Body=b"x", SSECustomerAlgorithm="AES256",
                       SSECustomerKey=base64.b64encode(CUSTOMER).decode(),
                       SSECustomerKeyMD5=base64.b64encode(b"0" * 16).decode())
    assert error_code(e.value) == ("InvalidArgument", 400)


def test_sse_c_multipart(es3, ebucket):
    sse = dict(SSECustomerAlgorithm="AES256", SSECustomerKey=CUSTOMER)
    up = es3.create_multipart_upload(Bucket=ebucket, Key="mp", **sse)
    parts = [text(5 * 1024 * 1024, 3), text(300_000, 4)]
    done = []
    with pytest.raises(botocore.exceptions.ClientError) as e:
        es3.upload_part(Bucket=ebucket, Key="mp", UploadId=up["UploadId"], PartNumber=1,
                        Body=parts[0], SSECustomerAlgorithm="AES256",
                        SSECustomerKey=OTHER_CUSTOMER)
    assert error_code(e.value) == ("AccessDenied", 403)
    for i, p in enumerate(parts, 1):
        r = es3.upload_part(Bucket=ebucket, Key="mp", UploadId=up["UploadId"], PartNumber=i,
                            Body=p, **sse)
        done.append({"PartNumber": i, "ETag": r["ETag"]})
    es3.complete_multipart_upload(Bucket=ebucket, Key="mp", UploadId=up["UploadId"],
                                  MultipartUpload={"Parts": done})
    whole = b"".join(parts)
    b = len(parts[0])
    r = es3.get_object(Bucket=ebucket, Key="mp", Range=f"bytes={b - 10}-{b + 10}", **sse)
    assert r["Body"].read() == whole[b - 10:b + 11]
    assert es3.get_object(Bucket=ebucket, Key="mp", **sse)["Body"].read() == whole


def test_sse_s3_multipart_ranges(es3, ebucket):
    up = es3.create_multipart_upload(Bucket=ebucket, Key="mp3", ServerSideEncryption="AES256")
    assert up["ServerSideEncryption"] == "AES256"
    parts = [text(5 * 1024 * 1024 + 7, 5), text(70_000, 6)]
    done = []
    for i, p in enumerate(parts, 1):
        r = es3.upload_part(Bucket=ebucket, Key="mp3", UploadId=up["UploadId"], PartNumber=i,
                            Body=p)
        assert r["ServerSideEncryption"] == "AES256"
        done.append({"PartNumber": i, "ETag": r["ETag"]})
    c = es3.complete_multipart_upload(Bucket=ebucket, Key="mp3", UploadId=up["UploadId"],
                                      MultipartUpload={"Parts": done})
    assert c["ServerSideEncryption"] == "AES256"
    whole = b"".join(parts)
    b = len(parts[0])
    for a, z in [(0, 65536), (b - 65537, b + 65537), (len(whole) - 1, len(whole) - 1)]:
        got = es3.get_object(Bucket=ebucket, Key="mp3", Range=f"bytes={a}-{z}")["Body"].read()
        assert got == whole[a:z + 1]


def test_part_answers_carry_the_uploads_encryption(es3, ebucket):
    """UploadPart and UploadPartCopy answer with the upload's SSE headers (the KMS key id
    included), as CreateMultipartUpload and CompleteMultipartUpload do."""
    src = text(70_000, 7)
    es3.put_object(Bucket=ebucket, Key="src", Body=src)
    cases = [(dict(ServerSideEncryption="aws:kms"), "aws:kms"),
             (dict(ServerSideEncryption="AES256"), "AES256")]
    for args, mode in cases:
        up = es3.create_multipart_upload(Bucket=ebucket, Key="parts-" + mode, **args)
        uid = up["UploadId"]
        p1 = es3.upload_part(Bucket=ebucket, Key="parts-" + mode, UploadId=uid, PartNumber=1,
                             Body=text(5 * 1024 * 1024, 8))
        p2 = es3.upload_part_copy(Bucket=ebucket, Key="parts-" + mode, UploadId=uid,
                                  PartNumber=2, CopySource={"Bucket": ebucket, "Key": "src"})
        for r in (p1, p2):
            assert r["ServerSideEncryption"] == mode
            if mode == "aws:kms":
                assert r["SSEKMSKeyId"] == "aws/s3"
            else:
                assert "SSEKMSKeyId" not in r
        es3.complete_multipart_upload(
            Bucket=ebucket, Key="parts-" + mode, UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p1["ETag"]},
                                       {"PartNumber": 2, "ETag": p2["CopyPartResult"]["ETag"]}]})
        got = es3.get_object(Bucket=ebucket, Key="parts-" + mode)
        assert got["ServerSideEncryption"] == mode
        assert got["Body"].read() == text(5 * 1024 * 1024, 8) + src
    # SSE-C: the part copy answers with the algorithm and the destination key's MD5.
    sse = dict(SSECustomerAlgorithm="AES256", SSECustomerKey=CUSTOMER)
    up = es3.create_multipart_upload(Bucket=ebucket, Key="parts-c", **sse)
    r = es3.upload_part_copy(Bucket=ebucket, Key="parts-c", UploadId=up["UploadId"],
                             PartNumber=1, CopySource={"Bucket": ebucket, "Key": "src"}, **sse)
    assert r["SSECustomerAlgorithm"] == "AES256" and r["SSECustomerKeyMD5"]
    es3.abort_multipart_upload(Bucket=ebucket, Key="parts-c", UploadId=up["UploadId"])


def denied(fn, **kw):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        fn(**kw)
    assert error_code(e.value) == ("AccessDenied", 403)


def test_bucket_policy_deny_binds_root(es3, ebucket):
    """An explicit Deny in a bucket policy applies to the account's root too (S3's rule), with
    the condition keys of the request; root can still read and remove the policy."""
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
         "Resource": f"arn:aws:s3:::{ebucket}/*",
         "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}},
        {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
         "Resource": f"arn:aws:s3:::{ebucket}/*",
         "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "AES256"}}},
        {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
         "Resource": f"arn:aws:s3:::{ebucket}"}]}
    es3.put_bucket_policy(Bucket=ebucket, Policy=json.dumps(policy))
    try:
        denied(es3.put_object, Bucket=ebucket, Key="plain", Body=b"x")
        denied(es3.put_object, Bucket=ebucket, Key="kms", Body=b"x",
               ServerSideEncryption="aws:kms")
        denied(es3.list_objects_v2, Bucket=ebucket)
        r = es3.put_object(Bucket=ebucket, Key="enc", Body=b"x", ServerSideEncryption="AES256")
        assert r["ServerSideEncryption"] == "AES256"
        assert es3.get_object(Bucket=ebucket, Key="enc")["Body"].read() == b"x"
        # The policy calls stay open to root, so the lock-out can be undone.
        assert json.loads(es3.get_bucket_policy(Bucket=ebucket)["Policy"])["Statement"]
    finally:
        es3.delete_bucket_policy(Bucket=ebucket)
    es3.put_object(Bucket=ebucket, Key="plain", Body=b"x")
    assert {o["Key"] for o in es3.list_objects_v2(Bucket=ebucket)["Contents"]} == {"enc", "plain"}


def test_bucket_policy_on_the_sse_c_algorithm(es3, ebucket):
    """s3:x-amz-server-side-encryption-customer-algorithm is a condition key of the request: a
    policy can refuse PUTs without SSE-C, or with another algorithm than AES256."""
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
         "Resource": f"arn:aws:s3:::{ebucket}/*",
         "Condition": {"Null": {"s3:x-amz-server-side-encryption-customer-algorithm": "true"}}},
        {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
         "Resource": f"arn:aws:s3:::{ebucket}/*",
         "Condition": {"StringNotEqualsIfExists": {
             "s3:x-amz-server-side-encryption-customer-algorithm": "AES256"}}}]}
    es3.put_bucket_policy(Bucket=ebucket, Policy=json.dumps(policy))
    try:
        denied(es3.put_object, Bucket=ebucket, Key="plain", Body=b"x")
        r = es3.put_object(Bucket=ebucket, Key="c", Body=b"x", SSECustomerAlgorithm="AES256",
                           SSECustomerKey=CUSTOMER)
        assert r["SSECustomerAlgorithm"] == "AES256"
    finally:
        es3.delete_bucket_policy(Bucket=ebucket)


def test_bucket_default_encryption(es3, ebucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        es3.get_bucket_encryption(Bucket=ebucket)
    assert error_code(e.value) == ("ServerSideEncryptionConfigurationNotFoundError", 404)
    es3.put_bucket_encryption(Bucket=ebucket, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})
    cfg = es3.get_bucket_encryption(Bucket=ebucket)["ServerSideEncryptionConfiguration"]
    assert cfg["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    put = es3.put_object(Bucket=ebucket, Key="k", Body=b"hello")
    assert put["ServerSideEncryption"] == "aws:kms"
    es3.delete_bucket_encryption(Bucket=ebucket)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        es3.get_bucket_encryption(Bucket=ebucket)
    assert error_code(e.value)[1] == 404


def test_no_plaintext_in_data_dir(es3, ebucket, data_dir):
    small = MARKER * 100            # inline
    big = MARKER * 20_000           # a blob
    es3.put_object(Bucket=ebucket, Key="m-small", Body=small)
    es3.put_object(Bucket=ebucket, Key="m-big", Body=big)
    es3.put_object(Bucket=ebucket, Key="m-c", Body=big, SSECustomerAlgorithm="AES256",
                   SSECustomerKey=CUSTOMER)
    assert es3.get_object(Bucket=ebucket, Key="m-big")["Body"].read() == big
    scanned = 0
    for root, _, files in os.walk(data_dir):
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                assert MARKER not in fh.read(), os.path.join(root, f)
            scanned += 1
    assert scanned > 3


def test_awscli_sse(esrv, ebucket, tmp_path):
    env = client_env(esrv, str(tmp_path))
    src = tmp_path / "f.txt"
    data = text(100_000, 7)
    src.write_bytes(data)
    keyfile = tmp_path / "key.bin"
    keyfile.write_bytes(CUSTOMER)

    def aws(*args):
        p = subprocess.run([AWS, "--endpoint-url", esrv.endpoint, "--no-cli-pager"] + list(args),
                           env=env, capture_output=True, timeout=120)
        return p

    p = aws("s3", "cp", str(src), f"s3://{ebucket}/cli-s3", "--sse", "AES256")
    assert p.returncode == 0, p.stderr
    p = aws("s3api", "head-object", "--bucket", ebucket, "--key", "cli-s3")
    assert p.returncode == 0 and b'"ServerSideEncryption": "AES256"' in p.stdout, p.stdout
    p = aws("s3", "cp", str(src), f"s3://{ebucket}/cli-c", "--sse-c", "AES256",
            "--sse-c-key", f"fileb://{keyfile}")
    assert p.returncode == 0, p.stderr
    out = tmp_path / "back.txt"
    p = aws("s3", "cp", f"s3://{ebucket}/cli-c", str(out))
    assert p.returncode != 0
    p = aws("s3", "cp", f"s3://{ebucket}/cli-c", str(out), "--sse-c", "AES256",
            "--sse-c-key", f"fileb://{keyfile}")
    assert p.returncode == 0, p.stderr
    assert out.read_bytes() == data


def test_sse_c_refused_over_plain_http(server_factory):
    srv = server_factory.start(env=enc_env(insecure_sse_c=False))
    try:
        s3 = srv.client()
        s3.create_bucket(Bucket="plainhttp")
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.put_object(Bucket="plainhttp", Key="x", Body=b"1", SSECustomerAlgorithm="AES256",
                          SSECustomerKey=CUSTOMER)
        assert error_code(e.value) == ("InvalidRequest", 400)
        assert "Contents" not in s3.list_objects_v2(Bucket="plainhttp")
        s3.delete_bucket(Bucket="plainhttp")
    finally:
        srv.stop()


def run_maxiofs(binary, args, env, timeout=60):
    full = {k: v for k, v in os.environ.items() if not k.startswith("MAXIOFS_")}
    full.update(env)
    return subprocess.run([binary] + args, env=full, capture_output=True, timeout=timeout)


def test_wrong_key_refused_then_rotation(server_factory, maxiofs_bin):
    d = tempfile.mkdtemp(prefix="maxiofs-it-rot-")
    try:
        # A KMS key made offline before the server starts.
        p = run_maxiofs(maxiofs_bin, ["admin", "--data-dir", d, "kms-key", "create", "app"],
                        enc_env())
        assert p.returncode == 0, p.stderr
        p = run_maxiofs(maxiofs_bin, ["admin", "--data-dir", d, "kms-key", "list"], enc_env())
        assert p.returncode == 0 and p.stdout.startswith(b"app\t"), p.stdout
        srv = server_factory.start(data_dir=d, env=enc_env())
        s3 = srv.client()
        s3.create_bucket(Bucket="rot")
        data = text(400_000, 9)
        s3.put_object(Bucket="rot", Key="a", Body=data)
        s3.put_object(Bucket="rot", Key="k", Body=data, ServerSideEncryption="aws:kms",
                      SSEKMSKeyId="app")
        srv.stop()
        # The wrong key: a clear error, nothing listens.
        p = run_maxiofs(maxiofs_bin, ["server", "--data-dir", d, "--listen", "127.0.0.1:0",
                                      "--console-listen", "127.0.0.1:0"], enc_env(key=KEY_B))
        assert p.returncode == 1
        out = p.stdout + p.stderr
        assert b"is not the key this data dir was sealed with" in out, out
        assert b"maxiofs ready" not in out
        # No key at all (encryption off): refused too, the data needs the key.
        p = run_maxiofs(maxiofs_bin, ["server", "--data-dir", d, "--listen", "127.0.0.1:0",
                                      "--console-listen", "127.0.0.1:0"], {})
        assert p.returncode == 1 and b"not configured" in p.stdout + p.stderr
        # Rotate from "default" (KEY_A) to "new" (KEY_B), then run with the new key only.
        both = enc_env(**{"MAXIOFS_STORAGE_ENCRYPTION_KEYS": "new:" + KEY_B,
                          "MAXIOFS_STORAGE_ENCRYPTION_ACTIVE_KEY": "new"})
        p = run_maxiofs(maxiofs_bin, ["admin", "--data-dir", d, "rotate-key"], both)
        assert p.returncode == 0, p.stderr
        assert p.stdout.startswith(b"re-wrapped ")
        only_new = enc_env(key="")
        only_new.pop("MAXIOFS_STORAGE_ENCRYPTION_KEY")
        only_new["MAXIOFS_STORAGE_ENCRYPTION_KEYS"] = "new:" + KEY_B
        srv = server_factory.start(data_dir=d, env=only_new)
        s3 = srv.client()
        assert s3.get_object(Bucket="rot", Key="a")["Body"].read() == data
        assert s3.get_object(Bucket="rot", Key="k")["Body"].read() == data
        r = s3.get_object(Bucket="rot", Key="a", Range="bytes=131000-131100")
        assert r["Body"].read() == data[131000:131101]
        for k in ("a", "k"):
            s3.delete_object(Bucket="rot", Key=k)
        s3.delete_bucket(Bucket="rot")
        srv.stop()
    finally:
        shutil.rmtree(d, ignore_errors=True)
