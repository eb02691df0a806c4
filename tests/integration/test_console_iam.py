"""The web console's identity and access API against the real maxiofs binary: users, access
keys, console passwords, groups, managed policies, policy validation, bucket policies and
public-access blocks; IAM users logging in to the console and being limited by their policies
(403 AccessDenied JSON, nothing changed); CSRF on every mutating IAM endpoint; a disabled or
deleted user's session ending at once; keys made in the console working (and limited) on S3.

Run alone: /usr/bin/python3 -m pytest -q tests/integration/test_console_iam.py --maxiofs-bin build/maxiofs
"""
import json
import urllib.parse
import uuid

import botocore.exceptions
import pytest
import requests

from s3util import boto3_client
from test_console_api import Console, console_url, error_code


def uid(prefix):
    return prefix + uuid.uuid4().hex[:10]


def policy_doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


def allow(actions, resources):
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


@pytest.fixture(scope="module")
def base(server):
    return console_url(server)


@pytest.fixture
def root(server, base):
    c = Console(base)
    r = c.http.post(c.url("/auth/login"), json={"user": server.access_key,
                                                "password": server.secret_key}, timeout=10)
    assert r.status_code == 200, r.text
    c.csrf = r.json()["csrfToken"]
    assert r.json()["kind"] == "root"
    return c


def login(base, user, password):
    c = Console(base)
    r = c.http.post(c.url("/auth/login"), json={"user": user, "password": password}, timeout=10)
    if r.status_code == 200:
        c.csrf = r.json()["csrfToken"]
    return c, r


def make_bucket(root, key="doc.txt", body=b"hello"):
    name = "ci-" + uuid.uuid4().hex[:12]
    assert root.send("POST", "/buckets", json={"name": name}).status_code == 201
    r = root.send("PUT", f"/buckets/{name}/upload?key={key}", data=body,
                  headers={"Content-Type": "text/plain"})
    assert r.status_code == 201, r.text
    return name


def make_user(root, password="pass-" + uuid.uuid4().hex[:8], policy=None):
    """A user with a console password and (optionally) a managed policy attached."""
    name = uid("u")
    r = root.send("POST", "/users", json={"name": name})
    assert r.status_code == 201, r.text
    assert r.json()["enabled"] is True and r.json()["arn"].endswith(":user/" + name)
    r = root.send("PUT", f"/users/{name}/password", json={"password": password})
    assert r.status_code == 200, r.text
    if policy is not None:
        pname = uid("p")
        r = root.send("POST", "/policies", json={"name": pname, "document": policy})
        assert r.status_code == 201, r.text
        r = root.send("PUT", f"/users/{name}/policies/{pname}")
        assert r.status_code == 200, r.text
    return name, password


def read_only(bucket):
    return policy_doc(
        allow("s3:ListAllMyBuckets", "*"),
        allow(["s3:ListBucket", "s3:GetObject"],
              [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]))


# --- login and sessions ----------------------------------------------------------------------

def test_iam_user_logs_in_with_name_and_password(root, base):
    bucket = make_bucket(root)
    name, password = make_user(root, policy=read_only(bucket))
    c, r = login(base, name, password)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"] == name and body["kind"] == "user"
    assert body["permissions"] == {"iam": False, "config": False}
    assert password not in r.text
    assert "HttpOnly" in r.headers["Set-Cookie"]
    me = c.get("/auth/me").json()
    assert me["user"] == name and me["kind"] == "user"


def test_wrong_or_unknown_user_gets_the_same_401(root, base):
    name, _ = make_user(root)
    _, wrong = login(base, name, "not-the-password")
    _, ghost = login(base, uid("ghost"), "not-the-password")
    assert wrong.status_code == ghost.status_code == 401
    assert error_code(wrong) == error_code(ghost) == "InvalidCredentials"
    assert wrong.json()["error"]["message"] == ghost.json()["error"]["message"]
    assert "set-cookie" not in wrong.headers


def test_user_without_password_cannot_log_in(root, base):
    name = uid("u")
    assert root.send("POST", "/users", json={"name": name}).status_code == 201
    _, r = login(base, name, "")
    assert r.status_code in (400, 401)
    _, r = login(base, name, "anything-long")
    assert r.status_code == 401


