"""The web console's JSON API (/api/v1) against the real maxiofs binary: authentication
(no cookie, bad password, expired and logged-out sessions, CSRF, cross-origin, rate limit),
every endpoint's success and error paths, streamed upload/download with ranges, multipart,
versions, object lock, share links checked against the S3 API, and asset traversal.

Run alone: /usr/bin/python3 -m pytest -q tests/integration/test_console_api.py --maxiofs-bin build/maxiofs
"""
import hashlib
import json
import os
import re
import time
import urllib.parse
import uuid

import pytest
import requests

CONSOLE_RE = re.compile(r"web console listening on http://(?P<host>[^\s]+):(?P<port>\d+)")


def console_url(srv):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with open(srv.log_path, "rb") as f:
            m = CONSOLE_RE.search(f.read().decode("utf-8", "replace"))
        if m:
            host = m.group("host")
            return f"http://127.0.0.1:{m.group('port')}" if host in ("0.0.0.0", "::", "[::]") \
                else f"http://{host}:{m.group('port')}"
        time.sleep(0.05)
    raise AssertionError("no console line in the log:\n" + srv.log_tail())


class Console:
    """A logged-in (or not) browser-like client of the console API."""

    def __init__(self, base):
        self.base = base
        self.http = requests.Session()
        self.csrf = ""

    def url(self, path):
        return self.base + "/api/v1" + path

    def login(self, access_key, secret_key):
        r = self.http.post(self.url("/auth/login"), json={"accessKey": access_key,
                                                          "secretKey": secret_key}, timeout=10)
        if r.status_code == 200:
            self.csrf = r.json()["csrfToken"]
        return r

    def get(self, path, **kw):
        return self.http.get(self.url(path), timeout=30, **kw)

    def send(self, method, path, json=None, data=None, headers=None, csrf=True, **kw):
        h = dict(headers or {})
        if csrf:
            h["X-CSRF-Token"] = self.csrf
        return self.http.request(method, self.url(path), json=json, data=data, headers=h,
                                 timeout=60, **kw)


@pytest.fixture(scope="module")
def base(server):
    return console_url(server)


@pytest.fixture
def ui(server, base):
    c = Console(base)
    r = c.login(server.access_key, server.secret_key)
    assert r.status_code == 200, r.text
    return c


def new_bucket(ui, **opts):
    name = "cb-" + uuid.uuid4().hex[:16]
    r = ui.send("POST", "/buckets", json={"name": name, **opts})
    assert r.status_code == 201, r.text
    return name


def q(**params):
    return "?" + urllib.parse.urlencode(params)


def error_code(r):
    return r.json()["error"]["code"]


# --- authentication ------------------------------------------------------------------------

ROUTES = [
    ("GET", "/auth/me"), ("POST", "/auth/logout"), ("GET", "/system/info"),
    ("GET", "/system/stats"), ("GET", "/system/config"), ("GET", "/buckets"),
    ("POST", "/buckets"), ("GET", "/buckets/x"), ("DELETE", "/buckets/x?confirm=x"),
    ("PUT", "/buckets/x/versioning"), ("PUT", "/buckets/x/object-lock"),
    ("GET", "/buckets/x/objects"), ("GET", "/buckets/x/object?key=k"),
    ("DELETE", "/buckets/x/object?key=k"), ("POST", "/buckets/x/delete"),
    ("POST", "/buckets/x/folders"), ("POST", "/buckets/x/rename"),
    ("PUT", "/buckets/x/upload?key=k"), ("GET", "/buckets/x/download?key=k"),
    ("POST", "/buckets/x/multipart?key=k"), ("PUT", "/buckets/x/multipart/part?key=k"),
    ("POST", "/buckets/x/multipart/complete?key=k"), ("DELETE", "/buckets/x/multipart?key=k"),
    ("GET", "/buckets/x/versions?key=k"), ("POST", "/buckets/x/restore"),
    ("PUT", "/buckets/x/retention"), ("PUT", "/buckets/x/legal-hold"),
    ("POST", "/buckets/x/share"), ("GET", "/no/such/route"),
]


@pytest.mark.parametrize("method,path", ROUTES)
def test_every_route_refuses_unauthenticated_calls(base, method, path):
    r = requests.request(method, base + "/api/v1" + path, data=b"{}", timeout=10)
    assert r.status_code == 401
    assert r.headers["Content-Type"] == "application/json"
    assert error_code(r) == "Unauthenticated"


