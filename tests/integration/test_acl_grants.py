# Explicit ACL grants (x-amz-grant-* headers and e-mail grantees) (issue 17), through boto3
# and raw requests. One server with an account e-mail (auth.account_email).
import uuid

import botocore
import pytest

from s3util import S3Raw, boto3_client, err_code, err_status

EMAIL = "owner@example.com"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTH_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"


@pytest.fixture(scope="module")
def srv(server_factory):
    return server_factory.start(
        env={"MAXIOFS_AUTH_ACCOUNT_EMAIL": EMAIL})


@pytest.fixture(scope="module")
def c(srv):
    return srv.client()


@pytest.fixture(scope="module")
def anon(srv):
    return boto3_client(srv.endpoint, "x", "x", signature_version=botocore.UNSIGNED)


@pytest.fixture(scope="module")
def owner_id(c):
    name = f"own-{uuid.uuid4().hex[:8]}"
    c.create_bucket(Bucket=name)
    oid = c.get_bucket_acl(Bucket=name)["Owner"]["ID"]
    c.delete_bucket(Bucket=name)
    return oid


@pytest.fixture
def b(c):
    name = f"gr-{uuid.uuid4().hex[:12]}"
    c.create_bucket(Bucket=name)
    yield name
    try:
        for v in c.list_object_versions(Bucket=name).get("Versions", []) + \
                c.list_object_versions(Bucket=name).get("DeleteMarkers", []):
            c.delete_object(Bucket=name, Key=v["Key"], VersionId=v["VersionId"])
        c.delete_bucket(Bucket=name)
    except botocore.exceptions.ClientError:
        pass


def fails(code, status, fn, **kw):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        fn(**kw)
    assert err_code(e.value) == code, e.value.response
    assert err_status(e.value) == status
    return e.value


def grants_of(acl):
    out = set()
    for g in acl["Grants"]:
        who = g["Grantee"].get("ID") or g["Grantee"].get("URI")
        out.add((g["Grantee"]["Type"], who, g["Permission"]))
    return out


# ------------------------------------------------------------------------------------------
# x-amz-grant-* headers
# ------------------------------------------------------------------------------------------
def test_grant_headers_on_put_object(c, anon, b, owner_id):
    c.put_object(Bucket=b, Key="k", Body=b"data", GrantRead=f'uri="{ALL_USERS}"',
                 GrantFullControl=f'id="{owner_id}"')
    assert grants_of(c.get_object_acl(Bucket=b, Key="k")) == {
        ("Group", ALL_USERS, "READ"), ("CanonicalUser", owner_id, "FULL_CONTROL")}
    assert anon.get_object(Bucket=b, Key="k")["Body"].read() == b"data"


def test_grant_headers_list_several_grantees_and_emails(c, anon, b, owner_id):
    # Several grantees in one header, unquoted values, and an e-mail resolved to its account.
    c.put_object(Bucket=b, Key="k", Body=b"x",
                 GrantRead=f'uri={ALL_USERS}, emailAddress="{EMAIL}"',
                 GrantReadACP=f'id="{owner_id}"', GrantWriteACP=f"uri=\"{AUTH_USERS}\"")
    assert grants_of(c.get_object_acl(Bucket=b, Key="k")) == {
        ("Group", ALL_USERS, "READ"), ("CanonicalUser", owner_id, "READ"),
        ("CanonicalUser", owner_id, "READ_ACP"), ("Group", AUTH_USERS, "WRITE_ACP")}


def test_grant_headers_on_create_bucket_and_put_bucket_acl(c, anon, owner_id):
    name = f"gr-{uuid.uuid4().hex[:12]}"
    c.create_bucket(Bucket=name, GrantRead=f'uri="{ALL_USERS}"', GrantFullControl=f'id="{owner_id}"')
    try:
        assert grants_of(c.get_bucket_acl(Bucket=name)) == {
            ("Group", ALL_USERS, "READ"), ("CanonicalUser", owner_id, "FULL_CONTROL")}
        c.put_object(Bucket=name, Key="k", Body=b"x")
        assert [o["Key"] for o in anon.list_objects_v2(Bucket=name)["Contents"]] == ["k"]
        c.put_bucket_acl(Bucket=name, GrantFullControl=f'id="{owner_id}"', GrantWrite=f'uri="{ALL_USERS}"')
        assert grants_of(c.get_bucket_acl(Bucket=name)) == {
            ("Group", ALL_USERS, "WRITE"), ("CanonicalUser", owner_id, "FULL_CONTROL")}
        fails("AccessDenied", 403, anon.list_objects_v2, Bucket=name)
        anon.put_object(Bucket=name, Key="anon", Body=b"a")  # WRITE lets anyone write
        c.delete_object(Bucket=name, Key="anon")
        c.delete_object(Bucket=name, Key="k")
    finally:
        c.delete_bucket(Bucket=name)


def test_grant_headers_on_put_object_acl_copy_and_multipart(c, anon, b, owner_id):
    c.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
    v1 = c.put_object(Bucket=b, Key="k", Body=b"1")["VersionId"]
    c.put_object(Bucket=b, Key="k", Body=b"2")
    c.put_object_acl(Bucket=b, Key="k", VersionId=v1, GrantRead=f'uri="{ALL_USERS}"')
    assert ("Group", ALL_USERS, "READ") in grants_of(c.get_object_acl(Bucket=b, Key="k", VersionId=v1))
    assert ("Group", ALL_USERS, "READ") not in grants_of(c.get_object_acl(Bucket=b, Key="k"))
    c.copy_object(Bucket=b, Key="copy", CopySource={"Bucket": b, "Key": "k"},
                  GrantRead=f'uri="{ALL_USERS}"')
    assert anon.get_object(Bucket=b, Key="copy")["Body"].read() == b"2"
    up = c.create_multipart_upload(Bucket=b, Key="mp", GrantRead=f'uri="{ALL_USERS}"')
    p = c.upload_part(Bucket=b, Key="mp", UploadId=up["UploadId"], PartNumber=1, Body=b"m")
    c.complete_multipart_upload(Bucket=b, Key="mp", UploadId=up["UploadId"],
                                MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p["ETag"]}]})
    assert anon.get_object(Bucket=b, Key="mp")["Body"].read() == b"m"