def test_disabled_then_deleted_user_session_stops_at_once(root, base):
    bucket = make_bucket(root)
    name, password = make_user(root, policy=read_only(bucket))
    c, r = login(base, name, password)
    assert r.status_code == 200
    assert c.get(f"/buckets/{bucket}/objects").status_code == 200
    r = root.send("PUT", f"/users/{name}/enabled", json={"enabled": False})
    assert r.status_code == 200 and r.json()["enabled"] is False
    r = c.get(f"/buckets/{bucket}/objects")
    assert r.status_code == 401 and error_code(r) == "Unauthenticated"
    _, again = login(base, name, password)
    assert again.status_code == 401
    assert root.send("PUT", f"/users/{name}/enabled", json={"enabled": True}).status_code == 200
    c, r = login(base, name, password)
    assert r.status_code == 200
    assert root.send("DELETE", f"/users/{name}?force=1").status_code == 200
    assert c.get("/auth/me").status_code == 401


def test_removing_the_password_ends_console_sessions(root, base):
    name, password = make_user(root)
    c, r = login(base, name, password)
    assert r.status_code == 200
    assert root.send("DELETE", f"/users/{name}/password").status_code == 200
    assert c.get("/auth/me").status_code == 401
    assert root.get(f"/users/{name}").json()["hasPassword"] is False


def test_short_password_is_refused(root):
    name = uid("u")
    assert root.send("POST", "/users", json={"name": name}).status_code == 201
    r = root.send("PUT", f"/users/{name}/password", json={"password": "short"})
    assert r.status_code == 400 and error_code(r) == "InvalidArgument"
    assert root.get(f"/users/{name}").json()["hasPassword"] is False


# --- a limited user --------------------------------------------------------------------------

def test_limited_user_gets_403_json_and_nothing_changes(root, base):
    bucket = make_bucket(root)
    name, password = make_user(root, policy=read_only(bucket))
    c, _ = login(base, name, password)
    assert bucket in [b["name"] for b in c.get("/buckets").json()["buckets"]]
    r = c.get(f"/buckets/{bucket}/download?key=doc.txt")
    assert r.status_code == 200 and r.content == b"hello"
    denied = [
        c.send("PUT", f"/buckets/{bucket}/upload?key=new.txt", data=b"x"),
        c.send("DELETE", f"/buckets/{bucket}/object?key=doc.txt"),
        c.send("POST", "/buckets", json={"name": "ci-" + uuid.uuid4().hex[:12]}),
        c.send("PUT", f"/buckets/{bucket}/versioning", json={"status": "Enabled"}),
        c.send("POST", f"/buckets/{bucket}/folders", json={"prefix": "f/"}),
        c.send("POST", f"/buckets/{bucket}/rename", json={"from": "doc.txt", "to": "moved.txt"}),
        c.send("DELETE", f"/buckets/{bucket}?confirm={bucket}"),
        c.get("/users"), c.get("/groups"), c.get("/policies"),
        c.send("POST", "/users", json={"name": uid("evil")}),
        c.send("POST", "/policies", json={"name": uid("p"), "document": read_only("*")}),
        c.get(f"/buckets/{bucket}/policy"),
        c.send("PUT", f"/buckets/{bucket}/public-access-block", json={}),
        c.get("/system/config"),
    ]
    for r in denied:
        assert r.status_code == 403, (r.request.method, r.request.url, r.text)
        assert r.headers["Content-Type"] == "application/json"
        assert error_code(r) == "AccessDenied", r.text
        assert r.json()["error"]["message"]
    # Deleting several: each denied key is an error of its own.
    r = c.send("POST", f"/buckets/{bucket}/delete", json={"keys": ["doc.txt"]})
    assert r.status_code == 200 and r.json()["errors"][0]["code"] == "AccessDenied"
    listing = root.get(f"/buckets/{bucket}/objects").json()
    assert [o["key"] for o in listing["objects"]] == ["doc.txt"]
    assert root.get(f"/buckets/{bucket}").json()["versioning"] == "Unversioned"
    assert not [u for u in root.get("/users").json()["users"] if u["name"].startswith("evil")]