def test_bad_password_is_401_and_sets_no_cookie(server, base):
    c = Console(base)
    r = c.login(server.access_key, "wrong-" + server.secret_key)
    assert r.status_code == 401
    assert error_code(r) == "InvalidCredentials"
    assert "set-cookie" not in r.headers
    assert c.get("/buckets").status_code == 401


def test_login_cookie_is_httponly_strict(server, base):
    c = Console(base)
    r = c.login(server.access_key, server.secret_key)
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("maxiofs_session=")
    for attr in ("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=3600"):
        assert attr in cookie
    assert server.secret_key not in r.text
    me = c.get("/auth/me")
    assert me.status_code == 200 and me.json()["user"] == server.access_key
    assert me.json()["csrfToken"] == c.csrf


def test_forged_and_tampered_tokens_are_401(server, base):
    c = Console(base)
    c.login(server.access_key, server.secret_key)
    token = c.http.cookies["maxiofs_session"]
    head, payload, sig = token.split(".")
    for bad in (head + "." + payload + ".", head + "." + payload[:-2] + "AA." + sig, "garbage"):
        r = requests.get(base + "/api/v1/buckets", cookies={"maxiofs_session": bad}, timeout=10)
        assert r.status_code == 401, bad


def test_logout_ends_the_session(server, base):
    c = Console(base)
    c.login(server.access_key, server.secret_key)
    token = c.http.cookies["maxiofs_session"]
    assert c.send("POST", "/auth/logout").status_code == 200
    r = requests.get(base + "/api/v1/auth/me", cookies={"maxiofs_session": token}, timeout=10)
    assert r.status_code == 401
    assert r.json()["error"]["message"] == "session logged out"


def _jwt(secret, claims):
    import base64
    import hmac
    import json

    def b64(raw):
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    sig = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(sig)}"


def test_expired_session_is_refused(server, base):
    # The generated secret sits in the data dir (0600); a token it signs is valid but for exp.
    path = os.path.join(server.data_dir, "console.secret")
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    secret = open(path).read().strip()
    now = int(time.time())
    claims = {"sub": server.access_key, "knd": "root", "iat": now - 7200, "exp": now - 3600,
              "jti": "x" * 32, "csrf": "c" * 32}
    r = requests.get(base + "/api/v1/buckets", cookies={"maxiofs_session": _jwt(secret, claims)},
                     timeout=10)
    assert r.status_code == 401 and r.json()["error"]["message"] == "session expired"
    claims["exp"] = now + 3600  # the same token unexpired is accepted: the test is sound
    r = requests.get(base + "/api/v1/buckets", cookies={"maxiofs_session": _jwt(secret, claims)},
                     timeout=10)
    assert r.status_code == 200


def test_session_ttl_is_configurable(server_factory):
    srv = server_factory.start(env={"MAXIOFS_CONSOLE_SESSION_TTL": "60"})
    c = Console(console_url(srv))
    r = c.login(srv.access_key, srv.secret_key)
    assert r.status_code == 200 and "Max-Age=60;" in r.headers["Set-Cookie"]


def test_state_changes_need_csrf_token(ui):
    name = "cb-" + uuid.uuid4().hex[:16]
    r = ui.send("POST", "/buckets", json={"name": name}, csrf=False)
    assert r.status_code == 403 and error_code(r) == "InvalidCsrfToken"
    r = ui.send("POST", "/buckets", json={"name": name}, headers={"X-CSRF-Token": "0" * 32},
                csrf=False)
    assert r.status_code == 403
    r = ui.send("POST", "/buckets", json={"name": name}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and error_code(r) == "CrossOriginRequest"
    assert ui.get(f"/buckets/{name}").status_code == 404  # nothing was created


def test_failed_logins_are_rate_limited(server_factory):
    srv = server_factory.start()
    c = Console(console_url(srv))
    codes = [c.login(srv.access_key, "nope").status_code for _ in range(5)]
    assert codes == [401] * 5
    r = c.login(srv.access_key, srv.secret_key)  # even the right password waits now
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) >= 1


