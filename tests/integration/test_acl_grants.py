# Explicit ACL grants (x-amz-grant-* headers and e-mail grantees), bucket ownership controls
# (BucketOwnerEnforced turns ACLs off) and GetObjectAttributes (issue 17), through boto3,
# /usr/bin/aws and raw requests. One server with an account e-mail (auth.account_email) and
# insecure SSE-C allowed (loopback only).
import base64
import hashlib
import json
import subprocess
import uuid

import botocore
import pytest

from conftest import client_env
from s3util import S3Raw, boto3_client, err_code, err_status

EMAIL = "owner@example.com"
AWS = "/usr/bin/aws"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTH_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
CUSTOMER = "k" * 32
PART = 5 << 20  # the server's minimum part size, S3's


@pytest.fixture(scope="module")
def srv(server_factory):
    return server_factory.start(
        env={"MAXIOFS_AUTH_ACCOUNT_EMAIL": EMAIL,
             "MAXIOFS_STORAGE_ENCRYPTION_ALLOW_INSECURE_SSE_C": "true"})


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


# ------------------------------------------------------------------------------------------
# Bucket ownership controls
# ------------------------------------------------------------------------------------------
def ownership(c, bucket):
    return c.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"][0]["ObjectOwnership"]


def put_ownership(c, bucket, value):
    c.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": value}]})


def test_ownership_controls_put_get_delete(c, b):
    fails("OwnershipControlsNotFoundError", 404, c.get_bucket_ownership_controls, Bucket=b)
    for value in ("ObjectWriter", "BucketOwnerPreferred", "BucketOwnerEnforced"):
        put_ownership(c, b, value)
        assert ownership(c, b) == value
    r = c.delete_bucket_ownership_controls(Bucket=b)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204
    fails("OwnershipControlsNotFoundError", 404, c.get_bucket_ownership_controls, Bucket=b)
    fails("NoSuchBucket", 404, c.get_bucket_ownership_controls, Bucket="no-such-" + uuid.uuid4().hex[:8])


def test_bucket_owner_enforced_disables_acls(c, anon, b):
    c.put_object(Bucket=b, Key="was-public", Body=b"p", ACL="public-read")
    assert anon.get_object(Bucket=b, Key="was-public")["Body"].read() == b"p"
    put_ownership(c, b, "BucketOwnerEnforced")
    # Existing ACL grants stop applying; reads of ACLs show the owner alone.
    fails("AccessDenied", 403, anon.get_object, Bucket=b, Key="was-public")
    assert [g["Permission"] for g in c.get_object_acl(Bucket=b, Key="was-public")["Grants"]] == ["FULL_CONTROL"]
    # Setting ACLs other than the owner's full control is refused; those are accepted.
    for call, kw in [(c.put_object, {"Key": "n", "Body": b"x", "ACL": "public-read"}),
                     (c.put_object, {"Key": "n", "Body": b"x", "GrantRead": f'uri="{ALL_USERS}"'}),
                     (c.put_object_acl, {"Key": "was-public", "ACL": "authenticated-read"}),
                     (c.put_bucket_acl, {"ACL": "public-read"}),
                     (c.create_multipart_upload, {"Key": "m", "ACL": "public-read"})]:
        fails("AccessControlListNotSupported", 400, call, Bucket=b, **kw)
    fails("404", 404, c.head_object, Bucket=b, Key="n")
    c.put_object(Bucket=b, Key="ok", Body=b"x", ACL="bucket-owner-full-control")
    c.put_object(Bucket=b, Key="ok2", Body=b"x", ACL="private")
    c.put_bucket_acl(Bucket=b, ACL="private")
    # Turning it off brings the stored grants back.
    put_ownership(c, b, "ObjectWriter")
    assert anon.get_object(Bucket=b, Key="was-public")["Body"].read() == b"p"


def test_enforced_needs_a_private_bucket_acl(c, b):
    c.put_bucket_acl(Bucket=b, ACL="public-read")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        put_ownership(c, b, "BucketOwnerEnforced")
    assert err_code(e.value) == "InvalidBucketAclWithObjectOwnership"
    fails("OwnershipControlsNotFoundError", 404, c.get_bucket_ownership_controls, Bucket=b)


