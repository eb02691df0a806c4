# Object and bucket tagging (issue 17) through boto3 and /usr/bin/aws: Put/Get/DeleteObjectTagging
# with versions, x-amz-tagging on PUT, copy (COPY/REPLACE) and multipart, x-amz-tagging-count,
# bucket tags, S3's limits, the tag condition keys of policies, and hostile raw requests that
# must answer a clear S3 error and store nothing.
import json
import os
import subprocess
import uuid

import boto3
import botocore
import pytest
from botocore.config import Config

from conftest import client_env
from s3util import REGION, S3Raw, boto3_client, err_code, err_status, read_http_response

AWS = "/usr/bin/aws"


def tagset(d):
    return [{"Key": k, "Value": v} for k, v in d.items()]


def tags_of(s3, bucket, key, **kw):
    return s3.get_object_tagging(Bucket=bucket, Key=key, **kw)["TagSet"]


@pytest.fixture
def raw(server):
    return S3Raw(server)


@pytest.fixture(scope="module")
def iam(server):
    return boto3.session.Session().client(
        "iam", endpoint_url=server.endpoint, region_name=REGION,
        aws_access_key_id=server.access_key, aws_secret_access_key=server.secret_key,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}))


@pytest.fixture(scope="module")
def user_s3(server, iam):
    """An S3 client of an IAM user without any identity policy (bucket policies decide)."""
    name = f"tagger-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    yield boto3_client(server.endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
    iam.delete_user(UserName=name)


# ------------------------------------------------------------------------------------------
# Object tags
# ------------------------------------------------------------------------------------------
def test_put_get_delete_object_tagging(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"data")
    assert tags_of(s3, bucket, "k") == []
    assert "TagCount" not in s3.get_object(Bucket=bucket, Key="k")
    want = tagset({"Hello": "World", "a & b": "<x>", "empty": "", "é": "ü"})
    r = s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": want})
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert tags_of(s3, bucket, "k") == want
    head = s3.head_object(Bucket=bucket, Key="k")
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "4"
    got = s3.get_object(Bucket=bucket, Key="k")
    assert got["TagCount"] == 4
    assert got["Body"].read() == b"data"
    # Tagging changes neither the data nor Last-Modified.
    assert head["ETag"] == s3.put_object(Bucket=bucket, Key="other", Body=b"data")["ETag"]
    r = s3.delete_object_tagging(Bucket=bucket, Key="k")
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert tags_of(s3, bucket, "k") == []
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"data"


