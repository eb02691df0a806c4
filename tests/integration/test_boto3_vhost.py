# Virtual-host-style addressing: raw SigV4-signed requests (botocore S3SigV4Auth + AWSRequest)
# sent with Host: <bucket>.<domain>:<port> to a server started with a virtual-host domain.
import uuid

import pytest

from s3util import S3NS, S3Raw, det_bytes, encode_key

DOMAIN = "s3.maxiofs.test"


@pytest.fixture(scope="module")
def vhost_server(server_factory):
    # Every config key has an environment variable (DESIGN.md); server.virtual_host_domains has
    # no command-line flag, so the domain is given as MAXIOFS_SERVER_VIRTUAL_HOST_DOMAINS.
    return server_factory.start(env={"MAXIOFS_SERVER_VIRTUAL_HOST_DOMAINS": DOMAIN})


@pytest.fixture
def vbucket(vhost_server):
    name = f"vh-{uuid.uuid4().hex[:16]}"
    s3 = vhost_server.client()
    s3.create_bucket(Bucket=name)
    yield name
    from s3util import empty_and_delete_bucket
    empty_and_delete_bucket(s3, name)


def vhost(bucket, srv):
    return f"{bucket}.{DOMAIN}:{srv.port}"


def test_vhost_put_get_head_delete(vhost_server, vbucket):
    raw = S3Raw(vhost_server)
    host = vhost(vbucket, vhost_server)
    data = det_bytes(70_000, seed=5)
    key = "dir/ünï code.bin"
    r = raw.request("PUT", "/" + encode_key(key), body=data, host=host)
    assert r.status == 200, r
    assert r.headers.get("x-amz-request-id")
    r = raw.request("GET", "/" + encode_key(key), host=host)
    assert r.status == 200, r
    assert r.body == data
    r = raw.request("HEAD", "/" + encode_key(key), host=host)
    assert r.status == 200 and int(r.headers["content-length"]) == len(data)
    # The object is the same one path-style sees.
    assert vhost_server.client().get_object(Bucket=vbucket, Key=key)["Body"].read() == data
    r = raw.request("DELETE", "/" + encode_key(key), host=host)
    assert r.status == 204, r
    r = raw.request("GET", "/" + encode_key(key), host=host)
    assert r.status == 404 and r.error_code() == "NoSuchKey", r


def test_vhost_list_objects_and_head_bucket(vhost_server, vbucket):
    s3 = vhost_server.client()
    for k in ("a/1", "a/2", "b"):
        s3.put_object(Bucket=vbucket, Key=k, Body=b"x")
    raw = S3Raw(vhost_server)
    host = vhost(vbucket, vhost_server)
    r = raw.request("GET", "/?delimiter=%2F&list-type=2", host=host)
    assert r.status == 200, r
    root = r.xml()
    assert root.find(S3NS + "Name").text == vbucket
    assert [e.text for e in root.iter(S3NS + "Key")] == ["b"]
    assert [e.find(S3NS + "Prefix").text for e in root.iter(S3NS + "CommonPrefixes")] == ["a/"]
    r = raw.request("HEAD", "/", host=host)
    assert r.status == 200, r
    r = raw.request("GET", "/?location", host=host)
    assert r.status == 200 and r.xml().tag == S3NS + "LocationConstraint", r


def test_vhost_missing_bucket(vhost_server):
    raw = S3Raw(vhost_server)
    r = raw.request("GET", "/k", host=vhost("it-vh-missing-bucket", vhost_server))
    assert r.status == 404 and r.error_code() == "NoSuchBucket", r


def test_vhost_create_and_delete_bucket(vhost_server):
    name = f"vh-{uuid.uuid4().hex[:16]}"
    raw = S3Raw(vhost_server)
    r = raw.request("PUT", "/", host=vhost(name, vhost_server))
    assert r.status == 200, r
    assert name in [b["Name"] for b in vhost_server.client().list_buckets()["Buckets"]]
    r = raw.request("DELETE", "/", host=vhost(name, vhost_server))
    assert r.status == 204, r


def test_base_domain_host_is_service_endpoint(vhost_server, vbucket):
    raw = S3Raw(vhost_server)
    r = raw.request("GET", "/", host=f"{DOMAIN}:{vhost_server.port}")
    assert r.status == 200, r
    assert vbucket in [e.text for e in r.xml().iter(S3NS + "Name")]
    # Path-style under the base domain still works.
    r = raw.request("GET", f"/{vbucket}?list-type=2", host=f"{DOMAIN}:{vhost_server.port}")
    assert r.status == 200 and r.xml().find(S3NS + "Name").text == vbucket, r


def test_path_style_still_works_on_ip_host(vhost_server, vbucket):
    s3 = vhost_server.client()
    s3.put_object(Bucket=vbucket, Key="p", Body=b"path")
    assert s3.get_object(Bucket=vbucket, Key="p")["Body"].read() == b"path"


def test_vhost_bucket_with_dots(vhost_server):
    name = f"vh.dots.{uuid.uuid4().hex[:10]}"
    s3 = vhost_server.client()
    s3.create_bucket(Bucket=name)
    try:
        s3.put_object(Bucket=name, Key="k", Body=b"dotted")
        r = S3Raw(vhost_server).request("GET", "/k", host=vhost(name, vhost_server))
        assert r.status == 200 and r.body == b"dotted", r
    finally:
        s3.delete_object(Bucket=name, Key="k")
        s3.delete_bucket(Bucket=name)