def test_create_bucket_with_object_ownership(c, anon):
    name = f"gr-{uuid.uuid4().hex[:12]}"
    c.create_bucket(Bucket=name, ObjectOwnership="BucketOwnerEnforced")
    try:
        assert ownership(c, name) == "BucketOwnerEnforced"
        fails("AccessControlListNotSupported", 400, c.put_object, Bucket=name, Key="k", Body=b"x",
              ACL="public-read")
    finally:
        c.delete_bucket(Bucket=name)
    name2 = f"gr-{uuid.uuid4().hex[:12]}"
    fails("InvalidBucketAclWithObjectOwnership", 400, c.create_bucket, Bucket=name2,
          ObjectOwnership="BucketOwnerEnforced", ACL="public-read")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        c.head_bucket(Bucket=name2)
    assert err_status(e.value) == 404
    fails("InvalidArgument", 400, c.create_bucket, Bucket=name2, ObjectOwnership="Nobody")


@pytest.mark.parametrize("body", [
    b"<OwnershipControls><Rule><ObjectOwnership>Nobody</ObjectOwnership></Rule></OwnershipControls>",
    b"<OwnershipControls></OwnershipControls>",
    b"<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule>"
    b"<Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>",
    b"<OwnershipControls><Rule>",
    b"not xml",
])
def test_malformed_ownership_controls(srv, c, b, body):
    r = S3Raw(srv).request("PUT", f"/{b}?ownershipControls", body=body)
    assert r.status == 400 and r.error_code() == "MalformedXML", r
    fails("OwnershipControlsNotFoundError", 404, c.get_bucket_ownership_controls, Bucket=b)


def test_aws_cli_ownership_controls(srv, c, b, tmp_dir):
    env = client_env(srv, tmp_dir)
    def aws(*args):
        out = subprocess.run([AWS, "--endpoint-url", srv.endpoint, "--output", "json", *args],
                             env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout) if out.stdout.strip() else None
    aws("s3api", "put-bucket-ownership-controls", "--bucket", b,
        "--ownership-controls", "Rules=[{ObjectOwnership=BucketOwnerPreferred}]")
    got = aws("s3api", "get-bucket-ownership-controls", "--bucket", b)
    assert got["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerPreferred"}]
    aws("s3api", "delete-bucket-ownership-controls", "--bucket", b)


# ------------------------------------------------------------------------------------------
# GetObjectAttributes
# ------------------------------------------------------------------------------------------
ALL = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]


def test_object_attributes_simple(c, b):
    put = c.put_object(Bucket=b, Key="o", Body=b"foo")
    r = c.get_object_attributes(Bucket=b, Key="o", ObjectAttributes=ALL)
    assert r["ETag"] == put["ETag"].strip('"')
    assert r["ObjectSize"] == 3
    assert r["StorageClass"] == "STANDARD"
    assert "ObjectParts" not in r and "Checksum" not in r and "VersionId" not in r
    assert r["LastModified"] == c.head_object(Bucket=b, Key="o")["LastModified"]
    # Only what is asked for.
    r = c.get_object_attributes(Bucket=b, Key="o", ObjectAttributes=["ObjectSize"])
    assert r["ObjectSize"] == 3 and "ETag" not in r and "StorageClass" not in r
    sha = base64.b64encode(hashlib.sha256(b"bar").digest()).decode()
    c.put_object(Bucket=b, Key="sum", Body=b"bar", ChecksumAlgorithm="SHA256", ChecksumSHA256=sha)
    r = c.get_object_attributes(Bucket=b, Key="sum", ObjectAttributes=["Checksum"])
    assert r["Checksum"] == {"ChecksumSHA256": sha}


def test_object_attributes_versions_and_markers(c, b):
    c.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
    v1 = c.put_object(Bucket=b, Key="o", Body=b"one")["VersionId"]
    v2 = c.put_object(Bucket=b, Key="o", Body=b"three")["VersionId"]
    r = c.get_object_attributes(Bucket=b, Key="o", ObjectAttributes=ALL)
    assert r["VersionId"] == v2 and r["ObjectSize"] == 5
    r = c.get_object_attributes(Bucket=b, Key="o", VersionId=v1, ObjectAttributes=ALL)
    assert r["VersionId"] == v1 and r["ObjectSize"] == 3
    marker = c.delete_object(Bucket=b, Key="o")["VersionId"]
    e = fails("NoSuchKey", 404, c.get_object_attributes, Bucket=b, Key="o", ObjectAttributes=ALL)
    assert e.response["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker") == "true"
    fails("MethodNotAllowed", 405, c.get_object_attributes, Bucket=b, Key="o", VersionId=marker,
          ObjectAttributes=ALL)
    fails("NoSuchVersion", 404, c.get_object_attributes, Bucket=b, Key="o",
          VersionId="0" * 32, ObjectAttributes=ALL)


