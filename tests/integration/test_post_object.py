# POST Object (browser form uploads) end to end: forms made by boto3's generate_presigned_post
# (Signature V4 and V2, temporary credentials, IAM users), anonymous forms, every answer shape,
# the metadata/ACL/SSE/checksum fields, and every error path: each refused upload leaves nothing
# stored. Hostile bodies over raw sockets: the file before the policy, a 5 GiB
# content-length-range and Content-Length that the body does not keep, a 100 MiB field, with the
# server's memory watched. A real browser submits a form in
# frontends/console/web/e2e/s3_browser.e2e.mjs.
import base64
import datetime
import hashlib
import hmac
import json
import os
import socket
import time
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

import boto3
import botocore
import pytest
import requests

from conftest import unique_bucket_name
from s3util import boto3_client, empty_and_delete_bucket, err_code, read_http_response

MASTER_KEY = base64.b64encode(b"P" * 32).decode()
CUSTOMER_KEY = b"k" * 32


@pytest.fixture(scope="module")
def psrv(server_factory):
    """One server for the module: a master key (SSE-S3) and SSE-C allowed over plain HTTP."""
    srv = server_factory.start(env={"MAXIOFS_STORAGE_ENCRYPTION_KEY": MASTER_KEY,
                                    "MAXIOFS_STORAGE_ENCRYPTION_ALLOW_INSECURE_SSE_C": "true"})
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def ps3(psrv):
    return psrv.client()


@pytest.fixture
def pbucket(ps3):
    name = unique_bucket_name("post")
    ps3.create_bucket(Bucket=name)
    yield name
    empty_and_delete_bucket(ps3, name)


def keys(s3, bucket):
    return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def post(url, fields, data=b"hello form", filename="hello.txt", **kw):
    return requests.post(url, data=fields, files={"file": (filename, data, "text/plain")},
                         allow_redirects=False, timeout=60, **kw)


def error(r):
    root = ET.fromstring(r.content)
    return root.findtext("Code"), root.findtext("Message")


