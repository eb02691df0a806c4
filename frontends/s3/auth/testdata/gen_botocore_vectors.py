#!/usr/bin/python3
"""Generates the botocore cross-check vectors pasted into sigv4_test.cc / sigv2_test.cc.

Run with Debian's python3-botocore (1.29.x): /usr/bin/python3 gen_botocore_vectors.py
The clock is pinned so the output is stable. Each vector prints the request exactly as it
goes on the wire (method, raw path, raw query, headers) and botocore's signature.
"""
import datetime
from unittest import mock
from urllib.parse import urlsplit

from botocore.auth import HmacV1Auth, HmacV1QueryAuth, S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

CREDS = Credentials("AKIDMAXIOFSTEST", "maxiofs/secret+Key/0123456789abcdefEXAMPLE")
NOW = datetime.datetime(2024, 2, 29, 23, 59, 30)  # a leap day, near midnight


def show(label, req, extra=""):
    split = urlsplit(req.url)
    print(f"== {label} {extra}")
    print(f"method={req.method}")
    print(f"path={split.path}")
    print(f"query={split.query}")
    for k, v in req.headers.items():
        print(f"header {k.lower()}: {v!r}")


def v4(label, method, url, headers, region="eu-west-3", body=b"", context=None):
    req = AWSRequest(method=method, url=url, headers=headers, data=body)
    req.context.update(context or {})
    with mock.patch("botocore.auth.datetime") as dt:
        dt.datetime.utcnow.return_value = NOW
        dt.datetime.strptime.side_effect = datetime.datetime.strptime
        S3SigV4Auth(CREDS, "s3", region).add_auth(req)
    show(label, req)


def v4_presign(label, method, url, expires, region="eu-west-3", headers=None):
    req = AWSRequest(method=method, url=url, headers=headers or {})
    with mock.patch("botocore.auth.datetime") as dt:
        dt.datetime.utcnow.return_value = NOW
        S3SigV4QueryAuth(CREDS, "s3", region, expires=expires).add_auth(req)
    show(label, req)


def v2(label, method, url, headers, auth_path=None):
    req = AWSRequest(method=method, url=url, headers=headers)
    if auth_path:
        req.auth_path = auth_path
    with mock.patch("botocore.auth.formatdate", return_value="Thu, 29 Feb 2024 23:59:30 GMT"):
        HmacV1Auth(CREDS).add_auth(req)
    show(label, req, f"auth_path={auth_path}")


def v2_query(label, method, url, expires_epoch, auth_path=None):
    req = AWSRequest(method=method, url=url, headers={})
    if auth_path:
        req.auth_path = auth_path
    with mock.patch("botocore.auth.HmacV1QueryAuth._get_date", return_value=str(expires_epoch)):
        HmacV1QueryAuth(CREDS, expires=0).add_auth(req)
    show(label, req, f"auth_path={auth_path}")


EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

v4("v4-odd-key", "PUT",
   "http://127.0.0.1:8080/bucket/dir%20a/%21%27%28%29%2A%24%26%2B%2C%3B%3D%3A%40~%C3%A9.txt",
   {"Content-Type": "text/plain", "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD",
    "X-Amz-Meta-Note": "  two   spaces  ", "Host": "127.0.0.1:8080"})
v4("v4-list-v2", "GET",
   "http://127.0.0.1:8080/bucket?list-type=2&prefix=a%2Fb%20c&delimiter=%2F&encoding-type=url",
   {"X-Amz-Content-SHA256": EMPTY, "Host": "127.0.0.1:8080"})
v4("v4-repeated-params", "GET",
   "http://127.0.0.1:8080/bucket/k?b=2&a=3&a=1&uploads",
   {"X-Amz-Content-SHA256": EMPTY, "Host": "127.0.0.1:8080"})
v4("v4-streaming", "PUT", "http://127.0.0.1:8080/bucket/big",
   {"X-Amz-Content-SHA256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": "3",
    "X-Amz-Trailer": "x-amz-checksum-crc32", "Host": "127.0.0.1:8080"})
# With a Date header, botocore signs with Date instead of X-Amz-Date.
v4("v4-date-only", "HEAD", "http://127.0.0.1:8080/bucket/k",
   {"Date": "ignored", "Host": "127.0.0.1:8080"})
# A trailing-checksum upload: botocore signs STREAMING-UNSIGNED-PAYLOAD-TRAILER.
v4("v4-unsigned-trailer", "PUT", "http://127.0.0.1:8080/bucket/up",
   {"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": "3",
    "X-Amz-Trailer": "x-amz-checksum-crc32", "Host": "127.0.0.1:8080"},
   context={"checksum": {"request_algorithm": {"in": "trailer", "algorithm": "crc32"}}})
# Streaming input with a Content-MD5 over https: botocore signs UNSIGNED-PAYLOAD.
v4("v4-unsigned-payload", "PUT", "https://127.0.0.1:8443/bucket/up",
   {"Host": "127.0.0.1:8443", "Content-MD5": "kAFQmDzST7DWlj99KOF/cg=="}, body=b"abc",
   context={"has_streaming_input": True})
v4_presign("v4-presign", "GET", "http://127.0.0.1:8080/bucket/photos/a%20b.jpg?versionId=3%2Bx",
           3600, headers={"Host": "127.0.0.1:8080"})
v2("v2-virtual-acl", "GET", "http://bucket.s3.example.com/key%20one?acl&foo=bar",
   {"X-Amz-Meta-B": " 2 ", "x-amz-meta-a": "1", "Content-Type": "text/plain"},
   auth_path="/bucket/key%20one")
v2("v2-path-response", "GET",
   "http://127.0.0.1:8080/bucket/k?response-content-type=text%2Fplain&versionId=7&list-type=2", {})
v2_query("v2-query", "GET", "http://127.0.0.1:8080/bucket/k%2Bplus", 1709251200)

# SigV2 query form on a virtual-hosted request with AWS's example credentials. (The query
# example on AWS's RESTAuthentication page, NpgCjnDzrM..., does not match its own printed
# StringToSign, so this botocore vector stands in for it.)
AWS_CREDS = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
CREDS = AWS_CREDS
v2_query("v2-query-virtual", "GET", "http://awsexamplebucket1.s3.us-west-1.amazonaws.com/photos/puppy.jpg",
         1175139620, auth_path="/awsexamplebucket1/photos/puppy.jpg")
