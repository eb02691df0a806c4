# Object lock through S3 with boto3 and raw signed requests: bucket configuration, retention and
# legal hold on versions, lock headers on writes and reads, and every way to remove a locked
# version refused with 403 AccessDenied while the data stays; then the allowed ways.
import base64
import datetime
import hashlib

import botocore
import pytest

from conftest import unique_bucket_name
from s3util import S3Raw, err_code, err_status
from test_versioning import purge_bucket


def utc_in(seconds):
    return (datetime.datetime.now(datetime.timezone.utc)
            + datetime.timedelta(seconds=seconds)).replace(microsecond=0)


def md5_b64(body):
    return base64.b64encode(hashlib.md5(body).digest()).decode()


@pytest.fixture
def raw(server):
    return S3Raw(server)


@pytest.fixture
def lock_bucket(s3):
    name = unique_bucket_name("itl")
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    yield name
    # Lift what can be lifted so the cleanup can go as far as the locks allow.
    try:
        for v in s3.list_object_versions(Bucket=name).get("Versions", []):
            try:
                s3.put_object_legal_hold(Bucket=name, Key=v["Key"], VersionId=v["VersionId"],
                                         LegalHold={"Status": "OFF"})
            except Exception:  # noqa: BLE001 - cleanup only
                pass
    except Exception:  # noqa: BLE001 - cleanup only
        pass
    purge_bucket(s3, name)


def assert_denied(call):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call()
    assert err_status(e.value) == 403 and err_code(e.value) == "AccessDenied", e.value.response


def test_lock_configuration(s3, lock_bucket, bucket):
    assert s3.get_bucket_versioning(Bucket=lock_bucket)["Status"] == "Enabled"
    cfg = s3.get_object_lock_configuration(Bucket=lock_bucket)["ObjectLockConfiguration"]
    assert cfg == {"ObjectLockEnabled": "Enabled"}
    s3.put_object_lock_configuration(Bucket=lock_bucket, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})
    cfg = s3.get_object_lock_configuration(Bucket=lock_bucket)["ObjectLockConfiguration"]
    assert cfg["Rule"]["DefaultRetention"] == {"Mode": "GOVERNANCE", "Days": 1}
    # The default applies to new versions.
    s3.put_object(Bucket=lock_bucket, Key="d", Body=b"x")
    head = s3.head_object(Bucket=lock_bucket, Key="d")
    assert head["ObjectLockMode"] == "GOVERNANCE"
    assert head["ObjectLockRetainUntilDate"] > utc_in(23 * 3600)
    # Suspending versioning on a lock bucket: InvalidBucketState.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_bucket_versioning(Bucket=lock_bucket,
                                 VersioningConfiguration={"Status": "Suspended"})
    assert err_code(e.value) == "InvalidBucketState"

    # A plain bucket has no lock configuration; enabling needs versioning first.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object_lock_configuration(Bucket=bucket)
    assert err_code(e.value) == "ObjectLockConfigurationNotFoundError"
    assert err_status(e.value) == 404
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled"})
    assert err_code(e.value) == "InvalidBucketState"
    # Lock headers on a bucket without lock: InvalidRequest.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x", ObjectLockLegalHoldStatus="ON")
    assert err_code(e.value) == "InvalidRequest"


def test_lock_requests_need_integrity_and_valid_xml(raw, lock_bucket, s3):
    s3.put_object(Bucket=lock_bucket, Key="k", Body=b"x")
    body = (b"<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>"
            + utc_in(3600).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
            + b"</RetainUntilDate></Retention>")
    r = raw.request("PUT", f"/{lock_bucket}/k?retention", body=body)
    assert r.status == 400 and r.error_code() == "InvalidRequest", r
    r = raw.request("PUT", f"/{lock_bucket}/k?retention", body=body,
                    headers={"Content-MD5": md5_b64(b"other")})
    assert r.status == 400 and r.error_code() == "BadDigest", r
    r = raw.request("PUT", f"/{lock_bucket}/k?retention", body=body,
                    headers={"Content-MD5": md5_b64(body)})
    assert r.status == 200, r
    bad = b"<Retention><Mode>FOREVER</Mode><RetainUntilDate>2099-01-01T00:00:00Z</RetainUntilDate>" \
          b"</Retention>"
    r = raw.request("PUT", f"/{lock_bucket}/k?retention", body=bad,
                    headers={"Content-MD5": md5_b64(bad)})
    assert r.status == 400 and r.error_code() == "MalformedXML", r
    cfg = b"<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>" \
          b"</ObjectLockConfiguration>"
    r = raw.request("PUT", f"/{lock_bucket}?object-lock", body=cfg)
    assert r.status == 400 and r.error_code() == "InvalidRequest", r
    hold = b"<LegalHold><Status>MAYBE</Status></LegalHold>"
    r = raw.request("PUT", f"/{lock_bucket}/k?legal-hold", body=hold,
                    headers={"Content-MD5": md5_b64(hold)})
    assert r.status == 400 and r.error_code() == "MalformedXML", r
    # A retain-until date in the past is refused by the engine.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object_retention(Bucket=lock_bucket, Key="k", Retention={
            "Mode": "GOVERNANCE", "RetainUntilDate": utc_in(-3600)},
            BypassGovernanceRetention=True)
    assert err_code(e.value) == "InvalidArgument"