def test_object_tagging_limits_and_nothing_changes(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", Tagging="keep=1")
    ten = {str(i): str(i) for i in range(10)}
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": tagset(ten)})
    assert len(tags_of(s3, bucket, "k")) == 10
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": tagset({"keep": "1"})})
    big = {"k" * 128: "v" * 256}
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": tagset(big)})
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": tagset({"keep": "1"})})
    bad = [
        tagset({str(i): "v" for i in range(11)}),
        tagset({"k" * 129: "v"}),
        tagset({"k": "v" * 257}),
        [{"Key": "d", "Value": "1"}, {"Key": "d", "Value": "2"}],
        tagset({"aws:cloudformation": "x"}),
    ]
    for ts in bad:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": ts})
        assert err_status(e.value) == 400
        assert err_code(e.value) == "InvalidTag"
    assert tags_of(s3, bucket, "k") == tagset({"keep": "1"})


def test_object_tagging_missing_things(s3, bucket):
    for call in (lambda: s3.get_object_tagging(Bucket=bucket, Key="nope"),
                 lambda: s3.put_object_tagging(Bucket=bucket, Key="nope",
                                               Tagging={"TagSet": tagset({"a": "b"})}),
                 lambda: s3.delete_object_tagging(Bucket=bucket, Key="nope")):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            call()
        assert err_code(e.value) == "NoSuchKey"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object_tagging(Bucket="no-such-bucket-" + uuid.uuid4().hex[:8], Key="k")
    assert err_code(e.value) == "NoSuchBucket"


def test_versioned_object_tagging(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=b"1", Tagging="gen=1")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="k", Body=b"2", Tagging="gen=2")["VersionId"]
    r = s3.get_object_tagging(Bucket=bucket, Key="k", VersionId=v1)
    assert r["TagSet"] == tagset({"gen": "1"}) and r["VersionId"] == v1
    r = s3.get_object_tagging(Bucket=bucket, Key="k")
    assert r["TagSet"] == tagset({"gen": "2"}) and r["VersionId"] == v2
    r = s3.put_object_tagging(Bucket=bucket, Key="k", VersionId=v1,
                              Tagging={"TagSet": tagset({"old": "yes"})})
    assert r["VersionId"] == v1
    assert tags_of(s3, bucket, "k", VersionId=v1) == tagset({"old": "yes"})
    assert tags_of(s3, bucket, "k") == tagset({"gen": "2"})
    assert s3.get_object(Bucket=bucket, Key="k", VersionId=v1)["TagCount"] == 1
    r = s3.delete_object_tagging(Bucket=bucket, Key="k", VersionId=v2)
    assert r["VersionId"] == v2
    assert tags_of(s3, bucket, "k") == []
    marker = s3.delete_object(Bucket=bucket, Key="k")["VersionId"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object_tagging(Bucket=bucket, Key="k")
    assert err_code(e.value) == "NoSuchKey"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object_tagging(Bucket=bucket, Key="k", VersionId=marker)
    assert err_status(e.value) == 405


def test_tagging_header_on_put_and_multipart(s3, bucket):
    s3.put_object(Bucket=bucket, Key="p", Body=b"x", Tagging="foo=bar&bar&sp=a%20b")
    assert tags_of(s3, bucket, "p") == [{"Key": "foo", "Value": "bar"}, {"Key": "bar", "Value": ""},
                                        {"Key": "sp", "Value": "a b"}]
    up = s3.create_multipart_upload(Bucket=bucket, Key="mp", Tagging="Hello=World&foo=bar")
    part = s3.upload_part(Bucket=bucket, Key="mp", UploadId=up["UploadId"], PartNumber=1, Body=b"z")
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=up["UploadId"],
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert tags_of(s3, bucket, "mp") == tagset({"Hello": "World", "foo": "bar"})
    for header, code in [("a=1&a=2", "InvalidArgument"), ("a=%zz", "InvalidArgument"),
                         ("aws:x=1", "InvalidTag"), ("&".join(f"k{i}=v" for i in range(11)), "InvalidTag")]:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.put_object(Bucket=bucket, Key="bad", Body=b"x", Tagging=header)
        assert err_code(e.value) == code, header
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.create_multipart_upload(Bucket=bucket, Key="bad", Tagging=header)
        assert err_code(e.value) == code, header
    with pytest.raises(botocore.exceptions.ClientError):
        s3.head_object(Bucket=bucket, Key="bad")
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_copy_tagging_directive(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"x", Tagging="s=1")
    src = {"Bucket": bucket, "Key": "src"}
    s3.copy_object(Bucket=bucket, Key="c1", CopySource=src, Tagging="ignored=1")
    assert tags_of(s3, bucket, "c1") == tagset({"s": "1"})
    s3.copy_object(Bucket=bucket, Key="c2", CopySource=src, TaggingDirective="REPLACE",
                   Tagging="n=2")
    assert tags_of(s3, bucket, "c2") == tagset({"n": "2"})
    s3.copy_object(Bucket=bucket, Key="c3", CopySource=src, TaggingDirective="REPLACE")
    assert tags_of(s3, bucket, "c3") == []
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="c4", CopySource=src, TaggingDirective="REPLACE",
                       Tagging="aws:x=1")
    assert err_code(e.value) == "InvalidTag"
    with pytest.raises(botocore.exceptions.ClientError):
        s3.head_object(Bucket=bucket, Key="c4")


# ------------------------------------------------------------------------------------------
# Bucket tags
# ------------------------------------------------------------------------------------------
def test_bucket_tagging(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_tagging(Bucket=bucket)
    assert err_status(e.value) == 404 and err_code(e.value) == "NoSuchTagSet"
    want = tagset({"team": "storage", "cost-center": "42"})
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": want})
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == want
    fifty = tagset({f"k{i}": "v" for i in range(50)})
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": fifty})
    assert len(s3.get_bucket_tagging(Bucket=bucket)["TagSet"]) == 50
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tagset({f"k{i}": "v" for i in range(51)})})
    assert err_code(e.value) == "InvalidTag"
    assert len(s3.get_bucket_tagging(Bucket=bucket)["TagSet"]) == 50
    r = s3.delete_bucket_tagging(Bucket=bucket)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_tagging(Bucket=bucket)
    assert err_code(e.value) == "NoSuchTagSet"


