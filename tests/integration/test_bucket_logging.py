# Server access logging (PutBucketLogging / GetBucketLogging) end to end with boto3 and raw
# HTTP against the real binary: the configuration round trip and every error S3 gives, then
# the log records delivered as objects into the target bucket (AWS's format, 26 fields) for
# PUT, GET, HEAD, DELETE, multipart and copy, and no record of a delivery itself (a source that
# is its own target). The server delivers a second after the first record
# (logging.bucket_flush_seconds = 1).
import base64
import hashlib
import json
import re
import shlex

import pytest

from conftest import unique_bucket_name
from s3util import boto3_client, empty_and_delete_bucket, err_code, S3Raw, wait_until

CANONICAL_ID = "6d6178696f667300000000000000000000000000000000000000000000000000"
XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"


@pytest.fixture(scope="module")
def srv(server_factory):
    return server_factory.start(env={"MAXIOFS_LOGGING_BUCKET_FLUSH_SECONDS": "1"})


@pytest.fixture(scope="module")
def s3c(srv):
    return srv.client()


@pytest.fixture
def buckets(s3c):
    made = []

    def make():
        name = unique_bucket_name("log")
        s3c.create_bucket(Bucket=name)
        made.append(name)
        return name

    yield make
    for name in made:
        empty_and_delete_bucket(s3c, name)


def allow_logging(s3c, target, sources, prefix="log/"):
    """The bucket policy AWS documents for log delivery to `target`."""
    policy = {"Version": "2012-10-17", "Statement": [{
        "Sid": "S3ServerAccessLogsPolicy",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{target}/{prefix}*",
        "Condition": {"ArnLike": {"aws:SourceArn": [f"arn:aws:s3:::{s}" for s in sources]},
                      "StringEquals": {"aws:SourceAccount": "000000000000"}},
    }]}
    s3c.put_bucket_policy(Bucket=target, Policy=json.dumps(policy))


def enable(s3c, source, target, prefix="log/", **extra):
    s3c.put_bucket_logging(Bucket=source, BucketLoggingStatus={
        "LoggingEnabled": dict(TargetBucket=target, TargetPrefix=prefix, **extra)})


def parse(line):
    """A record split as AWS documents it (brackets and quotes group)."""
    fields = shlex.split(line.replace("[", '"').replace("]", '"'))
    assert len(fields) == 26, line
    return fields


def records(s3c, bucket, prefix):
    out = []
    for obj in s3c.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []):
        body = s3c.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read().decode()
        out += [parse(line) for line in body.splitlines()]
    return out