def test_deny_in_a_group_beats_allow_on_the_user(root, base):
    bucket = make_bucket(root)
    name, password = make_user(root, policy=read_only(bucket))
    group = uid("g")
    assert root.send("POST", "/groups", json={"name": group}).status_code == 201
    pname = uid("deny")
    deny = policy_doc({"Effect": "Deny", "Action": "s3:GetObject",
                       "Resource": f"arn:aws:s3:::{bucket}/*"})
    assert root.send("POST", "/policies", json={"name": pname, "document": deny}).status_code == 201
    r = root.send("PUT", f"/groups/{group}/policies/{pname}")
    assert r.status_code == 200 and r.json()["policies"] == [pname]
    c, _ = login(base, name, password)
    assert c.get(f"/buckets/{bucket}/download?key=doc.txt").status_code == 200
    r = root.send("PUT", f"/groups/{group}/members/{name}")
    assert r.status_code == 200 and r.json()["members"] == [name]
    r = c.get(f"/buckets/{bucket}/download?key=doc.txt")
    assert r.status_code == 403 and error_code(r) == "AccessDenied"
    assert c.get(f"/buckets/{bucket}/objects").status_code == 200  # listing is still allowed
    assert root.send("DELETE", f"/groups/{group}/members/{name}").status_code == 200
    assert c.get(f"/buckets/{bucket}/download?key=doc.txt").status_code == 200


def test_prefix_limited_user_lists_only_its_prefix(root, base):
    bucket = make_bucket(root)
    for key in ("home/a.txt", "other/b.txt"):
        root.send("PUT", f"/buckets/{bucket}/upload?key={urllib.parse.quote(key)}", data=b"x")
    policy = policy_doc(
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}",
         "Condition": {"StringLike": {"s3:prefix": ["home/*", "home/"]}}},
        allow(["s3:GetObject", "s3:PutObject"], f"arn:aws:s3:::{bucket}/home/*"))
    name, password = make_user(root, policy=policy)
    c, _ = login(base, name, password)
    r = c.get(f"/buckets/{bucket}/objects?prefix=home/")
    assert r.status_code == 200 and [o["key"] for o in r.json()["objects"]] == ["home/a.txt"]
    assert c.get(f"/buckets/{bucket}/objects?prefix=other/").status_code == 403
    assert c.get(f"/buckets/{bucket}/objects").status_code == 403
    assert c.send("PUT", f"/buckets/{bucket}/upload?key=home/c.txt", data=b"y").status_code == 201
    assert c.send("PUT", f"/buckets/{bucket}/upload?key=other/c.txt", data=b"y").status_code == 403


# --- CSRF and authentication on the IAM routes ----------------------------------------------

MUTATING = [
    ("POST", "/users", {"name": "csrfuser"}),
    ("PUT", "/users/{u}/enabled", {"enabled": False}),
    ("DELETE", "/users/{u}?force=1", None),
    ("POST", "/users/{u}/keys", None),
    ("PUT", "/users/{u}/password", {"password": "another-pass-1"}),
    ("DELETE", "/users/{u}/password", None),
    ("PUT", "/users/{u}/policies/{p}", None),
    ("POST", "/groups", {"name": "csrfgroup"}),
    ("PUT", "/groups/{g}/members/{u}", None),
    ("DELETE", "/groups/{g}?force=1", None),
    ("POST", "/policies", {"name": "csrfpolicy", "document": read_only("x")}),
    ("PUT", "/policies/{p}", {"document": read_only("y")}),
    ("DELETE", "/policies/{p}", None),
    ("POST", "/policies/validate", {"document": "{}"}),
    ("PUT", "/buckets/{b}/policy", {"document": "{}"}),
    ("DELETE", "/buckets/{b}/policy", None),
    ("PUT", "/buckets/{b}/public-access-block", {"blockPublicAcls": True}),
]


@pytest.mark.parametrize("method,path,body", MUTATING)
def test_mutating_iam_endpoints_need_csrf_and_a_session(root, base, method, path, body):
    bucket = make_bucket(root)
    user, _ = make_user(root)
    group = uid("g")
    assert root.send("POST", "/groups", json={"name": group}).status_code == 201
    pname = uid("p")
    assert root.send("POST", "/policies", json={"name": pname,
                                                "document": read_only(bucket)}).status_code == 201
    before = (root.get(f"/users/{user}").json(), root.get(f"/groups/{group}").json(),
              root.get(f"/policies/{pname}").json()["document"],
              root.get(f"/buckets/{bucket}/public-access-block").json())
    target = path.format(u=user, g=group, p=pname, b=bucket)
    r = root.send(method, target, json=body, csrf=False)
    assert r.status_code == 403 and error_code(r) == "InvalidCsrfToken", r.text
    r = requests.request(method, base + "/api/v1" + target, json=body, timeout=10)
    assert r.status_code == 401 and error_code(r) == "Unauthenticated"
    after = (root.get(f"/users/{user}").json(), root.get(f"/groups/{group}").json(),
             root.get(f"/policies/{pname}").json()["document"],
             root.get(f"/buckets/{bucket}/public-access-block").json())
    assert after == before
    assert root.get(f"/users/{user}/keys").json()["keys"] == []
    names = [u["name"] for u in root.get("/users").json()["users"]]
    assert "csrfuser" not in names


