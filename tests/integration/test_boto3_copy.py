# CopyObject through boto3 and raw signed requests: metadata directives, copy-source
# conditionals, self-copy rules, encoded source keys.
import datetime
import hashlib
from urllib.parse import quote

import pytest
from botocore.exceptions import ClientError

from s3util import S3NS, S3Raw, det_bytes, err_code, err_status


@pytest.fixture
def src(s3, bucket):
    data = det_bytes(200_000, seed=42)
    etag = s3.put_object(Bucket=bucket, Key="src", Body=data, ContentType="text/x-src",
                         Metadata={"origin": "source"}, CacheControl="max-age=1")["ETag"]
    return bucket, data, etag


def test_copy_default_directive_copies_metadata(s3, src):
    bucket, data, etag = src
    r = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert r["CopyObjectResult"]["ETag"] == etag
    assert "LastModified" in r["CopyObjectResult"]
    g = s3.get_object(Bucket=bucket, Key="dst")
    assert g["Body"].read() == data
    assert g["Metadata"] == {"origin": "source"}
    assert g["ContentType"] == "text/x-src"
    assert g["CacheControl"] == "max-age=1"
    assert g["ETag"] == etag


def test_copy_directive_copy_ignores_new_metadata(s3, src):
    bucket, _, _ = src
    s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"},
                   MetadataDirective="COPY", Metadata={"new": "ignored"})
    assert s3.head_object(Bucket=bucket, Key="dst")["Metadata"] == {"origin": "source"}


def test_copy_directive_replace(s3, src):
    bucket, data, _ = src
    s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"},
                   MetadataDirective="REPLACE", Metadata={"new": "value"},
                   ContentType="application/x-new")
    g = s3.get_object(Bucket=bucket, Key="dst")
    assert g["Metadata"] == {"new": "value"}
    assert g["ContentType"] == "application/x-new"
    assert "CacheControl" not in g
    assert g["Body"].read() == data
    # The source is untouched.
    assert s3.head_object(Bucket=bucket, Key="src")["Metadata"] == {"origin": "source"}


def test_copy_invalid_directive(server, src):
    bucket, _, _ = src
    r = S3Raw(server).request("PUT", f"/{bucket}/dst",
                              headers={"x-amz-copy-source": f"/{bucket}/src",
                                       "x-amz-metadata-directive": "MERGE"})
    assert r.status == 400, r
    assert r.error_code() == "InvalidArgument"


def test_copy_across_buckets(s3, src, bucket_name):
    bucket, data, etag = src
    s3.create_bucket(Bucket=bucket_name)
    s3.copy_object(Bucket=bucket_name, Key="other", CopySource={"Bucket": bucket, "Key": "src"})
    assert s3.get_object(Bucket=bucket_name, Key="other")["Body"].read() == data


def test_copy_onto_itself_without_replace_is_invalid_request(s3, src):
    bucket, _, _ = src
    with pytest.raises(ClientError) as ei:
        s3.copy_object(Bucket=bucket, Key="src", CopySource={"Bucket": bucket, "Key": "src"})
    assert err_code(ei.value) == "InvalidRequest"
    assert err_status(ei.value) == 400


def test_copy_onto_itself_with_replace_updates_metadata(s3, src):
    bucket, data, etag = src
    s3.copy_object(Bucket=bucket, Key="src", CopySource={"Bucket": bucket, "Key": "src"},
                   MetadataDirective="REPLACE", Metadata={"updated": "yes"}, ContentType="text/new")
    g = s3.get_object(Bucket=bucket, Key="src")
    assert g["Metadata"] == {"updated": "yes"}
    assert g["ContentType"] == "text/new"
    assert g["Body"].read() == data
    assert g["ETag"] == etag


def test_copy_missing_source_key(s3, bucket):
    with pytest.raises(ClientError) as ei:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "absent"})
    assert err_code(ei.value) == "NoSuchKey"
    assert err_status(ei.value) == 404


def test_copy_missing_source_bucket(s3, bucket):
    with pytest.raises(ClientError) as ei:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": "it-no-such-bucket-q", "Key": "a"})
    assert err_code(ei.value) == "NoSuchBucket"
    assert err_status(ei.value) == 404


def test_copy_to_missing_destination_bucket(s3, src):
    bucket, _, _ = src
    with pytest.raises(ClientError) as ei:
        s3.copy_object(Bucket="it-no-such-bucket-q", Key="d", CopySource={"Bucket": bucket, "Key": "src"})
    assert err_code(ei.value) == "NoSuchBucket"