def test_lock_headers_on_write_and_read(s3, lock_bucket, raw):
    until = utc_in(3600)
    put = s3.put_object(Bucket=lock_bucket, Key="h", Body=b"held", ObjectLockMode="GOVERNANCE",
                        ObjectLockRetainUntilDate=until, ObjectLockLegalHoldStatus="ON")
    vid = put["VersionId"]
    head = s3.head_object(Bucket=lock_bucket, Key="h")
    assert head["ObjectLockMode"] == "GOVERNANCE"
    assert head["ObjectLockRetainUntilDate"] == until
    assert head["ObjectLockLegalHoldStatus"] == "ON"
    got = s3.get_object(Bucket=lock_bucket, Key="h", VersionId=vid)
    assert got["ObjectLockMode"] == "GOVERNANCE" and got["ObjectLockLegalHoldStatus"] == "ON"
    ret = s3.get_object_retention(Bucket=lock_bucket, Key="h", VersionId=vid)["Retention"]
    assert ret == {"Mode": "GOVERNANCE", "RetainUntilDate": until}
    assert s3.get_object_legal_hold(Bucket=lock_bucket, Key="h")["LegalHold"]["Status"] == "ON"

    # Copy and multipart carry lock headers too.
    c = s3.copy_object(Bucket=lock_bucket, Key="h2", CopySource={"Bucket": lock_bucket, "Key": "h"},
                       ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=utc_in(60))
    assert s3.head_object(Bucket=lock_bucket, Key="h2")["ObjectLockMode"] == "COMPLIANCE"
    assert c["VersionId"]
    up = s3.create_multipart_upload(Bucket=lock_bucket, Key="mp", ObjectLockLegalHoldStatus="ON")
    etag = s3.upload_part(Bucket=lock_bucket, Key="mp", UploadId=up["UploadId"], PartNumber=1,
                          Body=b"part")["ETag"]
    s3.complete_multipart_upload(Bucket=lock_bucket, Key="mp", UploadId=up["UploadId"],
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert s3.head_object(Bucket=lock_bucket, Key="mp")["ObjectLockLegalHoldStatus"] == "ON"

    # A version without retention: NoSuchObjectLockConfiguration.
    s3.put_object(Bucket=lock_bucket, Key="plain", Body=b"x")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object_retention(Bucket=lock_bucket, Key="plain")
    assert err_code(e.value) == "NoSuchObjectLockConfiguration"
    assert s3.get_object_legal_hold(Bucket=lock_bucket, Key="plain")["LegalHold"]["Status"] == "OFF"

    # Malformed lock headers.
    r = raw.request("PUT", f"/{lock_bucket}/bad", body=b"x",
                    headers={"x-amz-object-lock-mode": "GOVERNANCE"})
    assert r.status == 400 and r.error_code() == "InvalidArgument", r
    r = raw.request("PUT", f"/{lock_bucket}/bad", body=b"x",
                    headers={"x-amz-object-lock-mode": "NOPE",
                             "x-amz-object-lock-retain-until-date": "2099-01-01T00:00:00Z"})
    assert r.status == 400 and r.error_code() == "InvalidArgument", r
    r = raw.request("PUT", f"/{lock_bucket}/bad", body=b"x",
                    headers={"x-amz-object-lock-legal-hold": "YES"})
    assert r.status == 400 and r.error_code() == "InvalidArgument", r
    # ISO 8601 with an offset is accepted (aws cli sends it so).
    r = raw.request("PUT", f"/{lock_bucket}/offset", body=b"x",
                    headers={"x-amz-object-lock-mode": "GOVERNANCE",
                             "x-amz-object-lock-retain-until-date": "2099-01-01T02:00:00+02:00"})
    assert r.status == 200, r
    assert s3.head_object(Bucket=lock_bucket, Key="offset")["ObjectLockRetainUntilDate"] == \
        datetime.datetime(2099, 1, 1, tzinfo=datetime.timezone.utc)
    s3.put_object_retention(Bucket=lock_bucket, Key="offset", Retention={},
                            BypassGovernanceRetention=True)


def test_every_way_to_remove_a_locked_version_is_refused(s3, lock_bucket, raw):
    data = b"precious data"
    gov = s3.put_object(Bucket=lock_bucket, Key="gov", Body=data, ObjectLockMode="GOVERNANCE",
                        ObjectLockRetainUntilDate=utc_in(3600))["VersionId"]
    comp = s3.put_object(Bucket=lock_bucket, Key="comp", Body=data, ObjectLockMode="COMPLIANCE",
                         ObjectLockRetainUntilDate=utc_in(3600))["VersionId"]
    hold = s3.put_object(Bucket=lock_bucket, Key="hold", Body=data,
                         ObjectLockLegalHoldStatus="ON")["VersionId"]
    locked = [("gov", gov), ("comp", comp), ("hold", hold)]

    for key, vid in locked:
        # DeleteObject with the version id, without bypass.
        assert_denied(lambda: s3.delete_object(Bucket=lock_bucket, Key=key, VersionId=vid))
        # DeleteObjects with the version id: a per-key AccessDenied.
        resp = s3.delete_objects(Bucket=lock_bucket, Delete={"Objects": [
            {"Key": key, "VersionId": vid}]})
        assert [(e["Key"], e["Code"]) for e in resp.get("Errors", [])] == [(key, "AccessDenied")]
        assert resp.get("Deleted", []) == []

    # Compliance: bypass does not help, for DeleteObject, DeleteObjects or shortening.
    assert_denied(lambda: s3.delete_object(Bucket=lock_bucket, Key="comp", VersionId=comp,
                                           BypassGovernanceRetention=True))
    resp = s3.delete_objects(Bucket=lock_bucket, BypassGovernanceRetention=True, Delete={
        "Objects": [{"Key": "comp", "VersionId": comp}]})
    assert [e["Code"] for e in resp["Errors"]] == ["AccessDenied"]
    assert_denied(lambda: s3.put_object_retention(
        Bucket=lock_bucket, Key="comp", VersionId=comp, BypassGovernanceRetention=True,
        Retention={"Mode": "COMPLIANCE", "RetainUntilDate": utc_in(60)}))
    assert_denied(lambda: s3.put_object_retention(
        Bucket=lock_bucket, Key="comp", VersionId=comp, BypassGovernanceRetention=True,
        Retention={"Mode": "GOVERNANCE", "RetainUntilDate": utc_in(7200)}))
    # Governance without bypass: no shortening, no removal of the retention.
    assert_denied(lambda: s3.put_object_retention(
        Bucket=lock_bucket, Key="gov", VersionId=gov,
        Retention={"Mode": "GOVERNANCE", "RetainUntilDate": utc_in(60)}))
    assert_denied(lambda: s3.put_object_retention(Bucket=lock_bucket, Key="gov", VersionId=gov,
                                                  Retention={}))
    # Legal hold: bypass does not lift it.
    assert_denied(lambda: s3.delete_object(Bucket=lock_bucket, Key="hold", VersionId=hold,
                                           BypassGovernanceRetention=True))
    # A raw DELETE answers 403 AccessDenied with an S3 error document.
    r = raw.request("DELETE", f"/{lock_bucket}/comp?versionId={comp}")
    assert r.status == 403 and r.error_code() == "AccessDenied", r

    # Every version and its data is still there.
    for key, vid in locked:
        assert s3.get_object(Bucket=lock_bucket, Key=key, VersionId=vid)["Body"].read() == data
    # Deleting without a version id only adds a delete marker (allowed; data kept).
    marker = s3.delete_object(Bucket=lock_bucket, Key="comp")
    assert marker["DeleteMarker"] is True
    assert s3.get_object(Bucket=lock_bucket, Key="comp", VersionId=comp)["Body"].read() == data

    # The allowed ways: governance with bypass; lifting the legal hold.
    resp = s3.delete_objects(Bucket=lock_bucket, BypassGovernanceRetention=True, Delete={
        "Objects": [{"Key": "gov", "VersionId": gov}]})
    assert [d["VersionId"] for d in resp["Deleted"]] == [gov] and not resp.get("Errors")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=lock_bucket, Key="gov", VersionId=gov)
    assert err_code(e.value) == "NoSuchVersion"
    s3.put_object_legal_hold(Bucket=lock_bucket, Key="hold", VersionId=hold,
                             LegalHold={"Status": "OFF"})
    s3.delete_object(Bucket=lock_bucket, Key="hold", VersionId=hold)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.head_object(Bucket=lock_bucket, Key="hold", VersionId=hold)
    assert err_status(e.value) == 404
    # Governance: shortening with bypass, then extending compliance, both allowed.
    g2 = s3.put_object(Bucket=lock_bucket, Key="gov2", Body=data, ObjectLockMode="GOVERNANCE",
                       ObjectLockRetainUntilDate=utc_in(3600))["VersionId"]
    s3.put_object_retention(Bucket=lock_bucket, Key="gov2", VersionId=g2,
                            BypassGovernanceRetention=True, Retention={})
    s3.delete_object(Bucket=lock_bucket, Key="gov2", VersionId=g2)
    s3.put_object_retention(Bucket=lock_bucket, Key="comp", VersionId=comp, Retention={
        "Mode": "COMPLIANCE", "RetainUntilDate": utc_in(7200)})
    assert s3.get_object_retention(Bucket=lock_bucket, Key="comp", VersionId=comp)[
        "Retention"]["RetainUntilDate"] > utc_in(3700)