@pytest.mark.parametrize("path", ["/users", "/users/x", "/users/x/keys", "/groups", "/groups/x",
                                  "/policies", "/policies/x", "/buckets/x/policy",
                                  "/buckets/x/public-access-block"])
def test_iam_reads_need_a_session(base, path):
    r = requests.get(base + "/api/v1" + path, timeout=10)
    assert r.status_code == 401 and error_code(r) == "Unauthenticated"


# --- users, keys, groups, policies -------------------------------------------------------------

def test_user_crud_and_errors(root):
    name = uid("u")
    assert root.send("POST", "/users", json={"name": name}).status_code == 201
    r = root.send("POST", "/users", json={"name": name})
    assert r.status_code == 409 and error_code(r) == "EntityAlreadyExists"
    r = root.send("POST", "/users", json={"name": "bad name!"})
    assert r.status_code == 400 and error_code(r) == "InvalidArgument"
    r = root.send("POST", "/users", json={"nom": name})
    assert r.status_code == 400
    r = root.send("POST", "/users", data=b"{nope", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and error_code(r) == "MalformedJSON"
    assert root.get(f"/users/{name}").json()["name"] == name
    r = root.get("/users/" + uid("nobody"))
    assert r.status_code == 404 and error_code(r) == "NoSuchEntity"
    r = root.send("PUT", f"/users/{name}/enabled", json={"enabled": "no"})
    assert r.status_code == 400
    # A key makes a plain delete conflict; force removes everything.
    assert root.send("POST", f"/users/{name}/keys").status_code == 201
    r = root.send("DELETE", f"/users/{name}")
    assert r.status_code == 409 and error_code(r) == "DeleteConflict"
    assert root.send("DELETE", f"/users/{name}?force=1").status_code == 200
    assert root.get(f"/users/{name}").status_code == 404
    assert root.send("PATCH", "/users").status_code == 405


def test_access_keys_secret_once_last_used_and_status(root, server):
    bucket = make_bucket(root)
    name, _ = make_user(root, policy=read_only(bucket))
    r = root.send("POST", f"/users/{name}/keys")
    assert r.status_code == 201
    key = r.json()
    assert key["accessKey"].startswith("AKIA") and len(key["secretKey"]) >= 30
    assert key["status"] == "Active" and key["lastUsed"] is None
    listed = root.get(f"/users/{name}/keys").json()["keys"]
    assert [k["accessKey"] for k in listed] == [key["accessKey"]]
    assert "secretKey" not in listed[0]
    # The key works on S3, limited by the same policy.
    s3 = boto3_client(server.endpoint, key["accessKey"], key["secretKey"])
    assert s3.get_object(Bucket=bucket, Key="doc.txt")["Body"].read() == b"hello"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object(Bucket=bucket, Key="nope.txt", Body=b"x")
    assert e.value.response["Error"]["Code"] == "AccessDenied"
    r = root.send("PUT", f"/users/{name}/keys/{key['accessKey']}", json={"status": "Inactive"})
    assert r.status_code == 200 and r.json()["status"] == "Inactive"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="doc.txt")
    assert e.value.response["Error"]["Code"] == "InvalidAccessKeyId"
    r = root.send("PUT", f"/users/{name}/keys/{key['accessKey']}", json={"status": "Paused"})
    assert r.status_code == 400
    r = root.send("DELETE", f"/users/{name}/keys/AKIA0000000000000000")
    assert r.status_code == 404
    assert root.send("DELETE", f"/users/{name}/keys/{key['accessKey']}").status_code == 200
    assert root.get(f"/users/{name}/keys").json()["keys"] == []