def test_login_needs_json(server, base):
    r = requests.post(base + "/api/v1/auth/login",
                      data={"accessKey": server.access_key, "secretKey": server.secret_key},
                      timeout=10)
    assert r.status_code == 415


# --- system --------------------------------------------------------------------------------

def test_info_stats_config(ui, server):
    info = ui.get("/system/info").json()
    assert info["version"] and info["uptimeSeconds"] >= 0
    assert info["disk"]["totalBytes"] >= info["disk"]["freeBytes"] > 0
    assert info["s3Port"] == server.port
    stats = ui.get("/system/stats?step=10").json()
    assert stats["stepSeconds"] == 10 and len(stats["series"]) == 90
    assert stats["totals"]["requests"] > 0  # at least the login and this session's calls
    assert ui.get("/system/stats?step=0").status_code == 400
    assert ui.get("/system/stats?step=abc").status_code == 400
    entries = {e["key"]: e["value"] for e in ui.get("/system/config").json()["entries"]}
    assert entries["auth.secret_key"] == "<hidden>"
    assert entries["console.session_secret"] == "<hidden>"
    assert entries["auth.access_key"] == server.access_key
    assert server.secret_key not in str(entries)


# --- buckets -------------------------------------------------------------------------------

def test_bucket_lifecycle(ui, s3):
    name = new_bucket(ui, versioning=True)
    listed = {b["name"]: b for b in ui.get("/buckets").json()["buckets"]}
    assert listed[name]["versioning"] == "Enabled"
    assert name in [b["name"] for b in ui.get(f"/buckets{q(search=name[3:9])}").json()["buckets"]]
    assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled"  # same engine
    assert ui.send("PUT", f"/buckets/{name}/versioning", json={"status": "Suspended"}).status_code == 200
    assert ui.get(f"/buckets/{name}").json()["versioning"] == "Suspended"
    assert ui.send("PUT", f"/buckets/{name}/versioning", json={"status": "On"}).status_code == 400
    r = ui.send("POST", "/buckets", json={"name": name})
    assert r.status_code == 409 and error_code(r) == "BucketAlreadyExists"
    r = ui.send("DELETE", f"/buckets/{name}")
    assert r.status_code == 400 and error_code(r) == "ConfirmationRequired"
    assert ui.send("DELETE", f"/buckets/{name}{q(confirm=name)}").status_code == 200
    assert ui.get(f"/buckets/{name}").status_code == 404
    r = ui.send("DELETE", f"/buckets/{name}{q(confirm=name)}")
    assert r.status_code == 404 and error_code(r) == "NoSuchBucket"


def test_bucket_create_errors(ui):
    assert error_code(ui.send("POST", "/buckets", json={"name": "Bad_Name"})) == "InvalidBucketName"
    assert ui.send("POST", "/buckets", json={}).status_code == 400
    assert ui.send("POST", "/buckets", data="{oops", headers={"Content-Type": "application/json"}).status_code == 400
    assert ui.send("POST", "/buckets", json={"name": "cb-x" + uuid.uuid4().hex[:8],
                                             "objectLock": "yes"}).status_code == 400
    r = ui.send("POST", "/buckets", json={"name": "cb-" + uuid.uuid4().hex[:8],
                                          "retention": {"mode": "GOVERNANCE", "days": 1}})
    assert r.status_code == 400  # a default retention needs object lock


def test_bucket_not_empty(ui):
    name = new_bucket(ui)
    assert ui.send("PUT", f"/buckets/{name}/upload{q(key='a')}", data=b"x").status_code == 201
    r = ui.send("DELETE", f"/buckets/{name}{q(confirm=name)}")
    assert r.status_code == 409 and error_code(r) == "BucketNotEmpty"


