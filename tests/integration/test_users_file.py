# auth.users_file on the real server: users, access keys (secrets from file: references),
# groups and managed policies declared in YAML or JSON, applied at start and on SIGHUP; applying
# the same file twice changes nothing; prune deletes what the file does not list; errors name the
# entry and stop the start. Checked through S3 (the users' keys and policies), the IAM query API
# and the console login.
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import boto3
import botocore
import pytest
import requests
from botocore.config import Config

from s3util import REGION, boto3_client, err_code

ALICE_KEY = "AKIAALICE0000000001"
BOB_KEY = "AKIABOB00000000000001"

USERS_YAML = """\
policies:
  - name: shared-read
    description: read the shared bucket
    document:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: ["s3:ListBucket"]
          Resource: "arn:aws:s3:::shared"
        - Effect: Allow
          Action: ["s3:GetObject"]
          Resource: "arn:aws:s3:::shared/*"
  - name: shared-write
    document: "file:write-policy.json"
groups:
  - name: readers
    policies: [shared-read]
users:
  - name: alice
    groups: [readers]
    access_keys:
      - access_key: AKIAALICE0000000001
        secret_key: "file:alice.secret"
  - name: bob
    console_password: "bob-console-password"
    policies: [shared-read, shared-write]
    access_keys:
      - access_key: AKIABOB00000000000001
        secret_key: bob-secret-key-0001
"""

