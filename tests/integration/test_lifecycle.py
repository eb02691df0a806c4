"""Bucket lifecycle against the real maxiofs binary, with a lifecycle day of 2 seconds
(engine.lifecycle_day_seconds) and a worker waking every second: each rule kind acts (expiry by
days and by date, delete markers in versioned buckets, noncurrent versions by age and count,
expired object delete markers, size filters, incomplete multipart uploads), locked versions
survive their rule, x-amz-expiration on PUT/HEAD/GET, bad configurations are refused with S3's
codes, the aws cli round-trips a configuration, and the metrics and audit log count the work.

Run alone: /usr/bin/python3 -m pytest -q tests/integration/test_lifecycle.py --maxiofs-bin build/maxiofs
"""
import datetime
import json
import os
import re
import subprocess
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import client_env
from s3util import empty_and_delete_bucket, http_get

DAY_S = 2
WAIT_S = 40  # bound of every wait for the worker


@pytest.fixture(scope="module")
def lc_server(server_factory):
    return server_factory.start(extra_args=["--engine-lifecycle-day-seconds", str(DAY_S),
                                            "--engine-lifecycle-interval-seconds", "1"])


@pytest.fixture(scope="module")
def c(lc_server):
    return lc_server.client()


@pytest.fixture
def b(c):
    name = "lc-" + uuid.uuid4().hex[:16]
    c.create_bucket(Bucket=name)
    yield name
    empty_and_delete_bucket(c, name)


def wait_for(cond, what):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {WAIT_S} s: {what}")


def keys(c, b):
    return sorted(o["Key"] for o in c.list_objects_v2(Bucket=b).get("Contents", []))


def versions(c, b):
    r = c.list_object_versions(Bucket=b)
    return ([(v["Key"], v["VersionId"]) for v in r.get("Versions", [])],
            [(m["Key"], m["VersionId"]) for m in r.get("DeleteMarkers", [])])


def put_rules(c, b, *rules):
    c.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": list(rules)})