def test_object_lock_bucket_and_default_retention(ui, s3):
    name = new_bucket(ui, objectLock=True, retention={"mode": "GOVERNANCE", "days": 1})
    b = ui.get(f"/buckets/{name}").json()
    assert b["objectLock"] and b["versioning"] == "Enabled"
    assert b["objectLockConfig"]["defaultRetention"] == {"mode": "GOVERNANCE", "days": 1, "years": 0}
    assert ui.send("PUT", f"/buckets/{name}/object-lock", json={"mode": "COMPLIANCE", "years": 1}).status_code == 200
    cfg = s3.get_object_lock_configuration(Bucket=name)["ObjectLockConfiguration"]
    assert cfg["Rule"]["DefaultRetention"] == {"Mode": "COMPLIANCE", "Years": 1}
    assert ui.send("PUT", f"/buckets/{name}/object-lock", json={"mode": "COMPLIANCE", "days": 1, "years": 1}).status_code == 400
    assert ui.send("PUT", f"/buckets/{name}/object-lock", json={"mode": "FOREVER", "days": 1}).status_code == 400
    plain = new_bucket(ui)
    assert ui.send("PUT", f"/buckets/{plain}/versioning", json={"status": "Enabled"}).status_code == 200
    r = ui.send("PUT", f"/buckets/{name}/versioning", json={"status": "Suspended"})
    assert r.status_code == 409 and error_code(r) == "InvalidBucketState"


# --- objects -------------------------------------------------------------------------------

def test_upload_download_range_and_details(ui, s3):
    name = new_bucket(ui)
    body = os.urandom(3 * 1024 * 1024 + 17)
    r = ui.send("PUT", f"/buckets/{name}/upload{q(key='dir/ü file.bin')}", data=body,
                headers={"Content-Type": "application/x-test"})
    assert r.status_code == 201, r.text
    assert r.json()["etag"] == hashlib.md5(body).hexdigest()
    got = ui.get(f"/buckets/{name}/download{q(key='dir/ü file.bin')}")
    assert got.status_code == 200 and got.content == body
    assert got.headers["Content-Type"] == "application/x-test"
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%C3%BC%20file.bin" in got.headers["Content-Disposition"]
    part = ui.get(f"/buckets/{name}/download{q(key='dir/ü file.bin')}", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == body[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(body)}"
    tail = ui.get(f"/buckets/{name}/download{q(key='dir/ü file.bin')}", headers={"Range": "bytes=-10"})
    assert tail.content == body[-10:]
    bad = ui.get(f"/buckets/{name}/download{q(key='dir/ü file.bin')}", headers={"Range": f"bytes={len(body)}-"})
    assert bad.status_code == 416
    # Same bytes through S3: one engine.
    assert s3.get_object(Bucket=name, Key="dir/ü file.bin")["Body"].read() == body
    d = ui.get(f"/buckets/{name}/object{q(key='dir/ü file.bin')}").json()
    assert d["size"] == len(body) and d["contentType"] == "application/x-test"
    assert ui.get(f"/buckets/{name}/object{q(key='nope')}").status_code == 404
    assert error_code(ui.get(f"/buckets/{name}/download{q(key='nope')}")) == "NoSuchKey"
    assert ui.get(f"/buckets/nope-{uuid.uuid4().hex[:6]}/download{q(key='x')}").status_code == 404


def test_inline_preview_never_serves_active_content(ui):
    name = new_bucket(ui)
    ui.send("PUT", f"/buckets/{name}/upload{q(key='x.html')}", data=b"<script>alert(1)</script>",
            headers={"Content-Type": "text/html"})
    r = ui.get(f"/buckets/{name}/download{q(key='x.html', inline=1)}")
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert r.headers["Content-Disposition"].startswith("inline")
    assert "sandbox" in r.headers["Content-Security-Policy"]
    ui.send("PUT", f"/buckets/{name}/upload{q(key='x.svg')}", data=b"<svg/>",
            headers={"Content-Type": "image/svg+xml"})
    r = ui.get(f"/buckets/{name}/download{q(key='x.svg', inline=1)}")
    assert r.headers["Content-Type"] == "application/octet-stream"


def test_upload_errors_change_nothing(ui, s3):
    name = new_bucket(ui)
    r = ui.send("PUT", f"/buckets/{name}/upload", data=b"x")  # no key
    assert r.status_code == 400 and error_code(r) == "InvalidKey"
    r = ui.send("PUT", f"/buckets/nope-{uuid.uuid4().hex[:6]}/upload{q(key='k')}", data=b"x")
    assert r.status_code == 404
    r = ui.send("PUT", f"/buckets/{name}/upload{q(key='k')}", data=b"x", csrf=False)
    assert r.status_code == 403
    assert s3.list_objects_v2(Bucket=name)["KeyCount"] == 0


def test_listing_folders_pagination(ui):
    name = new_bucket(ui)
    for k in ["a.txt", "b.txt", "c.txt", "docs/1", "docs/2", "img/x"]:
        assert ui.send("PUT", f"/buckets/{name}/upload{q(key=k)}", data=k.encode()).status_code == 201
    page = ui.get(f"/buckets/{name}/objects{q(limit=2)}").json()
    assert [o["key"] for o in page["objects"]] == ["a.txt", "b.txt"] and page["truncated"]
    page2 = ui.get(f"/buckets/{name}/objects{q(limit=10, startAfter=page['nextStartAfter'])}").json()
    assert [o["key"] for o in page2["objects"]] == ["c.txt"]
    assert page2["prefixes"] == ["docs/", "img/"] and not page2["truncated"]
    inside = ui.get(f"/buckets/{name}/objects{q(prefix='docs/')}").json()
    assert [o["key"] for o in inside["objects"]] == ["docs/1", "docs/2"]
    assert ui.get(f"/buckets/{name}/objects{q(limit=1001)}").status_code == 400


def test_folders_rename_and_delete_many(ui, s3):
    name = new_bucket(ui)
    assert ui.send("POST", f"/buckets/{name}/folders", json={"prefix": "new"}).status_code == 201
    assert s3.head_object(Bucket=name, Key="new/")["ContentLength"] == 0
    assert ui.send("POST", f"/buckets/{name}/folders", json={}).status_code == 400
    for k in ["f/a", "f/b", "g"]:
        ui.send("PUT", f"/buckets/{name}/upload{q(key=k)}", data=b"1")
    r = ui.send("POST", f"/buckets/{name}/rename", json={"from": "g", "to": "h"})
    assert r.status_code == 200 and r.json()["moved"] == 1
    r = ui.send("POST", f"/buckets/{name}/rename", json={"from": "g", "to": "i"})
    assert r.status_code == 404
    ui.send("PUT", f"/buckets/{name}/upload{q(key='j')}", data=b"2")
    r = ui.send("POST", f"/buckets/{name}/rename", json={"from": "h", "to": "j"})
    assert r.status_code == 412  # no silent overwrite
    r = ui.send("POST", f"/buckets/{name}/rename", json={"from": "f/", "to": "moved/"})
    assert r.status_code == 200 and r.json()["moved"] == 2
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=name)["Contents"])
    assert keys == ["h", "j", "moved/a", "moved/b", "new/"]
    r = ui.send("POST", f"/buckets/{name}/delete", json={"keys": ["h", "j"], "prefixes": ["moved/"]})
    assert r.status_code == 200 and sorted(r.json()["deleted"]) == ["h", "j", "moved/a", "moved/b"]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=name)["Contents"]] == ["new/"]
    assert ui.send("POST", f"/buckets/{name}/delete", json={"keys": "h"}).status_code == 400
    r = ui.send("DELETE", f"/buckets/{name}/object{q(key='new/')}")
    assert r.status_code == 200 and r.json()["existed"]


