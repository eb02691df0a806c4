# Versioning through S3 with boto3 (and raw signed requests where headers matter): the null
# version in unversioned and suspended buckets, delete markers and their headers, GET/HEAD/DELETE
# by version id, ListObjectVersions pagination against a Python model, DeleteObjects with
# versions, CopyObject from an old version.
import random

import botocore
import pytest

from conftest import unique_bucket_name
from s3util import S3Raw, err_code, err_status


def purge_bucket(s3, name):
    """Removes every version and delete marker, then the bucket. Never raises."""
    try:
        while True:
            resp = s3.list_object_versions(Bucket=name)
            items = resp.get("Versions", []) + resp.get("DeleteMarkers", [])
            if not items:
                break
            for v in items:
                s3.delete_object(Bucket=name, Key=v["Key"], VersionId=v["VersionId"],
                                 BypassGovernanceRetention=True)
        s3.delete_bucket(Bucket=name)
    except Exception:  # noqa: BLE001 - cleanup only
        pass


@pytest.fixture
def vbucket(s3):
    """A fresh bucket with versioning enabled; purged of every version afterwards."""
    name = unique_bucket_name("itv")
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    yield name
    purge_bucket(s3, name)


@pytest.fixture
def plain_bucket(s3):
    name = unique_bucket_name("itv")
    s3.create_bucket(Bucket=name)
    yield name
    purge_bucket(s3, name)


@pytest.fixture
def raw(server):
    return S3Raw(server)


def test_bucket_versioning_configuration(s3, plain_bucket, raw):
    got = s3.get_bucket_versioning(Bucket=plain_bucket)
    assert "Status" not in got
    s3.put_bucket_versioning(Bucket=plain_bucket, VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket=plain_bucket)["Status"] == "Enabled"
    s3.put_bucket_versioning(Bucket=plain_bucket, VersioningConfiguration={"Status": "Suspended"})
    assert s3.get_bucket_versioning(Bucket=plain_bucket)["Status"] == "Suspended"

    # Bad bodies: MalformedXML; an unknown Status: InvalidArgument (from the engine).
    for body in (b"", b"<VersioningConfiguration><Status>Enabled", b"<Other/>",
                 b"<VersioningConfiguration/>"):
        r = raw.request("PUT", f"/{plain_bucket}?versioning", body=body)
        assert r.status == 400 and r.error_code() == "MalformedXML", (body, r)
    r = raw.request("PUT", f"/{plain_bucket}?versioning",
                    body=b"<VersioningConfiguration><Status>On</Status></VersioningConfiguration>")
    assert r.status == 400 and r.error_code() == "InvalidArgument", r
    assert s3.get_bucket_versioning(Bucket=plain_bucket)["Status"] == "Suspended"

    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_versioning(Bucket=unique_bucket_name("missing"))
    assert err_code(e.value) == "NoSuchBucket"


def test_unversioned_bucket_has_no_version_headers(s3, plain_bucket, raw):
    put = s3.put_object(Bucket=plain_bucket, Key="k", Body=b"one")
    assert "VersionId" not in put
    r = raw.request("GET", f"/{plain_bucket}/k")
    assert r.status == 200 and "x-amz-version-id" not in r.headers, r
    head = s3.head_object(Bucket=plain_bucket, Key="k")
    assert "VersionId" not in head
    # The one version is "null", addressable by id.
    assert s3.get_object(Bucket=plain_bucket, Key="k", VersionId="null")["Body"].read() == b"one"
    s3.put_object(Bucket=plain_bucket, Key="k", Body=b"two")  # replaces the null version
    versions = s3.list_object_versions(Bucket=plain_bucket)["Versions"]
    assert [(v["Key"], v["VersionId"], v["IsLatest"]) for v in versions] == [("k", "null", True)]
    d = raw.request("DELETE", f"/{plain_bucket}/k")
    assert d.status == 204
    assert "x-amz-delete-marker" not in d.headers and "x-amz-version-id" not in d.headers, d
    assert s3.list_object_versions(Bucket=plain_bucket).get("Versions", []) == []
    assert s3.list_object_versions(Bucket=plain_bucket).get("DeleteMarkers", []) == []