WRITE_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": "arn:aws:s3:::shared/*"}]}


@pytest.fixture
def workdir():
    d = tempfile.mkdtemp(prefix="maxiofs-users-")
    with open(os.path.join(d, "alice.secret"), "w") as f:
        f.write("alice-secret-key-0001\n")
    with open(os.path.join(d, "write-policy.json"), "w") as f:
        json.dump(WRITE_POLICY, f)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def write(path, content):
    with open(path, "w") as f:
        f.write(content)
    return path


def start(factory, workdir, users_file, *extra):
    return factory.start(data_dir=os.path.join(workdir, "data"),
                         access_key="rootkey", secret_key="root-secret-key",
                         extra_args=["--auth-users-file", users_file,
                                     "--auth-iam-master-secret", "a-fixed-iam-master-secret"] +
                         list(extra))


def iam_of(srv):
    return boto3.session.Session().client(
        "iam", endpoint_url=srv.endpoint, region_name=REGION, aws_access_key_id=srv.access_key,
        aws_secret_access_key=srv.secret_key,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}))


def identities(srv):
    """Users (with creation dates, groups, policies, keys), groups and policies, via IAM."""
    iam = iam_of(srv)
    out = {"users": {}, "groups": {}, "policies": {}}
    for u in iam.list_users()["Users"]:
        name = u["UserName"]
        out["users"][name] = {
            "created": u["CreateDate"],
            "groups": sorted(g["GroupName"] for g in iam.list_groups_for_user(UserName=name)["Groups"]),
            "policies": sorted(p["PolicyName"] for p in
                               iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]),
            "keys": sorted((k["AccessKeyId"], k["Status"]) for k in
                           iam.list_access_keys(UserName=name)["AccessKeyMetadata"]),
        }
    for g in iam.list_groups()["Groups"]:
        out["groups"][g["GroupName"]] = g["CreateDate"]
    for p in iam.list_policies(Scope="Local")["Policies"]:
        out["policies"][p["PolicyName"]] = (p["CreateDate"], p.get("UpdateDate"))
    return out


def wait_for_log(srv, needle, timeout=10):
    deadline = time.monotonic() + timeout
    while needle not in srv.log_tail(100000):
        assert time.monotonic() < deadline, f"no '{needle}' in the log:\n" + srv.log_tail()
        time.sleep(0.05)


def test_users_file_applies_idempotently_and_on_sighup(server_factory, workdir):
    users = write(os.path.join(workdir, "users.yaml"), USERS_YAML)
    srv = start(server_factory, workdir, users)
    log = srv.log_tail(100000)
    assert "applied: " in log and "created user alice" in log and "created policy shared-read" in log
    assert "alice-secret-key-0001" not in log and "bob-secret-key-0001" not in log
    root = srv.client()
    root.create_bucket(Bucket="shared")
    root.put_object(Bucket="shared", Key="doc", Body=b"shared data")

    alice = boto3_client(srv.endpoint, ALICE_KEY, "alice-secret-key-0001")  # trailing \n dropped
    assert alice.get_object(Bucket="shared", Key="doc")["Body"].read() == b"shared data"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        alice.put_object(Bucket="shared", Key="x", Body=b"x")
    assert err_code(e.value) == "AccessDenied"
    bob = boto3_client(srv.endpoint, BOB_KEY, "bob-secret-key-0001")
    bob.put_object(Bucket="shared", Key="from-bob", Body=b"b")  # shared-write, from a file:
    m = re.search(r"web console listening on http://\S+:(\d+)", srv.log_tail(100000))
    r = requests.post(f"http://127.0.0.1:{m.group(1)}/api/v1/auth/login",
                      json={"user": "bob", "password": "bob-console-password"}, timeout=30)
    assert r.status_code == 200 and r.json()["kind"] == "user", r.text
    state = identities(srv)
    assert state["users"]["alice"]["groups"] == ["readers"]
    assert state["users"]["bob"]["policies"] == ["shared-read", "shared-write"]
    assert state["users"]["alice"]["keys"] == [(ALICE_KEY, "Active")]
    srv.stop()

    # The same file again: nothing changes (same creation dates, nothing logged as changed).
    srv = start(server_factory, workdir, users)
    assert f"users file {users} applied: no changes" in srv.log_tail(100000)
    assert identities(srv) == state
    assert boto3_client(srv.endpoint, ALICE_KEY, "alice-secret-key-0001").get_object(
        Bucket="shared", Key="doc")["Body"].read() == b"shared data"

    # Console-made changes to a field the file does not manage survive; managed ones are reset.
    iam = iam_of(srv)
    iam.create_group(GroupName="extra")
    iam.add_user_to_group(GroupName="extra", UserName="bob")   # bob's groups are not managed
    iam.add_user_to_group(GroupName="extra", UserName="alice")  # alice's groups are

    # Edit the file and reload: alice gets a new secret, bob leaves the file (kept: no prune).
    with open(os.path.join(workdir, "alice.secret"), "w") as f:
        f.write("alice-secret-key-0002")
    write(users, USERS_YAML.split("  - name: bob")[0])
    os.kill(srv.pid, signal.SIGHUP)
    wait_for_log(srv, "set access key AKIAALICE0000000001 of user alice")
    wait_for_log(srv, "removed user alice from group extra")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        boto3_client(srv.endpoint, ALICE_KEY, "alice-secret-key-0001").list_buckets()
    assert err_code(e.value) == "SignatureDoesNotMatch"
    boto3_client(srv.endpoint, ALICE_KEY, "alice-secret-key-0002").get_object(Bucket="shared",
                                                                           Key="doc")
    now = identities(srv)
    assert "bob" in now["users"] and now["users"]["bob"]["groups"] == ["extra"]
    assert now["users"]["alice"]["groups"] == ["readers"]
    srv.stop()

    # Prune: what the file does not list goes (bob, the extra group, shared-write).
    write(users, USERS_YAML.split("  - name: bob")[0].replace(
        '  - name: shared-write\n    document: "file:write-policy.json"\n', ""))
    srv = start(server_factory, workdir, users, "--auth-users-file-prune", "true")
    log = srv.log_tail(100000)
    assert "deleted user bob (not in the users file)" in log
    assert "deleted group extra (not in the users file)" in log
    assert "deleted policy shared-write (not in the users file)" in log
    pruned = identities(srv)
    assert sorted(pruned["users"]) == ["alice"]
    assert sorted(pruned["groups"]) == ["readers"]
    assert sorted(pruned["policies"]) == ["shared-read"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        boto3_client(srv.endpoint, BOB_KEY, "bob-secret-key-0001").list_buckets()
    assert err_code(e.value) == "InvalidAccessKeyId"
    srv.stop()


def test_users_file_in_json(server_factory, workdir):
    doc = {
        "policies": [{"name": "shared-read", "document": json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"}]})}],
        "users": [{"name": "carol", "policies": ["shared-read"], "enabled": True,
                   "access_keys": [{"access_key": "CAROLKEY0001", "secret_key": "carol-secret-1",
                                    "status": "active"}]}],
    }
    users = write(os.path.join(workdir, "users.json"), json.dumps(doc, indent=2))
    srv = start(server_factory, workdir, users)
    root = srv.client()
    root.create_bucket(Bucket="shared")
    root.put_object(Bucket="shared", Key="k", Body=b"v")
    carol = boto3_client(srv.endpoint, "CAROLKEY0001", "carol-secret-1")
    assert carol.get_object(Bucket="shared", Key="k")["Body"].read() == b"v"
    srv.stop()
    srv = start(server_factory, workdir, users)
    assert "applied: no changes" in srv.log_tail(100000)


@pytest.mark.parametrize("content,fragments", [
    ("users:\n  - name: carol\n    groups: [nope]\n",
     ["users file", "line 2 column 5", "users[0] 'carol'", "group 'nope' is neither in the file"]),
    ("users:\n  - name: carol\n    access_keys:\n      - access_key: K1\n        secret_key: s\n"
     "        colour: red\n",
     ["line 6 column 9", "users[0] 'carol': access_keys[0]", "unknown field 'colour'"]),
    ("users:\n  - name: carol\n  - name: Carol\n", ["users[1] 'Carol'", "the name is given twice"]),
    ("policies:\n  - name: p\n    document: {Version: '2012-10-17', Statement: "
     "[{Effect: Maybe, Action: 's3:GetObject', Resource: '*'}]}\n",
     ["policies[0] 'p'", "Effect"]),
    ("users:\n  - name: carol\n    console_password: \"file:missing.txt\"\n",
     ["users[0] 'carol': console_password: cannot read", "missing.txt"]),
    ('{"users": [{"name": "carol",}]}', ["is not valid JSON"]),
])
def test_users_file_errors_name_the_entry_and_stop_the_start(maxiofs_bin, workdir, content,
                                                            fragments):
    name = "users.json" if content.startswith("{") else "users.yaml"
    users = write(os.path.join(workdir, name), content)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAXIOFS_")}
    p = subprocess.run([maxiofs_bin, "server", "--data-dir", os.path.join(workdir, "data"),
                        "--listen", "127.0.0.1:0", "--console-listen", "127.0.0.1:0",
                        "--auth-users-file", users], capture_output=True, text=True, timeout=60,
                       env=env)
    out = p.stdout + p.stderr
    assert p.returncode == 2, out
    assert "maxiofs ready" not in out
    for f in fragments:
        assert f in out, out