def test_root_folder_move_obeys_a_bucket_policy_deny(ui, s3):
    # A bucket policy's explicit Deny binds root, also when the console moves a whole folder
    # (it used to skip the per-object checks for root).
    name = new_bucket(ui)
    for k in ["f/a", "f/locked/b"]:
        ui.send("PUT", f"/buckets/{name}/upload{q(key=k)}", data=b"1")
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
         "Resource": f"arn:aws:s3:::{name}/f/locked/*"}]}))
    try:
        r = ui.send("POST", f"/buckets/{name}/rename", json={"from": "f/", "to": "g/"})
        assert r.status_code == 403, r.text
        assert r.json()["error"]["code"] == "AccessDenied"
        keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=name)["Contents"])
        assert keys == ["f/a", "f/locked/b"]  # nothing moved
    finally:
        s3.delete_bucket_policy(Bucket=name)
    r = ui.send("POST", f"/buckets/{name}/rename", json={"from": "f/", "to": "g/"})
    assert r.status_code == 200 and r.json()["moved"] == 2


def test_multipart_upload(ui, s3):
    name = new_bucket(ui)
    r = ui.send("POST", f"/buckets/{name}/multipart{q(key='big', contentType='video/mp4')}")
    assert r.status_code == 201
    upload_id = r.json()["uploadId"]
    p1, p2 = os.urandom(5 * 1024 * 1024), os.urandom(1234)
    parts = []
    for n, data in ((1, p1), (2, p2)):
        r = ui.send("PUT", f"/buckets/{name}/multipart/part{q(key='big', uploadId=upload_id, partNumber=n)}", data=data)
        assert r.status_code == 200, r.text
        parts.append({"partNumber": n, "etag": r.json()["etag"]})
    assert ui.send("PUT", f"/buckets/{name}/multipart/part{q(key='big', uploadId=upload_id, partNumber=0)}", data=b"x").status_code == 400
    assert ui.send("POST", f"/buckets/{name}/multipart/complete{q(key='big', uploadId=upload_id)}", json={"parts": []}).status_code == 400
    r = ui.send("POST", f"/buckets/{name}/multipart/complete{q(key='big', uploadId=upload_id)}", json={"parts": parts})
    assert r.status_code == 201, r.text
    assert r.json()["etag"].endswith("-2")
    obj = s3.get_object(Bucket=name, Key="big")
    assert obj["Body"].read() == p1 + p2 and obj["ContentType"] == "video/mp4"
    # Abort: the parts go, the upload is gone.
    upload_id = ui.send("POST", f"/buckets/{name}/multipart{q(key='gone')}").json()["uploadId"]
    assert ui.send("DELETE", f"/buckets/{name}/multipart{q(key='gone', uploadId=upload_id)}").status_code == 200
    r = ui.send("DELETE", f"/buckets/{name}/multipart{q(key='gone', uploadId=upload_id)}")
    assert r.status_code == 404 and error_code(r) == "NoSuchUpload"


