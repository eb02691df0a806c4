# Bucket operations through boto3 (path-style): ListBuckets, CreateBucket, DeleteBucket,
# HeadBucket, GetBucketLocation, with their error paths.
import datetime

import pytest
from botocore.exceptions import ClientError

from conftest import unique_bucket_name
from s3util import err_code, err_status


def test_list_buckets_contains_created_bucket_with_owner_and_date(s3, bucket):
    before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    resp = s3.list_buckets()
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    names = [b["Name"] for b in resp["Buckets"]]
    assert bucket in names
    entry = next(b for b in resp["Buckets"] if b["Name"] == bucket)
    assert entry["CreationDate"] > before
    assert entry["CreationDate"] < datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5)
    assert "Owner" in resp and resp["Owner"].get("ID")
    assert names == sorted(names), "ListBuckets must return buckets sorted by name"
    assert resp["ResponseMetadata"]["HTTPHeaders"].get("x-amz-request-id")


def test_create_bucket_then_head_and_location(s3, bucket_name):
    resp = s3.create_bucket(Bucket=bucket_name)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert resp.get("Location") == "/" + bucket_name
    head = s3.head_bucket(Bucket=bucket_name)
    assert head["ResponseMetadata"]["HTTPStatusCode"] == 200
    loc = s3.get_bucket_location(Bucket=bucket_name)
    # us-east-1 is reported as an empty LocationConstraint (null in boto3).
    assert loc.get("LocationConstraint") in (None, "")


def test_head_bucket_reports_region(s3, bucket):
    head = s3.head_bucket(Bucket=bucket)
    assert head["ResponseMetadata"]["HTTPHeaders"].get("x-amz-bucket-region") == "us-east-1"


def test_create_bucket_with_location_constraint_body(s3, bucket_name):
    # The default region in a body is accepted (aws cli / SDKs send it for non-us-east-1 regions,
    # some clients always send it).
    resp = s3.create_bucket(Bucket=bucket_name,
                            CreateBucketConfiguration={"LocationConstraint": "us-east-1"})
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    s3.head_bucket(Bucket=bucket_name)


def test_create_bucket_twice_is_already_owned_by_you(s3, bucket):
    with pytest.raises(ClientError) as ei:
        s3.create_bucket(Bucket=bucket)
    assert err_code(ei.value) == "BucketAlreadyOwnedByYou"
    assert err_status(ei.value) == 409


@pytest.mark.parametrize("name", [
    "ab",                      # too short
    "a" * 64,                  # too long
    "UpperCase",               # upper case
    "under_score",
    "-leading-dash",
    "trailing-dash-",
    "double..dot",
    "192.168.1.1",             # IP address form
    "xn--punycode-prefix",     # reserved prefix
    "bucket-s3alias",          # reserved suffix
])
def test_create_bucket_invalid_name(s3, name):
    with pytest.raises(ClientError) as ei:
        s3.create_bucket(Bucket=name)
    assert err_code(ei.value) == "InvalidBucketName", name
    assert err_status(ei.value) == 400


def test_delete_bucket(s3, bucket_name):
    s3.create_bucket(Bucket=bucket_name)
    resp = s3.delete_bucket(Bucket=bucket_name)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as ei:
        s3.head_bucket(Bucket=bucket_name)
    assert err_status(ei.value) == 404
    assert bucket_name not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_delete_bucket_not_empty(s3, bucket):
    s3.put_object(Bucket=bucket, Key="x", Body=b"1")
    with pytest.raises(ClientError) as ei:
        s3.delete_bucket(Bucket=bucket)
    assert err_code(ei.value) == "BucketNotEmpty"
    assert err_status(ei.value) == 409
    s3.head_bucket(Bucket=bucket)
    s3.delete_object(Bucket=bucket, Key="x")
    assert s3.delete_bucket(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_delete_missing_bucket(s3):
    with pytest.raises(ClientError) as ei:
        s3.delete_bucket(Bucket=unique_bucket_name("missing"))
    assert err_code(ei.value) == "NoSuchBucket"
    assert err_status(ei.value) == 404


def test_head_missing_bucket_404(s3):
    with pytest.raises(ClientError) as ei:
        s3.head_bucket(Bucket=unique_bucket_name("missing"))
    assert err_status(ei.value) == 404
    # HEAD has no body; botocore reports the status text as the code.
    assert err_code(ei.value) in ("404", "NoSuchBucket", "Not Found")


def test_get_location_missing_bucket(s3):
    with pytest.raises(ClientError) as ei:
        s3.get_bucket_location(Bucket=unique_bucket_name("missing"))
    assert err_code(ei.value) == "NoSuchBucket"
    assert err_status(ei.value) == 404


def test_bucket_recreate_after_delete(s3, bucket_name):
    s3.create_bucket(Bucket=bucket_name)
    s3.put_object(Bucket=bucket_name, Key="k", Body=b"old")
    s3.delete_object(Bucket=bucket_name, Key="k")
    s3.delete_bucket(Bucket=bucket_name)
    s3.create_bucket(Bucket=bucket_name)
    resp = s3.list_objects_v2(Bucket=bucket_name)
    assert resp["KeyCount"] == 0, "a recreated bucket must be empty"


def test_object_ops_on_missing_bucket(s3):
    name = unique_bucket_name("missing")
    for call in (lambda: s3.put_object(Bucket=name, Key="k", Body=b"x"),
                 lambda: s3.get_object(Bucket=name, Key="k"),
                 lambda: s3.list_objects_v2(Bucket=name),
                 lambda: s3.list_objects(Bucket=name)):
        with pytest.raises(ClientError) as ei:
            call()
        assert err_code(ei.value) == "NoSuchBucket"
        assert err_status(ei.value) == 404


def test_credentials_are_honoured_not_defaults(server):
    # The server was started with random credentials: the defaults must be refused.
    from s3util import boto3_client
    bad = boto3_client(server.endpoint, "maxioadmin", "maxioadmin")
    with pytest.raises(ClientError) as ei:
        bad.list_buckets()
    assert err_code(ei.value) == "InvalidAccessKeyId"
    assert err_status(ei.value) == 403
    wrong_secret = boto3_client(server.endpoint, server.access_key, server.secret_key + "x")
    with pytest.raises(ClientError) as ei:
        wrong_secret.list_buckets()
    assert err_code(ei.value) == "SignatureDoesNotMatch"
    assert err_status(ei.value) == 403