def test_configuration_round_trip_and_removal(s3c, buckets):
    src, logs = buckets(), buckets()
    assert "LoggingEnabled" not in s3c.get_bucket_logging(Bucket=src)
    allow_logging(s3c, logs, [src])
    enable(s3c, src, logs, TargetGrants=[{
        "Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
        "Permission": "READ"}])
    got = s3c.get_bucket_logging(Bucket=src)["LoggingEnabled"]
    assert got["TargetBucket"] == logs and got["TargetPrefix"] == "log/"
    assert got["TargetGrants"] == [{"Grantee": {
        "Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
        "Permission": "READ"}]
    # An empty BucketLoggingStatus turns logging off.
    s3c.put_bucket_logging(Bucket=src, BucketLoggingStatus={})
    assert "LoggingEnabled" not in s3c.get_bucket_logging(Bucket=src)


def test_key_formats_over_raw_http(srv, s3c, buckets):
    # Debian's botocore predates TargetObjectKeyFormat: the documents go over raw HTTP.
    src, logs = buckets(), buckets()
    allow_logging(s3c, logs, [src])
    raw = S3Raw(srv)

    def put(inner):
        body = f'<BucketLoggingStatus xmlns="{XMLNS}">{inner}</BucketLoggingStatus>'.encode()
        md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
        return raw.request("PUT", f"/{src}?logging", {"Content-MD5": md5}, body)

    enabled = ("<LoggingEnabled><TargetBucket>" + logs + "</TargetBucket><TargetPrefix>log/"
               "</TargetPrefix><TargetObjectKeyFormat>{}</TargetObjectKeyFormat></LoggingEnabled>")
    r = put(enabled.format("<PartitionedPrefix><PartitionDateSource>DeliveryTime"
                           "</PartitionDateSource></PartitionedPrefix>"))
    assert r.status == 200, r.body
    got = raw.request("GET", f"/{src}?logging")
    assert b"<PartitionDateSource>DeliveryTime</PartitionDateSource>" in got.body
    r = put(enabled.format("<PartitionedPrefix><PartitionDateSource>kaboom"
                           "</PartitionDateSource></PartitionedPrefix>"))
    assert r.status == 400 and b"<Code>MalformedXML</Code>" in r.body
    r = put(enabled.format("<SimplePrefix/><PartitionedPrefix/>"))
    assert r.status == 400 and b"<Code>MalformedXML</Code>" in r.body
    r = put("<LoggingEnabled><TargetBucket>" + logs + "</TargetBucket></LoggingEnabled>")
    assert r.status == 400 and b"<Code>MalformedXML</Code>" in r.body
    # Without Content-MD5 or a checksum (AWS requires one).
    body = f'<BucketLoggingStatus xmlns="{XMLNS}"/>'.encode()
    r = raw.request("PUT", f"/{src}?logging", {}, body)
    assert r.status == 400, r.body
    # The partitioned key names account, region, source bucket and date.
    s3c.put_object(Bucket=src, Key="k", Body=b"x")
    assert wait_until(lambda: s3c.list_objects_v2(Bucket=logs).get("KeyCount", 0) > 0, 10)
    key = s3c.list_objects_v2(Bucket=logs)["Contents"][0]["Key"]
    assert re.fullmatch(rf"log/000000000000/us-east-1/{src}/\d{{4}}/\d\d/\d\d/"
                        r"\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-[0-9a-f]{16}", key), key


def test_errors(srv, s3c, buckets):
    src, logs = buckets(), buckets()
    with pytest.raises(Exception) as e:
        enable(s3c, src + "-missing", logs)
    assert err_code(e.value) == "NoSuchBucket"
    with pytest.raises(Exception) as e:
        enable(s3c, src, logs + "-missing")
    assert err_code(e.value) == "InvalidTargetBucketForLogging"
    # The target's policy does not let the logging service write (none, then another source).
    with pytest.raises(Exception) as e:
        enable(s3c, src, logs)
    assert err_code(e.value) == "InvalidTargetBucketForLogging"
    allow_logging(s3c, logs, ["some-other-bucket"])
    with pytest.raises(Exception) as e:
        enable(s3c, src, logs)
    assert err_code(e.value) == "InvalidTargetBucketForLogging"
    # A target with a default retention.
    locked = unique_bucket_name("log")
    s3c.create_bucket(Bucket=locked, ObjectLockEnabledForBucket=True)
    try:
        allow_logging(s3c, locked, [src])
        s3c.put_object_lock_configuration(Bucket=locked, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})
        with pytest.raises(Exception) as e:
            enable(s3c, src, locked)
        assert err_code(e.value) == "InvalidTargetBucketForLogging"
    finally:
        s3c.delete_bucket(Bucket=locked)
    # A permission other than FULL_CONTROL, READ or WRITE.
    allow_logging(s3c, logs, [src])
    with pytest.raises(Exception) as e:
        enable(s3c, src, logs, TargetGrants=[{
            "Grantee": {"Type": "CanonicalUser", "ID": CANONICAL_ID}, "Permission": "WRITE_ACP"}])
    assert err_code(e.value) == "MalformedXML"
    # Unknown credentials change nothing.
    with pytest.raises(Exception) as e:
        boto3_client(srv.endpoint, "NOSUCHKEY", "x" * 20).put_bucket_logging(
            Bucket=src, BucketLoggingStatus={})
    assert err_code(e.value) == "InvalidAccessKeyId"
    # Nothing was stored by any of these.
    assert "LoggingEnabled" not in s3c.get_bucket_logging(Bucket=src)


def test_iam_user_needs_put_bucket_logging(srv, s3c, buckets):
    import boto3
    src, logs = buckets(), buckets()
    allow_logging(s3c, logs, [src])
    iam = boto3.client("iam", endpoint_url=srv.endpoint, region_name="us-east-1",
                       aws_access_key_id=srv.access_key, aws_secret_access_key=srv.secret_key)
    user = "loguser" + unique_bucket_name("")[-8:]
    iam.create_user(UserName=user)
    arn = iam.create_policy(PolicyName=user + "-get", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetBucketLogging",
                       "Resource": "*"}]}))["Policy"]["Arn"]
    iam.attach_user_policy(UserName=user, PolicyArn=arn)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    try:
        c = boto3_client(srv.endpoint, key["AccessKeyId"], key["SecretAccessKey"])
        c.get_bucket_logging(Bucket=src)
        with pytest.raises(Exception) as e:
            enable(c, src, logs)
        assert err_code(e.value) == "AccessDenied"
    finally:
        iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
        iam.detach_user_policy(UserName=user, PolicyArn=arn)
        iam.delete_policy(PolicyArn=arn)
        iam.delete_user(UserName=user)


