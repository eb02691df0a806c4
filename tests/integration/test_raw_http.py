# Hostile and malformed requests over bare sockets (signed with botocore where auth is needed).
# Every response must carry x-amz-request-id; after every test the server still answers health
# (conftest's autouse check).
import base64
import datetime
import hashlib
import os
import socket
import threading
import time

import pytest

from s3util import (EMPTY_SHA256, S3Raw, det_bytes, encode_key, http_request, read_http_response,
                    send_raw, wait_until)


@pytest.fixture
def raw(server):
    return S3Raw(server)


def assert_s3_error(r, status, code):
    assert r is not None, "connection closed without a response"
    assert r.status == status, r
    assert r.error_code() == code, r
    assert r.headers.get("x-amz-request-id"), "every response must carry x-amz-request-id"


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def listed(s3, bucket):
    return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def tmp_files(server):
    tmp = os.path.join(server.data_dir, "tmp")
    out = []
    for dirpath, _, names in os.walk(tmp):
        out += [os.path.join(dirpath, n) for n in names]
    return out


# ------------------------------------------------------------------------------------------
# Malformed XML bodies
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    b"<CreateBucketConfiguration><LocationConstraint>us-east-1",        # truncated
    b"this is not xml",
    b"<CreateBucketConfiguration><LocationConstraint>us-east-1</Wrong></CreateBucketConfiguration>",
    b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
    b"<CreateBucketConfiguration><LocationConstraint>&e;</LocationConstraint></CreateBucketConfiguration>",
])
def test_create_bucket_malformed_xml(raw, s3, bucket_name, body):
    r = raw.request("PUT", f"/{bucket_name}", body=body)
    assert_s3_error(r, 400, "MalformedXML")
    assert bucket_name not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_create_bucket_other_region_constraint(raw, s3, bucket_name):
    body = (b'<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            b"<LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>")
    r = raw.request("PUT", f"/{bucket_name}", body=body)
    assert_s3_error(r, 400, "IllegalLocationConstraintException")


def test_create_bucket_empty_body_ok(raw, bucket_name):
    r = raw.request("PUT", f"/{bucket_name}")
    assert r.status == 200, r
    assert r.headers.get("x-amz-request-id")


@pytest.mark.parametrize("body", [
    b"<Delete><Object><Key>a</Key></Object>",                 # truncated
    b"garbage",
    b"<Delete></Delete>",                                     # no Object
    b"<Delete><Object></Object></Delete>",                    # Object without Key
    b"<NotDelete><Object><Key>a</Key></Object></NotDelete>",
])
def test_delete_objects_malformed_xml(raw, s3, bucket, body):
    s3.put_object(Bucket=bucket, Key="a", Body=b"x")
    r = raw.request("POST", f"/{bucket}?delete", body=body, headers={"Content-MD5": md5_b64(body)})
    assert_s3_error(r, 400, "MalformedXML")
    assert listed(s3, bucket) == ["a"]


def test_delete_objects_without_content_md5(raw, s3, bucket):
    s3.put_object(Bucket=bucket, Key="a", Body=b"x")
    body = b"<Delete><Object><Key>a</Key></Object></Delete>"
    r = raw.request("POST", f"/{bucket}?delete", body=body)
    # S3 requires Content-MD5 (or an x-amz-checksum-*) on DeleteObjects.
    assert_s3_error(r, 400, "InvalidRequest")
    assert listed(s3, bucket) == ["a"]


def test_delete_objects_wrong_content_md5(raw, s3, bucket):
    s3.put_object(Bucket=bucket, Key="a", Body=b"x")
    body = b"<Delete><Object><Key>a</Key></Object></Delete>"
    r = raw.request("POST", f"/{bucket}?delete", body=body, headers={"Content-MD5": md5_b64(b"nope")})
    assert_s3_error(r, 400, "BadDigest")
    assert listed(s3, bucket) == ["a"]


# ------------------------------------------------------------------------------------------
# Names and keys
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Bad_Name", "a..b", "ab", "-dash", "a" * 64, "has%20space",
                                  "192.168.0.1"])
def test_invalid_bucket_names_raw(raw, name):
    r = raw.request("PUT", f"/{name}")
    assert_s3_error(r, 400, "InvalidBucketName")


