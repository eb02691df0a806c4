# Object operations through boto3 (path-style) and signed raw requests where boto3 of this
# Debian release lacks a parameter: PutObject, GetObject, HeadObject, DeleteObject,
# DeleteObjects with their conditional, checksum, range and error paths.
import base64
import datetime
import hashlib
import socket
import time
import zlib
from email.header import decode_header, make_header
from email.utils import format_datetime

import pytest
from awscrt import checksums as crt_checksums
from botocore.exceptions import ClientError

from s3util import S3Raw, det_bytes, encode_key, err_code, err_status, read_http_response


def b64(raw):
    return base64.b64encode(raw).decode()


def md5_b64(data):
    return b64(hashlib.md5(data).digest())


def checksum_b64(algo, data):
    if algo == "crc32":
        return b64(zlib.crc32(data).to_bytes(4, "big"))
    if algo == "crc32c":
        return b64(crt_checksums.crc32c(data).to_bytes(4, "big"))
    if algo == "sha1":
        return b64(hashlib.sha1(data).digest())
    if algo == "sha256":
        return b64(hashlib.sha256(data).digest())
    raise ValueError(algo)


def http_date(dt):
    return format_datetime(dt.astimezone(datetime.timezone.utc), usegmt=True)


# ------------------------------------------------------------------------------------------
# PutObject / GetObject basics
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [0, 1, 1000, 128 * 1024 - 1, 128 * 1024, 128 * 1024 + 1,
                                  1024 * 1024 + 7, 5 * 1024 * 1024])
def test_put_get_roundtrip_sizes(s3, bucket, size):
    data = det_bytes(size, seed=size)
    r = s3.put_object(Bucket=bucket, Key=f"obj-{size}", Body=data)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert r["ETag"] == '"%s"' % hashlib.md5(data).hexdigest()
    g = s3.get_object(Bucket=bucket, Key=f"obj-{size}")
    assert g["ContentLength"] == size
    assert g["ETag"] == r["ETag"]
    assert g["Body"].read() == data
    h = s3.head_object(Bucket=bucket, Key=f"obj-{size}")
    assert h["ContentLength"] == size and h["ETag"] == r["ETag"]


def test_empty_put_then_put_on_same_connection(server, bucket):
    # boto3 sends every PutObject with "Expect: 100-continue". When the server answers an empty
    # PUT with its final status without a "100 Continue" first, botocore 1.29 keeps that status
    # line for the connection, and the next PUT on the same connection stalls until the read
    # timeout (60 s by default). AWS S3 sends 100 Continue here; the server must too.
    s3 = server.client(read_timeout=10, max_pool_connections=1)
    s3.put_object(Bucket=bucket, Key="empty", Body=b"")
    t0 = time.monotonic()
    s3.put_object(Bucket=bucket, Key="one", Body=b"1")
    s3.put_object(Bucket=bucket, Key="two", Body=b"22")
    assert time.monotonic() - t0 < 9, "PUTs after an empty PUT stalled on the kept-alive connection"
    assert s3.get_object(Bucket=bucket, Key="two")["Body"].read() == b"22"


def test_refused_empty_put_then_put_on_same_connection(server, bucket):
    # The same botocore 1.29 behaviour after an error: a zero-length PUT refused (here by the
    # public-access block) must not leave its status on the connection for the next PUT, which
    # used to wait for the read timeout and come back as the old 403.
    s3 = server.client(read_timeout=10, max_pool_connections=1)
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": False, "BlockPublicPolicy": False,
        "RestrictPublicBuckets": False})
    for acl in ("public-read", "authenticated-read"):
        with pytest.raises(ClientError) as e:
            s3.put_object(Bucket=bucket, Key="pub", Body=b"", ACL=acl)
        assert e.value.response["Error"]["Code"] == "AccessDenied"
    t0 = time.monotonic()
    r = s3.put_object(Bucket=bucket, Key="private", Body=b"", ACL="private")
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert time.monotonic() - t0 < 9, "the PUT after a refused empty PUT stalled"
    assert s3.head_object(Bucket=bucket, Key="private")["ContentLength"] == 0
    s3.delete_public_access_block(Bucket=bucket)