def test_object_attributes_multipart_parts_and_pages(c, b):
    sizes = [PART, PART, 7]
    up = c.create_multipart_upload(Bucket=b, Key="mp", ChecksumAlgorithm="SHA256")
    parts, sums = [], []
    for i, n in enumerate(sizes, start=1):
        body = bytes([i]) * n
        sums.append(base64.b64encode(hashlib.sha256(body).digest()).decode())
        p = c.upload_part(Bucket=b, Key="mp", UploadId=up["UploadId"], PartNumber=i, Body=body,
                          ChecksumAlgorithm="SHA256")
        parts.append({"PartNumber": i, "ETag": p["ETag"], "ChecksumSHA256": p["ChecksumSHA256"]})
    done = c.complete_multipart_upload(Bucket=b, Key="mp", UploadId=up["UploadId"],
                                       MultipartUpload={"Parts": parts})
    r = c.get_object_attributes(Bucket=b, Key="mp", ObjectAttributes=ALL)
    assert r["ObjectSize"] == sum(sizes)
    assert r["ETag"] == done["ETag"].strip('"')
    assert r["Checksum"]["ChecksumSHA256"] == done["ChecksumSHA256"]
    op = r["ObjectParts"]
    assert op["TotalPartsCount"] == 3 and op["IsTruncated"] is False
    assert [(p["PartNumber"], p["Size"], p["ChecksumSHA256"]) for p in op["Parts"]] == \
        list(zip([1, 2, 3], sizes, sums))
    # Pages.
    r = c.get_object_attributes(Bucket=b, Key="mp", ObjectAttributes=["ObjectParts"], MaxParts=1,
                                PartNumberMarker=1)
    op = r["ObjectParts"]
    assert op["MaxParts"] == 1 and op["PartNumberMarker"] == 1 and op["IsTruncated"] is True
    assert op["NextPartNumberMarker"] == 2 and [p["PartNumber"] for p in op["Parts"]] == [2]
    r = c.get_object_attributes(Bucket=b, Key="mp", ObjectAttributes=["ObjectParts"], MaxParts=5,
                                PartNumberMarker=2)
    assert [p["PartNumber"] for p in r["ObjectParts"]["Parts"]] == [3]
    assert r["ObjectParts"]["IsTruncated"] is False
    # Parts of an upload without checksums have no checksum elements.
    up = c.create_multipart_upload(Bucket=b, Key="plain")
    p = c.upload_part(Bucket=b, Key="plain", UploadId=up["UploadId"], PartNumber=1, Body=b"z")
    c.complete_multipart_upload(Bucket=b, Key="plain", UploadId=up["UploadId"],
                                MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p["ETag"]}]})
    r = c.get_object_attributes(Bucket=b, Key="plain", ObjectAttributes=ALL)
    assert r["ObjectParts"]["Parts"] == [{"PartNumber": 1, "Size": 1}]
    assert "Checksum" not in r


def sse_c(key):
    # Encoded key and its MD5 given: botocore sends them as they are for every operation (it
    # encodes a raw key only for GET/HEAD/PUT/copy/multipart, not for GetObjectAttributes).
    return {"SSECustomerAlgorithm": "AES256",
            "SSECustomerKey": base64.b64encode(key.encode()).decode(),
            "SSECustomerKeyMD5": base64.b64encode(hashlib.md5(key.encode()).digest()).decode()}


def test_object_attributes_sse_c(c, b):
    put = c.put_object(Bucket=b, Key="enc", Body=b"A" * 1000, **sse_c(CUSTOMER))
    fails("InvalidRequest", 400, c.get_object_attributes, Bucket=b, Key="enc", ObjectAttributes=ALL)
    fails("AccessDenied", 403, c.get_object_attributes, Bucket=b, Key="enc", ObjectAttributes=ALL,
          **sse_c("x" * 32))
    r = c.get_object_attributes(Bucket=b, Key="enc", ObjectAttributes=ALL, **sse_c(CUSTOMER))
    assert r["ObjectSize"] == 1000 and r["ETag"] == put["ETag"].strip('"')


def test_object_attributes_errors(srv, c, b):
    c.put_object(Bucket=b, Key="o", Body=b"x")
    raw = S3Raw(srv)
    for headers in ({}, {"x-amz-object-attributes": ""}, {"x-amz-object-attributes": "ETag,Colour"},
                    {"x-amz-object-attributes": "ETag", "x-amz-max-parts": "-1"},
                    {"x-amz-object-attributes": "ETag", "x-amz-part-number-marker": "x"}):
        r = raw.request("GET", f"/{b}/o?attributes", headers=headers)
        assert r.status == 400 and r.error_code() == "InvalidArgument", (headers, r)
    fails("NoSuchKey", 404, c.get_object_attributes, Bucket=b, Key="missing", ObjectAttributes=ALL)
