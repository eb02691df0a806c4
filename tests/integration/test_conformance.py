# S3 behaviours that clients branch on (issue 21): status codes and error codes of edge cases,
# retention changes, conditional deletes, header and listing encodings, ListBuckets pagination
# and SigV2 presigned bucket URLs. boto3 where it can send the request, raw HTTP where not.
import base64
import datetime
import email.utils
import hashlib
from urllib.parse import quote

import botocore
import pytest
import requests

from conftest import unique_bucket_name
from s3util import S3NS, S3Raw, boto3_client, err_code, err_status, read_http_response
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


def http_date(dt):
    return email.utils.format_datetime(dt.astimezone(datetime.timezone.utc), usegmt=True)


def test_conditional_delete_object(s3, raw, bucket):
    # Debian's botocore predates these headers: raw requests.
    etag = s3.put_object(Bucket=bucket, Key="k", Body=b"12345")["ETag"]
    mtime = s3.head_object(Bucket=bucket, Key="k")["LastModified"]
    bad_time = http_date(datetime.datetime(2015, 1, 1, tzinfo=datetime.timezone.utc))
    for hdrs in ({"If-Match": '"0123"'}, {"x-amz-if-match-size": "4"},
                 {"x-amz-if-match-last-modified-time": bad_time},
                 {"If-Match": etag, "x-amz-if-match-size": "5",
                  "x-amz-if-match-last-modified-time": bad_time}):
        r = raw.request("DELETE", f"/{bucket}/k", headers=hdrs)
        assert r.status == 412 and r.error_code() == "PreconditionFailed", (hdrs, r)
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"12345"
    for hdrs in ({"x-amz-if-match-size": "-1"}, {"x-amz-if-match-last-modified-time": "soon"}):
        assert raw.request("DELETE", f"/{bucket}/k", headers=hdrs).status == 400, hdrs
    r = raw.request("DELETE", f"/{bucket}/k", headers={
        "If-Match": etag, "x-amz-if-match-size": "5",
        "x-amz-if-match-last-modified-time": http_date(mtime)})
    assert r.status == 204, r
    # A key that is not there: the conditions do not apply (S3 answers 204).
    r = raw.request("DELETE", f"/{bucket}/k", headers={"If-Match": '"0123"',
                                                      "x-amz-if-match-size": "9"})
    assert r.status == 204, r
    with pytest.raises(botocore.exceptions.ClientError):
        s3.head_object(Bucket=bucket, Key="k")


def test_conditional_delete_in_a_versioned_bucket(s3, raw, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"abc")
    r = raw.request("DELETE", f"/{bucket}/k", headers={"If-Match": put["ETag"]})
    assert r.status == 204 and r.headers.get("x-amz-delete-marker") == "true", r
    # The newest version is now a delete marker: it matches "*" only.
    r = raw.request("DELETE", f"/{bucket}/k", headers={"If-Match": put["ETag"]})
    assert r.status == 412, r
    r = raw.request("DELETE", f"/{bucket}/k?versionId={put['VersionId']}",
                    headers={"x-amz-if-match-size": "4"})
    assert r.status == 412, r
    r = raw.request("DELETE", f"/{bucket}/k?versionId={put['VersionId']}",
                    headers={"x-amz-if-match-size": "3"})
    assert r.status == 204, r
    assert [v["VersionId"] for v in s3.list_object_versions(Bucket=bucket).get("Versions", [])] \
        == []


def delete_objects_raw(raw, bucket, objects):
    body = "<Delete>" + "".join(f"<Object>{o}</Object>" for o in objects) + "</Delete>"
    body = body.encode()
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    return raw.request("POST", f"/{bucket}?delete", body=body, headers={"Content-MD5": md5})