def test_key_too_long(raw, bucket):
    r = raw.request("PUT", f"/{bucket}/" + "k" * 1025, body=b"x")
    assert_s3_error(r, 400, "KeyTooLongError")
    r = raw.request("PUT", f"/{bucket}/" + "k" * 1024, body=b"x")
    assert r.status == 200, r


@pytest.mark.parametrize("encoded", ["%FF", "a%C3", "%C0%AF", "%ED%A0%80", "x%F8%88%80%80%80"])
def test_invalid_utf8_key_rejected(raw, s3, bucket, encoded):
    r = raw.request("PUT", f"/{bucket}/{encoded}", body=b"x")
    assert r.status == 400, r
    assert r.error_code(), r
    assert r.headers.get("x-amz-request-id")
    assert listed(s3, bucket) == []


def test_key_with_nul_byte(raw, s3, bucket):
    r = raw.request("PUT", f"/{bucket}/a%00b", body=b"x")
    # NUL is valid UTF-8 and S3 accepts it; either way it must never create a file path.
    assert r.status in (200, 400), r
    if r.status == 200:
        assert listed(s3, bucket) == ["a\x00b"]


# ------------------------------------------------------------------------------------------
# Body framing
# ------------------------------------------------------------------------------------------
def test_put_without_content_length(raw, server, s3, bucket):
    target = f"/{bucket}/nolen"
    req = raw.raw_bytes("PUT", target, payload_hash="UNSIGNED-PAYLOAD")
    r = send_raw(server.host, server.port, req, shutdown_write=False, timeout=20)
    assert_s3_error(r, 411, "MissingContentLength")
    assert listed(s3, bucket) == []


@pytest.mark.parametrize("declared,sent", [(1000, 10), (10 * 1024 * 1024, 1024 * 1024)])
def test_body_shorter_than_declared_then_disconnect(raw, server, s3, bucket, declared, sent):
    target = f"/{bucket}/short-{declared}"
    req = raw.raw_bytes("PUT", target, headers={"Content-Length": str(declared)},
                        payload_hash="UNSIGNED-PAYLOAD")
    with socket.create_connection((server.host, server.port), timeout=20) as sock:
        sock.sendall(req)
        sock.sendall(det_bytes(sent))
        time.sleep(0.3)
    # The server must abandon the upload: nothing listed, no temp file left behind.
    assert wait_until(lambda: tmp_files(server) == [], timeout=15), tmp_files(server)
    time.sleep(0.5)
    assert tmp_files(server) == [], "a temp file appeared after the client had gone"
    assert listed(s3, bucket) == []
    r = raw.request("HEAD", target)
    assert r.status == 404


def test_body_longer_than_declared(raw, server, s3, bucket):
    target = f"/{bucket}/longer"
    body = b"0123456789"
    req = raw.raw_bytes("PUT", target, headers={"Content-Length": "10"}, body=body)
    with socket.create_connection((server.host, server.port), timeout=20) as sock:
        sock.sendall(req + body + b"EXTRA-GARBAGE-NOT-HTTP\r\n\r\n")
        r = read_http_response(sock, "PUT", timeout=20)
        assert r.status == 200, r
        assert r.headers.get("x-amz-request-id")
        # The surplus is parsed as the next request: a 400 or a close, never a crash.
        try:
            r2 = read_http_response(sock, "GET", timeout=20)
        except (ConnectionError, socket.timeout):
            r2 = None
        if r2 is not None:
            assert r2.status == 400, r2
    assert s3.get_object(Bucket=bucket, Key="longer")["Body"].read() == body


def test_conflicting_content_length_headers(raw, server, s3, bucket):
    target = f"/{bucket}/dupcl"
    req = raw.raw_bytes("PUT", target, headers={"Content-Length": "5"}, body=b"hello",
                        extra_lines=["Content-Length: 3"])
    r = send_raw(server.host, server.port, req + b"hello", timeout=20)
    assert r is None or r.status == 400, r
    assert "dupcl" not in listed(s3, bucket)


def test_duplicate_host_headers(raw, server):
    req = raw.raw_bytes("GET", "/", extra_lines=["Host: evil.example.com"])
    r = send_raw(server.host, server.port, req, timeout=20)
    assert r is None or r.status in (400, 403), r