def test_expect_100_continue_with_empty_body_sends_100(server, bucket):
    raw = S3Raw(server)
    req = raw.raw_bytes("PUT", f"/{bucket}/e", headers={"Content-Length": "0", "Expect": "100-continue"})
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(req)
        first = read_http_response(sock, "PUT", timeout=10)
        assert first.status == 100, first
        final = read_http_response(sock, "PUT", timeout=10)
        assert final.status == 200, final


@pytest.mark.parametrize("key", [
    "simple", "with space", "dir/sub/file.txt", "ünïcödé-ключ-日本語", "a+b=c&d", "percent%20lit",
    "trailing/", "../../etc/passwd", "a/../b", "./dot", "x" * 1024, "tab\there", "emoji-😀",
    "q?uestion#hash", "~tilde", "semi;colon", "quote'dq\"", "<xml>&amp;",
])
def test_odd_keys_roundtrip(s3, bucket, key):
    body = key.encode("utf-8")
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == body
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert listed == [key]
    assert s3.delete_object(Bucket=bucket, Key=key)["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_overwrite_replaces_content_and_metadata(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"first", Metadata={"a": "1"}, ContentType="text/plain")
    s3.put_object(Bucket=bucket, Key="k", Body=b"second!")
    g = s3.get_object(Bucket=bucket, Key="k")
    assert g["Body"].read() == b"second!"
    assert g["Metadata"] == {}
    assert g["ContentType"] in ("binary/octet-stream", "application/octet-stream")


def test_user_metadata_and_standard_headers_roundtrip(s3, bucket):
    expires = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    s3.put_object(Bucket=bucket, Key="meta", Body=b"hello",
                  Metadata={"Color": "Blue", "x-long": "v" * 200, "with-dash": "a b  c"},
                  ContentType="text/x-custom; charset=utf-8",
                  ContentEncoding="identity",
                  ContentDisposition='attachment; filename="r.txt"',
                  ContentLanguage="de-CH",
                  CacheControl="max-age=60, private",
                  Expires=expires)
    for resp in (s3.head_object(Bucket=bucket, Key="meta"), s3.get_object(Bucket=bucket, Key="meta")):
        # User metadata names come back lower-cased.
        assert resp["Metadata"] == {"color": "Blue", "x-long": "v" * 200, "with-dash": "a b  c"}
        assert resp["ContentType"] == "text/x-custom; charset=utf-8"
        assert resp["ContentEncoding"] == "identity"
        assert resp["ContentDisposition"] == 'attachment; filename="r.txt"'
        assert resp["ContentLanguage"] == "de-CH"
        assert resp["CacheControl"] == "max-age=60, private"
        assert resp["Expires"] == expires
        assert resp["ContentLength"] == 5
        assert resp["AcceptRanges"] == "bytes"
        lm = resp["LastModified"]
        now = datetime.datetime.now(datetime.timezone.utc)
        assert abs((now - lm).total_seconds()) < 300


def test_non_ascii_user_metadata_is_rfc2047_encoded_on_the_way_out(s3, bucket):
    # AWS (UsingMetadata): non-US-ASCII values are RFC 2047-decoded before storing and
    # RFC 2047-encoded when returned. botocore refuses non-ASCII Metadata, so a raw UTF-8 value
    # is sent the way s3-tests does, by editing the headers; an encoded-word goes through as is.
    def raw_utf8(**kwargs):
        kwargs["params"]["headers"]["x-amz-meta-raw"] = "Hello World\xe9"

    s3.meta.events.register("before-call.s3.PutObject", raw_utf8)
    try:
        s3.put_object(Bucket=bucket, Key="uni", Body=b"x",
                      Metadata={"word": "=?UTF-8?B?w6k=?=", "ascii": "plain"})
    finally:
        s3.meta.events.unregister("before-call.s3.PutObject", raw_utf8)
    for resp in (s3.head_object(Bucket=bucket, Key="uni"), s3.get_object(Bucket=bucket, Key="uni")):
        meta = resp["Metadata"]
        assert meta["raw"] == "=?UTF-8?B?SGVsbG8gV29ybGTDqQ==?="
        assert str(make_header(decode_header(meta["raw"]))) == "Hello World\xe9"
        assert meta["word"] == "=?UTF-8?B?w6k=?="  # the client's own encoding round-trips
        assert meta["ascii"] == "plain"
    # A copy with REPLACE reads the encoded-word like a PUT does.
    s3.copy_object(Bucket=bucket, Key="uni2", CopySource={"Bucket": bucket, "Key": "uni"},
                   MetadataDirective="REPLACE", Metadata={"q": "=?utf-8?q?caf=C3=A9?="})
    assert s3.head_object(Bucket=bucket, Key="uni2")["Metadata"] == {"q": "=?UTF-8?B?Y2Fmw6k=?="}


def test_default_content_type(s3, server, bucket):
    raw = S3Raw(server)
    r = raw.request("PUT", f"/{bucket}/noctype", body=b"abc")
    assert r.status == 200, r
    h = s3.head_object(Bucket=bucket, Key="noctype")
    assert h["ContentType"] in ("binary/octet-stream", "application/octet-stream")


def test_put_response_headers(s3, bucket):
    r = s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    hdrs = r["ResponseMetadata"]["HTTPHeaders"]
    assert hdrs.get("x-amz-request-id")
    assert hdrs.get("etag") == '"%s"' % hashlib.md5(b"x").hexdigest()


# ------------------------------------------------------------------------------------------
# Integrity: Content-MD5 and x-amz-checksum-*
# ------------------------------------------------------------------------------------------
def test_put_with_correct_content_md5(s3, bucket):
    data = b"integrity" * 100
    r = s3.put_object(Bucket=bucket, Key="md5", Body=data, ContentMD5=md5_b64(data))
    assert r["ETag"] == '"%s"' % hashlib.md5(data).hexdigest()


def test_put_with_wrong_content_md5_is_bad_digest(s3, bucket):
    with pytest.raises(ClientError) as ei:
        s3.put_object(Bucket=bucket, Key="md5bad", Body=b"data", ContentMD5=md5_b64(b"other"))
    assert err_code(ei.value) == "BadDigest"
    assert err_status(ei.value) == 400
    with pytest.raises(ClientError) as ei:
        s3.head_object(Bucket=bucket, Key="md5bad")
    assert err_status(ei.value) == 404, "a PUT failing its digest must not create the object"


def test_put_with_malformed_content_md5_is_invalid_digest(s3, bucket):
    with pytest.raises(ClientError) as ei:
        s3.put_object(Bucket=bucket, Key="md5bad", Body=b"data", ContentMD5="not base64 md5!")
    assert err_code(ei.value) == "InvalidDigest"
    assert err_status(ei.value) == 400


@pytest.mark.parametrize("algo", ["CRC32", "CRC32C", "SHA1", "SHA256"])
def test_put_with_flexible_checksum(s3, bucket, algo):
    data = det_bytes(300_000, seed=3)
    r = s3.put_object(Bucket=bucket, Key=f"ck-{algo}", Body=data, ChecksumAlgorithm=algo)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert r.get(f"Checksum{algo}") == checksum_b64(algo.lower(), data), \
        "PutObject must echo x-amz-checksum-%s" % algo.lower()
    g = s3.get_object(Bucket=bucket, Key=f"ck-{algo}", ChecksumMode="ENABLED")
    assert g["Body"].read() == data
    assert g.get(f"Checksum{algo}") == checksum_b64(algo.lower(), data), \
        "GetObject with x-amz-checksum-mode: ENABLED must return the stored checksum"


@pytest.mark.parametrize("algo", ["crc32", "crc32c", "sha1", "sha256"])
def test_put_with_wrong_flexible_checksum_is_rejected(server, s3, bucket, algo):
    raw = S3Raw(server)
    data = b"payload bytes"
    r = raw.request("PUT", f"/{bucket}/bad-{algo}", body=data,
                    headers={f"x-amz-checksum-{algo}": checksum_b64(algo, b"other")})
    assert r.status == 400, r
    assert r.error_code() == "BadDigest"
    assert r.headers.get("x-amz-request-id")
    with pytest.raises(ClientError) as ei:
        s3.head_object(Bucket=bucket, Key=f"bad-{algo}")
    assert err_status(ei.value) == 404


def test_crc64nvme_support_in_this_botocore():
    # Documented fact for the report: botocore 1.29 (Debian 12) predates CRC64NVME, so the
    # checksum is exercised with a raw header in test_put_crc64nvme_raw instead.
    import botocore.httpchecksum as hc
    assert "crc64nvme" not in hc._CHECKSUM_CLS


def _crc64nvme(data):
    crc = 0xFFFFFFFFFFFFFFFF
    table = _crc64nvme.table
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFFFFFFFFFF


def _crc64_table():
    poly = 0x9A6C9329AC4BC9B5  # reflected CRC-64/NVME polynomial
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        t.append(c)
    return t


_crc64nvme.table = _crc64_table()


def test_crc64nvme_reference_vector():
    assert _crc64nvme(b"123456789") == 0xAE8B14860A799888


def test_put_crc64nvme_raw(server, bucket):
    raw = S3Raw(server)
    data = det_bytes(10_000, seed=64)
    good = b64(_crc64nvme(data).to_bytes(8, "big"))
    r = raw.request("PUT", f"/{bucket}/crc64", body=data, headers={"x-amz-checksum-crc64nvme": good})
    assert r.status == 200, r
    assert r.headers.get("x-amz-checksum-crc64nvme") == good
    bad = b64((_crc64nvme(data) ^ 1).to_bytes(8, "big"))
    r = raw.request("PUT", f"/{bucket}/crc64bad", body=data, headers={"x-amz-checksum-crc64nvme": bad})
    assert r.status == 400 and r.error_code() == "BadDigest", r


# ------------------------------------------------------------------------------------------
# Conditional PUT (If-None-Match: *, If-Match)
# ------------------------------------------------------------------------------------------
def test_put_if_none_match_star(server, s3, bucket):
    raw = S3Raw(server)
    r = raw.request("PUT", f"/{bucket}/once", body=b"v1", headers={"If-None-Match": "*"})
    assert r.status == 200, r
    r = raw.request("PUT", f"/{bucket}/once", body=b"v2", headers={"If-None-Match": "*"})
    assert r.status == 412, r
    assert r.error_code() == "PreconditionFailed"
    assert s3.get_object(Bucket=bucket, Key="once")["Body"].read() == b"v1"


def test_put_if_match(server, s3, bucket):
    raw = S3Raw(server)
    etag = s3.put_object(Bucket=bucket, Key="cas", Body=b"v1")["ETag"]
    r = raw.request("PUT", f"/{bucket}/cas", body=b"v2", headers={"If-Match": '"0123456789abcdef0123456789abcdef"'})
    assert r.status == 412, r
    assert r.error_code() == "PreconditionFailed"
    assert s3.get_object(Bucket=bucket, Key="cas")["Body"].read() == b"v1"
    r = raw.request("PUT", f"/{bucket}/cas", body=b"v2", headers={"If-Match": etag})
    assert r.status == 200, r
    assert s3.get_object(Bucket=bucket, Key="cas")["Body"].read() == b"v2"


def test_put_if_match_on_missing_key(server, bucket):
    r = S3Raw(server).request("PUT", f"/{bucket}/absent", body=b"v", headers={"If-Match": '"abc"'})
    assert r.status == 404, r
    assert r.error_code() == "NoSuchKey"


# ------------------------------------------------------------------------------------------
# GetObject / HeadObject: errors, ranges, conditionals, overrides
# ------------------------------------------------------------------------------------------
def test_get_missing_key(s3, bucket):
    with pytest.raises(ClientError) as ei:
        s3.get_object(Bucket=bucket, Key="nope")
    assert err_code(ei.value) == "NoSuchKey"
    assert err_status(ei.value) == 404


def test_head_missing_key(s3, bucket):
    with pytest.raises(ClientError) as ei:
        s3.head_object(Bucket=bucket, Key="nope")
    assert err_status(ei.value) == 404


@pytest.fixture
def obj1000(s3, bucket):
    data = det_bytes(1000, seed=1000)
    etag = s3.put_object(Bucket=bucket, Key="r", Body=data)["ETag"]
    return bucket, data, etag


@pytest.mark.parametrize("rng,start,end", [
    ("bytes=0-0", 0, 0),
    ("bytes=0-99", 0, 99),
    ("bytes=100-199", 100, 199),
    ("bytes=990-", 990, 999),
    ("bytes=-10", 990, 999),
    ("bytes=-5000", 0, 999),        # suffix longer than the object: whole object
    ("bytes=500-99999", 500, 999),  # end past the object: clipped
    ("bytes=999-999", 999, 999),
])
def test_get_range(s3, obj1000, rng, start, end):
    bucket, data, etag = obj1000
    g = s3.get_object(Bucket=bucket, Key="r", Range=rng)
    assert g["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert g["ContentRange"] == f"bytes {start}-{end}/1000"
    assert g["ContentLength"] == end - start + 1
    assert g["Body"].read() == data[start:end + 1]
    assert g["ETag"] == etag
    assert g["AcceptRanges"] == "bytes"


@pytest.mark.parametrize("rng", ["bytes=1000-", "bytes=1000-2000", "bytes=5000-5001"])
def test_get_unsatisfiable_range(s3, obj1000, rng):
    bucket, _, _ = obj1000
    with pytest.raises(ClientError) as ei:
        s3.get_object(Bucket=bucket, Key="r", Range=rng)
    assert err_code(ei.value) == "InvalidRange"
    assert err_status(ei.value) == 416
    assert ei.value.response["ResponseMetadata"]["HTTPHeaders"].get("content-range") == "bytes */1000"


def test_head_range(s3, obj1000):
    bucket, _, _ = obj1000
    h = s3.head_object(Bucket=bucket, Key="r", Range="bytes=10-19")
    assert h["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert h["ContentLength"] == 10
    # botocore 1.29's HeadObjectOutput has no ContentRange member: read the raw header.
    assert h["ResponseMetadata"]["HTTPHeaders"]["content-range"] == "bytes 10-19/1000"


def test_get_accept_ranges_without_range(s3, obj1000):
    bucket, data, _ = obj1000
    g = s3.get_object(Bucket=bucket, Key="r")
    assert g["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert g["AcceptRanges"] == "bytes"
    assert "ContentRange" not in g
    assert g["Body"].read() == data


def _cond(s3, bucket, op, **kw):
    try:
        fn = s3.get_object if op == "get" else s3.head_object
        r = fn(Bucket=bucket, Key="r", **kw)
        if op == "get":
            r["Body"].read()
        return r["ResponseMetadata"]["HTTPStatusCode"], None
    except ClientError as e:
        return err_status(e), err_code(e)


@pytest.mark.parametrize("op", ["get", "head"])
def test_get_conditionals(s3, obj1000, op):
    bucket, _, etag = obj1000
    lm = s3.head_object(Bucket=bucket, Key="r")["LastModified"]
    past = lm - datetime.timedelta(days=1)
    future = lm + datetime.timedelta(days=1)
    assert _cond(s3, bucket, op, IfMatch=etag)[0] == 200
    assert _cond(s3, bucket, op, IfMatch="*")[0] == 200
    st, code = _cond(s3, bucket, op, IfMatch='"deadbeefdeadbeefdeadbeefdeadbeef"')
    assert st == 412
    if op == "get":
        assert code == "PreconditionFailed"
    assert _cond(s3, bucket, op, IfNoneMatch=etag)[0] == 304
    assert _cond(s3, bucket, op, IfNoneMatch="*")[0] == 304
    assert _cond(s3, bucket, op, IfNoneMatch='"other"')[0] == 200
    assert _cond(s3, bucket, op, IfModifiedSince=past)[0] == 200
    assert _cond(s3, bucket, op, IfModifiedSince=future)[0] == 304
    assert _cond(s3, bucket, op, IfUnmodifiedSince=future)[0] == 200
    assert _cond(s3, bucket, op, IfUnmodifiedSince=past)[0] == 412
    # RFC 7232 / S3 precedence: If-Match true wins over If-Unmodified-Since false ...
    assert _cond(s3, bucket, op, IfMatch=etag, IfUnmodifiedSince=past)[0] == 200
    # ... and If-None-Match false (304) wins over If-Modified-Since true.
    assert _cond(s3, bucket, op, IfNoneMatch=etag, IfModifiedSince=past)[0] == 304


def test_get_not_modified_carries_etag(server, obj1000):
    bucket, _, etag = obj1000
    r = S3Raw(server).request("GET", f"/{bucket}/r", headers={"If-None-Match": etag})
    assert r.status == 304
    assert r.body == b""
    assert r.headers.get("etag") == etag
    assert r.headers.get("x-amz-request-id")


def test_get_response_header_overrides(s3, obj1000):
    bucket, data, _ = obj1000
    exp = datetime.datetime(2031, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
    g = s3.get_object(Bucket=bucket, Key="r",
                      ResponseContentType="application/x-override",
                      ResponseContentLanguage="fr",
                      ResponseContentDisposition='inline; filename="o.bin"',
                      ResponseContentEncoding="identity",
                      ResponseCacheControl="no-store",
                      ResponseExpires=exp)
    assert g["ContentType"] == "application/x-override"
    assert g["ContentLanguage"] == "fr"
    assert g["ContentDisposition"] == 'inline; filename="o.bin"'
    assert g["ContentEncoding"] == "identity"
    assert g["CacheControl"] == "no-store"
    assert g["Expires"] == exp
    assert g["Body"].read() == data


# ------------------------------------------------------------------------------------------
# DeleteObject / DeleteObjects
# ------------------------------------------------------------------------------------------
def test_delete_object_existing_and_missing_is_204(s3, bucket):
    s3.put_object(Bucket=bucket, Key="d", Body=b"x")
    assert s3.delete_object(Bucket=bucket, Key="d")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.delete_object(Bucket=bucket, Key="d")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.delete_object(Bucket=bucket, Key="never")["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as ei:
        s3.get_object(Bucket=bucket, Key="d")
    assert err_code(ei.value) == "NoSuchKey"


def test_delete_object_missing_bucket(s3):
    with pytest.raises(ClientError) as ei:
        s3.delete_object(Bucket="it-no-such-bucket-xyz", Key="k")
    assert err_code(ei.value) == "NoSuchBucket"
    assert err_status(ei.value) == 404


def test_delete_objects_verbose(s3, bucket):
    keys = [f"m/{i}" for i in range(10)] + ["sp ace", "ünï"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=b"x")
    req = keys[:6] + ["missing-1", "ünï", "sp ace"]
    r = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in req]})
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    # Deleting a missing key is a success in S3: every key is reported deleted.
    assert sorted(d["Key"] for d in r["Deleted"]) == sorted(req)
    assert "Errors" not in r or r["Errors"] == []
    left = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert left == sorted(set(keys) - set(req))


def test_delete_objects_quiet(s3, bucket):
    for k in ("a", "b", "c"):
        s3.put_object(Bucket=bucket, Key=k, Body=b"x")
    r = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}, {"Key": "zz"}],
                                                 "Quiet": True})
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert r.get("Deleted", []) == []
    assert r.get("Errors", []) == []
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["c"]


