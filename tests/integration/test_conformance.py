# S3 behaviours that clients branch on (issue 21): status codes and error codes of edge cases,
# retention changes, conditional deletes, header and listing encodings, ListBuckets pagination
# and SigV2 presigned bucket URLs. boto3 where it can send the request, raw HTTP where not.
import datetime

import botocore
import pytest
import requests

from conftest import unique_bucket_name
from s3util import S3Raw, boto3_client, err_code, err_status
from test_versioning import purge_bucket


def utc_in(seconds):
    return (datetime.datetime.now(datetime.timezone.utc)
            + datetime.timedelta(seconds=seconds)).replace(microsecond=0)


@pytest.fixture
def raw(server):
    return S3Raw(server)


@pytest.fixture
def anon(server):
    return boto3_client(server.endpoint, "x", "x", signature_version=botocore.UNSIGNED)


def client_error(call, *args, **kw):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call(*args, **kw)
    return err_status(e.value), err_code(e.value)


def test_anonymous_request_for_a_missing_bucket_is_no_such_bucket(s3, anon, bucket):
    missing = unique_bucket_name("gone")
    assert client_error(anon.get_object, Bucket=missing, Key="k") == (404, "NoSuchBucket")
    assert client_error(anon.delete_object, Bucket=missing, Key="k") == (404, "NoSuchBucket")
    assert client_error(anon.list_objects_v2, Bucket=missing) == (404, "NoSuchBucket")
    # A bucket that exists still hides behind 403, and anonymous creation is refused.
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert client_error(anon.get_object, Bucket=bucket, Key="k") == (403, "AccessDenied")
    assert client_error(anon.create_bucket, Bucket=missing) == (403, "AccessDenied")


def test_governance_to_compliance_needs_the_bypass(s3):
    name = unique_bucket_name("itl")
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    try:
        until = utc_in(30)
        v = s3.put_object(Bucket=name, Key="k", Body=b"abc", ObjectLockMode="GOVERNANCE",
                          ObjectLockRetainUntilDate=until)["VersionId"]
        for mode, when in (("COMPLIANCE", until), ("COMPLIANCE", utc_in(60)),
                           ("GOVERNANCE", utc_in(10))):
            assert client_error(s3.put_object_retention, Bucket=name, Key="k", VersionId=v,
                                Retention={"Mode": mode, "RetainUntilDate": when}) == \
                (403, "AccessDenied"), mode
        # Extending in the same mode needs nothing; switching with the bypass is allowed.
        s3.put_object_retention(Bucket=name, Key="k", VersionId=v,
                                Retention={"Mode": "GOVERNANCE", "RetainUntilDate": utc_in(40)})
        s3.put_object_retention(Bucket=name, Key="k", VersionId=v, BypassGovernanceRetention=True,
                                Retention={"Mode": "COMPLIANCE", "RetainUntilDate": utc_in(41)})
        got = s3.get_object_retention(Bucket=name, Key="k", VersionId=v)["Retention"]
        assert got["Mode"] == "COMPLIANCE"
    finally:
        purge_bucket(s3, name)