def test_transfer_encoding_and_content_length_together(raw, server, s3, bucket):
    # Request smuggling shape: both framings. Must not be stored with a confused body.
    body = b"5\r\nhello\r\n0\r\n\r\n"
    req = raw.raw_bytes("PUT", f"/{bucket}/smuggle", headers={"Content-Length": str(len(body))},
                        payload_hash="UNSIGNED-PAYLOAD", extra_lines=["Transfer-Encoding: chunked"])
    r = send_raw(server.host, server.port, req + body, timeout=20)
    assert r is None or r.status in (200, 400, 411, 501), r
    if r is not None and r.status == 200:
        assert s3.get_object(Bucket=bucket, Key="smuggle")["Body"].read() == b"hello"


def test_oversized_header_section(raw, server):
    big = "x" * (20 * 1024)
    req = raw.raw_bytes("GET", "/", extra_lines=[f"X-Big: {big}"])
    try:
        r = send_raw(server.host, server.port, req, timeout=20)
    except (ConnectionResetError, BrokenPipeError):
        r = None
    assert r is None or r.status in (400, 431), r
    assert server.health() == 200


def test_many_headers(raw, server):
    lines = [f"X-H{i}: v" for i in range(2000)]
    try:
        r = send_raw(server.host, server.port, raw.raw_bytes("GET", "/", extra_lines=lines), timeout=20)
    except (ConnectionResetError, BrokenPipeError):
        r = None
    assert r is None or r.status in (400, 431), r


@pytest.mark.parametrize("data", [
    b"GARBAGE\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    b"\x00\x01\x02\x03\r\n\r\n",
    b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
])
def test_garbage_request_lines(server, data):
    try:
        r = send_raw(server.host, server.port, data, timeout=20)
    except (ConnectionResetError, BrokenPipeError):
        r = None
    assert r is None or 400 <= r.status < 600, r
    assert server.health() == 200


# ------------------------------------------------------------------------------------------
# Sub-resources, ranges
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sub", ["analytics", "metrics", "inventory", "intelligent-tiering"])
def test_unknown_bucket_subresource_not_implemented(raw, bucket, sub):
    r = raw.request("GET", f"/{bucket}?{sub}")
    assert_s3_error(r, 501, "NotImplemented")


def test_torrent_subresource_not_implemented(raw, s3, bucket):
    s3.put_object(Bucket=bucket, Key="t", Body=b"x")
    r = raw.request("GET", f"/{bucket}/t?torrent")
    assert_s3_error(r, 501, "NotImplemented")


@pytest.fixture
def obj100(s3, bucket):
    data = det_bytes(100, seed=100)
    s3.put_object(Bucket=bucket, Key="r", Body=data)
    return bucket, data


@pytest.mark.parametrize("rng", ["bytes=100-", "bytes=100-200", "bytes=1000-1001"])
def test_unsatisfiable_range_raw(raw, obj100, rng):
    bucket, _ = obj100
    r = raw.request("GET", f"/{bucket}/r", headers={"Range": rng})
    assert_s3_error(r, 416, "InvalidRange")
    assert r.headers.get("content-range") == "bytes */100"


@pytest.mark.parametrize("rng", ["bytes=abc", "bytes=5-2", "items=0-1", "bytes=", "bytes=0-1,3-4",
                                 "bytes=--5", "bytes=99999999999999999999999-", "bytes = 0-1x"])
def test_malformed_range_returns_full_body(raw, obj100, rng):
    bucket, data = obj100
    r = raw.request("GET", f"/{bucket}/r", headers={"Range": rng})
    assert r.status == 200, (rng, r)
    assert r.body == data
    assert "content-range" not in r.headers
    assert r.headers.get("x-amz-request-id")


# ------------------------------------------------------------------------------------------
# Authentication
# ------------------------------------------------------------------------------------------
def test_anonymous_requests_denied(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"secret")
    hp = f"{server.host}:{server.port}"
    for method, target, body in [("GET", "/", b""), ("GET", f"/{bucket}", b""),
                                 ("GET", f"/{bucket}/k", b""), ("PUT", f"/{bucket}/k2", b"x"),
                                 ("DELETE", f"/{bucket}/k", b""), ("PUT", "/it-anon-new-bucket", b"")]:
        r = http_request(server.host, server.port, method, target, [("Host", hp)], body)
        assert_s3_error(r, 403, "AccessDenied")
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"secret"
    assert listed(s3, bucket) == ["k"]