def test_presigned_post_v4(psrv, ps3, pbucket):
    p = ps3.generate_presigned_post(
        pbucket, "uploads/${filename}",
        Fields={"Content-Type": "text/csv", "x-amz-meta-owner": "ann",
                "success_action_status": "201"},
        Conditions=[["starts-with", "$key", "uploads/"], {"Content-Type": "text/csv"},
                    {"x-amz-meta-owner": "ann"}, {"success_action_status": "201"},
                    ["content-length-range", 1, 1 << 20]],
        ExpiresIn=600)
    assert p["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    r = post(p["url"], p["fields"], b"a,b\n1,2\n", "table.csv")
    assert r.status_code == 201, r.text
    root = ET.fromstring(r.content)
    assert root.tag == "PostResponse"
    assert root.findtext("Key") == "uploads/table.csv"
    assert root.findtext("Bucket") == pbucket
    assert root.findtext("Location").endswith(f"/{pbucket}/uploads/table.csv")
    head = ps3.head_object(Bucket=pbucket, Key="uploads/table.csv")
    assert head["ContentType"] == "text/csv"
    assert head["Metadata"] == {"owner": "ann"}
    assert head["ETag"] == root.findtext("ETag") == r.headers["ETag"]
    body = ps3.get_object(Bucket=pbucket, Key="uploads/table.csv")["Body"].read()
    assert body == b"a,b\n1,2\n"


def test_presigned_post_v2(psrv, pbucket):
    v2 = boto3_client(psrv.endpoint, psrv.access_key, psrv.secret_key, signature_version="s3")
    p = v2.generate_presigned_post(pbucket, "v2.txt", ExpiresIn=600)
    assert "AWSAccessKeyId" in p["fields"] and "signature" in p["fields"]
    r = post(p["url"], p["fields"])
    assert r.status_code == 204, r.text
    assert r.headers["Location"].endswith(f"/{pbucket}/v2.txt")
    assert v2.get_object(Bucket=pbucket, Key="v2.txt")["Body"].read() == b"hello form"


def test_large_file_streams(psrv, ps3, pbucket):
    data = bytes(range(256)) * (24 * 4096 + 7)  # 24 MiB and a bit: several chunks and blobs
    p = ps3.generate_presigned_post(pbucket, "big.bin")
    rss_before = psrv.rss_kib()
    r = post(p["url"], p["fields"], data, "big.bin")
    assert r.status_code == 204, r.text
    got = ps3.get_object(Bucket=pbucket, Key="big.bin")["Body"].read()
    assert hashlib.md5(got).hexdigest() == hashlib.md5(data).hexdigest()
    assert ps3.head_object(Bucket=pbucket, Key="big.bin")["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'
    # Streamed, not buffered: the server did not grow by the file's size.
    assert psrv.rss_kib() - rss_before < 20 * 1024


def test_success_redirect(psrv, ps3, pbucket):
    p = ps3.generate_presigned_post(
        pbucket, "r.txt", Fields={"success_action_redirect": "https://app.example/done?x=1"},
        Conditions=[{"success_action_redirect": "https://app.example/done?x=1"}])
    r = post(p["url"], p["fields"])
    assert r.status_code == 303, r.text
    etag = ps3.head_object(Bucket=pbucket, Key="r.txt")["ETag"]
    assert r.headers["Location"] == (
        f"https://app.example/done?x=1&bucket={pbucket}&key=r.txt&etag=" +
        etag.replace('"', "%22"))


def test_acl_sse_checksum_and_lock_fields(psrv, ps3, pbucket):
    # ACL and SSE-S3.
    p = ps3.generate_presigned_post(
        pbucket, "pub.txt", Fields={"acl": "public-read", "x-amz-server-side-encryption": "AES256"},
        Conditions=[{"acl": "public-read"}, {"x-amz-server-side-encryption": "AES256"}])
    r = post(p["url"], p["fields"])
    assert r.status_code == 204, r.text
    assert r.headers["x-amz-server-side-encryption"] == "AES256"
    assert ps3.head_object(Bucket=pbucket, Key="pub.txt")["ServerSideEncryption"] == "AES256"
    anon = requests.get(f"{psrv.endpoint}/{pbucket}/pub.txt", timeout=30)
    assert anon.status_code == 200 and anon.content == b"hello form"
    # SSE-C.
    ck = base64.b64encode(CUSTOMER_KEY).decode()
    ck_md5 = base64.b64encode(hashlib.md5(CUSTOMER_KEY).digest()).decode()
    sse_c = {"x-amz-server-side-encryption-customer-algorithm": "AES256",
             "x-amz-server-side-encryption-customer-key": ck,
             "x-amz-server-side-encryption-customer-key-MD5": ck_md5}
    p = ps3.generate_presigned_post(pbucket, "secret.txt", Fields=sse_c,
                                    Conditions=[{k: v} for k, v in sse_c.items()])
    r = post(p["url"], p["fields"], b"for my eyes only")
    assert r.status_code == 204, r.text
    got = ps3.get_object(Bucket=pbucket, Key="secret.txt", SSECustomerAlgorithm="AES256",
                         SSECustomerKey=CUSTOMER_KEY)["Body"].read()
    assert got == b"for my eyes only"
    with pytest.raises(botocore.exceptions.ClientError):
        ps3.get_object(Bucket=pbucket, Key="secret.txt")
    # A checksum field is verified (no policy condition needed).
    data = b"x" * 3000
    sha = base64.b64encode(hashlib.sha256(data).digest()).decode()
    p = ps3.generate_presigned_post(pbucket, "sum.txt")
    r = post(p["url"], dict(p["fields"], **{"x-amz-checksum-sha256": sha}), data)
    assert r.status_code == 204 and r.headers["x-amz-checksum-sha256"] == sha
    bad = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    r = post(p["url"], dict(p["fields"], **{"key": "sum2.txt", "x-amz-checksum-sha256": bad}), data)
    assert r.status_code == 403  # the key field no longer matches the signed policy
    p = ps3.generate_presigned_post(pbucket, "sum2.txt")
    r = post(p["url"], dict(p["fields"], **{"x-amz-checksum-sha256": bad}), data)
    assert r.status_code == 400 and error(r)[0] == "BadDigest"
    assert "sum2.txt" not in keys(ps3, pbucket)


def tagging_doc(tags):
    inner = "".join(f"<Tag><Key>{escape(k)}</Key><Value>{escape(v)}</Value></Tag>"
                    for k, v in tags)
    return f"<Tagging><TagSet>{inner}</TagSet></Tagging>"


def test_tagging_field(psrv, ps3, pbucket):
    doc = tagging_doc([("team", "web"), ("note", "a b&c")])
    p = ps3.generate_presigned_post(pbucket, "tagged.txt", Fields={"tagging": doc},
                                    Conditions=[{"tagging": doc}])
    r = post(p["url"], p["fields"])
    assert r.status_code == 204, r.text
    tags = ps3.get_object_tagging(Bucket=pbucket, Key="tagged.txt")["TagSet"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("note", "a b&c"), ("team", "web")]
    assert ps3.head_object(Bucket=pbucket, Key="tagged.txt")["ResponseMetadata"][
        "HTTPHeaders"]["x-amz-tagging-count"] == "2"
    # Tags the engine refuses (11 > 10 per object), or a field that is no Tagging document:
    # S3's error, nothing stored.
    eleven = [(f"k{i}", "v") for i in range(11)]
    with pytest.raises(botocore.exceptions.ClientError) as put_err:  # the PUT it stands for
        ps3.put_object(Bucket=pbucket, Key="tagged2.txt", Body=b"x",
                       Tagging="&".join(f"{k}={v}" for k, v in eleven))
    for bad, code in ((tagging_doc(eleven), err_code(put_err.value)),
                      ("<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>",
                       "MalformedXML")):
        p = ps3.generate_presigned_post(pbucket, "tagged2.txt", Fields={"tagging": bad},
                                        Conditions=[{"tagging": bad}])
        r = post(p["url"], p["fields"])
        assert r.status_code == 400, r.text
        assert error(r)[0] == code, r.text
    assert "tagged2.txt" not in keys(ps3, pbucket)


def test_grant_fields(psrv, ps3, pbucket):
    # x-amz-grant-* fields act as the PUT's headers: the grant is stored with the object.
    grant = 'uri="http://acs.amazonaws.com/groups/global/AllUsers"'
    p = ps3.generate_presigned_post(pbucket, "granted.txt", Fields={"x-amz-grant-read": grant},
                                    Conditions=[{"x-amz-grant-read": grant}])
    r = post(p["url"], p["fields"])
    assert r.status_code == 204, r.text
    grants = ps3.get_object_acl(Bucket=pbucket, Key="granted.txt")["Grants"]
    assert {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
            "Permission": "READ"} in grants
    # A malformed grantee list is refused as the PUT refuses it, and nothing is stored.
    p = ps3.generate_presigned_post(pbucket, "granted2.txt", Fields={"x-amz-grant-read": "bogus"},
                                    Conditions=[{"x-amz-grant-read": "bogus"}])
    r = post(p["url"], p["fields"])
    assert r.status_code == 400, r.text
    assert error(r)[0] == "InvalidArgument", r.text
    assert "granted2.txt" not in keys(ps3, pbucket)


def test_temporary_credentials_and_iam_users(psrv, ps3, pbucket):
    iam = boto3.session.Session().client(
        "iam", endpoint_url=psrv.endpoint, region_name="us-east-1",
        aws_access_key_id=psrv.access_key, aws_secret_access_key=psrv.secret_key)
    user = f"poster-{pbucket[-8:]}"
    iam.create_user(UserName=user)
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": f"arn:aws:s3:::{pbucket}/in/*"},
        {"Effect": "Allow", "Action": ["sts:GetSessionToken"], "Resource": "*"}]}
    arn = iam.create_policy(PolicyName=user, PolicyDocument=json.dumps(doc))["Policy"]["Arn"]
    iam.attach_user_policy(UserName=user, PolicyArn=arn)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    us3 = boto3_client(psrv.endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    p = us3.generate_presigned_post(pbucket, "in/ok.txt")
    assert post(p["url"], p["fields"]).status_code == 204
    p = us3.generate_presigned_post(pbucket, "out/no.txt")
    r = post(p["url"], p["fields"])
    assert r.status_code == 403 and error(r)[0] == "AccessDenied"
    assert keys(ps3, pbucket) == ["in/ok.txt"]
    # A session of that user: the token travels as a form field.
    sts = boto3.session.Session().client(
        "sts", endpoint_url=psrv.endpoint, region_name="us-east-1",
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    c = sts.get_session_token(DurationSeconds=900)["Credentials"]
    ss3 = boto3.session.Session().client(
        "s3", endpoint_url=psrv.endpoint, region_name="us-east-1",
        aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
        aws_session_token=c["SessionToken"])
    p = ss3.generate_presigned_post(pbucket, "in/session.txt")
    assert p["fields"]["x-amz-security-token"] == c["SessionToken"]
    assert post(p["url"], p["fields"]).status_code == 204
    fields = dict(p["fields"])
    del fields["x-amz-security-token"]
    r = post(p["url"], fields)
    assert r.status_code in (400, 403)  # the policy names the token field; without it: refused
    assert "in/session.txt" in keys(ps3, pbucket)
    iam.detach_user_policy(UserName=user, PolicyArn=arn)
    iam.delete_policy(PolicyArn=arn)
    iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
    iam.delete_user(UserName=user)


def test_anonymous_forms(psrv, ps3):
    name = unique_bucket_name("anon")
    ps3.create_bucket(Bucket=name, ACL="public-read-write")
    try:
        url = f"{psrv.endpoint}/{name}"
        r = post(url, {"key": "anon.txt", "Content-Type": "text/plain", "acl": "public-read"})
        assert r.status_code == 204, r.text
        assert ps3.get_object(Bucket=name, Key="anon.txt")["Body"].read() == b"hello form"
        # The form's acl made it readable by anyone.
        assert requests.get(f"{url}/anon.txt", timeout=30).content == b"hello form"
        r = post(url, {"key": "s.txt", "success_action_status": "201"})
        assert r.status_code == 201 and ET.fromstring(r.content).findtext("Key") == "s.txt"
        # Signature fields without a policy are refused, not ignored.
        r = post(url, {"key": "half.txt", "AWSAccessKeyId": psrv.access_key})
        assert r.status_code == 400 and "'policy'" in error(r)[1]
        assert "half.txt" not in keys(ps3, name)
    finally:
        empty_and_delete_bucket(ps3, name)
    private = unique_bucket_name("anon")
    ps3.create_bucket(Bucket=private)
    try:
        r = post(f"{psrv.endpoint}/{private}", {"key": "no.txt"})
        assert r.status_code == 403 and error(r)[0] == "AccessDenied"
        # A bucket policy can open it to forms.
        ps3.put_bucket_policy(Bucket=private, Policy=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": "*", "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{private}/drop/*"}]}))
        assert post(f"{psrv.endpoint}/{private}", {"key": "drop/yes.txt"}).status_code == 204
        assert post(f"{psrv.endpoint}/{private}", {"key": "no.txt"}).status_code == 403
        assert keys(ps3, private) == ["drop/yes.txt"]
    finally:
        empty_and_delete_bucket(ps3, private)


def sign_v2(secret, policy_doc):
    policy = base64.b64encode(json.dumps(policy_doc).encode()).decode()
    sig = base64.b64encode(hmac.new(secret.encode(), policy.encode(), hashlib.sha1).digest())
    return policy, sig.decode()


def v2_form(psrv, bucket, conditions, fields, expires_in=600):
    exp = (datetime.datetime.now(datetime.timezone.utc) +
           datetime.timedelta(seconds=expires_in)).strftime("%Y-%m-%dT%H:%M:%SZ")
    policy, sig = sign_v2(psrv.secret_key, {"expiration": exp, "conditions": conditions})
    out = dict(fields)
    out.update({"AWSAccessKeyId": psrv.access_key, "policy": policy, "signature": sig})
    return out


@pytest.mark.parametrize("case", [
    "expired", "condition", "extra_field", "too_large", "too_small", "bad_signature",
    "unknown_key", "no_key", "wrong_bucket", "bad_expiration", "no_conditions",
    "bad_length_range", "empty_condition", "not_multipart", "no_file",
])
def test_refused_forms_store_nothing(psrv, ps3, pbucket, case):
    url = f"{psrv.endpoint}/{pbucket}"
    base = [{"bucket": pbucket}, ["starts-with", "$key", "u/"], ["content-length-range", 5, 100]]
    fields = {"key": "u/f.txt"}
    data = b"0123456789"
    expect = {
        "expired": (403, "AccessDenied", "Policy expired"),
        "condition": (403, "AccessDenied", "Policy Condition failed"),
        "extra_field": (403, "AccessDenied", "Extra input fields: x-amz-meta-sneaky"),
        "too_large": (400, "EntityTooLarge", None),
        "too_small": (400, "EntityTooSmall", None),
        "bad_signature": (403, "SignatureDoesNotMatch", None),
        "unknown_key": (403, "InvalidAccessKeyId", None),
        "no_key": (400, "InvalidArgument", "field named 'key'"),
        "wrong_bucket": (403, "AccessDenied", "Policy Condition failed"),
        "bad_expiration": (400, "InvalidPolicyDocument", "expiration"),
        "no_conditions": (400, "InvalidPolicyDocument", "conditions"),
        "bad_length_range": (400, "InvalidPolicyDocument", "content-length-range"),
        "empty_condition": (400, "InvalidPolicyDocument", None),
        "not_multipart": (412, "PreconditionFailed", None),
        "no_file": (400, "IncorrectNumberOfFilesInPostRequest", None),
    }[case]
    form = v2_form(psrv, pbucket, base, fields)
    target_bucket = pbucket
    if case == "expired":
        form = v2_form(psrv, pbucket, base, fields, expires_in=-60)
    elif case == "condition":
        form = v2_form(psrv, pbucket, base, {"key": "other/f.txt"})
    elif case == "extra_field":
        form["x-amz-meta-sneaky"] = "1"
    elif case == "too_large":
        data = b"x" * 101
    elif case == "too_small":
        data = b"x" * 4
    elif case == "bad_signature":
        form["signature"] = base64.b64encode(b"\0" * 20).decode()
    elif case == "unknown_key":
        form["AWSAccessKeyId"] = "AKIANOSUCHKEY0000000"
    elif case == "no_key":
        del form["key"]
    elif case == "wrong_bucket":
        target_bucket = unique_bucket_name("other")
        ps3.create_bucket(Bucket=target_bucket)
    elif case in ("bad_expiration", "no_conditions", "bad_length_range", "empty_condition"):
        doc = {"expiration": "2030-01-01T00:00:00Z", "conditions": base}
        if case == "bad_expiration":
            doc["expiration"] = "2030-01-01 00:00:00"
        elif case == "no_conditions":
            del doc["conditions"]
        elif case == "bad_length_range":
            doc["conditions"] = [["content-length-range", 10]]
        else:
            doc["conditions"] = [{}]
        policy, sig = sign_v2(psrv.secret_key, doc)
        form.update({"policy": policy, "signature": sig})
    try:
        if case == "not_multipart":
            r = requests.post(f"{psrv.endpoint}/{target_bucket}", data=form, timeout=60)
        elif case == "no_file":
            r = requests.post(f"{psrv.endpoint}/{target_bucket}", files={
                k: (None, v) for k, v in form.items()}, timeout=60)
        else:
            r = post(f"{psrv.endpoint}/{target_bucket}", form, data)
        code, message = error(r)
        assert (r.status_code, code) == expect[:2], r.text
        if expect[2]:
            assert expect[2] in message, message
        assert keys(ps3, target_bucket) == []
    finally:
        if target_bucket != pbucket:
            empty_and_delete_bucket(ps3, target_bucket)


# --- hostile bodies over raw sockets ------------------------------------------------------------
BOUNDARY = "----hostileBoundary7"


def part(name, value, filename=None):
    disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    return (f"--{BOUNDARY}\r\nContent-Disposition: {disp}\r\n\r\n").encode() + value + b"\r\n"


def raw_post(psrv, bucket, body_parts, content_length=None, send=None, timeout=60):
    """POST a multipart body over a socket; send(sock) may stream more. Returns the response."""
    body = b"".join(body_parts)
    head = (f"POST /{bucket} HTTP/1.1\r\nHost: {psrv.host}:{psrv.port}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {content_length if content_length is not None else len(body)}\r\n"
            "\r\n").encode()
    with socket.create_connection((psrv.host, psrv.port), timeout=timeout) as s:
        s.sendall(head + body)
        if send:
            send(s)
        try:
            return read_http_response(s, "POST", timeout)
        except (ConnectionResetError, BrokenPipeError):
            return None


def test_file_before_the_policy_is_refused(psrv, ps3, pbucket):
    form = v2_form(psrv, pbucket, [{"bucket": pbucket}, ["starts-with", "$key", ""]],
                   {"key": "early.txt"})
    # The file first: the fields after it are never read (S3: "file" must be the last field),
    # so the form is anonymous and the private bucket refuses it.
    parts = [part("key", b"early.txt"), part("file", b"data", "early.txt")]
    parts += [part(k, v.encode()) for k, v in form.items() if k != "key"]
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    r = raw_post(psrv, pbucket, parts)
    assert r.status == 403 and r.error_code() == "AccessDenied", r
    assert keys(ps3, pbucket) == []


def test_content_length_range_lie(psrv, ps3, pbucket):
    five_gib = 5 << 30
    form = v2_form(psrv, pbucket, [{"bucket": pbucket}, ["starts-with", "$key", ""],
                                   ["content-length-range", 0, five_gib]], {"key": "lie.bin"})
    parts = [part(k, v.encode()) for k, v in form.items()]
    parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
                 'filename="lie.bin"\r\n\r\n'.encode())
    rss_before = psrv.rss_kib()
    # Content-Length claims 5 GiB and more; 2 MiB arrive, then the client goes away.
    with socket.create_connection((psrv.host, psrv.port), timeout=30) as s:
        body = b"".join(parts)
        s.sendall((f"POST /{pbucket} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                   f"boundary={BOUNDARY}\r\nContent-Length: {five_gib + len(body) + 100}\r\n\r\n")
                  .encode() + body)
        s.sendall(b"z" * (2 << 20))
    # The writer is abandoned: nothing stored, no temp file kept, memory did not follow the claim.
    assert psrv.health("ready") == 200
    deadline = time.monotonic() + 10
    tmp = os.path.join(psrv.data_dir, "tmp")
    while time.monotonic() < deadline and os.listdir(tmp):
        time.sleep(0.1)
    assert os.listdir(tmp) == []
    assert keys(ps3, pbucket) == []
    assert psrv.rss_kib() - rss_before < 64 * 1024
    # A policy range lie the other way: the policy allows 1 KiB, the client streams 64 MiB.
    form = v2_form(psrv, pbucket, [{"bucket": pbucket}, ["starts-with", "$key", ""],
                                   ["content-length-range", 0, 1024]], {"key": "small.bin"})
    parts = [part(k, v.encode()) for k, v in form.items()]
    parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
                 'filename="s.bin"\r\n\r\n'.encode())

    def stream(s):
        try:
            for _ in range(64):
                s.sendall(b"y" * (1 << 20))
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass  # the server answered and closed early, as it should

    r = raw_post(psrv, pbucket, parts, content_length=(64 << 20) + 4096, send=stream)
    assert r is not None and r.status == 400 and r.error_code() == "EntityTooLarge", r
    assert keys(ps3, pbucket) == []


def test_hundred_mib_field(psrv, ps3, pbucket):
    rss_before = psrv.rss_kib()

    def stream(s):
        try:
            for _ in range(100):
                s.sendall(b"p" * (1 << 20))
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass

    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="policy"\r\n\r\n'.encode()
    r = raw_post(psrv, pbucket, [head], content_length=(100 << 20) + 1000, send=stream)
    assert r is not None and r.status == 400, r
    assert r.error_code() == "MaxPostPreDataLengthExceededError"
    assert psrv.rss_kib() - rss_before < 32 * 1024
    assert keys(ps3, pbucket) == []
    assert psrv.health("ready") == 200


def test_malformed_bodies(psrv, ps3, pbucket):
    for body in ([b"no multipart here"],
                 [f"--{BOUNDARY}\r\nX-No-Disposition: 1\r\n\r\nv\r\n".encode()],
                 [part("key", b"k"), part("file", b"cut short", "f")[:-30]]):
        r = raw_post(psrv, pbucket, body)
        assert r.status == 400 and r.error_code() in (
            "MalformedPOSTRequest", "IncompleteBody", "IncorrectNumberOfFilesInPostRequest"), r
    # A boundary the Content-Type does not give.
    with socket.create_connection((psrv.host, psrv.port), timeout=30) as s:
        s.sendall(b"POST /" + pbucket.encode() + b" HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: multipart/form-data\r\nContent-Length: 4\r\n\r\nabcd")
        r = read_http_response(s, "POST")
    assert r.status == 400 and r.error_code() == "MalformedPOSTRequest"
    assert keys(ps3, pbucket) == []