def test_conditional_delete_objects_reports_per_key(s3, raw, bucket):
    etag = s3.put_object(Bucket=bucket, Key="a", Body=b"aaaa")["ETag"]
    s3.put_object(Bucket=bucket, Key="b", Body=b"bb")
    s3.put_object(Bucket=bucket, Key="c", Body=b"c")
    mtime = http_date(s3.head_object(Bucket=bucket, Key="c")["LastModified"])
    r = delete_objects_raw(raw, bucket, [
        "<Key>a</Key><ETag>\"0000\"</ETag>",
        "<Key>b</Key><Size>3</Size>",
        "<Key>c</Key><LastModifiedTime>Thu, 01 Jan 2015 00:00:00 GMT</LastModifiedTime>"])
    assert r.status == 200, r
    errors = {e.find(S3NS + "Key").text: e.find(S3NS + "Code").text
              for e in r.xml().findall(S3NS + "Error")}
    assert errors == {"a": "PreconditionFailed", "b": "PreconditionFailed",
                      "c": "PreconditionFailed"}
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]) == \
        ["a", "b", "c"]
    r = delete_objects_raw(raw, bucket, [
        f"<Key>a</Key><ETag>{etag}</ETag>", "<Key>b</Key><Size>2</Size>",
        f"<Key>c</Key><LastModifiedTime>{mtime}</LastModifiedTime>",
        "<Key>missing</Key><ETag>\"0000\"</ETag>"])
    assert r.status == 200 and not r.xml().findall(S3NS + "Error"), r
    assert len(r.xml().findall(S3NS + "Deleted")) == 4
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)
    r = delete_objects_raw(raw, bucket, ["<Key>a</Key><Size>x</Size>"])
    assert r.status == 400 and r.error_code() == "MalformedXML", r


def test_object_lock_configuration_periods(s3):
    name = unique_bucket_name("itl")
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    try:
        def put(retention):
            return client_error(s3.put_object_lock_configuration, Bucket=name,
                                ObjectLockConfiguration={
                                    "ObjectLockEnabled": "Enabled",
                                    "Rule": {"DefaultRetention": retention}})
        assert put({"Mode": "GOVERNANCE", "Days": 1, "Years": 1}) == (400, "MalformedXML")
        assert put({"Mode": "GOVERNANCE", "Days": 0}) == (400, "InvalidRetentionPeriod")
        assert put({"Mode": "COMPLIANCE", "Years": -1}) == (400, "InvalidRetentionPeriod")
        assert "Rule" not in s3.get_object_lock_configuration(Bucket=name)[
            "ObjectLockConfiguration"]
    finally:
        purge_bucket(s3, name)


def test_sigv2_date_before_the_epoch_is_access_denied(server, bucket):
    v2 = boto3_client(server.endpoint, server.access_key, server.secret_key,
                      signature_version="s3")
    v2.meta.events.register("before-call.s3.PutObject", lambda **kw: kw["params"]["headers"]
                            .update({"x-amz-date": "Tue, 07 Jul 1950 21:53:04 GMT"}))
    assert client_error(v2.put_object, Bucket=bucket, Key="k", Body=b"x") == (403, "AccessDenied")


def test_content_encoding_list_keeps_its_spaces(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ContentEncoding="deflate, gzip")
    assert s3.head_object(Bucket=bucket, Key="k")["ContentEncoding"] == "deflate, gzip"


def test_listing_edge_cases(s3, raw, bucket):
    for k in ("bar", "baz", "foo"):
        s3.put_object(Bucket=bucket, Key=k, Body=b"")
    # V1 answers its prefix as sent even with encoding-type=url (botocore does not decode it).
    r = raw.request("GET", f"/{bucket}?prefix=%0A&encoding-type=url")
    assert r.status == 200, r
    assert r.xml().find(S3NS + "Prefix").text == "\n"
    assert r.xml().findall(S3NS + "Contents") == []
    # V2: an empty continuation token is the first page, echoed back empty.
    r = raw.request("GET", f"/{bucket}?list-type=2&continuation-token=")
    assert r.status == 200, r
    assert (r.xml().find(S3NS + "ContinuationToken").text or "") == ""
    assert [c.find(S3NS + "Key").text for c in r.xml().findall(S3NS + "Contents")] == \
        ["bar", "baz", "foo"]