def test_delete_objects_more_than_1000_is_malformed(s3, bucket):
    s3.put_object(Bucket=bucket, Key="keep", Body=b"x")
    with pytest.raises(ClientError) as ei:
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": f"k{i}"} for i in range(1001)] + [{"Key": "keep"}]})
    assert err_code(ei.value) == "MalformedXML"
    assert err_status(ei.value) == 400
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["keep"]


def test_delete_objects_exactly_1000(s3, bucket):
    r = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": f"k{i}"} for i in range(1000)]})
    assert len(r["Deleted"]) == 1000


def test_delete_objects_missing_bucket(s3):
    with pytest.raises(ClientError) as ei:
        s3.delete_objects(Bucket="it-no-such-bucket-xyz", Delete={"Objects": [{"Key": "a"}]})
    assert err_code(ei.value) == "NoSuchBucket"


# ------------------------------------------------------------------------------------------
# Key length
# ------------------------------------------------------------------------------------------
def test_key_of_1024_bytes_ok_and_1025_too_long(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k" * 1024, Body=b"x")
    # 1024 bytes of UTF-8, not characters: 342 three-byte characters are 1026 bytes.
    raw = S3Raw(server)
    r = raw.request("PUT", f"/{bucket}/" + encode_key("€" * 342), body=b"x")
    assert r.status == 400, r
    assert r.error_code() == "KeyTooLongError"
    with pytest.raises(ClientError) as ei:
        s3.put_object(Bucket=bucket, Key="k" * 1025, Body=b"x")
    assert err_code(ei.value) == "KeyTooLongError"
    assert err_status(ei.value) == 400


def test_delete_objects_reports_a_too_long_key_per_key(s3, bucket):
    s3.put_object(Bucket=bucket, Key="real", Body=b"x")
    r = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "k" * 1025}, {"Key": "real"}]})
    errors = {e["Key"]: e["Code"] for e in r.get("Errors", [])}
    assert errors == {"k" * 1025: "KeyTooLongError"}
    assert [d["Key"] for d in r.get("Deleted", [])] == ["real"]
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0