def error_of(fn, **kw):
    with pytest.raises(ClientError) as e:
        fn(**kw)
    return e.value.response["Error"]["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_configuration_round_trips(c, b):
    assert error_of(c.get_bucket_lifecycle_configuration, Bucket=b) == \
        ("NoSuchLifecycleConfiguration", 404)
    assert c.delete_bucket_lifecycle(Bucket=b)["ResponseMetadata"]["HTTPStatusCode"] == 204
    rules = [
        {"ID": "logs", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 30}},
        {"ID": "and", "Status": "Disabled",
         "Filter": {"And": {"Prefix": "tmp/", "Tags": [{"Key": "k", "Value": "v"}],
                            "ObjectSizeGreaterThan": 10, "ObjectSizeLessThan": 1000}},
         "NoncurrentVersionExpiration": {"NoncurrentDays": 7, "NewerNoncurrentVersions": 3}},
        {"ID": "uploads", "Status": "Enabled", "Filter": {"Prefix": "up/"},
         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}},
        {"ID": "date", "Status": "Enabled", "Filter": {},
         "Expiration": {"Date": datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)}},
        {"ID": "markers", "Status": "Enabled", "Filter": {"ObjectSizeLessThan": 5},
         "Expiration": {"ExpiredObjectDeleteMarker": True}},
    ]
    put_rules(c, b, *rules)
    got = c.get_bucket_lifecycle_configuration(Bucket=b)["Rules"]
    assert got[0] == rules[0] and got[1] == rules[1] and got[2] == rules[2] \
        and got[4] == rules[4]
    assert got[3]["Expiration"]["Date"] == rules[3]["Expiration"]["Date"]
    # A rule without an ID gets one; the deprecated rule-level Prefix reads back as given.
    c.put_bucket_lifecycle(Bucket=b, LifecycleConfiguration={"Rules": [
        {"Prefix": "old/", "Status": "Enabled", "Expiration": {"Days": 5}}]})
    legacy = c.get_bucket_lifecycle_configuration(Bucket=b)["Rules"][0]
    assert legacy["Prefix"] == "old/" and len(legacy["ID"]) == 20
    assert c.delete_bucket_lifecycle(Bucket=b)["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert error_of(c.get_bucket_lifecycle_configuration, Bucket=b)[0] == \
        "NoSuchLifecycleConfiguration"


@pytest.mark.parametrize("rules,code", [
    ([{"ID": "r", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 0}}],
     "InvalidArgument"),
    ([{"ID": "same", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}},
      {"ID": "same", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 2}}],
     "InvalidArgument"),
    ([{"ID": "x" * 256, "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}}],
     "InvalidArgument"),
    ([{"ID": "r", "Status": "enabled", "Filter": {}, "Expiration": {"Days": 1}}], "MalformedXML"),
    ([{"ID": "r", "Status": "Enabled", "Filter": {"Prefix": "a", "Tag": {"Key": "k", "Value": "v"}},
       "Expiration": {"Days": 1}}], "MalformedXML"),
    ([{"ID": "r", "Status": "Enabled", "Filter": {}}], "InvalidArgument"),
    ([{"ID": "r", "Status": "Enabled", "Filter": {"Tag": {"Key": "k", "Value": "v"}},
       "Expiration": {"ExpiredObjectDeleteMarker": True}}], "InvalidArgument"),
    ([{"ID": "r", "Status": "Enabled", "Filter": {},
       "Expiration": {"Date": datetime.datetime(2030, 1, 1, 12, tzinfo=datetime.timezone.utc)}}],
     "InvalidArgument"),
    ([{"ID": "r", "Status": "Enabled", "Filter": {},
       "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}]}], "InvalidStorageClass"),
    ([{"ID": f"r{i}", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}}
      for i in range(1001)], "MalformedXML"),
])
def test_bad_configurations_are_refused(c, b, rules, code):
    got = error_of(c.put_bucket_lifecycle_configuration, Bucket=b,
                   LifecycleConfiguration={"Rules": rules})
    assert got == (code, 400)
    assert error_of(c.get_bucket_lifecycle_configuration, Bucket=b)[0] == \
        "NoSuchLifecycleConfiguration"


def test_expiration_days_and_header(c, b):
    put_rules(c, b, {"ID": "tmp-rule", "Status": "Enabled", "Filter": {"Prefix": "tmp/"},
                     "Expiration": {"Days": 1}})
    r = c.put_object(Bucket=b, Key="tmp/a", Body=b"a")
    m = re.fullmatch(r'expiry-date="([^"]+)", rule-id="tmp-rule"', r["Expiration"])
    assert m, r["Expiration"]
    expiry = datetime.datetime.strptime(m.group(1), "%a, %d %b %Y %H:%M:%S GMT")
    now = datetime.datetime.utcnow()
    assert now - datetime.timedelta(seconds=5) < expiry < now + datetime.timedelta(seconds=DAY_S + 5)
    assert c.head_object(Bucket=b, Key="tmp/a")["Expiration"] == r["Expiration"]
    assert c.get_object(Bucket=b, Key="tmp/a")["Expiration"] == r["Expiration"]
    c.put_object(Bucket=b, Key="keep/b", Body=b"b")
    assert "Expiration" not in c.head_object(Bucket=b, Key="keep/b")
    wait_for(lambda: keys(c, b) == ["keep/b"], "tmp/a expires, keep/b stays")


def test_expiration_date_in_the_past(c, b):
    c.put_object(Bucket=b, Key="old/a", Body=b"a")
    c.put_object(Bucket=b, Key="new/a", Body=b"a")
    put_rules(c, b,
              {"ID": "past", "Status": "Enabled", "Filter": {"Prefix": "old/"},
               "Expiration": {"Date": datetime.datetime(2015, 1, 1, tzinfo=datetime.timezone.utc)}},
              {"ID": "future", "Status": "Enabled", "Filter": {"Prefix": "new/"},
               "Expiration": {"Date": datetime.datetime(2100, 1, 1, tzinfo=datetime.timezone.utc)}})
    wait_for(lambda: keys(c, b) == ["new/a"], "the past date expires old/a only")


def test_size_filters(c, b):
    c.put_object(Bucket=b, Key="small", Body=b"s" * 100)
    c.put_object(Bucket=b, Key="big", Body=b"b" * 3000)
    put_rules(c, b, {"ID": "gt", "Status": "Enabled", "Filter": {"ObjectSizeGreaterThan": 2000},
                     "Expiration": {"Days": 1}})
    wait_for(lambda: keys(c, b) == ["small"], "only the big object expires")


def test_tag_filters(c, b):
    c.put_object(Bucket=b, Key="t/tmp", Body=b"x", Tagging="kind=tmp&team=a")
    c.put_object(Bucket=b, Key="t/other", Body=b"x", Tagging="kind=keep&team=a")
    c.put_object(Bucket=b, Key="t/none", Body=b"x")
    c.put_object(Bucket=b, Key="t/later", Body=b"x")
    put_rules(c, b, {"ID": "tags", "Status": "Enabled",
                     "Filter": {"And": {"Prefix": "t/", "Tags": [{"Key": "kind", "Value": "tmp"},
                                                                 {"Key": "team", "Value": "a"}]}},
                     "Expiration": {"Days": 1}})
    # x-amz-expiration follows the tags: only the object with both tags gets it.
    assert "Expiration" in c.head_object(Bucket=b, Key="t/tmp")
    assert "Expiration" not in c.head_object(Bucket=b, Key="t/other")
    # Tags set after the write count too.
    c.put_object_tagging(Bucket=b, Key="t/later", Tagging={"TagSet": [
        {"Key": "team", "Value": "a"}, {"Key": "kind", "Value": "tmp"}]})
    wait_for(lambda: keys(c, b) == ["t/none", "t/other"], "the objects with both tags expire")


def test_versioned_bucket_gets_delete_markers_then_noncurrent_and_markers_go(c, b):
    c.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
    for i in range(3):
        c.put_object(Bucket=b, Key="doc", Body=b"v%d" % i)
    put_rules(c, b, {"ID": "all", "Status": "Enabled", "Filter": {},
                     "Expiration": {"Days": 1},
                     "NoncurrentVersionExpiration": {"NoncurrentDays": 1}})
    # The current version expires: a delete marker hides it; no data is removed yet.
    wait_for(lambda: versions(c, b)[1], "a delete marker is added")
    assert keys(c, b) == []
    # Then the noncurrent versions go, and the marker left alone with them.
    wait_for(lambda: versions(c, b) == ([], []), "noncurrent versions and the marker are removed")


def test_newer_noncurrent_versions_are_kept(c, b):
    c.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
    for i in range(8):
        c.put_object(Bucket=b, Key="k", Body=b"%d" % i)
    put_rules(c, b, {"ID": "keep3", "Status": "Enabled", "Filter": {},
                     "NoncurrentVersionExpiration": {"NoncurrentDays": 1,
                                                     "NewerNoncurrentVersions": 3}})
    wait_for(lambda: len(versions(c, b)[0]) == 4, "1 current + 3 noncurrent versions remain")
    time.sleep(2 * DAY_S)
    assert len(versions(c, b)[0]) == 4
    assert c.get_object(Bucket=b, Key="k")["Body"].read() == b"7"


def test_expired_object_delete_markers(c, b):
    c.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
    c.put_object(Bucket=b, Key="gone", Body=b"x")
    v = c.list_object_versions(Bucket=b)["Versions"][0]["VersionId"]
    c.delete_object(Bucket=b, Key="gone")
    c.delete_object(Bucket=b, Key="gone", VersionId=v)  # only the marker is left
    c.put_object(Bucket=b, Key="kept", Body=b"x")
    c.delete_object(Bucket=b, Key="kept")  # a marker with a version under it
    put_rules(c, b, {"ID": "eodm", "Status": "Enabled", "Filter": {},
                     "Expiration": {"ExpiredObjectDeleteMarker": True}})
    wait_for(lambda: [k for k, _ in versions(c, b)[1]] == ["kept"],
             "the lone marker goes, the other stays")
    assert len(versions(c, b)[0]) == 1


def test_incomplete_uploads_are_aborted(c, b):
    old = c.create_multipart_upload(Bucket=b, Key="up/a")["UploadId"]
    c.upload_part(Bucket=b, Key="up/a", UploadId=old, PartNumber=1, Body=b"p" * 1000)
    c.create_multipart_upload(Bucket=b, Key="other/b")
    put_rules(c, b, {"ID": "abort", "Status": "Enabled", "Filter": {"Prefix": "up/"},
                     "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}})
    wait_for(lambda: [u["Key"] for u in c.list_multipart_uploads(Bucket=b).get("Uploads", [])]
             == ["other/b"], "the upload under up/ is aborted")


def test_locked_versions_survive_their_rule(c):
    b = "lc-lock-" + uuid.uuid4().hex[:12]
    c.create_bucket(Bucket=b, ObjectLockEnabledForBucket=True)
    try:
        c.put_object(Bucket=b, Key="held", Body=b"1", ObjectLockLegalHoldStatus="ON")
        held = c.list_object_versions(Bucket=b)["Versions"][0]["VersionId"]
        c.put_object(Bucket=b, Key="held", Body=b"2")
        c.put_object(Bucket=b, Key="free", Body=b"1")
        c.put_object(Bucket=b, Key="free", Body=b"2")
        put_rules(c, b, {"ID": "nc", "Status": "Enabled", "Filter": {},
                         "NoncurrentVersionExpiration": {"NoncurrentDays": 1}})
        wait_for(lambda: len([k for k, _ in versions(c, b)[0] if k == "free"]) == 1,
                 "the free noncurrent version goes")
        time.sleep(2 * DAY_S)
        assert (("held", held) in versions(c, b)[0]), "a version under legal hold was removed"
        c.put_object_legal_hold(Bucket=b, Key="held", VersionId=held, LegalHold={"Status": "OFF"})
        wait_for(lambda: ("held", held) not in versions(c, b)[0],
                 "once the hold is lifted, the version goes")
    finally:
        empty_and_delete_bucket(c, b)


def test_aws_cli_round_trip(lc_server, c, b, tmp_dir):
    env = client_env(lc_server, tmp_dir)
    path = os.path.join(tmp_dir, "rules.json")
    with open(path, "w") as f:
        json.dump({"Rules": [{"ID": "cli", "Status": "Enabled", "Filter": {"Prefix": "x/"},
                              "Expiration": {"Days": 3}}]}, f)
    base = ["/usr/bin/aws", "--endpoint-url", lc_server.endpoint, "s3api"]
    r = subprocess.run(base + ["put-bucket-lifecycle-configuration", "--bucket", b,
                               "--lifecycle-configuration", f"file://{path}"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(base + ["get-bucket-lifecycle-configuration", "--bucket", b],
                       env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["Rules"][0]["Expiration"] == {"Days": 3}
    with open(path, "w") as f:
        json.dump({"Rules": [{"ID": "cli", "Status": "Enabled", "Filter": {},
                              "Expiration": {"Days": 0}}]}, f)
    r = subprocess.run(base + ["put-bucket-lifecycle-configuration", "--bucket", b,
                               "--lifecycle-configuration", f"file://{path}"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "InvalidArgument" in r.stderr


def test_metrics_and_audit_count_the_work(lc_server, c, b):
    for i in range(5):
        c.put_object(Bucket=b, Key=f"m/{i}", Body=b"z" * 10)
    put_rules(c, b, {"ID": "metrics-rule", "Status": "Enabled", "Filter": {"Prefix": "m/"},
                     "Expiration": {"Days": 1}})
    wait_for(lambda: keys(c, b) == [], "the objects expire")

    def expired():
        _, _, body = http_get(lc_server.host, lc_server.port, "/_maxiofs/metrics")
        m = re.search(r"^maxiofs_lifecycle_objects_expired_total (\S+)$", body.decode(), re.M)
        return float(m.group(1)) if m else 0

    wait_for(lambda: expired() >= 5, "the metrics count the expired objects")
    _, _, body = http_get(lc_server.host, lc_server.port, "/_maxiofs/metrics")
    text = body.decode()
    assert re.search(r"^maxiofs_lifecycle_passes_total [1-9]", text, re.M)
    assert re.search(r"^maxiofs_lifecycle_last_pass_duration_seconds \S+", text, re.M)
    wait_for(lambda: re.search(r"op=LifecycleExpireObject .*bucket=%s key=m/3 .*rule=metrics-rule"
                               % re.escape(b), open(lc_server.log_path).read()),
             "the audit log has the expiry")