def test_versions_and_delete_markers(s3, vbucket, raw):
    v1 = s3.put_object(Bucket=vbucket, Key="doc", Body=b"v1")["VersionId"]
    v2 = s3.put_object(Bucket=vbucket, Key="doc", Body=b"v2")["VersionId"]
    assert v1 != v2 and v1 != "null" and v2 != "null"
    got = s3.get_object(Bucket=vbucket, Key="doc")
    assert got["Body"].read() == b"v2" and got["VersionId"] == v2
    got1 = s3.get_object(Bucket=vbucket, Key="doc", VersionId=v1)
    assert got1["Body"].read() == b"v1" and got1["VersionId"] == v1
    assert s3.head_object(Bucket=vbucket, Key="doc", VersionId=v1)["ContentLength"] == 2

    # DELETE without a version: a delete marker.
    d = raw.request("DELETE", f"/{vbucket}/doc")
    assert d.status == 204
    assert d.headers.get("x-amz-delete-marker") == "true", d
    marker = d.headers["x-amz-version-id"]
    assert marker not in (v1, v2, "null")

    # GET/HEAD of the key: 404 with the marker's headers.
    r = raw.request("GET", f"/{vbucket}/doc")
    assert r.status == 404 and r.error_code() == "NoSuchKey"
    assert r.headers.get("x-amz-delete-marker") == "true"
    assert r.headers.get("x-amz-version-id") == marker
    r = raw.request("HEAD", f"/{vbucket}/doc")
    assert r.status == 404 and r.headers.get("x-amz-delete-marker") == "true"
    # GET/HEAD of the marker by id: 405 with Allow: DELETE.
    r = raw.request("GET", f"/{vbucket}/doc?versionId={marker}")
    assert r.status == 405 and r.error_code() == "MethodNotAllowed", r
    assert r.headers.get("x-amz-delete-marker") == "true"
    assert r.headers.get("x-amz-version-id") == marker
    assert r.headers.get("allow") == "DELETE"
    r = raw.request("HEAD", f"/{vbucket}/doc?versionId={marker}")
    assert r.status == 405 and r.headers.get("x-amz-delete-marker") == "true"
    # Old versions are still readable by id.
    assert s3.get_object(Bucket=vbucket, Key="doc", VersionId=v2)["Body"].read() == b"v2"

    lv = s3.list_object_versions(Bucket=vbucket, Prefix="doc")
    assert [m["VersionId"] for m in lv["DeleteMarkers"]] == [marker]
    assert lv["DeleteMarkers"][0]["IsLatest"] is True
    assert [v["VersionId"] for v in lv["Versions"]] == [v2, v1]
    assert all(not v["IsLatest"] for v in lv["Versions"])

    # DELETE of the marker by id brings v2 back.
    d = raw.request("DELETE", f"/{vbucket}/doc?versionId={marker}")
    assert d.status == 204
    assert d.headers.get("x-amz-delete-marker") == "true"
    assert d.headers.get("x-amz-version-id") == marker
    assert s3.get_object(Bucket=vbucket, Key="doc")["Body"].read() == b"v2"

    # DELETE of a version by id removes exactly it.
    d = raw.request("DELETE", f"/{vbucket}/doc?versionId={v2}")
    assert d.status == 204 and d.headers.get("x-amz-version-id") == v2
    assert "x-amz-delete-marker" not in d.headers
    assert s3.get_object(Bucket=vbucket, Key="doc")["Body"].read() == b"v1"

    # Errors: an unknown (well-formed) version id, a malformed one, an empty one.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=vbucket, Key="doc", VersionId=v2)
    assert err_code(e.value) == "NoSuchVersion" and err_status(e.value) == 404
    r = raw.request("GET", f"/{vbucket}/doc?versionId=zzz")
    assert r.status == 400 and r.error_code() == "InvalidArgument"
    r = raw.request("GET", f"/{vbucket}/doc?versionId=")
    assert r.status == 400 and r.error_code() == "InvalidArgument"