def test_bucket_tags_go_with_the_bucket(s3, bucket_name):
    s3.create_bucket(Bucket=bucket_name)
    s3.put_bucket_tagging(Bucket=bucket_name, Tagging={"TagSet": tagset({"a": "1"})})
    s3.delete_bucket(Bucket=bucket_name)
    s3.create_bucket(Bucket=bucket_name)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_tagging(Bucket=bucket_name)
    assert err_code(e.value) == "NoSuchTagSet"
    s3.delete_bucket(Bucket=bucket_name)


def test_aws_cli_tagging(server, s3, bucket, tmp_dir):
    env = client_env(server, tmp_dir)
    def aws(*args):
        out = subprocess.run([AWS, "--endpoint-url", server.endpoint, "--output", "json", *args],
                             env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout) if out.stdout.strip() else None
    s3.put_object(Bucket=bucket, Key="cli", Body=b"x")
    aws("s3api", "put-object-tagging", "--bucket", bucket, "--key", "cli",
        "--tagging", "TagSet=[{Key=env,Value=prod}]")
    assert aws("s3api", "get-object-tagging", "--bucket", bucket, "--key", "cli")["TagSet"] == \
        tagset({"env": "prod"})
    aws("s3api", "put-bucket-tagging", "--bucket", bucket,
        "--tagging", "TagSet=[{Key=team,Value=x}]")
    assert aws("s3api", "get-bucket-tagging", "--bucket", bucket)["TagSet"] == tagset({"team": "x"})
    aws("s3api", "delete-object-tagging", "--bucket", bucket, "--key", "cli")
    assert aws("s3api", "get-object-tagging", "--bucket", bucket, "--key", "cli")["TagSet"] == []
    src = os.path.join(tmp_dir, "f.txt")
    with open(src, "w") as f:
        f.write("hello")
    aws("s3api", "put-object", "--bucket", bucket, "--key", "f.txt", "--body", src,
        "--tagging", "project=blue")
    assert tags_of(s3, bucket, "f.txt") == tagset({"project": "blue"})


# ------------------------------------------------------------------------------------------
# Policy condition keys
# ------------------------------------------------------------------------------------------
def test_existing_object_tag_condition(s3, bucket, user_s3):
    s3.put_object(Bucket=bucket, Key="pub", Body=b"p", Tagging="security=public")
    s3.put_object(Bucket=bucket, Key="priv", Body=b"q", Tagging="security=private")
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*",
                       "Action": ["s3:GetObject", "s3:GetObjectTagging"],
                       "Resource": f"arn:aws:s3:::{bucket}/*",
                       "Condition": {"StringEquals": {"s3:ExistingObjectTag/security": "public"}}}]}))
    assert user_s3.get_object(Bucket=bucket, Key="pub")["Body"].read() == b"p"
    assert tags_of(user_s3, bucket, "pub") == tagset({"security": "public"})
    with pytest.raises(botocore.exceptions.ClientError) as e:
        user_s3.get_object(Bucket=bucket, Key="priv")
    assert err_code(e.value) == "AccessDenied"
    # Retagging changes the answer at once.
    s3.put_object_tagging(Bucket=bucket, Key="priv", Tagging={"TagSet": tagset({"security": "public"})})
    assert user_s3.get_object(Bucket=bucket, Key="priv")["Body"].read() == b"q"
    s3.delete_bucket_policy(Bucket=bucket)


