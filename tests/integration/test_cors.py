# CORS end to end: Put/Get/DeleteBucketCors with boto3 and /usr/bin/aws (every error path), the
# preflight answered without credentials on bucket, object and presigned URLs, the
# Access-Control-* headers of actual requests (errors included), hostile CORS documents over raw
# HTTP, rules that survive a restart and go with their bucket, and the server-wide default
# (server.cors_allowed_origins). Real browsers are in frontends/console/web/e2e/s3_browser.e2e.mjs.
import base64
import hashlib
import json
import os
import subprocess

import botocore
import pytest

from conftest import client_env, unique_bucket_name
from s3util import empty_and_delete_bucket, err_code, err_status, http_request, S3Raw

AWS = "/usr/bin/aws"
APP = "https://app.example"


def rules(*rs):
    return {"CORSRules": list(rs)}


def rule(methods, origins, **kw):
    r = {"AllowedMethods": methods, "AllowedOrigins": origins}
    r.update(kw)
    return r


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def call(server, method, target, headers=()):
    """An unsigned request (browsers send preflights without credentials)."""
    hdrs = [("Host", f"{server.host}:{server.port}")] + list(headers)
    return http_request(server.host, server.port, method, target, hdrs)


def preflight(server, target, origin, method, req_headers=None):
    h = [("Origin", origin), ("Access-Control-Request-Method", method)]
    if req_headers:
        h.append(("Access-Control-Request-Headers", req_headers))
    return call(server, "OPTIONS", target, h)


@pytest.fixture
def raw(server):
    return S3Raw(server)


def test_put_get_delete_bucket_cors_with_boto3(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_cors(Bucket=bucket)
    assert err_code(e.value) == "NoSuchCORSConfiguration" and err_status(e.value) == 404
    cfg = rules(rule(["GET", "PUT"], [APP, "http://localhost:*"], ID="web",
                     AllowedHeaders=["*"], ExposeHeaders=["ETag", "x-amz-version-id"],
                     MaxAgeSeconds=3000),
                rule(["HEAD"], ["*"]))
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=cfg)
    got = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert got == cfg["CORSRules"]
    # Replaced whole.
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=rules(rule(["DELETE"], [APP])))
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"] == [rule(["DELETE"], [APP])]
    assert s3.delete_bucket_cors(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_cors(Bucket=bucket)
    assert err_code(e.value) == "NoSuchCORSConfiguration"
    s3.delete_bucket_cors(Bucket=bucket)  # none: still 204


@pytest.mark.parametrize("cfg,code,words", [
    (rules(rule(["GET", "PATCH"], ["*"])), "InvalidRequest", "Unsupported method is PATCH"),
    (rules(rule(["get"], ["*"])), "InvalidRequest", "Unsupported method is get"),
    (rules(rule(["GET"], ["https://*.*.example"])), "InvalidRequest", "more than one wildcard"),
    (rules(rule(["GET"], ["*"], AllowedHeaders=["x-*-*"])), "InvalidRequest", "more than one"),
    (rules(rule(["GET"], ["*"], ExposeHeaders=["*"])), "InvalidRequest", "wildcard for ExposeHeader"),
    (rules(rule(["GET"], ["*"], ID="i" * 256)), "InvalidArgument", "255"),
    (rules(rule(["GET"], ["*"], MaxAgeSeconds=-5)), "InvalidArgument", "MaxAgeSeconds"),
    (rules(rule(["GET"], ["http://a\r\nSet-Cookie: x=1"])), "InvalidArgument", "AllowedOrigin"),
    (rules(*[rule(["GET"], ["*"])] * 101), "InvalidRequest", "100 rules"),
])
def test_invalid_rules_are_refused_and_change_nothing(s3, bucket, cfg, code, words):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=rules(rule(["GET"], [APP])))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=cfg)
    assert err_code(e.value) == code and err_status(e.value) == 400
    assert words in e.value.response["Error"]["Message"]
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"] == [rule(["GET"], [APP])]


def test_rule_errors_name_the_rule(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=rules(
            rule(["GET"], ["*"]), rule(["TRACE"], ["*"], ID="second")))
    assert 'CORS rule 2 (ID "second")' in e.value.response["Error"]["Message"]


def test_missing_bucket(s3):
    name = unique_bucket_name()
    for fn, kw in ((s3.get_bucket_cors, {}), (s3.delete_bucket_cors, {}),
                   (s3.put_bucket_cors, {"CORSConfiguration": rules(rule(["GET"], ["*"]))})):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            fn(Bucket=name, **kw)
        assert err_code(e.value) == "NoSuchBucket"