def test_suspended_bucket_null_version(s3, vbucket, raw):
    v1 = s3.put_object(Bucket=vbucket, Key="k", Body=b"versioned")["VersionId"]
    s3.put_bucket_versioning(Bucket=vbucket, VersioningConfiguration={"Status": "Suspended"})
    put = raw.request("PUT", f"/{vbucket}/k", body=b"null-1")
    assert put.status == 200 and "x-amz-version-id" not in put.headers, put
    s3.put_object(Bucket=vbucket, Key="k", Body=b"null-2")  # overwrites the null version
    got = s3.get_object(Bucket=vbucket, Key="k")
    assert got["Body"].read() == b"null-2" and got["VersionId"] == "null"
    ids = [v["VersionId"] for v in s3.list_object_versions(Bucket=vbucket)["Versions"]]
    assert ids == ["null", v1]

    # DELETE in a suspended bucket: a null delete marker replaces the null version.
    d = raw.request("DELETE", f"/{vbucket}/k")
    assert d.status == 204
    assert d.headers.get("x-amz-delete-marker") == "true"
    assert d.headers.get("x-amz-version-id") == "null"
    lv = s3.list_object_versions(Bucket=vbucket)
    assert [v["VersionId"] for v in lv["Versions"]] == [v1]
    assert [(m["VersionId"], m["IsLatest"]) for m in lv["DeleteMarkers"]] == [("null", True)]

    # Re-enabling keeps the null marker; a new PUT gets a real id.
    s3.put_bucket_versioning(Bucket=vbucket, VersioningConfiguration={"Status": "Enabled"})
    v3 = s3.put_object(Bucket=vbucket, Key="k", Body=b"v3")["VersionId"]
    assert v3 not in ("null", v1)
    lv = s3.list_object_versions(Bucket=vbucket)
    assert [v["VersionId"] for v in lv["Versions"]] == [v3, v1]
    assert [m["VersionId"] for m in lv["DeleteMarkers"]] == ["null"]


def test_null_version_survives_enabling(s3, plain_bucket, raw):
    s3.put_object(Bucket=plain_bucket, Key="old", Body=b"before")
    s3.put_bucket_versioning(Bucket=plain_bucket, VersioningConfiguration={"Status": "Enabled"})
    # Now the bucket has versioning: the pre-existing object shows version "null".
    r = raw.request("HEAD", f"/{plain_bucket}/old")
    assert r.status == 200 and r.headers.get("x-amz-version-id") == "null", r
    v = s3.put_object(Bucket=plain_bucket, Key="old", Body=b"after")["VersionId"]
    assert s3.get_object(Bucket=plain_bucket, Key="old", VersionId="null")["Body"].read() == \
        b"before"
    assert s3.get_object(Bucket=plain_bucket, Key="old", VersionId=v)["Body"].read() == b"after"


