# Identity and access on the S3 port (issue 8): IAM users, keys, groups and managed policies
# made through the IAM query API (boto3 and /usr/bin/aws), bucket policies, ACLs and the
# public-access block, temporary credentials (STS) and presigned URLs of limited users.
import json
import os
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import uuid

import boto3
import botocore
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from conftest import client_env
from s3util import REGION, boto3_client, err_code, err_status

AWS = "/usr/bin/aws"
ACCOUNT = "000000000000"


def policy_arn(name):
    return f"arn:aws:iam::{ACCOUNT}:policy/{name}"


def uid(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _client(service, server, access_key, secret_key, token=None):
    return boto3.session.Session().client(
        service, endpoint_url=server.endpoint, region_name=REGION,
        aws_access_key_id=access_key, aws_secret_access_key=secret_key,
        aws_session_token=token,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}))


@pytest.fixture(scope="module")
def iam(server):
    return _client("iam", server, server.access_key, server.secret_key)


@pytest.fixture(scope="module")
def sts(server):
    return _client("sts", server, server.access_key, server.secret_key)


@pytest.fixture
def anon(server):
    return boto3_client(server.endpoint, "x", "x", signature_version=botocore.UNSIGNED)


def s3_of(server, key, token=None):
    """An S3 client signing with `key` (a CreateAccessKey answer)."""
    c = boto3_client(server.endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    if token is not None:
        c = boto3.session.Session().client(
            "s3", endpoint_url=server.endpoint, region_name=REGION,
            aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
            aws_session_token=token,
            config=Config(s3={"addressing_style": "path"}, signature_version="s3v4",
                          retries={"max_attempts": 1, "mode": "standard"}))
    return c


def make_user(iam, statements, name=None):
    """A user with one managed policy of `statements` attached; returns (name, access key)."""
    name = name or uid("u")
    iam.create_user(UserName=name)
    if statements:
        pname = uid("p")
        iam.create_policy(PolicyName=pname, PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": statements}))
        iam.attach_user_policy(UserName=name, PolicyArn=policy_arn(pname))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return name, key


def denied(fn, *args, code="AccessDenied", status=403, **kw):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        fn(*args, **kw)
    assert err_code(e.value) == code, e.value.response
    assert err_status(e.value) == status
    return e.value


def http_status(url, method="GET", data=None):
    req = urllib.request.Request(url, method=method, data=data)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


# ------------------------------------------------------------------------------------------
# Users and policies
# ------------------------------------------------------------------------------------------
def test_read_only_user_can_list_and_get_but_not_put_or_delete(server, s3, iam, bucket):
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"hello")
    _, key = make_user(iam, [
        {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": f"arn:aws:s3:::{bucket}"},
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": f"arn:aws:s3:::{bucket}/*"},
    ])
    ro = s3_of(server, key)
    assert [o["Key"] for o in ro.list_objects_v2(Bucket=bucket)["Contents"]] == ["a.txt"]
    assert ro.get_object(Bucket=bucket, Key="a.txt")["Body"].read() == b"hello"
    denied(ro.put_object, Bucket=bucket, Key="b.txt", Body=b"x")
    denied(ro.delete_object, Bucket=bucket, Key="a.txt")
    denied(ro.create_bucket, Bucket=uid("nope"))
    denied(ro.list_buckets)
    # Nothing changed.
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["a.txt"]


def test_user_limited_to_a_prefix_sees_only_that_prefix(server, s3, iam, bucket):
    for k in ["home/alice/1", "home/alice/2", "home/bob/1", "top"]:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
    _, key = make_user(iam, [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}",
         "Condition": {"StringLike": {"s3:prefix": ["home/alice/*"]}}},
        {"Effect": "Allow", "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{bucket}/home/alice/*"},
    ])
    c = s3_of(server, key)
    keys = [o["Key"] for o in c.list_objects_v2(Bucket=bucket, Prefix="home/alice/")["Contents"]]
    assert keys == ["home/alice/1", "home/alice/2"]
    denied(c.list_objects_v2, Bucket=bucket, Prefix="home/bob/")
    denied(c.list_objects_v2, Bucket=bucket)
    denied(c.list_objects, Bucket=bucket, Prefix="home/")
    assert c.get_object(Bucket=bucket, Key="home/alice/2")["Body"].read() == b"home/alice/2"
    denied(c.get_object, Bucket=bucket, Key="home/bob/1")
    denied(c.get_object, Bucket=bucket, Key="top")


def test_deny_in_a_group_beats_allow_on_the_user(server, s3, iam, bucket):
    s3.put_object(Bucket=bucket, Key="keep", Body=b"1")
    user, key = make_user(iam, [
        {"Effect": "Allow", "Action": "s3:*", "Resource": [f"arn:aws:s3:::{bucket}",
                                                           f"arn:aws:s3:::{bucket}/*"]}])
    c = s3_of(server, key)
    c.put_object(Bucket=bucket, Key="mine", Body=b"2")
    group, pname = uid("g"), uid("deny")
    iam.create_group(GroupName=group)
    iam.create_policy(PolicyName=pname, PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}))
    iam.attach_group_policy(GroupName=group, PolicyArn=policy_arn(pname))
    iam.add_user_to_group(GroupName=group, UserName=user)
    denied(c.delete_object, Bucket=bucket, Key="keep")
    c.put_object(Bucket=bucket, Key="still-allowed", Body=b"3")  # the rest of the allow holds
    # Leaving the group lifts the deny.
    iam.remove_user_from_group(GroupName=group, UserName=user)
    c.delete_object(Bucket=bucket, Key="keep")
    assert "keep" not in [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]


def test_delete_objects_is_authorized_per_key(server, s3, iam, bucket):
    for k in ["tmp/a", "keep/b"]:
        s3.put_object(Bucket=bucket, Key=k, Body=b"x")
    _, key = make_user(iam, [
        {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": f"arn:aws:s3:::{bucket}/tmp/*"}])
    c = s3_of(server, key)
    resp = c.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "tmp/a"}, {"Key": "keep/b"}]})
    assert [d["Key"] for d in resp.get("Deleted", [])] == ["tmp/a"]
    assert [(e["Key"], e["Code"]) for e in resp.get("Errors", [])] == [("keep/b", "AccessDenied")]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["keep/b"]


def test_copy_needs_read_on_the_source(server, s3, iam, bucket):
    s3.put_object(Bucket=bucket, Key="secret/src", Body=b"s")
    s3.put_object(Bucket=bucket, Key="open/src", Body=b"o")
    _, key = make_user(iam, [
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/dst/*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/open/*"}])
    c = s3_of(server, key)
    c.copy_object(Bucket=bucket, Key="dst/1", CopySource={"Bucket": bucket, "Key": "open/src"})
    denied(c.copy_object, Bucket=bucket, Key="dst/2",
           CopySource={"Bucket": bucket, "Key": "secret/src"})
    denied(c.copy_object, Bucket=bucket, Key="elsewhere",
           CopySource={"Bucket": bucket, "Key": "open/src"})


def test_deactivated_key_is_refused_at_once(server, iam, bucket):
    user, key = make_user(iam, [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"}])
    c = s3_of(server, key)
    c.list_objects_v2(Bucket=bucket)
    iam.update_access_key(UserName=user, AccessKeyId=key["AccessKeyId"], Status="Inactive")
    denied(c.list_objects_v2, Bucket=bucket, code="InvalidAccessKeyId")
    keys = iam.list_access_keys(UserName=user)["AccessKeyMetadata"]
    assert [(k["AccessKeyId"], k["Status"]) for k in keys] == [(key["AccessKeyId"], "Inactive")]
    iam.update_access_key(UserName=user, AccessKeyId=key["AccessKeyId"], Status="Active")
    c.list_objects_v2(Bucket=bucket)
    iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
    denied(c.list_objects_v2, Bucket=bucket, code="InvalidAccessKeyId")


def test_iam_errors_in_iam_language(iam):
    name = uid("e")
    iam.create_user(UserName=name)
    e = denied(iam.create_user, UserName=name, code="EntityAlreadyExists", status=409)
    assert e.response["Error"]["Type"] == "Sender"
    denied(iam.get_user, UserName=uid("missing"), code="NoSuchEntity", status=404)
    denied(iam.create_policy, PolicyName=uid("bad"), PolicyDocument='{"Version": "2012-10-17"}',
           code="MalformedPolicyDocument", status=400)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    denied(iam.delete_user, UserName=name, code="DeleteConflict", status=409)
    iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
    iam.delete_user(UserName=name)
    denied(iam.get_user, UserName=name, code="NoSuchEntity", status=404)


def test_limited_user_cannot_manage_iam(server, iam):
    _, key = make_user(iam, [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}])
    mine = _client("iam", server, key["AccessKeyId"], key["SecretAccessKey"])
    denied(mine.create_user, UserName=uid("x"))
    denied(mine.list_users)


# ------------------------------------------------------------------------------------------
# Anonymous access: bucket policy, ACLs, public-access block
# ------------------------------------------------------------------------------------------
def test_anonymous_get_only_with_public_bucket_policy_and_not_when_blocked(s3, anon, bucket):
    s3.put_object(Bucket=bucket, Key="pub.txt", Body=b"public")
    denied(anon.get_object, Bucket=bucket, Key="pub.txt")
    denied(s3.get_bucket_policy, Bucket=bucket, code="NoSuchBucketPolicy", status=404)
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}]}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]) == policy
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is True
    assert anon.get_object(Bucket=bucket, Key="pub.txt")["Body"].read() == b"public"
    # Only what the policy allows.
    denied(anon.put_object, Bucket=bucket, Key="w", Body=b"x")
    denied(anon.list_objects_v2, Bucket=bucket)

    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True})
    got = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert got["RestrictPublicBuckets"] is True and got["BlockPublicPolicy"] is True
    denied(anon.get_object, Bucket=bucket, Key="pub.txt")
    # A new public policy is refused while BlockPublicPolicy is set.
    denied(s3.put_bucket_policy, Bucket=bucket, Policy=json.dumps(policy))

    s3.delete_public_access_block(Bucket=bucket)
    denied(s3.get_public_access_block, Bucket=bucket,
           code="NoSuchPublicAccessBlockConfiguration", status=404)
    assert anon.get_object(Bucket=bucket, Key="pub.txt")["Body"].read() == b"public"
    s3.delete_bucket_policy(Bucket=bucket)
    denied(anon.get_object, Bucket=bucket, Key="pub.txt")


def test_malformed_bucket_policy_is_refused(s3, bucket):
    denied(s3.put_bucket_policy, Bucket=bucket, Policy="not json", code="MalformedPolicy",
           status=400)
    denied(s3.put_bucket_policy, Bucket=bucket, Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                                                "Action": "s3:GetObject",
                                                "Resource": "arn:aws:s3:::other-bucket/*"}]}),
        code="MalformedPolicy", status=400)
    denied(s3.put_bucket_policy, Bucket=bucket, Policy="{" + " " * (21 * 1024) + "}",
           code="MalformedPolicy", status=400)
    denied(s3.get_bucket_policy, Bucket=bucket, code="NoSuchBucketPolicy", status=404)


def test_bucket_policy_not_principal_only_with_deny(s3, bucket):
    # AWS: NotPrincipal must be used with "Effect": "Deny"; with Allow it would grant the
    # actions to everyone else, anonymous callers included, and is refused.
    statement = {"NotPrincipal": {"AWS": "arn:aws:iam::000000000000:user/alice"},
                 "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"}
    denied(s3.put_bucket_policy, Bucket=bucket, Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [dict(statement, Effect="Allow")]}),
        code="MalformedPolicy", status=400)
    denied(s3.get_bucket_policy, Bucket=bucket, code="NoSuchBucketPolicy", status=404)
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [dict(statement, Effect="Deny")]}))
    s3.delete_bucket_policy(Bucket=bucket)


def test_bucket_policy_may_repeat_a_sid(s3, bucket):
    # IAM refuses repeated Sids in an identity policy; S3 takes them in a bucket policy and keeps
    # every statement.
    stmt = {"Sid": "Same", "Effect": "Allow", "Principal": "*"}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        dict(stmt, Action="s3:GetObject", Resource=f"arn:aws:s3:::{bucket}/*"),
        dict(stmt, Action="s3:ListBucket", Resource=f"arn:aws:s3:::{bucket}")]}))
    try:
        assert len(json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]) == 2
    finally:
        s3.delete_bucket_policy(Bucket=bucket)


def test_missing_key_is_404_only_for_callers_who_may_list(s3, anon, bucket):
    # S3 tells whoever may list the bucket that a key is missing (404 NoSuchKey); anyone else
    # is refused (403), so the answer does not reveal which keys exist.
    denied(anon.get_object, Bucket=bucket, Key="absent")
    denied(anon.head_object, Bucket=bucket, Key="absent", code="403")
    s3.put_bucket_acl(Bucket=bucket, ACL="public-read")  # AllUsers READ: may list
    denied(anon.get_object, Bucket=bucket, Key="absent", code="NoSuchKey", status=404)
    denied(anon.head_object, Bucket=bucket, Key="absent", code="404", status=404)
    s3.put_object(Bucket=bucket, Key="private", Body=b"p")  # exists: still 403, not 404
    denied(anon.get_object, Bucket=bucket, Key="private")
    s3.put_bucket_acl(Bucket=bucket, ACL="private")
    denied(anon.get_object, Bucket=bucket, Key="absent")


def test_public_read_object_acl(s3, anon, bucket):
    s3.put_object(Bucket=bucket, Key="open", Body=b"o", ACL="public-read")
    s3.put_object(Bucket=bucket, Key="closed", Body=b"c")
    assert anon.get_object(Bucket=bucket, Key="open")["Body"].read() == b"o"
    denied(anon.get_object, Bucket=bucket, Key="closed")
    grants = s3.get_object_acl(Bucket=bucket, Key="open")["Grants"]
    assert {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
            "Permission": "READ"} in grants
    # The ACL of an existing object can be changed both ways.
    s3.put_object_acl(Bucket=bucket, Key="closed", ACL="public-read")
    assert anon.get_object(Bucket=bucket, Key="closed")["Body"].read() == b"c"
    s3.put_object_acl(Bucket=bucket, Key="closed", ACL="private")
    denied(anon.get_object, Bucket=bucket, Key="closed")
    # IgnorePublicAcls turns the public grant off; BlockPublicAcls refuses new ones.
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False,
        "RestrictPublicBuckets": False})
    denied(anon.get_object, Bucket=bucket, Key="open")
    denied(s3.put_object, Bucket=bucket, Key="new", Body=b"n", ACL="public-read")
    denied(s3.put_object_acl, Bucket=bucket, Key="closed", ACL="public-read")


def test_bucket_acl_get_and_put(s3, anon, bucket):
    acl = s3.get_bucket_acl(Bucket=bucket)
    assert acl["Owner"]["ID"]
    assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"]
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is False
    s3.put_bucket_acl(Bucket=bucket, ACL="public-read")
    grants = s3.get_bucket_acl(Bucket=bucket)["Grants"]
    # Canned ACLs list the group grants first and the owner's last (as RGW does).
    assert [(g["Grantee"].get("URI", "").rsplit("/", 1)[-1] or g["Grantee"]["ID"],
             g["Permission"]) for g in grants] == [("AllUsers", "READ"),
                                                   (acl["Owner"]["ID"], "FULL_CONTROL")]
    # Without a bucket policy, the policy status answers from the ACL.
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is True
    # public-read on a bucket lets anyone list it.
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert [o["Key"] for o in anon.list_objects_v2(Bucket=bucket)["Contents"]] == ["k"]
    # An AccessControlPolicy body works too.
    owner = acl["Owner"]
    s3.put_bucket_acl(Bucket=bucket, AccessControlPolicy={
        "Owner": owner, "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"]},
                                    "Permission": "FULL_CONTROL"}]})
    assert [g["Permission"] for g in s3.get_bucket_acl(Bucket=bucket)["Grants"]] == ["FULL_CONTROL"]
    denied(anon.list_objects_v2, Bucket=bucket)
    denied(s3.put_bucket_acl, Bucket=bucket, ACL="no-such-canned-acl", code="InvalidArgument",
           status=400)


def test_one_owner_id_in_every_answer(server, s3, iam, bucket):
    """ListBuckets, listings with owners, uploads and ACLs name the owner with one canonical id
    (never the access key), so an owner read from ListBuckets is accepted in an ACL."""
    owner = s3.list_buckets()["Owner"]
    assert owner["ID"] != server.access_key and len(owner["ID"]) == 64
    assert owner["DisplayName"] == "maxiofs"
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    up = s3.create_multipart_upload(Bucket=bucket, Key="m")["UploadId"]
    try:
        owners = [
            s3.get_bucket_acl(Bucket=bucket)["Owner"],
            s3.get_object_acl(Bucket=bucket, Key="k")["Owner"],
            s3.list_objects(Bucket=bucket)["Contents"][0]["Owner"],
            s3.list_objects_v2(Bucket=bucket, FetchOwner=True)["Contents"][0]["Owner"],
            s3.list_object_versions(Bucket=bucket)["Versions"][0]["Owner"],
            s3.list_multipart_uploads(Bucket=bucket)["Uploads"][0]["Owner"],
            s3.list_multipart_uploads(Bucket=bucket)["Uploads"][0]["Initiator"],
            s3.list_parts(Bucket=bucket, Key="m", UploadId=up)["Owner"],
            s3.list_parts(Bucket=bucket, Key="m", UploadId=up)["Initiator"],
        ]
    finally:
        s3.abort_multipart_upload(Bucket=bucket, Key="m", UploadId=up)
    assert owners == [owner] * len(owners)
    grants = s3.get_bucket_acl(Bucket=bucket)["Grants"]
    assert grants[0]["Grantee"] == {"Type": "CanonicalUser", "ID": owner["ID"],
                                    "DisplayName": "maxiofs"}
    # The owner as ListBuckets gave it is a valid ACL owner and grantee.
    s3.put_object_acl(Bucket=bucket, Key="k", AccessControlPolicy={
        "Owner": owner, "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"]},
                                    "Permission": "FULL_CONTROL"},
                                   {"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"]},
                                    "Permission": "READ_ACP"}]})
    assert len(s3.get_object_acl(Bucket=bucket, Key="k")["Grants"]) == 2
    # An IAM user's objects belong to the account too.
    name = uid("owner")
    iam.create_user(UserName=name)
    arn = iam.create_policy(PolicyName=uid("all"), PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))["Policy"]["Arn"]
    iam.attach_user_policy(UserName=name, PolicyArn=arn)
    user = s3_of(server, iam.create_access_key(UserName=name)["AccessKey"])
    user.put_object(Bucket=bucket, Key="by-user", Body=b"u")
    listed = user.list_objects_v2(Bucket=bucket, Prefix="by-user", FetchOwner=True)["Contents"]
    assert listed[0]["Owner"] == owner
    assert user.list_buckets()["Owner"] == owner


def test_owner_display_name_is_configurable(server_factory):
    srv = server_factory.start(env={"MAXIOFS_AUTH_ACCOUNT_DISPLAY_NAME": ""})
    c = srv.client()
    owner = c.list_buckets()["Owner"]
    assert "DisplayName" not in owner and len(owner["ID"]) == 64
    b = uid("dn")
    c.create_bucket(Bucket=b)
    acl = c.get_bucket_acl(Bucket=b)
    assert acl["Owner"] == owner and "DisplayName" not in acl["Grants"][0]["Grantee"]
    c.delete_bucket(Bucket=b)


def test_canned_acl_on_create_bucket(s3, anon, bucket_name):
    s3.create_bucket(Bucket=bucket_name, ACL="public-read")
    s3.put_object(Bucket=bucket_name, Key="k", Body=b"x")
    assert [o["Key"] for o in anon.list_objects_v2(Bucket=bucket_name)["Contents"]] == ["k"]


# ------------------------------------------------------------------------------------------
# Presigned URLs and temporary credentials
# ------------------------------------------------------------------------------------------
def test_presigned_url_of_a_limited_user_is_limited_the_same(server, s3, iam, bucket):
    s3.put_object(Bucket=bucket, Key="r", Body=b"readable")
    _, key = make_user(iam, [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}])
    c = s3_of(server, key)
    get_url = c.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "r"},
                                       ExpiresIn=300)
    status, body = http_status(get_url)
    assert (status, body) == (200, b"readable")
    put_url = c.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "w"},
                                       ExpiresIn=300)
    status, body = http_status(put_url, method="PUT", data=b"nope")
    assert status == 403 and b"AccessDenied" in body
    # The same presigned PUT by root works: the limit is the user's, not the URL's.
    status, _ = http_status(s3.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": "w"}, ExpiresIn=300), "PUT", b"ok")
    assert status == 200


def test_temporary_credentials_need_their_session_token(server, iam, bucket):
    user, key = make_user(iam, [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"},
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}])
    user_sts = _client("sts", server, key["AccessKeyId"], key["SecretAccessKey"])
    creds = user_sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/reader",
                                 RoleSessionName="it", DurationSeconds=900)["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    tmp = {"AccessKeyId": creds["AccessKeyId"], "SecretAccessKey": creds["SecretAccessKey"]}
    ok = s3_of(server, tmp, token=creds["SessionToken"])
    ok.list_objects_v2(Bucket=bucket)
    # The session has no more rights than the user.
    denied(ok.put_object, Bucket=bucket, Key="k", Body=b"x")
    # Without the token, or with a wrong one: refused.
    denied(s3_of(server, tmp).list_objects_v2, Bucket=bucket, code="InvalidToken", status=400)
    wrong = creds["SessionToken"][:-4] + ("AAAA" if not creds["SessionToken"].endswith("AAAA")
                                          else "BBBB")
    denied(s3_of(server, tmp, token=wrong).list_objects_v2, Bucket=bucket, code="InvalidToken",
           status=400)
    # A token sent with a long-term key is refused too.
    denied(s3_of(server, key, token=creds["SessionToken"]).list_objects_v2, Bucket=bucket,
           code="InvalidToken", status=400)
    # Who the session is.
    me = _client("sts", server, tmp["AccessKeyId"], tmp["SecretAccessKey"],
                 creds["SessionToken"]).get_caller_identity()
    assert me["Account"] == ACCOUNT
    assert ":assumed-role/" in me["Arn"], me


def test_session_policy_limits_the_session(server, iam, bucket, s3):
    s3.put_object(Bucket=bucket, Key="a", Body=b"a")
    _, key = make_user(iam, [
        {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"],
         "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]},
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}])
    user_sts = _client("sts", server, key["AccessKeyId"], key["SecretAccessKey"])
    creds = user_sts.assume_role(
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/r", RoleSessionName="limited",
        Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}))["Credentials"]
    c = s3_of(server, {"AccessKeyId": creds["AccessKeyId"],
                       "SecretAccessKey": creds["SecretAccessKey"]}, token=creds["SessionToken"])
    c.list_objects_v2(Bucket=bucket)
    denied(c.get_object, Bucket=bucket, Key="a")


def test_get_session_token_and_caller_identity(server, sts, iam, bucket):
    me = sts.get_caller_identity()
    assert me["Account"] == ACCOUNT
    assert me["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    user, key = make_user(iam, [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"}])
    user_sts = _client("sts", server, key["AccessKeyId"], key["SecretAccessKey"])
    assert user_sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/{user}"
    creds = user_sts.get_session_token(DurationSeconds=900)["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    c = s3_of(server, {"AccessKeyId": creds["AccessKeyId"],
                       "SecretAccessKey": creds["SecretAccessKey"]}, token=creds["SessionToken"])
    c.list_objects_v2(Bucket=bucket)
    denied(c.put_object, Bucket=bucket, Key="k", Body=b"x")
    # Sessions cannot make sessions (the engine's rule), whatever the policies say.
    session_sts = _client("sts", server, creds["AccessKeyId"], creds["SecretAccessKey"],
                          token=creds["SessionToken"])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        session_sts.get_session_token(DurationSeconds=900)
    assert err_code(e.value) == "AccessDenied" and err_status(e.value) == 403


def _signed_form_post(server, service, form):
    body = urllib.parse.urlencode(form).encode()
    req = AWSRequest(method="POST", url=server.endpoint + "/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(server.access_key, server.secret_key), service, REGION).add_auth(req)
    return http_status_req(urllib.request.Request(server.endpoint + "/", data=body,
                                                  headers=dict(req.headers), method="POST"))


def http_status_req(req):
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_iam_api_needs_the_matching_credential_scope(server):
    form = {"Action": "ListUsers", "Version": "2010-05-08"}
    status, body = _signed_form_post(server, "iam", form)
    assert status == 200 and b"<ListUsersResponse" in body, body
    # An IAM action signed for STS (or S3) is refused, in IAM's error language.
    for service in ("sts", "s3"):
        status, body = _signed_form_post(server, service, form)
        assert status == 400 and b"<Code>InvalidAction</Code>" in body, body
        assert b"<ErrorResponse" in body
    # The body is covered by the signature: a changed body is refused.
    signed = urllib.parse.urlencode(form).encode()
    req = AWSRequest(method="POST", url=server.endpoint + "/", data=signed,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    SigV4Auth(Credentials(server.access_key, server.secret_key), "iam", REGION).add_auth(req)
    tampered = b"Action=DeleteUser&Version=2010-05-08&UserName=x"
    headers = {k: v for k, v in req.headers.items() if k.lower() != "content-length"}
    status, body = http_status_req(urllib.request.Request(server.endpoint + "/", data=tampered,
                                                          headers=headers, method="POST"))
    assert status == 403 and b"SignatureDoesNotMatch" in body, body
    # Unsigned: refused.
    req = urllib.request.Request(server.endpoint + "/", data=b"Action=ListUsers&Version=2010-05-08",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"},
                                 method="POST")
    status, body = http_status_req(req)
    assert status == 403 and b"MissingAuthenticationToken" in body, body


# ------------------------------------------------------------------------------------------
# aws cli: iam and sts
# ------------------------------------------------------------------------------------------
@pytest.fixture
def aws(server, tmp_dir):
    env = client_env(server, tmp_dir)

    def run(*args, creds=None):
        e = dict(env)
        if creds:
            e["AWS_ACCESS_KEY_ID"], e["AWS_SECRET_ACCESS_KEY"] = creds[:2]
            if len(creds) > 2:
                e["AWS_SESSION_TOKEN"] = creds[2]
        cmd = [AWS, "--endpoint-url", server.endpoint, "--no-cli-pager", "--output", "json"]
        p = subprocess.run(cmd + list(args), env=e, capture_output=True, timeout=120)
        assert p.returncode == 0, f"{args} -> {p.returncode}\n{p.stderr.decode()[-3000:]}"
        out = p.stdout.decode()
        return json.loads(out) if out.strip() else {}
    return run


def test_aws_cli_iam_and_sts(server, s3, aws, bucket):
    s3.put_object(Bucket=bucket, Key="cli.txt", Body=b"from cli user")
    user, pname = uid("cli"), uid("clipol")
    created = aws("iam", "create-user", "--user-name", user)["User"]
    assert created["UserName"] == user
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/{user}"
    key = aws("iam", "create-access-key", "--user-name", user)["AccessKey"]
    assert key["Status"] == "Active" and key["SecretAccessKey"]
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"},
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}
    pol = aws("iam", "create-policy", "--policy-name", pname,
              "--policy-document", json.dumps(doc))["Policy"]
    assert pol["Arn"] == policy_arn(pname)
    aws("iam", "attach-user-policy", "--user-name", user, "--policy-arn", pol["Arn"])
    attached = aws("iam", "list-attached-user-policies", "--user-name", user)["AttachedPolicies"]
    assert attached == [{"PolicyName": pname, "PolicyArn": pol["Arn"]}]
    assert user in [u["UserName"] for u in aws("iam", "list-users")["Users"]]
    version = aws("iam", "get-policy-version", "--policy-arn", pol["Arn"],
                  "--version-id", "v1")["PolicyVersion"]
    assert version["Document"] == doc

    user_creds = (key["AccessKeyId"], key["SecretAccessKey"])
    me = aws("sts", "get-caller-identity", creds=user_creds)
    assert me["Arn"] == created["Arn"] and me["Account"] == ACCOUNT
    assumed = aws("sts", "assume-role", "--role-arn", f"arn:aws:iam::{ACCOUNT}:role/cli",
                  "--role-session-name", "cli-session", "--duration-seconds", "900",
                  creds=user_creds)
    c = assumed["Credentials"]
    session = (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    assert aws("sts", "get-caller-identity", creds=session)["Arn"] == assumed["AssumedRoleUser"]["Arn"]
    # The new identities work on S3 with exactly the policy's rights.
    for creds in (user_creds, session):
        s3c = boto3_client(server.endpoint, creds[0], creds[1]) if len(creds) == 2 else s3_of(
            server, {"AccessKeyId": creds[0], "SecretAccessKey": creds[1]}, token=creds[2])
        assert s3c.get_object(Bucket=bucket, Key="cli.txt")["Body"].read() == b"from cli user"
        denied(s3c.put_object, Bucket=bucket, Key="no", Body=b"x")