# --- versions, lock, share -------------------------------------------------------------------

def test_versions_restore_and_delete_version(ui, s3):
    name = new_bucket(ui, versioning=True)
    for body in (b"v1", b"v2", b"v3"):
        ui.send("PUT", f"/buckets/{name}/upload{q(key='doc')}", data=body)
    versions = ui.get(f"/buckets/{name}/versions{q(key='doc')}").json()["versions"]
    assert len(versions) == 3 and versions[0]["isLatest"]
    oldest = versions[-1]["versionId"]
    got = ui.get(f"/buckets/{name}/download{q(key='doc', versionId=oldest)}")
    assert got.content == b"v1"
    r = ui.send("POST", f"/buckets/{name}/restore", json={"key": "doc", "versionId": oldest})
    assert r.status_code == 200
    assert s3.get_object(Bucket=name, Key="doc")["Body"].read() == b"v1"
    assert len(ui.get(f"/buckets/{name}/versions{q(key='doc')}").json()["versions"]) == 4
    assert ui.send("POST", f"/buckets/{name}/restore", json={"key": "doc"}).status_code == 400
    assert ui.send("POST", f"/buckets/{name}/restore", json={"key": "doc", "versionId": "0" * 32}).status_code == 404
    r = ui.send("DELETE", f"/buckets/{name}/object{q(key='doc', versionId=oldest)}")
    assert r.status_code == 200
    assert len(ui.get(f"/buckets/{name}/versions{q(key='doc')}").json()["versions"]) == 3
    r = ui.send("DELETE", f"/buckets/{name}/object{q(key='doc')}")  # a delete marker
    assert r.json()["deleteMarker"]
    assert ui.get(f"/buckets/{name}/object{q(key='doc')}").status_code == 404
    assert ui.get(f"/buckets/{name}/versions").status_code == 400