def test_aws_cli_put_get_delete(server, bucket, tmp_dir):
    env = client_env(server, tmp_dir)
    path = os.path.join(tmp_dir, "cors.json")
    cfg = rules(rule(["GET", "POST"], [APP], AllowedHeaders=["Content-Type"], MaxAgeSeconds=60))
    with open(path, "w") as f:
        json.dump(cfg, f)
    base = [AWS, "--endpoint-url", server.endpoint, "s3api"]
    subprocess.run(base + ["put-bucket-cors", "--bucket", bucket, "--cors-configuration",
                           f"file://{path}"], env=env, check=True, capture_output=True, timeout=60)
    out = subprocess.run(base + ["get-bucket-cors", "--bucket", bucket], env=env, check=True,
                         capture_output=True, text=True, timeout=60)
    assert json.loads(out.stdout) == cfg
    subprocess.run(base + ["delete-bucket-cors", "--bucket", bucket], env=env, check=True,
                   capture_output=True, timeout=60)
    gone = subprocess.run(base + ["get-bucket-cors", "--bucket", bucket], env=env,
                          capture_output=True, text=True, timeout=60)
    assert gone.returncode != 0 and "NoSuchCORSConfiguration" in gone.stderr


def test_preflight_is_answered_without_credentials(server, s3, bucket):
    target = f"/{bucket}/photos/cat.jpg"
    r = preflight(server, target, APP, "PUT")
    assert r.status == 403 and r.error_code() == "AccessForbidden"
    assert b"CORS is not enabled for this bucket" in r.body
    assert r.headers.get("x-amz-request-id")
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=rules(
        rule(["PUT", "GET"], [APP], AllowedHeaders=["content-type", "x-amz-*"],
             ExposeHeaders=["ETag"], MaxAgeSeconds=600),
        rule(["GET"], ["*"])))
    r = preflight(server, target, APP, "PUT", "Content-Type, X-Amz-Meta-Owner")
    assert r.status == 200, r
    assert r.headers["access-control-allow-origin"] == APP
    assert r.headers["access-control-allow-methods"] == "PUT, GET"
    assert r.headers["access-control-allow-headers"] == "content-type, x-amz-meta-owner"
    assert r.headers["access-control-expose-headers"] == "ETag"
    assert r.headers["access-control-max-age"] == "600"
    assert r.headers["access-control-allow-credentials"] == "true"
    assert "Origin" in r.headers["vary"]
    # The bucket itself, and a presigned URL, are preflighted alike; "*" answers "*".
    r = preflight(server, f"/{bucket}", "https://x.example", "GET")
    assert r.status == 200 and r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers
    url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "k"})
    target_q = url[len(server.endpoint):]
    assert preflight(server, target_q, APP, "PUT").status == 200
    # No match: 403, no Access-Control-Allow-Origin.
    for origin, method, hdrs in (("https://evil.example", "PUT", None), (APP, "DELETE", None),
                                 (APP, "PUT", "authorization")):
        r = preflight(server, target, origin, method, hdrs)
        assert r.status == 403 and r.error_code() == "AccessForbidden", (origin, method, hdrs)
        assert b"This CORS request is not allowed" in r.body
        assert "access-control-allow-origin" not in r.headers
    # Missing or bad request headers: 400.
    assert call(server, "OPTIONS", target, [("Access-Control-Request-Method", "GET")]).status == 400
    assert call(server, "OPTIONS", target, [("Origin", APP)]).status == 400
    r = preflight(server, target, APP, "PATCH")
    assert r.status == 400 and r.error_code() == "BadRequest"


def test_actual_requests_carry_the_headers_errors_included(server, s3, bucket):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=rules(
        rule(["GET", "PUT", "HEAD"], [APP], ExposeHeaders=["ETag", "x-amz-request-id"])))
    s3.put_object(Bucket=bucket, Key="doc.txt", Body=b"hello")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "doc.txt"})
    target = url[len(server.endpoint):]
    r = call(server, "GET", target, [("Origin", APP)])
    assert r.status == 200 and r.body == b"hello"
    assert r.headers["access-control-allow-origin"] == APP
    assert r.headers["access-control-expose-headers"] == "ETag, x-amz-request-id"
    assert r.headers["access-control-allow-credentials"] == "true"
    assert "Origin" in r.headers["vary"]
    # A 404 (presigned GET of a missing key) and a 403 (no credentials) carry them too.
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "none"})
    r = call(server, "GET", url[len(server.endpoint):], [("Origin", APP)])
    assert r.status == 404 and r.headers["access-control-allow-origin"] == APP
    r = call(server, "GET", f"/{bucket}/doc.txt", [("Origin", APP)])
    assert r.status == 403 and r.headers["access-control-allow-origin"] == APP
    # A presigned PUT through its body.
    url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "up.txt"})
    r = http_request(server.host, server.port, "PUT", url[len(server.endpoint):],
                     [("Host", f"{server.host}:{server.port}"), ("Origin", APP)], b"uploaded")
    assert r.status == 200 and r.headers["access-control-allow-origin"] == APP
    assert r.headers["etag"]
    # Another origin: no Access-Control-*, but Vary (the answer depends on the Origin).
    r = call(server, "GET", target, [("Origin", "https://evil.example")])
    assert r.status == 200 and "access-control-allow-origin" not in r.headers
    assert "Origin" in r.headers["vary"]
    # No Origin: nothing CORS.
    r = call(server, "GET", target)
    assert "access-control-allow-origin" not in r.headers and "vary" not in r.headers