def test_copy_source_conditionals(s3, src):
    bucket, _, etag = src
    lm = s3.head_object(Bucket=bucket, Key="src")["LastModified"]
    past = lm - datetime.timedelta(days=1)
    future = lm + datetime.timedelta(days=1)
    cs = {"Bucket": bucket, "Key": "src"}

    def attempt(**kw):
        try:
            s3.copy_object(Bucket=bucket, Key="dst", CopySource=cs, **kw)
            return 200, None
        except ClientError as e:
            return err_status(e), err_code(e)

    assert attempt(CopySourceIfMatch=etag) == (200, None)
    assert attempt(CopySourceIfMatch='"ffffffffffffffffffffffffffffffff"') == (412, "PreconditionFailed")
    assert attempt(CopySourceIfNoneMatch=etag) == (412, "PreconditionFailed")
    assert attempt(CopySourceIfNoneMatch='"other"') == (200, None)
    assert attempt(CopySourceIfModifiedSince=past) == (200, None)
    assert attempt(CopySourceIfModifiedSince=future) == (412, "PreconditionFailed")
    assert attempt(CopySourceIfUnmodifiedSince=future) == (200, None)
    assert attempt(CopySourceIfUnmodifiedSince=past) == (412, "PreconditionFailed")
    # S3 precedence: if-match true + if-unmodified-since false -> copy happens.
    assert attempt(CopySourceIfMatch=etag, CopySourceIfUnmodifiedSince=past) == (200, None)
    # if-none-match false + if-modified-since true -> 412 (documented S3 combination).
    assert attempt(CopySourceIfNoneMatch=etag, CopySourceIfModifiedSince=past) == (412, "PreconditionFailed")


@pytest.mark.parametrize("key", ["with space/file name.txt", "ünïcödé/日本語 ключ", "plus+and%25pct",
                                 "q?mark&amp=1"])
def test_copy_url_encoded_source_keys(s3, server, bucket, key):
    data = key.encode() * 3
    s3.put_object(Bucket=bucket, Key=key, Body=data)
    # boto3 URL-encodes CopySource itself.
    s3.copy_object(Bucket=bucket, Key=key + ".copy1", CopySource={"Bucket": bucket, "Key": key})
    assert s3.get_object(Bucket=bucket, Key=key + ".copy1")["Body"].read() == data
    # Raw: both with and without the leading slash, percent-encoded.
    raw = S3Raw(server)
    for i, source in enumerate([f"/{bucket}/{quote(key, safe='/')}", f"{bucket}/{quote(key, safe='/')}"]):
        dst = f"copy-raw-{i}"
        r = raw.request("PUT", f"/{bucket}/{dst}", headers={"x-amz-copy-source": source})
        assert r.status == 200, r
        root = r.xml()
        assert root.tag == S3NS + "CopyObjectResult"
        assert root.find(S3NS + "ETag").text == '"%s"' % hashlib.md5(data).hexdigest()
        assert s3.get_object(Bucket=bucket, Key=dst)["Body"].read() == data


def test_copy_source_with_bad_encoding(server, bucket):
    r = S3Raw(server).request("PUT", f"/{bucket}/dst", headers={"x-amz-copy-source": "no-slash-bucket-only"})
    assert r.status == 400, r
    assert r.error_code() == "InvalidArgument"


def test_copy_empty_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="empty", Body=b"")
    r = s3.copy_object(Bucket=bucket, Key="empty2", CopySource={"Bucket": bucket, "Key": "empty"})
    assert r["CopyObjectResult"]["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"'
    assert s3.get_object(Bucket=bucket, Key="empty2")["Body"].read() == b""


def test_copy_large_object_streams(s3, bucket):
    data = det_bytes(12 * 1024 * 1024, seed=12)
    s3.put_object(Bucket=bucket, Key="big", Body=data)
    s3.copy_object(Bucket=bucket, Key="big2", CopySource={"Bucket": bucket, "Key": "big"})
    got = s3.get_object(Bucket=bucket, Key="big2")["Body"].read()
    assert hashlib.md5(got).hexdigest() == hashlib.md5(data).hexdigest()
    # Changing the source afterwards does not change the copy.
    s3.put_object(Bucket=bucket, Key="big", Body=b"tiny")
    assert s3.head_object(Bucket=bucket, Key="big2")["ContentLength"] == len(data)