def test_records_for_object_operations(srv, s3c, buckets):
    src, logs, other = buckets(), buckets(), buckets()
    allow_logging(s3c, logs, [src])
    enable(s3c, src, logs)
    put = s3c.put_object(Bucket=src, Key="dir/obj one", Body=b"hello")
    put_id = put["ResponseMetadata"]["RequestId"]
    assert s3c.get_object(Bucket=src, Key="dir/obj one")["Body"].read() == b"hello"
    s3c.head_object(Bucket=src, Key="dir/obj one")
    with pytest.raises(Exception):
        s3c.get_object(Bucket=src, Key="missing")
    s3c.copy_object(Bucket=src, Key="copy", CopySource={"Bucket": src, "Key": "dir/obj one"})
    s3c.put_object(Bucket=other, Key="o", Body=b"not logged")
    up = s3c.create_multipart_upload(Bucket=src, Key="mp")["UploadId"]
    part = s3c.upload_part(Bucket=src, Key="mp", UploadId=up, PartNumber=1, Body=b"p" * 100)
    s3c.complete_multipart_upload(Bucket=src, Key="mp", UploadId=up, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    s3c.delete_object(Bucket=src, Key="copy")
    want = {"REST.PUT.OBJECT", "REST.GET.OBJECT", "REST.HEAD.OBJECT", "REST.COPY.OBJECT",
            "REST.POST.UPLOADS", "REST.PUT.PART", "REST.POST.UPLOAD", "REST.DELETE.OBJECT"}
    recs = []

    def complete():
        nonlocal recs
        recs = records(s3c, logs, "log/")
        return want <= {r[6] for r in recs}

    assert wait_until(complete, 15), sorted({r[6] for r in recs})
    for r in recs:
        assert r[0] == CANONICAL_ID and r[1] == src, r
        assert re.fullmatch(r"\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000", r[2]), r
        assert r[3] == "127.0.0.1" and r[4] == CANONICAL_ID, r
        assert r[19] == "SigV4" and r[21] == "AuthHeader", r
        assert r[22] == f"{srv.host}:{srv.port}", r
    by_op = {}
    for r in recs:
        by_op.setdefault(r[6], []).append(r)
    (p,) = [r for r in by_op["REST.PUT.OBJECT"] if r[7] == "dir/obj%20one"]
    assert p[5] == put_id and p[9] == "200" and p[12] == "5"
    assert p[8] == f"PUT /{src}/dir/obj%20one HTTP/1.1"
    assert "Boto3" in p[16] or "Botocore" in p[16]
    gets = by_op["REST.GET.OBJECT"]
    ok = [r for r in gets if r[9] == "200"]
    assert ok and ok[0][11] == "5" and ok[0][12] == "5"
    missing = [r for r in gets if r[7] == "missing"]
    assert missing and missing[0][9] == "404" and missing[0][10] == "NoSuchKey"
    assert by_op["REST.HEAD.OBJECT"][0][9] == "200"
    assert by_op["REST.DELETE.OBJECT"][0][9] == "204" and by_op["REST.DELETE.OBJECT"][0][7] == "copy"
    assert by_op["REST.PUT.PART"][0][7] == "mp"
    assert by_op["REST.COPY.OBJECT"][0][7] == "copy"
    # Requests on other buckets are not in the source's log.
    assert all(r[1] == src for r in recs)


def test_source_that_is_its_own_target_logs_no_delivery(s3c, buckets):
    src = buckets()
    allow_logging(s3c, src, [src], prefix="self/")
    enable(s3c, src, src, prefix="self/")
    for i in range(3):
        s3c.put_object(Bucket=src, Key=f"k{i}", Body=b"x")
    recs = []

    def delivered():
        nonlocal recs
        recs = records(s3c, src, "self/")
        return sum(1 for r in recs if r[6] == "REST.PUT.OBJECT") >= 3

    assert wait_until(delivered, 15)
    # Every PUT in the log is one of ours: no log object's delivery was logged.
    puts = [r[7] for r in recs if r[6] == "REST.PUT.OBJECT"]
    assert sorted(puts) == ["k0", "k1", "k2"], puts
    keys = [o["Key"] for o in s3c.list_objects_v2(Bucket=src, Prefix="self/")["Contents"]]
    assert all(re.fullmatch(r"self/\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-[0-9a-f]{16}", k) for k in keys)