def test_hostile_cors_documents_over_raw_http(raw, s3, bucket):
    good = (b"<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>"
            b"<AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>")
    # Content-MD5 is required, and must match.
    r = raw.request("PUT", f"/{bucket}?cors", body=good)
    assert r.status == 400 and r.error_code() == "InvalidRequest"
    r = raw.request("PUT", f"/{bucket}?cors", {"Content-MD5": md5_b64(b"x")}, good)
    assert r.status == 400 and r.error_code() == "BadDigest"
    cases = [
        b"<CORSConfiguration><CORSRule>",                                  # truncated
        b"not xml at all",
        b"<CORSConfiguration/>",                                           # no rule
        b"<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule>"
        b"</CORSConfiguration>",                                           # no method
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
        b"<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>&e;"
        b"</AllowedOrigin></CORSRule></CORSConfiguration>",                 # external entity
        b"<CORSConfiguration>" + b"<CORSRule>" * 5000,                       # deep
        b"<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>"
        # Over the 64 KiB cap, but within what the server drains after an early answer: a
        # larger body is cut off by closing the connection, and a client still sending it
        # may see EPIPE before it reads the 400.
        + b"a" * (96 << 10) + b"</AllowedOrigin></CORSRule></CORSConfiguration>",  # 96 KiB
    ]
    for body in cases:
        r = raw.request("PUT", f"/{bucket}?cors", {"Content-MD5": md5_b64(body)}, body)
        assert r.status == 400 and r.error_code() == "MalformedXML", (body[:80], r)
        with pytest.raises(botocore.exceptions.ClientError):
            s3.get_bucket_cors(Bucket=bucket)
    r = raw.request("PUT", f"/{bucket}?cors", {"Content-MD5": md5_b64(good)}, good)
    assert r.status == 200
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"] == [rule(["GET"], ["*"])]


def test_rules_survive_restart_and_go_with_the_bucket(server_factory):
    srv = server_factory.start()
    c = srv.client()
    name = unique_bucket_name("cors")
    c.create_bucket(Bucket=name)
    c.put_bucket_cors(Bucket=name, CORSConfiguration=rules(rule(["GET"], [APP])))
    srv.stop()
    srv.start()
    c = srv.client()
    assert c.get_bucket_cors(Bucket=name)["CORSRules"] == [rule(["GET"], [APP])]
    assert preflight(srv, f"/{name}/k", APP, "GET").status == 200
    c.delete_bucket(Bucket=name)
    c.create_bucket(Bucket=name)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        c.get_bucket_cors(Bucket=name)
    assert err_code(e.value) == "NoSuchCORSConfiguration"
    assert preflight(srv, f"/{name}/k", APP, "GET").status == 403
    empty_and_delete_bucket(c, name)
    srv.stop()


def test_server_wide_default(server_factory):
    srv = server_factory.start(env={"MAXIOFS_SERVER_CORS_ALLOWED_ORIGINS":
                                    "http://localhost:*,https://app.example"})
    c = srv.client()
    name = unique_bucket_name("cors")
    c.create_bucket(Bucket=name)
    r = preflight(srv, f"/{name}/k", "http://localhost:5173", "DELETE", "authorization, x-amz-date")
    assert r.status == 200, r
    assert r.headers["access-control-allow-methods"] == "GET, PUT, POST, DELETE, HEAD"
    assert r.headers["access-control-allow-headers"] == "authorization, x-amz-date"
    assert "ETag" in r.headers["access-control-expose-headers"]
    # The service (ListBuckets) too.
    assert preflight(srv, "/", APP, "GET").status == 200
    r = call(srv, "GET", "/", [("Origin", APP)])
    assert r.status == 403 and r.headers["access-control-allow-origin"] == APP
    assert preflight(srv, f"/{name}/k", "https://evil.example", "GET").status == 403
    # A bucket's own rules replace the default; the default is never reported as its rules.
    with pytest.raises(botocore.exceptions.ClientError):
        c.get_bucket_cors(Bucket=name)
    c.put_bucket_cors(Bucket=name, CORSConfiguration=rules(rule(["GET"], ["https://only.example"])))
    assert preflight(srv, f"/{name}/k", APP, "GET").status == 403
    empty_and_delete_bucket(c, name)
    srv.stop()


def test_bad_default_origin_refuses_to_start(maxiofs_bin, tmp_dir):
    p = subprocess.run([maxiofs_bin, "server", "--data-dir", os.path.join(tmp_dir, "d"),
                        "--listen", "127.0.0.1:0", "--console-listen", "127.0.0.1:0",
                        "--server-cors-allowed-origins", "https://*.*.example"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode != 0
    assert "server.cors_allowed_origins" in p.stdout + p.stderr