def test_email_grants_resolve_or_fail(c, b, owner_id):
    c.put_object(Bucket=b, Key="k", Body=b"x")
    acl = c.get_object_acl(Bucket=b, Key="k")
    owner = acl["Owner"]
    # The account's address resolves, in the body and in a header.
    c.put_object_acl(Bucket=b, Key="k", AccessControlPolicy={"Owner": owner, "Grants": [
        {"Grantee": {"Type": "AmazonCustomerByEmail", "EmailAddress": EMAIL}, "Permission": "FULL_CONTROL"}]})
    assert grants_of(c.get_object_acl(Bucket=b, Key="k")) == {("CanonicalUser", owner_id, "FULL_CONTROL")}
    c.put_bucket_acl(Bucket=b, GrantFullControl=f'emailAddress="{EMAIL.upper()}"')
    assert grants_of(c.get_bucket_acl(Bucket=b)) == {("CanonicalUser", owner_id, "FULL_CONTROL")}
    # An unknown one is refused and changes nothing, wherever it is.
    c.put_object_acl(Bucket=b, Key="k", ACL="public-read")
    before = grants_of(c.get_object_acl(Bucket=b, Key="k"))
    nobody = "nobody@example.invalid"
    fails("UnresolvableGrantByEmailAddress", 400, c.put_object_acl, Bucket=b, Key="k",
          AccessControlPolicy={"Owner": owner, "Grants": [
              {"Grantee": {"Type": "AmazonCustomerByEmail", "EmailAddress": nobody},
               "Permission": "READ"}]})
    fails("UnresolvableGrantByEmailAddress", 400, c.put_object_acl, Bucket=b, Key="k",
          GrantRead=f'emailAddress="{nobody}"')
    assert grants_of(c.get_object_acl(Bucket=b, Key="k")) == before
    fails("UnresolvableGrantByEmailAddress", 400, c.put_object, Bucket=b, Key="new", Body=b"n",
          GrantRead=f'emailAddress="{nobody}"')
    fails("404", 404, c.head_object, Bucket=b, Key="new")
    name = f"gr-{uuid.uuid4().hex[:12]}"
    fails("UnresolvableGrantByEmailAddress", 400, c.create_bucket, Bucket=name,
          GrantRead=f'emailAddress="{nobody}"')
    with pytest.raises(botocore.exceptions.ClientError) as e:
        c.head_bucket(Bucket=name)
    assert err_status(e.value) == 404


@pytest.mark.parametrize("header,value,code", [
    ("x-amz-grant-read", 'nickname="bob"', "InvalidArgument"),
    ("x-amz-grant-read", 'id="0123"', "InvalidArgument"),
    ("x-amz-grant-read", 'uri="http://acs.amazonaws.com/groups/global/Nobody"', "InvalidArgument"),
    ("x-amz-grant-read", 'id="unterminated', "InvalidArgument"),
    ("x-amz-grant-read", "", "InvalidArgument"),
    ("x-amz-grant-write", 'id=', "InvalidArgument"),
    ("x-amz-grant-full-control", 'uri="' + ALL_USERS + '" junk', "InvalidArgument"),
])
def test_bad_grant_headers_store_nothing(srv, c, b, header, value, code):
    raw = S3Raw(srv)
    r = raw.request("PUT", f"/{b}/bad", headers={header: value}, body=b"x")
    assert r.status == 400 and r.error_code() == code, r
    fails("404", 404, c.head_object, Bucket=b, Key="bad")
    c.put_object(Bucket=b, Key="acl", Body=b"x")
    r = raw.request("PUT", f"/{b}/acl?acl", headers={header: value})
    assert r.status == 400 and r.error_code() == code, r
    assert [g["Permission"] for g in c.get_object_acl(Bucket=b, Key="acl")["Grants"]] == ["FULL_CONTROL"]


def test_grants_with_canned_acl_or_body_are_refused(srv, c, b):
    raw = S3Raw(srv)
    r = raw.request("PUT", f"/{b}/k", headers={"x-amz-acl": "public-read",
                                             "x-amz-grant-read": f'uri="{ALL_USERS}"'}, body=b"x")
    assert r.status == 400 and r.error_code() == "InvalidRequest", r
    fails("404", 404, c.head_object, Bucket=b, Key="k")
    r = raw.request("PUT", f"/{b}?acl", headers={"x-amz-grant-read": f'uri="{ALL_USERS}"'},
                    body=b"<AccessControlPolicy/>")
    assert r.status == 400 and r.error_code() == "InvalidRequest", r


def test_public_grants_under_block_public_acls(c, b):
    c.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": False, "BlockPublicPolicy": False,
        "RestrictPublicBuckets": False})
    fails("AccessDenied", 403, c.put_object, Bucket=b, Key="k", Body=b"x",
          GrantRead=f'uri="{ALL_USERS}"')
    fails("AccessDenied", 403, c.put_bucket_acl, Bucket=b, GrantRead=f'uri="{AUTH_USERS}"')