def test_anonymous_head_denied(server, bucket):
    r = http_request(server.host, server.port, "HEAD", f"/{bucket}", [("Host", f"{server.host}:{server.port}")])
    assert r.status == 403
    assert r.headers.get("x-amz-request-id")


def test_wrong_secret(raw, bucket):
    r = raw.request("GET", f"/{bucket}?list-type=2", secret_key="wrong-secret-key-value")
    assert_s3_error(r, 403, "SignatureDoesNotMatch")


def test_unknown_access_key(raw, bucket):
    r = raw.request("GET", f"/{bucket}?list-type=2", access_key="AKIAUNKNOWNKEY000000", secret_key="x")
    assert_s3_error(r, 403, "InvalidAccessKeyId")


@pytest.mark.parametrize("minutes", [-20, 20])
def test_clock_skew(raw, bucket, minutes):
    when = datetime.datetime.utcnow() + datetime.timedelta(minutes=minutes)
    r = raw.request("GET", f"/{bucket}?list-type=2", when=when)
    assert_s3_error(r, 403, "RequestTimeTooSkewed")


def test_small_clock_skew_accepted(raw, bucket):
    when = datetime.datetime.utcnow() - datetime.timedelta(minutes=3)
    r = raw.request("GET", f"/{bucket}?list-type=2", when=when)
    assert r.status == 200, r


def test_wrong_region_in_scope(server, bucket):
    from s3util import sign_headers
    hp = f"{server.host}:{server.port}"
    hdrs = sign_headers("GET", hp, f"/{bucket}?list-type=2", access_key=server.access_key,
                        secret_key=server.secret_key, region="eu-west-1")
    r = http_request(server.host, server.port, "GET", f"/{bucket}?list-type=2", hdrs)
    assert_s3_error(r, 400, "AuthorizationHeaderMalformed")