def test_legal_hold_and_retention(ui, s3):
    name = new_bucket(ui, objectLock=True)
    vid = ui.send("PUT", f"/buckets/{name}/upload{q(key='kept')}", data=b"data").json()["versionId"]
    assert ui.send("PUT", f"/buckets/{name}/legal-hold", json={"key": "kept", "versionId": vid, "on": True}).status_code == 200
    assert ui.get(f"/buckets/{name}/object{q(key='kept')}").json()["legalHold"] is True
    r = ui.send("DELETE", f"/buckets/{name}/object{q(key='kept', versionId=vid)}")
    assert r.status_code == 403 and error_code(r) == "ObjectLocked"
    assert ui.send("PUT", f"/buckets/{name}/legal-hold", json={"key": "kept", "versionId": vid, "on": False}).status_code == 200
    until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
    r = ui.send("PUT", f"/buckets/{name}/retention", json={"key": "kept", "versionId": vid, "mode": "GOVERNANCE", "retainUntil": until})
    assert r.status_code == 200, r.text
    ret = s3.get_object_retention(Bucket=name, Key="kept", VersionId=vid)["Retention"]
    assert ret["Mode"] == "GOVERNANCE"
    r = ui.send("DELETE", f"/buckets/{name}/object{q(key='kept', versionId=vid)}")
    assert r.status_code == 403
    r = ui.send("DELETE", f"/buckets/{name}/object{q(key='kept', versionId=vid, bypassGovernance='true')}")
    assert r.status_code == 200
    assert ui.send("PUT", f"/buckets/{name}/retention", json={"key": "kept", "mode": "GOVERNANCE", "retainUntil": "soon"}).status_code == 400
    assert ui.send("PUT", f"/buckets/{name}/legal-hold", json={"key": "kept", "on": "yes"}).status_code == 400
    plain = new_bucket(ui)
    ui.send("PUT", f"/buckets/{plain}/upload{q(key='k')}", data=b"1")
    r = ui.send("PUT", f"/buckets/{plain}/legal-hold", json={"key": "k", "on": True})
    assert r.status_code == 400


def test_share_link_works_through_s3(ui):
    name = new_bucket(ui)
    body = b"shared bytes " + os.urandom(100)
    ui.send("PUT", f"/buckets/{name}/upload{q(key='a b/c.txt')}", data=body)
    r = ui.send("POST", f"/buckets/{name}/share", json={"key": "a b/c.txt", "expiresSeconds": 600})
    assert r.status_code == 200, r.text
    url = r.json()["url"]
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=600" in url
    got = requests.get(url, timeout=10)  # no cookie, no credentials: the signature alone
    assert got.status_code == 200 and got.content == body
    tampered = url.replace("X-Amz-Expires=600", "X-Amz-Expires=6000")
    assert requests.get(tampered, timeout=10).status_code == 403
    assert ui.send("POST", f"/buckets/{name}/share", json={"key": "a b/c.txt", "expiresSeconds": 604801}).status_code == 400
    assert ui.send("POST", f"/buckets/{name}/share", json={"key": "missing", "expiresSeconds": 60}).status_code == 404


# --- the app's assets ---------------------------------------------------------------------------

def test_index_and_assets_are_compressed_and_cached(base):
    r = requests.get(base + "/", timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert r.headers["Content-Encoding"] == "gzip" and r.headers["Cache-Control"] == "no-cache"
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    scripts = re.findall(r'src="(/assets/[^"]+\.js)"', r.text)
    assert scripts, r.text
    js = requests.get(base + scripts[0], timeout=10)
    assert js.status_code == 200 and js.headers["Cache-Control"].endswith("immutable")
    assert js.headers["Content-Type"].startswith("text/javascript")
    etag = js.headers["ETag"]
    again = requests.get(base + scripts[0], headers={"If-None-Match": etag}, timeout=10)
    assert again.status_code == 304
    plain = requests.get(base + scripts[0], headers={"Accept-Encoding": "identity"}, timeout=10)
    assert "Content-Encoding" not in plain.headers and plain.content == js.content
    assert requests.get(base + "/buckets/some/client/route", timeout=10).text == r.text
    assert requests.get(base + "/assets/nope.js", timeout=10).status_code == 404


@pytest.mark.parametrize("path", [
    "/../../../../etc/passwd", "/assets/../../etc/passwd", "/assets/..%2f..%2f..%2fetc%2fpasswd",
    "/%2e%2e/%2e%2e/etc/passwd", "/assets/%2e%2e/%2e%2e/etc/shadow", "/..%5c..%5cetc%5cpasswd",
    "/assets/index.html%00.js", "/static/../../proc/self/environ",
])
def test_traversal_attempts_get_nothing(base, path):
    import http.client
    host, port = base[len("http://"):].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", path)  # sent verbatim, no client-side normalization
    r = conn.getresponse()
    body = r.read()
    conn.close()
    assert r.status in (400, 404), (path, r.status)
    assert b"root:" not in body and b"PATH=" not in body