def test_copy_from_old_version(s3, vbucket, raw):
    v1 = s3.put_object(Bucket=vbucket, Key="src", Body=b"first", ContentType="text/x-1")["VersionId"]
    v2 = s3.put_object(Bucket=vbucket, Key="src", Body=b"second")["VersionId"]
    c = s3.copy_object(Bucket=vbucket, Key="dst", CopySource={"Bucket": vbucket, "Key": "src",
                                                               "VersionId": v1})
    assert c["CopySourceVersionId"] == v1
    assert c["VersionId"] not in (v1, v2, "null")
    got = s3.get_object(Bucket=vbucket, Key="dst")
    assert got["Body"].read() == b"first" and got["ContentType"] == "text/x-1"
    assert got["VersionId"] == c["VersionId"]
    # Without a version: the current one, named in the response.
    c2 = s3.copy_object(Bucket=vbucket, Key="dst2", CopySource={"Bucket": vbucket, "Key": "src"})
    assert c2["CopySourceVersionId"] == v2
    # Restoring an old version onto the same key makes it current again.
    c3 = s3.copy_object(Bucket=vbucket, Key="src", CopySource={"Bucket": vbucket, "Key": "src",
                                                                "VersionId": v1})
    assert s3.get_object(Bucket=vbucket, Key="src")["Body"].read() == b"first"
    assert c3["VersionId"] not in (v1, v2)
    # A delete marker as source: by id it is refused; as current version the key is missing.
    marker = s3.delete_object(Bucket=vbucket, Key="src")["VersionId"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.copy_object(Bucket=vbucket, Key="x", CopySource={"Bucket": vbucket, "Key": "src"})
    assert err_code(e.value) == "NoSuchKey"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.copy_object(Bucket=vbucket, Key="x", CopySource={"Bucket": vbucket, "Key": "src",
                                                             "VersionId": marker})
    assert err_status(e.value) in (400, 405)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.copy_object(Bucket=vbucket, Key="x", CopySource={"Bucket": vbucket, "Key": "src",
                                                             "VersionId": "f" * 32})
    assert err_code(e.value) in ("NoSuchVersion", "InvalidArgument")


def test_delete_objects_with_versions(s3, vbucket):
    ids = {}
    for k in ("a", "b", "c"):
        ids[k] = [s3.put_object(Bucket=vbucket, Key=k, Body=k.encode() * n)["VersionId"]
                  for n in (1, 2)]
    resp = s3.delete_objects(Bucket=vbucket, Delete={"Objects": [
        {"Key": "a", "VersionId": ids["a"][0]},   # an old version: removed
        {"Key": "b"},                              # no version: a delete marker
        {"Key": "c", "VersionId": ids["c"][1]},   # the current version: c falls back to v1
    ]})
    deleted = {d["Key"]: d for d in resp["Deleted"]}
    assert resp.get("Errors", []) == []
    assert deleted["a"]["VersionId"] == ids["a"][0] and "DeleteMarker" not in deleted["a"]
    assert deleted["b"]["DeleteMarker"] is True
    marker_b = deleted["b"]["DeleteMarkerVersionId"]
    assert marker_b not in ids["b"] + ["null"]
    assert deleted["c"]["VersionId"] == ids["c"][1]
    assert s3.get_object(Bucket=vbucket, Key="c")["Body"].read() == b"c"
    lv = s3.list_object_versions(Bucket=vbucket)
    assert [v["VersionId"] for v in lv["Versions"] if v["Key"] == "a"] == [ids["a"][1]]
    assert [m["VersionId"] for m in lv["DeleteMarkers"]] == [marker_b]

    # Removing the marker itself by version id: DeleteMarker true, its id echoed.
    resp = s3.delete_objects(Bucket=vbucket, Delete={"Objects": [
        {"Key": "b", "VersionId": marker_b}]})
    d = resp["Deleted"][0]
    assert d["DeleteMarker"] is True and d["DeleteMarkerVersionId"] == marker_b
    assert s3.get_object(Bucket=vbucket, Key="b")["Body"].read() == b"bb"
    # A malformed version id is a per-key error.
    resp = s3.delete_objects(Bucket=vbucket, Delete={"Objects": [{"Key": "b", "VersionId": "x"}]})
    assert [e["Code"] for e in resp["Errors"]] == ["InvalidArgument"]


def test_list_object_versions_pagination_matches_model(s3, vbucket):
    rnd = random.Random(4)
    keys = [f"dir{d}/k{i:02d}" for d in range(3) for i in range(5)] + ["top1", "top2"]
    model = {k: [] for k in keys}  # key -> [(version_id, is_marker)] oldest first
    for _ in range(70):
        k = rnd.choice(keys)
        if model[k] and rnd.random() < 0.25:
            vid = s3.delete_object(Bucket=vbucket, Key=k)["VersionId"]
            model[k].append((vid, True))
        else:
            vid = s3.put_object(Bucket=vbucket, Key=k, Body=b"x")["VersionId"]
            model[k].append((vid, False))

    def expected(prefix="", delimiter=""):
        out, prefixes = [], []
        for k in sorted(model):
            if not k.startswith(prefix) or not model[k]:
                continue
            if delimiter:
                rest = k[len(prefix):]
                i = rest.find(delimiter)
                if i >= 0:
                    cp = prefix + rest[:i + len(delimiter)]
                    if cp not in prefixes:
                        prefixes.append(cp)
                    continue
            vs = list(reversed(model[k]))
            for n, (vid, marker) in enumerate(vs):
                out.append((k, vid, marker, n == 0))
        return out, prefixes

    def listed(page_size, prefix="", delimiter=""):
        out, prefixes, pages = [], [], 0
        kw = {"Bucket": vbucket, "MaxKeys": page_size, "Prefix": prefix}
        if delimiter:
            kw["Delimiter"] = delimiter
        while True:
            resp = s3.list_object_versions(**kw)
            pages += 1
            entries = [(v["Key"], v["VersionId"], False, v["IsLatest"])
                       for v in resp.get("Versions", [])]
            entries += [(m["Key"], m["VersionId"], True, m["IsLatest"])
                        for m in resp.get("DeleteMarkers", [])]
            # Versions and markers arrive in separate lists; restore the global order.
            order = {(k, vid): i for i, (k, vid, _, _) in enumerate(expected(prefix, delimiter)[0])}
            entries.sort(key=lambda e: order.get((e[0], e[1]), -1))
            out += entries
            prefixes += [p["Prefix"] for p in resp.get("CommonPrefixes", [])]
            assert len(entries) + len(resp.get("CommonPrefixes", [])) <= page_size
            if not resp["IsTruncated"]:
                return out, prefixes, pages
            kw["KeyMarker"] = resp["NextKeyMarker"]
            if resp.get("NextVersionIdMarker"):
                kw["VersionIdMarker"] = resp["NextVersionIdMarker"]
            else:
                kw.pop("VersionIdMarker", None)
            assert pages < 500

    total = sum(len(v) for v in model.values())
    for page_size in (1, 3, 7, 1000):
        got, _, pages = listed(page_size)
        assert got == expected()[0], page_size
        if page_size < total:
            assert pages > 1
    got, prefixes, _ = listed(2, delimiter="/")
    exp, exp_prefixes = expected(delimiter="/")
    assert got == exp and prefixes == exp_prefixes
    got, prefixes, _ = listed(4, prefix="dir1/")
    assert got == expected(prefix="dir1/")[0]


def test_list_object_versions_raw_shape(s3, vbucket, raw):
    s3.put_object(Bucket=vbucket, Key="a b&c", Body=b"1")
    s3.delete_object(Bucket=vbucket, Key="a b&c")
    r = raw.request("GET", f"/{vbucket}?versions&encoding-type=url")
    assert r.status == 200, r
    root = r.xml()
    ns = "{http://s3.amazonaws.com/doc/2006-03-01/}"
    assert root.tag == ns + "ListVersionsResult"
    children = [c.tag[len(ns):] for c in root]
    # The marker (newest) comes before the version, interleaved in one sequence.
    assert children.index("DeleteMarker") < children.index("Version")
    assert root.find(ns + "EncodingType").text == "url"
    assert root.find(ns + "Version/" + ns + "Key").text == "a%20b%26c"
    r = raw.request("GET", f"/{vbucket}?versions&version-id-marker=abc")
    assert r.status == 400 and r.error_code() == "InvalidArgument"