def test_garbage_authorization_header(server, bucket):
    hp = f"{server.host}:{server.port}"
    r = http_request(server.host, server.port, "GET", f"/{bucket}",
                     [("Host", hp), ("Authorization", "AWS4-HMAC-SHA256 garbage"),
                      ("x-amz-date", datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")),
                      ("x-amz-content-sha256", EMPTY_SHA256)])
    assert r.status in (400, 403), r
    assert r.error_code() in ("AuthorizationHeaderMalformed", "InvalidArgument", "AccessDenied",
                              "SignatureDoesNotMatch"), r
    assert r.headers.get("x-amz-request-id")


def test_tampered_signed_header(raw, server, bucket):
    hdrs = raw.signed("GET", f"/{bucket}?list-type=2", headers={"x-amz-meta-signed": "a"})
    hdrs = [(k, "b" if k.lower() == "x-amz-meta-signed" else v) for k, v in hdrs]
    r = http_request(server.host, server.port, "GET", f"/{bucket}?list-type=2", hdrs)
    assert_s3_error(r, 403, "SignatureDoesNotMatch")


def test_tampered_query(raw, server, bucket):
    hdrs = raw.signed("GET", f"/{bucket}?list-type=2&prefix=a")
    r = http_request(server.host, server.port, "GET", f"/{bucket}?list-type=2&prefix=b", hdrs)
    assert_s3_error(r, 403, "SignatureDoesNotMatch")


def test_payload_hash_mismatch(raw, server, s3, bucket):
    body = b"the real body"
    claimed = hashlib.sha256(b"another body!").hexdigest()  # same length differs
    hdrs = raw.signed("PUT", f"/{bucket}/sha", body=body, payload_hash=claimed)
    hdrs.append(("Content-Length", str(len(body))))
    r = http_request(server.host, server.port, "PUT", f"/{bucket}/sha", hdrs, body)
    assert_s3_error(r, 400, "XAmzContentSHA256Mismatch")
    assert listed(s3, bucket) == []


def test_unsigned_payload_accepted(raw, s3, bucket):
    r = raw.request("PUT", f"/{bucket}/unsigned", body=b"abc", payload_hash="UNSIGNED-PAYLOAD")
    assert r.status == 200, r
    assert s3.get_object(Bucket=bucket, Key="unsigned")["Body"].read() == b"abc"


def test_expect_100_continue(raw, server, s3, bucket):
    body = det_bytes(50_000, seed=9)
    req = raw.raw_bytes("PUT", f"/{bucket}/expect", headers={"Content-Length": str(len(body)),
                                                              "Expect": "100-continue"}, body=body)
    with socket.create_connection((server.host, server.port), timeout=20) as sock:
        sock.sendall(req)
        first = read_http_response(sock, "PUT", timeout=20)
        assert first.status == 100, first
        sock.sendall(body)
        final = read_http_response(sock, "PUT", timeout=20)
        assert final.status == 200, final
    assert s3.get_object(Bucket=bucket, Key="expect")["Body"].read() == body


def test_expect_100_continue_bad_auth_answers_final_status(raw, server, s3, bucket):
    body = det_bytes(50_000, seed=9)
    req = raw.raw_bytes("PUT", f"/{bucket}/expect-bad", headers={"Content-Length": str(len(body)),
                                                                  "Expect": "100-continue"},
                        body=body, secret_key="bad-secret")
    with socket.create_connection((server.host, server.port), timeout=20) as sock:
        sock.sendall(req)
        first = read_http_response(sock, "PUT", timeout=20)
        assert_s3_error(first, 403, "SignatureDoesNotMatch")
    assert listed(s3, bucket) == []


# ------------------------------------------------------------------------------------------
# Slow clients
# ------------------------------------------------------------------------------------------
def test_slow_loris_does_not_block_other_clients(server, s3, bucket):
    stop = threading.Event()
    socks = []
    for _ in range(24):
        s = socket.create_connection((server.host, server.port), timeout=10)
        s.sendall(b"GET / HTTP/1.1\r\nHost: slow\r\nX-Slow: ")
        socks.append(s)

    def trickle():
        while not stop.is_set():
            for s in socks:
                try:
                    s.sendall(b"a")
                except OSError:
                    pass
            stop.wait(0.5)

    t = threading.Thread(target=trickle, daemon=True)
    t.start()
    try:
        # While two dozen sockets dribble an unfinished header, normal requests are served.
        for i in range(20):
            s3.put_object(Bucket=bucket, Key=f"during-{i}", Body=b"x" * 1000)
        assert len(listed(s3, bucket)) == 20
        assert server.health("ready") == 200
        # A slow body upload does not stall others either.
        hp = f"{server.host}:{server.port}"
        r = S3Raw(server)
        slow_body = r.raw_bytes("PUT", f"/{bucket}/slowbody", headers={"Content-Length": "100000"},
                                payload_hash="UNSIGNED-PAYLOAD")
        sb = socket.create_connection((server.host, server.port), timeout=10)
        sb.sendall(slow_body + b"x" * 100)
        socks.append(sb)
        assert s3.get_object(Bucket=bucket, Key="during-0")["Body"].read() == b"x" * 1000
        assert hp
    finally:
        stop.set()
        t.join(timeout=5)
        for s in socks:
            s.close()
    assert "slowbody" not in listed(s3, bucket)


def test_every_error_response_has_request_id_and_xml(raw, bucket):
    for method, target in [("GET", f"/{bucket}/missing"), ("GET", "/it-no-such-bucket-rid"),
                           ("DELETE", "/it-no-such-bucket-rid")]:
        r = raw.request(method, target)
        assert r.status == 404
        assert r.headers.get("x-amz-request-id")
        assert r.headers.get("content-type", "").startswith(("application/xml", "text/xml")), r
        root = r.xml()
        assert root.find("RequestId") is not None and root.find("RequestId").text == r.headers["x-amz-request-id"]
        assert root.find("Message") is not None


def test_request_ids_are_unique(raw):
    ids = {raw.request("GET", "/").headers["x-amz-request-id"] for _ in range(20)}
    assert len(ids) == 20


def test_encoded_slash_and_dot_segments_stay_in_bucket(raw, s3, bucket):
    r = raw.request("PUT", f"/{bucket}/" + encode_key("../../escape"), body=b"x")
    assert r.status == 200, r
    assert listed(s3, bucket) == ["../../escape"]
    r = raw.request("PUT", f"/{bucket}/a%2Fb", body=b"y")
    assert r.status == 200, r
    assert sorted(listed(s3, bucket)) == ["../../escape", "a/b"]