def test_groups_membership_and_policies(root):
    user, _ = make_user(root)
    group = uid("g")
    r = root.send("POST", "/groups", json={"name": group})
    assert r.status_code == 201 and r.json()["members"] == []
    assert root.send("POST", "/groups", json={"name": group}).status_code == 409
    pname = uid("p")
    root.send("POST", "/policies", json={"name": pname, "document": read_only("b")})
    assert root.send("PUT", f"/groups/{group}/members/{user}").json()["members"] == [user]
    assert root.send("PUT", f"/groups/{group}/policies/{pname}").json()["policies"] == [pname]
    assert root.get(f"/users/{user}").json()["groups"] == [group]
    assert group in [g["name"] for g in root.get("/groups").json()["groups"]]
    r = root.send("PUT", f"/groups/{group}/members/{uid('nobody')}")
    assert r.status_code == 404 and error_code(r) == "NoSuchEntity"
    r = root.send("DELETE", f"/groups/{group}")
    assert r.status_code == 409 and error_code(r) == "DeleteConflict"
    assert root.send("DELETE", f"/groups/{group}?force=1").status_code == 200
    assert root.get(f"/groups/{group}").status_code == 404
    assert root.get(f"/users/{user}").json()["groups"] == []


def test_managed_policy_lifecycle(root):
    name = uid("p")
    doc = read_only("bucket-a")
    r = root.send("POST", "/policies", json={"name": name, "document": doc,
                                             "description": "read bucket-a"})
    assert r.status_code == 201
    assert r.json()["description"] == "read bucket-a" and r.json()["attachments"] == 0
    listed = {p["name"]: p for p in root.get("/policies").json()["policies"]}
    assert name in listed and "document" not in listed[name]
    got = root.get(f"/policies/{name}").json()
    assert json.loads(got["document"]) == json.loads(doc)
    new_doc = read_only("bucket-b")
    r = root.send("PUT", f"/policies/{name}", json={"document": new_doc})
    assert r.status_code == 200 and "bucket-b" in r.json()["document"]
    r = root.send("PUT", f"/policies/{name}", json={"document": '{"Version": "2012-10-17"'})
    assert r.status_code == 400 and error_code(r) == "MalformedPolicy"
    assert r.json()["error"]["message"]
    assert "bucket-b" in root.get(f"/policies/{name}").json()["document"]  # unchanged
    r = root.send("POST", "/policies", json={"name": uid("p"), "document": policy_doc(
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"})})
    assert r.status_code == 400 and error_code(r) == "MalformedPolicy"
    user, _ = make_user(root)
    assert root.send("PUT", f"/users/{user}/policies/{name}").status_code == 200
    assert root.get(f"/policies/{name}").json()["attachments"] == 1
    r = root.send("DELETE", f"/policies/{name}")
    assert r.status_code == 409 and error_code(r) == "DeleteConflict"
    assert root.send("DELETE", f"/users/{user}/policies/{name}").status_code == 200
    assert root.send("DELETE", f"/policies/{name}").status_code == 200
    assert root.get(f"/policies/{name}").status_code == 404


def test_validate_endpoint(root, base):
    good = read_only("b")
    r = root.send("POST", "/policies/validate", json={"document": good, "kind": "identity"})
    assert r.status_code == 200 and r.json() == {"valid": True, "message": ""}
    r = root.send("POST", "/policies/validate", json={"document": '{"Statement": [}'})
    assert r.status_code == 200 and r.json()["valid"] is False and r.json()["message"]
    r = root.send("POST", "/policies/validate",
                  json={"document": '{"Version": "2012-10-17", "Statement": [],}'})
    assert r.json()["valid"] is False
    missing_effect = policy_doc({"Action": "s3:GetObject", "Resource": "*"})
    r = root.send("POST", "/policies/validate", json={"document": missing_effect})
    assert r.json()["valid"] is False and "Effect" in r.json()["message"]
    public = policy_doc({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                         "Resource": "arn:aws:s3:::pub/*"})
    r = root.send("POST", "/policies/validate",
                  json={"document": public, "kind": "bucket", "bucket": "pub"})
    assert r.json()["valid"] is True
    r = root.send("POST", "/policies/validate",
                  json={"document": public, "kind": "bucket", "bucket": "other"})
    assert r.json()["valid"] is False
    r = root.send("POST", "/policies/validate", json={"document": public, "kind": "identity"})
    assert r.json()["valid"] is False
    r = root.send("POST", "/policies/validate", json={"document": good, "kind": "role"})
    assert r.status_code == 400 and error_code(r) == "InvalidArgument"
    r = root.send("POST", "/policies/validate", json={"kind": "identity"})
    assert r.status_code == 400
    # Any session may validate (it reads nothing): a user without IAM permissions too.
    name, password = make_user(root)
    c, _ = login(base, name, password)
    r = c.send("POST", "/policies/validate", json={"document": good})
    assert r.status_code == 200 and r.json()["valid"] is True


# --- bucket policy and public-access block -------------------------------------------------------

def test_bucket_policy_and_public_access_block(root, server):
    bucket = make_bucket(root)
    r = root.get(f"/buckets/{bucket}/policy")
    assert r.status_code == 404 and error_code(r) == "NoSuchBucketPolicy"
    r = root.get(f"/buckets/{bucket}/public-access-block")
    assert r.status_code == 200 and r.json()["configured"] is False
    assert r.json()["blockPublicPolicy"] is False
    anonymous_url = f"{server.endpoint}/{bucket}/doc.txt"
    assert requests.get(anonymous_url, timeout=10).status_code == 403
    public = policy_doc({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                         "Resource": f"arn:aws:s3:::{bucket}/*"})
    r = root.send("PUT", f"/buckets/{bucket}/policy", json={"document": public})
    assert r.status_code == 200, r.text
    assert r.json()["public"] is True
    got = root.get(f"/buckets/{bucket}/policy").json()
    assert json.loads(got["document"]) == json.loads(public) and got["public"] is True
    r = requests.get(anonymous_url, timeout=10)
    assert r.status_code == 200 and r.content == b"hello"
    r = root.send("PUT", f"/buckets/{bucket}/policy",
                  json={"document": public.replace(bucket, "elsewhere")})
    assert r.status_code == 400 and error_code(r) == "MalformedPolicy"
    r = root.send("PUT", f"/buckets/{bucket}/public-access-block",
                  json={"restrictPublicBuckets": True, "blockPublicPolicy": True})
    assert r.status_code == 200 and r.json()["configured"] is True
    assert r.json()["restrictPublicBuckets"] is True and r.json()["ignorePublicAcls"] is False
    assert requests.get(anonymous_url, timeout=10).status_code == 403
    r = root.send("PUT", f"/buckets/{bucket}/policy", json={"document": public})
    assert r.status_code == 403 and error_code(r) == "AccessDenied"
    r = root.send("PUT", f"/buckets/{bucket}/public-access-block", json={"blockPublicAcls": 1})
    assert r.status_code == 400
    assert root.send("DELETE", f"/buckets/{bucket}/public-access-block").status_code == 200
    assert root.get(f"/buckets/{bucket}/public-access-block").json()["configured"] is False
    assert requests.get(anonymous_url, timeout=10).status_code == 200
    assert root.send("DELETE", f"/buckets/{bucket}/policy").status_code == 200
    assert requests.get(anonymous_url, timeout=10).status_code == 403
    r = root.get("/buckets/" + "ci-nosuch" + uuid.uuid4().hex[:8] + "/policy")
    assert r.status_code == 404 and error_code(r) == "NoSuchBucket"


def test_share_link_of_a_user_is_signed_with_its_key(root, base, server):
    bucket = make_bucket(root)
    name, password = make_user(root, policy=read_only(bucket))
    c, _ = login(base, name, password)
    r = c.send("POST", f"/buckets/{bucket}/share", json={"key": "doc.txt", "expiresSeconds": 600})
    assert r.status_code == 400  # no access key yet
    key = root.send("POST", f"/users/{name}/keys").json()
    r = c.send("POST", f"/buckets/{bucket}/share", json={"key": "doc.txt", "expiresSeconds": 600})
    assert r.status_code == 200, r.text
    url = r.json()["url"]
    assert key["accessKey"] in url and server.access_key not in url
    got = requests.get(url, timeout=10)
    assert got.status_code == 200 and got.content == b"hello"
    # Deactivating the key ends the link.
    root.send("PUT", f"/users/{name}/keys/{key['accessKey']}", json={"status": "Inactive"})
    assert requests.get(url, timeout=10).status_code == 403