def test_request_object_tag_conditions(s3, bucket, user_s3):
    s3.put_object(Bucket=bucket, Key="t", Body=b"x")
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*",
                       "Action": ["s3:PutObject", "s3:PutObjectTagging"],
                       "Resource": f"arn:aws:s3:::{bucket}/*",
                       "Condition": {"StringEquals": {"s3:RequestObjectTag/Project": "blue"},
                                     "ForAllValues:StringEquals": {
                                         "s3:RequestObjectTagKeys": ["Project", "Owner"]}}}]}))
    user_s3.put_object(Bucket=bucket, Key="ok", Body=b"x", Tagging="Project=blue&Owner=me")
    user_s3.put_object_tagging(Bucket=bucket, Key="t", Tagging={"TagSet": tagset({"Project": "blue"})})
    assert tags_of(s3, bucket, "t") == tagset({"Project": "blue"})
    for tagging in ("Project=red", "Project=blue&Other=1", "project=blue", ""):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            user_s3.put_object(Bucket=bucket, Key="denied", Body=b"x", Tagging=tagging)
        assert err_code(e.value) == "AccessDenied", tagging
    with pytest.raises(botocore.exceptions.ClientError) as e:
        user_s3.put_object_tagging(Bucket=bucket, Key="t", Tagging={"TagSet": tagset({"Project": "red"})})
    assert err_code(e.value) == "AccessDenied"
    assert tags_of(s3, bucket, "t") == tagset({"Project": "blue"})
    with pytest.raises(botocore.exceptions.ClientError):
        s3.head_object(Bucket=bucket, Key="denied")
    s3.delete_bucket_policy(Bucket=bucket)


# ------------------------------------------------------------------------------------------
# Hostile raw requests: a clear error and nothing stored
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("body,code", [
    (b"<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value>", "MalformedXML"),
    (b"<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>", "MalformedXML"),
    (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
     b"<Tagging><TagSet><Tag><Key>&e;</Key><Value>v</Value></Tag></TagSet></Tagging>", "MalformedXML"),
    (b"<Tagging>" + b"<TagSet>" * 100 + b"</TagSet>" * 100 + b"</Tagging>", "MalformedXML"),
    (b"<Tagging><TagSet>" + b"<Tag><Key>k</Key><Value>v</Value></Tag>" * 5000 + b"</TagSet></Tagging>",
     "MalformedXML"),
    (b"<Tagging><TagSet><Tag><Key>\xff</Key><Value>v</Value></Tag></TagSet></Tagging>", "MalformedXML"),
    (b"<Tagging><TagSet><Tag><Key></Key><Value>v</Value></Tag></TagSet></Tagging>", "InvalidTag"),
])
def test_hostile_tagging_documents(raw, s3, bucket, body, code):
    s3.put_object(Bucket=bucket, Key="h", Body=b"x", Tagging="keep=1")
    for target in (f"/{bucket}/h?tagging", f"/{bucket}?tagging"):
        r = raw.request("PUT", target, body=body)
        assert r.status == 400, r
        assert r.error_code() == code, r
        assert r.headers.get("x-amz-request-id")
    assert tags_of(s3, bucket, "h") == tagset({"keep": "1"})
    with pytest.raises(botocore.exceptions.ClientError):
        s3.get_bucket_tagging(Bucket=bucket)


def test_huge_tagging_body_is_refused_unread(raw, s3, bucket):
    """8 MiB of tagging XML: refused once 256 KiB arrived (the server stops reading and closes)."""
    s3.put_object(Bucket=bucket, Key="h", Body=b"x")
    body = b"<Tagging><TagSet>" + b" " * (8 << 20) + b"</TagSet></Tagging>"
    for target in (f"/{bucket}/h?tagging", f"/{bucket}?tagging"):
        sock = raw.connect()
        try:
            sock.sendall(raw.raw_bytes("PUT", target, headers={"Content-Length": str(len(body))},
                                       body=body))
            try:
                for i in range(0, len(body), 1 << 16):
                    sock.sendall(body[i:i + (1 << 16)])
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered early and closed: what we want
            try:
                r = read_http_response(sock, "PUT")
            except ConnectionResetError:
                r = None  # the close raced the answer out of the socket buffer
        finally:
            sock.close()
        assert r is None or (r.status == 400 and r.error_code() == "MalformedXML"), r
    assert tags_of(s3, bucket, "h") == []
    with pytest.raises(botocore.exceptions.ClientError):
        s3.get_bucket_tagging(Bucket=bucket)


def test_tagging_count_header_and_methods(raw, s3, bucket):
    s3.put_object(Bucket=bucket, Key="c", Body=b"x", Tagging="a=1&b=2")
    r = raw.request("HEAD", f"/{bucket}/c")
    assert r.headers.get("x-amz-tagging-count") == "2"
    r = raw.request("POST", f"/{bucket}/c?tagging")
    assert r.status == 405