def test_list_buckets_pagination(s3, raw):
    base = unique_bucket_name("pg")
    names = [base + s for s in ("-a", "-b", "-c")]
    try:
        for n in names:
            s3.create_bucket(Bucket=n)

        def page(query):
            r = raw.request("GET", "/?" + query)
            assert r.status == 200, r
            x = r.xml()
            token = x.find(S3NS + "ContinuationToken")
            return ([b.find(S3NS + "Name").text for b in x.iter(S3NS + "Bucket")],
                    None if token is None else token.text, x.find(S3NS + "Prefix"))
        got, token, prefix = page(f"prefix={base}&max-buckets=2")
        assert got == names[:2] and token and prefix.text == base
        got, token, _ = page(f"prefix={base}&max-buckets=2&continuation-token={quote(token, safe='')}")
        assert got == names[2:] and token is None
        got, token, prefix = page(f"prefix={base}")
        assert got == names and token is None
        got, _, prefix = page("max-buckets=10000")
        assert set(names) <= set(got) and prefix is None
        for bad in ("max-buckets=0", "max-buckets=10001", "max-buckets=x",
                    "continuation-token=%25%25"):
            r = raw.request("GET", "/?" + bad)
            assert r.status == 400 and r.error_code() == "InvalidArgument", (bad, r)
    finally:
        for n in names:
            try:
                s3.delete_bucket(Bucket=n)
            except botocore.exceptions.ClientError:
                pass


def test_sigv2_bucket_requests_botocore_signs_with_a_uri_query(server, s3, bucket):
    # botocore's SigV2 signs ListObjectsV2 as "/bucket?list-type=2" (its request URI's query),
    # in presigned URLs (boto3's default for a custom endpoint until 1.36) and headers alike.
    s3.put_object(Bucket=bucket, Key="a b", Body=b"x")
    v2 = boto3_client(server.endpoint, server.access_key, server.secret_key,
                      signature_version="s3")
    url = v2.generate_presigned_url("list_objects_v2", Params={"Bucket": bucket, "Prefix": "a"},
                                    ExpiresIn=60)
    r = requests.get(url, timeout=10)
    assert r.status_code == 200 and "<Key>a%20b</Key>" in r.text, r.text
    url = v2.generate_presigned_url("list_objects", Params={"Bucket": bucket}, ExpiresIn=60)
    assert requests.get(url, timeout=10).status_code == 200
    assert [o["Key"] for o in v2.list_objects_v2(Bucket=bucket)["Contents"]] == ["a b"]
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v = s3.put_object(Bucket=bucket, Key="v", Body=b"x")["VersionId"]
    assert client_error(v2.get_object_retention, Bucket=bucket, Key="v", VersionId=v)[1] == \
        "InvalidRequest"  # answered, not SignatureDoesNotMatch
    # A tampered signature is still refused.
    bad = url.replace("Signature=", "Signature=A")
    assert requests.get(bad, timeout=10).status_code == 403


def test_body_longer_than_its_content_length_is_bad_digest_and_closes(s3, raw, bucket):
    # Content-Length 2 for "bar": the server sees "ba", which fails Content-MD5 (400
    # BadDigest), and closes the connection so the stray "r" is not read as the next request.
    md5 = base64.b64encode(hashlib.md5(b"bar").digest()).decode()
    head = raw.raw_bytes("PUT", f"/{bucket}/k", headers={"Content-MD5": md5,
                                                         "Content-Length": "2"}, body=b"ba")
    with raw.connect() as sock:
        sock.sendall(head + b"bar")
        r = read_http_response(sock, "PUT")
        assert r.status == 400 and r.error_code() == "BadDigest", r
        sock.sendall(raw.raw_bytes("GET", f"/{bucket}/k"))
        try:
            assert read_http_response(sock, "GET", timeout=10) is None  # closed
        except (ConnectionResetError, BrokenPipeError):
            pass
    assert client_error(s3.head_object, Bucket=bucket, Key="k")[0] == 404
